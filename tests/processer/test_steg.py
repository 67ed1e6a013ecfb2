"""The steps of a process on the shared workflow engine: each writes its timeline entry
and its change history (the process's, and the key figure's or value's own), a step
whose input changes nothing writes nothing and says so, a year's target and result is
one row changed in place, and a step on another process's key figure or by someone who
may not is refused without a change."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from processer.choices import Riktning, Status
from processer.models import Nyckeltal, Nyckeltalsvarde, Process, Processhandelse, siffra
from tests.processer.hjalp import nyckeltal, process
from tests.stod import meddelanden, ogonblick

pytestmark = pytest.mark.django_db

AR = timezone.localdate().year


@pytest.fixture
def p(org, personas):
    return process(org["EB"], namn="Ekonomiskt bistånd", handlaggare=personas["medarbetare"])


@pytest.fixture
def n(p):
    return nyckeltal(p, "Dagar till beslut", matt="dagar", riktning=Riktning.LAGRE)


def senaste(p):
    return p.timeline.order_by("-pk").first()


def test_varje_steg_skriver_handelse_och_historik(p, personas):
    """The owner takes every step on the model; each leaves its timeline entry (text,
    actor, status change) and one change of the process's history with the step's
    label."""
    agare = personas["medarbetare"]
    steg = [
        (
            lambda: p.andra(
                av=agare,
                namn="Ekonomiskt bistånd till hushåll",
                typ=p.typ,
                syfte=p.syfte,
                mal=p.mal,
                handlaggare=agare,
                processledare=None,
            ),
            "Ändra processen",
            "Ändrat: process",
        ),
        (
            lambda: p.nytt_nyckeltal(
                av=agare,
                namn="Dagar till beslut",
                definition="Medianen av kalenderdagar.",
                matt="dagar",
                riktning=Riktning.LAGRE,
            ),
            "Lägg till nyckeltal",
            "Nytt nyckeltal: Dagar till beslut",
        ),
        (
            lambda: p.andra_nyckeltal(
                av=agare,
                nyckeltal=p.nyckeltal.get(),
                namn="Dagar från ansökan till beslut",
                definition="Medianen av kalenderdagar.",
                matt="dagar",
                riktning=Riktning.LAGRE,
                aktivt=True,
            ),
            "Ändra nyckeltal",
            "Dagar från ansökan till beslut: Ändrat: nyckeltal",
        ),
        (
            lambda: p.registrera_varde(
                av=agare, nyckeltal=p.nyckeltal.get(), ar=AR - 1, malvarde=Decimal(10)
            ),
            "Registrera mål och utfall",
            f"Dagar från ansökan till beslut {AR - 1}: mål ≤ 10 dagar, utfall ej mätt",
        ),
        (
            lambda: p.registrera_handelse(
                av=agare, datum=date(2026, 1, 15), typ="publicerad", dokument="Rutin"
            ),
            "Registrera kartläggning, revidering eller publicering",
            "Publicerad 2026-01-15: Rutin",
        ),
        (
            lambda: p.avveckla(av=agare, datum=timezone.localdate(), kommentar="Sammanslagen"),
            "Avveckla processen",
            "Sammanslagen",
        ),
        (lambda: p.ateruppta(av=agare), "Ta processen i bruk igen", ""),
    ]
    for gora, etikett, text in steg:
        fore = p.history.count()
        gora()
        assert p.history.count() == fore + 1, etikett
        historik = p.history.order_by("-history_id").first()
        assert historik.history_change_reason == etikett
        h = senaste(p)
        assert (h.text, h.anvandare) == (text, agare), etikett
    statusar = list(p.timeline.filter(typ="status").values_list("fran_status", "till_status"))
    assert statusar == [(Status.AKTIV, Status.AVVECKLAD), (Status.AVVECKLAD, Status.AKTIV)]
    assert list(p.timeline.values_list("typ", flat=True).order_by("pk")) == [
        "andring", "andring", "andring", "andring", "andring", "status", "status",
    ]  # fmt: skip
    p.refresh_from_db()
    assert (p.status, p.avvecklad, p.avvecklad_skal) == (Status.AKTIV, None, "")
    # The key figure and the value keep their own history.
    assert Nyckeltal.history.count() == 2
    assert Nyckeltalsvarde.history.count() == 1


@pytest.mark.parametrize(
    ("varde", "matt", "text"),
    [
        (Decimal(1), "dagar", "1 dag"),
        (Decimal("1.00"), "Dagar", "1 Dag"),
        (Decimal(1), "kalenderdagar", "1 kalenderdag"),
        (Decimal(1), "veckor", "1 vecka"),
        (Decimal(1), "månader", "1 månad"),
        (Decimal("1.5"), "dagar", "1,5 dagar"),
        (Decimal(0), "dagar", "0 dagar"),
        (Decimal(2), "dagar", "2 dagar"),
        (Decimal(1), "%", "1 %"),
        (Decimal(1), "st", "1 st"),
        (Decimal(1), "", "1"),
        (None, "dagar", "–"),
    ],
)
def test_en_enhet_skrivs_i_ental_for_exakt_ett(varde, matt, text):
    """ "≤ 1 dag", not "≤ 1 dagar": the common plural units read in the singular for
    exactly one; any other number, and a unit not known, as written."""
    assert siffra(varde, matt) == text


def test_ett_ars_varde_andras_pa_sin_rad_och_samma_uppgifter_andrar_inget(p, n, personas):
    agare = personas["medarbetare"]
    text = p.registrera_varde(av=agare, nyckeltal=n, ar=AR - 1, malvarde=Decimal(10))
    assert text.endswith("utfall ej mätt")
    # The result, recorded later, changes the year's row rather than adding one.
    text = p.registrera_varde(
        av=agare, nyckeltal=n, ar=AR - 1, malvarde=Decimal(10), utfall=Decimal("8.5")
    )
    assert text == f"Dagar till beslut {AR - 1}: mål ≤ 10 dagar, utfall 8,5 dagar"
    rad = Nyckeltalsvarde.objects.get()
    assert (rad.ar, rad.malvarde, rad.utfall, rad.registrerad_av) == (
        AR - 1, Decimal(10), Decimal("8.5"), agare,
    )  # fmt: skip
    assert rad.uppnatt is True
    assert rad.history.count() == 2
    # The same values again (as the form cleans them): nothing saved, nothing logged.
    fore = ogonblick()
    assert (
        p.registrera_varde(
            av=agare, nyckeltal=n, ar=AR - 1, malvarde=Decimal("10.00"), utfall=Decimal("8.50")
        )
        is None
    )
    assert ogonblick() == fore


def test_samma_varde_i_vyn_sager_att_inget_andrades(p, n, klient_for):
    klient = klient_for("medarbetare")
    data = {"nyckeltal": n.pk, "ar": AR - 1, "malvarde": "10", "utfall": "12", "kommentar": ""}
    svar = klient.post(f"/processer/{p.nummer}/varde/", data)
    assert meddelanden(svar) == [
        f"{p}: Dagar till beslut {AR - 1}: mål ≤ 10 dagar, utfall 12 dagar."
    ]
    klient.get(svar.headers["Location"])  # the message shown
    fore = ogonblick()
    svar = klient.post(f"/processer/{p.nummer}/varde/", {**data, "malvarde": "10.00"})
    assert svar.status_code == 302
    assert meddelanden(svar) == ["Inget ändrades: uppgifterna var desamma som förut."]
    assert ogonblick() == fore
    assert Nyckeltalsvarde.objects.get().uppnatt is False


def test_oforandrad_process_eller_nyckeltal_andrar_inget(p, n, personas):
    agare = personas["medarbetare"]
    fore = ogonblick()
    assert (
        p.andra(
            av=agare,
            namn=p.namn,
            typ=p.typ,
            syfte=p.syfte,
            mal=p.mal,
            handlaggare=agare,
            processledare=None,
        )
        is None
    )
    assert (
        p.andra_nyckeltal(
            av=agare,
            nyckeltal=n,
            namn=n.namn,
            definition=n.definition,
            matt=n.matt,
            riktning=n.riktning,
            aktivt=True,
        )
        is None
    )
    assert ogonblick() == fore


def test_en_annan_process_nyckeltal_nekas_pa_modellen(p, n, org, personas):
    """The forms offer only the process's own key figures; the steps refuse another's
    too, whoever calls them."""
    annan = process(org["KOLL"], namn="Vård på HVB")
    dess = nyckeltal(annan, "Andel med genomförandeplan")
    ks = personas["kvalitetssamordnare"]
    fore = ogonblick()
    with pytest.raises(ValidationError) as fel:
        p.registrera_varde(av=ks, nyckeltal=dess, ar=AR, malvarde=Decimal(90))
    assert fel.value.message_dict == {"nyckeltal": ["Nyckeltalet hör inte till processen."]}
    with pytest.raises(ValidationError):
        p.andra_nyckeltal(
            av=ks,
            nyckeltal=dess,
            namn="Annat",
            definition="x",
            matt="%",
            riktning="hogre",
            aktivt=True,
        )
    assert ogonblick() == fore


@pytest.mark.parametrize("persona", ["medarbetare_annan", "utredare", "registrator"])
def test_den_som_inte_far_arbeta_med_processen_nekas_pa_modellen(p, n, personas, persona):
    fore = ogonblick()
    with pytest.raises(PermissionDenied):
        p.registrera_varde(av=personas[persona], nyckeltal=n, ar=AR, malvarde=Decimal(9))
    with pytest.raises(PermissionDenied):
        p.avveckla(av=personas[persona], datum=timezone.localdate(), kommentar="Nej")
    assert ogonblick() == fore


def test_modellens_regler_galler_ocksa_utan_formular(p, n, personas):
    """Dates ahead, a result for a year not begun, a year too far ahead and a percentage
    outside 0–100 are refused by the model itself (an import or the API meets them
    there)."""
    agare = personas["medarbetare"]
    andel = nyckeltal(p, "Andel beslut i tid")
    imorgon = timezone.localdate() + timedelta(days=1)
    fore = ogonblick()
    fall = [
        (lambda: p.registrera_handelse(av=agare, datum=imorgon, typ="kartlagd"), "datum"),
        (lambda: p.avveckla(av=agare, datum=imorgon, kommentar="x"), "datum"),
        (lambda: p.avveckla(av=agare, datum=date(2023, 12, 31), kommentar="x"), "datum"),
        (lambda: p.registrera_varde(av=agare, nyckeltal=n, ar=AR + 2, malvarde=1), "ar"),
        (
            lambda: p.registrera_varde(
                av=agare, nyckeltal=n, ar=AR + 1, malvarde=1, utfall=Decimal(1)
            ),
            "utfall",
        ),
        (
            lambda: p.registrera_varde(
                av=agare, nyckeltal=andel, ar=AR, malvarde=Decimal("100.01")
            ),
            "malvarde",
        ),
        (
            lambda: p.nytt_nyckeltal(
                av=agare, namn="Dagar till beslut", definition="x", matt="dagar", riktning="lagre"
            ),
            "namn",
        ),
    ]
    for gora, falt in fall:
        with pytest.raises(ValidationError) as fel:
            gora()
        assert falt in fel.value.message_dict, fel.value
    assert ogonblick() == fore
    assert Process.objects.get(pk=p.pk).status == Status.AKTIV
    assert not Processhandelse.objects.exists()


def test_nyckeltalets_namn_ar_unikt_utan_hansyn_till_versaler(p, n):
    """The database holds the rule too (a functional unique constraint), so the import and
    the API cannot add "dagar till beslut" beside "Dagar till beslut"; the model names the
    field in its message."""
    dubblett = Nyckeltal(process=p, namn="DAGAR TILL BESLUT", definition="x", matt="dagar",
                         riktning=Riktning.LAGRE)  # fmt: skip
    with pytest.raises(ValidationError) as fel:
        dubblett.full_clean()
    assert fel.value.message_dict == {"namn": ["Processen har redan ett nyckeltal med det namnet."]}
    annan = process(p.enhet, namn="Annan process")
    Nyckeltal(process=annan, namn="dagar till beslut", definition="x", matt="dagar",
              riktning=Riktning.LAGRE).full_clean()  # fmt: skip


def test_en_avvecklad_process_far_utfallet_for_aret_den_avvecklades(p, n, personas):
    """A process discontinued this year is still in this year's report: its results are
    recorded after the year, on the discontinued process; not for a later year."""
    ks = personas["kvalitetssamordnare"]
    p.registrera_varde(av=ks, nyckeltal=n, ar=AR, malvarde=Decimal(10))
    p.avveckla(av=ks, datum=timezone.localdate(), kommentar="Ingår i en annan process")
    p.refresh_from_db()
    assert p.status == Status.AVVECKLAD
    p.registrera_varde(av=ks, nyckeltal=n, ar=AR, utfall=Decimal(9))
    assert Nyckeltalsvarde.objects.get(nyckeltal=n, ar=AR).utfall == Decimal(9)
    fore = ogonblick()
    with pytest.raises(ValidationError) as fel:
        p.registrera_varde(av=ks, nyckeltal=n, ar=AR + 1, malvarde=Decimal(8))
    assert list(fel.value.message_dict) == ["ar"]
    assert ogonblick() == fore


def test_en_handelse_fore_inrattandet_nekas(p, personas):
    fore = ogonblick()
    with pytest.raises(ValidationError) as fel:
        p.registrera_handelse(
            av=personas["kvalitetssamordnare"], datum=p.inrattad - timedelta(days=1),
            typ="reviderad",
        )  # fmt: skip
    assert list(fel.value.message_dict) == ["datum"]
    assert ogonblick() == fore


def test_utan_nyckeltal_gar_det_inte_att_registrera_mal(org, personas):
    """The step says what it needs instead of offering an empty choice."""
    tom = process(org["EB"], namn="Ny process")
    fore = ogonblick()
    with pytest.raises(ValidationError) as fel:
        tom.registrera_varde(
            av=personas["kvalitetssamordnare"], nyckeltal=None, ar=AR, malvarde=Decimal(1)
        )
    assert fel.value.messages == ["Lägg till ett nyckeltal först."]
    assert ogonblick() == fore
