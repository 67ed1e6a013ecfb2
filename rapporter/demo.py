"""Demo kvalitetsberättelse for `seed_demo`: last year's report, written and decided, so
that the nämnd's demo login has a report to read and this year's draft has last year's
focus areas to follow up.

Before it, the figures a municipality brings from its earlier system are imported like
any import file: yearly history for the years before go-live and the go-live date of
each series (`driftstart`, 1 March last year). The demo cases reach back about two
years, so without a go-live date a few cases of the year before last would hide that
year's history in the comparison (docs/siffror.md)."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kvalitet import importering
from kvalitet.demo import Demo

from .models import Kvalitetsberattelse, standard_brytdatum

TEXTER = {
    "inledning": (
        "Året präglades av arbetet med att samla förvaltningens kvalitetsarbete i ett "
        "gemensamt ledningssystem. Avvikelser, synpunkter och klagomål registreras nu på "
        "ett ställe, och förbättringsarbetet följs upp på varje ledningsgrupp.\n\n"
        "Antalet rapporterade avvikelser har ökat. Vi ser det som ett tecken på att "
        "medarbetarna har blivit bättre på att rapportera, inte på att verksamheten har "
        "blivit sämre. Flera av årets avvikelser gällde information som skickats till fel "
        "mottagare; rutinerna för utskick har därför setts över."
    ),
    # Every chapter is written: a report is decided only without default or instruction
    # text (DOMAIN.md §5), so the demo's decided PDF shows no writing instructions.
    "syfte": (
        "Kvalitet är för förvaltningen att de som får stöd och service av socialtjänsten "
        "får det i rätt tid, på rätt sätt och enligt de krav som gäller. Ledningssystemet "
        "är verktyget för det: där planeras, genomförs, följs upp och förbättras arbetet.\n\n"
        "### Så följs arbetet upp\n\n"
        "- Varje enhet går igenom sina avvikelser och klagomål på arbetsplatsträffen.\n"
        "- Ledningsgruppen följer upp öppna åtgärder varje månad.\n"
        "- Kvalitetssamordnaren sammanställer året i denna kvalitetsberättelse."
    ),
    "synpunkter": (
        "De flesta klagomålen gällde bemötande och handläggningstider inom "
        "myndighetsutövningen. Beröm gavs oftast till öppenvården. Andelen klagomål som "
        "besvarades inom riktlinjens {svarstid} dagar ökade under andra halvåret, sedan "
        "varje enhet fått en utsedd mottagare av klagomål.\n\n"
        "Klagomålen ledde bland annat till nya mallar för svar till enskilda och till en "
        "genomgång av hur beslut förklaras muntligt."
    ),
    "avvikelser": (
        "Avvikelserna handlade främst om handläggning och om information som skickats "
        "till fel mottagare. Utredningarna visar att orsakerna oftast låg i rutiner som "
        "inte var kända av alla, sällan hos enskilda medarbetare.\n\n"
        "Tillbuden redovisas för sig: de är en arbetsmiljöfråga och ingår inte i "
        "avvikelsernas antal eller trender."
    ),
    "lexsarah": (
        "Årets rapporter enligt lex Sarah gällde främst sekretessbelagda handlingar som "
        "skickats till fel mottagare och brister i genomförandeplaner. Utredningarna "
        "visade att rutinerna för utskick och adressuppgifter inte räckte till; de "
        "händelser som klassades som allvarliga anmäldes till IVO, och åtgärdsplanerna "
        "följs upp efter sex månader."
    ),
    "tillsyn": (
        "IVO genomförde en planerad tillsyn av Kollektivet HVB. IVO krävde att "
        "genomförandeplaner upprättas inom fyra veckor från placering och följs upp "
        "regelbundet; förvaltningen redovisade hur det nu görs och tillsynen är avslutad."
    ),
    "riskhantering": (
        "Förvaltningen för ett riskregister över det som kan hända i verksamheten och vad "
        "det skulle betyda för den enskilde. Myndighetsavdelningen gjorde sin riskanalys i "
        "september inför budgeten, och nämnden fastställde registret i november.\n\n"
        "Risken att sekretessbelagda handlingar skickas till fel mottagare realiserades "
        "under året och bedömdes därför högre. Den nya rutinen för utskick är den viktigaste "
        "åtgärden, och risken föreslås ingå i nästa års internkontrollplan."
    ),
    "egenkontroll": (
        "Internkontrollplanens kontroller genomfördes i stort sett enligt planen. Kontrollen "
        "av att utbetalningar av ekonomiskt bistånd har ett beslut visade mindre brister, "
        "som ledde till en förbättrande åtgärd med dubbelkontroll före utbetalning.\n\n"
        "Den kollegiala granskningen av barnavårdsakter visade att förhandsbedömningarna "
        "görs i tid, medan barnets egen uppfattning dokumenteras för sällan; det följs upp "
        "i nästa omgång."
    ),
    "atgarder": (
        "Årets viktigaste förbättring var den nya rutinen för utskick med dubbelkontroll "
        "av mottagaren. Sedan den infördes har avvikelserna om felskickade handlingar "
        "minskat.\n\n"
        "Förra årets fokusområden har följts upp på ledningsgruppen varje kvartal; två av "
        "tre har nått sina mål och det tredje förs vidare till nästa år."
    ),
    "fokus": (
        "Utifrån årets resultat prioriterar förvaltningen följande områden:\n\n"
        "1. **Säkra utskick:** färre avvikelser där handlingar skickas till fel mottagare.\n"
        "2. **Svar i tid:** klagomål besvaras inom riktlinjens {svarstid} dagar.\n"
        "3. **Utvärderade åtgärder:** varje förbättrande åtgärd får sin effekt utvärderad."
    ),
}


# Yearly history of the earlier system, oldest year first: avvikelser (without tillbud,
# docs/siffror.md) and synpunkter by type (klagomål, synpunkter, beröm, förslag, frågor).
HISTORIK_AVVIKELSER = (19, 21, 22, 24)
HISTORIK_SYNPUNKTER = ((9, 3, 2, 1, 1), (10, 4, 2, 1, 1), (8, 4, 3, 1, 2), (11, 3, 2, 2, 1))
SYNPUNKTSTYPER = ("klagomal", "synpunkt", "berom", "forslag", "fraga")


def demoimport(idag: date) -> dict:
    """The demo's import file: go-live on 1 March last year for avvikelser and
    synpunkter, and history for the four years before that year."""
    driftstart = date(idag.year - 1, 3, 1)
    historik = []
    for ar, antal in enumerate(HISTORIK_AVVIKELSER, start=driftstart.year - 4):
        historik += [
            {"ar": ar, "serie": "avvikelser", "dimension": "total", "antal": antal},
            {
                "ar": ar,
                "serie": "avvikelser",
                "dimension": "typ",
                "varde": "avvikelse",
                "antal": antal,
            },
        ]
    for ar, antal in enumerate(HISTORIK_SYNPUNKTER, start=driftstart.year - 4):
        historik.append(
            {"ar": ar, "serie": "synpunkter", "dimension": "total", "antal": sum(antal)}
        )
        historik += [
            {"ar": ar, "serie": "synpunkter", "dimension": "typ", "varde": typ, "antal": n}
            for typ, n in zip(SYNPUNKTSTYPER, antal, strict=True)
        ]
    return {
        "format": importering.FORMAT,
        "driftstart": [
            {"serie": serie, "fran": driftstart.isoformat()}
            for serie in ("avvikelser", "synpunkter")
        ],
        "historik": historik,
    }


def importera_demohistorik(idag: date) -> list[str]:
    """Import the demo's history and go-live dates (again: nothing changes)."""
    resultat = importering.importera(demoimport(idag), filnamn="demodata")
    nya = sum(r.nya + r.andrade for _namn, r in resultat)
    if not nya:
        return []
    return [f"Historik från tidigare system och driftstart {idag.year - 1}-03-01 importerade."]


def skapa_demoberattelse(*, kvalitetssamordnare, forvaltningschef):
    """Write and decide last year's report unless that year already has one. The PDF is
    rendered after the commit, like a decision in the browser. Returns it, or None."""
    ar = timezone.localdate().year - 1
    if Kvalitetsberattelse.objects.filter(ar=ar).exists():
        return None
    with transaction.atomic():
        berattelse = Kvalitetsberattelse.skapa(
            ar=ar, brytdatum=standard_brytdatum(ar), av=kvalitetssamordnare
        )
        for kapitel, text in TEXTER.items():
            # The answer time is a local rule, a setting (docs/regler.md).
            text = text.format(svarstid=settings.SYNPUNKT_SVARSTID_DAGAR)
            berattelse.spara_text(kapitel, text, av=kvalitetssamordnare)
        beslut = {"diarienummer": f"SN {ar + 1}/12"}
        if settings.KVALITETSBERATTELSE_BESLUTAS_AV == "namnd":
            # The förvaltningschef records the nämnd's decision of its February meeting.
            beslut |= {
                "sammantradesdatum": min(date(ar + 1, 2, 19), timezone.localdate()),
                "paragraf": "14",
            }
        berattelse.faststall(av=forvaltningschef, kommentar="Demo", **beslut)
    return berattelse


def skapa(demo: Demo) -> list[str]:
    """The demo step of rapporter (`RapporterConfig.demodata`), after the case apps' so
    that the report's figures count their demo cases."""
    rader = importera_demohistorik(demo.idag)
    berattelse = skapa_demoberattelse(
        kvalitetssamordnare=demo.anvandare["kvalitetssamordnare"],
        forvaltningschef=demo.anvandare["forvaltningschef"],
    )
    if berattelse is None:
        return rader
    return [*rader, f"Fastställd demokvalitetsberättelse för {berattelse.ar}."]
