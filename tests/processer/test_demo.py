"""The processes' demo step (processer/demo.py): the process map of DOMAIN.md §2 with
valid owners, two key figures each with three years of targets and results and this
year's target, revisions in the last and the current year, one discontinued process;
historic dates throughout and nothing ahead of the day it runs, whatever the day; a
second run writes nothing."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from kvalitet import behorighet
from kvalitet.demo import Demo
from kvalitet.management.commands.seed_demo import PERSONER, skapa_anvandare, skapa_organisation
from kvalitet.models import Atgard, TimelineEntry
from processer import demo as processdemo
from processer.choices import Processtyp, Status
from processer.models import Nyckeltal, Nyckeltalsvarde, Process, Processhandelse

pytestmark = pytest.mark.django_db


def kor_demo(idag=None):
    """The organisation, the users and the processes' step, as `seed_demo` runs them,
    on `idag` (default today)."""
    enheter = skapa_organisation()
    anvandare = skapa_anvandare(enheter)
    if idag is None:
        nu, idag = timezone.now(), timezone.localdate()
    else:
        nu = timezone.make_aware(datetime.combine(idag, time(8, 0)))
    demo = Demo(
        enheter=enheter,
        anvandare=anvandare,
        uppdrag={p.username: p.uppdrag for p in PERSONER},
        nu=nu,
        idag=idag,
    )
    return processdemo.skapa(demo), demo


def raknare():
    return {
        "processer": sorted(Process.objects.values_list("extern_id", "nummer", "status")),
        "historik": Process.history.count(),
        "nyckeltal": Nyckeltal.objects.count(),
        "varden": Nyckeltalsvarde.objects.count(),
        "handelser": Processhandelse.objects.count(),
        "tidslinje": TimelineEntry.objects.count(),
        "atgarder": Atgard.objects.count(),
    }


def test_demoprocesserna():
    rader, demo = kor_demo()
    assert rader == [processdemo.sammanfattning()]
    assert rader[0].startswith("Demoprocesser: 9 (aktiv 8, avvecklad 1); nyckeltal 18;")
    ar = demo.idag.year
    processer = {p.namn: p for p in Process.objects.select_related("enhet")}
    karn = {n for n, p in processer.items() if p.typ == Processtyp.KARNPROCESS}
    assert {"Myndighetsutövning", "Avtal och uppföljning", "Öppenvård"} <= karn
    stod = {n for n, p in processer.items() if p.typ == Processtyp.STODPROCESS}
    assert stod == {"Ekonomi", "Personal och arbetsmiljö", "IT-system", "Information"}
    assert [p.namn for p in processer.values() if p.typ == Processtyp.LEDNINGSPROCESS] == [
        "Ledning och styrning"
    ]
    myn = processer["Myndighetsutövning"]
    assert (myn.enhet.kod, myn.handlaggare.username) == ("MYN", "avdelningschef")
    assert processer["Öppenvård"].enhet.kod == "OPPEN"
    # The stödprocesser serve the whole förvaltning, so every chef reads them, though
    # staben's chef owns three of them.
    assert {processer[n].enhet.kod for n in stod} == {"SOC"}
    assert processer["Ekonomi"].handlaggare.username == "chef.staben"
    chef = demo.anvandare["enhetschef"]
    assert stod <= set(Process.objects.for_user(chef).values_list("namn", flat=True))

    for p in processer.values():
        p.full_clean()
        assert p.nummer.startswith(f"PROC-{p.inrattad.year}-")
        assert behorighet.mojliga_handlaggare(p.enhet).filter(pk=p.handlaggare_id).exists()
        assert p.processledare.username == "kvalitetssamordnare"
        assert 1 <= len(p.mallista) <= 3 and p.syfte
        assert p.nyckeltal.count() == 2
        # The timeline: added, then every step, at historic moments.
        tidslinje = list(p.timeline.order_by("skapad", "pk"))
        assert tidslinje[0].typ == "skapat"
        assert all(t.skapad <= demo.nu for t in tidslinje)
        assert all(h.history_date <= demo.nu for h in p.history.all())
        assert p.uppdaterad == tidslinje[-1].skapad

    for n in Nyckeltal.objects.select_related("process"):
        assert n.definition and n.matt in ("%", "dagar")
        varden = {v.ar: v for v in n.varden.all()}
        for v in varden.values():
            v.full_clean()
            assert v.uppdaterad <= demo.nu
        if n.process.status == Status.AVVECKLAD:
            assert set(varden) == {ar - 3, ar - 2}
            continue
        assert set(varden) == {ar - 3, ar - 2, ar - 1, ar}
        assert varden[ar].utfall is None  # this year is not measured yet
        assert varden[ar - 2].utfall is not None and varden[ar - 3].utfall is not None

    # Some targets reached, some not.
    forra = Nyckeltalsvarde.objects.filter(ar=ar - 1).select_related("nyckeltal")
    uppnatt = [v.uppnatt for v in forra]
    assert uppnatt.count(True) >= 5 and uppnatt.count(False) >= 3
    # Last year's sick leave waits for the personalbokslut.
    assert [v.nyckeltal.namn for v in forra if v.utfall is None] == ["Sjukfrånvaro"]

    handelser = Processhandelse.objects.all()
    assert {h.typ for h in handelser} == {"kartlagd", "reviderad", "publicerad"}
    assert all(ar - 1 <= h.datum.year and h.datum <= demo.idag for h in handelser)
    assert handelser.filter(datum__year=ar).exists()

    avvecklad = Process.objects.get(status=Status.AVVECKLAD)
    assert avvecklad.avvecklad.year == ar - 1 and avvecklad.avvecklad_skal
    assert Atgard.objects.filter(content_type__model="process").count() == 2


def test_en_andra_korning_skriver_inget():
    kor_demo()
    fore = raknare()
    kor_demo()
    assert raknare() == fore


@pytest.mark.parametrize("dag", ["nyar", "idag"])
def test_inget_ligger_efter_dagen_demot_kors(dag):
    """On 1 January what would have happened later in the year is dated that day, not
    after it; the steps' order stays the order they happened in."""
    idag = date(timezone.localdate().year, 1, 1) if dag == "nyar" else None
    _rader, demo = kor_demo(idag)
    assert Process.objects.count() == 9
    for p in Process.objects.all():
        tider = list(p.timeline.order_by("pk").values_list("skapad", flat=True))
        assert tider == sorted(tider)
        assert tider[-1] <= demo.nu
    assert all(h.datum <= demo.idag for h in Processhandelse.objects.all())
    assert all(t <= demo.nu for t in Nyckeltalsvarde.objects.values_list("uppdaterad", flat=True))
