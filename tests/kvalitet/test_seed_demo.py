"""The demo data command: idempotent, one user per role, about sixty valid avvikelser,
and never run without DEBUG."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from avvikelser.models import Avvikelse
from kvalitet.models import (
    Atgard,
    Attachment,
    CaseLink,
    CaseNumberSeries,
    Enhet,
    Roll,
    TimelineEntry,
    Uppdrag,
    User,
    Utskick,
)
from rapporter.models import Kvalitetsberattelse

pytestmark = pytest.mark.django_db


def raknare():
    return {
        "enheter": Enhet.objects.count(),
        "anvandare": User.objects.count(),
        "uppdrag": Uppdrag.objects.count(),
        "avvikelser": Avvikelse.objects.count(),
        "avvikelsehistorik": Avvikelse.history.count(),
        "tidslinje": TimelineEntry.objects.count(),
        "atgarder": Atgard.objects.count(),
        "lankar": CaseLink.objects.count(),
        "bilagor": Attachment.objects.count(),
        "utskick": Utskick.objects.count(),
        "nummerserier": sorted(CaseNumberSeries.objects.values_list("prefix", "ar", "senaste")),
        "arenden": sorted(Avvikelse.objects.values_list("extern_id", "nummer", "status")),
        "rapporter": sorted(
            Kvalitetsberattelse.objects.values_list("ar", "version", "status", "pdf_sha256")
        ),
    }


def seed(**kwargs):
    ut = StringIO()
    call_command("seed_demo", stdout=ut, **kwargs)
    return ut.getvalue()


def test_seed_demo_ar_idempotent_och_fullstandig(
    settings, client, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    # The decided demo report's PDF is rendered after the commit, as in the browser.
    with django_capture_on_commit_callbacks(execute=True):
        utskrift = seed()
    forsta = raknare()
    seed()
    assert raknare() == forsta

    assert 55 <= forsta["avvikelser"] <= 65
    assert forsta["utskick"] == 0  # demo data queues no e-mail
    assert "Demoinloggningar (lösenord: demo)" in utskrift
    for roll in Roll:
        user = User.objects.get(username=roll.value)
        assert user.uppdrag.filter(roll=roll).exists(), roll
        assert roll.value in utskrift

    # The demo cases obey the model's own rules.
    for avvikelse in Avvikelse.objects.all():
        avvikelse.full_clean()

    # The printed logins work.
    response = client.post("/konto/logga-in/", {"username": "enhetschef", "password": "demo"})
    assert response.headers["Location"] == "/"
    assert client.get("/avvikelser/").status_code == 200

    # Last year's report is decided, its PDF archived, and the nämnd can download it.
    rapport = Kvalitetsberattelse.objects.get()
    assert rapport.ar == timezone.localdate().year - 1
    assert rapport.status == "faststalld"
    assert rapport.pdf_sha256 == hashlib.sha256(rapport.pdf.read()).hexdigest()
    client.logout()
    client.post("/konto/logga-in/", {"username": "namnd", "password": "demo"})
    response = client.get(f"/rapporter/{rapport.pk}/pdf/hamta/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_seed_demo_utan_arenden(settings):
    settings.DEBUG = True
    seed(utan_arenden=True)
    assert Avvikelse.objects.count() == 0
    assert User.objects.filter(username__in=list(Roll.values)).count() == len(Roll)


def test_seed_demo_vagrar_utan_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed()
    assert User.objects.count() == 0
    assert Avvikelse.objects.count() == 0
