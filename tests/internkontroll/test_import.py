"""`manage.py importera`: the `internkontroll` section (docs/import-format.md).

A decided plan per year lands as a decision in the browser leaves it: version 1,
fastställd with the meeting's date, § and diarienummer, its content frozen, its
controls, the occasions of each control's periodicitet, each result on the occasion
whose period holds its date, the risk of the file's own `risker` section linked; a
free-text `ansvarig` puts the occasions under the förvaltning; marked as imported in
the history and on the timelines; no PDF until the periodic archiving. Every kind of
bad input is refused with its path and a Swedish message and nothing is written;
importing the file again changes nothing; a result added later is recorded, any other
change to an imported plan is refused."""

import copy
import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone

from internkontroll.choices import Tillfallestatus
from internkontroll.models import (
    Internkontrollplan,
    Kontroll,
    Kontrolltillfalle,
)
from internkontroll.perioder import perioder
from kvalitet.models import Beslutsstatus, CaseNumberSeries, TimelineEntry
from riskregister.models import Risk
from tests.factories import EnhetFactory
from tests.internkontroll.hjalp import plan as skapa_plan

pytestmark = pytest.mark.django_db

IDAG = timezone.localdate()
I_MORGON = (IDAG + timedelta(days=1)).isoformat()

RISK = {
    "extern_id": "risk-07",
    "enhet": "MYN",
    "titel": "Sekretessbelagd handling skickas till fel mottagare",
    "beskrivning": "Adressuppgifter i verksamhetssystemet är inte alltid aktuella.",
    "kategori": "rattssakerhet",
    "status": "aktiv",
    "bedomningar": [{"datum": "2017-02-10", "sannolikhet": 3, "konsekvens": 4}],
}

# The contract's example, a result in the first and in the last tertial.
CENT_1 = {
    "id": "CENT 1",
    "kontrollmoment": "Andel resultatmål som kan kopplas till alla inriktningsmål",
    "metod": "berakning",
    "periodicitet": "tertialvis",
    "ansvarig": "Budget- och kvalitetsenheten",
    "risk": "risk-07",
    "resultat": [
        {"datum": "2019-04-30", "bedomning": "utan_anmarkning", "kommentar": ""},
        {
            "datum": "2019-09-01",
            "bedomning": "mindre_brister",
            "kommentar": "Två resultatmål saknar koppling.",
        },
    ],
}

# Every optional key.
LON = {
    "id": "SN 1",
    "kontrollmoment": "Att rätt lön betalas ut",
    "metod": "stickprov",
    "periodicitet": "halvarsvis",
    "ansvarig": "MYN-EB",
    "process": "Lön och personal",
    "central": False,
    "omfattning": "25 lönebesked per halvår",
    "rapporteras_till": "Socialnämnden",
    "rapporteras_nar": "Augusti och februari",
    "resultat": [
        {
            "datum": "2019-07-15",
            "bedomning": "vasentliga_brister",
            "kommentar": "Tre lönebesked hade fel OB-tillägg.",
            "antal": 25,
            "avvikelser": 3,
            "vad": "25 slumpvis valda lönebesked",
        }
    ],
}


def rad(kod, periodicitet, ansvarig, metod="dokumentkontroll", **falt):
    return {
        "id": kod,
        "kontrollmoment": f"Kontroll {kod}",
        "metod": metod,
        "periodicitet": periodicitet,
        "ansvarig": ansvarig,
        **falt,
    }


PLAN = {
    "ar": 2019,
    "beslutad": "2018-11-21",
    "diarienummer": "SN 2018/112",
    "paragraf": "§ 140",
    "kontroller": [
        CENT_1,
        LON,
        rad("SN 2", "manadsvis", "Kollektivet HVB", "journalgranskning"),
        rad("SN 3", "kvartalsvis", " myn-buv ", "registeruttag", central=True),
        rad("SN 4", "arligen", "Staben", "intervju"),
        rad("SN 5", "lopande", "Staben", "enkat"),
    ],
}


def med(*planer, risker=(RISK,)):
    data = {"format": "kvalitet-import/1", "internkontroll": copy.deepcopy(list(planer))}
    if risker:
        data["risker"] = copy.deepcopy(list(risker))
    return data


def andrad(post, **andringar):
    """A copy of a record with keys changed; `...` removes a key."""
    ny = copy.deepcopy(post)
    for nyckel, varde in andringar.items():
        if varde is ...:
            ny.pop(nyckel, None)
        else:
            ny[nyckel] = varde
    return ny


def med_kontroll(j, **andringar):
    """PLAN with its control `j` changed."""
    kontroller = copy.deepcopy(PLAN["kontroller"])
    kontroller[j] = andrad(kontroller[j], **andringar)
    return andrad(PLAN, kontroller=kontroller)


def med_resultat(**andringar):
    """PLAN with the first result of CENT 1 changed."""
    resultat = copy.deepcopy(CENT_1["resultat"])
    resultat[0] = andrad(resultat[0], **andringar)
    return med_kontroll(0, resultat=resultat)


def fil(tmp_path, data, namn="import.json"):
    sokvag = tmp_path / namn
    sokvag.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return sokvag


def importera(sokvag, *flaggor):
    ut = StringIO()
    call_command("importera", str(sokvag), *flaggor, stdout=ut, stderr=StringIO())
    return ut.getvalue()


def raknare():
    """Every row an internkontroll import could write."""
    return {
        "planer": sorted(
            Internkontrollplan.objects.values_list(
                "ar", "version", "status", "sammantradesdatum", "paragraf", "diarienummer"
            )
        ),
        "planhistorik": Internkontrollplan.history.count(),
        "kontroller": sorted(Kontroll.objects.values_list("plan__ar", "kod", "risk_id")),
        "kontrollhistorik": Kontroll.history.count(),
        "tillfallen": sorted(
            Kontrolltillfalle.objects.values_list(
                "nummer", "status", "kontrollerad", "bedomning", "kommentar"
            )
        ),
        "tillfallehistorik": Kontrolltillfalle.history.count(),
        "risker": Risk.objects.count(),
        "tidslinje": TimelineEntry.objects.count(),
        "nummerserier": sorted(CaseNumberSeries.objects.values_list("prefix", "ar", "senaste")),
    }


def importera_fel(sokvag):
    """Run the command expecting it to refuse: nothing written; the error lines and the
    command's own."""
    fore = raknare()
    fel = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("importera", str(sokvag), stdout=StringIO(), stderr=fel)
    assert info.value.returncode == 1
    assert raknare() == fore, "en import med fel skrev något"
    return [*fel.getvalue().splitlines(), f"CommandError: {info.value}"]


def tillfallen(kod):
    return list(Kontrolltillfalle.objects.filter(kontroll__kod=kod).order_by("ordningsnummer"))


def test_planen_importeras_som_ett_beslut(org, tmp_path):
    ut = importera(fil(tmp_path, med(PLAN)))
    assert "risker: 1 ny, 0 ändrade, 0 oförändrade" in ut
    assert "internkontroll: 1 ny, 0 ändrade, 0 oförändrade" in ut
    assert (
        "  internkontroll: 1 kontroller med ansvarig som fritext utförs av "
        "Socialförvaltningen (SOC); texten sparas som följs upp av" in ut
    )

    plan = Internkontrollplan.objects.get()
    assert (plan.ar, plan.version, plan.status) == (2019, 1, Beslutsstatus.FASTSTALLD)
    assert (plan.sammantradesdatum, plan.paragraf, plan.diarienummer) == (
        date(2018, 11, 21),
        "140",
        "SN 2018/112",
    )
    assert timezone.localtime(plan.faststalld).date() == date(2018, 11, 21)
    assert plan.faststalld_av is None
    # No PDF during the import: the periodic job archives it.
    assert plan.pdf.name == "" and plan.pdf_sha256 == ""
    # The content frozen as the decision in the browser freezes it.
    assert [k["kod"] for k in plan.innehall["kontroller"]] == [
        "CENT 1",
        "SN 3",
        "SN 1",
        "SN 2",
        "SN 4",
        "SN 5",
    ]
    assert plan.innehall == Internkontrollplan.objects.get().frys(plan.sammantradesdatum)

    risk = Risk.objects.get(extern_id="risk-07")
    cent = plan.kontroller.get(kod="CENT 1")
    assert cent.central is True  # "CENT …" without the key
    assert cent.risk == risk
    assert cent.process == CENT_1["kontrollmoment"]  # no process: the kontrollmoment
    # Free text: kept as who follows it up; performed under the förvaltning at the top.
    assert cent.utforare_enhet == org["SOC"]
    assert cent.uppfoljare == "Budget- och kvalitetsenheten"
    assert plan.innehall["kontroller"][0]["risk"] == {
        "nummer": risk.nummer,
        "titel": risk.titel,
        "varde": 12,
    }

    lon = plan.kontroller.get(kod="SN 1")
    assert (lon.utforare_enhet, lon.uppfoljare, lon.central, lon.risk) == (
        org["EB"],
        "",
        False,
        None,
    )
    assert (lon.process, lon.omfattning, lon.rapporteras_till, lon.rapporteras_nar) == (
        "Lön och personal",
        "25 lönebesked per halvår",
        "Socialnämnden",
        "Augusti och februari",
    )
    assert lon.metod == "stickprov" and lon.periodicitet == "halvarsvis"
    assert plan.kontroller.get(kod="SN 2").utforare_enhet == org["KOLL"]  # by name
    sn3 = plan.kontroller.get(kod="SN 3")
    assert sn3.utforare_enhet == org["BUV"] and sn3.central  # by code, any case
    for k in plan.kontroller.all():
        assert not k.saknas()
        k.full_clean()

    # The occasions of each periodicitet, as the decision generates them.
    for kod, periodicitet, antal in [
        ("CENT 1", "tertialvis", 3),
        ("SN 1", "halvarsvis", 2),
        ("SN 2", "manadsvis", 12),
        ("SN 3", "kvartalsvis", 4),
        ("SN 4", "arligen", 1),
        ("SN 5", "lopande", 1),
    ]:
        lista = tillfallen(kod)
        assert len(lista) == antal, kod
        assert [(t.ordningsnummer, t.period_fran, t.period_till, t.forfaller) for t in lista] == [
            (p.nummer, p.fran, p.till, p.forfaller) for p in perioder(2019, periodicitet)
        ]
        kontroll = plan.kontroller.get(kod=kod)
        for t in lista:
            assert t.enhet == kontroll.utforare_enhet
            assert t.nummer.startswith("IK-2019-")
            assert t.extern_id == f"ik-2019-{kod}-{t.ordningsnummer}"

    # Each result on the occasion whose period holds its date.
    t1, t2, t3 = tillfallen("CENT 1")
    assert (t1.status, t1.kontrollerad, t1.bedomning) == (
        Tillfallestatus.KLAR,
        date(2019, 4, 30),
        "utan_anmarkning",
    )
    assert t2.status == Tillfallestatus.VANTAR and t2.bedomning == ""
    assert (t3.status, t3.kontrollerad, t3.bedomning, t3.kommentar) == (
        Tillfallestatus.KLAR,
        date(2019, 9, 1),
        "mindre_brister",
        "Två resultatmål saknar koppling.",
    )
    h1, h2 = tillfallen("SN 1")
    assert h1.status == Tillfallestatus.VANTAR
    assert (h2.kontrollerad, h2.bedomning, h2.antal, h2.avvikelser, h2.vad) == (
        date(2019, 7, 15),
        "vasentliga_brister",
        25,
        3,
        "25 slumpvis valda lönebesked",
    )
    assert h2.registrerad_av is None
    assert Kontrolltillfalle.objects.filter(status=Tillfallestatus.KLAR).count() == 3

    # Marked as imported: the history, the timelines at the historic dates.
    assert plan.history.get().history_change_reason == "Importerad från import.json"
    assert plan.history.get().innehall == plan.innehall
    assert cent.history.get().history_change_reason == "Importerad från import.json"
    post = plan.timeline.get()
    assert post.typ == TimelineEntry.Typ.SKAPAT and post.till_status == "faststalld"
    assert post.text == (
        "Importerad från import.json: fastställd av nämnden 2018-11-21, § 140, dnr SN 2018/112"
    )
    assert timezone.localtime(post.skapad).date() == date(2018, 11, 21)
    ct = ContentType.objects.get_for_model(Kontrolltillfalle)
    poster = TimelineEntry.objects.filter(content_type=ct, object_id=t3.pk).order_by("skapad")
    assert [(p.typ, p.till_status, timezone.localtime(p.skapad).date()) for p in poster] == [
        (TimelineEntry.Typ.SKAPAT, Tillfallestatus.VANTAR, date(2018, 11, 21)),
        (TimelineEntry.Typ.STATUS, Tillfallestatus.KLAR, date(2019, 9, 1)),
    ]
    assert poster[1].text == ("Resultat 2019-09-01: Mindre brister (importerat från import.json)")
    assert t3.history.get().history_change_reason == "Importerad från import.json"


def test_pdf_arkiveras_av_det_periodiska_jobbet(org, tmp_path):
    from kvalitet.tasks import arkivera_saknade

    importera(fil(tmp_path, med(PLAN)))
    arkivera_saknade()
    plan = Internkontrollplan.objects.get()
    assert plan.pdf.name and len(plan.pdf_sha256) == 64
    assert plan.pdf_for().startswith(b"%PDF")


def test_risken_i_systemet_och_organisationen_i_filen(org, tmp_path):
    """The risk imported before, by an earlier file; a unit of the same file as ansvarig."""
    importera(fil(tmp_path, {"format": "kvalitet-import/1", "risker": [RISK]}, "risker.json"))
    data = med(
        andrad(
            PLAN,
            kontroller=[
                CENT_1,
                rad("SN 9", "arligen", "Ny enhet"),
            ],
        ),
        risker=(),
    )
    data["organisation"] = [{"kod": "NY", "namn": "Ny enhet", "typ": "enhet", "overordnad": "MYN"}]
    ut = importera(fil(tmp_path, data))
    assert "internkontroll: 1 ny, 0 ändrade, 0 oförändrade" in ut
    assert Kontroll.objects.get(kod="CENT 1").risk.extern_id == "risk-07"
    assert Kontroll.objects.get(kod="SN 9").utforare_enhet.kod == "NY"
    assert tillfallen("SN 9")[0].enhet.kod == "NY"


def test_samma_fil_igen_andrar_ingenting(org, tmp_path):
    sokvag = fil(tmp_path, med(PLAN))
    importera(sokvag)
    fore = raknare()
    ut = importera(sokvag)
    assert "internkontroll: 0 nya, 0 ändrade, 1 oförändrad" in ut
    assert raknare() == fore


def test_ett_resultat_som_tillkommit_registreras(org, tmp_path):
    importera(fil(tmp_path, med(PLAN)))
    resultat = [
        *CENT_1["resultat"],
        {"datum": "2019-06-10", "bedomning": "utan_anmarkning"},
    ]
    ut = importera(fil(tmp_path, med(med_kontroll(0, resultat=resultat)), "ny.json"))
    assert "internkontroll: 0 nya, 1 ändrad, 0 oförändrade" in ut
    t2 = tillfallen("CENT 1")[1]
    assert (t2.status, t2.kontrollerad, t2.bedomning) == (
        Tillfallestatus.KLAR,
        date(2019, 6, 10),
        "utan_anmarkning",
    )
    assert t2.history.first().history_change_reason == "Ändrad vid import från ny.json"
    assert Internkontrollplan.objects.count() == 1


@pytest.mark.parametrize(
    "plan, vad",
    [
        pytest.param(andrad(PLAN, diarienummer="SN 2018/113"), "beslutet", id="beslutet"),
        pytest.param(med_kontroll(1, metod="intervju"), "kontroller: SN 1", id="kontroll"),
        pytest.param(
            andrad(PLAN, kontroller=PLAN["kontroller"][:-1]), "kontroller: SN 5", id="borttagen"
        ),
        pytest.param(
            med_resultat(bedomning="mindre_brister", kommentar="Ett fel."),
            "resultat: CENT 1 tillfälle 1",
            id="resultat",
        ),
    ],
)
def test_en_importerad_plan_andras_inte(org, tmp_path, plan, vad):
    importera(fil(tmp_path, med(PLAN)))
    assert importera_fel(fil(tmp_path, med(plan), "ny.json")) == [
        f"internkontroll[0]: planen för 2019 är redan importerad och fastställd och skiljer "
        f"sig från filen ({vad}); en fastställd plan ändras inte av en import – gör en ny "
        "version i webbläsaren",
        "CommandError: 1 fel i ny.json; ingenting har importerats.",
    ]


def test_en_plan_gjord_i_systemet_ersatts_inte(org, tmp_path):
    skapa_plan(2019, status=Beslutsstatus.FASTSTALLD)
    assert importera_fel(fil(tmp_path, med(PLAN))) == [
        "internkontroll[0].ar: det finns redan en internkontrollplan för 2019 som inte är "
        "importerad; importen ersätter den inte",
        "CommandError: 1 fel i import.json; ingenting har importerats.",
    ]


def test_provkorning_skriver_ingenting(org, tmp_path):
    fore = raknare()
    ut = importera(fil(tmp_path, med(PLAN)), "--dry-run")
    assert "internkontroll: 1 ny, 0 ändrade, 0 oförändrade" in ut
    assert raknare() == fore


def test_okand_risk_stoppar_hela_filen(org, tmp_path):
    """The risk is looked up after the file's risks are written: an unknown one stops
    the import, and the risks written before are rolled back."""
    data = med(med_kontroll(0, risk="risk-99"))
    assert importera_fel(fil(tmp_path, data)) == [
        'internkontroll[0].kontroller[0].risk: okänd risk "risk-99": ingen risk i filens '
        "risker eller i systemet har det extern_id",
        "CommandError: 1 fel i import.json; ingenting har importerats.",
    ]


def test_fritext_utan_forvaltning(db, tmp_path):
    """Free text needs a förvaltning at the top to perform it; without one, an error."""
    data = med(andrad(PLAN, kontroller=[andrad(CENT_1, risk=...)]), risker=())
    assert importera_fel(fil(tmp_path, data)) == [
        'internkontroll[0].kontroller[0].ansvarig: ingen enhet heter "Budget- och '
        'kvalitetsenheten", och det finns ingen förvaltning överst i organisationen att '
        "lägga kontrollen under; ange enhetens kod",
        "CommandError: 1 fel i import.json; ingenting har importerats.",
    ]


def test_tvetydigt_enhetsnamn(org, tmp_path):
    EnhetFactory(kod="OPPEN-EB", namn="Ekonomiskt bistånd", typ="enhet", overordnad=org["OPPEN"])
    assert importera_fel(fil(tmp_path, med(med_kontroll(1, ansvarig="Ekonomiskt bistånd")))) == [
        'internkontroll[0].kontroller[1].ansvarig: flera enheter heter "Ekonomiskt bistånd" '
        "(MYN-EB, OPPEN-EB); ange enhetens kod",
        "CommandError: 1 fel i import.json; ingenting har importerats.",
    ]


FEL = [
    pytest.param(
        andrad(PLAN, ar="2019"),
        ['internkontroll[0].ar: ska vara ett heltal, inte texten "2019"'],
        id="ar-text",
    ),
    pytest.param(
        andrad(PLAN, ar=1999, beslutad="1998-11-20"),
        [f"internkontroll[0].ar: Välj ett år från 2000 till nästa år ({IDAG.year + 1})."],
        id="ar-for-tidigt",
    ),
    pytest.param(
        andrad(PLAN, ar=0),
        [f"internkontroll[0].ar: Välj ett år från 2000 till nästa år ({IDAG.year + 1})."],
        id="ar-noll",
    ),
    pytest.param(
        andrad(PLAN, ar=IDAG.year + 2, beslutad=IDAG.isoformat()),
        [f"internkontroll[0].ar: Välj ett år från 2000 till nästa år ({IDAG.year + 1})."],
        id="ar-for-sent",
    ),
    pytest.param(
        andrad(PLAN, ar=...),
        ["internkontroll[0].ar: saknas (obligatorisk)"],
        id="ar-saknas",
    ),
    pytest.param(
        andrad(PLAN, beslutad="2017-12-31"),
        ["internkontroll[0].beslutad: Sammanträdet kan inte ligga före 2018."],
        id="beslutad-for-tidigt",
    ),
    pytest.param(
        andrad(PLAN, beslutad=I_MORGON),
        ["internkontroll[0].beslutad: Datumet kan inte ligga i framtiden."],
        id="beslutad-i-framtiden",
    ),
    pytest.param(
        andrad(PLAN, beslutad="21/11 2018"),
        [
            'internkontroll[0].beslutad: ogiltigt datum "21/11 2018" (ange ÅÅÅÅ-MM-DD, '
            "t.ex. 2017-05-24)"
        ],
        id="beslutad-format",
    ),
    pytest.param(
        andrad(PLAN, diarienummer=...),
        ["internkontroll[0].diarienummer: saknas (obligatorisk)"],
        id="dnr-saknas",
    ),
    pytest.param(
        andrad(PLAN, diarienummer="  "),
        ["internkontroll[0].diarienummer: får inte vara tomt"],
        id="dnr-tomt",
    ),
    pytest.param(
        andrad(PLAN, diarienummer="SN#2018"),
        [
            "internkontroll[0].diarienummer: Ange diarienumret med bokstäver, siffror och "
            "tecknen / - . : (högst 40 tecken), t.ex. SN 2026/12."
        ],
        id="dnr-tecken",
    ),
    pytest.param(
        andrad(PLAN, paragraf="fjorton"),
        ["internkontroll[0].paragraf: Ange paragrafen som ett nummer, t.ex. § 14."],
        id="paragraf",
    ),
    pytest.param(
        andrad(PLAN, kontroller=[]),
        ["internkontroll[0].kontroller: ska ha minst en kontroll"],
        id="inga-kontroller",
    ),
    pytest.param(
        andrad(PLAN, kontroller={"id": "SN 1"}),
        ["internkontroll[0].kontroller: ska vara en lista, inte ett objekt"],
        id="kontroller-objekt",
    ),
    pytest.param(
        andrad(PLAN, kontroller=["SN 1"]),
        ['internkontroll[0].kontroller[0]: ska vara ett objekt, inte texten "SN 1"'],
        id="kontroll-text",
    ),
    pytest.param(
        andrad(PLAN, namnd="Socialnämnden"),
        [
            "internkontroll[0].namnd: okänd nyckel (giltiga: ar, beslutad, diarienummer, "
            "paragraf, kontroller)"
        ],
        id="okand-nyckel-plan",
    ),
    pytest.param(
        med_kontroll(1, metood="stickprov"),
        ['internkontroll[0].kontroller[1].metood: okänd nyckel; menade du "metod"?'],
        id="okand-nyckel-kontroll",
    ),
    pytest.param(
        med_kontroll(1, metod="granskning"),
        [
            'internkontroll[0].kontroller[1].metod: okänd kod "granskning" (giltiga: stickprov, '
            "dokumentkontroll, registeruttag, intervju, enkat, journalgranskning, berakning)"
        ],
        id="okand-metod",
    ),
    pytest.param(
        med_kontroll(1, periodicitet="veckovis"),
        [
            'internkontroll[0].kontroller[1].periodicitet: okänd kod "veckovis" (giltiga: '
            "lopande, manadsvis, kvartalsvis, tertialvis, halvarsvis, arligen)"
        ],
        id="okand-periodicitet",
    ),
    pytest.param(
        med_kontroll(1, kontrollmoment=..., ansvarig=""),
        [
            "internkontroll[0].kontroller[1].kontrollmoment: saknas (obligatorisk)",
            "internkontroll[0].kontroller[1].ansvarig: får inte vara tomt",
        ],
        id="saknade-nycklar",
    ),
    pytest.param(
        med_kontroll(0, kontrollmoment=""),
        ["internkontroll[0].kontroller[0].kontrollmoment: får inte vara tomt"],
        id="tomt-kontrollmoment-utan-process",
    ),
    pytest.param(
        med_kontroll(1, id="cent 1"),
        [
            'internkontroll[0].kontroller[1].id: "cent 1" finns redan i '
            "internkontroll[0].kontroller[0]; id måste vara unikt"
        ],
        id="samma-id",
    ),
    pytest.param(
        med_kontroll(1, id="SN " + "1" * 20),
        [
            "internkontroll[0].kontroller[1].id: Säkerställ att detta värde har som mest 20 "
            "tecken (den har 23)."
        ],
        id="id-for-langt",
    ),
    pytest.param(
        med_kontroll(1, ansvarig="x" * 201),
        [
            "internkontroll[0].kontroller[1].ansvarig: Säkerställ att detta värde har som mest "
            "200 tecken (den har 201)."
        ],
        id="fritext-for-lang",
    ),
    pytest.param(
        med_kontroll(1, central="ja"),
        ['internkontroll[0].kontroller[1].central: ska vara true eller false, inte texten "ja"'],
        id="central-text",
    ),
    pytest.param(
        med_resultat(datum="2020-01-15"),
        [
            "internkontroll[0].kontroller[0].resultat[0].datum: 2020-01-15 ligger utanför "
            "planens år 2019; ett resultat hör till tillfället vars period innehåller datumet"
        ],
        id="resultat-utanfor-aret",
    ),
    pytest.param(
        med_resultat(datum="2019-09-30"),
        [
            "internkontroll[0].kontroller[0].resultat[1].datum: tillfälle 3 "
            "(2019-09-01–2019-12-31) har redan ett resultat i "
            "internkontroll[0].kontroller[0].resultat[0]; ett tillfälle har ett resultat"
        ],
        id="tva-resultat-samma-tillfalle",
    ),
    pytest.param(
        med_resultat(bedomning="mindre_brister"),
        [
            "internkontroll[0].kontroller[0].resultat[0].kommentar: Beskriv bristerna: vad som "
            "inte var som det skulle."
        ],
        id="brister-utan-kommentar",
    ),
    pytest.param(
        med_resultat(antal=5, avvikelser=6),
        [
            "internkontroll[0].kontroller[0].resultat[0].avvikelser: Fler avvikelser än "
            "kontrollerade: ange högst 5."
        ],
        id="fler-avvikelser-an-kontrollerade",
    ),
    pytest.param(
        med_resultat(antal=-1),
        [
            "internkontroll[0].kontroller[0].resultat[0].antal: Kontrollera att detta värde är "
            "större än eller lika med 0."
        ],
        id="negativt-antal",
    ),
    pytest.param(
        med_resultat(bedomning="god"),
        [
            'internkontroll[0].kontroller[0].resultat[0].bedomning: okänd kod "god" (giltiga: '
            "utan_anmarkning, mindre_brister, vasentliga_brister)"
        ],
        id="okand-bedomning",
    ),
    pytest.param(
        med_resultat(datum=...),
        ["internkontroll[0].kontroller[0].resultat[0].datum: saknas (obligatorisk)"],
        id="resultat-utan-datum",
    ),
    pytest.param(
        med_resultat(resultat="bra"),
        [
            "internkontroll[0].kontroller[0].resultat[0].resultat: okänd nyckel (giltiga: "
            "datum, bedomning, kommentar, antal, avvikelser, vad)"
        ],
        id="okand-nyckel-resultat",
    ),
    pytest.param(
        med_kontroll(0, resultat={"datum": "2019-04-30"}),
        ["internkontroll[0].kontroller[0].resultat: ska vara en lista, inte ett objekt"],
        id="resultat-objekt",
    ),
]


@pytest.mark.parametrize("plan, fel", FEL)
def test_felaktig_plan_nekas(org, tmp_path, plan, fel):
    rader = importera_fel(fil(tmp_path, med(plan)))
    assert rader[:-1] == fel
    assert rader[-1].startswith("CommandError: ")


def test_resultat_i_framtiden(org, tmp_path):
    """A plan of this year: a result may not be dated ahead of today."""
    if IDAG.month == 12 and IDAG.day == 31:
        pytest.skip("i morgon är nästa år")
    plan = {
        "ar": IDAG.year,
        "beslutad": f"{IDAG.year - 1}-11-20",
        "diarienummer": "SN 1",
        "kontroller": [
            rad(
                "SN 1",
                "arligen",
                "MYN-EB",
                resultat=[{"datum": I_MORGON, "bedomning": "utan_anmarkning"}],
            )
        ],
    }
    assert importera_fel(fil(tmp_path, med(plan, risker=()))) == [
        "internkontroll[0].kontroller[0].resultat[0].datum: Datumet kan inte ligga i framtiden.",
        "CommandError: 1 fel i import.json; ingenting har importerats.",
    ]


def test_samma_ar_tva_ganger(org, tmp_path):
    assert importera_fel(fil(tmp_path, med(PLAN, PLAN))) == [
        "internkontroll[1].ar: året 2019 finns redan i internkontroll[0]; en plan per år",
        "CommandError: 1 fel i import.json; ingenting har importerats.",
    ]


def test_sektionen_ar_en_lista(org, tmp_path):
    data = {"format": "kvalitet-import/1", "internkontroll": PLAN}
    assert importera_fel(fil(tmp_path, data)) == [
        "internkontroll: ska vara en lista, inte ett objekt",
        "CommandError: 1 fel i import.json; ingenting har importerats.",
    ]
