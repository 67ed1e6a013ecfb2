"""`manage.py importera`: the import contract (docs/import-format.md).

All or nothing (every error listed with its path, exit status 1, not a row written),
idempotent, historic dates and case numbers of the historic year, marked as imported
in the change history and on the timeline, and writes in bulk (the number of queries
does not grow with the number of records)."""

import copy
import json
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from avvikelser.models import Avvikelse, Orsaksomrade
from avvikelser.models import Kategori as AvvikelseKategori
from kvalitet.models import CaseLink, CaseNumberSeries, Enhet, TimelineEntry
from lexsarah.models import LexSarah
from rapporter.models import Driftstart, Historik
from synpunkter.models import Kategori as SynpunktKategori
from synpunkter.models import Kontaktuppgifter, Synpunkt
from tests.factories import AvvikelseFactory

pytestmark = pytest.mark.django_db

# The example of the contract (docs/import-format.md), without the lex Sarah section and
# the verksamhetsområde (a row of a data migration, gone after a transactional test's
# flush; test_verksamhetsomrade_efter_namn has it).
EXEMPEL = {
    "format": "kvalitet-import/1",
    "organisation": [
        {"kod": "SOC", "namn": "Socialförvaltningen", "typ": "forvaltning"},
        {"kod": "MYN", "namn": "Myndighetsavdelningen", "typ": "avdelning", "overordnad": "SOC"},
        {"kod": "MYN-EB", "namn": "Ekonomiskt bistånd", "typ": "enhet", "overordnad": "MYN"},
    ],
    "avvikelser": [
        {
            "extern_id": "treserva-2017-0042",
            "typ": "avvikelse",
            "enhet": "MYN-EB",
            "handelsedatum": "2017-05-17",
            "rapporterad": "2017-05-24",
            "kategori": "Felaktigt utskickad information",
            "orsaksomraden": ["Processer och rutiner"],
            "beskrivning": "Beslut skickat till fel adress.",
            "beror_enskild": True,
            "status": "avslutad",
            "avslutad": "2017-06-30",
        }
    ],
    "synpunkter": [
        {
            "extern_id": "dfrespons-2017-0007",
            "typ": "klagomal",
            "kanal": "via_ivo",
            "avsandare": "narstaende",
            "inkom": "2017-03-01",
            "enhet": "MYN-EB",
            "kategori": "Bemötande och service",
            "beskrivning": "Missnöjd med bemötandet vid besök.",
            "status": "avslutad",
            "besvarad": "2017-03-10",
            "avslutad": "2017-03-10",
        }
    ],
    "historik": [
        {
            "ar": 2016,
            "serie": "avvikelser",
            "dimension": "kategori",
            "varde": "Brist i lokal eller utrustning som påverkat verksamheten",
            "antal": 6,
        },
        {"ar": 2016, "serie": "avvikelser", "dimension": "total", "antal": 48},
        {"ar": 2016, "serie": "synpunkter", "dimension": "typ", "varde": "klagomal", "antal": 31},
    ],
}

LEXSARAH = [
    {
        "extern_id": "ls-2017-01",
        "enhet": "MYN-EB",
        "handelsedatum": "2017-05-17",
        "rapporterad": "2017-05-24",
        "beskrivning": "Sekretessbelagd handling skickad till fel adress.",
        "klassning": "pataglig_risk_for_missforhallande",
        "anmald_ivo": "2017-06-14",
        "ivo_avslutad": "2017-12-12",
        "status": "avslutad",
        "avslutad": "2018-03-21",
    }
]

AVV = EXEMPEL["avvikelser"][0]
SYN = EXEMPEL["synpunkter"][0]
STOCKHOLM = timezone.get_default_timezone()


def fil(tmp_path, data, namn="import.json"):
    """Write `data` as JSON (or a string as it is) and return the path."""
    sokvag = tmp_path / namn
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=1)
    sokvag.write_text(text, encoding="utf-8")
    return sokvag


def importera(sokvag, *flaggor):
    """Run the command; its standard output."""
    ut = StringIO()
    call_command("importera", str(sokvag), *flaggor, stdout=ut, stderr=StringIO())
    return ut.getvalue()


def raknare():
    """Every row an import could write."""
    return {
        "enheter": sorted(
            Enhet.objects.values_list("kod", "namn", "typ", "overordnad_id", "verksamhetsomrade_id")
        ),
        "avvikelser": Avvikelse.objects.count(),
        "avvikelsehistorik": Avvikelse.history.count(),
        "orsaksomraden_kopplade": Avvikelse.orsaksomraden.through.objects.count(),
        "synpunkter": Synpunkt.objects.count(),
        "synpunktshistorik": Synpunkt.history.count(),
        "kontaktuppgifter": Kontaktuppgifter.objects.count(),
        "avvikelsekategorier": AvvikelseKategori.objects.count(),
        "orsaksomraden": Orsaksomrade.objects.count(),
        "synpunktskategorier": SynpunktKategori.objects.count(),
        "lexsarah": LexSarah.objects.count(),
        "lexsarahhistorik": LexSarah.history.count(),
        "lankar": CaseLink.objects.count(),
        "historik": sorted(
            Historik.objects.values_list("ar", "serie", "dimension", "varde", "antal")
        ),
        "driftstart": sorted(Driftstart.objects.values_list("serie", "fran")),
        "driftstarthistorik": Driftstart.history.count(),
        "tidslinje": TimelineEntry.objects.count(),
        "nummerserier": sorted(CaseNumberSeries.objects.values_list("prefix", "ar", "senaste")),
    }


def importera_fel(sokvag, *flaggor):
    """Run the command expecting it to refuse: exit status 1, nothing written.
    Returns (error lines on stderr, the CommandError's message)."""
    fore = raknare()
    fel = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("importera", str(sokvag), *flaggor, stdout=StringIO(), stderr=fel)
    assert info.value.returncode == 1
    assert raknare() == fore, "en import med fel skrev något"
    return fel.getvalue().splitlines(), str(info.value)


def med(**sektioner):
    """A file with the given sections (and the format line)."""
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


# --- The example of the contract ------------------------------------------------------------


def test_exemplet_importeras_med_historiska_datum_och_nummer(tmp_path):
    ut = importera(fil(tmp_path, EXEMPEL, "exempel.json"))

    assert "organisation: 3 nya, 0 ändrade, 0 oförändrade" in ut
    assert "avvikelser: 1 ny, 0 ändrade, 0 oförändrade" in ut
    assert "synpunkter: 1 ny, 0 ändrade, 0 oförändrade" in ut
    assert "historik: 3 nya, 0 ändrade, 0 oförändrade" in ut
    assert "exempel.json är importerad" in ut

    soc, myn, eb = (Enhet.objects.get(kod=k) for k in ("SOC", "MYN", "MYN-EB"))
    assert (soc.overordnad, myn.overordnad, eb.overordnad) == (None, soc, myn)
    assert eb.typ == "enhet" and eb.namn == "Ekonomiskt bistånd"
    assert eb.sokvag.startswith(myn.sokvag) and myn.sokvag.startswith(soc.sokvag)

    avv = Avvikelse.objects.get()
    assert avv.nummer == "AVV-2017-0001"
    assert avv.extern_id == "treserva-2017-0042"
    assert avv.enhet == eb
    assert avv.typ == "avvikelse" and avv.status == "avslutad" and avv.beror_enskild
    assert avv.handelsedatum == date(2017, 5, 17)
    assert avv.rapporterad == datetime(2017, 5, 24, tzinfo=STOCKHOLM)
    assert avv.skapad == avv.rapporterad
    assert avv.avslutad == datetime(2017, 6, 30, tzinfo=STOCKHOLM)
    assert avv.tidsfrist == date(2017, 5, 24) + timedelta(days=30)
    assert avv.kategori.namn == "Felaktigt utskickad information"
    assert [o.namn for o in avv.orsaksomraden.all()] == ["Processer och rutiner"]
    assert avv.rapporterad_av is None and avv.skapad_av is None
    historik = list(avv.history.all())
    assert [(h.history_type, h.history_change_reason) for h in historik] == [
        ("+", "Importerad från exempel.json")
    ]
    # The history row is a copy of the record as imported (written with COPY on PostgreSQL).
    assert (historik[0].nummer, historik[0].enhet_id, historik[0].rapporterad) == (
        avv.nummer,
        eb.pk,
        avv.rapporterad,
    )
    assert historik[0].history_user is None
    assert timezone.now() - historik[0].history_date < timedelta(minutes=5)
    tidslinje = list(avv.timeline.all())
    assert [(t.typ, t.skapad, t.text) for t in tidslinje] == [
        (
            "skapat",
            avv.rapporterad,
            "Importerad från exempel.json (extern_id treserva-2017-0042)",
        )
    ]

    syn = Synpunkt.objects.get()
    assert syn.nummer == "SYN-2017-0001"
    assert (syn.typ, syn.kanal, syn.avsandare, syn.status) == (
        "klagomal",
        "via_ivo",
        "narstaende",
        "avslutad",
    )
    assert syn.inkom == datetime(2017, 3, 1, tzinfo=STOCKHOLM)
    assert syn.skapad == syn.inkom and syn.registrerad == syn.inkom
    assert syn.besvarad == datetime(2017, 3, 10, tzinfo=STOCKHOLM)
    assert syn.avslutad == datetime(2017, 3, 10, tzinfo=STOCKHOLM)
    assert syn.besvarad_i_tid
    assert syn.tidsfrist == date(2017, 3, 15)
    assert syn.kategori.namn == "Bemötande och service"
    assert syn.anonym is False and syn.kontakt is None
    assert len(syn.referens) == 9
    assert syn.history.get().history_change_reason == "Importerad från exempel.json"
    assert syn.timeline.get().skapad == syn.inkom

    assert sorted(Historik.objects.values_list("ar", "serie", "dimension", "varde", "antal")) == [
        (
            2016,
            "avvikelser",
            "kategori",
            "Brist i lokal eller utrustning som påverkat verksamheten",
            6,
        ),
        (2016, "avvikelser", "total", "", 48),
        (2016, "synpunkter", "typ", "klagomal", 31),
    ]
    assert sorted(CaseNumberSeries.objects.values_list("prefix", "ar", "senaste")) == [
        ("AVV", 2017, 1),
        ("SYN", 2017, 1),
    ]


def test_exemplet_med_lex_sarah_importeras_med_en_varning(tmp_path):
    """The contract's whole example: its lex Sarah case was notified to IVO although its
    classification does not require it – imported, with a warning (tests/lexsarah/
    test_import.py has the section's rules)."""
    ut = importera(fil(tmp_path, {**EXEMPEL, "lexsarah": LEXSARAH}, "exempel.json"))
    assert "lexsarah: 1 ny, 0 ändrade, 0 oförändrade" in ut
    assert (
        '  lexsarah: varning lexsarah[0].anmald_ivo: klassningen "Påtaglig risk för '
        'missförhållande" kräver ingen anmälan till IVO; ärendet importeras som anmält'
    ) in ut
    assert "exempel.json är importerad" in ut
    ls = LexSarah.objects.get()
    assert (ls.nummer, ls.extern_id, ls.status, ls.vag) == (
        "LS-2017-0001",
        "ls-2017-01",
        "avslutad",
        "import",
    )
    assert (ls.ivo_anmald, ls.ivo_beslut) == (date(2017, 6, 14), date(2017, 12, 12))
    assert ls.avslutad == datetime(2018, 3, 21, tzinfo=STOCKHOLM)
    assert ls.tidsfrist is None


def test_enheter_i_databasen_ar_oforandrade_och_kan_anges_med_namn(tmp_path, org):
    data = copy.deepcopy(EXEMPEL)
    data["avvikelser"][0]["enhet"] = "  ekonomiskt BISTÅND "
    data["synpunkter"][0]["enhet"] = "myn-eb"
    ut = importera(fil(tmp_path, data))
    assert "organisation: 0 nya, 0 ändrade, 3 oförändrade" in ut
    assert Avvikelse.objects.get().enhet == org["EB"]
    assert Synpunkt.objects.get().enhet == org["EB"]


# --- Errors in the file as a whole ------------------------------------------------------------


def test_ogiltig_json_anger_rad_och_kolumn(tmp_path):
    text = '{\n  "format": "kvalitet-import/1",\n  "avvikelser": [,]\n}\n'
    _fel, meddelande = importera_fel(fil(tmp_path, text))
    assert meddelande == '"import.json" är inte giltig JSON: rad 3, kolumn 18: ett värde väntades.'


def test_fil_som_inte_finns_eller_inte_ar_utf8(tmp_path):
    sokvag = tmp_path / "finns-inte.json"
    _fel, meddelande = importera_fel(sokvag)
    assert meddelande == f'Kan inte läsa "{sokvag}": filen finns inte.'

    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"format": "kvalitet-import/1", "x": "å"}'.encode("latin-1"))
    _fel, meddelande = importera_fel(latin1)
    assert meddelande == f'Kan inte läsa "{latin1}": filen är inte kodad i UTF-8 (byte 38).'


@pytest.mark.parametrize(
    ("data", "vantat"),
    [
        pytest.param(
            {"avvikelser": []}, ['format: saknas; ska vara "kvalitet-import/1"'], id="utan-format"
        ),
        pytest.param(
            {"format": "kvalitet-import/2"},
            ['format: okänt format texten "kvalitet-import/2"; ska vara "kvalitet-import/1"'],
            id="fel-format",
        ),
        pytest.param(
            {"format": "kvalitet-import/1", "risk": []},
            [
                "risk: okänd sektion (giltiga: format, avvikelser, driftstart, historik, "
                "internkontroll, lexsarah, organisation, processer, risker, synpunkter)"
            ],
            id="okand-sektion",
        ),
        pytest.param(
            {"format": "kvalitet-import/1", "lexsarah": {}},
            ["lexsarah: ska vara en lista, inte ett objekt"],
            id="lexsarah-inte-lista",
        ),
        pytest.param(
            {"format": "kvalitet-import/1", "avvikelser": {"extern_id": "a"}},
            ["avvikelser: ska vara en lista, inte ett objekt"],
            id="sektion-inte-lista",
        ),
        pytest.param(
            {"format": "kvalitet-import/1", "avvikelser": [5]},
            ["avvikelser[0]: ska vara ett objekt, inte talet 5"],
            id="post-inte-objekt",
        ),
        pytest.param(
            [], ["import.json: ska vara ett JSON-objekt, inte en lista"], id="inte-objekt"
        ),
    ],
)
def test_fel_i_filens_overdel(tmp_path, data, vantat):
    fel, _meddelande = importera_fel(fil(tmp_path, data))
    assert fel == vantat


# --- Errors in records: each with its exact path and message ---------------------------------

I_MORGON = (timezone.localdate() + timedelta(days=1)).isoformat()
HIST = {"ar": 2016, "serie": "avvikelser", "dimension": "total", "antal": 48}
DRIFT = {"serie": "avvikelser", "fran": "2017-01-01"}

FEL_I_POSTER = [
    # Keys and types.
    (
        "avvikelser",
        andrad(AVV, kategorj="Sekretess"),
        'avvikelser[0].kategorj: okänd nyckel; menade du "kategori"?',
    ),
    ("avvikelser", andrad(AVV, enhet=...), "avvikelser[0].enhet: saknas (obligatorisk)"),
    ("avvikelser", andrad(AVV, enhet=None), "avvikelser[0].enhet: saknas (obligatorisk)"),
    (
        "avvikelser",
        andrad(AVV, beror_enskild="ja"),
        'avvikelser[0].beror_enskild: ska vara true eller false, inte texten "ja"',
    ),
    (
        "avvikelser",
        andrad(AVV, beror_enskild=1),
        "avvikelser[0].beror_enskild: ska vara true eller false, inte talet 1",
    ),
    (
        "avvikelser",
        andrad(AVV, beskrivning=42),
        "avvikelser[0].beskrivning: ska vara en text, inte talet 42",
    ),
    (
        "avvikelser",
        andrad(AVV, orsaksomraden="Kompetens"),
        'avvikelser[0].orsaksomraden: ska vara en lista, inte texten "Kompetens"',
    ),
    (
        "historik",
        andrad(HIST, antal="48"),
        'historik[0].antal: ska vara ett heltal, inte texten "48"',
    ),
    ("historik", andrad(HIST, antal=4.5), "historik[0].antal: ska vara ett heltal, inte talet 4.5"),
    # Dates.
    (
        "avvikelser",
        andrad(AVV, handelsedatum="2017-02-30"),
        'avvikelser[0].handelsedatum: ogiltigt datum "2017-02-30" (ange ÅÅÅÅ-MM-DD, t.ex. '
        "2017-05-24)",
    ),
    (
        "avvikelser",
        andrad(AVV, handelsedatum="17/5 2017"),
        'avvikelser[0].handelsedatum: ogiltigt datum "17/5 2017" (ange ÅÅÅÅ-MM-DD, t.ex. '
        "2017-05-24)",
    ),
    (
        "avvikelser",
        andrad(AVV, rapporterad="2017-05-24 14:00"),
        'avvikelser[0].rapporterad: ogiltigt datum "2017-05-24 14:00" (ange ÅÅÅÅ-MM-DD, eller '
        "datum och klockslag som 2017-05-24T14:30:00+02:00)",
    ),
    (
        "avvikelser",
        andrad(AVV, handelsedatum=I_MORGON),
        "avvikelser[0].handelsedatum: Datumet kan inte ligga i framtiden.",
    ),
    (
        "avvikelser",
        andrad(AVV, rapporterad=I_MORGON),
        "avvikelser[0].rapporterad: Datumet kan inte ligga i framtiden.",
    ),
    (
        "synpunkter",
        andrad(SYN, inkom=I_MORGON + "T12:00:00+01:00"),
        "synpunkter[0].inkom: Datumet kan inte ligga i framtiden.",
    ),
    # Security finding 4 (issue 10): year 1 overflowed the time-zone conversion.
    (
        "avvikelser",
        andrad(AVV, handelsedatum="0001-01-01"),
        "avvikelser[0].handelsedatum: Datumet kan inte ligga före 1900-01-01.",
    ),
    (
        "avvikelser",
        andrad(AVV, handelsedatum="1899-12-31"),
        "avvikelser[0].handelsedatum: Datumet kan inte ligga före 1900-01-01.",
    ),
    (
        "avvikelser",
        andrad(AVV, handelsedatum="9999-12-31"),
        "avvikelser[0].handelsedatum: Datumet kan inte ligga i framtiden.",
    ),
    (
        "avvikelser",
        andrad(AVV, rapporterad="0001-01-01"),
        "avvikelser[0].rapporterad: Datumet kan inte ligga före 1900-01-01.",
    ),
    (
        "avvikelser",
        andrad(AVV, avslutad="0001-01-01"),
        "avvikelser[0].avslutad: Datumet kan inte ligga före 1900-01-01.",
    ),
    (
        "synpunkter",
        andrad(SYN, inkom="0001-01-01T00:00:00+00:00"),
        "synpunkter[0].inkom: Datumet kan inte ligga före 1900-01-01.",
    ),
    (
        "synpunkter",
        andrad(SYN, inkom="1899-12-31T23:59:59"),
        "synpunkter[0].inkom: Datumet kan inte ligga före 1900-01-01.",
    ),
    (
        "synpunkter",
        andrad(SYN, inkom="9999-12-31T23:59:59+00:00"),
        "synpunkter[0].inkom: Datumet kan inte ligga i framtiden.",
    ),
    # Units, categories, codes.
    ("avvikelser", andrad(AVV, enhet="MYN-XX"), 'avvikelser[0].enhet: okänd enhet "MYN-XX"'),
    (
        "avvikelser",
        andrad(AVV, kategori="Gammal kategori"),
        'avvikelser[0].kategori: okänd kategori "Gammal kategori" (--skapa-kategorier skapar den)',
    ),
    (
        "avvikelser",
        andrad(AVV, orsaksomraden=["Kompetens", "Slarv"]),
        'avvikelser[0].orsaksomraden[1]: okänt orsaksområde "Slarv" (--skapa-kategorier skapar '
        "den)",
    ),
    (
        "synpunkter",
        andrad(SYN, kategori="Parkering"),
        'synpunkter[0].kategori: okänd kategori "Parkering" (--skapa-kategorier skapar den)',
    ),
    (
        "avvikelser",
        andrad(AVV, typ="incident"),
        'avvikelser[0].typ: okänd kod "incident" (giltiga: avvikelse, tillbud)',
    ),
    (
        "avvikelser",
        andrad(AVV, status="stangd"),
        'avvikelser[0].status: okänd kod "stangd" (giltiga: rapporterad, under_utredning, '
        "avslutad)",
    ),
    (
        "synpunkter",
        andrad(SYN, typ="klagomål"),
        'synpunkter[0].typ: okänd kod "klagomål" (giltiga: klagomal, synpunkt, berom, forslag, '
        "fraga)",
    ),
    (
        "synpunkter",
        andrad(SYN, kanal="fax"),
        'synpunkter[0].kanal: okänd kod "fax" (giltiga: e_tjanst, epost, brev, telefon, besok, '
        "via_ivo, annat)",
    ),
    (
        "synpunkter",
        andrad(SYN, avsandare="granne"),
        'synpunkter[0].avsandare: okänd kod "granne" (giltiga: brukare, narstaende, medarbetare, '
        "vardgivare, annan_utforare, myndighet, organisation, ovrig, anonym)",
    ),
    (
        "synpunkter",
        andrad(SYN, status="klar"),
        'synpunkter[0].status: okänd kod "klar" (giltiga: inkommen, registrerad, '
        "under_handlaggning, besvarad, avslutad)",
    ),
    # The model's own validation.
    (
        "avvikelser",
        andrad(AVV, beskrivning="   "),
        "avvikelser[0].beskrivning: Detta fält får inte vara tomt.",
    ),
    (
        "avvikelser",
        andrad(AVV, extern_id="x" * 101),
        "avvikelser[0].extern_id: Säkerställ att detta värde har som mest 100 tecken (den har "
        "101).",
    ),
    ("avvikelser", andrad(AVV, extern_id=""), "avvikelser[0].extern_id: får inte vara tomt"),
    (
        "synpunkter",
        andrad(SYN, diarienummer="D" * 41),
        "synpunkter[0].diarienummer: Säkerställ att detta värde har som mest 40 tecken (den har "
        "41).",
    ),
    # Rules between fields.
    (
        "avvikelser",
        andrad(AVV, avslutad="2017-05-23"),
        "avvikelser[0].avslutad: Avvikelsen kan inte ha avslutats innan den rapporterades.",
    ),
    (
        "avvikelser",
        andrad(AVV, avslutad=...),
        "avvikelser[0].avslutad: saknas; en avslutad avvikelse har ett datum",
    ),
    (
        "avvikelser",
        andrad(AVV, status="under_utredning"),
        'avvikelser[0].avslutad: anges bara när status är "avslutad" (här "under_utredning")',
    ),
    (
        "avvikelser",
        andrad(AVV, handelsedatum="2017-05-25"),
        "avvikelser[0].handelsedatum: Händelsen kan inte ha inträffat efter att den rapporterades.",
    ),
    (
        "synpunkter",
        andrad(SYN, besvarad="2017-02-28"),
        "synpunkter[0].besvarad: Synpunkten kan inte ha besvarats innan den kom in.",
    ),
    (
        "synpunkter",
        andrad(SYN, besvarad="2017-03-11"),
        "synpunkter[0].avslutad: Synpunkten kan inte ha avslutats innan den besvarades.",
    ),
    (
        "synpunkter",
        andrad(SYN, avsandare="anonym", besvarad=..., avslutad="2017-02-01"),
        "synpunkter[0].avslutad: Synpunkten kan inte ha avslutats innan den kom in.",
    ),
    (
        "synpunkter",
        andrad(SYN, avslutad=...),
        "synpunkter[0].avslutad: saknas; en avslutad synpunkt har ett datum",
    ),
    (
        "synpunkter",
        andrad(SYN, status="besvarad", avslutad=..., besvarad=...),
        'synpunkter[0].besvarad: saknas; en synpunkt med status "besvarad" har ett svarsdatum',
    ),
    (
        "synpunkter",
        andrad(SYN, besvarad=...),
        'synpunkter[0].besvarad: saknas; en synpunkt med status "avslutad" har ett svarsdatum',
    ),
    (
        "synpunkter",
        andrad(SYN, status="registrerad", avslutad=...),
        'synpunkter[0].besvarad: anges inte när status är "registrerad" (synpunkten är inte '
        "besvarad)",
    ),
    # History.
    (
        "historik",
        andrad(HIST, serie="risker"),
        'historik[0].serie: okänd kod "risker" (giltiga: avvikelser, synpunkter, lexsarah)',
    ),
    (
        "historik",
        andrad(HIST, dimension="manad"),
        'historik[0].dimension: okänd kod "manad" (giltiga: total, typ, kategori, kanal, '
        "klassning, enhet)",
    ),
    (
        "historik",
        andrad(HIST, dimension="kanal", varde="epost"),
        'historik[0].dimension: serien "avvikelser" har ingen dimension "kanal" (giltiga: total, '
        "enhet, typ, kategori)",
    ),
    (
        "historik",
        andrad(HIST, serie="lexsarah", dimension="typ", varde="x"),
        'historik[0].dimension: serien "lexsarah" har ingen dimension "typ" (giltiga: total, '
        "enhet, klassning)",
    ),
    (
        "historik",
        andrad(HIST, dimension="enhet", varde="MYN-XX"),
        'historik[0].varde: okänd enhet "MYN-XX" (ange enhetens kod)',
    ),
    (
        "historik",
        andrad(HIST, dimension="enhet", varde="Ekonomiskt bistånd"),
        'historik[0].varde: okänd enhet "Ekonomiskt bistånd" (ange enhetens kod)',
    ),
    (
        "historik",
        andrad(HIST, serie="synpunkter", dimension="kanal", varde="fax"),
        'historik[0].varde: okänd kod "fax" (giltiga: e_tjanst, epost, brev, telefon, besok, '
        "via_ivo, annat)",
    ),
    (
        "historik",
        andrad(HIST, serie="lexsarah", dimension="klassning", varde="allvarligt"),
        'historik[0].varde: okänd kod "allvarligt" (giltiga: inget_missforhallande, '
        "pataglig_risk_for_missforhallande, missforhallande, "
        "pataglig_risk_for_allvarligt_missforhallande, allvarligt_missforhallande)",
    ),
    (
        "historik",
        andrad(HIST, dimension="typ"),
        'historik[0].varde: saknas; dimensionen "typ" kräver ett värde',
    ),
    (
        "historik",
        andrad(HIST, varde="alla"),
        'historik[0].varde: anges inte för dimensionen "total"',
    ),
    (
        "historik",
        andrad(HIST, ar=1999),
        "historik[0].ar: Kontrollera att detta värde är större än eller lika med 2000.",
    ),
    (
        "historik",
        andrad(HIST, ar=timezone.localdate().year + 1),
        "historik[0].ar: Året har inte börjat ännu.",
    ),
    (
        "historik",
        andrad(HIST, antal=-1),
        "historik[0].antal: Kontrollera att detta värde är större än eller lika med 0.",
    ),
    # The organisation.
    (
        "organisation",
        {"kod": "NY", "namn": "Ny enhet", "typ": "sektion"},
        'organisation[0].typ: okänd kod "sektion" (giltiga: forvaltning, avdelning, enhet, team)',
    ),
    (
        "organisation",
        {"kod": "NY", "namn": "Ny enhet", "typ": "enhet", "overordnad": "FINNS-EJ"},
        'organisation[0].overordnad: okänd enhet "FINNS-EJ"',
    ),
    (
        "organisation",
        {"kod": "NY", "namn": "Ny enhet", "typ": "enhet", "overordnad": "NY"},
        "organisation[0].overordnad: enheterna ligger under varandra i en cirkel: NY → NY",
    ),
    (
        "organisation",
        {"kod": "NY", "namn": "", "typ": "enhet"},
        "organisation[0].namn: Detta fält får inte vara tomt.",
    ),
    (
        "organisation",
        {"kod": "NY", "namn": "Ny", "typ": "enhet", "forkortning": "N"},
        "organisation[0].forkortning: okänd nyckel (giltiga: kod, namn, typ, overordnad, "
        "verksamhetsomrade)",
    ),
    (
        "organisation",
        {"kod": "NY", "namn": "Ny", "typ": "enhet", "verksamhetsomrade": "Äldreomsorg"},
        'organisation[0].verksamhetsomrade: okänt verksamhetsområde "Äldreomsorg" (giltiga: '
        "Barn och unga, Ekonomiskt bistånd, Missbruk och beroende, Boende och hemlöshet, "
        "Våld i nära relationer, Familjerätt, Funktionsnedsättning, Övrigt)",
    ),
    (
        "organisation",
        {"kod": "NY", "namn": "Ny", "typ": "enhet", "verksamhetsomrade": 3},
        "organisation[0].verksamhetsomrade: ska vara ett namn (text), inte talet 3",
    ),
    # Go-live dates.
    (
        "driftstart",
        andrad(DRIFT, serie="risker"),
        'driftstart[0].serie: okänd kod "risker" (giltiga: avvikelser, synpunkter, lexsarah)',
    ),
    (
        "driftstart",
        andrad(DRIFT, fran="2017-02-30"),
        'driftstart[0].fran: ogiltigt datum "2017-02-30" (ange ÅÅÅÅ-MM-DD, t.ex. 2017-05-24)',
    ),
    (
        "driftstart",
        andrad(DRIFT, fran="2017-01-01T08:00:00"),
        'driftstart[0].fran: ogiltigt datum "2017-01-01T08:00:00" (ange ÅÅÅÅ-MM-DD, t.ex. '
        "2017-05-24)",
    ),
    (
        "driftstart",
        andrad(DRIFT, fran=I_MORGON),
        "driftstart[0].fran: Datumet kan inte ligga i framtiden.",
    ),
    (
        "driftstart",
        andrad(DRIFT, fran="1899-12-31"),
        "driftstart[0].fran: Datumet kan inte ligga före 1900-01-01.",
    ),
    ("driftstart", andrad(DRIFT, fran=...), "driftstart[0].fran: saknas (obligatorisk)"),
    (
        "driftstart",
        andrad(DRIFT, fran=20170101),
        "driftstart[0].fran: ska vara ett datum (ÅÅÅÅ-MM-DD), inte talet 20170101",
    ),
    (
        "driftstart",
        andrad(DRIFT, datum="2017-01-01"),
        "driftstart[0].datum: okänd nyckel (giltiga: serie, fran)",
    ),
]


@pytest.mark.parametrize(
    ("sektion", "post", "vantat"),
    [
        pytest.param(s, p, v, id=v.split(":")[0] + ":" + v.split(":", 1)[1][:30])
        for s, p, v in FEL_I_POSTER
    ],
)
def test_fel_i_en_post(tmp_path, org, sektion, post, vantat):
    fel, meddelande = importera_fel(fil(tmp_path, med(**{sektion: [post]})))
    assert fel == [vantat]
    assert meddelande == "1 fel i import.json; ingenting har importerats."


def test_dubblett_av_extern_id_i_filen(tmp_path, org):
    data = med(avvikelser=[AVV, andrad(AVV, beskrivning="Annan"), andrad(AVV, extern_id="b")])
    fel, _m = importera_fel(fil(tmp_path, data))
    assert fel == [
        'avvikelser[1].extern_id: "treserva-2017-0042" finns redan i avvikelser[0]; '
        "extern_id måste vara unikt"
    ]


def test_dubbletter_i_organisation_och_historik(tmp_path, org):
    data = med(
        organisation=[
            {"kod": "NY", "namn": "Ny", "typ": "enhet"},
            {"kod": "ny", "namn": "Ny igen", "typ": "enhet"},
        ],
        historik=[HIST, andrad(HIST, antal=50)],
    )
    fel, _m = importera_fel(fil(tmp_path, data))
    assert fel == [
        'organisation[1].kod: koden "ny" finns redan i organisation[0]',
        "historik[1]: samma år, serie, dimension och värde som historik[0]",
    ]


def test_driftstart_en_per_serie(tmp_path, org):
    data = med(
        driftstart=[DRIFT, andrad(DRIFT, serie="synpunkter"), andrad(DRIFT, fran="2018-01-01")],
        historik=[HIST],
    )
    fel, meddelande = importera_fel(fil(tmp_path, data))
    assert fel == [
        'driftstart[2].serie: serien "avvikelser" har redan en driftstart i driftstart[0]'
    ]
    assert meddelande == "1 fel i import.json; ingenting har importerats."


def test_cirkel_over_flera_enheter_och_via_databasen(tmp_path, org):
    data = med(
        organisation=[
            {"kod": "A", "namn": "A", "typ": "enhet", "overordnad": "B"},
            {"kod": "B", "namn": "B", "typ": "enhet", "overordnad": "C"},
            {"kod": "C", "namn": "C", "typ": "enhet", "overordnad": "A"},
            # An existing unit moved below its own descendant.
            {
                "kod": "MYN",
                "namn": "Myndighetsavdelningen",
                "typ": "avdelning",
                "overordnad": "MYN-EB",
            },
        ]
    )
    fel, _m = importera_fel(fil(tmp_path, data))
    assert fel == [
        "organisation[0].overordnad: enheterna ligger under varandra i en cirkel: A → B → C → A",
        "organisation[3].overordnad: enheterna ligger under varandra i en cirkel: "
        "MYN → MYN-EB → MYN",
    ]


def test_tvetydigt_enhetsnamn(tmp_path, org):
    Enhet.objects.create(kod="OPPEN-EB", namn="Ekonomiskt bistånd", typ="enhet")
    fel, _m = importera_fel(
        fil(tmp_path, med(avvikelser=[andrad(AVV, enhet="Ekonomiskt bistånd")]))
    )
    assert fel == [
        'avvikelser[0].enhet: flera enheter heter "Ekonomiskt bistånd" (MYN-EB, OPPEN-EB); '
        "ange enhetens kod"
    ]


def test_alla_fel_listas_pa_en_gang(tmp_path, org):
    """One bad record among good ones in every section; several errors in one record."""
    data = med(
        organisation=[
            {"kod": "NY1", "namn": "Ny 1", "typ": "team", "overordnad": "MYN-EB"},
            {"kod": "NY2", "namn": "Ny 2", "typ": "lag", "overordnad": "MYN-EB"},
        ],
        avvikelser=[
            andrad(AVV, extern_id="a-1"),
            andrad(AVV, extern_id="a-2", enhet="NY1"),
            andrad(AVV, extern_id="a-3", enhet="MYN-XX", typ="olycka", beror_enskild="nej"),
        ],
        synpunkter=[
            andrad(SYN, extern_id="s-1"),
            andrad(SYN, extern_id="s-2", kanal="fax"),
            andrad(SYN, extern_id="s-3"),
        ],
        historik=[HIST, andrad(HIST, dimension="enhet", varde="MYN-XX")],
    )
    data["lexsarah"] = [LEXSARAH[0], {**LEXSARAH[0], "extern_id": "ls-2", "status": "stangd"}]
    fel, meddelande = importera_fel(fil(tmp_path, data))
    assert fel == [
        'organisation[1].typ: okänd kod "lag" (giltiga: forvaltning, avdelning, enhet, team)',
        'avvikelser[2].typ: okänd kod "olycka" (giltiga: avvikelse, tillbud)',
        'avvikelser[2].enhet: okänd enhet "MYN-XX"',
        'avvikelser[2].beror_enskild: ska vara true eller false, inte texten "nej"',
        'synpunkter[1].kanal: okänd kod "fax" (giltiga: e_tjanst, epost, brev, telefon, besok, '
        "via_ivo, annat)",
        'lexsarah[1].status: okänd kod "stangd" (giltiga: rapporterad, under_utredning, '
        "beslutad, anmald_ivo, avslutad)",
        'historik[1].varde: okänd enhet "MYN-XX" (ange enhetens kod)',
    ]
    assert meddelande == "7 fel i import.json; ingenting har importerats."


# --- Categories -------------------------------------------------------------------------------


def test_skapa_kategorier_skapar_inaktiva_och_hittar_dem_nasta_gang(tmp_path, org):
    data = med(
        avvikelser=[
            andrad(AVV, kategori="  gammal   KATEGORI ", orsaksomraden=["Slarv", "Kompetens"]),
            andrad(AVV, extern_id="a-2", kategori="Gammal kategori", orsaksomraden=["slarv"]),
        ],
        synpunkter=[andrad(SYN, kategori="Parkering")],
    )
    sokvag = fil(tmp_path, data)
    importera_fel(sokvag)  # unknown categories are errors without the option

    ut = importera(sokvag, "--skapa-kategorier")
    assert "avvikelser: 2 nya, 0 ändrade, 0 oförändrade" in ut
    assert '  avvikelser: skapade 1 inaktiva kategorier: "gammal KATEGORI"' in ut
    assert '  avvikelser: skapade 1 inaktiva orsaksområden: "Slarv"' in ut
    assert '  synpunkter: skapade 1 inaktiva kategorier: "Parkering"' in ut
    gammal = AvvikelseKategori.objects.get(namn="gammal KATEGORI")
    assert gammal.aktiv is False
    assert Orsaksomrade.objects.get(namn="Slarv").aktiv is False
    assert SynpunktKategori.objects.get(namn="Parkering").aktiv is False
    assert set(Avvikelse.objects.values_list("kategori", flat=True)) == {gammal.pk}
    a1 = Avvikelse.objects.get(extern_id="treserva-2017-0042")
    assert sorted(o.namn for o in a1.orsaksomraden.all()) == ["Kompetens", "Slarv"]

    # Inactive categories are still found; the second import needs no option.
    fore = raknare()
    ut = importera(sokvag)
    assert "avvikelser: 0 nya, 0 ändrade, 2 oförändrade" in ut
    assert "skapade" not in ut
    assert raknare() == fore


# --- Idempotency and updates -----------------------------------------------------------------


def test_samma_fil_tva_ganger_andrar_ingenting(tmp_path):
    sokvag = fil(tmp_path, EXEMPEL)
    importera(sokvag)
    fore = raknare()
    ut = importera(sokvag)
    assert ut.splitlines()[:4] == [
        "organisation: 0 nya, 0 ändrade, 3 oförändrade",
        "avvikelser: 0 nya, 0 ändrade, 1 oförändrad",
        "synpunkter: 0 nya, 0 ändrade, 1 oförändrad",
        "historik: 0 nya, 0 ändrade, 3 oförändrade",
    ]
    assert raknare() == fore


def test_andrad_post_uppdateras_med_historik(tmp_path, org):
    data = med(
        avvikelser=[AVV, andrad(AVV, extern_id="a-2")],
        synpunkter=[SYN],
        historik=[HIST],
        organisation=[
            {"kod": "MYN-EB", "namn": "Ekonomiskt bistånd", "typ": "enhet", "overordnad": "MYN"}
        ],
    )
    importera(fil(tmp_path, data))
    avv = Avvikelse.objects.get(extern_id="a-2")
    nummer, tidslinje = avv.nummer, avv.timeline.count()

    data["avvikelser"][1].update(
        beskrivning="Beslut skickat till fel adress, två gånger.",
        orsaksomraden=["Processer och rutiner", "Kompetens"],
    )
    data["historik"][0]["antal"] = 49
    data["organisation"][0]["namn"] = "Ekonomiskt bistånd vuxna"
    fore = raknare()
    ut = importera(fil(tmp_path, data, "andrad.json"))
    assert "organisation: 0 nya, 1 ändrad, 0 oförändrade" in ut
    assert "avvikelser: 0 nya, 1 ändrad, 1 oförändrad" in ut
    assert "synpunkter: 0 nya, 0 ändrade, 1 oförändrad" in ut
    assert "historik: 0 nya, 1 ändrad, 0 oförändrade" in ut

    avv.refresh_from_db()
    assert avv.nummer == nummer
    assert avv.beskrivning == "Beslut skickat till fel adress, två gånger."
    assert sorted(o.namn for o in avv.orsaksomraden.all()) == ["Kompetens", "Processer och rutiner"]
    senaste = avv.history.first()
    assert (senaste.history_type, senaste.history_change_reason) == (
        "~",
        "Ändrad vid import från andrad.json",
    )
    assert senaste.beskrivning == avv.beskrivning
    assert avv.timeline.count() == tidslinje + 1
    assert avv.timeline.last().text == (
        "Ändrad vid import från andrad.json: beskrivning, orsaksomraden"
    )
    efter = raknare()
    assert efter["avvikelsehistorik"] == fore["avvikelsehistorik"] + 1
    assert efter["synpunktshistorik"] == fore["synpunktshistorik"]
    assert efter["tidslinje"] == fore["tidslinje"] + 1
    assert Historik.objects.get().antal == 49
    org["EB"].refresh_from_db()
    assert org["EB"].namn == "Ekonomiskt bistånd vuxna"


def test_verksamhetsomrade_efter_namn(tmp_path, org):
    """`organisation[].verksamhetsomrade` by name, case and spaces as written; absent
    leaves an existing unit's område as it is; a new unit without one has none of its
    own (it takes the nearest unit above's)."""
    data = med(
        organisation=[
            {"kod": "MYN", "namn": "Myndighetsavdelningen", "typ": "avdelning",
             "overordnad": "SOC", "verksamhetsomrade": " barn OCH unga "},
            {"kod": "MYN-EB", "namn": "Ekonomiskt bistånd", "typ": "enhet",
             "overordnad": "MYN", "verksamhetsomrade": "Ekonomiskt bistånd"},
            {"kod": "NY", "namn": "Ny enhet", "typ": "enhet", "overordnad": "MYN"},
        ]
    )  # fmt: skip
    ut = importera(fil(tmp_path, data))
    assert "organisation: 1 ny, 2 ändrade, 0 oförändrade" in ut
    omrade = dict(Enhet.objects.values_list("kod", "verksamhetsomrade__namn"))
    assert (omrade["MYN"], omrade["MYN-EB"], omrade["NY"]) == (
        "Barn och unga",
        "Ekonomiskt bistånd",
        None,
    )
    assert Enhet.objects.get(kod="NY").omrade().namn == "Barn och unga"
    assert org["MYN"].history.first().verksamhetsomrade.namn == "Barn och unga"

    # Without the key the units keep their områden: nothing changes.
    for rad in data["organisation"]:
        rad.pop("verksamhetsomrade", None)
    ut = importera(fil(tmp_path, data, "utan.json"))
    assert "organisation: 0 nya, 0 ändrade, 3 oförändrade" in ut
    assert dict(Enhet.objects.values_list("kod", "verksamhetsomrade__namn")) == omrade


def test_okant_verksamhetsomrade_skapas_inte(tmp_path, org):
    """An unknown område is refused, also with --skapa-kategorier, and nothing is
    written (the valid row before it neither)."""
    data = med(
        organisation=[
            {"kod": "NY", "namn": "Ny enhet", "typ": "enhet", "overordnad": "MYN",
             "verksamhetsomrade": "Familjerätt"},
            {"kod": "MYN", "namn": "Myndighetsavdelningen", "typ": "avdelning",
             "overordnad": "SOC", "verksamhetsomrade": "Äldreomsorg"},
        ]
    )  # fmt: skip
    fel, _meddelande = importera_fel(fil(tmp_path, data), "--skapa-kategorier")
    assert len(fel) == 1
    assert fel[0].startswith(
        'organisation[1].verksamhetsomrade: okänt verksamhetsområde "Äldreomsorg"'
    )
    assert not Enhet.objects.filter(kod="NY").exists()


def test_enhet_flyttas_med_sitt_delrad(tmp_path, org):
    data = med(
        organisation=[
            {"kod": "MYN-EB", "namn": "Ekonomiskt bistånd", "typ": "enhet", "overordnad": "OPPEN"}
        ]
    )
    ut = importera(fil(tmp_path, data))
    assert "organisation: 0 nya, 1 ändrad, 0 oförändrade" in ut
    for enhet in org.values():
        enhet.refresh_from_db()
    assert org["EB"].overordnad == org["OPPEN"]
    assert org["TEAM"].sokvag.startswith(org["OPPEN"].sokvag)


def test_flytt_och_andring_under_den_flyttade_i_samma_fil(tmp_path, org):
    """A unit below a moved one (here the team under Ekonomiskt bistånd, which moves
    along with Myndighetsavdelningen) gets its path from the moved tree."""
    data = med(
        organisation=[
            {
                "kod": "MYN-EB-MOT",
                "namn": "Mottagning vuxna",
                "typ": "team",
                "overordnad": "MYN-EB",
            },
            {
                "kod": "MYN",
                "namn": "Myndighetsavdelningen",
                "typ": "avdelning",
                "overordnad": "OPPEN",
            },
        ]
    )
    ut = importera(fil(tmp_path, data))
    assert "organisation: 0 nya, 2 ändrade, 0 oförändrade" in ut
    for enhet in org.values():
        enhet.refresh_from_db()
    assert org["MYN"].sokvag.startswith(org["OPPEN"].sokvag)
    assert org["EB"].sokvag.startswith(org["MYN"].sokvag)
    assert org["TEAM"].sokvag == f"{org['EB'].sokvag}{org['TEAM'].pk:04d}."
    assert org["TEAM"].namn == "Mottagning vuxna"
    assert (org["MYN"].djup, org["EB"].djup, org["TEAM"].djup) == (2, 3, 4)
    assert set(Enhet.objects.subtree_of([org["OPPEN"]])) >= {org["MYN"], org["EB"], org["TEAM"]}


def test_driftstart_importeras_och_ersatts_vid_ny_import(tmp_path, org):
    data = med(driftstart=[DRIFT, {"serie": "synpunkter", "fran": "2017-03-01"}])
    ut = importera(fil(tmp_path, data, "drift.json"))
    assert "driftstart: 2 nya, 0 ändrade, 0 oförändrade" in ut
    assert sorted(Driftstart.objects.values_list("serie", "fran")) == [
        ("avvikelser", date(2017, 1, 1)),
        ("synpunkter", date(2017, 3, 1)),
    ]
    avv = Driftstart.objects.get(serie="avvikelser")
    assert avv.history.get().history_change_reason == "Importerad från drift.json"

    assert "driftstart: 0 nya, 0 ändrade, 2 oförändrade" in importera(fil(tmp_path, data))

    # A new date replaces the old one; a series the file leaves out keeps its date.
    ut = importera(fil(tmp_path, med(driftstart=[andrad(DRIFT, fran="2018-09-01")]), "ny.json"))
    assert "driftstart: 0 nya, 1 ändrad, 0 oförändrade" in ut
    assert sorted(Driftstart.objects.values_list("serie", "fran")) == [
        ("avvikelser", date(2018, 9, 1)),
        ("synpunkter", date(2017, 3, 1)),
    ]
    assert [(h.fran, h.history_change_reason) for h in avv.history.all()] == [
        (date(2018, 9, 1), "Ändrad vid import från ny.json"),
        (date(2017, 1, 1), "Importerad från drift.json"),
    ]


def test_fel_i_driftstart_skriver_inget_av_filen(tmp_path, org):
    """All or nothing: valid history and a valid go-live date are not written when
    another go-live date is wrong."""
    data = med(driftstart=[DRIFT, {"serie": "synpunkter", "fran": I_MORGON}], historik=[HIST])
    fel, _m = importera_fel(fil(tmp_path, data))
    assert fel == ["driftstart[1].fran: Datumet kan inte ligga i framtiden."]
    assert not Driftstart.objects.exists()
    assert not Historik.objects.exists()


# --- Dry run ----------------------------------------------------------------------------------


def test_provkorning_skriver_ingenting_men_raknar(tmp_path):
    data = copy.deepcopy(EXEMPEL)
    data["avvikelser"][0]["kategori"] = "Historisk kategori"
    fore = raknare()
    ut = importera(fil(tmp_path, data), "--dry-run", "--skapa-kategorier")
    assert raknare() == fore
    assert "organisation: 3 nya, 0 ändrade, 0 oförändrade" in ut
    assert "avvikelser: 1 ny, 0 ändrade, 0 oförändrade" in ut
    assert '  avvikelser: skulle skapa 1 inaktiva kategorier: "Historisk kategori"' in ut
    assert "Provkörning: import.json är giltig; ingenting har sparats" in ut

    # After a real import the dry run reports everything as unchanged.
    importera(fil(tmp_path, data), "--skapa-kategorier")
    ut = importera(fil(tmp_path, data), "--dry-run")
    assert "avvikelser: 0 nya, 0 ändrade, 1 oförändrad" in ut


def test_provkorning_av_driftstart_skriver_ingenting(tmp_path, org):
    data = med(driftstart=[DRIFT])
    fore = raknare()
    ut = importera(fil(tmp_path, data), "--dry-run")
    assert "driftstart: 1 ny, 0 ändrade, 0 oförändrade" in ut
    assert raknare() == fore
    importera(fil(tmp_path, data))
    ut = importera(fil(tmp_path, med(driftstart=[andrad(DRIFT, fran="2019-01-01")])), "--dry-run")
    assert "driftstart: 0 nya, 1 ändrad, 0 oförändrade" in ut
    assert Driftstart.objects.get().fran == date(2017, 1, 1)


def test_provkorning_med_fel_listar_felen(tmp_path, org):
    fel, _m = importera_fel(
        fil(tmp_path, med(avvikelser=[andrad(AVV, enhet="MYN-XX")])), "--dry-run"
    )
    assert fel == ['avvikelser[0].enhet: okänd enhet "MYN-XX"']


# --- Dates and case numbers ------------------------------------------------------------------


def test_datum_utan_klockslag_ar_midnatt_i_stockholm(tmp_path, org):
    data = med(
        avvikelser=[
            andrad(
                AVV,
                extern_id="nyarsafton",
                handelsedatum="2016-12-31",
                rapporterad="2016-12-31",
                status="rapporterad",
                avslutad=...,
            ),
            andrad(
                AVV,
                extern_id="nyar",
                handelsedatum="2016-12-31",
                rapporterad="2017-01-01T00:30:00+01:00",
                status="rapporterad",
                avslutad=...,
            ),
        ],
        synpunkter=[
            andrad(
                SYN,
                extern_id="utc",
                inkom="2016-12-31T23:30:00Z",
                besvarad="2017-01-02",
                avslutad="2017-01-02",
            ),
            andrad(
                SYN,
                extern_id="lokal",
                inkom="2016-12-31T22:00:00",
                besvarad="2017-01-02",
                avslutad="2017-01-02",
            ),
        ],
    )
    importera(fil(tmp_path, data))
    afton = Avvikelse.objects.get(extern_id="nyarsafton")
    assert afton.nummer == "AVV-2016-0001"
    assert afton.rapporterad == datetime(2016, 12, 30, 23, 0, tzinfo=UTC)
    assert timezone.localdate(afton.rapporterad) == date(2016, 12, 31)
    assert Avvikelse.objects.filter(rapporterad__year=2016).get() == afton
    assert Avvikelse.objects.filter(rapporterad__date=date(2016, 12, 31)).get() == afton
    assert Avvikelse.objects.get(extern_id="nyar").nummer == "AVV-2017-0001"
    # 23:30 UTC is 00:30 on New Year's Day in Stockholm; a time without offset is local.
    assert Synpunkt.objects.get(extern_id="utc").nummer == "SYN-2017-0001"
    lokal = Synpunkt.objects.get(extern_id="lokal")
    assert lokal.nummer == "SYN-2016-0001"
    assert lokal.inkom == datetime(2016, 12, 31, 21, 0, tzinfo=UTC)


def test_nummer_fortsatter_serien_i_rapporteringsordning(tmp_path, org):
    for _ in range(2):
        AvvikelseFactory(enhet=org["EB"], rapporterad=datetime(2017, 2, 1, tzinfo=STOCKHOLM))
    poster = [
        andrad(
            AVV,
            extern_id=f"a-{dag}",
            handelsedatum=f"2017-03-{dag:02d}",
            rapporterad=f"2017-03-{dag:02d}",
            avslutad="2017-06-30",
        )
        for dag in (20, 5, 12)
    ]
    importera(fil(tmp_path, med(avvikelser=poster)))
    assert dict(
        Avvikelse.objects.filter(extern_id__isnull=False).values_list("extern_id", "nummer")
    ) == {
        "a-5": "AVV-2017-0003",
        "a-12": "AVV-2017-0004",
        "a-20": "AVV-2017-0005",
    }
    # The series continues after the imported block.
    assert CaseNumberSeries.next("AVV", 2017) == "AVV-2017-0006"


def test_reservera_nummerblock():
    assert CaseNumberSeries.reservera("AVV", 2015, 0) == []
    assert CaseNumberSeries.reservera("AVV", 2015, 3) == [
        "AVV-2015-0001",
        "AVV-2015-0002",
        "AVV-2015-0003",
    ]
    assert CaseNumberSeries.next("AVV", 2015) == "AVV-2015-0004"
    assert CaseNumberSeries.reservera("AVV", 2015, 2) == ["AVV-2015-0005", "AVV-2015-0006"]


def test_anonym_synpunkt_utan_svar_och_oregistrerad(tmp_path, org):
    data = med(
        synpunkter=[
            andrad(SYN, extern_id="anonym", avsandare="anonym", besvarad=...),
            andrad(
                SYN,
                extern_id="inkommen",
                status="inkommen",
                besvarad=...,
                avslutad=...,
                kategori=...,
            ),
            andrad(SYN, extern_id="ateroppnad", status="under_handlaggning", avslutad=...),
        ]
    )
    importera(fil(tmp_path, data))
    anonym = Synpunkt.objects.get(extern_id="anonym")
    assert anonym.anonym is True and anonym.besvarad is None and anonym.status == "avslutad"
    inkommen = Synpunkt.objects.get(extern_id="inkommen")
    assert inkommen.registrerad is None and inkommen.kategori is None
    assert Synpunkt.objects.get(extern_id="ateroppnad").besvarad is not None
    assert not Kontaktuppgifter.objects.exists()


def test_historik_med_enhet_klassning_och_kategorinamn(tmp_path, org):
    data = med(
        organisation=[{"kod": "NY", "namn": "Ny enhet", "typ": "enhet", "overordnad": "MYN"}],
        historik=[
            andrad(HIST, dimension="enhet", varde="ny"),
            andrad(HIST, dimension="enhet", varde="MYN-EB"),
            andrad(HIST, serie="lexsarah", dimension="klassning", varde="missforhallande", antal=2),
            andrad(HIST, dimension="kategori", varde=" sekretess ", antal=3),
            andrad(HIST, dimension="kategori", varde="Kategori från förr", antal=1),
            andrad(HIST, serie="synpunkter", dimension="kanal", varde="via_ivo", antal=27),
        ],
    )
    ut = importera(fil(tmp_path, data))
    assert "historik: 6 nya, 0 ändrade, 0 oförändrade" in ut
    assert sorted(Historik.objects.values_list("serie", "dimension", "varde")) == [
        ("avvikelser", "enhet", "MYN-EB"),
        ("avvikelser", "enhet", "NY"),
        ("avvikelser", "kategori", "Kategori från förr"),
        ("avvikelser", "kategori", "Sekretess"),
        ("lexsarah", "klassning", "missforhallande"),
        ("synpunkter", "kanal", "via_ivo"),
    ]


# --- Bulk writes -------------------------------------------------------------------------------


def generera(antal, ar=2019):
    """A file with `antal` avvikelser and `antal` synpunkter in one year."""
    avvikelser, synpunkter = [], []
    for i in range(antal):
        dag = date(ar, 1, 1) + timedelta(days=i % 360)
        avvikelser.append(
            andrad(
                AVV,
                extern_id=f"a-{i}",
                handelsedatum=dag.isoformat(),
                rapporterad=f"{dag.isoformat()}T10:00:00+01:00",
                avslutad=(dag + timedelta(days=3)).isoformat(),
                orsaksomraden=["Processer och rutiner", "Kompetens"][: 1 + i % 2],
            )
        )
        synpunkter.append(
            andrad(
                SYN,
                extern_id=f"s-{i}",
                inkom=dag.isoformat(),
                besvarad=(dag + timedelta(days=2)).isoformat(),
                avslutad=(dag + timedelta(days=2)).isoformat(),
            )
        )
    return med(avvikelser=avvikelser, synpunkter=synpunkter)


def fragor(sokvag):
    ContentType.objects.clear_cache()  # both runs look the content types up once
    with CaptureQueriesContext(connection) as ctx:
        importera(sokvag)
    return [q["sql"] for q in ctx.captured_queries]


def test_antalet_fragor_vaxer_inte_med_antalet_poster(tmp_path, org):
    """Evidence of bulk writes: 50 and 500 records of each kind cost the same queries.

    SQLite caps the rows of one INSERT by its 999 variables (about 25 case rows), so
    there only the INSERTs grow, and they stay a small fraction of the records."""
    liten = fragor(fil(tmp_path, generera(50), "liten.json"))
    Avvikelse.objects.all().delete()
    Synpunkt.objects.all().delete()
    stor = fragor(fil(tmp_path, generera(500, ar=2020), "stor.json"))
    assert Avvikelse.objects.count() == Synpunkt.objects.count() == 500
    if connection.vendor == "postgresql":
        assert len(stor) == len(liten), (len(liten), len(stor))
    else:

        def utan_insert(sql):
            return [q for q in sql if not q.startswith("INSERT")]

        assert len(utan_insert(stor)) == len(utan_insert(liten))
        assert len(stor) - len(utan_insert(stor)) < 500 * 6 / 10  # six tables, ≥ 10 rows each

    # Importing the same 500 again reads in bulk and writes nothing.
    igen = fragor(fil(tmp_path, generera(500, ar=2020), "stor.json"))
    assert len(igen) <= 12, igen


def test_importerade_arenden_visas_som_andra(tmp_path, personas, klient_for):
    """Imported cases open like any other, with the import on their timeline."""
    importera(fil(tmp_path, EXEMPEL, "exempel.json"))
    klient = klient_for("kvalitetssamordnare")
    for arende in (Avvikelse.objects.get(), Synpunkt.objects.get()):
        svar = klient.get(arende.get_absolute_url())
        assert svar.status_code == 200
        html = svar.content.decode()
        assert arende.nummer in html
        assert "Importerad från exempel.json" in html


def test_avslut_samma_dag_utan_klockslag_ligger_inte_fore_rapporten(tmp_path, org):
    """A closing date without a time on the day of a timed report means "that day", not
    midnight before the report: handling times never come out negative."""
    data = med(
        avvikelser=[
            andrad(AVV, rapporterad="2017-05-24T14:00:00+02:00", avslutad="2017-05-24"),
        ],
        synpunkter=[
            andrad(
                SYN, inkom="2017-03-01T15:00:00+01:00", besvarad="2017-03-01", avslutad="2017-03-01"
            )
        ],
    )
    importera(fil(tmp_path, data))
    avv = Avvikelse.objects.get()
    assert avv.avslutad == avv.rapporterad == datetime(2017, 5, 24, 14, tzinfo=STOCKHOLM)
    syn = Synpunkt.objects.get()
    assert syn.besvarad == syn.avslutad == syn.inkom == datetime(2017, 3, 1, 15, tzinfo=STOCKHOLM)


# --- All or nothing, without the test's own transaction ---------------------------------------
#
# The tests above run inside a transaction of the test framework, which would hide a
# partial write that the command itself failed to roll back. These run as the command
# runs in production (autocommit), so whatever the command leaves is really there.


def databasfel(*args, **kwargs):
    """A real error from the database server mid-write (not a Python exception dressed
    up as one): a query against a table that does not exist."""
    with connection.cursor() as c:
        c.execute("SELECT * FROM tabell_som_inte_finns")


@pytest.mark.django_db(transaction=True)
def test_databasfel_mitt_i_avvikelserna_lamnar_ingenting(tmp_path, monkeypatch):
    """Organisation rows, categories, avvikelser, their history and timeline are written
    before the avvikelser's cause areas fail: all of it is rolled back, and the command
    says so."""
    from avvikelser.importering import AvvikelserImport

    fore = raknare()
    monkeypatch.setattr(AvvikelserImport, "_skriv_m2m", databasfel)
    fel = StringIO()
    with pytest.raises(CommandError) as info:
        call_command(
            "importera",
            str(fil(tmp_path, EXEMPEL)),
            "--skapa-kategorier",
            stdout=StringIO(),
            stderr=fel,
        )
    assert str(info.value).startswith(
        "Databasen avbröt importen av import.json; ingenting har sparats."
    )
    assert raknare() == fore

    # The same file imports once the database lets it (nothing half-written is in the way).
    monkeypatch.undo()
    importera(fil(tmp_path, EXEMPEL), "--skapa-kategorier")
    assert Avvikelse.objects.filter(extern_id=AVV["extern_id"]).count() == 1
    assert Enhet.objects.filter(kod="MYN-EB").count() == 1


@pytest.mark.django_db(transaction=True)
def test_fel_i_sista_sektionen_lamnar_de_giltiga_forsta_oskrivna(tmp_path):
    """Second angle on refusal: every section but the last is valid, so a command that
    wrote section by section would have written them before finding the error."""
    data = copy.deepcopy(EXEMPEL)
    data["historik"].append(andrad(HIST, serie="okand"))
    fore = raknare()
    fel = StringIO()
    with pytest.raises(CommandError) as info:
        call_command(
            "importera",
            str(fil(tmp_path, data)),
            "--skapa-kategorier",
            stdout=StringIO(),
            stderr=fel,
        )
    assert info.value.returncode == 1
    assert fel.getvalue().splitlines() == [
        'historik[3].serie: okänd kod "okand" (giltiga: avvikelser, synpunkter, lexsarah)'
    ]
    assert raknare() == fore
