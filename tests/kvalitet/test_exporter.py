"""Exports as a background job (kvalitet.exporter): starting, running (eager Celery),
the page and the file, privacy, expiry, the access re-check, the lex Sarah log, bad
input, idempotence, and the page's query count."""

import csv
import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from avvikelser.models import Avvikelse
from kvalitet import exporter
from kvalitet.models import Atkomstlogg, Export, Exportstatus, Uppdrag
from tests.factories import AvvikelseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def miljo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_DIREKT_MAX = 2
    settings.EXPORT_GALLRAS_TIMMAR = 24
    return tmp_path


@pytest.fixture
def fall(org, personas):
    return [
        AvvikelseFactory(enhet=org["EB"], beskrivning=f'Händelse {i}; med "citat"\noch rad')
        for i in range(5)
    ]


def starta(klient, commit, adress="/avvikelser/export.csv", params=""):
    """POST the export button; the task runs (eagerly) when the transaction commits."""
    with commit(execute=True):
        response = klient.post(f"{adress}{params}")
    assert response.status_code == 303, response.status_code
    jobb = Export.objects.latest("pk")
    assert response.headers["Location"] == f"/exporter/{jobb.pk}/"
    return jobb


def csv_av(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_stor_export_med_get_erbjuder_att_starta_i_bakgrunden(miljo, fall, klient_for):
    response = klient_for("kvalitetssamordnare").get("/avvikelser/export.csv", {"typ": "avvikelse"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Urvalet har fler än 2 rader" in html
    assert 'method="post" action="/avvikelser/export.csv?typ=avvikelse"' in html
    assert "csrfmiddlewaretoken" in html
    assert not Export.objects.exists()


def test_listans_knappar_startar_jobbet_nar_urvalet_ar_stort(miljo, fall, klient_for, settings):
    klient = klient_for("kvalitetssamordnare")
    html = klient.get("/avvikelser/", {"typ": "avvikelse"}).content.decode()
    assert (
        '<form method="post" class="export" action="/avvikelser/export.csv?typ=avvikelse">' in html
    )
    assert 'formaction="/avvikelser/export.xlsx?typ=avvikelse"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    settings.EXPORT_DIREKT_MAX = 5
    html = klient.get("/avvikelser/", {"typ": "avvikelse"}).content.decode()
    assert 'href="/avvikelser/export.csv?typ=avvikelse" download' in html
    assert 'class="export" action=' not in html


def test_bortom_listans_antal_leder_lankarna_till_exportens_sida(
    miljo, fall, klient_for, settings, monkeypatch, django_assert_num_queries
):
    """The list counts at most MAX_RAKNADE rows (here 3): beyond that it does not count
    further for the choice of button; the links (without "download", which would save a
    page as the file) lead to the export's own page, which counts: the file at once up to
    EXPORT_DIREKT_MAX, else the offer to make it in the background."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("kvalitet.lib.sidor.MAX_RAKNADE", 3)
    klient = klient_for("kvalitetssamordnare")
    settings.EXPORT_DIREKT_MAX = 4
    klient.get("/avvikelser/")
    with CaptureQueriesContext(connection) as fragor:
        html = klient.get("/avvikelser/").content.decode()
    assert 'href="/avvikelser/export.csv">CSV</a>' in html
    assert 'href="/avvikelser/export.xlsx">Excel (XLSX)</a>' in html
    assert 'class="export" action=' not in html
    settings.EXPORT_DIREKT_MAX = 5
    with django_assert_num_queries(len(fragor)):  # the list counts no further
        html2 = klient.get("/avvikelser/").content.decode()
    assert 'href="/avvikelser/export.csv">CSV</a>' in html2

    # The export's page decides: 5 cases, a limit of 4 → the offer; of 5 → the file.
    settings.EXPORT_DIREKT_MAX = 4
    response = klient.get("/avvikelser/export.csv")
    assert "Urvalet har fler än 4 rader" in response.content.decode()
    settings.EXPORT_DIREKT_MAX = 5
    response = klient.get("/avvikelser/export.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert len(csv_av(response)) == len(fall) + 1


def test_liten_export_svarar_direkt(miljo, fall, klient_for):
    response = klient_for("kvalitetssamordnare").get(
        "/avvikelser/export.csv", {"q": fall[0].nummer}
    )
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert len(csv_av(response)) == 2


def test_hela_flodet_csv(miljo, fall, klient_for, django_capture_on_commit_callbacks, settings):
    klient = klient_for("kvalitetssamordnare")
    jobb = starta(klient, django_capture_on_commit_callbacks, params="?typ=avvikelse")
    jobb.refresh_from_db()
    assert jobb.status == Exportstatus.KLAR
    assert jobb.rader_klara == jobb.rader_totalt == 5
    assert jobb.filter == "typ=avvikelse"
    assert jobb.utgar - jobb.klar == timedelta(hours=24)
    sida = klient.get(f"/exporter/{jobb.pk}/").content.decode()
    assert 'role="status"' in sida
    assert f'href="/exporter/{jobb.pk}/fil/"' in sida
    assert "Dina senaste exporter" in sida
    assert "<progress" not in sida  # done: no progress bar, no polling
    assert "hx-trigger" not in sida

    fil = klient.get(f"/exporter/{jobb.pk}/fil/")
    assert fil.status_code == 200
    assert fil.headers["Content-Type"] == "text/csv; charset=utf-8"
    idag = timezone.localdate()
    assert f'filename="avvikelser-{idag:%Y-%m-%d}.csv"' in fil.headers["Content-Disposition"]
    assert fil.headers["Cache-Control"] == "private, no-store"
    jobbets = b"".join(fil.streaming_content)
    # The same bytes as the export answered at once.
    settings.EXPORT_DIREKT_MAX = 1000
    direkt = b"".join(klient.get("/avvikelser/export.csv?typ=avvikelse").streaming_content)
    assert jobbets == direkt
    rader = list(csv.reader(io.StringIO(jobbets.decode("utf-8-sig")), delimiter=";"))
    assert {r[0] for r in rader[1:]} == {a.nummer for a in fall}
    assert rader[1][8].startswith("Händelse") and '"citat"' in rader[1][8]
    # The file is a complete file in place; no temporary file is left.
    assert [p.name for p in miljo.rglob("*") if p.is_file()] == [jobb.fil.rsplit("/", 1)[1]]


def test_hela_flodet_xlsx(miljo, fall, klient_for, django_capture_on_commit_callbacks):
    klient = klient_for("enhetschef")
    jobb = starta(klient, django_capture_on_commit_callbacks, "/avvikelser/export.xlsx")
    fil = klient.get(f"/exporter/{jobb.pk}/fil/")
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(fil.streaming_content)))
    ws = wb.active
    assert ws.max_row == 6
    assert {r[0] for r in ws.iter_rows(min_row=2, values_only=True)} == {a.nummer for a in fall}


def test_koad_export_visar_forlopp_och_pollar(miljo, fall, klient_for):
    klient = klient_for("kvalitetssamordnare")
    response = klient.post("/avvikelser/export.csv")  # the task waits for the commit
    jobb = Export.objects.get()
    assert response.status_code == 303
    Export.objects.filter(pk=jobb.pk).update(
        status=Exportstatus.PAGAR, rader_klara=2, rader_totalt=5
    )
    html = klient.get(f"/exporter/{jobb.pk}/").content.decode()
    assert '<progress id="export-forlopp" max="100" value="40">40 %</progress>' in html
    assert "2 av 5 rader klara (40 %)" in html
    assert f'hx-get="/exporter/{jobb.pk}/" hx-trigger="every 1s"' in html
    assert 'role="status"' in html
    delen = klient.get(f"/exporter/{jobb.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in delen and "2 av 5 rader" in delen
    # Not done: the file's address leads back to the page.
    assert klient.get(f"/exporter/{jobb.pk}/fil/").headers["Location"] == f"/exporter/{jobb.pk}/"


# --- Privacy ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "kod"),
    [
        ("kvalitetssamordnare", 200),
        ("enhetschef", 404),
        ("forvaltningschef", 404),
        ("admin", 404),
        ("utan_roll", 404),
        ("namnd", 403),
        (None, 302),
    ],
)
def test_bara_bestallaren_ser_exporten(
    persona, kod, miljo, fall, klient_for, django_capture_on_commit_callbacks
):
    jobb = starta(klient_for("kvalitetssamordnare"), django_capture_on_commit_callbacks)
    klient = klient_for(persona)
    for adress in (f"/exporter/{jobb.pk}/", f"/exporter/{jobb.pk}/fil/"):
        assert klient.get(adress).status_code == kod, adress


def test_superanvandare_ser_inte_andras_export(
    miljo, fall, klient_for, personas, django_capture_on_commit_callbacks
):
    jobb = starta(klient_for("kvalitetssamordnare"), django_capture_on_commit_callbacks)
    chef = personas["forvaltningschef"]
    chef.is_staff = chef.is_superuser = True
    chef.save()
    assert klient_for("forvaltningschef").get(f"/exporter/{jobb.pk}/fil/").status_code == 404


def test_okand_export_ger_404(miljo, klient_for):
    assert klient_for("kvalitetssamordnare").get("/exporter/999999/").status_code == 404


# --- Expiry -----------------------------------------------------------------------------


def test_utgangen_export_sager_det_pa_svenska_och_gallras(
    miljo, fall, klient_for, django_capture_on_commit_callbacks
):
    klient = klient_for("kvalitetssamordnare")
    jobb = starta(klient, django_capture_on_commit_callbacks)
    jobb.refresh_from_db()
    sokvag = jobb.sokvag
    assert sokvag.exists()
    Export.objects.filter(pk=jobb.pk).update(utgar=timezone.now() - timedelta(minutes=1))

    response = klient.get(f"/exporter/{jobb.pk}/fil/")
    assert response.status_code == 410
    assert "Exporten har gallrats" in response.content.decode()
    assert "sparas i 24 timmar" in response.content.decode()

    assert exporter.gallra() == {"utgangna": 1, "borttagna": 0}
    assert not sokvag.exists()
    jobb.refresh_from_db()
    assert jobb.status == Exportstatus.UTGANGEN and jobb.fil == ""
    assert klient.get(f"/exporter/{jobb.pk}/fil/").status_code == 410
    assert "gallrats" in klient.get(f"/exporter/{jobb.pk}/").content.decode()
    # A week after expiry the row goes too.
    assert exporter.gallra(timezone.now() + timedelta(days=8))["borttagna"] == 1
    assert not Export.objects.exists()


def test_gallringen_ar_en_periodisk_uppgift(settings):
    uppgifter = {v["task"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "kvalitet.tasks.gallra_exporter" in uppgifter


# --- Access at run time -------------------------------------------------------------------


def _koad(klient):
    """A queued job (the commit callbacks are not run)."""
    assert klient.post("/avvikelser/export.csv").status_code == 303
    return Export.objects.get()


def test_inaktiverad_bestallare_far_ingen_fil(miljo, fall, klient_for, personas):
    jobb = _koad(klient_for("kvalitetssamordnare"))
    personas["kvalitetssamordnare"].is_active = False
    personas["kvalitetssamordnare"].save()
    assert exporter.kor(jobb.pk) == Exportstatus.MISSLYCKAD
    jobb.refresh_from_db()
    assert jobb.fel == "Du har inte längre behörighet att exportera listan."
    assert jobb.fil == "" and not any(miljo.rglob("*.csv"))


def test_bestallare_utan_roll_far_ingen_fil(miljo, fall, klient_for, personas):
    klient = klient_for("kvalitetssamordnare")
    jobb = _koad(klient)
    Uppdrag.objects.filter(anvandare=personas["kvalitetssamordnare"]).delete()
    assert exporter.kor(jobb.pk) == Exportstatus.MISSLYCKAD
    assert not any(miljo.rglob("*.csv"))


def test_fil_lamnas_inte_ut_nar_bestallarens_roll_har_upphort(miljo, fall, klient_for, personas):
    """A file made while the requester was one of the staff is not handed over once
    their roles have ended (403 with the reason), though it is still kept."""
    klient = klient_for("kvalitetssamordnare")
    jobb = _koad(klient)
    assert exporter.kor(jobb.pk) == Exportstatus.KLAR
    assert klient.get(f"/exporter/{jobb.pk}/fil/").status_code == 200
    Uppdrag.objects.filter(anvandare=personas["kvalitetssamordnare"]).delete()
    response = klient.get(f"/exporter/{jobb.pk}/fil/")
    assert response.status_code == 403
    assert "inte längre behörighet" in response.content.decode()


def test_atkomsten_provas_nar_jobbet_kor(miljo, org, fall, klient_for, personas):
    """The rows are those the requester may see when the job runs, not when asked."""
    klient = klient_for("enhetschef")
    jobb = _koad(klient)
    Avvikelse.objects.filter(pk__in=[a.pk for a in fall[:3]]).update(enhet=org["KOLL"])
    assert exporter.kor(jobb.pk) == Exportstatus.KLAR
    rader = csv_av(klient.get(f"/exporter/{jobb.pk}/fil/"))
    assert {r[0] for r in rader[1:]} == {a.nummer for a in fall[3:]}


# --- Idempotence -----------------------------------------------------------------------


def test_tva_korningar_ger_en_fil(miljo, fall, klient_for):
    jobb = _koad(klient_for("kvalitetssamordnare"))
    assert exporter.kor(jobb.pk) == Exportstatus.KLAR
    jobb.refresh_from_db()
    forsta = jobb.fil
    assert exporter.kor(jobb.pk) is None  # a redelivered message changes nothing
    jobb.refresh_from_db()
    assert jobb.fil == forsta
    assert len([p for p in miljo.rglob("*") if p.is_file()]) == 1


def test_avbruten_korning_gors_om(miljo, fall, klient_for):
    """A worker killed mid-job left the row "pågår" and maybe a temporary file; the
    redelivered message runs it to the end, never offering the half file."""
    jobb = _koad(klient_for("kvalitetssamordnare"))
    Export.objects.filter(pk=jobb.pk).update(status=Exportstatus.PAGAR, rader_klara=3)
    halv = miljo / "exporter" / str(jobb.anvandare_id) / f".{jobb.pk}-dead.tmp"
    halv.parent.mkdir(parents=True)
    halv.write_bytes(b"halv")
    assert exporter.kor(jobb.pk) == Exportstatus.KLAR
    jobb.refresh_from_db()
    assert jobb.rader_klara == 5 and jobb.sokvag.read_bytes().startswith(b"\xef\xbb\xbf")
    # The left-over temporary file goes with the periodic clean-up once it is old.
    assert exporter.gallra(timezone.now() + timedelta(hours=25))["utgangna"] == 1
    assert not halv.exists()


def test_full_disk_ger_misslyckad_export_utan_halv_fil(miljo, fall, klient_for, monkeypatch):
    import errno

    jobb = _koad(klient_for("kvalitetssamordnare"))

    def full(jobb, vy, queryset, fil):
        fil.write(b"halv")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(exporter, "_skriv", full)
    assert exporter.kor(jobb.pk) == Exportstatus.MISSLYCKAD
    jobb.refresh_from_db()
    assert jobb.fel == "Exporten kunde inte skapas. Försök igen senare."
    assert jobb.fil == ""
    assert not [p for p in miljo.rglob("*") if p.is_file()]


def test_copy_bara_pa_postgresql_och_utan_python_kolumner(personas):
    """The COPY path needs PostgreSQL and an SQL expression for every column: lex Sarah
    (per-row masking), the risk register (levels) and tillsyn (answers) use Python; the
    process map has none."""
    from django.db import connection
    from django.http import QueryDict
    from django.test import RequestFactory

    from avvikelser.views import ListaView as Avvikelser
    from kvalitet.export import kan_kopiera
    from lexsarah.views import ListaView as LexSarah
    from processer.views import ListaView as Processer
    from riskregister.views import AnalysListaView
    from riskregister.views import ListaView as Risker
    from synpunkter.views import ListaView as Synpunkter
    from tillsyn.views import ListaView as Tillsyn

    pg = connection.vendor == "postgresql"
    for vy_klass, kopierbar in [
        (Avvikelser, pg),
        (Synpunkter, pg),
        (AnalysListaView, pg),
        (Processer, pg),
        (LexSarah, False),
        (Risker, False),
        (Tillsyn, False),
    ]:
        request = RequestFactory().get("/", QueryDict(""))
        request.user = personas["kvalitetssamordnare"]
        vy = vy_klass()
        vy.setup(request)
        assert kan_kopiera(vy.filterset().qs, vy.exportkolumner()) is kopierbar, vy_klass


def test_forloppet_skrivs_var_n_rad(miljo, org, personas, klient_for, monkeypatch):
    for i in range(7):
        AvvikelseFactory(enhet=org["EB"], beskrivning=f"Fall {i}")
    jobb = _koad(klient_for("kvalitetssamordnare"))
    monkeypatch.setattr(exporter, "FORLOPP_VAR", 3)
    sett = []
    original = exporter.spara_forlopp

    def spion(pk, antal, connection=None):
        sett.append(antal)
        return original(pk, antal, connection)

    monkeypatch.setattr(exporter, "spara_forlopp", spion)
    assert exporter.kor(jobb.pk) == Exportstatus.KLAR
    assert sett == [3, 6]


@pytest.mark.postgres
def test_copy_skriver_i_sma_satser_och_meddelar_forloppet_nar_det_gatt_var_n(
    org, personas, monkeypatch
):
    """The COPY path writes `SKRIV_VAR` rows at a time and reports progress at the first
    batch at or past every `var` rows – also when the two do not divide."""
    from django.db import connection
    from django.test import RequestFactory

    from avvikelser.views import ListaView
    from kvalitet import export
    from tests.hjalp import kraver

    kraver(connection.vendor == "postgresql", "COPY-vägen kräver PostgreSQL")
    for i in range(7):
        AvvikelseFactory(enhet=org["EB"], beskrivning=f"Fall {i}")
    vy = ListaView()
    vy.setup(RequestFactory().get("/"))
    vy.request.user = personas["kvalitetssamordnare"]
    skrivet, sett = [], []
    monkeypatch.setattr(export, "SKRIV_VAR", 2)
    antal = export.kopiera_csv(
        vy.filterset().qs, vy.exportkolumner(), skrivet.append, sett.append, var=3
    )
    assert antal == 7
    rader = [
        list(csv.reader(io.StringIO(bit.decode(), newline=""), delimiter=";")) for bit in skrivet
    ]
    assert [len(r) for r in rader] == [2, 2, 2, 1]
    assert sett == [4]  # 2 rows, then 4 (past 3); the next report is due at 7, the end


# --- Lex Sarah: every exported case is logged before the file is offered ----------------------


def test_lex_sarah_export_loggas_i_jobbet(miljo, org, personas, klient_for):
    from lexsarah.models import LexSarah

    arenden = [
        LexSarah.objects.create(
            enhet=org["EB"],
            vag="rapport",
            kalla="egen",
            beskrivning=f"Missförhållande {i}",
            rapporterad=timezone.now(),
            rapporterad_av=personas["medarbetare"],
        )
        for i in range(4)
    ]
    klient = klient_for("kvalitetssamordnare")
    assert klient.post("/lexsarah/export.csv?status=rapporterad").status_code == 303
    jobb = Export.objects.get()
    assert not Atkomstlogg.objects.exists()
    assert exporter.kor(jobb.pk) == Exportstatus.KLAR
    loggen = Atkomstlogg.objects.filter(handelse=Atkomstlogg.Handelse.EXPORT)
    assert sorted(loggen.values_list("nummer", flat=True)) == sorted(a.nummer for a in arenden)
    assert set(loggen.values_list("anvandare", flat=True)) == {personas["kvalitetssamordnare"].pk}
    assert set(loggen.values_list("detalj", flat=True)) == {"CSV status=rapporterad"}
    assert set(loggen.values_list("object_id", flat=True)) == {a.pk for a in arenden}
    rader = csv_av(klient.get(f"/exporter/{jobb.pk}/fil/"))
    assert len(rader) == 5


def test_misslyckad_lex_sarah_export_loggar_inget(miljo, org, personas, klient_for):
    from lexsarah.models import LexSarah

    LexSarah.objects.create(
        enhet=org["EB"],
        vag="rapport",
        kalla="egen",
        beskrivning="x",
        rapporterad=timezone.now(),
        rapporterad_av=personas["medarbetare"],
    )
    jobb = _koad_lexsarah(klient_for("kvalitetssamordnare"))
    Export.objects.filter(pk=jobb.pk).update(format="pdf")
    assert exporter.kor(jobb.pk) == Exportstatus.MISSLYCKAD
    assert not Atkomstlogg.objects.exists()


def _koad_lexsarah(klient):
    assert klient.post("/lexsarah/export.csv").status_code == 303
    return Export.objects.get()


# --- Bad input --------------------------------------------------------------------------------


def test_ogiltigt_filter_ger_400_och_inget_jobb(miljo, fall, klient_for):
    response = klient_for("kvalitetssamordnare").post("/avvikelser/export.csv?fran=igår")
    assert response.status_code == 400
    assert "Exporten gjordes inte eftersom filtret innehåller fel:" in response.content.decode()
    assert not Export.objects.exists()


def test_filter_som_blivit_ogiltigt_ger_misslyckad_export(miljo, fall, klient_for):
    jobb = _koad(klient_for("kvalitetssamordnare"))
    Export.objects.filter(pk=jobb.pk).update(filter="fran=inte-ett-datum")
    assert exporter.kor(jobb.pk) == Exportstatus.MISSLYCKAD
    jobb.refresh_from_db()
    assert jobb.fel.startswith("Exporten gjordes inte eftersom filtret innehåller fel:")
    html = klient_for("kvalitetssamordnare").get(f"/exporter/{jobb.pk}/").content.decode()
    assert "filtret innehåller fel" in html


def test_okant_format(miljo, fall, klient_for):
    response = klient_for("kvalitetssamordnare").post("/avvikelser/export.pdf", follow=True)
    assert response.status_code == 404
    jobb = _koad(klient_for("kvalitetssamordnare"))
    Export.objects.filter(pk=jobb.pk).update(format="pdf")
    assert exporter.kor(jobb.pk) == Exportstatus.MISSLYCKAD
    jobb.refresh_from_db()
    assert jobb.fel == "Formatet pdf kan inte exporteras."


def test_okand_lista(miljo, fall, klient_for):
    jobb = _koad(klient_for("kvalitetssamordnare"))
    Export.objects.filter(pk=jobb.pk).update(lista="os.system")
    assert exporter.kor(jobb.pk) == Exportstatus.MISSLYCKAD
    jobb.refresh_from_db()
    assert jobb.fel == "Listan som exporten gällde finns inte längre."


def test_post_utan_csrf_nekas(miljo, fall, personas):
    klient = Client(enforce_csrf_checks=True)
    klient.force_login(personas["kvalitetssamordnare"])
    response = klient.post("/avvikelser/export.csv")
    assert response.status_code == 403
    assert not Export.objects.exists()


def test_roll_utan_personal_startar_inget_jobb(miljo, fall, klient_for):
    assert klient_for("utan_roll").post("/avvikelser/export.csv").status_code == 403
    assert klient_for("namnd").post("/avvikelser/export.csv").status_code == 403
    assert not Export.objects.exists()


# --- Query count ------------------------------------------------------------------------------


def test_sidan_kostar_lika_manga_fragor(
    miljo, fall, klient_for, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    klient = klient_for("kvalitetssamordnare")
    jobb = starta(klient, django_capture_on_commit_callbacks)

    def antal():
        with CaptureQueriesContext(connection) as fragor:
            assert klient.get(f"/exporter/{jobb.pk}/").status_code == 200
        return len(fragor)

    ett = antal()
    for _ in range(9):
        starta(klient, django_capture_on_commit_callbacks)
    html = klient.get(f"/exporter/{jobb.pk}/").content.decode()
    assert len(re.findall(r'href="/exporter/\d+/"', html)) == 10
    assert antal() == ett


# --- Settings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("namn", "varde", "minst"), [("EXPORT_GALLRAS_TIMMAR", "0", 1)])
def test_orimlig_gallringstid_stoppar_starten(namn, varde, minst):
    from tests.tjanster import kor_manage

    resultat = kor_manage("check", DEBUG="true", **{namn: varde})
    assert resultat.returncode != 0
    assert f"{namn} måste vara minst {minst}, inte {varde}." in resultat.stderr
