"""The risk register's demo step (riskregister/demo.py), run after the steps before it
as `seed_demo` runs them: a dozen valid risks with owners, a completed riskanalys,
version 1 decided by the nämnd with the proposals in the register from the meeting,
this year's re-assessments, removal and proposals, a draft version 2, actions on the
high risks, two events linked as realising risks; historic dates throughout, nothing
in the future; a second run writes nothing."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.module_loading import import_string

from kvalitet import delar
from kvalitet.demo import Demo
from kvalitet.management.commands.seed_demo import (
    PERSONER,
    skapa_anvandare,
    skapa_organisation,
)
from kvalitet.models import Atgard, CaseLink, TimelineEntry
from riskregister import demo as riskdemo
from riskregister.choices import Analysstatus, Status, Versionsstatus
from riskregister.models import Bedomning, Registerversion, Risk, Riskanalys
from riskregister.register import per

pytestmark = pytest.mark.django_db


def kor_demo():
    """The demo steps up to and including the risk register's, as `seed_demo` runs them
    (the report's step, after it, is not the register's concern)."""
    enheter = skapa_organisation()
    anvandare = skapa_anvandare(enheter)
    demo = Demo(
        enheter=enheter,
        anvandare=anvandare,
        uppdrag={p.username: p.uppdrag for p in PERSONER},
        nu=timezone.now(),
        idag=timezone.localdate(),
    )
    steg = sorted(
        (d for d in delar.delar() if d.demodata and d.demoordning <= 60),
        key=lambda d: d.demoordning,
    )
    rader = []
    for d in steg:
        rader += import_string(d.demodata)(demo)
    return rader


def raknare():
    return {
        "risker": sorted(Risk.objects.values_list("extern_id", "nummer", "status", "riskvarde")),
        "historik": Risk.history.count(),
        "bedomningar": Bedomning.objects.count(),
        "analyser": Riskanalys.objects.count(),
        "versioner": sorted(Registerversion.objects.values_list("version", "status")),
        "tidslinje": TimelineEntry.objects.count(),
        "atgarder": Atgard.objects.count(),
        "lankar": CaseLink.objects.count(),
    }


def test_demoregistret(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rader = kor_demo()
    assert any(r.startswith("Demorisker: 12 (") for r in rader)
    nu, idag = timezone.now(), timezone.localdate()
    risker = list(Risk.objects.filter(extern_id__startswith="demo-risk-"))
    assert len(risker) == 12
    assert len({r.kategori for r in risker}) >= 5
    assert len({r.strategi for r in risker}) >= 3
    assert len({r.enhet_id for r in risker}) >= 6
    for risk in risker:
        risk.full_clean()
        assert risk.handlaggare is not None  # the owner: a chef of the unit
        assert risk.nummer.startswith(f"RISK-{risk.identifierad.year}-")
        assert risk.identifierad == risk.bedomningar.first().datum
        senaste = risk.bedomningar.order_by("-datum", "-pk").first()
        assert (risk.sannolikhet, risk.konsekvens) == (senaste.sannolikhet, senaste.konsekvens)
        assert risk.uppdaterad <= nu and risk.skapad <= nu
        assert all(t.skapad <= nu for t in risk.timeline.all())
        assert all(h.history_date <= nu for h in risk.history.all())
        assert all(b.datum <= idag for b in risk.bedomningar.all())

    # Version 1, decided by the nämnd at its meeting: the earlier proposals are in the
    # register from then; its frozen content lists them.
    v1 = Registerversion.objects.get(version=1)
    assert v1.status == Versionsstatus.FASTSTALLD
    assert (v1.sammantradesdatum, v1.paragraf, v1.diarienummer) == (
        date(2025, 11, 20),
        "123",
        "SN 2025/210",
    )
    assert v1.pdf  # archived after the commit
    assert len(v1.innehall["risker"]) == 10
    i_v1 = Risk.objects.filter(aktiv_fran=v1.sammantradesdatum)
    assert i_v1.count() == 10
    assert per(Risk.objects, date(2025, 11, 19)).count() == 0
    assert per(Risk.objects, date(2025, 11, 20)).count() == 10

    # This year: one removed with its reason, two re-assessed, two proposed.
    borttagen = Risk.objects.get(status=Status.BORTTAGEN)
    assert date(2026, 1, 1) <= borttagen.borttagen < idag and borttagen.borttagen_skal
    assert Risk.objects.filter(status=Status.AKTIV).count() == 9
    foreslagna = Risk.objects.filter(status=Status.FORESLAGEN)
    assert foreslagna.count() == 2
    assert all(r.identifierad > v1.sammantradesdatum for r in foreslagna)
    omvarderade = Bedomning.objects.filter(datum__gt=v1.sammantradesdatum, riskanalys=None).exclude(
        risk__in=foreslagna
    )
    assert omvarderade.count() == 2
    v2 = Registerversion.objects.get(version=2)
    assert v2.status == Versionsstatus.UTKAST

    # The riskanalys: done, sent to the nämnd before the meeting, participants by role,
    # risks identified and re-assessed in it.
    analys = Riskanalys.objects.get()
    assert analys.status == Analysstatus.KLAR
    assert analys.datum.year == 2025 and analys.enhet.kod == "MYN"
    assert analys.skickad_till_namnd < v1.sammantradesdatum
    assert "Avdelningschef – " in analys.deltagare and analys.konsekvensbeskrivning
    rader_i_analysen = analys.risker_i_analysen()
    assert {r["ny"] for r in rader_i_analysen} == {True, False}

    # Actions on the high risks; events linked as realising risks.
    ct = ContentType.objects.get_for_model(Risk)
    med_atgard = set(Atgard.objects.filter(content_type=ct).values_list("object_id", flat=True))
    assert len(med_atgard) >= 3
    assert all(Risk.objects.get(pk=pk).riskvarde >= 8 for pk in med_atgard)
    lankar = CaseLink.objects.filter(till_typ=ct, typ=CaseLink.Typ.REALISERADE)
    assert lankar.count() == 2
    assert all(lank.skapad <= nu for lank in lankar)

    # A second run writes nothing.
    fore = raknare()
    kor_demo()
    assert raknare() == fore


def test_sammantradet_ligger_aldrig_i_framtiden():
    """Run before the fixed meeting date, the decided version's meeting is moved back."""
    idag = date(2025, 12, 1)
    demo = mock.Mock(enheter={}, anvandare={"kvalitetssamordnare": None}, idag=idag)
    byggare = riskdemo.Demoregister(demo)
    assert byggare.sammantrade == idag - timedelta(days=60)
