""" "Mina ärenden" lists, from 1 January, the processes whose key figures still lack last
year's result – to the processägare and the chefs of the process's unit, not to other
staff nor to those who merely see every process – until the result is recorded
(`ProcesserConfig.vantar_pa`), in one query whatever the number of processes."""

import re
from datetime import date

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from processer.choices import Status
from processer.models import Nyckeltal
from tests.processer.hjalp import nyckeltal, process

pytestmark = pytest.mark.django_db

AR = timezone.localdate().year
RUBRIK = "Nyckeltal att följa upp"


def vantande(klient):
    svar = klient.get("/")
    assert svar.status_code == 200
    return {
        v.rubrik: [(r.nummer, r.att_gora, r.datum) for r in v.rader]
        for v in svar.context["vantande"]
    }


@pytest.fixture
def p(org, personas):
    """A process of Ekonomiskt bistånd owned by its medarbetare, with last year's target
    set for a key figure but no result."""
    p = process(org["EB"], namn="Ekonomiskt bistånd", handlaggare=personas["medarbetare"])
    nyckeltal(p, "Dagar till beslut", matt="dagar", varden={AR - 1: (10, None), AR: (9, None)})
    nyckeltal(p, "Andel beslut i tid", varden={AR - 1: (90, 93)})
    return p


def test_agaren_och_enhetens_chefer_ska_registrera_forra_arets_utfall(p, klient_for):
    rad = [(p.nummer, f"Registrera utfall för {AR - 1}: 1 nyckeltal", date(AR, 1, 31))]
    for persona in ("medarbetare", "enhetschef", "avdelningschef"):
        assert vantande(klient_for(persona)).get(RUBRIK) == rad, persona
    # Other staff, another avdelning's chef and those who see every process: not theirs.
    for persona in (
        "medarbetare_annan",
        "enhetschef_annan",
        "utredare",
        "kvalitetssamordnare",
        "forvaltningschef",
    ):
        assert RUBRIK not in vantande(klient_for(persona)), persona
    sida = klient_for("medarbetare").get("/").content.decode()
    assert f'href="{p.get_absolute_url()}"' in sida
    assert f"Registrera utfall för {AR - 1}: 1 nyckeltal" in sida


def test_forsvinner_nar_utfallet_ar_registrerat(p, klient_for):
    klient = klient_for("medarbetare")
    n = Nyckeltal.objects.get(namn="Dagar till beslut")
    svar = klient.post(
        f"/processer/{p.nummer}/varde/",
        {"nyckeltal": n.pk, "ar": AR - 1, "malvarde": "10", "utfall": "11", "kommentar": ""},
    )
    assert svar.status_code == 302
    assert RUBRIK not in vantande(klient)


@pytest.mark.parametrize(
    "fall", ["utan-mal", "bara-i-ar", "mats-inte", "avvecklad", "med-utfall", "forrforra"]
)
def test_vantar_inte_utan_ett_saknat_utfall_for_forra_aret(org, personas, klient_for, fall):
    """Nothing waits for a process without last year's target, with only this year's,
    whose key figure is no longer measured, that is discontinued, whose result is in,
    or that lacks only the year before last's result."""
    status = Status.AVVECKLAD if fall == "avvecklad" else None
    q = process(org["EB"], handlaggare=personas["medarbetare"], status=status)
    varden = {
        "utan-mal": {},
        "bara-i-ar": {AR: (9, None)},
        "mats-inte": {AR - 1: (9, None)},
        "avvecklad": {AR - 1: (9, None)},
        "med-utfall": {AR - 1: (9, 0)},
        "forrforra": {AR - 2: (9, None), AR - 1: (9, 8)},
    }[fall]
    nyckeltal(q, varden=varden, aktivt=fall != "mats-inte")
    assert RUBRIK not in vantande(klient_for("medarbetare"))


def test_en_fraga_hur_manga_processer_som_an_vantar(org, personas):
    config = apps.get_app_config("processer")
    user = personas["enhetschef"]
    config.vantar_pa(user)  # the user's assignments, loaded once per request

    def fragor(antal):
        while len(config.vantar_pa(user)[0].rader) < antal:
            q = process(org["EB"], namn=f"Process {antal}")
            nyckeltal(q, "Första", varden={AR - 1: (1, None)})
            nyckeltal(q, "Andra", varden={AR - 1: (1, None)})
        with CaptureQueriesContext(connection) as c:
            rader = config.vantar_pa(user)[0].rader
        assert len(rader) == antal
        return len(c)

    assert fragor(3) == fragor(30) == 1


def _i_listan(klient, fraga):
    svar = klient.get(f"/processer/?{fraga}")
    assert svar.status_code == 200
    return set(re.findall(r'href="/processer/(PROC-\d{4}-\d{4})/"', svar.content.decode()))


def test_listans_vantar_pa_mig_ar_startsidans(p, org, personas, klient_for):
    """ "Bara de som väntar på mig" in the process list shows what the start page lists:
    not every active process of the chef's units, only those lacking last year's result."""
    klar = process(org["EB"], namn="Klar", handlaggare=personas["medarbetare"])
    nyckeltal(klar, varden={AR - 1: (9, 8)})
    for persona in ("medarbetare", "enhetschef"):
        klient = klient_for(persona)
        assert _i_listan(klient, "") >= {p.nummer, klar.nummer}, persona
        assert _i_listan(klient, "vantar=on") == {p.nummer}, persona
        assert {n for n, _, _ in vantande(klient)[RUBRIK]} == {p.nummer}, persona


def test_kvalitetssamordnaren_ser_vilka_processer_som_saknar_utfall(p, org, klient_for):
    """The kvalitetssamordnare, for whom nothing waits on the start page, finds across the
    map the processes whose key figures lack last year's result: "Saknar utfall för …"."""
    annan = process(org["KOLL"], namn="Vård på HVB")
    nyckeltal(annan, varden={AR - 1: (9, None)})
    klar = process(org["KOLL"], namn="Klar")
    nyckeltal(klar, varden={AR - 1: (9, 8), AR: (9, None)})
    avvecklad = process(org["EB"], namn="Avvecklad", status=Status.AVVECKLAD)
    nyckeltal(avvecklad, varden={AR - 1: (9, None)})
    klient = klient_for("kvalitetssamordnare")
    sida = klient.get("/processer/").content.decode()
    assert f"Saknar utfall för {AR - 1}" in sida
    # A discontinued process without its last result counts too: the report says so.
    assert _i_listan(klient, "saknar_utfall=on") == {p.nummer, annan.nummer, avvecklad.nummer}
    assert _i_listan(klient, "saknar_utfall=on&status=aktiv") == {p.nummer, annan.nummer}
    assert _i_listan(klient, "") >= {p.nummer, annan.nummer, klar.nummer}
