"""Query counts: the list, the start page and the detail page cost the same number of
queries whatever the number of cases (or of timeline rows, actions, attachments and
links on a case), and stay under a fixed ceiling."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from avvikelser.models import Avvikelse
from kvalitet.models import Attachment, CaseLink
from tests.factories import AtgardFactory, AvvikelseFactory
from tests.stod import fil, pdf_bytes

pytestmark = pytest.mark.django_db

NUMMER = re.compile(r'href="/avvikelser/(AVV-\d{4}-\d{4})/')

# The ceilings; raise one only with a reason (a new section on the page, say).
MAX_LISTA = 10
# The start page: two queries per case type (what waits, own reports), and for a chef one
# more per type (the deadline figure) – four types.
# Plus one query each for what waits in the parts that are not cases (risks to review,
# control occasions to carry out, key figures without last year's result:
# `Del.vantar_pa`). And one for the second factor's guard (kvalitet.tvastegs): whether a
# person logged in with a password has an app.
MAX_START = 20
# The start page's figures (issue 11, kvalitet/startfigurer.py): a fixed number of queries
# whatever the data – the kvalitetssamordnare's 16 (of them 12 the report's own
# `svarstider` for this year and last), the förvaltningschef's 3.
MAX_START_SAMORDNARE = MAX_START + 16
MAX_START_FC = MAX_START + 3
MAX_DETALJ = 18


def fyll_pa(scen, antal):
    """Bring the number of cases visible to every persona below up to `antal`: cases in
    Ekonomiskt bistånd reported by `medarbetare`, with a category, cause areas, an
    action owned by the reporter and a handler, so every relation on the pages is used."""
    medarbetare = scen.personas["medarbetare"]
    enhetschef = scen.personas["enhetschef"]
    finns = Avvikelse.objects.filter(rapporterad_av=medarbetare).count()
    for i in range(finns, antal):
        avv = AvvikelseFactory(
            enhet=scen.org["EB" if i % 2 else "TEAM"],
            rapporterad_av=medarbetare,
            skapad_av=medarbetare,
            kategori=scen.kategori,
            handlaggare=enhetschef if i % 3 else None,
            status="under_utredning" if i % 3 else "rapporterad",
            tidsfrist=timezone.localdate() + timedelta(days=i - 5),
        )
        avv.orsaksomraden.add(scen.orsak)
        AtgardFactory(arende=avv, ansvarig=medarbetare)


def fyll_pa_arendet(scen, antal):
    """Give the case `antal` timeline entries, actions, attachments, links and history rows."""
    avv = scen.avv
    medarbetare = scen.personas["medarbetare"]
    avv.orsaksomraden.add(scen.orsak)
    while avv.timeline.count() < antal:
        avv.log("kommentar", av=medarbetare, text="Kommentar")
    while avv.atgarder.count() < antal:
        AtgardFactory(arende=avv, ansvarig=medarbetare)
    while Attachment.objects.filter(object_id=avv.pk).count() < antal:
        Attachment.store(avv, fil("underlag.pdf", pdf_bytes()), "application/pdf", medarbetare)
    while CaseLink.objects.filter(fran_id=avv.pk).count() < antal:
        avv.link(AvvikelseFactory(enhet=scen.org["EB"]), "liknande", av=medarbetare)
    while avv.history.count() < antal:
        avv.vidtagna_atgarder += "."
        avv.save()


def antal_fragor(klient, url):
    klient.get(url)  # warm caches (content types, templates) outside the measurement
    with CaptureQueriesContext(connection) as fragor:
        response = klient.get(url)
    assert response.status_code == 200
    return len(fragor), response


# (id, url, persona, ceiling, links to cases the page shows with 3 and with 30 cases)
SIDOR = [
    ("lista-enhetschef", "/avvikelser/", "enhetschef", MAX_LISTA, 4, 25),
    ("lista-medarbetare", "/avvikelser/", "medarbetare", MAX_LISTA, 3, 25),
    ("lista-kvalitetssamordnare", "/avvikelser/", "kvalitetssamordnare", MAX_LISTA, 5, 25),
    ("lista-filtrerad", "/avvikelser/?status=under_utredning&enhet=EB", "enhetschef",
     MAX_LISTA, 2, 20),
    # Waiting: the open cases of the unit, the 25 most urgent of 31 (StartView.MAX_VANTAR).
    ("start-enhetschef", "/", "enhetschef", MAX_START, 4, 25),
    # The ten latest own reports and the 30 actions.
    ("start-medarbetare", "/", "medarbetare", MAX_START, 6, 40),
    # Sees everything, but nothing waits for them.
    ("start-kvalitetssamordnare", "/", "kvalitetssamordnare", MAX_START_SAMORDNARE, 0, 0),
    # Investigated cases still without a position.
    ("start-forvaltningschef", "/", "forvaltningschef", MAX_START_FC, 2, 20),
]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "persona", "tak", "rader_3", "rader"), [pytest.param(*s[1:], id=s[0]) for s in SIDOR]
)
def test_sidan_kostar_lika_manga_fragor_med_3_och_30_arenden(
    url,
    persona,
    tak,
    rader_3,
    rader,
    scen,
    klient_for,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    url = url.replace("enhet=EB", f"enhet={scen.org['EB'].pk}")
    klient = klient_for(persona)
    fyll_pa(scen, 3)
    med_3, response = antal_fragor(klient, url)
    # The page shows the cases at both sizes: the counts compared are of real pages.
    assert len(NUMMER.findall(response.content.decode())) == rader_3
    fyll_pa(scen, 30)
    with django_assert_num_queries(med_3):
        response = klient.get(url)
    # The page really shows the larger number of cases.
    assert len(NUMMER.findall(response.content.decode())) == rader
    with django_assert_max_num_queries(tak):
        klient.get(url)


@pytest.mark.parametrize("persona", ["enhetschef", "medarbetare", "forvaltningschef"])
def test_detaljsidan_kostar_lika_manga_fragor_med_3_och_30_av_allt(
    persona, scen, klient_for, django_assert_max_num_queries, django_assert_num_queries
):
    klient = klient_for(persona)
    url = scen.avv.get_absolute_url()
    fyll_pa_arendet(scen, 3)
    med_3, _ = antal_fragor(klient, url)
    fyll_pa_arendet(scen, 30)
    with django_assert_num_queries(med_3):
        response = klient.get(url)
    assert response.content.decode().count('<article id="atgard-') == 30
    with django_assert_max_num_queries(MAX_DETALJ):
        klient.get(url)
