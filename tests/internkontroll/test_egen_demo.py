"""Egenkontroll's demo (internkontroll/demo_egen.py): two rounds of kollegial granskning
for Bistånd barn, unga och vuxna with ten reviewed files each, this year's compared with
last year's, conclusions and actions; Öppna jämförelser and a brukarenkät; nothing in
the future; a second run writes nothing."""

import pytest
from django.utils import timezone

from internkontroll import granskning
from internkontroll.choices import Egenkontrollstatus, Egenkontrolltyp
from internkontroll.demo_egen import skapa_egenkontroll
from internkontroll.models import Egenkontroll, Granskning, Svar
from kvalitet.demo import Demo
from kvalitet.management.commands.seed_demo import PERSONER, skapa_anvandare, skapa_organisation
from kvalitet.models import Atgard, TimelineEntry

pytestmark = pytest.mark.django_db


def demo():
    enheter = skapa_organisation()
    anvandare = skapa_anvandare(enheter)
    return Demo(
        enheter=enheter,
        anvandare=anvandare,
        uppdrag={p.username: p.uppdrag for p in PERSONER},
        nu=timezone.now(),
        idag=timezone.localdate(),
    )


def test_demon():
    d = demo()
    rader = skapa_egenkontroll(d)
    assert rader and "Nya demoegenkontroller: 4." in d.nya
    idag = timezone.localdate()
    kg = list(
        Egenkontroll.objects.filter(typ=Egenkontrolltyp.KOLLEGIAL_GRANSKNING).order_by(
            "period_fran"
        )
    )
    assert [e.status for e in kg] == [Egenkontrollstatus.KLAR, Egenkontrollstatus.ANALYSERAD]
    forra, denna = kg
    for ek in kg:
        assert ek.enhet.kod == "MYN-BUV"
        assert ek.granskningar.count() == 10
        assert sorted(ek.granskningar.values_list("nummer", flat=True)) == list(range(1, 11))
        assert ek.slutsatser and ek.analysforum_datum <= idag
        assert Atgard.objects.filter(object_id=ek.pk, content_type__model="egenkontroll").exists()
        ek.full_clean()
    # Every file answered every question of its area.
    for g in Granskning.objects.select_related("omrade"):
        assert g.svar.count() == g.omrade.punkter.count()
        assert g.datum <= idag and g.kommentar == ""
    res = granskning.resultat(denna)
    assert res.forra_omgangen == forra and res.akter == 10
    assert res.totalt.tillampliga >= 10 and res.totalt.andel is not None
    assert set(Egenkontroll.objects.values_list("typ", flat=True)) == {
        Egenkontrolltyp.KOLLEGIAL_GRANSKNING,
        Egenkontrolltyp.OPPNA_JAMFORELSER,
        Egenkontrolltyp.ENKAT,
    }
    assert not TimelineEntry.objects.filter(skapad__gt=timezone.now()).exists()
    # Again: nothing new.
    antal = (Egenkontroll.objects.count(), Granskning.objects.count(), Svar.objects.count())
    assert skapa_egenkontroll(demo()) == []
    assert antal == (
        Egenkontroll.objects.count(),
        Granskning.objects.count(),
        Svar.objects.count(),
    )
