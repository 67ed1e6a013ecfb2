"""Internkontroll's demo step (internkontroll/demo.py), run after the steps before it as
`seed_demo` runs them: the 2025 plan decided 2024-11-21 with every result recorded (minor
shortcomings, one significant with an improvement action, an avvikelse created from a
result), its redovisning decided 2026-02-19, the 2026 plan started from the risk
register and decided 2025-11-20 with the results due before today except one overdue,
and a risk re-assessed from a result; content frozen, PDFs archived after the commit,
historic dates throughout, nothing in the future; a second run writes nothing; the
egenkontroll step is called when it is there and skipped when it is not."""

import hashlib
import sys
from datetime import date
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.module_loading import import_string

from internkontroll import demo as ikdemo
from internkontroll.choices import Bedomning, Tillfallestatus
from internkontroll.models import (
    Internkontrollplan,
    Internkontrollredovisning,
    Kontroll,
    Kontrolltillfalle,
)
from kvalitet import delar
from kvalitet.demo import Demo
from kvalitet.management.commands.seed_demo import (
    PERSONER,
    skapa_anvandare,
    skapa_organisation,
)
from kvalitet.models import Atgard, Beslutsstatus, CaseLink, TimelineEntry
from riskregister.models import Bedomning as Riskbedomning
from riskregister.models import Risk

pytestmark = pytest.mark.django_db


def demo_kontext():
    enheter = skapa_organisation()
    anvandare = skapa_anvandare(enheter)
    return Demo(
        enheter=enheter,
        anvandare=anvandare,
        uppdrag={p.username: p.uppdrag for p in PERSONER},
        nu=timezone.now(),
        idag=timezone.localdate(),
    )


def kor_demo():
    """The demo steps up to and including internkontroll's, as `seed_demo` runs them."""
    demo = demo_kontext()
    steg = sorted(
        (d for d in delar.delar() if d.demodata and d.demoordning <= 70),
        key=lambda d: d.demoordning,
    )
    rader = []
    for d in steg:
        rader += import_string(d.demodata)(demo)
    return rader, demo


def raknare():
    return {
        "planer": sorted(
            Internkontrollplan.objects.values_list("ar", "version", "status", "pdf_sha256")
        ),
        "redovisningar": sorted(
            Internkontrollredovisning.objects.values_list("ar", "version", "status", "pdf_sha256")
        ),
        "kontroller": Kontroll.objects.count(),
        "tillfallen": sorted(Kontrolltillfalle.objects.values_list("nummer", "status")),
        "historik": Kontrolltillfalle.history.count() + Internkontrollplan.history.count(),
        "tidslinje": TimelineEntry.objects.count(),
        "atgarder": Atgard.objects.count(),
        "lankar": CaseLink.objects.count(),
        "riskbedomningar": Riskbedomning.objects.count(),
    }


def test_demointernkontrollen(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rader, demo = kor_demo()
    nu, idag = timezone.now(), timezone.localdate()
    assert any(
        r.startswith("Internkontroll: fastställda planer 2025, 2026; kontrolltillfällen ")
        for r in rader
    )
    assert "Ny demointernkontroll: plan 2025, redovisning 2025, plan 2026." in demo.nya

    # --- 2025 ---
    plan = Internkontrollplan.objects.get(ar=2025)
    assert (plan.version, plan.status) == (1, Beslutsstatus.FASTSTALLD)
    assert (plan.sammantradesdatum, plan.paragraf, plan.diarienummer) == (
        date(2024, 11, 21),
        "142",
        "SN 2024/98",
    )
    assert timezone.localdate(plan.faststalld) == date(2024, 11, 22)
    assert timezone.localdate(plan.skapad) < date(2024, 11, 21)
    assert [k["kod"] for k in plan.innehall["kontroller"]] == [
        "CENT 1",
        "SN 1",
        "SN 2",
        "SN 3",
        "SN 4",
    ]
    assert plan.innehall["kontroller"][0]["central"] is True
    # The PDF archived after the commit, as after a decision in the browser.
    assert plan.pdf_sha256 == hashlib.sha256(plan.pdf.read()).hexdigest()
    sn3 = plan.kontroller.get(kod="SN 3")
    assert sn3.kontrollmoment == "Att förhandsbedömningar görs inom 14 dagar"
    assert sn3.risk.extern_id == "demo-risk-02"
    assert sn3.periodicitet == "tertialvis" and sn3.metod == "journalgranskning"
    assert plan.kontroller.get(kod="SN 2").metod == "stickprov"

    tillfallen = list(Kontrolltillfalle.objects.filter(kontroll__plan=plan))
    assert len(tillfallen) == 3 + 2 + 4 + 3 + 2
    assert all(t.status == Tillfallestatus.KLAR for t in tillfallen)
    bedomningar = [t.bedomning for t in tillfallen]
    assert bedomningar.count(Bedomning.MINDRE_BRISTER) >= 2
    assert bedomningar.count(Bedomning.VASENTLIGA_BRISTER) == 1
    for t in tillfallen:
        t.full_clean()
        assert t.period_fran <= t.kontrollerad <= t.forfaller
        assert t.registrerad_av is not None
        assert timezone.localdate(t.uppdaterad) == t.kontrollerad

    # The significant shortcomings led to an improvement action on the occasion.
    vasentlig = next(t for t in tillfallen if t.bedomning == Bedomning.VASENTLIGA_BRISTER)
    assert vasentlig.kontroll.kod == "SN 2"
    ct = ContentType.objects.get_for_model(Kontrolltillfalle)
    atgard = Atgard.objects.get(content_type=ct, object_id=vasentlig.pk)
    assert atgard.enhet == vasentlig.enhet and atgard.ansvarig is not None

    # An avvikelse created from a result, linked "Skapad från".
    lank = CaseLink.objects.get(typ=CaseLink.Typ.SKAPAD_FRAN, till_typ=ct)
    kalla = Kontrolltillfalle.objects.get(pk=lank.till_id)
    assert (kalla.kontroll.plan, kalla.kontroll.kod, kalla.ordningsnummer) == (plan, "SN 3", 1)
    avvikelse = lank.fran
    assert avvikelse._meta.app_label == "avvikelser"
    assert avvikelse.extern_id == f"demo-ik-avv-{kalla.nummer}"
    assert avvikelse.enhet == kalla.enhet
    assert kalla.nummer in avvikelse.beskrivning
    assert timezone.localdate(avvikelse.rapporterad) > kalla.kontrollerad
    avvikelse.full_clean()

    # The redovisning 2025.
    red = Internkontrollredovisning.objects.get()
    assert (red.ar, red.status, red.sammantradesdatum, red.paragraf) == (
        2025,
        Beslutsstatus.FASTSTALLD,
        date(2026, 2, 19),
        "18",
    )
    assert len(red.innehall["kontroller"]) == 5
    assert red.innehall["antal"]["klara"] == len(tillfallen)
    assert red.innehall["antal"]["vasentliga_brister"] == 1
    assert red.sammanfattning
    assert red.pdf_sha256 == hashlib.sha256(red.pdf.read()).hexdigest()

    # --- 2026 ---
    plan2 = Internkontrollplan.objects.get(ar=2026)
    assert (plan2.status, plan2.sammantradesdatum, plan2.paragraf) == (
        Beslutsstatus.FASTSTALLD,
        date(2025, 11, 20),
        "131",
    )
    kontroller = list(plan2.kontroller.select_related("risk"))
    assert {"CENT 1", "SN 1", "SN 2"} <= {k.kod for k in kontroller}
    # Started from the register: a control per high risk, its unit the risk's.
    fran_risker = [k for k in kontroller if k.risk is not None]
    assert len(fran_risker) >= 3
    assert "demo-risk-02" in {k.risk.extern_id for k in fran_risker}
    for k in kontroller:
        assert not k.saknas(), k.kod
        k.full_clean()
    for k in fran_risker:
        assert k.utforare_enhet_id == k.risk.enhet_id
        assert k.process == k.risk.titel
    assert len(plan2.innehall["kontroller"]) == len(kontroller)

    tillfallen2 = list(Kontrolltillfalle.objects.filter(kontroll__plan=plan2))
    forfallna = [t for t in tillfallen2 if t.forfaller < idag]
    forsenade = [t for t in forfallna if t.status == Tillfallestatus.VANTAR]
    assert len(forsenade) == 1 and forsenade[0].kontroll.kod == "SN 2"
    assert forsenade[0].ar_forsenat
    assert all(
        t.status == Tillfallestatus.VANTAR and t.kontrollerad is None
        for t in tillfallen2
        if t.forfaller >= idag
    )

    # The förhandsbedömning result re-assessed its risk, on the day after the result.
    risk = Risk.objects.get(extern_id="demo-risk-02")
    ny = CaseLink.objects.get(typ=CaseLink.Typ.NY_BEDOMNING)
    fran = Kontrolltillfalle.objects.get(pk=ny.fran_id)
    assert (fran.kontroll.plan, fran.kontroll.risk, ny.till_id) == (plan2, risk, risk.pk)
    senaste = risk.bedomningar.order_by("-datum", "-pk").first()
    assert (senaste.sannolikhet, senaste.konsekvens) == (2, 4)
    assert (risk.sannolikhet, risk.konsekvens) == (2, 4)
    assert senaste.datum == timezone.localdate(ny.skapad) == fran.kontrollerad
    assert fran.nummer in senaste.kommentar
    risk.full_clean()

    # Historic dates: nothing in the future, nothing dated today's run.
    for modell in (Internkontrollplan, Internkontrollredovisning, Kontrolltillfalle):
        ct = ContentType.objects.get_for_model(modell)
        for post in TimelineEntry.objects.filter(content_type=ct):
            assert post.skapad <= nu
        # Only the archiving after the commit is dated now.
        assert not modell.history.filter(history_date__date=idag).exclude(
            history_change_reason="PDF arkiverad"
        ), modell
    assert Kontrolltillfalle.objects.filter(skapad__gt=nu).count() == 0


def test_andra_korningen_skriver_ingenting(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        kor_demo()
    fore = raknare()
    with django_capture_on_commit_callbacks(execute=True):
        rader, demo = kor_demo()
    assert raknare() == fore
    assert "Ny demointernkontroll: ingen." in demo.nya


def test_egenkontrollen_anropas_om_den_finns(org):
    demo = demo_kontext()
    with (
        mock.patch.object(ikdemo.Demointernkontroll, "skapa", return_value=[]),
        mock.patch(
            "internkontroll.demo_egen.skapa_egenkontroll", return_value=["Egenkontroll: demo."]
        ) as egen,
    ):
        rader = ikdemo.skapa(demo)
    egen.assert_called_once_with(demo)
    assert rader[-1] == "Egenkontroll: demo."


def test_utan_egenkontroll_hoppas_den_over(org):
    demo = demo_kontext()
    with (
        mock.patch.object(ikdemo.Demointernkontroll, "skapa", return_value=[]),
        mock.patch.dict(sys.modules, {"internkontroll.demo_egen": None}),
    ):
        rader = ikdemo.skapa(demo)
    assert len(rader) == 1 and rader[0].startswith("Internkontroll: ")
