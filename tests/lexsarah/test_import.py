"""`manage.py importera`: the `lexsarah` section (docs/import-format.md, docs/importera.md).

A record with every key lands field by field; `kalla` links the case to the avvikelse or
synpunkt it came from (in the file or in the database), on both timelines; the status
`anmald_ivo` is a decided case notified to IVO; loose historic data (an anmälan the
classification did not require) is imported with a warning; every error is refused
with its path and nothing is written; a second import changes nothing."""

import copy
import json
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone

from avvikelser.models import Avvikelse
from kvalitet.models import CaseLink, CaseNumberSeries, Orsaksomrade, TimelineEntry
from lexsarah.importering import PLANERADE_RUBRIK
from lexsarah.models import LexSarah
from rapporter.models import Driftstart, Historik
from synpunkter.models import Synpunkt

pytestmark = pytest.mark.django_db

STOCKHOLM = timezone.get_default_timezone()
I_MORGON = (timezone.localdate() + timedelta(days=1)).isoformat()

AVV = {
    "extern_id": "treserva-2018-0007",
    "typ": "avvikelse",
    "enhet": "MYN-BUV",
    "handelsedatum": "2018-03-02",
    "rapporterad": "2018-03-05T09:00:00+01:00",
    "kategori": "Sekretess",
    "beskrivning": "Beslut om placering skickat till en gammal adress.",
    "beror_enskild": True,
    "status": "avslutad",
    "avslutad": "2018-03-20",
}

SYN = {
    "extern_id": "dfrespons-2019-0003",
    "typ": "klagomal",
    "kanal": "via_ivo",
    "avsandare": "narstaende",
    "inkom": "2019-02-01",
    "enhet": "OPPEN-KOLL",
    "beskrivning": "Ungdomen fick inte den tillsyn som beslutats.",
    "status": "avslutad",
    "besvarad": "2019-02-12",
    "avslutad": "2019-02-12",
}

# Every key of the section.
FULL = {
    "extern_id": "ls-2018-03",
    "enhet": "MYN-BUV",
    "handelsedatum": "2018-03-02",
    "rapporterad": "2018-03-05T10:15:00+01:00",
    "beskrivning": "Ett sekretessbelagt beslut om placering av en ungdom skickades till en "
    "adress som inte längre var aktuell.",
    "klassning": "allvarligt_missforhallande",
    "anmald_ivo": "2018-03-20",
    "ivo_avslutad": "2018-09-12",
    "status": "avslutad",
    "avslutad": "2018-10-01",
    "kalla": "treserva-2018-0007",
    "utredning_inledd": "2018-03-07",
    "beslutad": "2018-04-18",
    "beslutsfattare": "namnd",
    "diarienummer": "SOCN/2018:25 - 759",
    "ivo_diarienummer": "8.5-12345/2018",
    "ivo_utfall": "avslutat_utan_kritik",
    "verksamhetsomrade": "barn och unga ",
    "omedelbara_atgarder": "Brevet hämtades tillbaka; ungdomen och familjehemmet informerades.",
    "bakgrund": "Ungdomen är placerad i ett familjehem sedan 2016.",
    "metod": "Journalen; samtal med handläggaren och enhetschefen. Ungdomen har hörts.",
    "handelseforlopp": [
        {"datum": "2018-03-02", "text": "Beslutet skickades till den gamla adressen."},
        {"datum": "2018-02-27", "text": "Beslut om placering fattades."},
        {"datum": "2018-03-05", "text": " Den som bor på adressen hörde av sig. "},
    ],
    "orsaker": "Mänskliga faktorn, en otillräcklig rutin och otillförlitliga adressuppgifter.",
    "orsaksomraden": ["Processer och rutiner", "teknik och verksamhetssystem"],
    "tidigare": "En liknande händelse inträffade 2016-06-22.",
    "vidtagna_atgarder": "Rutinen har gåtts igenom på arbetsplatsträff 2018-04-05.",
    "planerade_atgarder": "Försättsblad med mottagare och adress (maj 2018). Uppföljning "
    "efter sex månader.",
    "bedomning": "Allvarligt missförhållande: sekretessbelagda uppgifter röjdes.",
    "risk_for_upprepning": "liten",
    "sammanfattning": "Ett beslut om ungdomen skickades till en gammal adress.",
    "forslag_till_beslut": "Nämnden godkänner utredningen och lägger den till handlingarna.",
    "utredning_klar": "2018-04-10",
}

# The smallest case the format accepts.
MINSTA = {
    "extern_id": "ls-min",
    "enhet": "MYN-EB",
    "rapporterad": "2019-05-24",
    "beskrivning": "Rapport om utebliven tillsyn.",
    "status": "rapporterad",
}


def fil(tmp_path, data, namn="import.json"):
    sokvag = tmp_path / namn
    sokvag.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return sokvag


def med(**sektioner):
    return {"format": "kvalitet-import/1", **copy.deepcopy(sektioner)}


def andrad(post, **andringar):
    """A copy of a record with keys changed; a value of ... removes the key."""
    ny = copy.deepcopy(post)
    for k, v in andringar.items():
        if v is ...:
            ny.pop(k, None)
        else:
            ny[k] = v
    return ny


def importera(sokvag, *flaggor):
    ut = StringIO()
    call_command("importera", str(sokvag), *flaggor, stdout=ut, stderr=StringIO())
    return ut.getvalue()


def raknare():
    """Every row the import of lex Sarah cases and their sources could write."""
    return {
        "lexsarah": sorted(LexSarah.objects.values_list("extern_id", "nummer", "status")),
        "lexsarahhistorik": LexSarah.history.count(),
        "orsaksomraden_kopplade": LexSarah.orsaksomraden.through.objects.count(),
        "orsaksomraden": Orsaksomrade.objects.count(),
        "avvikelser": Avvikelse.objects.count(),
        "synpunkter": Synpunkt.objects.count(),
        "lankar": CaseLink.objects.count(),
        "tidslinje": TimelineEntry.objects.count(),
        "nummerserier": sorted(CaseNumberSeries.objects.values_list("prefix", "ar", "senaste")),
        "historik": Historik.objects.count(),
        "driftstart": Driftstart.objects.count(),
    }


def importera_fel(sokvag, *flaggor):
    """Run the command expecting it to refuse: exit status 1, nothing written."""
    fore = raknare()
    fel = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("importera", str(sokvag), *flaggor, stdout=StringIO(), stderr=fel)
    assert info.value.returncode == 1
    assert raknare() == fore, "en import med fel skrev något"
    return fel.getvalue().splitlines(), str(info.value)


def tidslinje(arende):
    return [(t.typ, t.text, t.skapad) for t in arende.timeline.all()]


# --- A record with every key -------------------------------------------------------------


def test_post_med_alla_nycklar_importeras_falt_for_falt(tmp_path, org):
    ut = importera(fil(tmp_path, med(avvikelser=[AVV], lexsarah=[FULL]), "lexsarah.json"))
    assert "avvikelser: 1 ny, 0 ändrade, 0 oförändrade" in ut
    assert "lexsarah: 1 ny, 0 ändrade, 0 oförändrade" in ut
    assert "varning" not in ut

    ls = LexSarah.objects.get()
    avv = Avvikelse.objects.get()
    rapporterad = datetime(2018, 3, 5, 10, 15, tzinfo=STOCKHOLM)
    assert ls.nummer == "LS-2018-0001"
    assert ls.extern_id == "ls-2018-03"
    assert ls.enhet == org["BUV"]
    assert ls.handelsedatum == date(2018, 3, 2)
    assert ls.handelsedatum_ungefarligt is False
    assert ls.rapporterad == rapporterad
    assert ls.skapad == rapporterad
    assert ls.rapporterad_av is None and ls.skapad_av is None
    assert ls.beskrivning == FULL["beskrivning"]
    assert ls.klassning == "allvarligt_missforhallande"
    assert ls.ivo_anmald == date(2018, 3, 20)
    assert ls.ivo_beslut == date(2018, 9, 12)
    assert ls.status == "avslutad"
    assert ls.avslutad == datetime(2018, 10, 1, tzinfo=STOCKHOLM)
    # The source: recorded on the case, which started from the avvikelse.
    assert ls.vag == "avvikelse"
    assert ls.kalla == "ovrigt"
    assert (ls.kalla_typ, ls.kalla_id) == (ContentType.objects.get_for_model(Avvikelse), avv.pk)
    assert ls.utredning_inledd == date(2018, 3, 7)
    assert ls.beslutad == date(2018, 4, 18)
    assert ls.beslutsfattare == "namnd"
    assert ls.diarienummer == "SOCN/2018:25 - 759"
    assert ls.ivo_diarienummer == "8.5-12345/2018"
    assert ls.ivo_utfall == "avslutat_utan_kritik"
    assert ls.omedelbara_atgarder == FULL["omedelbara_atgarder"]
    assert ls.bakgrund == FULL["bakgrund"]
    assert ls.metod == FULL["metod"]
    # In date order, the texts trimmed.
    assert ls.handelseforlopp == [
        {"datum": "2018-02-27", "text": "Beslut om placering fattades."},
        {"datum": "2018-03-02", "text": "Beslutet skickades till den gamla adressen."},
        {"datum": "2018-03-05", "text": "Den som bor på adressen hörde av sig."},
    ]
    assert ls.orsaker == FULL["orsaker"]
    assert sorted(o.namn for o in ls.orsaksomraden.all()) == [
        "Processer och rutiner",
        "Teknik och verksamhetssystem",
    ]
    assert ls.tidigare == FULL["tidigare"]
    # The planned actions kept under their heading after the actions taken.
    assert ls.vidtagna_atgarder == (
        f"{FULL['vidtagna_atgarder']}\n\n{PLANERADE_RUBRIK}:\n{FULL['planerade_atgarder']}"
    )
    assert ls.bedomning == FULL["bedomning"]
    assert ls.risk_for_upprepning == "liten"
    assert ls.sammanfattning_namnd == FULL["sammanfattning"]
    assert ls.forslag_till_beslut == FULL["forslag_till_beslut"]
    assert ls.utredning_klar == date(2018, 4, 10)
    # What the format does not have stays empty.
    assert (ls.bedomd, ls.omedelbara_datum, ls.uppfoljd, ls.uppfoljning_senast) == (None,) * 4
    assert ls.anonym_sammanfattning == "" and ls.handlaggare is None
    # Closed: no deadline.
    assert ls.tidsfrist is None
    assert ls.full_clean() is None

    assert [(h.history_type, h.history_change_reason) for h in ls.history.all()] == [
        ("+", "Importerad från lexsarah.json")
    ]
    # The link, both ways, on both timelines at the time the case was reported.
    lank = CaseLink.objects.get()
    assert (lank.fran, lank.till, lank.typ) == (ls, avv, "skapad_fran")
    assert lank.skapad == rapporterad
    assert tidslinje(ls) == [
        ("skapat", "Importerad från lexsarah.json (extern_id ls-2018-03)", rapporterad),
        ("lank", f"Skapad från: {avv.nummer}", rapporterad),
    ]
    assert ("lank", f"Gav upphov till: {ls.nummer}", rapporterad) in tidslinje(avv)
    assert [lank.pk for lank in ls.links()] == [lank.pk for lank in avv.links()]


def test_status_anmald_ivo_ar_beslutad_och_anmald(tmp_path, org):
    post = andrad(
        FULL,
        status="anmald_ivo",
        avslutad=...,
        ivo_avslutad=...,
        ivo_utfall=...,
        kalla=...,
    )
    importera(fil(tmp_path, med(lexsarah=[post])))
    ls = LexSarah.objects.get()
    assert (ls.status, ls.ivo_anmald, ls.ivo_beslut) == ("beslutad", date(2018, 3, 20), None)
    assert ls.vag == "import" and ls.kalla_typ is None
    # The deadline is the one the model's save() sets (the immediate actions have no
    # date in the format: the earliest step still waiting).
    frist = ls.tidsfrist
    assert frist == date(2018, 3, 6)
    ls.save()
    ls.refresh_from_db()
    assert ls.tidsfrist == frist


def test_oppet_arende_far_modellens_tidsfrist(tmp_path, org):
    importera(fil(tmp_path, med(lexsarah=[MINSTA])))
    ls = LexSarah.objects.get()
    assert ls.status == "rapporterad"
    assert ls.tidsfrist == date(2019, 5, 25)  # immediate actions: 1 day (a setting)
    assert (ls.klassning, ls.handelsedatum, ls.handelseforlopp) == ("", None, [])
    ls.save()
    ls.refresh_from_db()
    assert ls.tidsfrist == date(2019, 5, 25)


def test_kalla_i_databasen_en_synpunkt(tmp_path, org):
    importera(fil(tmp_path, med(synpunkter=[SYN]), "synpunkter.json"))
    syn = Synpunkt.objects.get()
    post = andrad(
        MINSTA,
        extern_id="ls-2019-01",
        enhet="OPPEN-KOLL",
        rapporterad="2019-02-13",
        kalla=" dfrespons-2019-0003 ",
    )
    ut = importera(fil(tmp_path, med(lexsarah=[post]), "lexsarah.json"))
    assert "lexsarah: 1 ny, 0 ändrade, 0 oförändrade" in ut
    ls = LexSarah.objects.get()
    assert ls.vag == "synpunkt"
    assert (ls.kalla_typ.model, ls.kalla_id) == ("synpunkt", syn.pk)
    assert CaseLink.objects.filter(typ="skapad_fran", fran_id=ls.pk, till_id=syn.pk).exists()
    dag = datetime(2019, 2, 13, tzinfo=STOCKHOLM)
    assert ("lank", f"Gav upphov till: {ls.nummer}", dag) in tidslinje(syn)
    assert ("lank", f"Skapad från: {syn.nummer}", dag) in tidslinje(ls)


def test_utan_kalla_ar_vagen_import(tmp_path, org):
    importera(fil(tmp_path, med(lexsarah=[MINSTA])))
    ls = LexSarah.objects.get()
    assert (ls.vag, ls.kalla_typ, ls.kalla_id) == ("import", None, None)
    assert not CaseLink.objects.exists()


# --- Idempotency and updates -------------------------------------------------------------


def test_samma_fil_tva_ganger_andrar_ingenting(tmp_path, org):
    sokvag = fil(tmp_path, med(avvikelser=[AVV], lexsarah=[FULL, MINSTA]))
    importera(sokvag)
    fore = raknare()
    ut = importera(sokvag)
    assert "avvikelser: 0 nya, 0 ändrade, 1 oförändrad" in ut
    assert "lexsarah: 0 nya, 0 ändrade, 2 oförändrade" in ut
    assert raknare() == fore


def test_andrad_post_uppdateras_med_filens_nyckelnamn(tmp_path, org):
    importera(fil(tmp_path, med(avvikelser=[AVV], lexsarah=[FULL])))
    ls = LexSarah.objects.get()
    nummer = ls.nummer
    andrat = andrad(
        FULL,
        anmald_ivo="2018-03-21",
        sammanfattning="Ny sammanfattning.",
        orsaksomraden=["Kompetens"],
        planerade_atgarder=...,
    )
    ut = importera(fil(tmp_path, med(avvikelser=[AVV], lexsarah=[andrat]), "andrad.json"))
    assert "lexsarah: 0 nya, 1 ändrad, 0 oförändrade" in ut
    ls.refresh_from_db()
    assert ls.nummer == nummer
    assert ls.ivo_anmald == date(2018, 3, 21)
    assert ls.sammanfattning_namnd == "Ny sammanfattning."
    assert ls.vidtagna_atgarder == FULL["vidtagna_atgarder"]
    assert [o.namn for o in ls.orsaksomraden.all()] == ["Kompetens"]
    assert ls.timeline.last().text == (
        "Ändrad vid import från andrad.json: anmald_ivo, orsaksomraden, sammanfattning, "
        "vidtagna_atgarder"
    )
    assert ls.history.first().history_change_reason == "Ändrad vid import från andrad.json"
    assert CaseLink.objects.count() == 1  # the link is not made again


# --- Loose historic data: a warning, not a refusal -----------------------------------------


def test_anmalan_som_klassningen_inte_kraver_ger_en_varning(tmp_path, org):
    post = andrad(MINSTA, status="beslutad", klassning="missforhallande", anmald_ivo="2019-06-01")
    sokvag = fil(tmp_path, med(lexsarah=[post]))
    varning = (
        '  lexsarah: varning lexsarah[0].anmald_ivo: klassningen "Missförhållande" kräver ingen '
        "anmälan till IVO; ärendet importeras som anmält"
    )
    ut = importera(sokvag, "--dry-run")
    assert varning in ut.splitlines()
    assert not LexSarah.objects.exists()

    ut = importera(sokvag)
    assert ut.splitlines()[:2] == ["lexsarah: 1 ny, 0 ändrade, 0 oförändrade", varning]
    ls = LexSarah.objects.get()
    assert (ls.klassning, ls.ivo_anmald) == ("missforhallande", date(2019, 6, 1))


def test_verksamhetsomrade_annat_an_enhetens_ger_en_varning(tmp_path, org):
    from kvalitet.models import Verksamhetsomrade

    org["BUV"].verksamhetsomrade = Verksamhetsomrade.objects.get(namn="Barn och unga")
    org["BUV"].save()
    ratt = andrad(MINSTA, enhet="MYN-BUV", verksamhetsomrade=" barn och UNGA")
    fel = andrad(MINSTA, extern_id="ls-2", enhet="MYN-BUV", verksamhetsomrade="Familjerätt")
    ut = importera(fil(tmp_path, med(lexsarah=[ratt, fel])))
    assert ut.splitlines()[1:2] == [
        "  lexsarah: varning lexsarah[1].verksamhetsomrade: enheten MYN-BUV hör till "
        'verksamhetsområdet "Barn och unga"; ärendet räknas där (verksamhetsområdet följer '
        "enheten)"
    ]
    assert LexSarah.objects.count() == 2


# --- Refusals: each with its path and message, nothing written ------------------------------

FEL = [
    # Required keys and types.
    (andrad(MINSTA, extern_id=...), "lexsarah[0].extern_id: saknas (obligatorisk)"),
    (andrad(MINSTA, enhet=None), "lexsarah[0].enhet: saknas (obligatorisk)"),
    (andrad(MINSTA, rapporterad=...), "lexsarah[0].rapporterad: saknas (obligatorisk)"),
    (andrad(MINSTA, beskrivning=...), "lexsarah[0].beskrivning: saknas (obligatorisk)"),
    (andrad(MINSTA, status=...), "lexsarah[0].status: saknas (obligatorisk)"),
    (
        andrad(MINSTA, beskrivning=42),
        "lexsarah[0].beskrivning: ska vara en text, inte talet 42",
    ),
    (
        andrad(MINSTA, klasning="missforhallande"),
        'lexsarah[0].klasning: okänd nyckel; menade du "klassning"?',
    ),
    (
        andrad(MINSTA, handelseforlopp="2018-03-02 Beslutet skickades."),
        'lexsarah[0].handelseforlopp: ska vara en lista, inte texten "2018-03-02 Beslutet '
        'skickades."',
    ),
    (
        andrad(MINSTA, handelseforlopp=["2018-03-02 Beslutet skickades."]),
        'lexsarah[0].handelseforlopp[0]: ska vara ett objekt med "datum" och "text", inte '
        'texten "2018-03-02 Beslutet skickades."',
    ),
    (
        andrad(MINSTA, handelseforlopp=[{"datum": "2018-03-02"}]),
        "lexsarah[0].handelseforlopp[0].text: saknas (obligatorisk)",
    ),
    (
        andrad(MINSTA, handelseforlopp=[{"datum": "2018-03-02", "text": "x", "av": "A"}]),
        "lexsarah[0].handelseforlopp[0].av: okänd nyckel (giltiga: datum, text)",
    ),
    (
        andrad(MINSTA, handelseforlopp=[{"datum": "2018-03-02", "text": "  "}]),
        "lexsarah[0].handelseforlopp[0].text: får inte vara tomt",
    ),
    (
        andrad(MINSTA, orsaksomraden="Kompetens"),
        'lexsarah[0].orsaksomraden: ska vara en lista, inte texten "Kompetens"',
    ),
    # Dates.
    (
        andrad(MINSTA, rapporterad=I_MORGON),
        "lexsarah[0].rapporterad: Datumet kan inte ligga i framtiden.",
    ),
    (
        andrad(MINSTA, anmald_ivo=I_MORGON),
        "lexsarah[0].anmald_ivo: Datumet kan inte ligga i framtiden.",
    ),
    (
        andrad(MINSTA, handelseforlopp=[{"datum": I_MORGON, "text": "Sedan."}]),
        "lexsarah[0].handelseforlopp[0].datum: Datumet kan inte ligga i framtiden.",
    ),
    (
        andrad(MINSTA, handelseforlopp=[{"datum": "2019-02-30", "text": "x"}]),
        'lexsarah[0].handelseforlopp[0].datum: ogiltigt datum "2019-02-30" (ange ÅÅÅÅ-MM-DD, '
        "t.ex. 2017-05-24)",
    ),
    (
        andrad(MINSTA, handelsedatum="1899-12-31"),
        "lexsarah[0].handelsedatum: Datumet kan inte ligga före 1900-01-01.",
    ),
    # Codes, units, names.
    (
        andrad(MINSTA, klassning="allvarligt"),
        'lexsarah[0].klassning: okänd kod "allvarligt" (giltiga: inget_missforhallande, '
        "pataglig_risk_for_missforhallande, missforhallande, "
        "pataglig_risk_for_allvarligt_missforhallande, allvarligt_missforhallande)",
    ),
    (
        andrad(MINSTA, status="till_beslut"),
        'lexsarah[0].status: okänd kod "till_beslut" (giltiga: rapporterad, under_utredning, '
        "beslutad, anmald_ivo, avslutad)",
    ),
    (
        andrad(MINSTA, beslutsfattare="kommunstyrelsen"),
        'lexsarah[0].beslutsfattare: okänd kod "kommunstyrelsen" (giltiga: forvaltningschef, '
        "namnd)",
    ),
    (
        andrad(MINSTA, anmald_ivo="2019-06-01", ivo_avslutad="2019-09-01", ivo_utfall="vite"),
        'lexsarah[0].ivo_utfall: okänd kod "vite" (giltiga: avslutat_utan_kritik, kritik, '
        "krav, foreleggande)",
    ),
    (
        andrad(MINSTA, risk_for_upprepning="hog"),
        'lexsarah[0].risk_for_upprepning: okänd kod "hog" (giltiga: liten, mattlig, stor)',
    ),
    (andrad(MINSTA, enhet="MYN-XX"), 'lexsarah[0].enhet: okänd enhet "MYN-XX"'),
    (
        andrad(MINSTA, orsaksomraden=["Slarv"]),
        'lexsarah[0].orsaksomraden[0]: okänt orsaksområde "Slarv" (--skapa-kategorier skapar den)',
    ),
    # The model's own validation.
    (andrad(MINSTA, beskrivning="  "), "lexsarah[0].beskrivning: Detta fält får inte vara tomt."),
    (
        andrad(MINSTA, diarienummer="D" * 41),
        "lexsarah[0].diarienummer: Säkerställ att detta värde har som mest 40 tecken (den har 41).",
    ),
    # Rules between keys.
    (
        andrad(MINSTA, status="avslutad"),
        "lexsarah[0].avslutad: saknas; ett avslutat lex Sarah-ärende har ett datum",
    ),
    (
        andrad(MINSTA, avslutad="2019-06-01"),
        'lexsarah[0].avslutad: anges bara när status är "avslutad" (här "rapporterad")',
    ),
    (
        andrad(MINSTA, status="avslutad", avslutad="2019-05-23"),
        "lexsarah[0].avslutad: Ärendet kan inte ha avslutats innan det rapporterades.",
    ),
    (
        andrad(MINSTA, status="anmald_ivo"),
        'lexsarah[0].anmald_ivo: saknas; status "anmald_ivo" kräver datumet då anmälan skickades '
        "till IVO",
    ),
    (
        andrad(MINSTA, ivo_avslutad="2019-09-01"),
        "lexsarah[0].ivo_avslutad: IVO:s beslut förutsätter en anmälan; ange anmald_ivo",
    ),
    (
        andrad(MINSTA, anmald_ivo="2019-06-01", ivo_avslutad="2019-05-31"),
        "lexsarah[0].ivo_avslutad: IVO kan inte ha beslutat innan anmälan skickades.",
    ),
    (
        andrad(MINSTA, anmald_ivo="2019-06-01", ivo_utfall="kritik"),
        "lexsarah[0].ivo_utfall: anges med datumet för IVO:s beslut (ivo_avslutad)",
    ),
    (
        andrad(MINSTA, anmald_ivo="2019-05-23"),
        "lexsarah[0].anmald_ivo: Anmälan kan inte ha skickats innan rapporten kom in.",
    ),
    (
        andrad(MINSTA, handelsedatum="2019-05-25"),
        "lexsarah[0].handelsedatum: Händelsen kan inte ha inträffat efter att den rapporterades.",
    ),
    (
        andrad(MINSTA, status="under_utredning", utredning_inledd="2019-05-01"),
        "lexsarah[0].utredning_inledd: Utredningen kan inte ha inletts innan rapporten kom in.",
    ),
    (
        andrad(MINSTA, status="under_utredning", beslutad="2019-06-01"),
        'lexsarah[0].beslutad: anges bara när ärendet är beslutat (status "beslutad", '
        '"anmald_ivo" eller "avslutad"; här "under_utredning")',
    ),
    (
        andrad(MINSTA, verksamhetsomrade="Äldreomsorg"),
        'lexsarah[0].verksamhetsomrade: okänt verksamhetsområde "Äldreomsorg" (giltiga: Barn och '
        "unga, Ekonomiskt bistånd, Missbruk och beroende, Boende och hemlöshet, Våld i nära "
        "relationer, Familjerätt, Funktionsnedsättning, Övrigt)",
    ),
]


@pytest.mark.parametrize(("post", "vantat"), [pytest.param(p, v, id=v[:60]) for p, v in FEL])
def test_fel_i_en_post(tmp_path, org, post, vantat):
    fel, meddelande = importera_fel(fil(tmp_path, med(lexsarah=[post])))
    assert fel == [vantat]
    assert meddelande == "1 fel i import.json; ingenting har importerats."


def test_okand_kalla_avbryter_hela_importen(tmp_path, org):
    """The source is resolved when the section is written, after the file's avvikelser:
    an unknown one rolls back everything, the avvikelse of the same file too."""
    data = med(
        avvikelser=[AVV],
        lexsarah=[FULL, andrad(MINSTA, kalla="treserva-2018-9999")],
    )
    fel, meddelande = importera_fel(fil(tmp_path, data))
    assert fel == [
        'lexsarah[1].kalla: okänd källa "treserva-2018-9999": ingen avvikelse eller synpunkt '
        "har det extern_id"
    ]
    assert meddelande == "1 fel i import.json; ingenting har importerats."
    assert not Avvikelse.objects.exists()

    fel, _m = importera_fel(fil(tmp_path, data), "--dry-run")
    assert len(fel) == 1


def test_samma_kalla_tva_ganger(tmp_path, org):
    data = med(avvikelser=[AVV], lexsarah=[FULL, andrad(FULL, extern_id="ls-annat")])
    fel, _m = importera_fel(fil(tmp_path, data))
    assert fel == [
        'lexsarah[1].kalla: "treserva-2018-0007" är redan källa till lexsarah[0]; ett ärende '
        "kan bara ge upphov till ett lex Sarah-ärende"
    ]


def test_kalla_som_redan_har_ett_lex_sarah_arende(tmp_path, org):
    importera(fil(tmp_path, med(avvikelser=[AVV], lexsarah=[FULL])))
    fel, _m = importera_fel(fil(tmp_path, med(lexsarah=[andrad(FULL, extern_id="ls-annat")])))
    assert fel == [
        'lexsarah[0].kalla: "treserva-2018-0007" har redan gett upphov till lex '
        "Sarah-ärendet LS-2018-0001"
    ]


def test_tvetydig_kalla(tmp_path, org):
    importera(
        fil(tmp_path, med(avvikelser=[AVV], synpunkter=[andrad(SYN, extern_id=AVV["extern_id"])]))
    )
    avv, syn = Avvikelse.objects.get(), Synpunkt.objects.get()
    fel, _m = importera_fel(fil(tmp_path, med(lexsarah=[andrad(FULL, kalla=AVV["extern_id"])])))
    assert fel == [
        f'lexsarah[0].kalla: "treserva-2018-0007" är extern_id för flera ärenden ({avv.nummer}, '
        f"{syn.nummer}); källan är tvetydig"
    ]


def test_skript_i_text_sparas_som_text_och_visas_escapat(tmp_path, org, personas, klient_for):
    skript = '<script>alert("x")</script> & <b>fet</b>'
    importera(fil(tmp_path, med(lexsarah=[andrad(MINSTA, beskrivning=skript, bakgrund=skript)])))
    ls = LexSarah.objects.get()
    assert ls.beskrivning == skript and ls.bakgrund == skript
    svar = klient_for("forvaltningschef").get(ls.get_absolute_url())
    assert svar.status_code == 200
    html = svar.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;fet&lt;/b&gt;" in html


def test_skapa_kategorier_delas_med_avvikelserna(tmp_path, org):
    """The same unknown cause area in the avvikelser and in lex Sarah is created once."""
    data = med(
        avvikelser=[andrad(AVV, orsaksomraden=["Slarv"])],
        lexsarah=[andrad(FULL, orsaksomraden=["  slarv", "Kompetens"])],
    )
    ut = importera(fil(tmp_path, data), "--skapa-kategorier")
    assert '  avvikelser: skapade 1 inaktiva orsaksområden: "Slarv"' in ut
    assert "lexsarah: skapade" not in ut
    slarv = Orsaksomrade.objects.get(namn="Slarv")
    ls = LexSarah.objects.get()
    assert sorted(o.namn for o in ls.orsaksomraden.all()) == ["Kompetens", "Slarv"]
    assert slarv.aktiv is False


# --- Historik and driftstart of the series -------------------------------------------------


def test_historik_och_driftstart_for_lex_sarah(tmp_path, org):
    data = med(
        driftstart=[{"serie": "lexsarah", "fran": "2019-01-01"}],
        historik=[
            {"ar": 2017, "serie": "lexsarah", "dimension": "total", "antal": 9},
            {
                "ar": 2017,
                "serie": "lexsarah",
                "dimension": "klassning",
                "varde": "allvarligt_missforhallande",
                "antal": 3,
            },
            {"ar": 2017, "serie": "lexsarah", "dimension": "enhet", "varde": "myn-buv", "antal": 4},
        ],
        lexsarah=[MINSTA],
    )
    sokvag = fil(tmp_path, data)
    ut = importera(sokvag)
    assert "driftstart: 1 ny, 0 ändrade, 0 oförändrade" in ut
    assert "historik: 3 nya, 0 ändrade, 0 oförändrade" in ut
    assert sorted(Historik.objects.values_list("ar", "serie", "dimension", "varde", "antal")) == [
        (2017, "lexsarah", "enhet", "MYN-BUV", 4),
        (2017, "lexsarah", "klassning", "allvarligt_missforhallande", 3),
        (2017, "lexsarah", "total", "", 9),
    ]
    assert list(Driftstart.objects.values_list("serie", "fran")) == [("lexsarah", date(2019, 1, 1))]
    fore = raknare()
    importera(sokvag)
    assert raknare() == fore


def test_historik_for_lex_sarah_har_sina_dimensioner(tmp_path, org):
    data = med(
        historik=[
            {"ar": 2017, "serie": "lexsarah", "dimension": "kanal", "varde": "epost", "antal": 1}
        ]
    )
    fel, _m = importera_fel(fil(tmp_path, data))
    assert fel == [
        'historik[0].dimension: serien "lexsarah" har ingen dimension "kanal" (giltiga: total, '
        "enhet, klassning)"
    ]


# --- Bulk writes ----------------------------------------------------------------------------


def generera(antal, ar):
    """A file with `antal` avvikelser and as many lex Sarah cases from them."""
    avvikelser, lexsarah = [], []
    for i in range(antal):
        dag = date(ar, 1, 1) + timedelta(days=i % 360)
        avvikelser.append(
            andrad(
                AVV,
                extern_id=f"a-{ar}-{i}",
                handelsedatum=dag.isoformat(),
                rapporterad=f"{dag.isoformat()}T09:00:00+01:00",
                avslutad=(dag + timedelta(days=3)).isoformat(),
            )
        )
        lexsarah.append(
            andrad(
                FULL,
                extern_id=f"ls-{ar}-{i}",
                kalla=f"a-{ar}-{i}",
                handelsedatum=dag.isoformat(),
                rapporterad=f"{dag.isoformat()}T10:00:00+01:00",
                utredning_inledd=dag.isoformat(),
                anmald_ivo=dag.isoformat(),
                ivo_avslutad=(dag + timedelta(days=2)).isoformat(),
                beslutad=(dag + timedelta(days=1)).isoformat(),
                utredning_klar=dag.isoformat(),
                avslutad=(dag + timedelta(days=3)).isoformat(),
                handelseforlopp=[{"datum": dag.isoformat(), "text": "Det hände."}],
                verksamhetsomrade=...,
            )
        )
    return med(avvikelser=avvikelser, lexsarah=lexsarah)


def fragor(sokvag):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as ctx:
        importera(sokvag)
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith("INSERT")]


def test_antalet_fragor_vaxer_inte_med_antalet_arenden(tmp_path, org):
    """The sources, the links and their timeline entries are looked up and written in
    bulk: 10 and 60 cases cost the same queries (besides SQLite's capped INSERTs)."""
    liten = fragor(fil(tmp_path, generera(10, 2018), "liten.json"))
    stor = fragor(fil(tmp_path, generera(60, 2019), "stor.json"))
    assert LexSarah.objects.count() == 70
    assert CaseLink.objects.filter(typ="skapad_fran").count() == 70
    assert len(stor) == len(liten), (len(liten), len(stor))
