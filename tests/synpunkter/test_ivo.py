"""Klagomål forwarded by IVO (DOMAIN.md §4.7, issue 11): IVO's case number, the date IVO
sent it and the date IVO wants an answer, entered when staff register it; the answer to
IVO recorded apart from the answer to the complainant; reminders on IVO's own date; the
import's keys. Every refusal changes nothing."""

import copy
from datetime import date, timedelta

import pytest
from django.utils import timezone

from kvalitet.models import Utskick
from synpunkter.models import Synpunkt
from synpunkter.tasks import paminn
from tests.factories import SynpunktFactory
from tests.kvalitet.test_import import EXEMPEL, SYN, fil, importera, importera_fel, med
from tests.stod import har_text, meddelanden, ogonblick
from tests.synpunkter.hjalp import satt_status

pytestmark = pytest.mark.django_db

IDAG = timezone.localdate


def _registrering(**andrat):
    data = {
        "kanal": "via_ivo",
        "ivo_diarienummer": "3.5.1-12345/2026",
        "ivo_skickad": (IDAG() - timedelta(days=2)).isoformat(),
        "ivo_svar_senast": (IDAG() + timedelta(days=20)).isoformat(),
        "avsandare": "narstaende",
        "typ": "klagomal",
        "inkom": IDAG().isoformat(),
        "beskrivning": "IVO har skickat över ett klagomål om handläggningstiden.",
        "anonym": "True",
    }
    data.update(andrat)
    return {k: v for k, v in data.items() if v is not None}


def test_registrerad_via_ivo_med_ivos_uppgifter(syn, klient_for):
    response = klient_for("registrator").post("/synpunkter/ny/", _registrering())
    assert response.status_code == 302, response.content.decode()[:3000]
    s = Synpunkt.objects.get(beskrivning__startswith="IVO har skickat över")
    assert (s.kanal, s.ivo_diarienummer) == ("via_ivo", "3.5.1-12345/2026")
    assert (s.ivo_skickad, s.ivo_svar_senast) == (
        IDAG() - timedelta(days=2),
        IDAG() + timedelta(days=20),
    )
    sida = klient_for("registrator").get(s.get_absolute_url()).content.decode()
    assert "IVO:s diarienummer</dt><dd>3.5.1-12345/2026" in sida


@pytest.mark.parametrize(
    ("andrat", "falt", "meddelande"),
    [
        ({"ivo_diarienummer": ""}, "ivo_diarienummer", "Fyll i uppgiften från IVO:s överlämnande."),
        ({"ivo_skickad": ""}, "ivo_skickad", "Fyll i uppgiften från IVO:s överlämnande."),
        (
            {"kanal": "telefon"},
            "ivo_diarienummer",
            "Fylls bara i när den kom via IVO.",
        ),
        (
            {"ivo_skickad": (IDAG() + timedelta(days=1)).isoformat()},
            "ivo_skickad",
            "Datumet kan inte ligga i framtiden.",
        ),
        (
            {"inkom": (IDAG() - timedelta(days=5)).isoformat()},
            "ivo_skickad",
            "IVO kan inte ha skickat den efter att den kom in.",
        ),
        (
            {"ivo_svar_senast": (IDAG() - timedelta(days=3)).isoformat()},
            "ivo_svar_senast",
            "IVO:s svarsdatum kan inte ligga före dagen IVO skickade.",
        ),
        ({"ivo_svar_senast": "9999-12-31"}, "ivo_svar_senast", "Ange ett datum mellan"),
        ({"ivo_diarienummer": "x" * 41}, "ivo_diarienummer", "som mest 40 tecken"),
        ({"ivo_diarienummer": "<script>x</script>"}, "ivo_diarienummer", "HTML"),
    ],
    ids=[
        "utan-diarienummer",
        "utan-skickad",
        "inte-via-ivo",
        "skickad-i-framtiden",
        "skickad-efter-ankomst",
        "svar-fore-skickad",
        "ar-9999",
        "for-langt",
        "script",
    ],
)
def test_ivos_uppgifter_kontrolleras(andrat, falt, meddelande, syn, klient_for):
    fore = ogonblick()
    response = klient_for("registrator").post("/synpunkter/ny/", _registrering(**andrat))
    assert response.status_code == 400
    fel = " ".join(response.context["form"].errors.get(falt, []))
    assert meddelande in fel, response.context["form"].errors
    assert ogonblick() == fore


def _via_ivo(syn, **falt):
    Synpunkt.objects.filter(pk=syn.syn.pk).update(
        kanal="via_ivo",
        ivo_diarienummer="3.5.1-777/2026",
        ivo_skickad=IDAG() - timedelta(days=3),
        **falt,
    )
    return satt_status(syn.syn, "under_handlaggning", handlaggare=syn.personas["enhetschef"])


def test_svaret_till_ivo_skiljt_fran_svaret_till_klaganden(syn, klient_for):
    s = _via_ivo(syn)
    chef = klient_for("enhetschef")
    url = f"/synpunkter/{s.nummer}/svar-till-ivo/"
    data = {"svar": "Förvaltningen har sett över rutinen.", "datum": IDAG().isoformat()}
    response = chef.post(url, data)
    assert response.status_code == 302
    assert meddelanden(response)[-1] == "Svaret till IVO (3.5.1-777/2026) är registrerat."
    s.refresh_from_db()
    assert (s.ivo_svar, s.ivo_besvarad, s.svar, s.status) == (
        "Förvaltningen har sett över rutinen.",
        IDAG(),
        "",
        "under_handlaggning",
    )
    assert s.timeline.filter(text=f"Svar till IVO {IDAG():%Y-%m-%d}.").count() == 1
    # The same again changes nothing.
    fore = ogonblick()
    chef.post(url, data)
    assert ogonblick() == fore


@pytest.mark.parametrize(
    ("datum", "meddelande"),
    [
        (lambda: IDAG() - timedelta(days=4), "Svaret kan inte ha skickats innan IVO skickade"),
        (lambda: IDAG() + timedelta(days=1), "Datumet kan inte ligga i framtiden."),
        (lambda: "0001-01-01", "Ange ett datum mellan 1900-01-01 och 2100-12-31."),
    ],
)
def test_svaret_till_ivo_nekar_fel_datum(datum, meddelande, syn, klient_for):
    s = _via_ivo(syn)
    dag = datum()
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        f"/synpunkter/{s.nummer}/svar-till-ivo/",
        {"svar": "Svar.", "datum": dag if isinstance(dag, str) else dag.isoformat()},
    )
    har_text(response, meddelande, status=400)
    assert ogonblick() == fore


def test_svar_till_ivo_bara_for_det_som_kom_via_ivo(syn, klient_for):
    s = satt_status(syn.syn, "under_handlaggning")
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        f"/synpunkter/{s.nummer}/svar-till-ivo/", {"svar": "Svar.", "datum": IDAG().isoformat()}
    )
    # The step's condition does not hold: refused like a step the user may not take.
    har_text(response, "Svaret till IVO gäller synpunkter som kommit via IVO.", status=403)
    assert ogonblick() == fore
    assert "Via IVO</h2>" not in klient_for("enhetschef").get(s.get_absolute_url()).content.decode()


# --- Reminders on IVO's date (hand-set: IVO wants an answer on 20 March) ----------------


def _kor(idag):
    fore = set(Utskick.objects.values_list("pk", flat=True))
    paminn(idag=idag)
    return sorted(
        (u.mottagare.split("@")[0], u.amne.split(":")[0])
        for u in Utskick.objects.exclude(pk__in=fore)
    )


def test_ivos_datum_paminns_fore_och_efter_en_gang(syn, settings):
    settings.SYNPUNKT_PAMINNELSE_DAGAR_FORE = 3
    settings.SYNPUNKT_SVARSTID_DAGAR = 14
    s = SynpunktFactory(
        enhet=syn.org["EB"],
        kanal="via_ivo",
        inkom=timezone.make_aware(timezone.datetime(2026, 3, 1, 10)),
        ivo_diarienummer="3.5.1-1/2026",
        ivo_skickad=date(2026, 2, 27),
        ivo_svar_senast=date(2026, 3, 20),
    )
    satt_status(s, "besvarad", handlaggare=syn.personas["enhetschef"])  # answered the complainant
    assert _kor(date(2026, 3, 16)) == []  # four days before
    assert _kor(date(2026, 3, 17)) == [("enhetschef", "Påminnelse")]
    assert _kor(date(2026, 3, 17)) == []  # once
    assert _kor(date(2026, 3, 21)) == [("avdelningschef", "Försenad"), ("enhetschef", "Försenad")]
    assert _kor(date(2026, 3, 22)) == []
    # Answered to IVO: nothing more, even for a new IVO date.
    Synpunkt.objects.filter(pk=s.pk).update(
        ivo_besvarad=date(2026, 3, 22), ivo_svar_senast=date(2026, 3, 25)
    )
    assert _kor(date(2026, 3, 26)) == []


# --- Import ------------------------------------------------------------------------------


def test_import_av_ivos_uppgifter(tmp_path):
    post = dict(
        SYN,
        ivo_diarienummer="3.5.1-4711/2017",
        ivo_skickad="2017-02-27",
        ivo_svar_senast="2017-03-20",
        ivo_besvarad="2017-03-15",
    )
    importera(fil(tmp_path, med(organisation=EXEMPEL["organisation"], synpunkter=[post])))
    s = Synpunkt.objects.get(extern_id=SYN["extern_id"])
    assert (s.ivo_diarienummer, s.ivo_skickad, s.ivo_svar_senast, s.ivo_besvarad) == (
        "3.5.1-4711/2017",
        date(2017, 2, 27),
        date(2017, 3, 20),
        date(2017, 3, 15),
    )


@pytest.mark.parametrize(
    ("andrat", "fel"),
    [
        ({"kanal": "brev", "ivo_diarienummer": "3.5.1-1/2017"}, "via IVO"),
        ({"ivo_skickad": "2017-03-01", "ivo_besvarad": "2017-02-01"}, "före dagen IVO skickade"),
        ({"ivo_besvarad": "2999-01-01"}, "framtiden"),
        ({"ivo_svar_senast": "9999-12-31"}, "Ange ett datum mellan"),
    ],
)
def test_import_nekar_fel_i_ivos_uppgifter(andrat, fel, tmp_path):
    post = copy.deepcopy(SYN) | andrat
    rader, _ = importera_fel(
        fil(tmp_path, med(organisation=EXEMPEL["organisation"], synpunkter=[post]))
    )
    assert any(fel in r for r in rader), rader


def test_stegens_falt_har_egna_id_pa_sidan(syn, klient_for):
    """A klagomål via IVO offers to answer the complainant and to answer IVO, both with a
    field `svar` and `datum`: each field has its own id, and each label points at its own
    field (they shared `id_svar`, so the second label led to the first form's field)."""
    import re

    s = _via_ivo(syn)
    html = klient_for("enhetschef").get(f"/synpunkter/{s.nummer}/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert ids and len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for etikett in re.findall(r'<label[^>]*\sfor="([^"]+)"', html):
        assert etikett in ids, etikett
    svarsfalt = [i for i in ids if i.endswith("-svar")]
    assert len(svarsfalt) >= 2, svarsfalt  # the answer's and IVO's answer's
