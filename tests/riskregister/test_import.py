"""`manage.py importera`: the `risker` section (docs/import-format.md).

A risk with its assessments lands field by field (identified on the first assessment,
the values of the latest, in the register from the first unless a proposal), numbered
by the year of its first assessment, marked as imported on its timeline and in its
history; the register as of a date follows the imported history; every kind of bad
input is refused with its path and a Swedish message and nothing is written; importing
the file again changes nothing, and a changed record is updated."""

import copy
import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from kvalitet.models import CaseNumberSeries, TimelineEntry
from riskregister.choices import Kalla, Status
from riskregister.models import Bedomning, Risk
from riskregister.register import per

pytestmark = pytest.mark.django_db

I_MORGON = (timezone.localdate() + timedelta(days=1)).isoformat()

# The example of the contract.
AKTIV = {
    "extern_id": "risk-07",
    "enhet": "MYN",
    "titel": "Sekretessbelagd handling skickas till fel mottagare",
    "beskrivning": "Adressuppgifter i verksamhetssystemet är inte alltid aktuella.",
    "kategori": "rattssakerhet",
    "strategi": "reducera",
    "status": "aktiv",
    "bedomningar": [
        {"datum": "2017-02-10", "sannolikhet": 2, "konsekvens": 3},
        {
            "datum": "2017-11-20",
            "sannolikhet": 3,
            "konsekvens": 4,
            "kommentar": "Efter lex Sarah-utredningen",
        },
    ],
}

# Every optional key; the assessments out of order in the file.
BORTTAGEN = {
    "extern_id": "risk-03",
    "enhet": "Kollektivet HVB",
    "titel": "Rymning från HVB",
    "beskrivning": "En ungdom avviker från boendet och utsätts för fara.",
    "kategori": "verksamhet",
    "strategi": "eliminera",
    "status": "borttagen",
    "bedomningar": [
        {"datum": "2018-09-01", "sannolikhet": 1, "konsekvens": 4, "kommentar": "Larm på plats"},
        {"datum": "2017-01-15", "sannolikhet": 3, "konsekvens": 4},
    ],
    "borttagen": "2019-03-01",
    "borttagen_skal": "Boendet har avvecklats.",
    "process": "Placering på HVB",
    "kalla": "handelse",
    "nasta_oversyn": "2019-01-31",
    "styrdokument": "Rutin vid avvikelse från HVB",
    "indikatorer": "Antal avvikelser från boendet per kvartal",
}

FORESLAGEN = {
    "extern_id": "risk-12",
    "enhet": "MYN-BUV",
    "titel": "Orosanmälan bedöms inte inom 14 dagar",
    "beskrivning": "Barn som far illa får inte skydd i tid.",
    "kategori": "rattssakerhet",
    "status": "foreslagen",
    "bedomningar": [{"datum": "2019-05-02", "sannolikhet": 3, "konsekvens": 3}],
}


def med(*risker):
    return {"format": "kvalitet-import/1", "risker": copy.deepcopy(list(risker))}


def andrad(post, **andringar):
    """A copy of a record with keys changed; `...` removes a key."""
    ny = copy.deepcopy(post)
    for nyckel, varde in andringar.items():
        if varde is ...:
            ny.pop(nyckel, None)
        else:
            ny[nyckel] = varde
    return ny


def fil(tmp_path, data, namn="import.json"):
    sokvag = tmp_path / namn
    sokvag.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return sokvag


def importera(sokvag, *flaggor):
    ut = StringIO()
    call_command("importera", str(sokvag), *flaggor, stdout=ut, stderr=StringIO())
    return ut.getvalue()


def raknare():
    """Every row a risk import could write."""
    return {
        "risker": sorted(
            Risk.objects.values_list(
                "extern_id",
                "status",
                "titel",
                "sannolikhet",
                "konsekvens",
                "aktiv_fran",
                "borttagen",
            )
        ),
        "historik": Risk.history.count(),
        "bedomningar": Bedomning.objects.count(),
        "tidslinje": TimelineEntry.objects.count(),
        "nummerserier": sorted(CaseNumberSeries.objects.values_list("prefix", "ar", "senaste")),
    }


def importera_fel(sokvag):
    """Run the command expecting it to refuse: nothing written; the error lines."""
    fore = raknare()
    fel = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("importera", str(sokvag), stdout=StringIO(), stderr=fel)
    assert info.value.returncode == 1
    assert raknare() == fore, "en import med fel skrev något"
    return fel.getvalue().splitlines()


def test_risker_importeras(org, tmp_path):
    ut = importera(fil(tmp_path, med(AKTIV, BORTTAGEN, FORESLAGEN)))
    assert "risker: 3 nya, 0 ändrade, 0 oförändrade" in ut

    aktiv = Risk.objects.get(extern_id="risk-07")
    assert aktiv.enhet == org["MYN"]
    assert aktiv.nummer == "RISK-2017-0002"  # after risk-03, identified 2017-01-15
    assert (aktiv.titel, aktiv.kategori, aktiv.strategi, aktiv.status) == (
        "Sekretessbelagd handling skickas till fel mottagare",
        "rattssakerhet",
        "reducera",
        Status.AKTIV,
    )
    assert aktiv.identifierad == date(2017, 2, 10)
    assert (aktiv.sannolikhet, aktiv.konsekvens, aktiv.riskvarde) == (3, 4, 12)
    assert aktiv.aktiv_fran == date(2017, 2, 10)
    assert aktiv.borttagen is None and aktiv.borttagen_skal == ""
    assert aktiv.kalla == Kalla.ANNAT
    assert aktiv.foreslagen_av is None and aktiv.handlaggare is None
    assert list(
        aktiv.bedomningar.values_list(
            "datum", "sannolikhet", "konsekvens", "riskvarde", "kommentar", "bedomd_av"
        )
    ) == [
        (date(2017, 2, 10), 2, 3, 6, "", None),
        (date(2017, 11, 20), 3, 4, 12, "Efter lex Sarah-utredningen", None),
    ]

    borttagen = Risk.objects.get(extern_id="risk-03")
    assert borttagen.enhet == org["KOLL"]  # by name
    assert borttagen.nummer == "RISK-2017-0001"
    assert borttagen.identifierad == date(2017, 1, 15)
    assert (borttagen.sannolikhet, borttagen.konsekvens) == (1, 4)  # the latest by date
    assert borttagen.aktiv_fran == date(2017, 1, 15)
    assert borttagen.status == Status.BORTTAGEN
    assert (borttagen.borttagen, borttagen.borttagen_skal) == (
        date(2019, 3, 1),
        "Boendet har avvecklats.",
    )
    assert (
        borttagen.process,
        borttagen.kalla,
        borttagen.nasta_oversyn,
        borttagen.styrdokument,
        borttagen.indikatorer,
    ) == (
        "Placering på HVB",
        Kalla.HANDELSE,
        date(2019, 1, 31),
        "Rutin vid avvikelse från HVB",
        "Antal avvikelser från boendet per kvartal",
    )
    assert list(borttagen.bedomningar.values_list("datum", flat=True)) == [
        date(2017, 1, 15),
        date(2018, 9, 1),
    ]

    foreslagen = Risk.objects.get(extern_id="risk-12")
    assert foreslagen.nummer == "RISK-2019-0001"
    assert foreslagen.status == Status.FORESLAGEN
    assert foreslagen.aktiv_fran is None

    # Marked as imported: on the timeline at the historic date, and in the history.
    ct = ContentType.objects.get_for_model(Risk)
    post = TimelineEntry.objects.get(content_type=ct, object_id=aktiv.pk)
    assert post.typ == TimelineEntry.Typ.SKAPAT
    assert post.text == "Importerad från import.json (extern_id risk-07)"
    assert post.till_status == Status.AKTIV
    assert timezone.localtime(post.skapad).date() == date(2017, 2, 10)
    poster = TimelineEntry.objects.filter(content_type=ct, object_id=borttagen.pk)
    assert list(poster.order_by("skapad").values_list("typ", "till_status")) == [
        (TimelineEntry.Typ.SKAPAT, Status.BORTTAGEN),
        (TimelineEntry.Typ.STATUS, Status.BORTTAGEN),
    ]
    historik = aktiv.history.get()
    assert historik.history_type == "+"
    assert historik.history_change_reason == "Importerad från import.json"


def test_registret_per_datum_efter_import(org, tmp_path):
    importera(fil(tmp_path, med(AKTIV, BORTTAGEN, FORESLAGEN)))

    def pa(dag):
        return {r.extern_id: (r.s_dag, r.k_dag, r.varde_dag) for r in per(Risk.objects, dag)}

    assert pa(date(2017, 1, 14)) == {}
    assert pa(date(2017, 1, 15)) == {"risk-03": (3, 4, 12)}
    assert pa(date(2017, 6, 1)) == {"risk-03": (3, 4, 12), "risk-07": (2, 3, 6)}
    assert pa(date(2018, 9, 1)) == {"risk-03": (1, 4, 4), "risk-07": (3, 4, 12)}
    # Removed on 2019-03-01; the proposal is never in the register.
    assert pa(date(2019, 3, 1)) == {"risk-07": (3, 4, 12)}
    assert pa(timezone.localdate()) == {"risk-07": (3, 4, 12)}


def test_samma_fil_igen_andrar_ingenting(org, tmp_path):
    sokvag = fil(tmp_path, med(AKTIV, BORTTAGEN, FORESLAGEN))
    importera(sokvag)
    fore = raknare()
    ut = importera(sokvag)
    assert "risker: 0 nya, 0 ändrade, 3 oförändrade" in ut
    assert raknare() == fore


def test_andrad_post_uppdateras(org, tmp_path):
    importera(fil(tmp_path, med(AKTIV)))
    risk = Risk.objects.get()
    nummer = risk.nummer
    ny = andrad(
        AKTIV,
        titel="Handlingar skickas till fel mottagare",
        bedomningar=[
            *AKTIV["bedomningar"],
            {"datum": "2018-04-01", "sannolikhet": 2, "konsekvens": 4},
        ],
    )
    ut = importera(fil(tmp_path, med(ny), namn="ny.json"))
    assert "risker: 0 nya, 1 ändrad, 0 oförändrade" in ut
    risk.refresh_from_db()
    assert risk.nummer == nummer
    assert risk.titel == "Handlingar skickas till fel mottagare"
    assert (risk.sannolikhet, risk.konsekvens, risk.riskvarde) == (2, 4, 8)
    assert risk.bedomningar.count() == 3
    assert risk.history.count() == 2
    assert risk.history.first().history_change_reason == "Ändrad vid import från ny.json"
    senaste = TimelineEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Risk), object_id=risk.pk
    ).latest("skapad")
    assert senaste.text == ("Ändrad vid import från ny.json: bedomningar, sannolikhet, titel")


def test_provkorning_skriver_ingenting(org, tmp_path):
    fore = raknare()
    ut = importera(fil(tmp_path, med(AKTIV)), "--dry-run")
    assert "risker: 1 ny, 0 ändrade, 0 oförändrade" in ut
    assert raknare() == fore


def bed(**andringar):
    return andrad(AKTIV["bedomningar"][0], **andringar)


FEL = [
    pytest.param(
        andrad(AKTIV, enhet="MYN-XX"), 'risker[0].enhet: okänd enhet "MYN-XX"', id="okand-enhet"
    ),
    pytest.param(andrad(AKTIV, titel=...), "risker[0].titel: saknas (obligatorisk)", id="titel"),
    pytest.param(
        andrad(AKTIV, kategori="sekretess"),
        'risker[0].kategori: okänd kod "sekretess" (giltiga: ekonomi, rattssakerhet, '
        "fortroende, verksamhet, omvarld, arbetsmiljo, informationssakerhet)",
        id="okand-kategori",
    ),
    pytest.param(
        andrad(AKTIV, strategi="undvika"),
        'risker[0].strategi: okänd kod "undvika" (giltiga: acceptera, reducera, eliminera, '
        "overfora)",
        id="okand-strategi",
    ),
    pytest.param(
        andrad(AKTIV, status="stangd"),
        'risker[0].status: okänd kod "stangd" (giltiga: foreslagen, aktiv, borttagen)',
        id="okand-status",
    ),
    pytest.param(
        andrad(AKTIV, kalla="tidning"),
        'risker[0].kalla: okänd kod "tidning" (giltiga: arlig, personal, omorganisation, '
        "delegation, stod, metod, lagkunskap, arbetsfordelning, omsattning, handelse, "
        "kontroll, tillsyn, annat)",
        id="okand-kalla",
    ),
    pytest.param(
        andrad(AKTIV, agare="Anna"),
        "risker[0].agare: okänd nyckel (giltiga: extern_id, enhet, titel, beskrivning, "
        "kategori, strategi, status, bedomningar, borttagen, borttagen_skal, process, kalla, "
        "nasta_oversyn, styrdokument, indikatorer)",
        id="okand-nyckel",
    ),
    pytest.param(
        andrad(AKTIV, bedomningar=[]),
        "risker[0].bedomningar: ska ha minst en bedömning",
        id="inga-bedomningar",
    ),
    pytest.param(
        andrad(AKTIV, bedomningar=...),
        "risker[0].bedomningar: saknas (obligatorisk)",
        id="bedomningar-saknas",
    ),
    pytest.param(
        andrad(AKTIV, bedomningar=[bed(sannolikhet=5)]),
        "risker[0].bedomningar[0].sannolikhet: ska ligga på skalan 1–4, inte 5",
        id="utanfor-skalan",
    ),
    pytest.param(
        andrad(AKTIV, bedomningar=[bed(konsekvens=0)]),
        "risker[0].bedomningar[0].konsekvens: ska ligga på skalan 1–4, inte 0",
        id="noll",
    ),
    pytest.param(
        andrad(AKTIV, bedomningar=[bed(konsekvens="3")]),
        'risker[0].bedomningar[0].konsekvens: ska vara ett heltal, inte texten "3"',
        id="inte-heltal",
    ),
    pytest.param(
        andrad(AKTIV, bedomningar=[bed(datum="2017-02-30")]),
        'risker[0].bedomningar[0].datum: ogiltigt datum "2017-02-30" (ange ÅÅÅÅ-MM-DD, '
        "t.ex. 2017-05-24)",
        id="ogiltigt-datum",
    ),
    pytest.param(
        andrad(AKTIV, bedomningar=[bed(datum=I_MORGON)]),
        "risker[0].bedomningar[0].datum: Datumet kan inte ligga i framtiden.",
        id="framtida-datum",
    ),
    pytest.param(
        andrad(AKTIV, bedomningar=[bed(datum="1899-12-31")]),
        "risker[0].bedomningar[0].datum: Datumet kan inte ligga före 1900-01-01.",
        id="for-tidigt",
    ),
    pytest.param(
        andrad(AKTIV, bedomningar=[bed(datum=...)]),
        "risker[0].bedomningar[0].datum: saknas (obligatorisk)",
        id="datum-saknas",
    ),
    pytest.param(
        andrad(AKTIV, bedomningar=[bed(vem="Anna")]),
        "risker[0].bedomningar[0].vem: okänd nyckel (giltiga: datum, sannolikhet, "
        "konsekvens, kommentar)",
        id="okand-nyckel-i-bedomning",
    ),
    pytest.param(
        andrad(AKTIV, bedomningar=[3]),
        'risker[0].bedomningar[0]: ska vara ett objekt med "datum", "sannolikhet" och '
        '"konsekvens", inte talet 3',
        id="bedomning-inte-objekt",
    ),
    pytest.param(
        andrad(BORTTAGEN, borttagen=...),
        "risker[0].borttagen: saknas; en borttagen risk har datumet då den togs bort",
        id="borttagen-utan-datum",
    ),
    pytest.param(
        andrad(BORTTAGEN, borttagen_skal=" "),
        "risker[0].borttagen_skal: saknas; ange varför risken togs bort",
        id="borttagen-utan-skal",
    ),
    pytest.param(
        andrad(AKTIV, borttagen="2018-01-01"),
        'risker[0].borttagen: anges bara när status är "borttagen" (här "aktiv")',
        id="borttagen-men-aktiv",
    ),
    pytest.param(
        andrad(BORTTAGEN, borttagen="2016-12-31"),
        "risker[0].borttagen: Risken kan inte ha tagits bort före den första bedömningen "
        "(2017-01-15).",
        id="borttagen-fore-forsta",
    ),
    pytest.param(
        andrad(BORTTAGEN, borttagen="2018-01-01"),
        "risker[0].bedomningar: Risken kan inte ha bedömts efter att den togs bort (2018-01-01).",
        id="bedomd-efter-borttagen",
    ),
    pytest.param(
        andrad(BORTTAGEN, borttagen=I_MORGON),
        "risker[0].borttagen: Datumet kan inte ligga i framtiden.",
        id="borttagen-i-framtiden",
    ),
    pytest.param(
        andrad(AKTIV, titel="x" * 201),
        "risker[0].titel: Säkerställ att detta värde har som mest 200 tecken (den har 201).",
        id="for-lang-titel",
    ),
]


@pytest.mark.parametrize(("post", "vantat"), FEL)
def test_fel_avvisas(org, tmp_path, post, vantat):
    assert importera_fel(fil(tmp_path, med(post))) == [vantat]


def test_fel_i_en_post_stoppar_hela_filen(org, tmp_path):
    fel = importera_fel(fil(tmp_path, med(AKTIV, andrad(FORESLAGEN, enhet="OKAND"))))
    assert fel == ['risker[1].enhet: okänd enhet "OKAND"']
    assert not Risk.objects.exists()


def test_dubbla_extern_id(org, tmp_path):
    fel = importera_fel(fil(tmp_path, med(AKTIV, andrad(FORESLAGEN, extern_id="risk-07"))))
    assert fel == [
        'risker[1].extern_id: "risk-07" finns redan i risker[0]; extern_id måste vara unikt'
    ]


@override_settings(
    RISK_SANNOLIKHET=("Låg", "Medel", "Hög"),
    RISK_KONSEKVENS=("Liten", "Stor", "Mycket stor"),
    RISK_NIVAER=((2, "Låg"), (4, "Mellan"), (9, "Hög")),
)
def test_skalan_ur_installningarna(org, tmp_path):
    fel = importera_fel(fil(tmp_path, med(andrad(AKTIV, bedomningar=[bed(sannolikhet=4)]))))
    assert fel == ["risker[0].bedomningar[0].sannolikhet: ska ligga på skalan 1–3, inte 4"]


def test_enhet_ur_filens_organisation(db, tmp_path):
    """A risk may name a unit the same file's organisation section creates."""
    data = med(andrad(AKTIV, enhet="SOC-NY"))
    data["organisation"] = [
        {"kod": "SOC", "namn": "Socialförvaltningen", "typ": "forvaltning"},
        {"kod": "SOC-NY", "namn": "Ny enhet", "typ": "enhet", "overordnad": "SOC"},
    ]
    importera(fil(tmp_path, data))
    assert Risk.objects.get().enhet.kod == "SOC-NY"
