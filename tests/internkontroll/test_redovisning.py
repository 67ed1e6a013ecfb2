"""The internkontrollredovisning's roll-up (internkontroll/redovisning.py) against
fixtures counted by hand, and the decided redovisning frozen: its page and its PDF
(archived once, with its SHA-256) do not change when a result changes afterwards."""

import hashlib
import io
from datetime import date

import pypdf
import pytest
from django.urls import reverse

from internkontroll.choices import Bedomning, Periodicitet, Tillfallestatus
from internkontroll.models import Internkontrollredovisning, Kontrolltillfalle
from internkontroll.redovisning import innehall, samlad
from kvalitet.models import Atgard, Beslutsstatus
from tests.factories import AtgardFactory
from tests.internkontroll.hjalp import kontroll, plan, tillfalle
from tests.stod import hamta_html

pytestmark = pytest.mark.django_db

K, V = Tillfallestatus.KLAR, Tillfallestatus.VANTAR
UA, MB, VB = Bedomning.UTAN_ANMARKNING, Bedomning.MINDRE_BRISTER, Bedomning.VASENTLIGA_BRISTER


def _tillfalle(k, nr, forfaller, status=V, bedomning="", kommentar=""):
    if status == V:
        return tillfalle(k, nr, forfaller=forfaller)
    return tillfalle(k, nr, forfaller=forfaller, status=K, bedomning=bedomning, kommentar=kommentar)


@pytest.fixture
def ar2026(org, personas):
    """The plan 2026: version 1 replaced (its SN 1 has an occasion with Väsentliga
    brister and an action – not counted), version 2 in force:

    | control | occasion due | state on 2026-06-30            |
    |---------|--------------|--------------------------------|
    | CENT 1  | 12-31        | not yet due                    |
    | SN 1    | 03-31        | done, Utan anmärkning          |
    | SN 1    | 06-30        | done, Mindre brister (1 action)|
    | SN 1    | 09-30, 12-31 | not yet due                    |
    | SN 2    | 06-30        | due today: not yet due         |
    | SN 2    | 12-31        | not yet due                    |
    | SN 3    | 04-30        | overdue                        |
    | SN 3    | 08-31        | done (early), Väsentliga (2)   |
    | SN 3    | 12-31        | done (early), Utan anmärkning  |
    """
    v1 = plan(2026, status=Beslutsstatus.ERSATT, version=1)
    gammal = _tillfalle(
        kontroll(v1, org["EB"], kod="SN 1"), 1, date(2026, 3, 31), K, VB, "Gammalt fel."
    )
    AtgardFactory(arende=gammal, ansvarig=personas["enhetschef"], titel="Gammal åtgärd")
    v2 = plan(2026, status=Beslutsstatus.FASTSTALLD, version=2, dag=date(2026, 3, 12))
    cent = kontroll(
        v2, org["STAB"], kod="CENT 1", central=True, periodicitet=Periodicitet.ARLIGEN,
        process="Mål och budget", ordning=9,
    )  # fmt: skip
    sn1 = kontroll(v2, org["EB"], kod="SN 1", periodicitet=Periodicitet.KVARTALSVIS, ordning=1)
    sn2 = kontroll(
        v2, org["BUV"], kod="SN 2", periodicitet=Periodicitet.HALVARSVIS, ordning=2,
        process="Placeringar",
    )  # fmt: skip
    sn3 = kontroll(
        v2, org["KOLL"], kod="SN 3", periodicitet=Periodicitet.TERTIALVIS, ordning=3,
        process="Läkemedel",
    )  # fmt: skip
    _tillfalle(cent, 1, date(2026, 12, 31))
    t = {
        "sn1_1": _tillfalle(sn1, 1, date(2026, 3, 31), K, UA),
        "sn1_2": _tillfalle(sn1, 2, date(2026, 6, 30), K, MB, "Två beslut saknades."),
        "sn1_3": _tillfalle(sn1, 3, date(2026, 9, 30)),
        "sn1_4": _tillfalle(sn1, 4, date(2026, 12, 31)),
        "sn2_1": _tillfalle(sn2, 1, date(2026, 6, 30)),
        "sn2_2": _tillfalle(sn2, 2, date(2026, 12, 31)),
        "sn3_1": _tillfalle(sn3, 1, date(2026, 4, 30)),
        "sn3_2": _tillfalle(sn3, 2, date(2026, 8, 31), K, VB, "Signering saknas."),
        "sn3_3": _tillfalle(sn3, 3, date(2026, 12, 31), K, UA, "Ingen kommentar väntas."),
    }
    chef = personas["enhetschef"]
    AtgardFactory(
        arende=t["sn1_2"], ansvarig=chef, titel="Rutin för beslut", forfallodatum=date(2026, 9, 1)
    )
    AtgardFactory(
        arende=t["sn3_2"], ansvarig=chef, titel="Signeringslista", forfallodatum=date(2026, 10, 1)
    )
    AtgardFactory(
        arende=t["sn3_2"], ansvarig=chef, titel="Utbildning", forfallodatum=date(2026, 9, 15)
    )
    return t


def test_antal_pa_en_given_dag(ar2026):
    """10 occasions of version 2 (version 1's is not counted again); 4 done; SN 3's first
    overdue; SN 2's first due that very day – not overdue."""
    data = innehall(2026, date(2026, 6, 30))
    assert data["plan"]["version"] == 2
    assert data["dag"] == "2026-06-30"
    assert data["antal"] == {
        "tillfallen": 10,
        "klara": 4,
        "forsenade": 1,
        "utan_anmarkning": 2,
        "mindre_brister": 1,
        "vasentliga_brister": 1,
    }


def test_dagen_efter_forfallodagen_ar_tillfallet_forsenat(ar2026):
    data = innehall(2026, date(2026, 7, 1))
    assert data["antal"]["forsenade"] == 2
    sn2 = next(k for k in data["kontroller"] if k["kod"] == "SN 2")
    assert [t["lage"] for t in sn2["tillfallen"]] == ["forsenad", "ej_forfallen"]
    # And on 2027-01-01 every occasion not done is overdue: 10 − 4 = 6.
    assert innehall(2026, date(2027, 1, 1))["antal"]["forsenade"] == 6


def test_kontrollernas_rader(ar2026):
    """The controls in the plan's order (central first), each with its occasions' states,
    its assessment (the most serious result) and the actions of its occasions."""
    data = innehall(2026, date(2026, 6, 30))
    rader = {k["kod"]: k for k in data["kontroller"]}
    assert [k["kod"] for k in data["kontroller"]] == ["CENT 1", "SN 1", "SN 2", "SN 3"]
    assert {kod: (k["bedomning"], k["bedomning_text"], k["farg"]) for kod, k in rader.items()} == {
        "CENT 1": ("", "", ""),
        "SN 1": ("mindre_brister", "Mindre brister", "gul"),
        "SN 2": ("", "", ""),
        "SN 3": ("vasentliga_brister", "Väsentliga brister", "rod"),
    }
    assert [(t["tillfalle"], t["forfaller"], t["lage"]) for t in rader["SN 1"]["tillfallen"]] == [
        (1, "2026-03-31", "klar"),
        (2, "2026-06-30", "klar"),
        (3, "2026-09-30", "ej_forfallen"),
        (4, "2026-12-31", "ej_forfallen"),
    ]
    assert [t["lage"] for t in rader["SN 3"]["tillfallen"]] == ["forsenad", "klar", "klar"]
    assert [t["lage"] for t in rader["CENT 1"]["tillfallen"]] == ["ej_forfallen"]
    # A finding's comment is reported; an occasion without remark has none.
    assert [t["kommentar"] for t in rader["SN 3"]["tillfallen"]] == ["", "Signering saknas.", ""]
    assert rader["SN 1"]["atgarder"] == [
        {"titel": "Rutin för beslut", "status": "Planerad", "klart": "2026-09-01"}
    ]
    # By due date: Utbildning (09-15) before Signeringslista (10-01).
    assert [a["titel"] for a in rader["SN 3"]["atgarder"]] == ["Utbildning", "Signeringslista"]
    assert rader["SN 2"]["atgarder"] == [] and rader["CENT 1"]["atgarder"] == []
    assert (rader["SN 2"]["utforare"], rader["SN 3"]["utforare"]) == (
        "Bistånd barn och unga",
        "Kollektivet HVB",
    )


def test_samlad_bedomning_ar_den_allvarligaste():
    assert samlad([UA, VB, MB]) == VB
    assert samlad([UA, MB, UA]) == MB
    assert samlad([UA, ""]) == UA
    assert samlad(["", ""]) == ""
    assert samlad([]) == ""


def test_ar_utan_faststalld_plan():
    assert innehall(2026, date(2026, 6, 30)) == {
        "ar": 2026,
        "plan": None,
        "kontroller": [],
        "antal": {},
    }


def test_bara_utkast_raknas_inte(org):
    """A draft plan is not in force: nothing to report."""
    p = plan(2026)
    tillfalle(kontroll(p, org["EB"]), status=K)
    assert innehall(2026, date(2026, 6, 30))["plan"] is None


# --- The decided redovisning is frozen ---------------------------------------------------------


def _pdf_text(data):
    return "\n".join(sida.extract_text() for sida in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def ar2025(org, personas):
    """The plan 2025 in force with one control (SN 1, halvårsvis) of Ekonomiskt
    bistånd: its first occasion done with Mindre brister, its second not done – overdue
    whatever day the test runs (every due date of 2025 has passed)."""
    p = plan(2025, status=Beslutsstatus.FASTSTALLD)
    k = kontroll(p, org["EB"], kod="SN 1", periodicitet=Periodicitet.HALVARSVIS)
    forsta = tillfalle(
        k, 1, forfaller=date(2025, 6, 30), status=K, bedomning=MB, kommentar="Två beslut saknades."
    )
    tillfalle(k, 2, forfaller=date(2025, 12, 31))
    return forsta


def test_beslutad_redovisning_ar_last(ar2025, klient_for, django_capture_on_commit_callbacks):
    staben = klient_for("kvalitetssamordnare")
    svar = staben.post(reverse("internkontroll:redovisning_ny"), {"ar": 2025})
    red = Internkontrollredovisning.objects.get()
    assert svar.status_code == 302 and svar.headers["Location"] == red.get_absolute_url()
    sida = hamta_html(staben, red.get_absolute_url())
    assert "1 av 2 kontrolltillfällen genomförda, 1 försenade." in sida
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        svar = staben.post(
            reverse("internkontroll:redovisning_faststall", args=[red.pk]),
            {
                "sammantradesdatum": "2026-02-19",
                "paragraf": "§ 7",
                "diarienummer": "SN 2026/3",
                "bekraftad": "ja",
            },
        )
    assert svar.status_code == 302, svar.content.decode()[:3000]
    assert len(callbacks) == 1
    red.refresh_from_db()
    assert red.status == Beslutsstatus.FASTSTALLD
    assert red.innehall["antal"]["mindre_brister"] == 1
    assert red.pdf and len(red.pdf_sha256) == 64
    with red.pdf.open("rb") as fil:
        arkiverad = fil.read()
    assert hashlib.sha256(arkiverad).hexdigest() == red.pdf_sha256
    assert "Mindre brister" in _pdf_text(arkiverad)
    assert "Två beslut saknades." in _pdf_text(arkiverad)
    sha, namn = red.pdf_sha256, red.pdf.name

    # A result changed afterwards: Väsentliga brister, another comment.
    staben_andrar = staben.post(
        reverse("internkontroll:andra", args=[ar2025.nummer]),
        {
            "kontrollerad": "2025-06-20",
            "vad": "20 utbetalningar",
            "antal": 20,
            "avvikelser": 5,
            "bedomning": "vasentliga_brister",
            "kommentar": "Fem beslut saknades.",
        },
    )
    assert staben_andrar.status_code == 302
    assert Kontrolltillfalle.objects.get(pk=ar2025.pk).bedomning == VB
    # The live roll-up sees it ...
    assert innehall(2025)["antal"]["vasentliga_brister"] == 1
    # ... the decided redovisning does not: neither its page nor its PDF.
    sida = hamta_html(klient_for("namnd"), red.get_absolute_url())
    assert "Två beslut saknades." in sida and "Fem beslut saknades." not in sida
    assert '<span class="bedomning farg-gul">Mindre brister</span> 1' in sida
    assert '<span class="bedomning farg-rod">Väsentliga brister</span> 0' in sida
    with django_capture_on_commit_callbacks(execute=True):
        pdf = klient_for("namnd").get(reverse("internkontroll:redovisning_pdf", args=[red.pk]))
    assert pdf.status_code == 200
    assert pdf.headers["Content-Disposition"] == (
        'attachment; filename="internkontrollredovisning-2025-version-1.pdf"'
    )
    assert pdf.content == arkiverad
    red.refresh_from_db()
    assert (red.pdf_sha256, red.pdf.name) == (sha, namn)
    # Archived once: one entry on its timeline with the checksum.
    arkiveringar = red.timeline.filter(text__startswith="PDF arkiverad")
    assert list(arkiveringar.values_list("text", flat=True)) == [f"PDF arkiverad (SHA-256 {sha})"]


def test_beslutad_plan_arkiveras_en_gang(org, klient_for, django_capture_on_commit_callbacks):
    """The plan's decision archives its PDF once with its SHA-256; reading it later gives
    the same bytes and stores nothing new."""
    p = plan(2026)
    kontroll(p, org["EB"], kod="SN 1", process="Utbetalningar av bistånd")
    staben = klient_for("kvalitetssamordnare")
    with django_capture_on_commit_callbacks(execute=True):
        svar = staben.post(
            reverse("internkontroll:plan_faststall", args=[p.pk]),
            {
                "sammantradesdatum": "2025-11-20",
                "paragraf": "§ 12",
                "diarienummer": "SN 2025/1",
                "bekraftad": "ja",
            },
        )
    assert svar.status_code == 302
    p.refresh_from_db()
    with p.pdf.open("rb") as fil:
        arkiverad = fil.read()
    assert hashlib.sha256(arkiverad).hexdigest() == p.pdf_sha256
    assert "Utbetalningar av bistånd" in _pdf_text(arkiverad)
    with django_capture_on_commit_callbacks(execute=True):
        svar = klient_for("namnd").get(reverse("internkontroll:plan_pdf", args=[p.pk]))
    assert svar.content == arkiverad
    assert p.timeline.filter(text__startswith="PDF arkiverad").count() == 1
    assert Atgard.objects.count() == 0
