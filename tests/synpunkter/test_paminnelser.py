"""Reminders of the 14-day answer deadline, with a frozen clock (`paminn(idag=...)` and
records with explicit dates): before the deadline the handler (or, with no handler, the
unit's enhetschef) is reminded once; after it the handler and the avdelningschef are
each reminded once; running again sends nothing; a new deadline may remind again;
answered and closed ones are not reminded."""

from datetime import UTC, date, datetime

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from kvalitet.models import Paminnelse, Utskick
from synpunkter.models import Synpunkt
from synpunkter.tasks import paminn
from tests.factories import SynpunktFactory
from tests.synpunkter.hjalp import satt_status

pytestmark = pytest.mark.django_db

# Received 1 March 2026 → answer by 15 March; reminders start 3 days before (12 March).
INKOM = datetime(2026, 3, 1, 10, 0)
FRIST = date(2026, 3, 15)


def d(dag):
    return date(2026, 3, dag)


@pytest.fixture
def paminnelsefall(syn, settings):
    settings.SYNPUNKT_PAMINNELSE_DAGAR_FORE = 3
    settings.SYNPUNKT_SVARSTID_DAGAR = 14
    s = SynpunktFactory(enhet=syn.org["EB"], inkom=timezone.make_aware(INKOM))
    assert s.tidsfrist == FRIST
    syn.fall = s
    return syn


def kor(idag):
    """Run the daily task for `idag`; return {recipient: [subject]} of what it sent."""
    fore = set(Utskick.objects.values_list("pk", flat=True))
    antal = paminn(idag=idag)
    nya = Utskick.objects.exclude(pk__in=fore).order_by("mottagare")
    skickat = {}
    for u in nya:
        skickat.setdefault(u.mottagare.split("@")[0], []).append(u.amne)
    assert antal == len(nya)
    return skickat


def fore_frist(s):
    return f"Påminnelse: {s.nummer} ska besvaras senast {FRIST:%Y-%m-%d}"


def forsenad(s):
    return f"Försenad: {s.nummer} skulle ha besvarats {FRIST:%Y-%m-%d}"


def test_handlaggaren_paminns_en_gang_fore_och_chefer_en_gang_efter(paminnelsefall):
    s = satt_status(
        paminnelsefall.fall, "under_handlaggning", handlaggare=paminnelsefall.personas["enhetschef"]
    )
    # (day, who gets which reminder that day)
    forvantat = [
        (d(1), {}),
        (d(11), {}),  # four days before: too early
        (d(12), {"enhetschef": [fore_frist(s)]}),  # three days before
        (d(12), {}),  # the task runs again the same day
        (d(13), {}),
        (d(15), {}),  # the deadline itself: already reminded
        (d(16), {"enhetschef": [forsenad(s)], "avdelningschef": [forsenad(s)]}),
        (d(16), {}),
        (d(17), {}),
        (d(30), {}),
    ]
    for idag, vantat in forvantat:
        assert kor(idag) == vantat, idag
    assert Paminnelse.objects.filter(object_id=s.pk).count() == 2


def test_utan_handlaggare_paminns_enhetschefen(paminnelsefall):
    s = satt_status(paminnelsefall.fall, "registrerad")
    assert kor(d(14)) == {"enhetschef": [fore_frist(s)]}
    assert kor(d(15)) == {}
    assert kor(d(20)) == {"enhetschef": [forsenad(s)], "avdelningschef": [forsenad(s)]}
    assert kor(d(21)) == {}


def test_handlaggare_utan_chefsroll(paminnelsefall):
    """A colleague handling it is the one reminded; when the deadline has passed the
    avdelningschef is told too (the enhetschef is not: they are not its handler)."""
    s = satt_status(
        paminnelsefall.fall,
        "under_handlaggning",
        handlaggare=paminnelsefall.personas["medarbetare"],
    )
    assert kor(d(13)) == {"medarbetare": [fore_frist(s)]}
    assert kor(d(16)) == {"medarbetare": [forsenad(s)], "avdelningschef": [forsenad(s)]}


def test_handlaggare_vars_uppdrag_upphort_ersatts_av_enhetschefen(paminnelsefall):
    """The handler has left the unit (their assignment ended): they no longer see the
    case, so the reminder goes to the unit's enhetschef instead of nobody who can act."""
    from kvalitet.models import Uppdrag

    medarbetare = paminnelsefall.personas["medarbetare"]
    s = satt_status(paminnelsefall.fall, "under_handlaggning", handlaggare=medarbetare)
    Uppdrag.objects.filter(anvandare=medarbetare).update(giltig_till=d(10))
    assert kor(d(13)) == {"enhetschef": [fore_frist(s)]}
    assert kor(d(16)) == {"enhetschef": [forsenad(s)], "avdelningschef": [forsenad(s)]}


def test_forsta_korningen_efter_fristen_ger_bara_forseningsbeskedet(paminnelsefall):
    s = satt_status(paminnelsefall.fall, "registrerad")
    assert kor(d(20)) == {"enhetschef": [forsenad(s)], "avdelningschef": [forsenad(s)]}
    assert kor(d(21)) == {}


def test_ny_tidsfrist_ger_nya_paminnelser(paminnelsefall):
    s = satt_status(
        paminnelsefall.fall, "under_handlaggning", handlaggare=paminnelsefall.personas["enhetschef"]
    )
    assert kor(d(12)) == {"enhetschef": [fore_frist(s)]}
    assert kor(d(16)) != {}
    # Reopened after a complainant came back: a new deadline is set.
    Synpunkt.objects.filter(pk=s.pk).update(tidsfrist=d(25))
    s.refresh_from_db()
    assert kor(d(21)) == {}
    assert kor(d(22)) == {"enhetschef": [f"Påminnelse: {s.nummer} ska besvaras senast 2026-03-25"]}
    assert kor(d(22)) == {}
    assert kor(d(26)) == {
        "avdelningschef": [f"Försenad: {s.nummer} skulle ha besvarats 2026-03-25"],
        "enhetschef": [f"Försenad: {s.nummer} skulle ha besvarats 2026-03-25"],
    }
    assert kor(d(27)) == {}


@pytest.mark.parametrize("status", ["besvarad", "avslutad"])
def test_inga_paminnelser_for_besvarade_eller_avslutade(status, paminnelsefall):
    satt_status(paminnelsefall.fall, status, handlaggare=paminnelsefall.personas["enhetschef"])
    for dag in (12, 15, 16, 30):
        assert kor(d(dag)) == {}
    assert Paminnelse.objects.count() == 0


def test_oregistrerad_paminner_registratorn_en_gang_nara_fristen(paminnelsefall):
    s = satt_status(paminnelsefall.fall, "inkommen")
    assert kor(d(11)) == {}
    amne = f"Oregistrerad: {s.nummer} ska besvaras senast {FRIST:%Y-%m-%d}"
    assert kor(d(12)) == {"registrator": [amne]}
    for dag in (13, 15, 16, 30):
        assert kor(d(dag)) == {}
    assert Paminnelse.objects.count() == 1


def test_ateroppnad_efter_svar_paminns_inte(paminnelsefall):
    s = satt_status(
        paminnelsefall.fall, "under_handlaggning", handlaggare=paminnelsefall.personas["enhetschef"]
    )
    Synpunkt.objects.filter(pk=s.pk).update(besvarad=timezone.make_aware(datetime(2026, 3, 10, 9)))
    for dag in (12, 16, 30):
        assert kor(d(dag)) == {}


def test_besvarad_efter_paminnelsen_far_ingen_forseningspaminnelse(paminnelsefall, klient_for):
    s = satt_status(
        paminnelsefall.fall, "under_handlaggning", handlaggare=paminnelsefall.personas["enhetschef"]
    )
    assert kor(d(12)) != {}
    svar = {"svar": "Vi har sett över ärendet.", "svarssatt": "brev"}
    assert (
        klient_for("enhetschef").post(f"/synpunkter/{s.nummer}/besvara/", svar).status_code == 302
    )
    assert kor(d(16)) == {}


def test_flera_arenden_paminns_var_for_sig(paminnelsefall):
    syn = paminnelsefall
    a = satt_status(syn.fall, "registrerad")
    b = SynpunktFactory(enhet=syn.org["KOLL"], inkom=timezone.make_aware(INKOM))
    satt_status(b, "registrerad")
    assert kor(d(12)) == {
        "enhetschef": [fore_frist(a)],
        "enhetschef_annan": [fore_frist(b)],
    }


def test_paminnelserna_innehaller_inga_arendeuppgifter(paminnelsefall):
    s = satt_status(paminnelsefall.fall, "registrerad")
    kor(d(12))
    kor(d(16))
    assert Utskick.objects.count() == 3
    for u in Utskick.objects.all():
        assert s.beskrivning not in u.text
        assert "Karin" not in u.text
        assert f"{django_settings.SITE_URL}/synpunkter/{s.nummer}/" in u.text


def test_utan_idag_galler_klockan(paminnelsefall, monkeypatch):
    """The periodic task runs without arguments: "today" is the local date of now()."""
    s = satt_status(paminnelsefall.fall, "registrerad")
    # 23:30 UTC on 11 March is 00:30 on 12 March in Stockholm: reminder day.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 11, 23, 30, tzinfo=UTC))
    assert timezone.localdate() == d(12)
    paminn()
    assert list(Utskick.objects.values_list("amne", flat=True)) == [fore_frist(s)]
    paminn()
    assert Utskick.objects.count() == 1


def test_uppgiften_ar_schemalagd():
    uppgifter = {v["task"] for v in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"synpunkter.tasks.paminn", "synpunkter.tasks.gallra_kontaktuppgifter"} <= uppgifter
