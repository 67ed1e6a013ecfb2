"""The lex Sarah documents as PDFs (lexsarah/dokument.py), read back with pypdf: the
investigation's headings in the real document's order, the tjänsteskrivelse's parts,
no identity or rapport text in either (DOMAIN.md §4.3, §6), the draft marking, the
frozen versions the decision stores, tags and fonts; the pages that serve them (the case
page's drafts, the nämnd's list and documents), the access log, and the
`lexsarah_dokument` management command."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.shortcuts import resolve_url
from django.utils import timezone
from pypdf import PdfReader

from kvalitet import regler
from kvalitet.models import Atkomstlogg, CaseLink, Orsaksomrade, Roll
from lexsarah import dokument
from lexsarah.choices import Beslutsfattare, Informerad, Kalla, Klassning, Risk, Status
from lexsarah.models import Dokument, LexSarah
from tests.factories import AtgardFactory, AvvikelseFactory
from tests.rapporter.hjalp import objekt

pytestmark = pytest.mark.django_db

KOMMUN = "Testköpings kommun"

# Planted where the documents must never reach: the rapport's own text, where the
# information came from, what was done at once for the client and how they were told,
# and the names, e-mail and username of the reporter and of the staff in the flow.
SENTINELER = {
    "beskrivning": "BeskrivningSENTINEL",
    "vidtaget_direkt": "VidtagetSENTINEL",
    "kalla_beskrivning": "KallaSENTINEL",
    "omedelbara_atgarder": "OmedelbaraSENTINEL",
    "informerad_hur": "InformeradSENTINEL",
}
NAMN = [
    "Rapportina",
    "Hemligsson",
    "rapportor_sentinel",
    "rapportor.sentinel@example.org",
    "Utredarnamn",
    "Ansvarignamn",
    "Beslutarnamn",
]
LIKNANDE_TEXT = "LiknandeSENTINEL"

UTREDNINGENS_RUBRIKER = [
    "Utredning enligt lex Sarah, {nummer}",
    "Bakgrund",
    "Metod",
    "Resultat",
    "Händelseförlopp",
    "Bakomliggande orsaker",
    "Tidigare utredningar/liknande händelser",
    "Åtgärdsplan",
    "Vidtagna åtgärder",
    "Planerade åtgärder – tidsplan",
    "Bedömning",
]

FORSLAG = "Socialnämnden lägger utredningen till handlingarna."
SAMMANFATTNING = (
    "Ett beslut om en placerad ungdom skickades till familjehemmets tidigare adress. "
    "Orsaken var en brist i rutinen för adressuppgifter."
)
HANDLINGAR = ["Utredning enligt lex Sarah", "Åtgärdsplan med tidsplan"]
SKICKAS_TILL = ["Avdelningschef, Myndighetsavdelningen", "Kvalitetssamordnare"]


def las(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def text_i(pdf: bytes) -> str:
    """Every page's text, whitespace collapsed (lines break inside sentences)."""
    return " ".join(" ".join(s.extract_text().split()) for s in las(pdf).pages)


def rubriker(pdf: bytes) -> list[str]:
    def platta(utkast):
        for o in utkast:
            if isinstance(o, list):
                yield from platta(o)
            else:
                yield " ".join(o.title.split())

    return list(platta(las(pdf).outline))


def i_ordning(text: str, delar: list[str]) -> bool:
    """Do `delar` appear in `text` in this order?"""
    fran = 0
    for del_ in delar:
        fran = text.find(del_, fran)
        if fran < 0:
            pytest.fail(f"{del_!r} saknas efter föregående del i: {text}")
        fran += len(del_)
    return True


@pytest.fixture
def fall(personas, org, settings):
    """A case ready for the decision, filled in as a real one: reported by a medarbetare
    of Ekonomiskt bistånd with identity and rapport text planted, investigated by the
    utredare of Staben, with a dated händelseförlopp, cause areas, a linked earlier
    avvikelse, an action of the action plan and the texts for the nämnd."""
    settings.KOMMUN_NAMN = KOMMUN
    p = personas
    rapportor = p["medarbetare"]
    rapportor.first_name, rapportor.last_name = "Rapportina", "Hemligsson"
    rapportor.username, rapportor.email = "rapportor_sentinel", "rapportor.sentinel@example.org"
    rapportor.save()
    for nyckel, namn in [
        ("utredare", "Utredarnamn"),
        ("enhetschef", "Ansvarignamn"),
        ("forvaltningschef", "Beslutarnamn"),
    ]:
        p[nyckel].first_name = namn
        p[nyckel].save()
    idag = timezone.localdate()
    handelse = idag - timedelta(days=40)
    ls = LexSarah.rapportera(
        av=rapportor,
        enhet=org["EB"],
        handelsedatum=handelse,
        beskrivning=SENTINELER["beskrivning"],
        kalla=Kalla.NARSTAENDE,
        kalla_beskrivning=SENTINELER["kalla_beskrivning"],
        vidtaget_direkt=SENTINELER["vidtaget_direkt"],
    )
    LexSarah.objects.filter(pk=ls.pk).update(
        status=Status.TILL_BESLUT,
        handlaggare=p["utredare"],
        omedelbara_atgarder=SENTINELER["omedelbara_atgarder"],
        informerad=Informerad.JA,
        informerad_datum=handelse + timedelta(days=2),
        informerad_hur=SENTINELER["informerad_hur"],
        omedelbara_datum=handelse + timedelta(days=2),
        utredning_inledd=handelse + timedelta(days=4),
        bakgrund=(
            "Ungdomen är placerad i ett familjehem sedan 2025. Ett beslut om fortsatt "
            "placering skulle skickas till familjehemmet."
        ),
        metod="Genomgång av journalen. Samtal med handläggaren och enhetschefen.",
        klient_hord=False,
        klient_ej_hord_skal="Ungdomen avböjde att delta.",
        handelseforlopp=[
            {"datum": handelse.isoformat(), "text": "Beslutet skickades till fel adress."},
            {
                "datum": (handelse + timedelta(days=1)).isoformat(),
                "text": "Familjehemmet ringde och saknade beslutet.",
            },
        ],
        orsaker="Adressen hämtades ur ett inaktuellt register. Rutinen saknade kontroll.",
        tidigare="En liknande händelse utreddes 2023.",
        vidtagna_atgarder="Beslutet hämtades tillbaka samma dag.",
        klassning=Klassning.MISSFORHALLANDE,
        risk_for_upprepning=Risk.LITEN,
        atgardsplan_kravs=True,
        bedomning="Händelsen är ett missförhållande: rutinen för adressuppgifter brast.",
        bedomd=idag - timedelta(days=10),
        sammanfattning_namnd=SAMMANFATTNING,
        forslag_till_beslut=FORSLAG,
        handlingar="\n".join(HANDLINGAR),
        skickas_till="\n".join(SKICKAS_TILL),
        utredning_klar=idag - timedelta(days=5),
    )
    ls = LexSarah.objects.get(pk=ls.pk)
    omrade, _ = Orsaksomrade.objects.get_or_create(namn="Rutiner för adressuppgifter")
    ls.orsaksomraden.add(omrade)
    tidigare = AvvikelseFactory(
        enhet=org["EB"],
        rapporterad=timezone.now() - timedelta(days=400),
        beskrivning=LIKNANDE_TEXT,
        rapporterad_av=rapportor,
        skapad_av=rapportor,
    )
    ls.link(tidigare, CaseLink.Typ.LIKNANDE, av=p["utredare"])
    AtgardFactory(
        arende=ls,
        ansvarig=p["enhetschef"],
        titel="Följebrev med mottagare och adress",
        forfallodatum=idag + timedelta(days=60),
    )
    ls.tidigare_arende = tidigare
    return ls


@pytest.fixture
def beslutad(fall, personas, django_capture_on_commit_callbacks):
    """The case decided by the nämnd through the workflow: the documents are frozen after
    the decision's commit."""
    with django_capture_on_commit_callbacks(execute=True):
        fall.besluta(
            av=personas["forvaltningschef"],
            beslutsfattare=Beslutsfattare.NAMND,
            beslutad=timezone.localdate(),
            beslut_text="Nämnden beslutade enligt förslaget.",
            diarienummer="SOCN/2026:41",
            sammantradesdatum=timezone.localdate() - timedelta(days=1),
            paragraf="§ 45",
        )
    return LexSarah.objects.get(pk=fall.pk)


def nedladdat(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    return response.content


# --- Content ----------------------------------------------------------------------------


def test_utredningens_rubriker_i_dokumentets_ordning(fall):
    pdf = dokument.rendera_utredning(fall)
    forvantade = [r.format(nummer=fall.nummer) for r in UTREDNINGENS_RUBRIKER]
    # The bookmarks are the headings, in order, and nothing but them.
    assert rubriker(pdf) == forvantade
    text = text_i(pdf)
    assert i_ordning(text, [*forvantade, "Avdelningschef", "Utredare"])
    # The header block: kommun, unit, date, the utredare by role, the nämnd.
    for del_ in [KOMMUN, "Socialförvaltningen", "Ekonomiskt bistånd", "Utredare, Staben"]:
        assert del_ in text, del_
    assert "Till Socialnämnden" in text
    assert fall.utredning_klar.isoformat() in text
    # The dated händelseförlopp, the client not heard and why, the cause area, the linked
    # earlier event by number and unit, the action by title, role and due date.
    for h in fall.handelseforlopp:
        assert f"{h['datum']} {h['text']}" in text
    assert "Den enskilde har inte hörts i utredningen: Ungdomen avböjde att delta." in text
    assert "Rutiner för adressuppgifter" in text
    assert f"{fall.tidigare_arende.nummer}, avvikelse" in text
    assert "Följebrev med mottagare och adress Enhetschef, Ekonomiskt bistånd" in text
    assert "Klassning Missförhållande" in text
    assert "Risk för upprepning Liten" in text
    assert "Åtgärdsplan krävs Ja" in text
    # The rules as the table cites them on the event date, never a missing-rule marker.
    for nyckel in ("sol-lex-sarah-rapportering", "sosfs-2011-5-lex-sarah"):
        assert regler.citera(nyckel, fall.handelsedatum) in text
    assert "Regel saknas" not in text


def test_en_process_lankad_till_arendet_ar_ingen_liknande_handelse(fall, org, personas):
    """The investigation lists the similar events linked; a process linked to the case
    (a link staff chose, "Hör ihop med") is none of them."""
    from tests.processer.hjalp import process

    fall.lanka(process(org["EB"]), av=personas["utredare"])
    assert [r["nummer"] for r in dokument._lankade_liknande(fall)] == [fall.tidigare_arende.nummer]


def test_tjansteskrivelsens_delar(beslutad):
    text = text_i(dokument.rendera_tjansteskrivelse(beslutad))
    assert i_ordning(
        text,
        [
            KOMMUN,
            "TJÄNSTESKRIVELSE",
            "Socialnämnden",
            f"Utredning enligt lex Sarah, {beslutad.nummer}",
            "Beslutat av Nämnden",
            "Förslag till beslut",
            FORSLAG,
            "Sammanfattning av ärendet",
            SAMMANFATTNING,
            "Klassning Missförhållande",
            "Anmälan till IVO Klassningen kräver ingen anmälan till IVO",
            "Ärendets handlingar",
            *HANDLINGAR,
            "Förvaltningschef",
            "Avdelningschef",
            "Beslutet skickas till",
            *SKICKAS_TILL,
        ],
    )
    assert "Diarienummer SOCN/2026:41" in text
    sammantrade = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert f"Sammanträde {sammantrade}, § 45" in text
    assert "§ §" not in text
    assert "Utkast" not in text and "UTKAST" not in text


def test_ivo_anmalan_visas_i_tjansteskrivelsen(fall):
    LexSarah.objects.filter(pk=fall.pk).update(
        klassning=Klassning.ALLVARLIGT, ivo_anmald=timezone.localdate() - timedelta(days=3)
    )
    fall.refresh_from_db()
    text = text_i(dokument.rendera_tjansteskrivelse(fall))
    anmald = (timezone.localdate() - timedelta(days=3)).isoformat()
    assert "Klassning Allvarligt missförhållande" in text
    assert f"Anmälan till IVO Anmäld till IVO {anmald}" in text


def test_utkast_markeras_pa_varje_sida(fall):
    for rendera in (dokument.rendera_utredning, dokument.rendera_tjansteskrivelse):
        reader = las(rendera(fall))
        assert "Utkast – inte beslutat" in " ".join(reader.pages[0].extract_text().split())
        for sida in reader.pages:
            assert "UTKAST – inte beslutat" in sida.extract_text()
    # Before the decision there is no decision section.
    assert "Beslutat av" not in text_i(dokument.rendera_tjansteskrivelse(fall))


def test_inga_personuppgifter_eller_rapporttext_i_dokumenten(beslutad, klient_for):
    """As the nämnd downloads them: nothing of the rapport, no one's name."""
    klient = klient_for("namnd")
    for typ in ("utredning", "tjansteskrivelse"):
        pdf = nedladdat(klient.get(f"/lexsarah/namnden/{beslutad.nummer}/{typ}.pdf"))
        text = text_i(pdf)
        assert beslutad.nummer in text  # the check can see text
        for ord_ in [*SENTINELER.values(), *NAMN, LIKNANDE_TEXT]:
            assert ord_ not in text, (typ, ord_)
    # The HTML the PDFs are made of neither (nothing hidden from the text layer).
    html = dokument.utredning_html(beslutad) + dokument.tjansteskrivelse_html(beslutad)
    for ord_ in [*SENTINELER.values(), *NAMN, LIKNANDE_TEXT]:
        assert ord_ not in html, ord_


def test_tjansteskrivelsen_innehaller_bara_text_for_namnden(fall):
    """Besides the rapport's text, the investigation's own text stays out of the
    tjänsteskrivelse: the nämnd reads the investigation as its own document."""
    text = text_i(dokument.rendera_tjansteskrivelse(fall))
    for falt in ("bakgrund", "metod", "orsaker", "bedomning", "vidtagna_atgarder"):
        assert getattr(fall, falt)[:40] not in text, falt


def test_titel_sprak_taggar_och_pdfa_pdfua(fall):
    for rendera, titel in [
        (dokument.rendera_utredning, f"Utredning enligt lex Sarah, {fall.nummer} – {KOMMUN}"),
        (
            dokument.rendera_tjansteskrivelse,
            f"Tjänsteskrivelse: Utredning enligt lex Sarah, {fall.nummer} – {KOMMUN}",
        ),
    ]:
        reader = las(rendera(fall))
        assert reader.metadata.title == titel
        assert reader.metadata.author == f"Socialnämnden, {KOMMUN}"
        rot = reader.trailer["/Root"]
        assert rot["/Lang"] == "sv"
        assert rot["/MarkInfo"]["/Marked"].value is True
        assert rot["/StructTreeRoot"].get_object().get("/K") is not None
        xmp = rot["/Metadata"].get_object().get_data().decode("utf-8")
        assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="A"' in xmp
        assert 'pdfuaid:part="1"' in xmp
        # Only the product's fonts, embedded.
        namn = [o["/BaseFont"] for o in objekt(reader) if o.get("/Type") == "/Font"]
        familjer = {str(n).split("+", 1)[-1] for n in namn}
        assert familjer <= {
            "Open-Sans",
            "Open-Sans-Italic",
            "Open-Sans-Semi-Bold",
            "Open-Sans-Bold",
        }, familjer
        assert "Open-Sans" in familjer and "Open-Sans-Bold" in familjer
        beskrivningar = [o for o in objekt(reader) if o.get("/Type") == "/FontDescriptor"]
        assert beskrivningar
        for b in beskrivningar:
            assert "/FontFile2" in b, b["/FontName"]


# --- Freezing -----------------------------------------------------------------------------


def test_beslutet_fryser_bada_dokumenten_och_en_ny_frysning_ger_nya_versioner(beslutad):
    assert sorted(beslutad.dokument.values_list("typ", flat=True)) == [
        "tjansteskrivelse",
        "utredning",
    ]
    forsta = dokument.senaste(beslutad, Dokument.Typ.TJANSTESKRIVELSE)
    assert FORSLAG in text_i(dokument.las(forsta))
    LexSarah.objects.filter(pk=beslutad.pk).update(forslag_till_beslut="Ett nytt förslag.")
    beslutad.refresh_from_db()
    dokument.frys(beslutad)
    assert beslutad.dokument.count() == 4
    senaste = dokument.senaste(beslutad, Dokument.Typ.TJANSTESKRIVELSE)
    assert senaste.pk != forsta.pk
    # The newest is what is served; the older version stays.
    assert "Ett nytt förslag." in text_i(dokument.pdf_for(beslutad, "tjansteskrivelse"))
    assert FORSLAG in text_i(dokument.las(forsta))


def test_ett_beslut_star_kvar_om_koandet_misslyckas_och_dokumenten_sparas_senare(
    fall, personas, django_capture_on_commit_callbacks, monkeypatch
):
    """The documents are stored in the background after the decision's commit: a queue
    that is down loses nothing – the decision stands, and the periodic task stores the
    documents of every decided case that has none (also one imported as decided)."""
    from lexsarah import tasks

    def nere(*args, **kwargs):
        raise ConnectionError("Redis svarar inte")

    monkeypatch.setattr(tasks.frys_dokument, "delay", nere)
    with django_capture_on_commit_callbacks(execute=True):
        fall.besluta(
            av=personas["forvaltningschef"],
            beslutsfattare=Beslutsfattare.FORVALTNINGSCHEF,
            beslutad=timezone.localdate(),
            beslut_text="Förvaltningschefen beslutade enligt förslaget.",
            diarienummer="SOCN/2026:42",
        )
    fall.refresh_from_db()
    assert fall.status == "beslutad" and not fall.dokument.exists()
    monkeypatch.undo()
    assert tasks.frys_saknade() == 1
    assert sorted(fall.dokument.values_list("typ", flat=True)) == [
        "tjansteskrivelse",
        "utredning",
    ]
    assert tasks.frys_saknade() == 0  # once
    assert fall.dokument.count() == 2


def test_fryssvepet_ar_schemalagt(settings):
    uppgifter = {v["task"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "lexsarah.tasks.frys_saknade" in uppgifter


# --- Pages -------------------------------------------------------------------------------


def test_namnden_laser_de_beslutade_dokumenten(beslutad, klient_for):
    klient = klient_for("namnd")
    # The nämnd reaches the page from its menu.
    sida = klient.get("/rapporter/")
    assert 'href="/lexsarah/namnden/"' in sida.content.decode()
    lista = klient.get("/lexsarah/namnden/")
    assert lista.status_code == 200
    html = lista.content.decode()
    assert beslutad.nummer in html
    assert "Ekonomiskt bistånd" in html
    assert "SOCN/2026:41" in html
    assert f"/lexsarah/namnden/{beslutad.nummer}/tjansteskrivelse.pdf" in html
    for ord_ in [*SENTINELER.values(), *NAMN]:
        assert ord_ not in html, ord_
    for typ in ("utredning", "tjansteskrivelse"):
        svar = klient.get(f"/lexsarah/namnden/{beslutad.nummer}/{typ}.pdf")
        pdf = nedladdat(svar)
        assert svar["Content-Disposition"] == (
            f'attachment; filename="{beslutad.nummer}-{typ}.pdf"'
        )
        assert pdf == dokument.las(dokument.senaste(beslutad, typ))
    # The case itself stays closed to the nämnd.
    assert klient.get(f"/lexsarah/{beslutad.nummer}/").status_code == 403
    assert klient.get(f"/lexsarah/{beslutad.nummer}/dokument/utredning.pdf").status_code == 403


def test_namnden_far_404_for_okant_eller_obeslutat_nummer(fall, klient_for):
    klient = klient_for("namnd")
    assert fall.nummer not in klient.get("/lexsarah/namnden/").content.decode()
    assert klient.get(f"/lexsarah/namnden/{fall.nummer}/utredning.pdf").status_code == 404
    assert klient.get("/lexsarah/namnden/LS-2099-9999/utredning.pdf").status_code == 404


def test_okand_dokumenttyp_ger_404(beslutad, klient_for):
    assert (
        klient_for("namnd").get(f"/lexsarah/namnden/{beslutad.nummer}/beslut.pdf").status_code
        == 404
    )
    assert (
        klient_for("utredare").get(f"/lexsarah/{beslutad.nummer}/dokument/x.pdf").status_code == 404
    )


@pytest.mark.parametrize("persona", ["kvalitetssamordnare", "forvaltningschef"])
def test_de_som_forbereder_namnden_laser_handlingarna(persona, beslutad, klient_for):
    klient = klient_for(persona)
    assert klient.get("/lexsarah/namnden/").status_code == 200
    nedladdat(klient.get(f"/lexsarah/namnden/{beslutad.nummer}/utredning.pdf"))


@pytest.mark.parametrize("persona", ["medarbetare", "enhetschef", "utredare", "registrator"])
def test_andra_nekas_namndhandlingarna(persona, beslutad, klient_for):
    klient = klient_for(persona)
    assert klient.get("/lexsarah/namnden/").status_code == 403
    assert klient.get(f"/lexsarah/namnden/{beslutad.nummer}/utredning.pdf").status_code == 403
    assert not Atkomstlogg.objects.filter(handelse="dokument").exists()


def test_anonym_skickas_till_inloggningen(beslutad, client, settings):
    inloggning = resolve_url(settings.LOGIN_URL)
    for url in [
        "/lexsarah/namnden/",
        f"/lexsarah/namnden/{beslutad.nummer}/utredning.pdf",
        f"/lexsarah/{beslutad.nummer}/dokument/utredning.pdf",
    ]:
        svar = client.get(url)
        assert svar.status_code == 302
        assert svar["Location"].startswith(f"{inloggning}?next="), svar["Location"]
    assert not Atkomstlogg.objects.exists()


def test_utkasten_fran_arendesidan(fall, klient_for):
    """Those who see the whole case read the live drafts, linked from the case page; the
    reporter (who sees the status only) and other units do not."""
    klient = klient_for("utredare")
    sida = klient.get(f"/lexsarah/{fall.nummer}/").content.decode()
    url = f"/lexsarah/{fall.nummer}/dokument/utredning.pdf"
    assert f'href="{url}"' in sida
    assert f'href="/lexsarah/{fall.nummer}/dokument/tjansteskrivelse.pdf"' in sida
    svar = klient.get(url)
    assert "Utkast – inte beslutat" in text_i(nedladdat(svar))
    assert svar["Content-Disposition"] == f'attachment; filename="{fall.nummer}-utredning.pdf"'
    assert klient.get(url + "?visa")["Content-Disposition"].startswith("inline;")
    assert klient_for("medarbetare").get(url).status_code == 403  # the reporter
    assert klient_for("enhetschef_annan").get(url).status_code == 404


def test_beslutat_arende_ger_den_lagrade_versionen_pa_arendesidan(beslutad, klient_for):
    pdf = nedladdat(
        klient_for("avdelningschef").get(f"/lexsarah/{beslutad.nummer}/dokument/utredning.pdf")
    )
    assert pdf == dokument.las(dokument.senaste(beslutad, "utredning"))


def test_varje_hamtning_loggas(beslutad, personas, klient_for):
    klient_for("namnd").get(f"/lexsarah/namnden/{beslutad.nummer}/tjansteskrivelse.pdf")
    klient_for("utredare").get(f"/lexsarah/{beslutad.nummer}/dokument/utredning.pdf")
    rader = set(
        Atkomstlogg.objects.filter(nummer=beslutad.nummer, handelse="dokument").values_list(
            "anvandare__username", "detalj"
        )
    )
    assert rader == {("namnd", "Tjänsteskrivelse"), ("utredare", "Utredning enligt lex Sarah")}
    # Listing the decided cases reads no case: no row.
    klient_for("namnd").get("/lexsarah/namnden/")
    assert (
        Atkomstlogg.objects.filter(nummer=beslutad.nummer)
        .exclude(handelse="dokument")
        .filter(anvandare=personas["namnd"])
        .count()
        == 0
    )


# --- The management command ----------------------------------------------------------------


def test_kommandot_skriver_bada_dokumenten(beslutad, tmp_path):
    utredning, tjansteskrivelse = tmp_path / "u.pdf", tmp_path / "t.pdf"
    ut = io.StringIO()
    call_command(
        "lexsarah_dokument",
        beslutad.nummer.lower(),
        utredning=utredning,
        tjansteskrivelse=tjansteskrivelse,
        stdout=ut,
    )
    assert utredning.read_bytes() == dokument.las(dokument.senaste(beslutad, "utredning"))
    assert tjansteskrivelse.read_bytes() == dokument.las(
        dokument.senaste(beslutad, "tjansteskrivelse")
    )
    assert "beslutad version" in ut.getvalue()


def test_kommandot_skriver_utkastet_och_en_fil_i_taget(fall, tmp_path):
    fil = tmp_path / "t.pdf"
    call_command("lexsarah_dokument", fall.nummer, tjansteskrivelse=fil, stdout=io.StringIO())
    text = text_i(fil.read_bytes())
    assert FORSLAG in text and "Utkast" in text
    assert not (tmp_path / "u.pdf").exists()


def test_kommandot_fel_pa_svenska(fall, tmp_path):
    with pytest.raises(CommandError, match="Det finns inget lex Sarah-ärende med numret LS-2099"):
        call_command("lexsarah_dokument", "LS-2099-9999", utredning=tmp_path / "u.pdf")
    with pytest.raises(CommandError, match="Ange --utredning FIL och/eller --tjansteskrivelse"):
        call_command("lexsarah_dokument", fall.nummer)


def test_personal_namnges_med_titel_eller_roll(fall, personas):
    utredare = personas["utredare"]
    assert dokument.roll_for(utredare, foredra=(Roll.UTREDARE,)) == "Utredare, Staben"
    utredare.titel = "Kvalitetsutredare"
    assert dokument.roll_for(utredare) == "Kvalitetsutredare"
    assert dokument.roll_for(None) == ""
    assert dokument.roll_for(personas["utan_roll"]) == ""


def test_mallarna_citerar_lagen_ur_tabellen(settings):
    """The legal references come from the rules table (`{% regel %}`), never as a section
    number or an act's number written in the templates (docs/regler.md); the § they
    write is the nämnd meeting's paragraph."""
    mallar = sorted((Path(settings.BASE_DIR) / "templates" / "lexsarah" / "dokument").glob("*"))
    assert len(mallar) == 3
    for mall in mallar:
        text = mall.read_text(encoding="utf-8")
        for monster in (r"\bkap\.", r"SOSFS \d", r"\(\d{4}:\d+\)", r"§(?! \{\{ paragraf \}\})"):
            assert not re.search(monster, text), (mall.name, monster)
    text = (mallar[-1].parent / "utredning.html").read_text(encoding="utf-8")
    assert '{% regel "sol-lex-sarah-rapportering" regeldatum %}' in text
    assert '{% regel "sosfs-2011-5-lex-sarah" regeldatum %}' in text
