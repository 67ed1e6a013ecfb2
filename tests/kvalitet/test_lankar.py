import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kvalitet.models import CaseLink, TimelineEntry
from tests.factories import AvvikelseFactory, SynpunktFactory
from tests.stod import hamta_html


def test_lank_at_andra_hallet_skapar_ingen_dubblett(avvikelse, org, personas):
    annan = AvvikelseFactory(enhet=org["EB"], rapporterad_av=personas["medarbetare"])
    forsta = avvikelse.link(annan, CaseLink.Typ.LIKNANDE, av=personas["enhetschef"])
    poster = TimelineEntry.objects.filter(typ=TimelineEntry.Typ.LANK).count()

    andra = annan.link(avvikelse, CaseLink.Typ.LIKNANDE, av=personas["enhetschef"])

    assert andra == forsta
    assert CaseLink.objects.count() == 1
    assert TimelineEntry.objects.filter(typ=TimelineEntry.Typ.LANK).count() == poster == 2


# --- A link's other end: shown only to whoever may see it (issue 10) ------------------------

DOLD = "ett ärende du inte har tillgång till"


def _lankavsnitt(html):
    return re.search(r'id="rubrik-lankar".*?</section>', html, re.S).group(0)


@pytest.mark.django_db
def test_lank_till_ett_arende_man_inte_ser_visar_varken_nummer_eller_kommentar(scen, klient_for):
    """The reporter of a case sees that it is linked, not to what: a case of another
    avdelning's number and the link's comment stay hidden; whoever sees both ends sees
    both."""
    scen.avv.link(
        scen.annan,
        CaseLink.Typ.LIKNANDE,
        av=scen.personas["kvalitetssamordnare"],
        kommentar="Samma klient på HVB-hemmet.",
    )
    medarbetare = _lankavsnitt(hamta_html(klient_for("medarbetare"), scen.avv.get_absolute_url()))
    assert scen.annan.nummer not in medarbetare
    assert "Samma klient" not in medarbetare
    assert f"Liknande händelse: {DOLD}" in medarbetare
    # The other side: the other avdelning's reporter does not see this case either.
    annan = _lankavsnitt(hamta_html(klient_for("medarbetare_annan"), scen.annan.get_absolute_url()))
    assert scen.avv.nummer not in annan
    assert "Samma klient" not in annan
    assert DOLD in annan
    # Who sees both ends sees the link in full.
    ks = _lankavsnitt(hamta_html(klient_for("kvalitetssamordnare"), scen.avv.get_absolute_url()))
    assert f'href="{scen.annan.get_absolute_url()}"' in ks
    assert "Samma klient på HVB-hemmet." in ks
    assert DOLD not in ks


@pytest.mark.django_db
def test_lankarnas_synlighet_avgors_i_en_fraga_for_alla_typer(scen, klient_for):
    """Links to cases of several types, some visible and some not: the page costs the same
    number of queries as with links to one type only, and shows each link as it should."""
    chef = scen.personas["enhetschef"]
    url = scen.avv.get_absolute_url()
    klient = klient_for("enhetschef")
    synlig = AvvikelseFactory(enhet=scen.org["EB"])
    scen.avv.link(synlig, CaseLink.Typ.LIKNANDE, av=chef, kommentar="Synlig")
    scen.avv.link(scen.annan, CaseLink.Typ.LIKNANDE, av=chef, kommentar="Dold")
    klient.get(url)  # warm caches outside the measurement
    with CaptureQueriesContext(connection) as en_typ:
        klient.get(url)
    syn_synlig = SynpunktFactory(enhet=scen.org["EB"])
    syn_dold = SynpunktFactory(enhet=scen.org["KOLL"])
    scen.avv.link(syn_synlig, CaseLink.Typ.LIKNANDE, av=chef, kommentar="Synlig synpunkt")
    syn_dold.link(scen.avv, CaseLink.Typ.ESKALERAD, av=chef, kommentar="Dold synpunkt")
    klient.get(url)
    with CaptureQueriesContext(connection) as tva_typer:
        response = klient.get(url)
    assert len(tva_typer) == len(en_typ), [q["sql"] for q in tva_typer]
    avsnitt = _lankavsnitt(response.content.decode())
    for synligt in (synlig, syn_synlig):
        assert f'href="{synligt.get_absolute_url()}"' in avsnitt
    assert "Synlig synpunkt" in avsnitt
    for dolt in (scen.annan, syn_dold):
        assert dolt.nummer not in avsnitt
    assert "Dold" not in avsnitt
    assert avsnitt.count(DOLD) == 2


# --- What a link is called follows what its two ends are ------------------------------------


@pytest.fixture
def en_process(org):
    from tests.processer.hjalp import process

    return process(org["EB"], namn="Ekonomiskt bistånd")


@pytest.mark.django_db
@pytest.mark.parametrize("fran_sidan", ["avvikelsen", "processen"])
def test_en_process_och_ett_arende_hor_ihop_och_ar_ingen_liknande_handelse(
    fran_sidan, avvikelse, en_process, klient_for
):
    """A process is no event: linked to an avvikelse from either page, the link reads
    "Hör ihop med" on both, is on both timelines and can be taken back."""
    klient = klient_for("enhetschef")
    sida, annat = {
        "avvikelsen": (avvikelse, en_process),
        "processen": (en_process, avvikelse),
    }[fran_sidan]
    svar = klient.post(
        reverse(f"{sida._meta.app_label}:link", args=[sida.nummer]),
        {"nummer": annat.nummer.lower(), "kommentar": "Rutinen saknar steget"},
    )
    assert svar.status_code == 302
    lank = CaseLink.objects.get()
    assert (lank.fran, lank.till, lank.typ) == (sida, annat, CaseLink.Typ.HOR_IHOP)
    assert lank.kan_tas_bort
    for ena, andra in ((avvikelse, en_process), (en_process, avvikelse)):
        assert TimelineEntry.objects.filter(
            object_id=ena.pk, typ="lank", text=f"Hör ihop med: {andra.nummer}"
        ).exists()
        html = _lankavsnitt(hamta_html(klient, ena.get_absolute_url()))
        assert f'Hör ihop med: <a href="{andra.get_absolute_url()}">' in html
        assert "Liknande" not in html


@pytest.mark.django_db
def test_en_process_lankad_till_en_risk_realiserade_den_inte(en_process, org, klient_for):
    """Only an event realises a risk: a process linked to a risk belongs with it and is
    not counted among the events that realised it."""
    from riskregister import register, statistik
    from tests.riskregister.hjalp import risk

    en_risk = risk(org["EB"], (date(2025, 2, 1), 2, 3), titel="Utbetalning till fel konto")
    klient = klient_for("enhetschef")
    svar = klient.post(
        reverse("riskregister:link", args=[en_risk.nummer]), {"nummer": en_process.nummer}
    )
    assert svar.status_code == 302
    lank = CaseLink.objects.get()
    assert (lank.fran, lank.till, lank.typ) == (en_risk, en_process, CaseLink.Typ.HOR_IHOP)
    assert register._handelser([en_risk.pk]) == {}
    assert statistik.realiserade(timezone.localdate().year) == []
    html = _lankavsnitt(hamta_html(klient, en_risk.get_absolute_url()))
    assert "Hör ihop med: <a href" in html and "Realiserad" not in html


@pytest.mark.django_db
def test_tva_risker_hor_ihop(org, klient_for):
    from tests.riskregister.hjalp import risk

    forsta, andra = risk(org["EB"], titel="Fel konto"), risk(org["EB"], titel="Fel adress")
    svar = klient_for("enhetschef").post(
        reverse("riskregister:link", args=[forsta.nummer]), {"nummer": andra.nummer}
    )
    assert svar.status_code == 302
    assert CaseLink.objects.get().typ == CaseLink.Typ.HOR_IHOP


@pytest.mark.django_db
def test_tva_arenden_ar_liknande_handelser(avvikelse, org, klient_for):
    synpunkt = SynpunktFactory(enhet=org["EB"])
    svar = klient_for("enhetschef").post(
        reverse("avvikelser:link", args=[avvikelse.nummer]), {"nummer": synpunkt.nummer}
    )
    assert svar.status_code == 302
    assert CaseLink.objects.get().typ == CaseLink.Typ.LIKNANDE


@pytest.mark.django_db
def test_migreringen_ger_lankar_till_annat_an_arenden_typen_hor_ihop(avvikelse, en_process, org):
    """Links made before "Hör ihop med" existed: those with an end that is not a case
    get it, a risk "realised" by a process too; links between cases and an event's
    realised risk keep theirs."""
    import importlib

    from tests.riskregister.hjalp import risk

    migrering = importlib.import_module("kvalitet.migrations.0014_lank_hor_ihop")
    en_risk = risk(org["EB"], titel="Fel konto")
    synpunkt = SynpunktFactory(enhet=org["EB"])
    lankar = {
        "process": (avvikelse, en_process, CaseLink.Typ.LIKNANDE),
        "fran_process": (en_process, synpunkt, CaseLink.Typ.LIKNANDE),
        "process_risk": (en_process, en_risk, CaseLink.Typ.REALISERADE),
        "arenden": (avvikelse, synpunkt, CaseLink.Typ.LIKNANDE),
        "realiserad": (avvikelse, en_risk, CaseLink.Typ.REALISERADE),
    }
    assert _efter_migreringen(migrering, lankar) == {
        "process": "hor_ihop",
        "fran_process": "hor_ihop",
        "process_risk": "hor_ihop",
        "arenden": "liknande",
        "realiserad": "realiserade",
    }


@pytest.mark.django_db
def test_en_riskanalys_lankad_till_en_risk_hor_ihop_med_den(org, personas, klient_for):
    """An analysis is no event either: its page asks for what it concerns, and a risk
    linked from it belongs with it (the risks it assessed are in the analysis itself)."""
    from tests.riskregister.hjalp import analys, risk

    en_analys = analys(org["EB"], av=personas["enhetschef"])
    en_risk = risk(org["EB"], titel="Fel konto")
    klient = klient_for("enhetschef")
    sida = hamta_html(klient, en_analys.get_absolute_url())
    assert "Länka en händelse, en risk eller en process som analysen rör" in sida
    assert "Inga länkar." in sida and "Länka liknande" not in sida
    svar = klient.post(
        reverse("riskregister:riskanalys:link", args=[en_analys.nummer]),
        {"nummer": en_risk.nummer},
    )
    assert svar.status_code == 302
    assert CaseLink.objects.get().typ == CaseLink.Typ.HOR_IHOP
    html = _lankavsnitt(hamta_html(klient, en_analys.get_absolute_url()))
    assert f'Hör ihop med: <a href="{en_risk.get_absolute_url()}">' in html


# --- IVO's tillsyn is a supervision, not an event (AR_HANDELSE) ------------------------------


@pytest.fixture
def en_tillsyn(org, personas):
    from types import SimpleNamespace

    from tests.tillsyn.hjalp import skapa

    return skapa(SimpleNamespace(org=org, personas=personas))


@pytest.mark.django_db
def test_en_tillsyn_ar_ingen_liknande_handelse_och_realiserar_ingen_risk(
    avvikelse, en_tillsyn, org, klient_for
):
    """A tillsyn linked to an avvikelse or to a risk belongs with it: not a similar event,
    not counted among the events that realised the risk."""
    from riskregister import register, statistik
    from tests.riskregister.hjalp import risk

    klient = klient_for("enhetschef")
    svar = klient.post(
        reverse("avvikelser:link", args=[avvikelse.nummer]), {"nummer": en_tillsyn.nummer}
    )
    assert svar.status_code == 302
    en_risk = risk(org["EB"], (date(2025, 2, 1), 2, 3), titel="Brister i genomförandeplaner")
    svar = klient.post(
        reverse("tillsyn:link", args=[en_tillsyn.nummer]), {"nummer": en_risk.nummer}
    )
    assert svar.status_code == 302
    typer = {(lank.fran, lank.till): lank.typ for lank in CaseLink.objects.all()}
    assert typer == {
        (avvikelse, en_tillsyn): CaseLink.Typ.HOR_IHOP,
        (en_tillsyn, en_risk): CaseLink.Typ.HOR_IHOP,
    }
    assert register._handelser([en_risk.pk]) == {}
    assert statistik.realiserade(timezone.localdate().year) == []
    html = _lankavsnitt(hamta_html(klient, en_tillsyn.get_absolute_url()))
    assert f'Hör ihop med: <a href="{avvikelse.get_absolute_url()}">' in html
    assert "Liknande" not in html and "Realiser" not in html


@pytest.mark.django_db
def test_en_risk_foreslagen_fran_en_tillsyn_hor_ihop_med_den(en_tillsyn, avvikelse, klient_for):
    """Proposed from a tillsyn's page, the risk is linked to it as belonging together, the
    form says so and has IVO's tillsyn as what found it; from an avvikelse's it is
    realised by the event, which found it."""
    from riskregister.models import Risk

    klient = klient_for("enhetschef")
    for arende, typ, text, kalla in (
        (en_tillsyn, CaseLink.Typ.HOR_IHOP, "som ett ärende som hör ihop med risken", "tillsyn"),
        (avvikelse, CaseLink.Typ.REALISERADE, "som en händelse som realiserade risken", "handelse"),
    ):
        adress = f"{reverse('riskregister:ny')}?fran={arende.nummer}"
        arendesidan = hamta_html(klient, arende.get_absolute_url())
        assert f'href="{adress}"' in arendesidan
        vad = "händelsen" if arende.AR_HANDELSE else "ärendet"
        assert f"Visade {vad} en risk som inte finns i riskregistret?" in arendesidan
        sida = hamta_html(klient, adress)
        assert text in sida
        falt = re.search(r'<select name="kalla".*?</select>', sida, re.S).group(0)
        assert re.findall(r'<option value="(\w+)" selected>', falt) == [kalla]
        svar = klient.post(
            adress,
            {
                "enhet": arende.enhet_id,
                "titel": f"Risk från {arende.nummer}",
                "beskrivning": "Något som inte får hända.",
                "kategori": "verksamhet",
                "strategi": "reducera",
                "kalla": kalla,
                "sannolikhet": 2,
                "konsekvens": 3,
            },
        )
        assert svar.status_code == 302, svar.content.decode()[:3000]
        risk = Risk.objects.get(titel=f"Risk från {arende.nummer}")
        assert risk.kalla == kalla
        lank = CaseLink.objects.get(till_id=risk.pk, till_typ=risk.content_type)
        assert (lank.fran, lank.typ) == (arende, typ)


@pytest.mark.django_db
def test_en_tillsyn_foreslas_inte_som_tidigare_handelse(avvikelse, en_tillsyn):
    """The suggested earlier events are events: a tillsyn of the same unit with the same
    telling words is not among them; an avvikelse like it is."""
    from datetime import timedelta

    from kvalitet import liknande

    text = "Genomförandeplanerna saknades för flera ungdomar på boendet."
    tidigare = timezone.now() - timedelta(days=30)
    type(en_tillsyn).objects.filter(pk=en_tillsyn.pk).update(omfattning=text, registrerad=tidigare)
    forra = AvvikelseFactory(enhet=avvikelse.enhet, rapporterad=tidigare, beskrivning=text)
    avvikelse.beskrivning = text
    avvikelse.save()
    foreslagna = {f.arende.nummer for f in liknande.forslag(avvikelse)}
    assert forra.nummer in foreslagna
    assert en_tillsyn.nummer not in foreslagna


@pytest.mark.django_db
def test_migreringen_ger_tillsynens_lankar_typen_hor_ihop(avvikelse, en_tillsyn, org):
    """Links made while a tillsyn counted as an event: to a case and to a risk they get
    "Hör ihop med", from either end; links between events keep theirs."""
    import importlib

    from tests.riskregister.hjalp import risk

    migrering = importlib.import_module("kvalitet.migrations.0015_tillsyn_hor_ihop")
    en_risk = risk(org["EB"], titel="Fel konto")
    synpunkt = SynpunktFactory(enhet=org["EB"])
    lankar = {
        "till_tillsyn": (avvikelse, en_tillsyn, CaseLink.Typ.LIKNANDE),
        "fran_tillsyn": (en_tillsyn, synpunkt, CaseLink.Typ.LIKNANDE),
        "tillsyn_risk": (en_tillsyn, en_risk, CaseLink.Typ.REALISERADE),
        "eskalerad": (en_tillsyn, SynpunktFactory(enhet=org["EB"]), CaseLink.Typ.ESKALERAD),
        "arenden": (avvikelse, synpunkt, CaseLink.Typ.LIKNANDE),
        "realiserad": (avvikelse, en_risk, CaseLink.Typ.REALISERADE),
    }
    assert _efter_migreringen(migrering, lankar) == {
        "till_tillsyn": "hor_ihop",
        "fran_tillsyn": "hor_ihop",
        "tillsyn_risk": "hor_ihop",
        "eskalerad": "eskalerad",
        "arenden": "liknande",
        "realiserad": "realiserade",
    }


def _efter_migreringen(migrering, lankar):
    """Make the links as they were before the migration (name: (from, to, type)), run
    its function, and give each one's type after it."""
    from django.apps import apps

    pk = {
        namn: CaseLink.objects.create(
            fran_typ=fran.content_type,
            fran_id=fran.pk,
            till_typ=till.content_type,
            till_id=till.pk,
            typ=typ,
        ).pk
        for namn, (fran, till, typ) in lankar.items()
    }
    migrering.hor_ihop(apps, None)
    typer = dict(CaseLink.objects.values_list("pk", "typ"))
    return {namn: typer[p] for namn, p in pk.items()}
