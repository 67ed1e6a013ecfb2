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
who may act, valid input for steps with a form).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from kvalitet.models import TimelineEntry, Utskick
from kvalitet.workflow import TransitionNotAllowed, steps_of
from tests.factories import (
    AtgardFactory,
    AvvikelseFactory,
    KvalitetsberattelseFactory,
    SynpunktFactory,
)

pytestmark = pytest.mark.django_db

DOKUMENT = Path(settings.BASE_DIR) / "docs" / "arbetsfloden.md"
KONTAKT = {"namn": "Karin Kontaktsson", "epost": "karin@example.org", "telefon": ""}


# --- How to put each record type in a status ----------------------------------------------


def _avvikelse(v, status):
    from avvikelser.models import Avvikelse, Kategori

    kategori, _ = Kategori.objects.get_or_create(namn="Handläggning")
    avv = AvvikelseFactory(
        enhet=v.org["EB"],
        rapporterad_av=v.personas["medarbetare"],
        kategori=kategori,
        analys="Otydlig rutin.",
    )
    avslutad = timezone.now() if status == "avslutad" else None
    Avvikelse.objects.filter(pk=avv.pk).update(status=status, avslutad=avslutad)
    return avv


def _synpunkt(v, status):
    from synpunkter.models import Synpunkt

    syn = SynpunktFactory(enhet=v.org["EB"], kontakt=KONTAKT)
    falt = {"status": status}
    if status in ("besvarad", "avslutad"):
        falt.update(besvarad=timezone.now(), svar="Vi beklagar.", svarssatt="brev")
    if status == "avslutad":
        falt.update(avslutad=timezone.now(), brustit=False, ledde_till_forbattring=False)
    Synpunkt.objects.filter(pk=syn.pk).update(**falt)
    return syn


def _atgard(v, status):
    from kvalitet.models import Atgard

    avv = AvvikelseFactory(enhet=v.org["EB"], rapporterad_av=v.personas["medarbetare"])
    atgard = AtgardFactory(arende=avv, ansvarig=v.personas["medarbetare"])
    genomford = timezone.localdate() if status in ("genomford", "utvarderad") else None
    Atgard.objects.filter(pk=atgard.pk).update(status=status, genomford=genomford)
    return atgard


def _berattelse(v, status):
    return KvalitetsberattelseFactory(ar=2025, status=status)


def _synpunktskategori():
    from synpunkter.models import Kategori

    return Kategori.objects.get_or_create(namn="Handläggning")[0].pk


@dataclass
class Flode:
    """What the tests need to know of one record type with steps."""

    skapa: Callable  # (world, status) -> a saved record in that status
    url: Callable  # (record, Transition) -> the step's URL
    persona: str  # who may take the steps
    personer: dict = field(default_factory=dict)  # step name -> persona, where another
    data: dict = field(default_factory=dict)  # step name -> (world) -> valid POST data


FLODEN = {
    "avvikelser.Avvikelse": Flode(
        skapa=_avvikelse,
        url=lambda obj, t: reverse(f"avvikelser:{t.name}", args=[obj.nummer]),
        persona="enhetschef",
        personer={"ta_stallning": "forvaltningschef"},
        data={
            "avsluta": lambda v: {"aterkoppling": "Rutinen är förtydligad."},
            "ateroppna": lambda v: {"kommentar": "Ny information från IVO."},
            "utred": lambda v: {"analys": "Rutinen för utskick var otydlig."},
            "ta_stallning": lambda v: {
                "stallningstagande": "inte_allvarlig",
                "mottagen": timezone.localdate().isoformat(),
            },
        },
    ),
    "synpunkter.Synpunkt": Flode(
        skapa=_synpunkt,
        url=lambda obj, t: reverse(f"synpunkter:{t.name}", args=[obj.nummer]),
        persona="enhetschef",
        personer={"registrera": "registrator"},
        data={
            "registrera": lambda v: {
                "typ": "klagomal",
                "enhet": v.org["EB"].pk,
                "kategori": _synpunktskategori(),
                "avsandare": "brukare",
                "diarienummer": "",
            },
            "besvara": lambda v: {"svar": "Vi har sett över rutinen.", "svarssatt": "brev"},
            "avsluta": lambda v: {"brustit": "False", "ledde_till_forbattring": "False"},
            "ateroppna": lambda v: {"kommentar": "Klaganden hörde av sig igen."},
            "registrera_delegation": lambda v: {
                "status": "begard",
                "datum": timezone.localdate().isoformat(),
            },
        },
    ),
    "kvalitet.Atgard": Flode(
        skapa=_atgard,
        url=lambda obj, t: reverse(f"atgard_{t.name}", args=[obj.pk]),
        persona="medarbetare",
        data={"utvardera": lambda v: {"effekt_kort_sikt": "Inga fler felskickade beslut."}},
    ),
    "rapporter.Kvalitetsberattelse": Flode(
        skapa=_berattelse,
        url=lambda obj, t: reverse(f"rapporter:{t.name}", args=[obj.pk]),
        persona="forvaltningschef",
        data={"faststall": lambda v: {"kommentar": "Socialnämnden 2026-02-19 § 14"}},
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
            namn[t.target] if t.andrar_status else "–",
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
    assert sum(len(s) for s in steg.values()) == 15


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
    persona = flode.personer.get(steg, flode.persona)
    data = flode.data[steg](varld) if steg in flode.data else {}
    return t, obj, varld.personas[persona], persona, data


def argument(t, obj, user, data):
    """The step's keyword arguments, cleaned by its form as the view does."""
    form = t.make_form(data, obj=obj, user=user)
    if form is None:
        return {}
    assert form.is_valid(), form.errors
    return form.cleaned_data


def ogonblick(obj):
    """The record's row and everything a step writes besides it."""
    from rapporter.models import Kapiteltext

    modell = type(obj)
    return {
        "rad": modell._default_manager.filter(pk=obj.pk).values().get(),
        "historik": modell.history.count(),
        "tidslinje": TimelineEntry.objects.count(),
        "utskick": Utskick.objects.count(),
        "kapiteltexter": Kapiteltext.objects.count(),
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
    response = klient_for(persona).post(FLODEN[label].url(obj, t), data)
    assert response.status_code == 302, response.status_code
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        vantat_meddelande(t, obj, status)
    ]
    assert ogonblick(obj) == fore


@pytest.mark.parametrize(("label", "steg", "status"), list(par(giltiga=True)))
def test_steg_fran_ratt_status_lyckas(label, steg, status, varld, klient_for):
    t, obj, _u, persona, data = forbered(varld, label, steg, status)
    fore = ogonblick(obj)
    response = klient_for(persona).post(FLODEN[label].url(obj, t), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    obj.refresh_from_db()
    assert obj.status == (t.target or status)
    efter = ogonblick(obj)
    assert efter["historik"] == fore["historik"] + 1
    assert efter["tidslinje"] > fore["tidslinje"]
