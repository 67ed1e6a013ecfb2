"""The status rules of every workflow, derived from what is declared.

`docs/arbetsfloden.md` states, per record type, every step with the statuses it may be
taken from and the status it leads to ("–" for a step that keeps it). The steps declared
in the code (`@transition`, `@step`) must be exactly those. From the declarations the
tests derive every (step, status) pair:

- from a status the step is not declared for, the step is refused – on the model with
  `TransitionNotAllowed`, through its URL with a Swedish message – and nothing changes;
- from a status it is declared for, it succeeds with valid input, leads to the
  documented status (or keeps it) and is recorded in the history and on the timeline
  (so the refusals above are not refusals for some other reason).

A new step or status is covered without editing this file once it is in the docs; a
new record type with steps needs its `Flode` below (how to make one in a given status,
who may act, valid input for steps with a form); a case type's is its declaration
(tests/arendetyp.py).
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from kvalitet.workflow import TransitionNotAllowed, steps_of
from tests.arendetyp import Flode
from tests.avvikelser.hjalp import AVVIKELSE
from tests.factories import AtgardFactory, AvvikelseFactory, KvalitetsberattelseFactory
from tests.internkontroll.hjalp import EGENKONTROLL, PLAN, REDOVISNING, TILLFALLE
from tests.lexsarah.hjalp import LEX_SARAH
from tests.processer.hjalp import PROCESS
from tests.riskregister.hjalp import REGISTERVERSION, RISK, RISKANALYS
from tests.stod import ogonblick as hela_ogonblicket
from tests.synpunkter.hjalp import SYNPUNKT
from tests.tillsyn.hjalp import TILLSYN

pytestmark = pytest.mark.django_db

DOKUMENT = Path(settings.BASE_DIR) / "docs" / "arbetsfloden.md"


# --- How to put each record type in a status ----------------------------------------------
#
# A case type's `Flode` is its declaration (tests.arendetyp.Arendeflode, in
# tests/<app>/hjalp.py), shared with its conformance suite.


def _atgard(v, status):
    from kvalitet.models import Atgard

    avv = AvvikelseFactory(enhet=v.org["EB"], rapporterad_av=v.personas["medarbetare"])
    atgard = AtgardFactory(arende=avv, ansvarig=v.personas["medarbetare"])
    genomford = timezone.localdate() if status in ("genomford", "utvarderad") else None
    Atgard.objects.filter(pk=atgard.pk).update(status=status, genomford=genomford)
    return atgard


def _berattelse(v, status):
    from rapporter.kapitel import KAPITEL
    from rapporter.models import Kapiteltext

    berattelse = KvalitetsberattelseFactory(ar=2025, status=status)
    # Every chapter written: a report with default or instruction text is not decided.
    for k in KAPITEL:
        Kapiteltext.objects.create(berattelse=berattelse, kapitel=k.slug, text=f"Om {k.titel}.")
    return berattelse


FLODEN = {
    AVVIKELSE.label: AVVIKELSE,
    SYNPUNKT.label: SYNPUNKT,
    LEX_SARAH.label: LEX_SARAH,
    TILLSYN.label: TILLSYN,
    "riskregister.Risk": RISK,
    "riskregister.Riskanalys": RISKANALYS,
    "riskregister.Registerversion": REGISTERVERSION,
    "internkontroll.Internkontrollplan": PLAN,
    "internkontroll.Internkontrollredovisning": REDOVISNING,
    "internkontroll.Kontrolltillfalle": TILLFALLE,
    "internkontroll.Egenkontroll": EGENKONTROLL,
    "processer.Process": PROCESS,
    "kvalitet.Atgard": Flode(
        skapa=_atgard,
        url=lambda obj, t: reverse(f"atgard_{t.name}", args=[obj.pk]),
        persona="medarbetare",
        # The owner moves it along; the case's chefs change it.
        personer={"andra": "enhetschef"},
        data={
            "utvardera": lambda v: {"effekt_kort_sikt": "Inga fler felskickade beslut."},
            "andra": lambda v: {
                "titel": "Ändrad rutin",
                "beskrivning": "",
                "ansvarig": v.personas["medarbetare"].pk,
                "forfallodatum": (timezone.localdate() + timedelta(days=40)).isoformat(),
                "forvantad_effekt": "",
            },
        },
    ),
    "rapporter.Kvalitetsberattelse": Flode(
        skapa=_berattelse,
        url=lambda obj, t: reverse(f"rapporter:{t.name}", args=[obj.pk]),
        persona="forvaltningschef",
        data={"faststall": lambda v: {"diarienummer": "SN 2026/12", "kommentar": "Beslut"}},
    ),
}


def modeller_med_steg():
    return {m._meta.label: m for m in apps.get_models() if steps_of(m)}


def statusar(modell):
    """{code: label} of the model's statuses."""
    return {k: str(v) for k, v in modell._meta.get_field("status").flatchoices}


def par(giltiga):
    """pytest parameters (type, step, status) for every pair the step is (not) declared for."""
    for label, modell in sorted(modeller_med_steg().items()):
        for t in steps_of(modell):
            for status in statusar(modell):
                if t.allowed_from(status) is giltiga:
                    yield pytest.param(label, t.name, status, id=f"{label}.{t.name}-fran-{status}")


# --- The declarations against the documentation ---------------------------------------------


def dokumenterade_steg():
    """{model label: {(address, frozenset(from-status labels), to-status label)}} read from
    the tables of docs/arbetsfloden.md ("alla" and "–" as they are written)."""
    steg = {}
    aktuell = None
    for rad in DOKUMENT.read_text(encoding="utf-8").splitlines():
        if rubrik := re.match(r"^## .*\(`([\w.]+)`\)\s*$", rad):
            aktuell = steg.setdefault(rubrik[1], set())
            continue
        celler = [c.strip() for c in rad.strip().strip("|").split("|")]
        if aktuell is None or len(celler) < 4 or not re.fullmatch(r"`[\w-]+`", celler[1]):
            continue
        fran = frozenset(s.strip() for s in celler[2].split(","))
        aktuell.add((celler[1].strip("`"), fran, celler[3]))
    return steg


def deklarerade_steg(modell):
    namn = statusar(modell)
    return {
        (
            t.slug,
            frozenset(namn[s] for s in t.source) if t.source is not None else frozenset({"alla"}),
            namn[t.target] if t.changes_status else "–",
        )
        for t in steps_of(modell)
    }


def test_dokumentationen_tar_upp_varje_typ_med_steg():
    assert set(dokumenterade_steg()) == set(modeller_med_steg())


@pytest.mark.parametrize("label", sorted(modeller_med_steg()))
def test_stegen_ar_de_dokumenterade(label):
    """A step added, removed or given another source or target status in the code, and
    not in docs/arbetsfloden.md, fails here."""
    assert deklarerade_steg(modeller_med_steg()[label]) == dokumenterade_steg()[label]


def test_parsern_ser_tabellerna():
    """The comparison above cannot pass by reading nothing."""
    steg = dokumenterade_steg()
    assert ("besvara", frozenset({"Registrerad", "Under handläggning"}), "Besvarad") in steg[
        "synpunkter.Synpunkt"
    ]
    assert ("stallningstagande", frozenset({"alla"}), "–") in steg["avvikelser.Avvikelse"]
    assert ("besluta", frozenset({"Förslag till beslut"}), "Beslutad") in steg["lexsarah.LexSarah"]
    assert sum(len(s) for s in steg.values()) == 70


@pytest.mark.parametrize("label", sorted(modeller_med_steg()))
def test_varje_typ_med_steg_har_ett_flode_och_data_for_varje_formular(label):
    flode = FLODEN.get(label)
    assert flode is not None, f"{label} har steg men inget Flode i {__name__}"
    med_formular = {t.name for t in steps_of(modeller_med_steg()[label]) if t.form}
    assert set(flode.data) == med_formular


# --- Every pair ---------------------------------------------------------------------------


@pytest.fixture
def varld(org, personas):
    from types import SimpleNamespace

    return SimpleNamespace(org=org, personas=personas)


def forbered(varld, label, steg, status):
    modell = modeller_med_steg()[label]
    flode = FLODEN[label]
    t = next(t for t in steps_of(modell) if t.name == steg)
    obj = flode.skapa(varld, status)
    obj = modell._default_manager.get(pk=obj.pk)
    persona = flode.stegpersona(t)
    data = flode.stegdata(t, varld)
    return t, obj, varld.personas[persona], persona, data


def argument(t, obj, user, data):
    """The step's keyword arguments, cleaned by its form as the view does."""
    form = t.make_form(data, obj=obj, user=user)
    if form is None:
        return {}
    assert form.is_valid(), form.errors
    return form.cleaned_data


def ogonblick(obj):
    """The record's whole row and its history, and everything else a step could write
    (the shared snapshot: timeline, outbox, every part's rows ...)."""
    modell = type(obj)
    return {
        **hela_ogonblicket(),
        "rad": modell._default_manager.filter(pk=obj.pk).values().get(),
        "historik": modell.history.count(),
    }


def vantat_meddelande(t, obj, status):
    atgard = str(t.verb or t.label).lower()
    return f"Det går inte att {atgard} när status är {statusar(type(obj))[status].lower()}."


@pytest.mark.parametrize(("label", "steg", "status"), list(par(giltiga=False)))
def test_steg_fran_fel_status_nekas_pa_modellen(label, steg, status, varld):
    t, obj, user, _p, data = forbered(varld, label, steg, status)
    kwargs = argument(t, obj, user, data)
    fore = ogonblick(obj)
    with pytest.raises(TransitionNotAllowed) as fel:
        getattr(obj, t.name)(av=user, **kwargs)
    assert str(fel.value) == vantat_meddelande(t, obj, status)
    assert ogonblick(obj) == fore


@pytest.mark.parametrize(("label", "steg", "status"), list(par(giltiga=False)))
def test_steg_fran_fel_status_nekas_i_vyn(label, steg, status, varld, klient_for):
    t, obj, _u, persona, data = forbered(varld, label, steg, status)
    fore = ogonblick(obj)
    response = klient_for(persona).post(FLODEN[label].stegurl(obj, t), data)
    assert response.status_code == 302, response.status_code
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        vantat_meddelande(t, obj, status)
    ]
    assert ogonblick(obj) == fore


@pytest.mark.parametrize(("label", "steg", "status"), list(par(giltiga=True)))
def test_steg_fran_ratt_status_lyckas(label, steg, status, varld, klient_for):
    t, obj, _u, persona, data = forbered(varld, label, steg, status)
    fore = ogonblick(obj)
    response = klient_for(persona).post(FLODEN[label].stegurl(obj, t), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    obj.refresh_from_db()
    assert obj.status == (t.target or status)
    efter = ogonblick(obj)
    assert efter["historik"] == fore["historik"] + 1
    assert efter["tidslinje"] > fore["tidslinje"]
