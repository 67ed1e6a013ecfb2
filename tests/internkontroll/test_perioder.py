"""The occasions of a control per periodicitet (internkontroll/perioder.py), and the
occasions the nämnd's decision of a plan creates – and moves, when a later version is
decided (internkontroll.models.Internkontrollplan.faststall).

Every expected value below is written out by hand from the definitions: each occasion
covers a period of the year and is due on the period's last day."""

from datetime import date

import pytest
from django.urls import reverse

from internkontroll.choices import Bedomning, Periodicitet, Tillfallestatus
from internkontroll.models import Internkontrollplan, Kontroll, Kontrolltillfalle
from internkontroll.perioder import perioder
from kvalitet.models import Atgard, Beslutsstatus
from tests.factories import AtgardFactory
from tests.internkontroll.hjalp import kontroll, plan

# (first day, last day = due date) per period, in order, for 2026 (not a leap year).
AR_2026 = {
    Periodicitet.MANADSVIS: [
        ("2026-01-01", "2026-01-31"),
        ("2026-02-01", "2026-02-28"),
        ("2026-03-01", "2026-03-31"),
        ("2026-04-01", "2026-04-30"),
        ("2026-05-01", "2026-05-31"),
        ("2026-06-01", "2026-06-30"),
        ("2026-07-01", "2026-07-31"),
        ("2026-08-01", "2026-08-31"),
        ("2026-09-01", "2026-09-30"),
        ("2026-10-01", "2026-10-31"),
        ("2026-11-01", "2026-11-30"),
        ("2026-12-01", "2026-12-31"),
    ],
    Periodicitet.KVARTALSVIS: [
        ("2026-01-01", "2026-03-31"),
        ("2026-04-01", "2026-06-30"),
        ("2026-07-01", "2026-09-30"),
        ("2026-10-01", "2026-12-31"),
    ],
    Periodicitet.TERTIALVIS: [
        ("2026-01-01", "2026-04-30"),
        ("2026-05-01", "2026-08-31"),
        ("2026-09-01", "2026-12-31"),
    ],
    Periodicitet.HALVARSVIS: [
        ("2026-01-01", "2026-06-30"),
        ("2026-07-01", "2026-12-31"),
    ],
    Periodicitet.ARLIGEN: [("2026-01-01", "2026-12-31")],
    Periodicitet.LOPANDE: [("2026-01-01", "2026-12-31")],
}


def _som_text(lista):
    return [
        (p.nummer, p.fran.isoformat(), p.till.isoformat(), p.forfaller.isoformat()) for p in lista
    ]


@pytest.mark.parametrize("periodicitet", list(AR_2026))
def test_perioderna_2026(periodicitet):
    vantat = [(i, fran, till, till) for i, (fran, till) in enumerate(AR_2026[periodicitet], 1)]
    assert _som_text(perioder(2026, periodicitet)) == vantat


def test_antal_per_periodicitet():
    antal = {p: len(perioder(2026, p)) for p in Periodicitet.values}
    assert antal == {
        "manadsvis": 12,
        "kvartalsvis": 4,
        "tertialvis": 3,
        "halvarsvis": 2,
        "arligen": 1,
        "lopande": 1,
    }


def test_skottarets_februari():
    """2028 is a leap year: February's occasion ends on the 29th; the longer periods
    that contain February end in another month, so nothing else changes."""
    manader = perioder(2028, Periodicitet.MANADSVIS)
    assert _som_text(manader)[1] == (2, "2028-02-01", "2028-02-29", "2028-02-29")
    assert _som_text(manader)[2] == (3, "2028-03-01", "2028-03-31", "2028-03-31")
    assert _som_text(perioder(2028, Periodicitet.KVARTALSVIS))[0] == (
        1,
        "2028-01-01",
        "2028-03-31",
        "2028-03-31",
    )
    # Every period of every periodicitet covers the year without a gap or an overlap.
    for p in Periodicitet.values:
        lista = perioder(2028, p)
        assert lista[0].fran == date(2028, 1, 1) and lista[-1].till == date(2028, 12, 31)
        dagar = sum((x.till - x.fran).days + 1 for x in lista)
        assert dagar == 366, p


# --- The decision creates the occasions -----------------------------------------------------

# Control id → periodicitet, in the plan's order (`ordning`).
KONTROLLER = [
    ("M", Periodicitet.MANADSVIS),
    ("K", Periodicitet.KVARTALSVIS),
    ("T", Periodicitet.TERTIALVIS),
    ("H", Periodicitet.HALVARSVIS),
    ("A", Periodicitet.ARLIGEN),
    ("L", Periodicitet.LOPANDE),
]


def _faststall(klient, p, dag):
    svar = klient.post(
        reverse("internkontroll:plan_faststall", args=[p.pk]),
        {
            "sammantradesdatum": dag,
            "paragraf": "§ 12",
            "diarienummer": "SN 2023/40",
            "bekraftad": "ja",
        },
    )
    assert svar.status_code == 302, svar.content.decode()[:3000]
    assert svar.headers["Location"] == p.get_absolute_url()


def _tillfallen(**filter):
    return [
        (
            t.kontroll.kod,
            t.ordningsnummer,
            t.nummer,
            t.period_fran.isoformat(),
            t.forfaller.isoformat(),
        )
        for t in Kontrolltillfalle.objects.filter(**filter)
        .select_related("kontroll")
        .order_by("nummer")
    ]


@pytest.mark.django_db
def test_beslutet_skapar_tillfallena_i_ett_skottar(org, personas, klient_for):
    """The plan 2024 (a leap year) with one control per periodicitet: the decision creates
    12 + 4 + 3 + 2 + 1 + 1 = 23 occasions, numbered IK-2024-0001 … 0023 in the plan's
    order, each for its unit and performer, waiting for its result."""
    p = plan(2024)
    for i, (kod, periodicitet) in enumerate(KONTROLLER, start=1):
        kontroll(
            p,
            org["EB"],
            kod=kod,
            periodicitet=periodicitet,
            ordning=i,
            utforare=personas["medarbetare"] if kod == "K" else None,
        )
    _faststall(klient_for("kvalitetssamordnare"), p, "2023-11-20")
    p.refresh_from_db()
    assert p.status == Beslutsstatus.FASTSTALLD
    assert Kontrolltillfalle.objects.count() == 23
    vantat = []
    nr = 0
    for kod, periodicitet in KONTROLLER:
        for i, (fran, till) in enumerate(_ar_2024(periodicitet), start=1):
            nr += 1
            vantat.append((kod, i, f"IK-2024-{nr:04d}", fran, till))
    assert _tillfallen() == vantat
    # Spot checks written out in full: February's month of the leap year, the last one.
    assert vantat[1] == ("M", 2, "IK-2024-0002", "2024-02-01", "2024-02-29")
    assert vantat[12] == ("K", 1, "IK-2024-0013", "2024-01-01", "2024-03-31")
    assert vantat[-1] == ("L", 1, "IK-2024-0023", "2024-01-01", "2024-12-31")
    alla = Kontrolltillfalle.objects.all()
    assert {t.status for t in alla} == {Tillfallestatus.VANTAR}
    assert {t.enhet_id for t in alla} == {org["EB"].pk}
    assert set(alla.filter(kontroll__kod="K").values_list("handlaggare", flat=True)) == {
        personas["medarbetare"].pk
    }
    assert set(alla.exclude(kontroll__kod="K").values_list("handlaggare", flat=True)) == {None}


def _ar_2024(periodicitet):
    """AR_2026's periods moved to 2024, February's end the 29th."""
    ut = []
    for fran, till in AR_2026[periodicitet]:
        fran, till = fran.replace("2026", "2024"), till.replace("2026", "2024")
        ut.append((fran, "2024-02-29" if till == "2024-02-28" else till))
    return ut


@pytest.mark.django_db
def test_ny_version_flyttar_tillfallena(org, personas, klient_for):
    """Version 1 of 2026: SN 1 kvartalsvis (4 occasions), SN 2 halvårsvis (2), SN 3
    årligen (1) → IK-2026-0001 … 0007. SN 1's first occasion gets a result and an action.
    Version 2 removes SN 3, moves SN 2 to Bistånd barn och unga and adds SN 4
    tertialvis. Its decision moves SN 1's and SN 2's occasions (same records, numbers,
    results and actions) to version 2's controls, creates SN 4's three as IK-2026-0008 …
    0010, and leaves SN 3's occasion with version 1's SN 3."""
    staben = klient_for("kvalitetssamordnare")
    v1 = plan(2026)
    kontroll(v1, org["EB"], kod="SN 1", periodicitet=Periodicitet.KVARTALSVIS, ordning=1)
    kontroll(v1, org["EB"], kod="SN 2", periodicitet=Periodicitet.HALVARSVIS, ordning=2)
    kontroll(v1, org["EB"], kod="SN 3", periodicitet=Periodicitet.ARLIGEN, ordning=3)
    _faststall(staben, v1, "2025-11-20")
    fore = _tillfallen()
    assert [(k, i, nr) for k, i, nr, *_ in fore] == [
        ("SN 1", 1, "IK-2026-0001"),
        ("SN 1", 2, "IK-2026-0002"),
        ("SN 1", 3, "IK-2026-0003"),
        ("SN 1", 4, "IK-2026-0004"),
        ("SN 2", 1, "IK-2026-0005"),
        ("SN 2", 2, "IK-2026-0006"),
        ("SN 3", 1, "IK-2026-0007"),
    ]
    forsta = Kontrolltillfalle.objects.get(nummer="IK-2026-0001")
    Kontrolltillfalle.objects.filter(pk=forsta.pk).update(
        status=Tillfallestatus.KLAR,
        kontrollerad=date(2026, 3, 20),
        vad="20 utbetalningar",
        antal=20,
        avvikelser=3,
        bedomning=Bedomning.MINDRE_BRISTER,
        kommentar="Tre saknade beslut.",
    )
    atgard = AtgardFactory(arende=forsta, ansvarig=personas["enhetschef"], titel="Ny rutin")

    svar = staben.post(
        reverse("internkontroll:plan_ny_version", args=[v1.pk]),
        {"kommentar": "Ny kontroll av delegationerna."},
    )
    assert svar.status_code == 302, svar.content.decode()[:3000]
    v2 = Internkontrollplan.objects.get(ar=2026, version=2)
    assert svar.headers["Location"] == v2.get_absolute_url()
    assert sorted(v2.kontroller.values_list("kod", flat=True)) == ["SN 1", "SN 2", "SN 3"]
    v2.kontroller.get(kod="SN 3").delete()
    Kontroll.objects.filter(plan=v2, kod="SN 2").update(utforare_enhet=org["BUV"])
    kontroll(v2, org["EB"], kod="SN 4", periodicitet=Periodicitet.TERTIALVIS, ordning=4)
    _faststall(staben, v2, "2026-06-11")

    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (Beslutsstatus.ERSATT, Beslutsstatus.FASTSTALLD)
    assert Kontrolltillfalle.objects.count() == 10
    sn3_v1 = Kontroll.objects.get(plan=v1, kod="SN 3")
    efter = {
        t.nummer: (t.kontroll.plan.version, t.kontroll.kod, t.ordningsnummer, t.enhet.kod)
        for t in Kontrolltillfalle.objects.select_related("kontroll__plan", "enhet")
    }
    assert efter == {
        "IK-2026-0001": (2, "SN 1", 1, "MYN-EB"),
        "IK-2026-0002": (2, "SN 1", 2, "MYN-EB"),
        "IK-2026-0003": (2, "SN 1", 3, "MYN-EB"),
        "IK-2026-0004": (2, "SN 1", 4, "MYN-EB"),
        "IK-2026-0005": (2, "SN 2", 1, "MYN-BUV"),
        "IK-2026-0006": (2, "SN 2", 2, "MYN-BUV"),
        "IK-2026-0007": (1, "SN 3", 1, "MYN-EB"),
        "IK-2026-0008": (2, "SN 4", 1, "MYN-EB"),
        "IK-2026-0009": (2, "SN 4", 2, "MYN-EB"),
        "IK-2026-0010": (2, "SN 4", 3, "MYN-EB"),
    }
    assert Kontrolltillfalle.objects.get(nummer="IK-2026-0007").kontroll_id == sn3_v1.pk
    # The same record, its result and its action kept.
    flyttat = Kontrolltillfalle.objects.get(pk=forsta.pk)
    assert flyttat.nummer == "IK-2026-0001"
    assert (flyttat.status, flyttat.bedomning, flyttat.avvikelser, flyttat.kommentar) == (
        Tillfallestatus.KLAR,
        Bedomning.MINDRE_BRISTER,
        3,
        "Tre saknade beslut.",
    )
    assert Atgard.objects.get(pk=atgard.pk).object_id == forsta.pk
    # SN 4's occasions are the tertials of 2026.
    sn4 = _tillfallen(kontroll__plan=v2, kontroll__kod="SN 4")
    assert [(f, t) for *_, f, t in sn4] == [
        ("2026-01-01", "2026-04-30"),
        ("2026-05-01", "2026-08-31"),
        ("2026-09-01", "2026-12-31"),
    ]


@pytest.mark.django_db
def test_ny_periodicitet_tappar_inget_resultat(org, klient_for):
    """SN 1 kvartalsvis; its third occasion (July–September) gets Väsentliga brister;
    version 2 makes SN 1 halvårsvis. The recorded result must stay in the year's
    redovisning."""
    from internkontroll.redovisning import innehall

    staben = klient_for("kvalitetssamordnare")
    v1 = plan(2026)
    kontroll(v1, org["EB"], kod="SN 1", periodicitet=Periodicitet.KVARTALSVIS)
    _faststall(staben, v1, "2025-11-20")
    Kontrolltillfalle.objects.filter(ordningsnummer=3).update(
        status=Tillfallestatus.KLAR,
        kontrollerad=date(2026, 8, 1),
        vad="Tio beslut",
        bedomning=Bedomning.VASENTLIGA_BRISTER,
        kommentar="Fyra beslut saknades.",
    )
    staben.post(
        reverse("internkontroll:plan_ny_version", args=[v1.pk]), {"kommentar": "Halvårsvis."}
    )
    v2 = Internkontrollplan.objects.get(ar=2026, version=2)
    Kontroll.objects.filter(plan=v2).update(periodicitet=Periodicitet.HALVARSVIS)
    _faststall(staben, v2, "2026-06-11")
    assert innehall(2026, date(2026, 12, 31))["antal"]["vasentliga_brister"] == 1
