"""What follows from a control's result (docs/arbetsfloden.md, "Kontrolltillfällen"): an
improvement action (the shared one), an avvikelse (`/avvikelser/ny/?fran=IK-…`), a lex
Sarah rapport (`/lexsarah/ny/?fran=IK-…`) and a new assessment of the control's risk –
each created from the result and linked to it. `?fran=` names a case or a result; a
risk's number is no source of an avvikelse."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from avvikelser.models import Avvikelse
from internkontroll.choices import Bedomning, Tillfallestatus
from internkontroll.models import Kontrolltillfalle
from kvalitet.models import Atgard, Beslutsstatus, CaseLink
from lexsarah.models import LexSarah
from riskregister.models import Bedomning as Riskbedomning
from riskregister.models import Risk
from tests.internkontroll.hjalp import kontroll, plan, tillfalle
from tests.riskregister.hjalp import risk
from tests.stod import hamta_html, meddelanden, ogonblick

pytestmark = pytest.mark.django_db

IDAG = timezone.localdate


@pytest.fixture
def f(org, personas):
    """SN 1 of the decided plan 2026, performed by Ekonomiskt bistånd (named performer
    `medarbetare`) against the risk `f.risk` (3 × 4 = 12); its first occasion `f.t`
    recorded with Mindre brister."""
    s = SimpleNamespace(org=org, personas=personas)
    s.risk = risk(org["EB"], (date(2025, 1, 10), 3, 4), titel="Fel belopp betalas ut")
    p = plan(2026, status=Beslutsstatus.FASTSTALLD)
    s.k = kontroll(p, org["EB"], kod="SN 1", utforare=personas["medarbetare"], risk=s.risk)
    s.t = tillfalle(
        s.k,
        1,
        status=Tillfallestatus.KLAR,
        avvikelser=2,
        bedomning=Bedomning.MINDRE_BRISTER,
        kommentar="Två utbetalningar saknade beslut.",
    )
    return s


def _lank(fran, till, typ):
    return CaseLink.objects.filter(
        fran_typ=ContentType.objects.get_for_model(fran),
        fran_id=fran.pk,
        till_typ=ContentType.objects.get_for_model(till),
        till_id=till.pk,
        typ=typ,
    )


def test_sidan_erbjuder_foljderna_efter_resultatet(f, klient_for):
    sida = hamta_html(klient_for("enhetschef"), f.t.get_absolute_url())
    assert "Vad resultatet leder till" in sida
    assert f'href="/avvikelser/ny/?fran={f.t.nummer}"' in sida
    assert f'href="/lexsarah/ny/?fran={f.t.nummer}"' in sida
    assert f'action="/internkontroll/{f.t.nummer}/bedom-risk/"' in sida
    # The performer records, but does not work on the risk: no re-assessment offered.
    sida = hamta_html(klient_for("medarbetare"), f.t.get_absolute_url())
    assert "Vad resultatet leder till" in sida
    assert "/bedom-risk/" not in sida
    # Before a result, nothing follows from it.
    Kontrolltillfalle.objects.filter(pk=f.t.pk).update(status=Tillfallestatus.VANTAR)
    sida = hamta_html(klient_for("enhetschef"), f.t.get_absolute_url())
    assert "Vad resultatet leder till" not in sida


def test_atgard_fran_resultatet(f, klient_for):
    """The shared improvement action, on the occasion: of its unit, in the redovisning."""
    from internkontroll.redovisning import innehall

    svar = klient_for("enhetschef").post(
        reverse("internkontroll:atgard", args=[f.t.nummer]),
        {
            "titel": "Kontroll av beslut före utbetalning",
            "typ": "rutin",
            "ansvarig": f.personas["enhetschef"].pk,
            "forfallodatum": (IDAG() + timedelta(days=30)).isoformat(),
        },
    )
    assert svar.status_code == 302
    assert svar.headers["Location"].split("#")[0] == f.t.get_absolute_url()
    a = Atgard.objects.get()
    assert (a.content_type.model_class(), a.object_id, a.enhet) == (
        Kontrolltillfalle,
        f.t.pk,
        f.org["EB"],
    )
    assert "Kontroll av beslut före utbetalning" in hamta_html(
        klient_for("medarbetare"), f.t.get_absolute_url()
    )
    rad = innehall(2026, date(2026, 6, 30))["kontroller"][0]
    assert [x["titel"] for x in rad["atgarder"]] == ["Kontroll av beslut före utbetalning"]


def _avvikelse(f, **andrat):
    data = {
        "typ": "avvikelse",
        "enhet": f.org["EB"].pk,
        "handelsedatum": (IDAG() - timedelta(days=2)).isoformat(),
        "handelsetid": "",
        "upptackt_datum": (IDAG() - timedelta(days=1)).isoformat(),
        "upptackt_hur": "egen",
        "beror_enskild": "False",
        "beskrivning": "Två utbetalningar saknade beslut.",
        "konsekvenser": "",
        "omedelbara_atgarder": "",
        "arbetsskadeanmalan": "",
        "kategori": "",
    }
    data.update(andrat)
    return data


def test_avvikelse_fran_resultatet(f, klient_for):
    """The form starts from the result (its unit, its findings); the avvikelse is linked
    to it as created from it."""
    klient = klient_for("enhetschef")
    url = f"/avvikelser/ny/?fran={f.t.nummer}"
    svar = klient.get(url)
    assert svar.status_code == 200
    assert svar.context["form"].initial == {
        "enhet": f.org["EB"].pk,
        "beskrivning": f"Brist vid internkontroll {f.t.nummer} (SN 1): "
        "Två utbetalningar saknade beslut.",
    }
    svar = klient.post(url, _avvikelse(f))
    assert svar.status_code == 302, svar.content.decode()[:3000]
    avv = Avvikelse.objects.get()
    assert svar.headers["Location"] == avv.get_absolute_url()
    assert avv.enhet == f.org["EB"]
    assert list(CaseLink.objects.values_list("typ", flat=True)) == [CaseLink.Typ.SKAPAD_FRAN]
    assert _lank(avv, f.t, CaseLink.Typ.SKAPAD_FRAN).exists()


def test_lex_sarah_fran_resultatet(f, klient_for):
    """The rapport starts from the result: its unit, its source "kontroll"; linked to it."""
    klient = klient_for("medarbetare")
    url = f"/lexsarah/ny/?fran={f.t.nummer}"
    svar = klient.get(url)
    assert svar.status_code == 200
    assert svar.context["form"].initial == {"enhet": f.org["EB"].pk, "kalla": "kontroll"}
    svar = klient.post(
        url,
        {
            "enhet": f.org["EB"].pk,
            "handelsedatum": (IDAG() - timedelta(days=1)).isoformat(),
            "beskrivning": "Utbetalningar utan beslut: en klient fick inte sitt bistånd.",
            "kalla": "kontroll",
            "kalla_beskrivning": "",
            "vidtaget_direkt": "Utbetalningen gjordes.",
        },
    )
    assert svar.status_code == 302, svar.content.decode()[:3000]
    ls = LexSarah.objects.get()
    assert svar.headers["Location"] == ls.get_absolute_url()
    assert (ls.enhet, ls.kalla) == (f.org["EB"], "kontroll")
    assert _lank(ls, f.t, CaseLink.Typ.SKAPAD_FRAN).exists()


def test_lex_sarah_fran_resultatet_far_vagen_kontroll(f, klient_for):
    from lexsarah.choices import Vag

    klient_for("medarbetare").post(
        f"/lexsarah/ny/?fran={f.t.nummer}",
        {
            "enhet": f.org["EB"].pk,
            "handelsedatum": (IDAG() - timedelta(days=1)).isoformat(),
            "beskrivning": "Utbetalningar utan beslut.",
            "kalla": "kontroll",
            "kalla_beskrivning": "",
            "vidtaget_direkt": "",
        },
    )
    assert LexSarah.objects.get().vag == Vag.KONTROLL


def test_ny_bedomning_av_risken(f, klient_for):
    """A new assessment on the risk (riskregister's own step), its comment naming the
    result, and the link result → risk "Ledde till ny bedömning av"."""
    svar = klient_for("enhetschef").post(
        reverse("internkontroll:bedom_risk", args=[f.t.nummer]),
        {"sannolikhet": 4, "konsekvens": 4, "kommentar": "Fler fel än väntat."},
    )
    assert svar.status_code == 302
    assert svar.headers["Location"] == f.t.get_absolute_url()
    assert meddelanden(svar) == [f"{f.risk} är bedömd på nytt och länkad hit."]
    r = Risk.objects.get(pk=f.risk.pk)
    assert (r.sannolikhet, r.konsekvens, r.riskvarde) == (4, 4, 16)
    senaste = Riskbedomning.objects.filter(risk=r).order_by("-pk").first()
    assert (senaste.datum, senaste.sannolikhet, senaste.konsekvens, senaste.kommentar) == (
        IDAG(),
        4,
        4,
        f"Efter internkontroll {f.t.nummer}: Fler fel än väntat.",
    )
    assert Riskbedomning.objects.filter(risk=r).count() == 2
    assert _lank(f.t, r, CaseLink.Typ.NY_BEDOMNING).count() == 1
    assert CaseLink.objects.count() == 1


@pytest.mark.parametrize("persona", ["medarbetare", "registrator", "enhetschef_annan"])
def test_ny_bedomning_nekas_den_som_inte_arbetar_med_risken(f, klient_for, persona):
    """The performer records the result but does not work on the risk (403); who does
    not see the occasion gets 404. Nothing changes."""
    fore = ogonblick()
    risker_fore = list(Riskbedomning.objects.values_list("pk", flat=True))
    svar = klient_for(persona).post(
        reverse("internkontroll:bedom_risk", args=[f.t.nummer]),
        {"sannolikhet": 1, "konsekvens": 1, "kommentar": "Inga fel."},
    )
    assert svar.status_code == (403 if persona == "medarbetare" else 404)
    if persona == "medarbetare":
        assert "Du har inte behörighet att bedöma risken." in svar.content.decode()
    assert ogonblick() == fore
    assert list(Riskbedomning.objects.values_list("pk", flat=True)) == risker_fore
    assert Risk.objects.get(pk=f.risk.pk).riskvarde == 12


def test_risknummer_ar_ingen_kalla_till_en_avvikelse(f, klient_for):
    """`?fran=RISK-…`: the form starts empty and the avvikelse is linked to nothing; the
    same for a lex Sarah rapport."""
    klient = klient_for("enhetschef")
    url = f"/avvikelser/ny/?fran={f.risk.nummer}"
    svar = klient.get(url)
    assert svar.status_code == 200
    assert svar.context["kalla"] is None
    assert "beskrivning" not in svar.context["form"].initial
    svar = klient.post(url, _avvikelse(f))
    assert svar.status_code == 302
    assert Avvikelse.objects.count() == 1
    assert CaseLink.objects.count() == 0
    svar = klient.get(f"/lexsarah/ny/?fran={f.risk.nummer}")
    assert svar.status_code == 200 and svar.context["kalla"] is None


def test_annan_enhets_resultat_ar_ingen_kalla(f, klient_for):
    """A result the reporter does not see is no source: nothing prefilled, no link."""
    klient = klient_for("medarbetare_annan")
    url = f"/avvikelser/ny/?fran={f.t.nummer}"
    svar = klient.get(url)
    assert svar.status_code == 200 and svar.context["kalla"] is None
    svar = klient.post(url, _avvikelse(f, enhet=f.org["KOLL"].pk))
    assert svar.status_code == 302
    assert CaseLink.objects.count() == 0
