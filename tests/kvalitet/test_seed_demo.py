"""The demo data command: idempotent, one user per role, about sixty valid avvikelser,
and never run without DEBUG."""

import hashlib
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
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
from lexsarah.models import Dokument, LexSarah
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
        "lexsarah": sorted(LexSarah.objects.values_list("extern_id", "nummer", "status")),
        "lexsarahhistorik": LexSarah.history.count(),
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

    kontrollera_lex_sarah(client)

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


def kontrollera_lex_sarah(client):
    """The lex Sarah demo (lexsarah/demo.py): every avvikelse the förvaltningschef judged
    an allvarligt missförhållande has its case, linked to it; one case went all the way,
    one is under investigation with the utredare, and the demo medarbetare sees the
    status of one rapport and the feedback on another. Historic dates throughout."""
    client.logout()
    nu = timezone.now()
    ct_avv = ContentType.objects.get_for_model(Avvikelse)
    arenden = list(LexSarah.objects.filter(extern_id__startswith="demo-ls-"))
    assert 5 <= len(arenden) <= 8
    assert {ls.status for ls in arenden} == {
        "rapporterad",
        "under_utredning",
        "beslutad",
        "avslutad",
    }
    for ls in arenden:
        ls.full_clean()
        assert ls.nummer.startswith(f"LS-{timezone.localdate(ls.rapporterad).year}-")
        assert ls.skapad == ls.rapporterad
        # Nothing stamped with today by the steps is left: every date lies in the past.
        for falt in ("omedelbara_datum", "utredning_inledd", "bedomd", "utredning_klar"):
            dag = getattr(ls, falt)
            assert dag is None or timezone.localdate(ls.rapporterad) <= dag < nu.date(), falt
        assert ls.uppdaterad <= nu and all(t.skapad <= nu for t in ls.timeline.all())
        assert all(h.history_date <= nu for h in ls.history.all())
        # The deadline is the model's (LexSarah.save).
        vantande = [f.datum for f in ls.frister() if f.vantar]
        vantat = min(vantande) if vantande and ls.status != "avslutad" else None
        assert ls.tidsfrist == vantat, ls.nummer

    markerade = Avvikelse.objects.filter(fc_stallningstagande__in=("allvarligt", "lex_sarah"))
    assert markerade.count() == 2
    for avv in markerade:
        ls = LexSarah.objects.get(kalla_typ=ct_avv, kalla_id=avv.pk)
        # What happened with its consequences, as LexSarah.fran_arende writes it.
        assert (ls.vag, ls.enhet, ls.beskrivning) == (
            "avvikelse",
            avv.enhet,
            f"{avv.beskrivning}\n\nKonsekvenser: {avv.konsekvenser}",
        )
        # The position was the decision to investigate.
        assert ls.utredning_inledd == timezone.localdate(avv.timeline.get(typ="beslut").skapad)
        assert ls.rapporterad_av.username == "forvaltningschef"
        assert CaseLink.objects.filter(
            typ="skapad_fran", fran_id=ls.pk, till_typ=ct_avv, till_id=avv.pk
        ).exists()
        assert avv.timeline.filter(typ="lank", text=f"Gav upphov till: {ls.nummer}").exists()

    # All the way: investigated, classified, notified, decided by the nämnd, IVO's
    # decision, followed up, summary approved, closed.
    hela = LexSarah.objects.get(kalla_typ=ct_avv, status="avslutad")
    assert hela.klassning == "allvarligt_missforhallande"
    assert len(hela.handelseforlopp) >= 3 and hela.orsaksomraden.exists()
    assert hela.beslutsfattare == "namnd" and hela.paragraf and hela.diarienummer
    assert hela.bedomd <= hela.ivo_anmald <= hela.ivo_beslut
    assert hela.ivo_utfall == "avslutat_utan_kritik"
    assert hela.uppfoljd >= hela.uppfoljning_senast
    assert hela.anonym_godkand and hela.anonym_godkand_av.username == "forvaltningschef"
    assert hela.aterkoppling and hela.avslutad <= nu
    assert hela.atgarder.count() == 2
    assert {d.typ for d in Dokument.objects.filter(arende=hela)} == {
        "utredning",
        "tjansteskrivelse",
    }
    utreds = LexSarah.objects.get(kalla_typ=ct_avv, status="under_utredning")
    assert utreds.handlaggare.username == "utredare"
    assert utreds.ivo_anmald is not None

    # The demo medarbetare: a rapport waiting for the decision to investigate, and one
    # closed with feedback – status and feedback only, not the investigation.
    egna = LexSarah.objects.filter(rapporterad_av__username="medarbetare")
    assert set(egna.values_list("status", flat=True)) == {"rapporterad", "avslutad"}
    client.post("/konto/logga-in/", {"username": "medarbetare", "password": "demo"})
    for ls in egna:
        svar = client.get(ls.get_absolute_url())
        assert svar.status_code == 200
        html = svar.content.decode()
        assert ls.nummer in html
        assert ls.bakgrund == "" or ls.bakgrund not in html
        if ls.status == "avslutad":
            assert ls.aterkoppling in html
    client.logout()
    client.post("/konto/logga-in/", {"username": "forvaltningschef", "password": "demo"})
    for ls in arenden:
        assert client.get(ls.get_absolute_url()).status_code == 200
    client.logout()
