"""The administrator-kept lists (categories, cause areas) carry a definition for each
entry, shown where the entry is chosen, so that one kind of event is coded one way
(issue 11)."""

import re

import pytest

from avvikelser.models import Kategori, Orsaksomrade
from kvalitet.models import Verksamhetsomrade
from synpunkter.models import Kategori as SynpunktKategori
from tests.stod import hamta_html

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("modell", [Kategori, Orsaksomrade, SynpunktKategori, Verksamhetsomrade])
def test_varje_standardpost_har_en_definition(modell):
    utan = list(modell.objects.filter(aktiv=True, beskrivning="").values_list("namn", flat=True))
    assert modell.objects.filter(aktiv=True).count() >= 8
    assert utan == []


def test_fel_mottagare_ar_sekretess_och_inte_felaktigt_utskickad():
    """The overlap the reviewers found, settled by the definitions."""
    sekretess = Kategori.objects.get(namn="Sekretess").beskrivning
    utskick = Kategori.objects.get(namn="Felaktigt utskickad information").beskrivning
    assert "fel mottagare" in sekretess
    assert "fel innehåll" in utskick and "Till fel mottagare: Sekretess." in utskick


def _definitioner(html):
    avsnitt = re.findall(r'<details class="definitioner">.*?</details>', html, re.S)
    return [dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", a, re.S)) for a in avsnitt]


def test_utredningen_visar_definitionerna_dar_man_valjer(scen, klient_for):
    Kategori.objects.filter(namn="Övrigt").update(beskrivning="<b>Inget</b> annat passar.")
    Kategori.objects.filter(namn="Handläggning").update(aktiv=False)
    html = hamta_html(klient_for("enhetschef"), scen.avv.get_absolute_url())
    kategorier, orsaker = _definitioner(html)
    assert kategorier["Sekretess"].startswith("Uppgifter om en enskild lämnades")
    assert kategorier["Övrigt"] == "&lt;b&gt;Inget&lt;/b&gt; annat passar."  # escaped
    assert "Handläggning" not in kategorier  # only the entries offered
    assert set(orsaker) == set(Orsaksomrade.objects.values_list("namn", flat=True))
    # Not for those who cannot investigate.
    assert _definitioner(hamta_html(klient_for("medarbetare"), scen.avv.get_absolute_url())) == []
