import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kvalitet.models import CaseLink, TimelineEntry
from tests.factories import AvvikelseFactory, SynpunktFactory
from tests.stod import hamta_html


def test_lank_at_andra_hallet_skapar_ingen_dubblett(avvikelse, org, personas):
    annan = AvvikelseFactory(enhet=org["EB"], rapporterad_av=personas["medarbetare"])
    forsta = avvikelse.link(annan, CaseLink.Typ.LIKNANDE, av=personas["enhetschef"])
    poster = TimelineEntry.objects.filter(typ=TimelineEntry.Typ.LANK).count()

    andra = annan.link(avvikelse, CaseLink.Typ.LIKNANDE, av=personas["enhetschef"])

    assert andra == forsta
    assert CaseLink.objects.count() == 1
    assert TimelineEntry.objects.filter(typ=TimelineEntry.Typ.LANK).count() == poster == 2


# --- A link's other end: shown only to whoever may see it (issue 10) ------------------------

DOLD = "ett ärende du inte har tillgång till"


def _lankavsnitt(html):
    return re.search(r'id="rubrik-lankar".*?</section>', html, re.S).group(0)


@pytest.mark.django_db
def test_lank_till_ett_arende_man_inte_ser_visar_varken_nummer_eller_kommentar(scen, klient_for):
    """The reporter of a case sees that it is linked, not to what: a case of another
    avdelning's number and the link's comment stay hidden; whoever sees both ends sees
    both."""
    scen.avv.link(
        scen.annan,
        CaseLink.Typ.LIKNANDE,
        av=scen.personas["kvalitetssamordnare"],
        kommentar="Samma klient på HVB-hemmet.",
    )
    medarbetare = _lankavsnitt(hamta_html(klient_for("medarbetare"), scen.avv.get_absolute_url()))
    assert scen.annan.nummer not in medarbetare
    assert "Samma klient" not in medarbetare
    assert f"Liknande händelse: {DOLD}" in medarbetare
    # The other side: the other avdelning's reporter does not see this case either.
    annan = _lankavsnitt(hamta_html(klient_for("medarbetare_annan"), scen.annan.get_absolute_url()))
    assert scen.avv.nummer not in annan
    assert "Samma klient" not in annan
    assert DOLD in annan
    # Who sees both ends sees the link in full.
    ks = _lankavsnitt(hamta_html(klient_for("kvalitetssamordnare"), scen.avv.get_absolute_url()))
    assert f'href="{scen.annan.get_absolute_url()}"' in ks
    assert "Samma klient på HVB-hemmet." in ks
    assert DOLD not in ks


@pytest.mark.django_db
def test_lankarnas_synlighet_avgors_i_en_fraga_for_alla_typer(scen, klient_for):
    """Links to cases of several types, some visible and some not: the page costs the same
    number of queries as with links to one type only, and shows each link as it should."""
    chef = scen.personas["enhetschef"]
    url = scen.avv.get_absolute_url()
    klient = klient_for("enhetschef")
    synlig = AvvikelseFactory(enhet=scen.org["EB"])
    scen.avv.link(synlig, CaseLink.Typ.LIKNANDE, av=chef, kommentar="Synlig")
    scen.avv.link(scen.annan, CaseLink.Typ.LIKNANDE, av=chef, kommentar="Dold")
    klient.get(url)  # warm caches outside the measurement
    with CaptureQueriesContext(connection) as en_typ:
        klient.get(url)
    syn_synlig = SynpunktFactory(enhet=scen.org["EB"])
    syn_dold = SynpunktFactory(enhet=scen.org["KOLL"])
    scen.avv.link(syn_synlig, CaseLink.Typ.LIKNANDE, av=chef, kommentar="Synlig synpunkt")
    syn_dold.link(scen.avv, CaseLink.Typ.ESKALERAD, av=chef, kommentar="Dold synpunkt")
    klient.get(url)
    with CaptureQueriesContext(connection) as tva_typer:
        response = klient.get(url)
    assert len(tva_typer) == len(en_typ), [q["sql"] for q in tva_typer]
    avsnitt = _lankavsnitt(response.content.decode())
    for synligt in (synlig, syn_synlig):
        assert f'href="{synligt.get_absolute_url()}"' in avsnitt
    assert "Synlig synpunkt" in avsnitt
    for dolt in (scen.annan, syn_dold):
        assert dolt.nummer not in avsnitt
    assert "Dold" not in avsnitt
    assert avsnitt.count(DOLD) == 2
