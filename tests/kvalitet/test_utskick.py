"""The e-mail outbox: every notification is an `Utskick` row written in the same
transaction as the change, delivered by Celery after commit; if the broker is down the
row waits for the periodic task. Mails carry the case number and a link, never the
case's text."""

from datetime import timedelta

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from avvikelser.models import Avvikelse
from kvalitet.celery import app
from kvalitet.models import Roll, Utskick
from kvalitet.tasks import MAX_FORSOK, leverera, leverera_vantande
from tests.factories import UppdragFactory, UserFactory
from tests.stod import nollstall_celery, satt_status

pytestmark = pytest.mark.django_db

BESKRIVNING = "Klientens beslut om placering skickades till fel adress."
KONSEKVENSER = "Känsliga uppgifter om en placerad ungdom kan ha röjts."


def rapport(s, enhet="EB"):
    return {
        "typ": "avvikelse",
        "enhet": s.org[enhet].pk,
        "handelsedatum": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "beror_enskild": "True",
        "beskrivning": BESKRIVNING,
        "konsekvenser": KONSEKVENSER,
    }


def arkivera(klient, s, enhet="EB"):
    response = klient.post("/avvikelser/ny/", rapport(s, enhet))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Avvikelse.objects.get(beskrivning=BESKRIVNING)


def inga_detaljer(text):
    """No case text in a mail: e-mail is not a safe channel for confidential records."""
    for hemligt in (BESKRIVNING, KONSEKVENSER, "placering", "röjts", "Otydlig rutin"):
        assert hemligt not in text, hemligt


def test_ny_rapport_skickas_till_enhetschefen_efter_commit(
    scen, klient_for, mailoutbox, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        avv = arkivera(klient_for("medarbetare"), scen)
        # Written in the transaction, delivered only after commit.
        rad = Utskick.objects.get()
        assert rad.skickad is None
        assert mailoutbox == []
    assert len(callbacks) == 1

    rad.refresh_from_db()
    assert rad.mottagare == "enhetschef@exempelkommun.se"
    assert rad.skickad is not None and rad.forsok == 1
    assert len(mailoutbox) == 1
    mejl = mailoutbox[0]
    assert mejl.to == ["enhetschef@exempelkommun.se"]
    assert mejl.subject == f"[Kvalitet] Ny avvikelse {avv.nummer} – Ekonomiskt bistånd"
    assert avv.nummer in mejl.body
    assert f"{settings.SITE_URL}/avvikelser/{avv.nummer}/" in mejl.body
    inga_detaljer(mejl.subject + mejl.body)


def test_team_utan_egen_chef_gar_till_enhetens_chef(
    scen, klient_for, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        arkivera(klient_for("medarbetare"), scen, enhet="TEAM")
    assert [m.to for m in mailoutbox] == [["enhetschef@exempelkommun.se"]]


def test_team_med_egen_chef_gar_bara_till_teamets_chef(
    scen, klient_for, mailoutbox, django_capture_on_commit_callbacks
):
    teamchef = UserFactory(username="teamchef")
    UppdragFactory(anvandare=teamchef, roll=Roll.ENHETSCHEF, enhet=scen.org["TEAM"])
    tidigare = UserFactory(username="tidigare_teamchef")
    UppdragFactory(
        anvandare=tidigare,
        roll=Roll.ENHETSCHEF,
        enhet=scen.org["TEAM"],
        giltig_till=timezone.localdate() - timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        arkivera(klient_for("medarbetare"), scen, enhet="TEAM")
    assert [m.to for m in mailoutbox] == [["teamchef@exempelkommun.se"]]


def test_chefen_far_inget_mejl_om_sin_egen_rapport(
    scen, klient_for, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        arkivera(klient_for("enhetschef"), scen)
    assert Utskick.objects.count() == 0
    assert mailoutbox == []


def test_avslut_meddelar_den_som_rapporterade(
    scen, klient_for, mailoutbox, django_capture_on_commit_callbacks, settings
):
    satt_status(scen.avv, "under_utredning", kategori=scen.kategori, analys="Otydlig rutin.")
    with django_capture_on_commit_callbacks(execute=True):
        response = klient_for("enhetschef").post(
            f"/avvikelser/{scen.avv.nummer}/avsluta/",
            {"aterkoppling": "Klientens placering hanteras nu enligt ny rutin.", "bekraftad": "ja"},
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mejl = mailoutbox[0]
    assert mejl.to == ["medarbetare@exempelkommun.se"]
    assert mejl.subject == f"[Kvalitet] Din rapport {scen.avv.nummer} är avslutad"
    assert f"{settings.SITE_URL}/avvikelser/{scen.avv.nummer}/" in mejl.body
    inga_detaljer(mejl.subject + mejl.body)
    assert "ny rutin" not in mejl.body
    assert Utskick.objects.get().skickad is not None


def test_ny_atgard_meddelar_den_ansvarige(
    scen, klient_for, mailoutbox, django_capture_on_commit_callbacks, settings
):
    data = {
        "titel": "Byt adressregister för placeringar",
        "typ": "rutin",
        "beskrivning": "Klientens adress ska kontrolleras mot folkbokföringen.",
        "ansvarig": scen.personas["medarbetare"].pk,
        "forfallodatum": (timezone.localdate() + timedelta(days=14)).isoformat(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = klient_for("enhetschef").post(f"/avvikelser/{scen.avv.nummer}/atgarder/", data)
    assert response.status_code == 302
    atgard = scen.avv.atgarder.get(titel=data["titel"])
    assert [m.to for m in mailoutbox] == [["medarbetare@exempelkommun.se"]]
    mejl = mailoutbox[0]
    assert mejl.subject == f"[Kvalitet] Du är ansvarig för en åtgärd i {scen.avv.nummer}"
    assert f"{settings.SITE_URL}/avvikelser/{scen.avv.nummer}/#atgard-{atgard.pk}" in mejl.body
    assert data["forfallodatum"] in mejl.body
    assert "folkbokföringen" not in mejl.body
    assert "adressregister" not in mejl.body
    inga_detaljer(mejl.body)


def test_ingen_mejl_till_sig_sjalv_inaktiv_eller_utan_adress(
    scen, klient_for, mailoutbox, django_capture_on_commit_callbacks
):
    from kvalitet.notifieringar import notifiera

    medarbetare = scen.personas["medarbetare"]
    inaktiv = UserFactory(username="slutat", is_active=False)
    utan_adress = UserFactory(username="utan_adress", email="")
    with django_capture_on_commit_callbacks(execute=True):
        rader = notifiera(
            [medarbetare, medarbetare, inaktiv, utan_adress, None, scen.personas["enhetschef"]],
            "avvikelser/mejl/ny.txt",
            {"avvikelse": scen.avv},
            utom=scen.personas["enhetschef"],
        )
    assert [r.mottagare for r in rader] == ["medarbetare@exempelkommun.se"]
    assert [m.to for m in mailoutbox] == [["medarbetare@exempelkommun.se"]]


# --- Broker down, then back ------------------------------------------------------------------


@pytest.fixture
def broker_nere(settings):
    """Celery pointed at a port where nothing listens; restored afterwards."""
    broker_url, eager = app.conf.broker_url, app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    nollstall_celery(app, broker_url="redis://127.0.0.1:6390/0", eager=False)
    yield
    nollstall_celery(app, broker_url=broker_url, eager=eager)


def test_broker_nere_rapporten_sparas_och_levereras_senare(
    scen, klient_for, mailoutbox, django_capture_on_commit_callbacks, broker_nere, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        avv = arkivera(klient_for("medarbetare"), scen)
    assert Avvikelse.objects.filter(pk=avv.pk).exists()
    rad = Utskick.objects.get()
    assert rad.skickad is None
    assert mailoutbox == []
    assert f"Kunde inte köa utskick {rad.pk}" in caplog.text

    # The broker is back: the periodic task delivers what waited, exactly once.
    assert leverera_vantande() == 1
    rad.refresh_from_db()
    assert rad.skickad is not None
    assert [m.to for m in mailoutbox] == [["enhetschef@exempelkommun.se"]]
    assert avv.nummer in mailoutbox[0].body

    assert leverera_vantande() == 0
    assert leverera(rad.pk) is False
    assert len(mailoutbox) == 1


class TrasigBackend(BaseEmailBackend):
    """An SMTP server that refuses everything."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP-servern svarar inte")


def test_smtp_fel_registreras_och_forsoks_igen(scen, mailoutbox, settings):
    from kvalitet.notifieringar import notifiera

    rad = notifiera(
        [scen.personas["enhetschef"]], "avvikelser/mejl/ny.txt", {"avvikelse": scen.avv}
    )[0]
    settings.EMAIL_BACKEND = "tests.kvalitet.test_utskick.TrasigBackend"
    assert leverera(rad.pk) is False
    rad.refresh_from_db()
    assert (rad.skickad, rad.forsok) == (None, 1)
    assert "SMTP-servern svarar inte" in rad.senaste_fel

    # The next attempt waits (back-off); the periodic task leaves the row until then.
    assert rad.nasta_forsok > timezone.now()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert leverera_vantande() == 0
    Utskick.objects.filter(pk=rad.pk).update(nasta_forsok=timezone.now())
    assert leverera_vantande() == 1
    rad.refresh_from_db()
    assert rad.skickad is not None
    assert rad.forsok == 2
    assert len(mailoutbox) == 1


def test_rader_som_misslyckats_for_manga_ganger_forsoks_inte_igen(scen, mailoutbox):
    Utskick.objects.create(
        mottagare="enhetschef@exempelkommun.se",
        amne="Gammal",
        text="x",
        forsok=MAX_FORSOK,
        nasta_forsok=None,  # given up (kvalitet.tasks.leverera)
    )
    Utskick.objects.create(mottagare="enhetschef@exempelkommun.se", amne="Ny", text="x")
    assert leverera_vantande() == 1
    assert [m.subject for m in mailoutbox] == ["[Kvalitet] Ny"]


def test_enhet_utan_enhetschef_gar_till_avdelningschefen(
    scen, klient_for, mailoutbox, django_capture_on_commit_callbacks
):
    # Bistånd barn och unga has no enhetschef anywhere above it: the report must still
    # reach someone, the avdelningschef of Myndighetsavdelningen.
    UppdragFactory(
        anvandare=scen.personas["medarbetare"], roll=Roll.MEDARBETARE, enhet=scen.org["BUV"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        arkivera(klient_for("medarbetare"), scen, enhet="BUV")
    assert [m.to for m in mailoutbox] == [["avdelningschef@exempelkommun.se"]]
