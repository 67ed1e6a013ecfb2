"""The lex Sarah flow beyond the shared tests: the ways a case starts (the rapport form,
the förvaltningschef's position on an avvikelse, a synpunkt where the service failed),
the deadlines, the suggested similar events, and what the decision and the closing
require (DOMAIN.md §4.3, docs/arbetsfloden.md)."""

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.html import escape

from avvikelser.models import Avvikelse
from kvalitet import liknande
from kvalitet.models import CaseLink, TimelineEntry, Utskick
from kvalitet.signaler import lex_sarah_aktuell
from kvalitet.workflow import next_steps
from lexsarah.choices import Klassning, Status, Vag
from lexsarah.models import LexSarah
from tests.factories import AtgardFactory, AvvikelseFactory, SynpunktFactory
from tests.lexsarah.hjalp import BESKRIVNING, satt_status, skapa
from tests.stod import meddelanden, ogonblick

pytestmark = pytest.mark.django_db


@pytest.fixture
def v(org, personas):
    return SimpleNamespace(org=org, personas=personas)


def _html(response):
    return response.content.decode()


# --- The rapport form -----------------------------------------------------------------


def _rapport(v, **andrat):
    data = {
        "enhet": v.org["EB"].pk,
        "handelsedatum": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "beskrivning": "Ungdomen fick sitt beslut skickat till en gammal adress.",
        "kalla": "egen",
        "kalla_beskrivning": "",
        "vidtaget_direkt": "Beslutet hämtades tillbaka.",
    }
    data.update(andrat)
    return {k: val for k, val in data.items() if val is not None}


def test_rapporten_registreras_och_chefen_och_forvaltningschefen_far_ett_mejl(
    v, klient_for, django_capture_on_commit_callbacks
):
    from django.core import mail

    klient = klient_for("medarbetare")
    with django_capture_on_commit_callbacks(execute=True):
        response = klient.post("/lexsarah/ny/", _rapport(v))
    ls = LexSarah.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == ls.get_absolute_url()
    assert meddelanden(response) == [
        f"Tack! Din rapport är registrerad som {ls.nummer}. Enhetschefen och "
        "förvaltningschefen har fått ett meddelande."
    ]
    assert ls.status == Status.RAPPORTERAD
    assert ls.vag == Vag.RAPPORT
    assert ls.rapporterad_av == v.personas["medarbetare"]
    assert ls.enhet == v.org["EB"]
    assert ls.tidsfrist == timezone.localdate() + timedelta(
        days=settings.LEXSARAH_FRIST_OMEDELBARA_DAGAR
    )
    assert ls.timeline.filter(typ=TimelineEntry.Typ.SKAPAT).count() == 1
    # The same day: the unit's enhetschef and the förvaltningschef, not the reporter.
    utskick = Utskick.objects.all()
    assert {u.mottagare for u in utskick} == {
        v.personas["enhetschef"].email,
        v.personas["forvaltningschef"].email,
    }
    assert all(timezone.localdate(u.skapad) == timezone.localdate() for u in utskick)
    # Number and link only, never what happened (docs/behorighet.md, E-post).
    for u in utskick:
        assert ls.nummer in u.amne + u.text
        assert "gammal adress" not in u.amne + u.text
    assert {m.to[0] for m in mail.outbox} == {u.mottagare for u in utskick}
    # The reporter sees their case: the status and their rapport.
    sida = klient.get(ls.get_absolute_url())
    assert sida.status_code == 200
    assert "Ungdomen fick sitt beslut skickat till en gammal adress." in _html(sida)


FRAMTIDEN = (timezone.localdate() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("andrat", "fel"),
    [
        pytest.param(
            {"enhet": "", "beskrivning": "", "kalla": None, "handelsedatum": ""},
            {
                "enhet": "Detta fält måste fyllas i.",
                "beskrivning": "Detta fält måste fyllas i.",
                "kalla": "Detta fält måste fyllas i.",
            },
            id="tom",
        ),
        pytest.param(
            {"beskrivning": "x" * 10_001},
            {"beskrivning": "Säkerställ att detta värde har som mest 10000 tecken"},
            id="for-lang-text",
        ),
        pytest.param(
            {"handelsedatum": "igår", "enhet": "abc", "kalla": "vet_inte"},
            {
                "handelsedatum": "Fyll i ett giltigt datum.",
                "enhet": "Välj ett giltigt alternativ.",
                "kalla": "Välj ett giltigt alternativ. vet_inte finns inte bland",
            },
            id="fel-typer",
        ),
        pytest.param(
            {"enhet": "KOLL"},
            {"enhet": "Välj ett giltigt alternativ. Det valet finns inte bland"},
            id="annan-avdelnings-enhet",
        ),
        pytest.param(
            {"beskrivning": '<script>alert("x")</script> Beslutet skickades fel.'},
            {"beskrivning": "Texten får inte innehålla HTML-kod som <script> eller andra taggar."},
            id="skripttaggar",
        ),
        pytest.param(
            {"handelsedatum": FRAMTIDEN},
            {"handelsedatum": "Datumet kan inte ligga i framtiden."},
            id="framtida-datum",
        ),
        pytest.param(
            {"handelsedatum": "", "handelsedatum_ungefarligt": "on"},
            {
                "handelsedatum": "Skriv ett ungefärligt datum, eller lämna fältet tomt om du "
                "inte vet."
            },
            id="ungefarligt-utan-datum",
        ),
    ],
)
def test_ogiltig_rapport_visas_igen_med_felen_och_inget_sparas(andrat, fel, v, klient_for):
    if andrat.get("enhet") == "KOLL":
        andrat = {**andrat, "enhet": v.org["KOLL"].pk}
    fore = ogonblick()
    response = klient_for("medarbetare").post("/lexsarah/ny/", _rapport(v, **andrat))
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == set(fel), form.errors
    html = _html(response)
    for falt, text in fel.items():
        assert any(text in e for e in form.errors[falt]), (falt, form.errors[falt])
        assert escape(text) in html, text
    assert ogonblick() == fore
    assert not LexSarah.objects.exists()


def test_okant_datum_och_ungefarligt_datum_godtas(v, klient_for):
    klient = klient_for("medarbetare")
    assert klient.post("/lexsarah/ny/", _rapport(v, handelsedatum="")).status_code == 302
    dag = (timezone.localdate() - timedelta(days=30)).isoformat()
    svar = klient.post(
        "/lexsarah/ny/", _rapport(v, handelsedatum=dag, handelsedatum_ungefarligt="on")
    )
    assert svar.status_code == 302
    okant, ungefar = LexSarah.objects.order_by("pk")
    assert okant.handelsedatum is None
    assert ungefar.handelsedatum_ungefarligt and ungefar.handelsedatum.isoformat() == dag
    sida = _html(klient_for("enhetschef").get(ungefar.get_absolute_url()))
    assert f"omkring {dag}" in sida
    assert "Okänt datum" in _html(klient_for("enhetschef").get(okant.get_absolute_url()))


def test_text_med_specialtecken_sparas_som_den_skrevs_och_visas_escapat(v, klient_for):
    """Free text is plain text: characters that mean something in HTML are stored as
    typed and escaped on every page (markup itself is refused, above)."""
    text = "Beslutet \"3 < 5\" & 'fel' adress > gammal."
    response = klient_for("medarbetare").post("/lexsarah/ny/", _rapport(v, beskrivning=text))
    assert response.status_code == 302
    ls = LexSarah.objects.get()
    assert ls.beskrivning == text
    for persona in ("enhetschef", "medarbetare"):
        assert escape(text) in _html(klient_for(persona).get(ls.get_absolute_url()))


def test_skript_i_en_importerad_text_visas_escapat(v, klient_for):
    """A text that did not pass a form (an import) is escaped on the pages all the same."""
    ls = skapa(v)
    text = '<script>alert("x")</script> Beslutet <b>skickades</b> fel.'
    LexSarah.objects.filter(pk=ls.pk).update(beskrivning=text, bakgrund=text)
    for persona in ("enhetschef", "medarbetare"):
        html = _html(klient_for(persona).get(ls.get_absolute_url()))
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    lista = _html(klient_for("enhetschef").get("/lexsarah/"))
    assert "<script>alert" not in lista


# --- From an avvikelse: the förvaltningschef's position -----------------------------------


def _stallning(klient, avv, varde, kommentar=""):
    return klient.post(
        f"/avvikelser/{avv.nummer}/stallningstagande/",
        {
            "stallningstagande": varde,
            "mottagen": timezone.localdate().isoformat(),
            "kommentar": kommentar,
        },
    )


def _fran(avv):
    ct = ContentType.objects.get_for_model(Avvikelse)
    return LexSarah.objects.filter(kalla_typ=ct, kalla_id=avv.pk)


def _skapad_fran(ls, annat):
    return CaseLink.objects.filter(
        typ=CaseLink.Typ.SKAPAD_FRAN,
        fran_typ=ls.content_type,
        fran_id=ls.pk,
        till_typ=ContentType.objects.get_for_model(type(annat)),
        till_id=annat.pk,
    ).exists()


@pytest.mark.parametrize("varde", ["lex_sarah", "allvarligt"])
def test_stallningstagandet_oppnar_ett_lankat_lex_sarah_arende(
    varde, v, avvikelse, klient_for, django_capture_on_commit_callbacks
):
    Avvikelse.objects.filter(pk=avvikelse.pk).update(status="under_utredning")
    klient = klient_for("forvaltningschef")
    with django_capture_on_commit_callbacks(execute=True):
        response = _stallning(klient, avvikelse, varde)
    assert response.status_code == 302
    (ls,) = _fran(avvikelse)
    assert ls.vag == Vag.AVVIKELSE
    assert ls.enhet == avvikelse.enhet
    assert _skapad_fran(ls, avvikelse)
    # What happened and its consequences (they were lost).
    assert ls.beskrivning == (f"{avvikelse.beskrivning}\n\nKonsekvenser: {avvikelse.konsekvenser}")
    # The position is the förvaltningschef's decision to investigate: registered as
    # such, not asked for a second time; the avdelningschef is told to assign an utredare.
    fc = v.personas["forvaltningschef"]
    assert ls.status == Status.UNDER_UTREDNING
    assert ls.utredning_inledd == timezone.localdate()
    beslut = ls.timeline.get(typ=TimelineEntry.Typ.STATUS)
    assert (beslut.fran_status, beslut.till_status, beslut.anvandare) == (
        Status.RAPPORTERAD,
        Status.UNDER_UTREDNING,
        fc,
    )
    avvikelse.refresh_from_db()
    assert beslut.text == (
        f"Förvaltningschefens ställningstagande om {avvikelse.nummer}: "
        f"{avvikelse.get_fc_stallningstagande_display()}."
    )
    assert v.personas["avdelningschef"].email in set(
        Utskick.objects.filter(text__contains=ls.nummer).values_list("mottagare", flat=True)
    )
    sida = _html(klient.get(ls.get_absolute_url()))
    assert f'action="/lexsarah/{ls.nummer}/inled-utredning/"' not in sida
    # The enhetschef's immediate actions are still to be registered.
    sida = _html(klient_for("enhetschef").get(ls.get_absolute_url()))
    assert f'action="/lexsarah/{ls.nummer}/omedelbara-atgarder/"' in sida
    # The signal again (a retry, a second position): still the one case.
    with django_capture_on_commit_callbacks(execute=True):
        lex_sarah_aktuell.send(
            sender=Avvikelse, avvikelse_id=avvikelse.pk, av=v.personas["forvaltningschef"]
        )
        lex_sarah_aktuell.send(
            sender=Avvikelse, avvikelse_id=avvikelse.pk, av=v.personas["forvaltningschef"]
        )
    assert _fran(avvikelse).count() == 1
    assert LexSarah.objects.count() == 1
    # The avvikelse page links to it; no button to open another.
    sida = _html(klient.get(avvikelse.get_absolute_url()))
    assert ls.nummer in sida
    assert "Öppna lex Sarah-ärendet" not in sida
    # The reporter, who does not take part in the lex Sarah case, is not told its number:
    # not in the links card, and not in the timeline either (it named it).
    sida = _html(klient_for("medarbetare").get(avvikelse.get_absolute_url()))
    assert ls.nummer not in sida
    assert sida.count("Gav upphov till: ett ärende du inte har tillgång till") == 2


@pytest.mark.parametrize("varde", ["lex_sarah", "allvarligt"])
def test_stallningstagandet_kan_inte_andras_bort_fran_ett_oppnat_lex_sarah_arende(
    varde, v, avvikelse, klient_for, django_capture_on_commit_callbacks
):
    """The lex Sarah case a position opened is investigated whatever comes later: the
    förvaltningschef cannot take the position back (it left the case open, unexplained);
    between the two lex Sarah positions they may change, and a comment may be added."""
    klient = klient_for("forvaltningschef")
    with django_capture_on_commit_callbacks(execute=True):
        _stallning(klient, avvikelse, varde)
    (ls,) = _fran(avvikelse)
    fore = ogonblick()
    for annat in ("sarskilda_atgarder", "inte_allvarlig"):
        response = _stallning(klient, avvikelse, annat)
        assert response.status_code == 400
        assert escape(
            f"Ställningstagandet har redan öppnat lex Sarah-ärendet {ls.nummer}, och ett lex "
            "Sarah-ärende utreds alltid."
        ) in _html(response)
        assert ogonblick() == fore
    avvikelse.refresh_from_db()
    assert avvikelse.fc_stallningstagande == varde
    # The other lex Sarah position: noted in the case it opened (the utredare does not
    # see the avvikelse), which the message names.
    annan = {"lex_sarah": "allvarligt", "allvarligt": "lex_sarah"}[varde]
    with django_capture_on_commit_callbacks(execute=True):
        response = _stallning(klient, avvikelse, annan, kommentar="Allvarligare än vi trodde.")
    assert response.status_code == 302
    assert meddelanden(response) == [
        f"Ställningstagandet är registrerat. Avvikelsen utreds enligt lex Sarah i {ls.nummer}, "
        "där ställningstagandet är noterat."
    ]
    avvikelse.refresh_from_db()
    assert avvikelse.fc_stallningstagande == annan
    assert LexSarah.objects.count() == 1
    notering = ls.timeline.filter(typ=TimelineEntry.Typ.BESLUT).latest("pk")
    assert notering.text == (
        f"Förvaltningschefens ställningstagande om {avvikelse.nummer} ändrat: "
        f"{avvikelse.get_fc_stallningstagande_display()}. Allvarligare än vi trodde."
    )
    assert notering.anvandare == v.personas["forvaltningschef"]


def test_beskrivningen_fran_en_avvikelse_ryms_i_faltet(v, avvikelse):
    avvikelse.beskrivning = "x" * 10_000
    text = LexSarah.beskrivning_fran(avvikelse)
    assert len(text) == 10_000 and text.endswith("…")
    avvikelse.konsekvenser = ""
    assert LexSarah.beskrivning_fran(avvikelse) == "x" * 10_000


def test_andra_stallningstaganden_oppnar_inget(
    v, avvikelse, klient_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _stallning(klient_for("forvaltningschef"), avvikelse, "inte_allvarlig")
    assert not LexSarah.objects.exists()


def test_om_mottagaren_fallerar_oppnar_forvaltningschefen_arendet_fran_avvikelsen(
    v, avvikelse, klient_for, django_capture_on_commit_callbacks, monkeypatch
):
    """Should the receiver fail, the position stands; the avvikelse page offers the
    förvaltningschef (and no one else) the button that opens the case, once."""

    def fel(*args, **kwargs):
        raise RuntimeError("databasen svarar inte")

    monkeypatch.setattr(LexSarah, "fran_arende", classmethod(fel))
    klient = klient_for("forvaltningschef")
    with django_capture_on_commit_callbacks(execute=True):
        response = _stallning(klient, avvikelse, "lex_sarah")
    assert response.status_code == 302
    avvikelse.refresh_from_db()
    assert avvikelse.lex_sarah_aktuell
    assert not LexSarah.objects.exists()
    monkeypatch.undo()

    adress = f"/lexsarah/fran/{avvikelse.nummer}/"
    sida = _html(klient.get(avvikelse.get_absolute_url()))
    assert f'action="{adress}"' in sida
    assert "Öppna lex Sarah-ärendet" in sida
    assert "Öppna lex Sarah-ärendet" not in _html(
        klient_for("enhetschef").get(avvikelse.get_absolute_url())
    )
    assert klient_for("enhetschef").post(adress).status_code == 403
    assert not LexSarah.objects.exists()

    response = klient.post(adress)
    (ls,) = _fran(avvikelse)
    assert response.headers["Location"] == ls.get_absolute_url()
    assert _skapad_fran(ls, avvikelse)
    assert ls.vag == Vag.AVVIKELSE
    assert ls.status == Status.UNDER_UTREDNING  # the position was the decision
    # A second click (another tab) opens no second case: it leads to the first.
    response = klient.post(adress)
    assert response.status_code == 302
    assert response.headers["Location"] == ls.get_absolute_url()
    assert LexSarah.objects.count() == 1
    assert "Öppna lex Sarah-ärendet" not in _html(klient.get(avvikelse.get_absolute_url()))


# --- From a synpunkt or klagomål -------------------------------------------------------


@pytest.fixture
def klagomal(v):
    syn = SynpunktFactory(enhet=v.org["EB"])
    from synpunkter.models import Synpunkt

    Synpunkt.objects.filter(pk=syn.pk).update(status="registrerad")
    syn.refresh_from_db()
    return syn


def test_handlaggaren_rapporterar_fran_ett_klagomal_och_rapporten_lankas_dit(
    v, klagomal, klient_for
):
    klient = klient_for("enhetschef")
    adress = f"/lexsarah/ny/?fran={klagomal.nummer}"
    sida = _html(klient.get(klagomal.get_absolute_url()))
    assert "Rapportera enligt lex Sarah" in sida
    assert f'href="{escape(adress)}"' in sida
    # Whoever only reads the klagomål is not offered it.
    assert "Rapportera enligt lex Sarah" not in _html(
        klient_for("kvalitetssamordnare").get(klagomal.get_absolute_url())
    )

    formular = klient.get(adress)
    assert formular.status_code == 200
    assert "Rapporten skapas från" in _html(formular)
    assert formular.context["form"]["enhet"].value() == v.org["EB"].pk

    response = klient.post(adress, _rapport(v))
    assert response.status_code == 302
    ls = LexSarah.objects.get()
    assert ls.vag == Vag.SYNPUNKT
    assert _skapad_fran(ls, klagomal)
    # The klagomål's page shows the link.
    assert ls.nummer in _html(klient.get(klagomal.get_absolute_url()))


def test_en_andra_rapport_fran_samma_klagomal_blir_ett_eget_lankat_arende(v, klagomal, klient_for):
    """The record's own case is the first opened from it (`lexsarah_en_per_kalla`, what
    keeps the position's signal idempotent); a second rapport from the same klagomål –
    new information – is a case of its own, linked to the klagomål all the same."""
    klient = klient_for("enhetschef")
    adress = f"/lexsarah/ny/?fran={klagomal.nummer}"
    assert klient.post(adress, _rapport(v)).status_code == 302
    response = klient.post(adress, _rapport(v, beskrivning="Samma klagomål, ny uppgift."))
    assert response.status_code == 302
    ct = ContentType.objects.get_for_model(type(klagomal))
    forsta = LexSarah.objects.get(kalla_typ=ct, kalla_id=klagomal.pk)
    andra = LexSarah.objects.get(beskrivning="Samma klagomål, ny uppgift.")
    assert andra != forsta and andra.kalla_id is None
    assert response.headers["Location"] == andra.get_absolute_url()
    assert CaseLink.objects.filter(
        fran_typ=andra.content_type,
        fran_id=andra.pk,
        till_typ=ct,
        till_id=klagomal.pk,
        typ=CaseLink.Typ.SKAPAD_FRAN,
    ).exists()


def test_fran_ett_arende_man_inte_ser_blir_en_vanlig_rapport(v, klient_for):
    """`?fran=` with a number the user may not see is ignored, not revealed."""
    annan = SynpunktFactory(enhet=v.org["KOLL"])
    klient = klient_for("enhetschef")
    formular = klient.get(f"/lexsarah/ny/?fran={annan.nummer}")
    assert formular.status_code == 200
    assert "Rapporten skapas från" not in _html(formular)
    assert annan.get_absolute_url() not in _html(formular)
    klient.post(f"/lexsarah/ny/?fran={annan.nummer}", _rapport(v))
    ls = LexSarah.objects.get()
    assert ls.kalla_id is None and ls.vag == Vag.RAPPORT
    assert not CaseLink.objects.exists()


# --- Deadlines --------------------------------------------------------------------------


@contextmanager
def klocka(tid):
    """Within the block, `timezone.now()` (and with it `localdate`) is `tid`."""
    with mock.patch.object(timezone, "now", lambda: tid):
        yield


def lokal(*args):
    return timezone.make_aware(datetime(*args))


T0 = lokal(2026, 3, 2, 10, 0)
DAG0 = date(2026, 3, 2)


def _dagar(n):
    return DAG0 + timedelta(days=n)


def test_tidsfristen_ar_det_tidigaste_vantande_steget(v):
    """The case's deadline is the target of the earliest step still to be done, from the
    settings: immediate actions 1 day, the decision to investigate 7, the decision 60,
    the anmälan to IVO 14 days after the bedömning when the classification requires it,
    the follow-up 6 months after the decision when an action plan is required."""
    p = v.personas
    assert (
        settings.LEXSARAH_FRIST_OMEDELBARA_DAGAR,
        settings.LEXSARAH_FRIST_UTREDNINGSBESLUT_DAGAR,
        settings.LEXSARAH_FRIST_BESLUT_DAGAR,
        settings.LEXSARAH_FRIST_IVO_DAGAR,
        settings.LEXSARAH_UPPFOLJNING_MANADER,
    ) == (1, 7, 60, 14, 6)
    with klocka(T0):
        ls = LexSarah.rapportera(
            av=p["medarbetare"],
            enhet=v.org["EB"],
            rapporterad=T0,
            beskrivning=BESKRIVNING,
            kalla="egen",
        )
    assert ls.tidsfrist == _dagar(1)
    assert [f.namn for f in ls.frister()] == [
        "Omedelbara åtgärder",
        "Beslut om utredning",
        "Beslut",
    ]

    with klocka(T0 + timedelta(hours=3)):
        ls.registrera_omedelbara(
            av=p["enhetschef"],
            omedelbara_atgarder="Nytt beslut med bud.",
            stod_personal="",
            informerad="nej",
            ej_informerad_skal="Informeras i morgon.",
        )
    assert ls.tidsfrist == _dagar(7)

    with klocka(T0 + timedelta(days=2)):
        ls.inled_utredning(av=p["forvaltningschef"])
    assert ls.tidsfrist == _dagar(60)

    LexSarah.objects.filter(pk=ls.pk).update(handlaggare=p["utredare"])
    ls.refresh_from_db()
    with klocka(T0 + timedelta(days=10)):
        ls.bedom(
            av=p["utredare"],
            klassning=Klassning.ALLVARLIGT,
            risk_for_upprepning="liten",
            atgardsplan_kravs=True,
            bedomning="Allvarligt.",
        )
    # Notified to IVO 14 days after the bedömning, before the decision's 60 days.
    assert ls.tidsfrist == _dagar(10 + 14)
    assert "Anmälan till IVO" in [f.namn for f in ls.frister()]

    with klocka(T0 + timedelta(days=12)):
        ls.anmal_ivo(av=p["forvaltningschef"], ivo_anmald=_dagar(12))
    assert ls.tidsfrist == _dagar(60)

    # The decision needs the investigation and the tjänsteskrivelse: written directly.
    satt_status(
        ls,
        "till_beslut",
        utredning_inledd=_dagar(2),
        bakgrund="Bakgrund.",
        metod="Metod.",
        orsaker="Orsaker.",
        sammanfattning_namnd="Sammanfattning.",
        forslag_till_beslut="Förslag.",
        handelseforlopp=[{"datum": "2026-03-01", "text": "Hände."}],
    )
    AtgardFactory(arende=ls, ansvarig=p["enhetschef"])  # the action plan the bedömning asks
    with klocka(T0 + timedelta(days=40)):
        ls.besluta(
            av=p["forvaltningschef"],
            beslutsfattare="forvaltningschef",
            beslutad=_dagar(40),
            beslut_text="Åtgärdsplanen godkänns.",
            diarienummer="SOCN/2026:40",
        )
    ls.refresh_from_db()
    assert ls.uppfoljning_senast == date(2026, 10, 11)  # 2026-04-11 + 6 months
    assert ls.tidsfrist == date(2026, 10, 11)


def test_forsenade_steg_listas_och_visas(v, klient_for):
    p = v.personas
    with klocka(T0):
        ls = LexSarah.rapportera(
            av=p["medarbetare"],
            enhet=v.org["EB"],
            rapporterad=T0,
            beskrivning=BESKRIVNING,
            kalla="egen",
        )
    with klocka(T0 + timedelta(hours=2)):
        assert ls.forsenade() == []
    with klocka(T0 + timedelta(days=2)):
        assert [f.namn for f in ls.forsenade()] == ["Omedelbara åtgärder"]
        ls.registrera_omedelbara(
            av=p["enhetschef"],
            omedelbara_atgarder="Nytt beslut med bud.",
            stod_personal="",
            informerad="nej",
            ej_informerad_skal="Informeras i morgon.",
        )
        # Done late: no longer waiting, so not overdue.
        assert ls.forsenade() == []
        assert ls.frister()[0].forsenad and not ls.frister()[0].vantar
    with klocka(T0 + timedelta(days=8)):
        assert [f.namn for f in ls.forsenade()] == ["Beslut om utredning"]
        for persona in ("enhetschef", "forvaltningschef"):
            sida = _html(klient_for(persona).get(ls.get_absolute_url()))
            rad = sida.split("Beslut om utredning</td>", 1)[1].split("</tr>", 1)[0]
            assert "Försenad" in rad
            assert f"{_dagar(7):%Y-%m-%d}" in rad
        # The förvaltningschef's start page lists the case waiting for their decision.
        start = _html(klient_for("forvaltningschef").get("/"))
        assert ls.nummer in start
        rad = start.split(f">{ls.nummer}</a>", 1)[1].split("</tr>", 1)[0]
        assert "Besluta om utredning" in rad


# --- Similar events ---------------------------------------------------------------------


def test_liknande_handelser_foreslas_och_lankade_visas_i_utredningen(v, klient_for):
    """An earlier avvikelse of the same unit sharing words is suggested; one of another
    avdelning, or older than five years, is not. The ones the utredare links appear under
    "Tidigare utredningar/liknande händelser"."""
    ls = skapa(v, "under_utredning")
    ord_ = "Ett sekretessbelagt beslut skickades till en gammal adress i familjehemmet."
    tidigare = AvvikelseFactory(
        enhet=v.org["EB"],
        rapporterad=timezone.now() - timedelta(days=700),
        beskrivning=ord_,
    )
    annan_avdelning = AvvikelseFactory(
        enhet=v.org["KOLL"], rapporterad=timezone.now() - timedelta(days=30), beskrivning=ord_
    )
    for_gammal = AvvikelseFactory(
        enhet=v.org["EB"],
        rapporterad=ls.rapporterad - timedelta(days=365 * 5 + 10),
        beskrivning=ord_,
    )
    forslag = {f.arende.nummer: f for f in liknande.forslag(ls)}
    assert tidigare.nummer in forslag
    assert "samma enhet" in forslag[tidigare.nummer].skal
    assert any(s.startswith("ord: ") for s in forslag[tidigare.nummer].skal)
    assert annan_avdelning.nummer not in forslag
    assert for_gammal.nummer not in forslag
    assert ls.nummer not in forslag

    klient = klient_for("utredare")
    sida = _html(klient.get(ls.get_absolute_url()))
    assert "Förslag: liknande händelser de senaste fem åren" in sida
    assert tidigare.nummer in sida and annan_avdelning.nummer not in sida
    response = klient.post(f"/lexsarah/{ls.nummer}/liknande/", {"arenden": [tidigare.nummer]})
    assert response.status_code == 302
    assert ls.ar_lankad_till(tidigare)
    sida = _html(klient.get(ls.get_absolute_url()))
    avsnitt = sida.split("Tidigare utredningar/liknande händelser", 1)[1].split("</section>")[0]
    assert tidigare.nummer in avsnitt
    assert f"{timezone.localtime(tidigare.rapporterad):%Y-%m-%d}" in avsnitt
    # A number that was not suggested is refused.
    response = klient.post(
        f"/lexsarah/{ls.nummer}/liknande/", {"arenden": [annan_avdelning.nummer]}
    )
    assert response.status_code == 400
    assert not ls.ar_lankad_till(annan_avdelning)


# --- The decision and the closing ---------------------------------------------------------


def _beslut(**andrat):
    return {
        "beslutsfattare": "namnd",
        "beslutad": timezone.localdate().isoformat(),
        "beslut_text": "Nämnden godkänner utredningen.",
        "diarienummer": "SOCN/2026:31",
        "sammantradesdatum": "",
        "paragraf": "",
        "bekraftad": "ja",
        **andrat,
    }


def test_namndens_beslut_kraver_sammantradesdatum_och_paragraf(v, klient_for):
    ls = skapa(v, "till_beslut")
    klient = klient_for("forvaltningschef")
    response = klient.post(f"/lexsarah/{ls.nummer}/besluta/", _beslut())
    assert response.status_code == 400
    html = _html(response)
    assert "Ange nämndens sammanträdesdatum." in html
    assert "Ange paragrafen i nämndens protokoll." in html
    ls.refresh_from_db()
    assert ls.status == Status.TILL_BESLUT and ls.beslutad is None

    idag = timezone.localdate().isoformat()
    response = klient.post(
        f"/lexsarah/{ls.nummer}/besluta/", _beslut(sammantradesdatum=idag, paragraf="14")
    )
    assert response.status_code == 302
    ls.refresh_from_db()
    assert ls.status == Status.BESLUTAD
    assert (ls.beslutsfattare, ls.sammantradesdatum.isoformat(), ls.paragraf) == (
        "namnd",
        idag,
        "14",
    )
    assert ls.diarienummer == "SOCN/2026:31"
    sida = _html(klient.get(ls.get_absolute_url()))
    assert f"sammanträde {idag} § 14" in sida


def test_forvaltningschefens_beslut_sparar_inget_sammantrade(v, klient_for):
    ls = skapa(v, "till_beslut")
    idag = timezone.localdate().isoformat()
    response = klient_for("forvaltningschef").post(
        f"/lexsarah/{ls.nummer}/besluta/",
        _beslut(beslutsfattare="forvaltningschef", sammantradesdatum=idag, paragraf="14"),
    )
    assert response.status_code == 302
    ls.refresh_from_db()
    assert (ls.sammantradesdatum, ls.paragraf) == (None, "")


@pytest.mark.parametrize(
    ("falt", "meddelande"),
    [
        pytest.param(
            {"ivo_beslut": None, "ivo_utfall": ""},
            "Registrera IVO:s beslut innan ärendet avslutas.",
            id="ivo-har-inte-beslutat",
        ),
        pytest.param(
            {"atgardsplan_kravs": True, "uppfoljd": None},
            "Följ upp åtgärdsplanen innan ärendet avslutas.",
            id="atgardsplanen-inte-uppfoljd",
        ),
        pytest.param(
            {"klassning": Klassning.ALLVARLIGT, "ivo_anmald": None, "ivo_beslut": None},
            "Klassningen kräver en anmälan till IVO: registrera den först.",
            id="inte-anmald",
        ),
    ],
)
def test_avslut_kraver_ivos_beslut_och_uppfoljningen(falt, meddelande, v, klient_for):
    ls = skapa(v, "beslutad", **falt)
    klient = klient_for("enhetschef")
    sida = _html(klient.get(ls.get_absolute_url()))
    assert escape(meddelande) in sida  # shown before it is tried
    fore = ogonblick()
    for data in ({"aterkoppling": "Tack."}, {"aterkoppling": "Tack.", "bekraftad": "ja"}):
        response = klient.post(f"/lexsarah/{ls.nummer}/avsluta/", data)
        assert response.status_code == 400
        assert escape(meddelande) in _html(response)
    assert ogonblick() == fore
    ls.refresh_from_db()
    assert ls.status == Status.BESLUTAD


def test_avslut_nar_allt_ar_klart_meddelar_rapportoren(
    v, klient_for, django_capture_on_commit_callbacks
):
    ls = skapa(v, "beslutad", atgardsplan_kravs=True, uppfoljd=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        response = klient_for("enhetschef").post(
            f"/lexsarah/{ls.nummer}/avsluta/", {"aterkoppling": "Tack!", "bekraftad": "ja"}
        )
    assert response.status_code == 302
    ls.refresh_from_db()
    assert ls.status == Status.AVSLUTAD and ls.avslutad is not None
    assert list(Utskick.objects.values_list("mottagare", flat=True)) == [
        v.personas["medarbetare"].email
    ]
    sida = _html(klient_for("medarbetare").get(ls.get_absolute_url()))
    assert "Tack!" in sida


def test_bedomning_som_kraver_anmalan_sager_till_forvaltningschefen(v, klient_for):
    ls = skapa(v, "under_utredning", ivo_anmald=None, ivo_beslut=None, ivo_utfall="")
    response = klient_for("utredare").post(
        f"/lexsarah/{ls.nummer}/bedomning/",
        {
            "klassning": Klassning.PATAGLIG_RISK_ALLVARLIGT,
            "risk_for_upprepning": "stor",
            "atgardsplan_kravs": "True",
            "bedomning": "Påtaglig risk för ett allvarligt missförhållande.",
        },
    )
    assert response.status_code == 302
    assert any("ska anmälas till IVO snarast" in m for m in meddelanden(response))
    assert list(Utskick.objects.values_list("mottagare", flat=True)) == [
        v.personas["forvaltningschef"].email
    ]
    ls.refresh_from_db()
    assert ls.anmalan_kravs and ls.bedomd == timezone.localdate()
    # It waits for the förvaltningschef until notified.
    assert LexSarah.objects.vantar_pa(v.personas["forvaltningschef"]).filter(pk=ls.pk).exists()


# --- What the steps require -------------------------------------------------------------


def test_ivos_steg_kraver_en_anmalan(v, klient_for):
    ls = skapa(v, ivo_anmald=None, ivo_beslut=None, ivo_utfall="")
    klient = klient_for("forvaltningschef")
    for slug, data in (
        ("ivo-fraga", {"fraga_datum": timezone.localdate().isoformat(), "fraga": "Rutinen?"}),
        ("ivo-beslut", {"ivo_beslut": timezone.localdate().isoformat(), "ivo_utfall": "kritik"}),
    ):
        response = klient.post(f"/lexsarah/{ls.nummer}/{slug}/", data)
        assert response.status_code == 403, slug
        assert "Registrera anmälan till IVO först." in _html(response)
    sida = _html(klient.get(ls.get_absolute_url()))
    assert 'action="/lexsarah/' + ls.nummer + '/ivo-fraga/"' not in sida
    assert f'action="/lexsarah/{ls.nummer}/anmalan-ivo/"' in sida


def test_anmalan_kan_inte_ligga_fore_rapporten(v, klient_for):
    ls = skapa(v, ivo_anmald=None)
    dag = (ls.rapportdag - timedelta(days=1)).isoformat()
    response = klient_for("forvaltningschef").post(
        f"/lexsarah/{ls.nummer}/anmalan-ivo/", {"ivo_anmald": dag}
    )
    assert response.status_code == 400
    assert "Anmälan kan inte ha skickats innan rapporten kom in." in _html(response)
    ls.refresh_from_db()
    assert ls.ivo_anmald is None


def test_forslaget_kraver_utredningen(v, klient_for):
    ls = skapa(v, "under_utredning", handelseforlopp=[], klassning="", forslag_till_beslut="")
    klient = klient_for("avdelningschef")
    sida = _html(klient.get(ls.get_absolute_url()))
    for text in (
        "Skriv händelseförloppet i utredningen.",
        "Gör bedömningen: klassning, risk för upprepning och åtgärdsplan.",
        "Skriv tjänsteskrivelsens sammanfattning och förslag till beslut.",
    ):
        assert escape(text) in sida
    response = klient.post(f"/lexsarah/{ls.nummer}/lamna-forslag/", {"bekraftad": "ja"})
    assert response.status_code == 302
    assert "Skriv händelseförloppet i utredningen." in meddelanden(response)
    ls.refresh_from_db()
    assert ls.status == Status.UNDER_UTREDNING


def test_att_gora_ar_det_arendet_vantar_pa(v):
    """The start page's "Att göra" is what the case waits for from each one, not every
    step they could take: the immediate actions until registered, the utredare until
    appointed, then the investigation's parts until written; the summary for the
    kvalitetsberättelse until written and approved."""
    p = v.personas

    def att_gora(ls, persona):
        ls.refresh_from_db()
        return [str(s.label) for s in next_steps(p[persona], ls)]

    ls = skapa(v, "rapporterad", omedelbara_atgarder="", omedelbara_datum=None)
    assert att_gora(ls, "enhetschef") == ["Registrera omedelbara åtgärder"]
    LexSarah.objects.filter(pk=ls.pk).update(omedelbara_datum=timezone.localdate())
    assert att_gora(ls, "enhetschef") == []
    assert att_gora(ls, "forvaltningschef") == ["Besluta om utredning"]

    satt_status(ls, "under_utredning", handlaggare=None, klassning="", bakgrund="")
    assert att_gora(ls, "avdelningschef") == ["Utse utredare"]
    LexSarah.objects.filter(pk=ls.pk).update(handlaggare=p["utredare"])
    assert att_gora(ls, "utredare") == ["Spara utredningen", "Gör bedömningen"]
    LexSarah.objects.filter(pk=ls.pk).update(bakgrund="Ungdomen är placerad.")
    assert att_gora(ls, "utredare") == ["Gör bedömningen"]
    LexSarah.objects.filter(pk=ls.pk).update(klassning=Klassning.MISSFORHALLANDE)
    # All written: the proposal, which is the avdelningschef's.
    assert att_gora(ls, "utredare") == []
    assert att_gora(ls, "avdelningschef") == ["Lämna förslag till beslut"]

    satt_status(ls, "beslutad", anonym_sammanfattning="")
    assert "Skriv sammanfattning för kvalitetsberättelsen" in att_gora(ls, "utredare")
    LexSarah.objects.filter(pk=ls.pk).update(anonym_sammanfattning="En ungdom fick fel brev.")
    assert "Skriv sammanfattning för kvalitetsberättelsen" not in att_gora(ls, "utredare")
    assert "Godkänn sammanfattningen" in att_gora(ls, "forvaltningschef")
    LexSarah.objects.filter(pk=ls.pk).update(anonym_godkand=timezone.localdate())
    assert "Godkänn sammanfattningen" not in att_gora(ls, "forvaltningschef")


def test_utse_utredare_talar_om_utredaren(v, klient_for):
    """The lex Sarah case's handler is its utredare: the form, the message and the
    timeline say so (they said "handläggare", "handläggs nu av")."""
    ls = skapa(v, "under_utredning", handlaggare=None)
    klient = klient_for("avdelningschef")
    sida = _html(klient.get(ls.get_absolute_url()))
    assert ">Välj utredare</option>" in sida
    # What the case waits for comes first, before the proposal it cannot yet take.
    steg = sida.split('aria-label="Hantera ärendet"', 1)[1]
    assert steg.index(f"/lexsarah/{ls.nummer}/tilldela/") < steg.index(
        f"/lexsarah/{ls.nummer}/lamna-forslag/"
    )
    assert "Den du väljer får ett e-postmeddelande och blir ärendets utredare." in sida
    utredare = v.personas["utredare"]
    response = klient.post(f"/lexsarah/{ls.nummer}/tilldela/", {"handlaggare": utredare.pk})
    assert meddelanden(response)[-1] == f"{utredare} är nu utredare för {ls.nummer}."
    assert ls.timeline.filter(typ="andring").latest("pk").text == f"Utredare: ingen → {utredare}"


def test_en_kravd_atgardsplan_ska_finnas_innan_forslaget(v, klient_for):
    """A bedömning that requires an action plan: the proposal waits for the planned
    actions (owner and date), so the decision never approves an empty plan."""
    ls = skapa(v, "under_utredning", atgardsplan_kravs=True)
    klient = klient_for("avdelningschef")
    krav = "Bedömningen kräver en åtgärdsplan: lägg till de planerade åtgärderna"
    assert krav in _html(klient.get(ls.get_absolute_url()))
    response = klient.post(f"/lexsarah/{ls.nummer}/lamna-forslag/", {"bekraftad": "ja"})
    assert any(m.startswith(krav) for m in meddelanden(response))
    ls.refresh_from_db()
    assert ls.status == Status.UNDER_UTREDNING
    AtgardFactory(arende=ls, ansvarig=v.personas["enhetschef"])
    klient.post(f"/lexsarah/{ls.nummer}/lamna-forslag/", {"bekraftad": "ja"})
    ls.refresh_from_db()
    assert ls.status == Status.TILL_BESLUT


def test_komplettering_kraver_vad_som_saknas_och_sager_till_utredaren(v, klient_for):
    ls = skapa(v, "till_beslut")
    klient = klient_for("forvaltningschef")
    response = klient.post(f"/lexsarah/{ls.nummer}/komplettering/", {"kommentar": "  "})
    assert response.status_code == 400
    ls.refresh_from_db()
    assert ls.status == Status.TILL_BESLUT
    response = klient.post(
        f"/lexsarah/{ls.nummer}/komplettering/", {"kommentar": "Beskriv metoden."}
    )
    assert response.status_code == 302
    ls.refresh_from_db()
    assert ls.status == Status.UNDER_UTREDNING and ls.utredning_klar is None
    assert list(Utskick.objects.values_list("mottagare", flat=True)) == [
        v.personas["utredare"].email
    ]


def test_andrad_sammanfattning_ska_godkannas_igen(v, klient_for):
    ls = skapa(v, "beslutad")
    fc = klient_for("forvaltningschef")
    assert (
        fc.post(f"/lexsarah/{ls.nummer}/godkann-sammanfattning/", {"bekraftad": "ja"}).status_code
        == 302
    )
    ls.refresh_from_db()
    assert ls.anonym_godkand == timezone.localdate()
    assert ls.anonym_godkand_av == v.personas["forvaltningschef"]
    klient_for("enhetschef").post(
        f"/lexsarah/{ls.nummer}/sammanfattning/",
        {"anonym_sammanfattning": "En ny, anonymiserad text."},
    )
    ls.refresh_from_db()
    assert ls.anonym_godkand is None and ls.anonym_godkand_av is None
    # Without a summary there is nothing to approve.
    LexSarah.objects.filter(pk=ls.pk).update(anonym_sammanfattning="")
    response = fc.post(f"/lexsarah/{ls.nummer}/godkann-sammanfattning/", {"bekraftad": "ja"})
    assert response.status_code == 403
    assert "Det finns ingen sammanfattning att godkänna." in _html(response)


def test_startsidan_sager_vad_som_vantar_och_kostar_lika_mycket_med_fler_arenden(v, klient_for):
    """While the action plan a bedömning requires is missing, "Att göra" names the
    investigation's steps, not the proposal that would be refused; whether a case has its
    plan is read with the list, so 30 cases cost what 3 do."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    klient = klient_for("avdelningschef")

    def fyll(antal):
        for _ in range(antal):
            skapa(v, "under_utredning", atgardsplan_kravs=True)

    fyll(3)
    klient.get("/")  # caches (content types, the session) filled once
    with CaptureQueriesContext(connection) as tre:
        sida = _html(klient.get("/"))
    rad = sida[sida.index(LexSarah.objects.first().nummer) :]
    rad = rad[: rad.index("</tr>")]
    assert "Lämna förslag till beslut" not in rad
    assert "Spara utredningen" in rad
    fyll(27)
    with CaptureQueriesContext(connection) as trettio:
        klient.get("/")
    assert len(trettio.captured_queries) == len(tre.captured_queries)


def test_beslutet_vantar_pa_reglerna_dokumenten_hanvisar_till(v, klient_for):
    """The decided documents are frozen: a missing rule's marker ("[[Regel saknas: …]]")
    would stay in them, so the decision waits until the rule is in the table."""
    from kvalitet.models import Regel
    from kvalitet.regler import se_till_standardregler

    ls = skapa(v, "till_beslut")
    Regel.objects.filter(nyckel="sosfs-2011-5-lex-sarah").delete()
    klient = klient_for("forvaltningschef")
    krav = "Lägg till regeln sosfs-2011-5-lex-sarah"
    assert krav in _html(klient.get(ls.get_absolute_url()))
    data = {
        "beslutsfattare": "forvaltningschef",
        "beslutad": timezone.localdate().isoformat(),
        "beslut_text": "Beslut.",
        "diarienummer": "SOCN/2026:9",
        "bekraftad": "ja",
    }
    response = klient.post(f"/lexsarah/{ls.nummer}/besluta/", data)
    assert response.status_code == 400 and krav in _html(response)
    ls.refresh_from_db()
    assert ls.status == Status.TILL_BESLUT
    se_till_standardregler()
    klient.post(f"/lexsarah/{ls.nummer}/besluta/", data)
    ls.refresh_from_db()
    assert ls.status == Status.BESLUTAD


@pytest.mark.parametrize(
    ("datum", "vantat", "inte"),
    [
        # A date in the future has its own message, not also "say when".
        (lambda ls: timezone.localdate() + timedelta(days=3), "Datumet kan inte ligga i framtiden.",
         "Ange när den enskilde informerades."),
        # Not before the event, when its date is known.
        (lambda ls: ls.handelsedatum - timedelta(days=1),
         "Den enskilde kan inte ha informerats före händelsen", None),
    ],
)  # fmt: skip
def test_omedelbara_atgarder_nekar_fel_datum_for_informationen(datum, vantat, inte, v, klient_for):
    ls = skapa(v)
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        f"/lexsarah/{ls.nummer}/omedelbara-atgarder/",
        {
            "omedelbara_atgarder": "Nytt beslut med bud.",
            "stod_personal": "",
            "informerad": "ja",
            "informerad_datum": datum(ls).isoformat(),
            "informerad_hur": "Samtal",
        },
    )
    assert response.status_code == 400
    html = _html(response)
    assert vantat in html
    if inte:
        assert inte not in html
    assert ogonblick() == fore


def test_informationen_samma_dag_som_ett_ungefarligt_datum_godtas(v, klient_for):
    """An approximate event date is no bound: the client may be told before it."""
    ls = skapa(v)
    LexSarah.objects.filter(pk=ls.pk).update(handelsedatum_ungefarligt=True)
    response = klient_for("enhetschef").post(
        f"/lexsarah/{ls.nummer}/omedelbara-atgarder/",
        {
            "omedelbara_atgarder": "Nytt beslut med bud.",
            "stod_personal": "",
            "informerad": "ja",
            "informerad_datum": (ls.handelsedatum - timedelta(days=1)).isoformat(),
            "informerad_hur": "Samtal",
        },
    )
    assert response.status_code == 302, _html(response)[-2000:]


def test_rapportformularet_har_inga_streck_som_val(v, klient_for):
    html = _html(klient_for("avdelningschef").get("/lexsarah/ny/"))
    assert "---------" not in html
    assert "Välj enhet" in html


def test_rapportorens_sida_visar_bara_egna_atgarder(v, klient_for):
    """The reporter sees the case's status and their own actions; another's action is
    not theirs to see, and no empty "Dina åtgärder" is shown for it."""
    ls = skapa(v)
    annans = AtgardFactory(arende=ls, ansvarig=v.personas["enhetschef"], titel="Chefens åtgärd")
    html = _html(klient_for("medarbetare").get(ls.get_absolute_url()))
    assert "Dina åtgärder" not in html and annans.titel not in html
    egen = AtgardFactory(arende=ls, ansvarig=v.personas["medarbetare"], titel="Min åtgärd")
    html = _html(klient_for("medarbetare").get(ls.get_absolute_url()))
    assert "Dina åtgärder" in html and egen.titel in html and annans.titel not in html
