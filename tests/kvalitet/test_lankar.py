from kvalitet.models import CaseLink, TimelineEntry
from tests.factories import AvvikelseFactory


def test_lank_at_andra_hallet_skapar_ingen_dubblett(avvikelse, org, personas):
    annan = AvvikelseFactory(enhet=org["EB"], rapporterad_av=personas["medarbetare"])
    forsta = avvikelse.link(annan, CaseLink.Typ.LIKNANDE, av=personas["enhetschef"])
    poster = TimelineEntry.objects.filter(typ=TimelineEntry.Typ.LANK).count()

    andra = annan.link(avvikelse, CaseLink.Typ.LIKNANDE, av=personas["enhetschef"])

    assert andra == forsta
    assert CaseLink.objects.count() == 1
    assert TimelineEntry.objects.filter(typ=TimelineEntry.Typ.LANK).count() == poster == 2
