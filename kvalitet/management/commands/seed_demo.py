"""Demo data: the organisation of DOMAIN.md §2, one user per role, ~60 avvikelser and
~40 synpunkter (DOMAIN.md §4.2).

`python manage.py seed_demo` is idempotent: units are keyed by `kod`, users by
`username`, assignments by (user, role, unit) and demo cases by `extern_id`
("demo-avv-001" ..., "demo-syn-001" ...). A case that already exists is left untouched,
so a second run changes nothing. The data is generated from `random.Random(2026)`,
relative to today.

Cases are built directly with the model (not through `Avvikelse.rapportera` or
`Synpunkt.ta_emot`), so no e-mails are queued, and every step of their history is
written with its historic timestamp: the timeline, the change history, the improvement
actions, the links from avvikelser created from a synpunkt, the klagomålsdelegation and
the removal of contact details after closing. Last year's kvalitetsberättelse is written
and decided (`rapporter.demo`), so the nämnd's login has a report to read.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from avvikelser.choices import Stallningstagande, Status, Typ, Upptackt
from avvikelser.models import Avvikelse, Kategori, Orsaksomrade
from kvalitet.models import (
    Atgard,
    Atgardsstatus,
    Atgardstyp,
    CaseLink,
    Enhet,
    Enhetstyp,
    Roll,
    TimelineEntry,
    Uppdrag,
    User,
)
from rapporter.demo import skapa_demoberattelse
from synpunkter.choices import OBESVARADE as SYN_OBESVARADE
from synpunkter.choices import Avsandare, Delegationsstatus, Kanal, Svarssatt
from synpunkter.choices import Status as SynStatus
from synpunkter.choices import Typ as SynTyp
from synpunkter.models import Kategori as SynpunktKategori
from synpunkter.models import Kontaktuppgifter, Synpunkt

LOSENORD = "demo"  # noqa: S105 - the documented demo password; DEBUG only
# A fixed salt makes the hash, and so the database, identical on every run, and hashes
# the password once instead of once per user.
_LOSENORD_SALT = "kvalitetdemo"
EPOST_DOMAN = "exempelkommun.se"
ANTAL_AVVIKELSER = 60
SLUMPFRO = 2026
MAX_LANKAR = 8  # similar-case links between demo cases

# --- Organisation (DOMAIN.md §2) ------------------------------------------------------

F, A, E, T = Enhetstyp.FORVALTNING, Enhetstyp.AVDELNING, Enhetstyp.ENHET, Enhetstyp.TEAM

# (kod, namn, typ, överordnad kod); parents before children.
ORGANISATION = [
    ("SOC", "Socialförvaltningen", F, None),
    ("STAB", "Staben", A, "SOC"),
    ("MYN", "Myndighetsavdelningen", A, "SOC"),
    ("MYN-BUV", "Bistånd barn, unga och vuxna", E, "MYN"),
    ("MYN-BUV-MOT", "Mottagning barn och unga", T, "MYN-BUV"),
    ("MYN-BUV-UBU", "Utredning barn och unga", T, "MYN-BUV"),
    ("MYN-BUV-UV", "Utredning vuxna", T, "MYN-BUV"),
    ("MYN-BUF", "Bistånd barn, unga och familj", E, "MYN"),
    ("MYN-BUF-ENS", "Ensamkommande barn", T, "MYN-BUF"),
    ("MYN-BUF-FAM", "Familjehem", T, "MYN-BUF"),
    ("MYN-BUF-BH", "Barnhandläggare", T, "MYN-BUF"),
    ("MYN-BUF-FR", "Familjerätt", T, "MYN-BUF"),
    ("MYN-BUF-ADM", "Administration", T, "MYN-BUF"),
    ("MYN-EKB", "Ekonomiskt bistånd", E, "MYN"),
    ("MYN-SOB", "Sociala boenden", E, "MYN"),
    ("MYN-SOB-SK", "Sociala kontrakt", T, "MYN-SOB"),
    ("MYN-SOB-BC", "Boendecoacher", T, "MYN-SOB"),
    ("MYN-SOB-BUS", "Budget- och skuldrådgivning", T, "MYN-SOB"),
    ("OPPEN", "Öppenvårdsavdelningen", A, "SOC"),
    ("OPPEN-OI", "Öppna insatser", E, "OPPEN"),
    ("OPPEN-OI-BF", "Barn och familj", T, "OPPEN-OI"),
    ("OPPEN-OI-UUV", "Ungdom och unga vuxna", T, "OPPEN-OI"),
    ("OPPEN-OI-UM", "Ungdomsmottagningen", T, "OPPEN-OI"),
    ("OPPEN-OI-VNR", "Våld i nära relationer", T, "OPPEN-OI"),
    ("OPPEN-OI-MB", "Missbruksvård", T, "OPPEN-OI"),
    ("OPPEN-KOLL", "Kollektivet HVB", E, "OPPEN"),
    ("OPPEN-VALL", "Vallmovillan HVB", E, "OPPEN"),
]


# --- Users ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A demo user and the roles they hold."""

    username: str
    fornamn: str
    efternamn: str
    titel: str
    uppdrag: tuple[tuple[str, str], ...]  # (roll, enhetskod)
    inloggning: bool = False  # printed as a demo login
    is_staff: bool = False


R = Roll
PERSONER = [
    # One per role, named after the role (the printed demo logins).
    Person("medarbetare", "Elin", "Johansson", "Socialsekreterare",
           ((R.MEDARBETARE, "MYN-EKB"),), inloggning=True),
    Person("enhetschef", "Karin", "Lindberg", "Enhetschef, ekonomiskt bistånd",
           ((R.ENHETSCHEF, "MYN-EKB"),), inloggning=True),
    Person("avdelningschef", "Mikael", "Svensson", "Avdelningschef, myndighet",
           ((R.AVDELNINGSCHEF, "MYN"),), inloggning=True),
    Person("utredare", "Sofia", "Bergström", "Verksamhetsutvecklare",
           ((R.UTREDARE, "STAB"),), inloggning=True),
    Person("registrator", "Lars", "Nyström", "Registrator",
           ((R.REGISTRATOR, "STAB"),), inloggning=True),
    Person("kvalitetssamordnare", "Anna", "Forsberg", "Kvalitetssamordnare",
           ((R.KVALITETSSAMORDNARE, "SOC"),), inloggning=True),
    Person("forvaltningschef", "Per", "Andersson", "Socialchef",
           ((R.FORVALTNINGSCHEF, "SOC"),), inloggning=True),
    Person("namnd", "Birgitta", "Holmgren", "Ordförande, socialnämnden",
           ((R.NAMND, "SOC"),), inloggning=True),
    Person("admin", "Jonas", "Wikström", "Systemförvaltare",
           ((R.ADMIN, "SOC"),), inloggning=True, is_staff=True),
    # Managers of the other units.
    Person("chef.staben", "Helena", "Ek", "Stabschef", ((R.ENHETSCHEF, "STAB"),)),
    Person("chef.buv", "Magnus", "Öberg", "Enhetschef", ((R.ENHETSCHEF, "MYN-BUV"),)),
    Person("chef.buf", "Camilla", "Dahl", "Enhetschef", ((R.ENHETSCHEF, "MYN-BUF"),)),
    Person("chef.boenden", "Tomas", "Hedlund", "Enhetschef", ((R.ENHETSCHEF, "MYN-SOB"),)),
    Person("avdchef.oppen", "Ulrika", "Strand", "Avdelningschef, öppenvård",
           ((R.AVDELNINGSCHEF, "OPPEN"),)),
    Person("chef.oppna", "Eva", "Sandberg", "Enhetschef", ((R.ENHETSCHEF, "OPPEN-OI"),)),
    Person("chef.kollektivet", "Robert", "Lindgren", "Föreståndare",
           ((R.ENHETSCHEF, "OPPEN-KOLL"),)),
    Person("chef.vallmo", "Nadia", "Rahimi", "Föreståndare", ((R.ENHETSCHEF, "OPPEN-VALL"),)),
    # Staff who report.
    Person("ahmed.yusuf", "Ahmed", "Yusuf", "Socialsekreterare", ((R.MEDARBETARE, "MYN-EKB"),)),
    Person("sara.nilsson", "Sara", "Nilsson", "Socialsekreterare",
           ((R.MEDARBETARE, "MYN-BUV-MOT"),)),
    Person("maria.olofsson", "Maria", "Olofsson", "Familjehemssekreterare",
           ((R.MEDARBETARE, "MYN-BUF-FAM"),)),
    Person("peter.ek", "Peter", "Ek", "Familjerättssekreterare", ((R.MEDARBETARE, "MYN-BUF-FR"),)),
    Person("fatima.hassan", "Fatima", "Hassan", "Boendecoach", ((R.MEDARBETARE, "MYN-SOB-BC"),)),
    Person("erik.lund", "Erik", "Lund", "Behandlare", ((R.MEDARBETARE, "OPPEN-OI-MB"),)),
    Person("maja.holm", "Maja", "Holm", "Behandlingsassistent", ((R.MEDARBETARE, "OPPEN-KOLL"),)),
    Person("ali.karimi", "Ali", "Karimi", "Behandlingsassistent", ((R.MEDARBETARE, "OPPEN-VALL"),)),
]  # fmt: skip


@dataclass(frozen=True)
class Grupp:
    """A unit (with its teams) that cases are spread over: how many, who reports, who handles."""

    kod: str
    antal: int
    chef: str
    rapportorer: tuple[str, ...]


GRUPPER = [
    Grupp("MYN-EKB", 12, "enhetschef", ("ahmed.yusuf",)),
    Grupp("MYN-BUV", 10, "chef.buv", ("sara.nilsson",)),
    Grupp("MYN-BUF", 9, "chef.buf", ("maria.olofsson", "peter.ek")),
    Grupp("MYN-SOB", 6, "chef.boenden", ("fatima.hassan",)),
    Grupp("OPPEN-OI", 9, "chef.oppna", ("erik.lund",)),
    Grupp("OPPEN-KOLL", 6, "chef.kollektivet", ("maja.holm",)),
    Grupp("OPPEN-VALL", 5, "chef.vallmo", ("ali.karimi",)),
    Grupp("STAB", 3, "chef.staben", ("registrator", "utredare")),
]
# The demo `medarbetare` reports this many of Ekonomiskt bistånd's cases.
MEDARBETARENS_ANTAL = 8


# --- Scenarios: realistic events from DOMAIN.md's sources -----------------------------


@dataclass(frozen=True)
class Atgardsmall:
    """An improvement action a scenario typically leads to."""

    titel: str
    typ: str
    beskrivning: str
    forvantad_effekt: str
    effekt_kort_sikt: str
    effekt_lang_sikt: str = ""


@dataclass(frozen=True)
class Scenario:
    """One kind of event: the report's text and what the investigation found."""

    nyckel: str
    typ: str
    kategori: str
    enheter: tuple[str, ...]  # unit code prefixes where it can happen; () = anywhere
    beror_enskild: bool
    beskrivning: str
    konsekvenser: str
    omedelbara_atgarder: str
    analys: str
    orsaker: tuple[str, ...]
    vidtagna_atgarder: str
    atgard: Atgardsmall | None = None
    allvarligt: bool = False  # can be an allvarligt missförhållande (lex Sarah)
    arbetsskadeanmalan: bool | None = None

    def passar(self, kod: str) -> bool:
        """Can this event happen in the unit with code `kod`?"""
        return not self.enheter or any(kod.startswith(p) for p in self.enheter)


AV, TB = Typ.AVVIKELSE, Typ.TILLBUD
K_SYSTEM = "Brister i verksamhetssystem"
K_LOKAL = "Brist i lokal eller utrustning som påverkat verksamheten"
K_DOK = "Brist i dokumentation som lett till felaktigt utförd insats"
K_TOLK = "Brist i utförandet av eller kontakt med tolktjänst"
K_FORSENAD = "Försenad eller utebliven insats"
K_UTSKICK = "Felaktigt utskickad information"
K_BEMOTANDE = "Bristande bemötande och/eller information till enskild"
K_KOMMUNIKATION = "Brist i kommunikation och information till/från annan vårdgivare/myndighet"
K_RUTIN = "Avsaknad eller brist i interna rutiner"
K_CHEFSSTOD = "Avsaknad av chefsstöd"
K_HANDLAGGNING = "Handläggning"
K_SEKRETESS = "Sekretess"
K_OVRIGT = "Övrigt"

O_PROCESS = "Processer och rutiner"
O_INFO = "Information och kommunikation"
O_KOMPETENS = "Kompetens"
O_ORG = "Organisation och bemanning"
O_TEKNIK = "Teknik och verksamhetssystem"
O_LOKALER = "Lokaler och utrustning"
O_SAMVERKAN = "Samverkan"
O_OVRIGT = "Övrigt"

AT = Atgardstyp

SCENARIER = [
    Scenario(
        "adress", AV, K_UTSKICK, ("MYN-BUF", "MYN-BUV"), True,
        "Ett sekretessbelagt beslut om placering av en ungdom skickades med post till en "
        "adress som inte längre var aktuell. Adressen hämtades från en äldre "
        "journalanteckning i stället för från folkbokföringen. Den som nu bor på adressen "
        "hörde av sig och lämnade tillbaka brevet oöppnat.",
        "Uppgifter om ungdomens placering kunde ha blivit kända för obehöriga. Ungdomen fick "
        "beslutet en vecka senare, vilket försenade möjligheten att överklaga.",
        "Brevet hämtades tillbaka och beslutet skickades på nytt till rätt adress. Ungdomen "
        "och vårdnadshavarna informerades om det inträffade.",
        "Den mänskliga faktorn samverkade med en otillräcklig rutin: det fanns ingen kontroll "
        "av mottagare och adress före utskick, och adressuppgifterna i verksamhetssystemet "
        "var inte tillförlitliga eftersom de inte uppdateras mot folkbokföringen.",
        (O_PROCESS, O_TEKNIK),
        "Rutinen för utskick av beslut har gåtts igenom på arbetsplatsträff. Adressen "
        "kontrolleras mot folkbokföringen före varje utskick av sekretessbelagda handlingar.",
        Atgardsmall(
            "Försättsblad med mottagare och adress vid utskick", AT.RUTIN,
            "Beslut som skickas med post får ett försättsblad där handläggaren kontrollerar "
            "och signerar mottagare och adress.",
            "Inga beslut skickas till fel adress.",
            "Försättsbladet användes i alla granskade utskick under uppföljningsperioden.",
            "Inga nya avvikelser om felaktiga adresser vid uppföljningen efter sex månader.",
        ),
        allvarligt=True,
    ),
    Scenario(
        "tolk", AV, K_TOLK, ("MYN-EKB", "MYN-BUV", "MYN-BUF-ENS", "OPPEN-VALL", "OPPEN-OI"),
        True,
        "Ett bokat besök med en klient som behöver tolk på arabiska fick ställas in eftersom "
        "tolken inte kom. Tolkförmedlingen hade registrerat fel datum trots skriftlig "
        "bekräftelse.",
        "Klienten fick en ny tid två veckor senare, vilket fördröjde handläggningen. Klienten "
        "hade tagit ledigt från sin praktik för besöket.",
        "Ny tid bokades samma dag, med telefontolk som reserv.",
        "Tolkförmedlingen bekräftar bokningar per e-post men stämmer inte av dem mot sitt eget "
        "system. Enheten saknar rutin för att kontrollera bokningen dagen före besöket.",
        (O_SAMVERKAN, O_PROCESS),
        "Avvikelsen har rapporterats till tolkförmedlingen enligt avtalet. Administratören "
        "stämmer av tolkbokningar dagen före besöket.",
        Atgardsmall(
            "Avstämning av tolkbokningar dagen före besök", AT.RUTIN,
            "Administratören ringer tolkförmedlingen dagen före varje besök med tolk och "
            "bekräftar tid och språk.",
            "Inga besök ställs in på grund av utebliven tolk.",
            "Två felaktiga bokningar upptäcktes i tid och kunde rättas.",
        ),
    ),
    Scenario(
        "driftstopp", AV, K_SYSTEM, ("MYN-EKB",), False,
        "Verksamhetssystemet var otillgängligt mellan klockan 8 och 14 på utbetalningsdagen. "
        "Beslutade utbetalningar av ekonomiskt bistånd kunde inte attesteras och skickas till "
        "banken i tid.",
        "Ett fyrtiotal hushåll fick sin utbetalning en dag för sent. Flera klienter hörde av "
        "sig oroliga för att inte kunna betala hyran.",
        "Klienter som hörde av sig fick information. Akuta behov hanterades med utbetalning "
        "via kontantkort.",
        "Driftstoppet orsakades av en uppdatering hos leverantören som inte var aviserad. "
        "Enheten saknade en reservrutin för manuella utbetalningar vid systemfel.",
        (O_TEKNIK, O_PROCESS),
        "Incidenten har anmälts till IT-avdelningen och leverantören. Uppdateringar görs inte "
        "under utbetalningsveckan.",
        Atgardsmall(
            "Reservrutin för utbetalningar vid driftstopp", AT.RUTIN,
            "Rutin för manuell attest och utbetalning via banken när verksamhetssystemet inte "
            "fungerar.",
            "Utbetalningar görs i tid även vid systemfel.",
            "Reservrutinen prövades vid ett kortare avbrott och fungerade.",
        ),
    ),
    Scenario(
        "skrivare", AV, K_SEKRETESS, (), True,
        "En utskrift med sekretessbelagda uppgifter om en klient låg kvar i den gemensamma "
        "skrivaren i korridoren över natten. Den hittades av en kollega på morgonen.",
        "Lokalerna städas av extern personal kvällstid, så uppgifterna kan ha blivit kända "
        "för obehöriga.",
        "Utskriften lämnades till ansvarig handläggare och makulerades.",
        "Skrivaren skriver ut direkt utan inloggning. Handläggaren blev avbruten av ett "
        "telefonsamtal och glömde att hämta utskriften.",
        (O_LOKALER, O_PROCESS),
        "Påminnelse om rutinen för utskrifter på arbetsplatsträff.",
        Atgardsmall(
            "Säker utskrift med passerkort på gemensamma skrivare", AT.TEKNIK,
            "Dokument skrivs ut först när medarbetaren loggar in med sitt passerkort vid "
            "skrivaren.",
            "Inga sekretessbelagda utskrifter blir liggande.",
            "Säker utskrift är införd på alla våningsplan.",
            "Inga nya avvikelser om kvarglömda utskrifter under året.",
        ),
    ),
    Scenario(
        "fel_forvaltning", AV, K_UTSKICK, ("MYN", "STAB"), True,
        "Ett e-postmeddelande med personuppgifter om en familj skickades av misstag till en "
        "medarbetare på en annan förvaltning med samma efternamn som den avsedda mottagaren. "
        "Adressen fylldes i automatiskt av e-postprogrammet.",
        "Personuppgifter röjdes för en obehörig mottagare inom kommunen.",
        "Mottagaren kontaktades och bekräftade att meddelandet raderats utan att ha "
        "vidarebefordrats. Händelsen anmäldes till dataskyddsombudet.",
        "Autokomplettering av adresser gör det lätt att välja fel mottagare. Personuppgifter "
        "skickades i vanlig e-post, trots att rutinen säger att säker e-post ska användas.",
        (O_INFO, O_KOMPETENS),
        "Dataskyddsombudet bedömde att incidenten inte behövde anmälas till IMY. Rutinen för "
        "säker e-post har gåtts igenom med alla medarbetare.",
        Atgardsmall(
            "Utbildning i säker e-post och personuppgiftsincidenter", AT.INFORMATION,
            "Kort utbildning för hela enheten om säker e-post och hur incidenter rapporteras.",
            "Personuppgifter skickas bara med säker e-post.",
            "Alla medarbetare på enheten har gått utbildningen.",
        ),
    ),
    Scenario(
        "ej_omfordelat", AV, K_FORSENAD, ("MYN-EKB",), True,
        "En ansökan om ekonomiskt bistånd blev liggande i tre veckor eftersom handläggaren "
        "var sjukskriven och ärendet inte fördelades om.",
        "Klienten fick vänta på beslut om bistånd till hyra och riskerade en "
        "betalningsanmärkning.",
        "Ärendet fördelades om samma dag som det upptäcktes och beslut fattades dagen efter.",
        "Det saknas en rutin för att gå igenom en frånvarande handläggares ärenden. Hög "
        "personalomsättning under perioden gjorde att ingen hade överblick.",
        (O_ORG, O_PROCESS),
        "Enhetschefen går igenom frånvarande handläggares inkorg och ärendelista efter tre "
        "dagars frånvaro.",
        Atgardsmall(
            "Rutin för omfördelning av ärenden vid frånvaro", AT.ORGANISATION,
            "Efter tre dagars frånvaro fördelas handläggarens nya ansökningar om.",
            "Inga ansökningar blir liggande vid frånvaro.",
            "Omfördelning skedde inom tre dagar vid samtliga sjukskrivningar under perioden.",
        ),
    ),
    Scenario(
        "fel_akt", AV, K_DOK, ("MYN-EKB", "MYN-BUV"), True,
        "En journalanteckning dokumenterades i fel persons akt. Felet upptäcktes när en annan "
        "handläggare läste akten inför ett möte.",
        "Uppgifter om en klient fanns i en annan klients akt och kunde ha lämnats ut vid en "
        "begäran om att ta del av handlingar.",
        "Anteckningen makulerades enligt rutin och fördes in i rätt akt.",
        "Handläggaren hade två akter öppna samtidigt, och verksamhetssystemet visar inte "
        "tydligt vilken klients akt som är aktiv.",
        (O_TEKNIK, O_KOMPETENS),
        "Handläggarna har påmints om att bara ha en akt öppen i taget. Önskemål om tydligare "
        "visning har lämnats till systemförvaltningen.",
        Atgardsmall(
            "Tydligare markering av aktiv akt i verksamhetssystemet", AT.TEKNIK,
            "Systemförvaltningen inför en färgad namnlist som visar vilken akt som är aktiv.",
            "Inga anteckningar i fel akt.",
            "Namnlisten infördes i samband med versionsuppgraderingen.",
        ),
    ),
    Scenario(
        "hembesok", AV, K_BEMOTANDE, ("OPPEN-OI", "MYN-BUV"), True,
        "Ett planerat hembesök hos en familj ställdes in med kort varsel utan att familjen "
        "informerades. Familjen väntade hemma och hade tagit ledigt från arbetet.",
        "Familjen kände sig nonchalant behandlad, vilket påverkade förtroendet inför det "
        "fortsatta arbetet.",
        "Enhetschefen ringde familjen, bad om ursäkt och bokade en ny tid.",
        "Återbudet lämnades muntligt till en kollega som inte förde det vidare. Det saknas "
        "rutin för hur återbud till familjer lämnas och dokumenteras.",
        (O_INFO,),
        "Återbud till familjer lämnas alltid av den som bokat besöket och dokumenteras i "
        "journalen.",
    ),
    Scenario(
        "forhandsbedomning", AV, K_HANDLAGGNING, ("MYN-BUV-MOT",), True,
        "En orosanmälan från en skola blev liggande i fem dagar innan förhandsbedömningen "
        "påbörjades. Anmälan hade skickats till en funktionsbrevlåda som inte bevakades under "
        "semesterperioden.",
        "Skyddsbedömningen gjordes inte samma dag som anmälan kom in. Barnet kan ha varit "
        "utsatt för risk under tiden.",
        "Skyddsbedömning gjordes direkt när anmälan upptäcktes; ingen akut skyddsåtgärd "
        "bedömdes behövas.",
        "Funktionsbrevlådan hade ingen utsedd ansvarig under semesterperioden. Schemat för "
        "bevakning var inte uppdaterat efter omorganisationen.",
        (O_ORG, O_PROCESS),
        "Bevakningen av funktionsbrevlådan ingår i mottagningens dagliga schema, även under "
        "semestern.",
        Atgardsmall(
            "Schema för bevakning av funktionsbrevlådan", AT.ORGANISATION,
            "En namngiven person per dag bevakar funktionsbrevlådan och registrerar "
            "anmälningar.",
            "Alla orosanmälningar registreras och skyddsbedöms samma dag.",
            "Alla anmälningar under sommaren registrerades samma dag.",
        ),
    ),
    Scenario(
        "lakemedel", AV, K_RUTIN, ("OPPEN-KOLL", "OPPEN-VALL"), True,
        "En ungdom fick sin kvällsmedicin två gånger eftersom signeringslistan inte fylldes i "
        "vid den första utdelningen.",
        "Ungdomen blev trött och yr. Sjukvårdsrådgivningen bedömde att det inte fanns någon "
        "fara.",
        "Kontakt med sjukvårdsrådgivningen. Ungdomen hade tillsyn under kvällen.",
        "Utdelningen skedde under ett skiftbyte och ansvarsfördelningen var oklar. "
        "Signeringslistan förvarades inte vid läkemedelsskåpet.",
        (O_PROCESS, O_ORG),
        "Läkemedel delas ut av en namngiven person per pass. Signeringslistan förvaras i "
        "läkemedelsskåpet.",
        Atgardsmall(
            "Uppdaterad rutin för läkemedelshantering", AT.RUTIN,
            "Rutinen anger vem som delar ut läkemedel per pass och hur utdelningen signeras.",
            "Inga dubbla eller uteblivna doser.",
            "Signeringslistorna är kompletta vid stickprov varje månad.",
        ),
    ),
    Scenario(
        "avvikit", AV, K_RUTIN, ("OPPEN-KOLL", "OPPEN-VALL"), True,
        "En ungdom lämnade boendet under natten utan att personalen märkte det. "
        "Nattpersonalen var ensam i tjänst eftersom en kollega sjukanmält sig och ingen "
        "ersättare fanns.",
        "Ungdomen var borta i sex timmar och kom tillbaka påverkad. Polis och vårdnadshavare "
        "underrättades.",
        "Efterlysning enligt rutin och kontakt med placerande socialtjänst och "
        "vårdnadshavare. Samtal med ungdomen dagen efter.",
        "Bemanningen var under den nivå som krävs nattetid, och det saknades en fungerande "
        "rutin för att kalla in ersättare med kort varsel.",
        (O_ORG,),
        "Rutin för inringning av vikarier vid sjukfrånvaro nattetid. Minst två personal i "
        "tjänst nattetid.",
        Atgardsmall(
            "Bemanningsrutin nattetid", AT.ORGANISATION,
            "Lista över vikarier som kan ringas in nattetid och beredskap hos föreståndaren.",
            "Aldrig ensam personal nattetid.",
            "Ensambemanning har inte förekommit sedan rutinen infördes.",
            "Inga avvikningar nattetid under året.",
        ),
    ),
    Scenario(
        "familjehem_ersattning", AV, K_FORSENAD, ("MYN-BUF-FAM",), False,
        "Ett familjehem fick inte sin ersättning för månaden eftersom uppdragsavtalet inte "
        "registrerades i ekonomisystemet när placeringen förlängdes.",
        "Familjehemmet fick lägga ut pengar för barnets kostnader och kände sig inte "
        "prioriterat.",
        "Extra utbetalning gjordes inom två dagar.",
        "Förlängningen registrerades i verksamhetssystemet men inte i ekonomisystemet. Det "
        "finns ingen avstämning mellan systemen.",
        (O_TEKNIK, O_PROCESS),
        "Administrationen stämmer varje månad av aktiva placeringar mot utbetalningslistan.",
    ),
    Scenario(
        "forsakringskassan", AV, K_KOMMUNIKATION, ("MYN-EKB",), True,
        "Ekonomiskt bistånd betalades ut för en period då klienten också fått retroaktiv "
        "ersättning från Försäkringskassan. Uppgiften kom fram först vid nästa ansökan.",
        "Klienten fick ett återkrav, vilket skapade oro i en redan ansträngd ekonomisk "
        "situation.",
        "Klienten informerades om återkravet och om möjligheten till avbetalningsplan.",
        "Kontrollen mot Försäkringskassan gjordes inte före utbetalningen, eftersom den inte "
        "ingår i checklistan vid akuta ansökningar.",
        (O_SAMVERKAN, O_PROCESS),
        "Kontroll mot Försäkringskassan görs vid varje utbetalning, även vid akuta "
        "ansökningar.",
        Atgardsmall(
            "Checklista för kontroller före utbetalning", AT.RUTIN,
            "Checklistan i verksamhetssystemet kompletteras med kontroll mot "
            "Försäkringskassan och Arbetsförmedlingen.",
            "Inga felaktiga utbetalningar på grund av uteblivna kontroller.",
            "Checklistan används i alla granskade ärenden.",
        ),
    ),
    Scenario(
        "sociala_kontrakt", AV, K_KOMMUNIKATION, ("MYN-SOB-SK",), True,
        "Hyresvärden informerades inte om att ett socialt kontrakt sagts upp och fortsatte "
        "att skicka hyresavier till förvaltningen.",
        "Förvaltningen betalade hyra i två månader för en lägenhet som inte längre användes.",
        "Hyresvärden kontaktades och den felaktigt betalda hyran krävdes tillbaka.",
        "Uppsägningen hanterades av en handläggare som slutade innan den hunnit meddelas. Det "
        "finns ingen checklista för avslut av sociala kontrakt.",
        (O_PROCESS, O_INFO),
        "Checklista vid avslut av sociala kontrakt, där besked till hyresvärden ingår.",
    ),
    Scenario(
        "skuldradgivning", AV, K_FORSENAD, ("MYN-SOB-BUS",), True,
        "En person som sökt budget- och skuldrådgivning fick vänta tio veckor på det första "
        "besöket, trots att målet är högst fyra veckor.",
        "Personens skulder hann lämnas till Kronofogden under väntetiden.",
        "Personen erbjöds en tid inom en vecka efter ett återbud.",
        "En av två rådgivare var tjänstledig och vakansen tillsattes inte. Väntetiden "
        "bevakades inte.",
        (O_ORG,),
        "Väntetiden följs upp varje månad i ledningsgruppen.",
    ),
    Scenario(
        "chefsstod", AV, K_CHEFSSTOD, ("MYN-BUV-UV", "MYN-BUV-UBU", "MYN-BUF-BH"), True,
        "Under semesterperioden fanns ingen chef i tjänst med delegation att fatta ett "
        "brådskande beslut om placering. Handläggaren försökte nå beredskapschefen utan att "
        "lyckas.",
        "Beslutet fattades fyra timmar senare än nödvändigt. Handläggaren kände sig ensam med "
        "ett svårt ärende.",
        "Beslutet fattades av avdelningschefen när hen nåddes.",
        "Chefernas semesterschema täckte inte alla dagar, och kontaktlistan för beredskap var "
        "inaktuell.",
        (O_ORG, O_INFO),
        "Chefernas semesterschema stäms av i ledningsgruppen i april. Kontaktlistan för "
        "beredskap uppdateras varje månad.",
        Atgardsmall(
            "Semesterplanering för chefer med delegation", AT.ORGANISATION,
            "Ledningsgruppen säkerställer att en chef med delegation finns i tjänst varje dag.",
            "Handläggare når alltid en beslutsfattare.",
            "Under sommaren fanns en chef med delegation i tjänst alla dagar.",
        ),
    ),
    Scenario(
        "umgange", AV, K_DOK, ("MYN-BUF-FR", "MYN-BUF-BH"), True,
        "Ett umgänge genomfördes utan umgängesstöd trots att beslutet krävde det. Beslutet "
        "fanns inte dokumenterat där kontaktpersonen hämtade sin information.",
        "Barnet träffade föräldern utan det stöd som bedömts nödvändigt. Inget allvarligt "
        "inträffade under umgänget.",
        "Kontaktpersonen informerades och kommande umgängen planerades med stöd.",
        "Beslutet dokumenterades i akten men uppdraget till kontaktpersonen uppdaterades "
        "inte. Ansvaret för att informera utföraren var oklart.",
        (O_PROCESS, O_INFO),
        "Uppdragsbeskrivningen till utföraren uppdateras samma dag som ett nytt beslut "
        "fattas.",
    ),
    Scenario(
        "yttrande", AV, K_HANDLAGGNING, ("MYN-BUF-FR",), True,
        "Ett yttrande till tingsrätten i ett vårdnadsmål skickades två veckor efter den "
        "tidpunkt som rätten bestämt.",
        "Rätten fick skjuta upp målet, vilket förlängde ovissheten för barnet och "
        "föräldrarna.",
        "Tingsrätten kontaktades och gav en ny tidpunkt för yttrandet.",
        "Tidsfristen fanns inte som bevakning i verksamhetssystemet, och arbetsbelastningen "
        "var hög under perioden.",
        (O_ORG, O_TEKNIK),
        "Alla frister från domstol läggs in som bevakning när uppdraget kommer in.",
    ),
    Scenario(
        "remiss", AV, K_KOMMUNIKATION, ("OPPEN-OI-MB",), True,
        "En remiss till beroendemottagningen blev liggande hos regionen eftersom den saknade "
        "underskrift. Ingen av parterna följde upp den.",
        "Klientens behandling startade en månad senare än planerat.",
        "Ny remiss med underskrift skickades och mottagningen kontaktades per telefon.",
        "Samverkansrutinen med regionen anger inte vem som ska bekräfta att en remiss tagits "
        "emot.",
        (O_SAMVERKAN,),
        "Frågan har lyfts i samverkansgruppen med regionen; mottagningen bekräftar nu "
        "remisser inom en vecka.",
    ),
    Scenario(
        "skyddad_adress", AV, K_SEKRETESS, ("OPPEN-OI-VNR", "MYN-BUV", "MYN-BUF"), True,
        "I ett brev till en förälder angavs adressen till en kvinna och hennes barn som har "
        "skyddade personuppgifter. Adressen fanns i en bilaga som inte var maskerad.",
        "Den skyddade adressen blev känd för den person som kvinnan skyddas mot. Familjen "
        "fick flytta till ett tillfälligt skyddat boende.",
        "Familjen erbjöds skyddat boende samma dag och polisen informerades. Händelsen "
        "anmäldes som personuppgiftsincident.",
        "Markeringen om skyddade personuppgifter syntes inte i den bilaga som användes. "
        "Brevet granskades inte av någon annan före utskick, trots att ärendet gällde våld i "
        "nära relationer.",
        (O_PROCESS, O_TEKNIK, O_KOMPETENS),
        "Alla utskick i ärenden med skyddade personuppgifter granskas av två personer. "
        "Utbildning om skyddade personuppgifter för hela avdelningen.",
        Atgardsmall(
            "Dubbelkontroll av utskick vid skyddade personuppgifter", AT.RUTIN,
            "Utskick i ärenden med skyddade personuppgifter kontrolleras och signeras av två "
            "personer.",
            "Skyddade uppgifter röjs aldrig i utskick.",
            "Dubbelkontrollen har gjorts i alla utskick som granskats.",
            "Inga nya incidenter med skyddade personuppgifter under året.",
        ),
        allvarligt=True,
    ),
    Scenario(
        "tidbokning", AV, K_SYSTEM, ("OPPEN-OI-UM",), False,
        "Tidbokningen på webben låg nere i tre dagar utan att någon märkte det. Ungdomar som "
        "försökte boka tid fick ett felmeddelande.",
        "Ungdomar kan ha avstått från att söka hjälp. Antalet bokade besök halverades under "
        "veckan.",
        "Information om att ringa in lades ut på webbplatsen och i sociala medier.",
        "Bokningstjänsten övervakas inte, och felanmälningar från ungdomar nådde inte "
        "mottagningen.",
        (O_TEKNIK,),
        "Automatisk övervakning av bokningstjänsten med larm till IT-supporten.",
    ),
    Scenario(
        "god_man", AV, K_KOMMUNIKATION, ("MYN-BUF-ENS", "OPPEN-VALL"), True,
        "Den gode mannen för en ensamkommande ungdom kallades inte till ett planeringsmöte om "
        "ungdomens skolgång.",
        "Mötet fick göras om, och beslutet om skolplacering försenades två veckor.",
        "Nytt möte bokades i samråd med den gode mannen.",
        "Kontaktuppgifterna i akten var inte uppdaterade efter byte av god man.",
        (O_INFO, O_SAMVERKAN),
        "Byte av god man registreras samma dag som beskedet kommer från överförmyndaren.",
    ),
    Scenario(
        "brandlarm", AV, K_LOKAL, ("OPPEN-VALL", "OPPEN-KOLL"), False,
        "Brandvarnaren i ett av boendets rum var ur funktion under en helg efter att den "
        "täckts över.",
        "Ungdomen i rummet saknade fungerande brandskydd under två nätter.",
        "Brandvarnaren friställdes och testades. Samtal med ungdomen om varför den inte får "
        "täckas över.",
        "Brandskyddskontrollen görs bara en gång i månaden, och nattpersonalens checklista "
        "omfattar inte brandvarnarna.",
        (O_LOKALER, O_PROCESS),
        "Kontroll av brandvarnare ingår i nattpersonalens checklista.",
    ),
    Scenario(
        "arkivnyckel", AV, K_SEKRETESS, ("STAB",), False,
        "Nyckeln till arkivskåpet med klientakter saknades i en vecka. Skåpet stod olåst "
        "under tiden.",
        "Obehöriga kan ha haft tillgång till sekretessbelagda handlingar.",
        "Låset byttes och en ny nyckel kvitterades ut.",
        "Det fanns ingen kvittenslista för nyckeln och flera personer lånade den.",
        (O_PROCESS, O_LOKALER),
        "Nyckeln förvaras i nyckelskåp med kod, och uttag antecknas.",
    ),
    Scenario(
        "klagomal", AV, K_RUTIN, ("STAB",), True,
        "Ett klagomål som kom in med e-post till förvaltningens funktionsbrevlåda "
        "registrerades inte och skickades inte vidare till berörd enhet.",
        "Klagomålet besvarades först efter sju veckor, när den klagande hörde av sig igen, "
        "långt efter målet om svar inom två veckor.",
        "Klagomålet registrerades och skickades till enhetschefen, som kontaktade den "
        "klagande samma dag.",
        "Funktionsbrevlådan bevakades av två personer utan tydlig ansvarsfördelning.",
        (O_PROCESS, O_ORG),
        "Registratorn har huvudansvaret för funktionsbrevlådan, med en utsedd ersättare.",
    ),
    Scenario(
        "overklagandehanvisning", AV, K_BEMOTANDE, ("MYN-EKB",), True,
        "En klient fick avslag på en ansökan om bistånd till tandvård utan "
        "överklagandehänvisning. Klienten ringde upprörd över att inte ha fått veta hur "
        "beslutet kunde överklagas.",
        "Klientens möjlighet att överklaga försvårades, och klienten upplevde bemötandet som "
        "nedlåtande.",
        "Beslutet skickades på nytt med överklagandehänvisning och klienten fick en "
        "förklaring per telefon.",
        "Handläggaren använde en gammal beslutsmall utan överklagandehänvisning. Gamla mallar "
        "fanns kvar i den gemensamma mappen.",
        (O_PROCESS, O_INFO),
        "Gamla beslutsmallar har tagits bort; bara mallarna i verksamhetssystemet används.",
    ),
    Scenario(
        "postfack", AV, K_FORSENAD, ("MYN-EKB", "MYN-SOB"), True,
        "En pappersansökan om ekonomiskt bistånd lades i fel postfack och skannades inte in. "
        "Den hittades efter tolv dagar.",
        "Klienten fick vänta på beslut om bistånd till livsmedel och hänvisades till akut "
        "matkasse.",
        "Ansökan handlades samma dag som den hittades och beslut fattades.",
        "Postfacken för olika team är omärkta och sitter intill varandra. Inkommande post "
        "registreras inte vid ankomst.",
        (O_PROCESS, O_LOKALER),
        "Postfacken har märkts upp. All inkommande post ankomststämplas och skannas samma "
        "dag.",
    ),
    Scenario(
        "e_legitimation", AV, K_SYSTEM, ("MYN-EKB",), False,
        "Det gick inte att logga in med e-legitimation i e-tjänsten för ansökan om "
        "ekonomiskt bistånd under fyra dagar efter ett certifikatbyte.",
        "Klienter fick komma till receptionen eller skicka pappersansökan, och ansökningar "
        "kom in senare än vanligt.",
        "Information på webbplatsen och i telefonkön; receptionen tog emot "
        "pappersansökningar.",
        "Certifikatbytet planerades av IT utan att verksamheten informerades, och "
        "inloggningen testades inte efter bytet.",
        (O_TEKNIK, O_INFO),
        "IT informerar enheten i förväg om förändringar i e-tjänsterna, och inloggningen "
        "testas efter varje byte.",
    ),
    # Tillbud: near-misses affecting staff.
    Scenario(
        "hot_besoksrum", TB, K_LOKAL, ("MYN", "STAB"), False,
        "En besökare blev hotfull i besöksrummet efter ett avslagsbeslut, reste sig och slog "
        "i bordet. Överfallslarmet fungerade inte när jag tryckte på det.",
        "Jag blev rädd och kunde inte tillkalla hjälp. En kollega hörde höga röster och kom "
        "in.",
        "Besökaren lämnade lokalen. Samtal med chef och kollegor samma eftermiddag.",
        "Larmen testades inte regelbundet och batteriet i mottagaren var slut. Besöksrummet "
        "saknar en andra utgång.",
        (O_LOKALER,),
        "Larmen testas varje månad enligt checklista.",
        Atgardsmall(
            "Månatlig test av överfallslarm", AT.LOKALER,
            "Receptionen testar alla överfallslarm den första måndagen varje månad.",
            "Larmen fungerar alltid.",
            "Alla larm har testats varje månad sedan rutinen infördes.",
        ),
        arbetsskadeanmalan=False,
    ),
    Scenario(
        "halka", TB, K_LOKAL, (), False,
        "Jag halkade på den isiga trappan vid personalingången på morgonen. Trappan var inte "
        "sandad och ledstången satt löst.",
        "Jag fick tag i räcket och föll inte, men det kunde ha lett till en allvarlig skada.",
        "Fastighetsjouren kontaktades och trappan sandades samma förmiddag.",
        "Snöröjningsavtalet med fastighetsägaren omfattade inte personalingången.",
        (O_LOKALER, O_SAMVERKAN),
        "Fastighetsägaren har lagt till personalingången i snöröjningsavtalet och lagat "
        "ledstången.",
        arbetsskadeanmalan=False,
    ),
    Scenario(
        "utagerande", TB, K_RUTIN, ("OPPEN-KOLL", "OPPEN-VALL"), False,
        "En ungdom blev utagerande när personalen sa nej till en utekväll och kastade en stol "
        "mot en medarbetare. Stolen träffade armen.",
        "Blåmärke på armen. Medarbetaren var skakad och gick hem efter passet.",
        "En kollega tog över samtalet med ungdomen. Avlastningssamtal med medarbetaren samma "
        "kväll; arbetsskadeanmälan gjordes.",
        "Situationen var känd som riskfylld, men handlingsplanen för ungdomen hade inte "
        "gåtts igenom med kvällspersonalen.",
        (O_KOMPETENS, O_INFO),
        "Handlingsplaner gås igenom vid varje överlämning.",
        Atgardsmall(
            "Utbildning i lågaffektivt bemötande", AT.INFORMATION,
            "Två utbildningsdagar i lågaffektivt bemötande för all personal på boendet.",
            "Färre hot- och våldssituationer.",
            "All tillsvidareanställd personal har gått utbildningen.",
            "Antalet tillbud med hot och våld minskade jämfört med året före.",
        ),
        arbetsskadeanmalan=True,
    ),
    Scenario(
        "ensamarbete", TB, K_RUTIN, ("OPPEN-OI", "MYN-SOB-BC", "MYN-BUV"), False,
        "Jag gjorde ett hembesök ensam en kväll hos en klient som var påverkad och blev "
        "aggressiv. Ingen kollega visste var jag befann mig.",
        "Jag lämnade lägenheten utan att komma till skada, men situationen kunde ha blivit "
        "farlig.",
        "Samtal med chef dagen efter. Kommande besök hos klienten görs två och två.",
        "Rutinen för ensamarbete är inte känd av alla, och det finns inget sätt att meddela "
        "var man befinner sig.",
        (O_PROCESS, O_KOMPETENS),
        "Rutinen för ensamarbete har gåtts igenom. Hembesök bokas i den gemensamma "
        "kalendern med adress och beräknad sluttid.",
        arbetsskadeanmalan=False,
    ),
    Scenario(
        "hot_telefon", TB, K_OVRIGT, ("MYN",), False,
        "En anhörig till en klient ringde och hotade att vänta på mig utanför kontoret efter "
        "arbetstid. Personen beskrev min bil.",
        "Jag kände mig otrygg och vågade inte gå till bilen ensam.",
        "En kollega följde med till bilen. Polisanmälan gjordes efter samråd med chef.",
        "Hot mot handläggare förekommer i myndighetsutövning. Rutinen för hot och våld "
        "följdes och fungerade.",
        (O_OVRIGT,),
        "Medarbetaren erbjöds stödsamtal via företagshälsovården.",
        arbetsskadeanmalan=False,
    ),
    Scenario(
        "utrymning", TB, K_LOKAL, (), False,
        "Vid en utrymningsövning var nödutgången i korridoren blockerad av arkivkartonger.",
        "Vid en verklig brand hade utrymningen försenats.",
        "Kartongerna flyttades direkt.",
        "Arkivmaterial väntade på att hämtas och det saknades plats i förrådet.",
        (O_LOKALER, O_ORG),
        "Arkivmaterial hämtas varje vecka, och utrymningsvägarna kontrolleras vid "
        "brandskyddsronden.",
        arbetsskadeanmalan=False,
    ),
]  # fmt: skip

KOMMENTARER = [
    "Har pratat med den som rapporterade. Händelsen tas upp på nästa arbetsplatsträff.",
    "Har begärt en skriftlig redogörelse från berörd handläggare.",
    "Händelsen är kommunicerad med avdelningschefen.",
    "Väntar på svar från leverantören innan analysen kan slutföras.",
    "Har gått igenom rutinen och jämfört med hur den tillämpades.",
]
FC_KOMMENTARER = {
    Stallningstagande.ALLVARLIGT: "Rapport enligt lex Sarah upprättas och utredning inleds.",
    Stallningstagande.SARSKILDA_ATGARDER: "Åtgärderna följs upp i ledningsgruppen.",
    Stallningstagande.INTE_ALLVARLIG: "",
}
ATEROPPNING = "Klienten hörde av sig igen; analysen behöver kompletteras."


# --- Plan: decided up front from one seeded generator ---------------------------------


@dataclass
class Plan:
    """Everything random about one demo case, fixed before anything is written."""

    index: int
    alder: int  # days ago it was reported
    status: str
    grupp: Grupp
    typ: str = AV
    rapportor: str = ""
    scenario: Scenario | None = None
    enhetskod: str = ""
    ateroppnas: bool = False
    allvarligt: bool = False  # the förvaltningschef judges it an allvarligt missförhållande
    klockslag: time = time(9)
    fro: int = 0  # seed of the case's own generator

    @property
    def extern_id(self):
        return f"demo-avv-{self.index:03d}"


@dataclass
class Skapat:
    """A case written in this run, with the moment its investigation was saved."""

    avvikelse: Avvikelse
    plan: Plan
    utredd: datetime | None = None


def planera(rng: random.Random) -> list[Plan]:
    """Decide ages, statuses, units, reporters and scenarios of the demo cases."""
    # Ages and statuses: recent ones open, three open past their deadline, the rest closed.
    nya = [(rng.randint(1, 27), Status.RAPPORTERAD) for _ in range(4)]
    nya += [(rng.randint(4, 28), Status.UNDER_UTREDNING) for _ in range(5)]
    forsenade = [
        (rng.randint(36, 70), s) for s in (Status.RAPPORTERAD,) + (Status.UNDER_UTREDNING,) * 2
    ]
    stangda = [(rng.randint(32, 728), Status.AVSLUTAD) for _ in range(ANTAL_AVVIKELSER - 12)]
    stangda.sort()

    ekb = GRUPPER[0]
    # Ekonomiskt bistånd: 3 recent, 1 overdue, 8 closed; the demo `medarbetare`
    # reports 2 recent, the overdue one and 5 closed.
    ekb_oppna = [(nya[0], "medarbetare"), (nya[1], "medarbetare"), (nya[4], "")]
    ekb_oppna.append((forsenade[1], "medarbetare"))
    ekb_stangda = rng.sample(range(len(stangda)), ekb.antal - len(ekb_oppna))
    planer = [Plan(0, alder, status, ekb, rapportor=r) for (alder, status), r in ekb_oppna]
    medarbetarens_stangda = set(ekb_stangda[: MEDARBETARENS_ANTAL - 3])
    for j in ekb_stangda:
        alder, status = stangda[j]
        planer.append(
            Plan(
                0, alder, status, ekb, rapportor="medarbetare" if j in medarbetarens_stangda else ""
            )
        )
    ovriga = [nya[2], nya[3], *nya[5:], forsenade[0], forsenade[2]]
    ovriga += [s for j, s in enumerate(stangda) if j not in ekb_stangda]
    rng.shuffle(ovriga)
    grupper = [g for g in GRUPPER[1:] for _ in range(g.antal)]
    planer += [Plan(0, a, s, g) for (a, s), g in zip(ovriga, grupper, strict=True)]

    # Tillbud: about 15 %, never handled by the förvaltningschef.
    for p in rng.sample(planer, 9):
        p.typ = TB

    anvanda: dict[str, int] = {}
    allvarliga: set[str] = set()
    for p in planer:
        kandidater = [
            s
            for s in SCENARIER
            if s.typ == p.typ
            and any(s.passar(kod) for kod, *_ in ORGANISATION if kod.startswith(p.grupp.kod))
            and (not s.allvarligt or p.status == Status.AVSLUTAD)
        ]
        minst = min(anvanda.get(s.nyckel, 0) for s in kandidater)
        p.scenario = rng.choice([s for s in kandidater if anvanda.get(s.nyckel, 0) <= minst + 1])
        anvanda[p.scenario.nyckel] = anvanda.get(p.scenario.nyckel, 0) + 1
        if p.scenario.allvarligt and p.scenario.nyckel not in allvarliga:
            p.allvarligt = True  # once per kind of event: a couple of lex Sarah matters
            allvarliga.add(p.scenario.nyckel)
        enheter = [
            kod
            for kod, *_ in ORGANISATION
            if kod.startswith(p.grupp.kod) and p.scenario.passar(kod)
        ]
        p.enhetskod = rng.choice(enheter)
        if not p.rapportor:
            egna = [
                r
                for r in p.grupp.rapportorer
                if any(p.enhetskod.startswith(k) for _, k in _person(r).uppdrag)
            ]
            # Elsewhere in the unit: a colleague from another team, or the manager.
            p.rapportor = rng.choice(egna or [*p.grupp.rapportorer] * 2 + [p.grupp.chef])
        p.klockslag = time(rng.randint(8, 15), rng.randint(0, 59), rng.randint(0, 59))
        p.fro = rng.getrandbits(32)

    planer.sort(key=lambda p: (-p.alder, p.klockslag))
    for i, p in enumerate(planer, start=1):
        p.index = i
    gamla = [p for p in planer if p.status == Status.AVSLUTAD and p.alder > 200]
    rng.choice([p for p in gamla if not p.scenario.allvarligt]).ateroppnas = True
    return planer


def _person(username: str) -> Person:
    return next(p for p in PERSONER if p.username == username)


# --- Synpunkter och klagomål (DOMAIN.md §4.2) --------------------------------------------


@dataclass(frozen=True)
class Synpunktsmall:
    """What a synpunkt says and how it was answered."""

    typ: str
    kategori: str
    beskrivning: str
    svar: str
    forbattring: str = ""  # set: it led to an improvement
    avvikelse: str = ""  # scenario of the demo avvikelse created from it (the service failed)


SK, SS, SB, SF, SQ = (
    SynTyp.KLAGOMAL,
    SynTyp.SYNPUNKT,
    SynTyp.BEROM,
    SynTyp.FORSLAG,
    SynTyp.FRAGA,
)
SYNPUNKTSMALLAR = {
    "ekb_ej_omfordelat": Synpunktsmall(
        SK, "Handläggning",
        "Jag lämnade in min ansökan om ekonomiskt bistånd för över tre veckor sedan och har "
        "fortfarande inte fått något beslut. Min handläggare svarar inte i telefon och ingen "
        "ringer tillbaka. Jag har inga pengar till mat och hyran ska betalas nästa vecka.",
        "Tack för att du hörde av dig, och vi ber om ursäkt för att din ansökan blev liggande. "
        "Din handläggare var frånvarande och ansökan fördelades inte om till en kollega, "
        "vilket den skulle ha gjorts. Ansökan är nu prövad och beslutet är skickat till dig. "
        "Vi har rapporterat det inträffade som en avvikelse och ser över hur ärenden fördelas "
        "om vid frånvaro.",
        forbattring="Rutin för omfördelning av ärenden efter tre dagars frånvaro.",
        avvikelse="ej_omfordelat",
    ),
    "ekb_tolk": Synpunktsmall(
        SK, "Tillgänglighet",
        "Jag hade en bokad tid för att gå igenom min ansökan och hade sagt att jag behöver "
        "tolk. När jag kom fanns ingen tolk och mötet ställdes in. Jag hade tagit ledigt från "
        "min praktik för att komma. Nu måste jag vänta två veckor på en ny tid.",
        "Tack för att du berättade vad som hände. Tolken var bokad men tolkförmedlingen hade "
        "registrerat fel datum. Det är inte acceptabelt att du fick vänta på en ny tid. Vi "
        "har rapporterat det som en avvikelse och kontrollerar nu alla tolkbokningar dagen "
        "före besöket. Din handläggare kontaktar dig för att se om det går att hitta en "
        "tidigare tid.",
        forbattring="Tolkbokningar stäms av med tolkförmedlingen dagen före varje besök.",
        avvikelse="tolk",
    ),
    "ekb_tandvard": Synpunktsmall(
        SK, "Myndighetsutövning",
        "IVO har skickat över mitt klagomål. Jag fick avslag på min ansökan om bistånd till "
        "tandvård trots att jag har ont och inte kan äta ordentligt. Jag tycker att beslutet "
        "är fel och att ingen lyssnade på mig.",
        "Tack för ditt klagomål, som vi har fått från IVO. Vi förstår att beslutet är tungt "
        "för dig. Ett beslut i ditt ärende kan inte ändras genom ett klagomål, men du kan "
        "överklaga det till förvaltningsrätten. Skicka överklagandet till oss inom tre veckor "
        "från den dag du fick beslutet, så prövar vi det först och skickar det sedan vidare. "
        "Din handläggare hjälper dig gärna att skriva överklagandet. Vi har också gått igenom "
        "handläggningen och ser att ditt underlag från tandläkaren blev prövat.",
    ),
    "ekb_bemotande": Synpunktsmall(
        SK, "Bemötande och service",
        "Jag var i receptionen för att lämna in kompletteringar till min ansökan. Personen i "
        "receptionen var otrevlig, pratade högt om min ansökan så att andra i väntrummet hörde "
        "och sa att jag fick komma tillbaka en annan dag.",
        "Tack för att du berättade om ditt besök. Vi beklagar att du blev bemött på det sättet. "
        "Alla som kommer till oss ska bli respektfullt bemötta, och ingen ska behöva berätta "
        "om sitt ärende så att andra hör. Vi har pratat med personalen i receptionen. "
        "Kompletteringar kan alltid lämnas i receptionen under öppettiderna, och det finns ett "
        "samtalsrum att gå undan till.",
    ),
    "ekb_telefontid": Synpunktsmall(
        SK, "Tillgänglighet",
        "Det går bara att ringa till ekonomiskt bistånd en timme om dagen och det är alltid "
        "upptaget. Jag har ringt fyra dagar i rad utan att komma fram. Det borde gå att nå "
        "sin handläggare på andra tider.",
        "Klagomålet är anonymt och kan därför inte besvaras direkt. Enheten har gått igenom "
        "telefontiderna. Från och med nästa månad är telefontiden utökad till två timmar varje "
        "vardag, och det går att boka en tid för att bli uppringd via kommunens webbplats.",
        forbattring="Telefontiden utökad till två timmar per dag och möjlighet att boka "
        "återuppringning.",
    ),
    "ekb_postfack": Synpunktsmall(
        SK, "Handläggning",
        "IVO har skickat vidare mitt klagomål. Jag skickade min ansökan om ekonomiskt bistånd "
        "med post i början av månaden. När jag ringde efter två veckor fanns den inte hos "
        "er. Jag fick skicka in allt igen och fick pengarna mycket senare än jag skulle.",
        "Tack för ditt klagomål, som vi har fått från IVO. Din ansökan kom fram till oss men "
        "lades i fel postfack och skannades inte in. Det är ett fel från vår sida och vi "
        "beklagar det. Ansökan är nu prövad från det datum den kom in. Vi har rapporterat "
        "händelsen som en avvikelse och ändrat rutinen för hur post sorteras.",
        avvikelse="postfack",
    ),
    "ekb_berom": Synpunktsmall(
        SB, "Bemötande och service",
        "Jag vill tacka min handläggare som hjälpte mig att göra en budget och att ta kontakt "
        "med Kronofogden. Jag blev lyssnad på och fick tid att förklara. Det har gjort stor "
        "skillnad för mig och mina barn.",
        "Tack för dina fina ord! Vi har lämnat dem vidare till din handläggare och till hela "
        "enheten. Det är värdefullt för oss att få veta vad som fungerar bra.",
    ),
    "ekb_fraga": Synpunktsmall(
        SQ, "Information",
        "Hur lång tid tar det att få svar på en ansökan om ekonomiskt bistånd? Jag skickade "
        "in min ansökan i e-tjänsten och vet inte om den har kommit fram.",
        "Tack för din fråga. Din ansökan har kommit fram. Vi strävar efter att fatta beslut "
        "inom tio arbetsdagar från det att ansökan är komplett. Om något saknas hör din "
        "handläggare av sig. Du kan också se status på din ansökan när du loggar in i "
        "e-tjänsten.",
    ),
    "ekb_nas_inte": Synpunktsmall(
        SK, "Tillgänglighet",
        "IVO har skickat över mitt klagomål. Jag har försökt nå min handläggare i två veckor "
        "om mitt beslut. Jag har lämnat meddelanden och skickat e-post men ingen hör av sig. "
        "Jag vet inte om jag får hjälp med hyran den här månaden.",
        "",
    ),
    "ekb_beslut_drojer": Synpunktsmall(
        SK, "Handläggning",
        "Jag skriver för min mammas räkning. Hon har ansökt om bistånd till en ny säng efter "
        "att hennes gamla gick sönder. Det har gått fem veckor utan beslut och hon sover på "
        "en madrass på golvet.",
        "",
    ),
    "ekb_digitalt": Synpunktsmall(
        SF, "Tillgänglighet",
        "Det borde gå att skicka in kompletteringar, till exempel kvitton och kontoutdrag, i "
        "e-tjänsten. Nu måste man komma till receptionen eller skicka med post, och det tar "
        "lång tid.",
        "",
    ),
    "ekb_utbetalning": Synpunktsmall(
        SK, "Ekonomisk ersättning",
        "Mitt bistånd skulle ha betalats ut i dag men pengarna har inte kommit. Jag har "
        "räkningar som ska betalas och vet inte vem jag ska fråga.",
        "",
    ),
    "buv_utredningstid": Synpunktsmall(
        SK, "Handläggning",
        "IVO har skickat vidare vårt klagomål. Utredningen om vårt barn har pågått i över fyra "
        "månader. Vi har inte fått veta vad som händer, och vi har bytt handläggare tre gånger. "
        "Varje gång måste vi berätta allt från början.",
        "Tack för ert klagomål, som vi har fått från IVO. Utredningen förlängdes med stöd av "
        "lagen, men ni borde ha fått information om varför och om vad som skulle hända. Att ni "
        "har bytt handläggare beror på personalomsättning. Ni har nu en fast handläggare och "
        "en planerad tid för att gå igenom utredningen.",
    ),
    "buv_hembesok": Synpunktsmall(
        SK, "Bemötande och service",
        "IVO har skickat över vårt klagomål. Ett hembesök som var bokat ställdes in samma dag "
        "utan att någon hörde av sig. Vi hade ordnat barnvakt och tagit ledigt. När vi ringde "
        "fick vi veta att ingen kunde komma.",
        "Tack för ert klagomål, som vi har fått från IVO. Hembesöket ställdes in på grund av "
        "sjukdom och ni borde ha fått besked direkt. Vi ber om ursäkt. Vi har rapporterat det "
        "som en avvikelse och infört en rutin för att meddela inställda besök.",
        forbattring="Rutin för att meddela familjen när ett besök ställs in.",
        avvikelse="hembesok",
    ),
    "buv_orosanmalan": Synpunktsmall(
        SK, "Information",
        "Jag gjorde en orosanmälan om ett barn i mitt grannskap för två månader sedan. Jag har "
        "inte fått veta något om vad som har hänt och undrar om ni ens har gjort något.",
        "Tack för att du hörde av dig, och tack för att du gjorde en anmälan. Vi bekräftar att "
        "anmälan kom in och att den har hanterats. Uppgifter om vad som händer i ett ärende "
        "om ett barn omfattas av sekretess, och därför kan vi inte berätta mer för den som "
        "har anmält. Om du fortfarande är orolig är du välkommen att göra en ny anmälan.",
    ),
    "buv_information": Synpunktsmall(
        SK, "Information",
        "Jag är anhörig till en vuxen som har fått placering på behandlingshem. Vi fick inte "
        "veta när placeringen började eller vem vi skulle kontakta, trots att vår son hade gett "
        "sitt samtycke.",
        "Tack för att du hörde av dig. Vi har sett att samtycket finns dokumenterat och att ni "
        "borde ha fått information. Handläggaren har nu kontaktat er. Vi har påmint alla "
        "handläggare om att informera anhöriga när samtycke finns.",
    ),
    "buv_fraga": Synpunktsmall(
        SQ, "Information",
        "Jag ringer för att fråga hur man gör för att få prata med någon om sitt barnbarn. Jag "
        "är orolig men vet inte om det räknas som en anmälan.",
        "",
    ),
    "buf_adress": Synpunktsmall(
        SK, "Dokumentation och journal",
        "IVO har skickat vidare mitt klagomål. Ett beslut om min dotters placering skickades "
        "till vår gamla adress. Den som bor där nu ringde mig. Jag är orolig för vem som har "
        "läst brevet.",
        "Tack för ditt klagomål, som vi har fått från IVO. Beslutet skickades till en adress "
        "som inte längre var aktuell. Brevet kom tillbaka oöppnat. Vi beklagar det inträffade. "
        "Händelsen är rapporterad som en avvikelse och vi kontrollerar nu alltid adressen mot "
        "folkbokföringen innan vi skickar beslut.",
        forbattring="Adressen kontrolleras mot folkbokföringen före varje utskick av beslut.",
        avvikelse="adress",
    ),
    "buf_familjehem_berom": Synpunktsmall(
        SB, "Bemötande och service",
        "Vi är familjehem sedan tre år och vill lyfta det stöd vi får av vår "
        "familjehemssekreterare. Hon är lätt att nå, ringer tillbaka samma dag och har "
        "hjälpt oss genom en svår period.",
        "Tack för att ni tog er tid att skriva! Vi har lämnat era ord vidare till "
        "familjehemssekreteraren och tagit upp dem på arbetsplatsträffen.",
    ),
    "buf_familjeratt": Synpunktsmall(
        SK, "Myndighetsutövning",
        "IVO har skickat över mitt klagomål. Familjerätten har skrivit en upplysning till "
        "tingsrätten som jag tycker är ensidig. Mina synpunkter finns inte med.",
        "Tack för ditt klagomål, som vi har fått från IVO. Upplysningen till tingsrätten är en "
        "del av domstolens handläggning, och det är tingsrätten som bedömer underlaget. Du har "
        "rätt att lämna dina synpunkter på upplysningen direkt till tingsrätten. Vi har gått "
        "igenom handläggningen och ser att båda föräldrarna har fått samma möjlighet att "
        "lämna uppgifter.",
    ),
    "buf_umgange": Synpunktsmall(
        SK, "Dokumentation och journal",
        "I journalen står det att jag inte kom till ett umgänge, men det var ni som ställde in "
        "det. Jag vill att det rättas.",
        "Tack för att du hörde av dig. Vi har gått igenom dokumentationen. Umgänget ställdes in "
        "av oss, och det framgår av en senare anteckning. En rättelse är nu gjord i den "
        "tidigare anteckningen så att det inte går att missförstå.",
    ),
    "buf_bup": Synpunktsmall(
        SS, "Information",
        "Från barn- och ungdomspsykiatrin: vi får ofta inte besked om vem som är ansvarig "
        "handläggare när ett barn placeras, vilket försvårar samordnad individuell plan.",
        "Tack för synpunkten. Vi har kommit överens med BUP om att handläggarens namn och "
        "telefonnummer alltid anges när en SIP kallas, och att enhetens funktionsbrevlåda kan "
        "användas när handläggaren inte nås.",
        forbattring="Kontaktuppgifter till ansvarig handläggare anges i alla kallelser till SIP.",
    ),
    "buf_ens_beslut": Synpunktsmall(
        SK, "Myndighetsutövning",
        "IVO har skickat över ett klagomål från en god man. Den gode mannen anser att "
        "beslutet om placering av en ensamkommande ungdom inte tar hänsyn till ungdomens "
        "egna önskemål.",
        "Tack för klagomålet, som vi har fått från IVO. Ungdomens önskemål finns dokumenterade "
        "i utredningen och har vägts in i beslutet. Beslutet kan överklagas till "
        "förvaltningsrätten, och en överklagandehänvisning finns i beslutet. Handläggaren har "
        "erbjudit den gode mannen ett möte för att gå igenom beslutet.",
    ),
    "sob_coach": Synpunktsmall(
        SK, "Insats",
        "Min boendecoach har inte kommit två gånger i rad, och ingen har hört av sig. Jag "
        "hade tagit ledigt för att vi skulle gå igenom räkningarna.",
        "Tack för att du hörde av dig. Din boendecoach var sjuk och besöken borde ha bokats om. "
        "Vi ber om ursäkt. Nu skickas alltid ett sms när ett besök ställs in eller flyttas.",
        forbattring="Sms till den enskilde när ett besök ställs in eller flyttas.",
    ),
    "sob_kontrakt": Synpunktsmall(
        SK, "Information",
        "Vi är hyresvärd för en lägenhet med socialt kontrakt. Vi fick inte veta att kontraktet "
        "hade sagts upp och har fortsatt att fakturera kommunen i två månader.",
        "Tack för att ni hörde av er. Uppsägningen borde ha meddelats er. Vi beklagar det och "
        "har rapporterat det som en avvikelse. Fakturorna krediteras och rutinen för "
        "uppsägning av sociala kontrakt kompletteras med en kontroll att hyresvärden "
        "underrättas.",
        avvikelse="sociala_kontrakt",
    ),
    "sob_skuld": Synpunktsmall(
        SK, "Tillgänglighet",
        "Jag har sökt budget- och skuldrådgivning och fått veta att det är åtta veckors väntetid "
        "till första samtalet. Jag har redan fått ett brev från Kronofogden.",
        "Tack för att du hörde av dig. Väntetiden har varit för lång under hösten. Från och "
        "med nu finns en telefontid varje dag för den som har ett akut ärende hos "
        "Kronofogden. Du har fått en tid nästa vecka.",
        forbattring="Daglig telefontid för akuta ärenden hos budget- och skuldrådgivningen.",
    ),
    "sob_fukt": Synpunktsmall(
        SK, "Insats",
        "Jag bor i en lägenhet med socialt kontrakt. Det är fukt och mögel i badrummet. Jag har "
        "felanmält två gånger till hyresvärden men inget händer och ni säger att jag ska vänta.",
        "",
    ),
    "oi_missbruk": Synpunktsmall(
        SK, "Tillgänglighet",
        "IVO har skickat vidare mitt klagomål. Min son har väntat i sju veckor på att få börja "
        "i öppenvårdsbehandling för sitt missbruk. Under tiden har han fått återfall.",
        "Tack för ditt klagomål, som vi har fått från IVO. Väntetiden var för lång. Enheten "
        "hade vakanta tjänster under perioden. Din son erbjöds under väntetiden "
        "stödsamtal, men vi förstår att det inte räckte. Tjänsterna är nu tillsatta och "
        "väntetiden är två veckor.",
    ),
    "oi_um_berom": Synpunktsmall(
        SB, "Bemötande och service",
        "Vill bara säga att ungdomsmottagningen är bäst. Man blir tagen på allvar och det är "
        "lätt att boka tid.",
        "Berömmet är anonymt och kan inte besvaras. Det har lämnats vidare till personalen.",
    ),
    "oi_vantrum": Synpunktsmall(
        SS, "Tillgänglighet",
        "Väntrummet för samtal om våld i nära relationer är samma som för alla andra besökare. "
        "Man sitter där och kan bli sedd av vem som helst.",
        "Synpunkten är anonym och kan inte besvaras. Enheten har ordnat så att besökare till "
        "mottagningen för våld i nära relationer kan vänta i ett eget rum och hämtas där.",
        forbattring="Ett separat väntrum för besökare till mottagningen.",
    ),
    "oi_grupp": Synpunktsmall(
        SK, "Insats",
        "Föräldragruppen som jag var anmäld till ställdes in efter två träffar. Vi fick bara ett "
        "sms och ingen information om när den börjar igen.",
        "Tack för att du hörde av dig. Gruppen fick göras om när en gruppledare slutade. Den "
        "startar igen om tre veckor och du har en plats. Vi borde ha berättat det direkt.",
    ),
    "oi_kvallstider": Synpunktsmall(
        SF, "Tillgänglighet",
        "Det borde finnas samtalstider på kvällen. Jag arbetar dagtid och kan inte ta ledigt "
        "varje vecka.",
        "",
    ),
    "koll_avvikit": Synpunktsmall(
        SK, "Information",
        "Min son bor på Kollektivet. En natt lämnade han boendet och personalen märkte det "
        "först på morgonen. Vi fick veta det först efter lunch.",
        "Tack för att du hörde av dig. Vi beklagar att det tog så lång tid innan du fick "
        "veta. Händelsen är rapporterad som en avvikelse och utredd. Rutinen för tillsyn "
        "nattetid är ändrad, och vårdnadshavare kontaktas direkt när en ungdom saknas.",
        forbattring="Ändrad rutin för tillsyn nattetid och för att kontakta vårdnadshavare.",
        avvikelse="avvikit",
    ),
    "koll_mat": Synpunktsmall(
        SS, "Insats",
        "Vi ungdomar vill vara med och bestämma vad som lagas. Det är samma mat varje vecka.",
        "Tack för synpunkten. Från och med nästa månad planeras matsedeln på husmötet, och "
        "varje ungdom får önska en middag i månaden.",
        forbattring="Matsedeln planeras tillsammans med ungdomarna på husmötet.",
    ),
    "vall_berom": Synpunktsmall(
        SB, "Insats",
        "Från föreningen som driver läxhjälp: vi vill berömma personalen på Vallmovillan som "
        "följer med ungdomarna till läxhjälpen varje vecka. Ungdomarna har gjort stora framsteg.",
        "Tack för era vänliga ord! Vi har berättat det för personalen och ungdomarna.",
    ),
    "vall_aktiviteter": Synpunktsmall(
        SK, "Insats",
        "IVO har skickat över ett klagomål från en anhörig. Den anhörige menar att ungdomarna "
        "på boendet inte får gå på fritidsaktiviteter på kvällarna eftersom det är för lite "
        "personal.",
        "",
    ),
    "koll_skola": Synpunktsmall(
        SK, "Insats",
        "IVO har skickat över ett klagomål från en förälder. Föräldern anser att boendet inte "
        "ser till att hennes dotter kommer till skolan och att ingen har hört av sig om "
        "frånvaron.",
        "",
    ),
    "stab_funktionsbrevlada": Synpunktsmall(
        SK, "Tillgänglighet",
        "Jag skickade ett klagomål till socialförvaltningens e-postadress för en månad sedan "
        "och har inte fått något svar, inte ens en bekräftelse.",
        "Tack för att du hörde av dig igen, och vi ber om ursäkt. Ditt e-postmeddelande kom in "
        "men registrerades inte. Det är nu registrerat och har skickats till rätt enhet. Vi "
        "har rapporterat det som en avvikelse och infört ett schema för bevakning av "
        "funktionsbrevlådan.",
        forbattring="Schema för daglig bevakning av funktionsbrevlådan.",
        avvikelse="klagomal",
    ),
    "stab_webb": Synpunktsmall(
        SS, "Information",
        "Det är svårt att hitta blanketterna för ansökan om ekonomiskt bistånd på kommunens "
        "webbplats. Man hamnar hela tiden på fel sida.",
        "Synpunkten är anonym och kan inte besvaras. Sidorna om ekonomiskt bistånd har "
        "gjorts om så att e-tjänsten och blanketterna finns direkt på startsidan.",
        forbattring="Webbsidorna om ekonomiskt bistånd omarbetade.",
    ),
    "stab_sms": Synpunktsmall(
        SF, "Information",
        "Det vore bra att få en påminnelse med sms dagen före en bokad tid hos "
        "socialtjänsten.",
        "Tack för förslaget. Vi undersöker just nu om verksamhetssystemet kan skicka "
        "sms-påminnelser och återkommer när vi vet mer. Förslaget är lämnat till förvaltningens "
        "ledningsgrupp.",
    ),
    "stab_parkering": Synpunktsmall(
        SS, "Tillgänglighet",
        "Besöksparkeringen vid socialkontoret har bara två platser och de är alltid upptagna. "
        "Med rullator är det långt att gå från den allmänna parkeringen.",
        "",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Synpunktsplan:
    """One demo synpunkt: where, how and how far it got. `alder` is days since it came
    in (for one created as an avvikelse, the nearest such avvikelse decides the dates)."""

    mall: str
    enhet: str  # the unit it is routed to
    kanal: str
    avsandare: str
    status: str
    alder: int
    anonym: bool = False
    vet_ej: bool = False  # e-tjänst: the submitter chose "Vet inte"
    sen: bool = False  # answered after the 14 days
    delegation: str = ""  # Delegationsstatus reached


SKn, SE, SBr, ST, SBe, SI = (
    Kanal.E_TJANST,
    Kanal.EPOST,
    Kanal.BREV,
    Kanal.TELEFON,
    Kanal.BESOK,
    Kanal.VIA_IVO,
)
Av = Avsandare
SI_, SR_, SU_, SB_, SA_ = (
    SynStatus.INKOMMEN,
    SynStatus.REGISTRERAD,
    SynStatus.UNDER_HANDLAGGNING,
    SynStatus.BESVARAD,
    SynStatus.AVSLUTAD,
)
SP = Synpunktsplan
# extern_id "demo-syn-001" ... in this order; case numbers follow the date received.
SYNPUNKTSPLANER = [
    SP("ekb_ej_omfordelat", "MYN-EKB", SE, Av.BRUKARE, SA_, 60),
    SP("ekb_tolk", "MYN-EKB", ST, Av.BRUKARE, SA_, 340),
    SP("ekb_tandvard", "MYN-EKB", SI, Av.BRUKARE, SA_, 300),
    SP("ekb_bemotande", "MYN-EKB", SBe, Av.BRUKARE, SA_, 150, sen=True),
    SP("ekb_telefontid", "MYN-EKB", SKn, Av.ANONYM, SA_, 400, anonym=True),
    SP("ekb_postfack", "MYN-EKB", SI, Av.BRUKARE, SA_, 445),
    SP("ekb_berom", "MYN-EKB", SKn, Av.BRUKARE, SA_, 62),
    SP("ekb_fraga", "MYN-EKB", SKn, Av.BRUKARE, SA_, 21),
    SP("ekb_nas_inte", "MYN-EKB", SI, Av.BRUKARE, SU_, 9),
    SP("ekb_beslut_drojer", "MYN-EKB", SE, Av.NARSTAENDE, SU_, 19),  # overdue
    SP("ekb_digitalt", "MYN-EKB", SKn, Av.BRUKARE, SR_, 3),
    SP("ekb_utbetalning", "MYN-EKB", SKn, Av.OVRIG, SI_, 0),
    SP("buv_utredningstid", "MYN-BUV-UBU", SI, Av.NARSTAENDE, SA_, 520, sen=True,
       delegation=Delegationsstatus.BEHANDLAD),
    SP("buv_hembesok", "MYN-BUV-MOT", SI, Av.NARSTAENDE, SA_, 255),
    SP("buv_orosanmalan", "MYN-BUV-MOT", ST, Av.OVRIG, SA_, 190),
    SP("buv_information", "MYN-BUV-UV", SBr, Av.NARSTAENDE, SA_, 38),
    SP("buv_fraga", "MYN-BUV-MOT", ST, Av.NARSTAENDE, SI_, 1),
    SP("buf_adress", "MYN-BUF", SI, Av.NARSTAENDE, SA_, 350),
    SP("buf_familjehem_berom", "MYN-BUF-FAM", SE, Av.ANNAN_UTFORARE, SA_, 330),
    SP("buf_familjeratt", "MYN-BUF-FR", SI, Av.BRUKARE, SA_, 610),
    SP("buf_umgange", "MYN-BUF-FR", SE, Av.NARSTAENDE, SA_, 130,
       delegation=Delegationsstatus.BEGARD),
    SP("buf_bup", "MYN-BUF-BH", SE, Av.VARDGIVARE, SA_, 260),
    SP("buf_ens_beslut", "MYN-BUF-ENS", SI, Av.OVRIG, SA_, 95),
    SP("sob_coach", "MYN-SOB-BC", ST, Av.BRUKARE, SA_, 180),
    SP("sob_kontrakt", "MYN-SOB-SK", SBr, Av.ANNAN_UTFORARE, SA_, 150),
    SP("sob_skuld", "MYN-SOB-BUS", SKn, Av.BRUKARE, SA_, 110),
    SP("sob_fukt", "MYN-SOB-SK", SE, Av.BRUKARE, SR_, 6),
    SP("oi_missbruk", "OPPEN-OI-MB", SI, Av.NARSTAENDE, SA_, 460, sen=True),
    SP("oi_um_berom", "OPPEN-OI-UM", SKn, Av.ANONYM, SA_, 95, anonym=True),
    SP("oi_vantrum", "OPPEN-OI-VNR", SKn, Av.ANONYM, SA_, 370, anonym=True),
    SP("oi_grupp", "OPPEN-OI-BF", SE, Av.BRUKARE, SB_, 12),
    SP("oi_kvallstider", "OPPEN-OI-UUV", SKn, Av.BRUKARE, SU_, 5),
    SP("koll_avvikit", "OPPEN-KOLL", ST, Av.NARSTAENDE, SA_, 570),
    SP("koll_mat", "OPPEN-KOLL", SBe, Av.BRUKARE, SA_, 280),
    SP("vall_berom", "OPPEN-VALL", SE, Av.ORGANISATION, SA_, 45),
    SP("vall_aktiviteter", "OPPEN-VALL", SI, Av.NARSTAENDE, SR_, 22),  # overdue
    SP("koll_skola", "OPPEN-KOLL", SI, Av.NARSTAENDE, SI_, 2),
    SP("stab_funktionsbrevlada", "STAB", SE, Av.OVRIG, SA_, 45),
    SP("stab_webb", "STAB", SKn, Av.ANONYM, SA_, 160, anonym=True, vet_ej=True),
    SP("stab_sms", "STAB", SKn, Av.BRUKARE, SB_, 16, vet_ej=True),
    SP("stab_parkering", "STAB", SKn, Av.ANONYM, SI_, 0, anonym=True, vet_ej=True),
]  # fmt: skip

# Fictitious submitters; telephone numbers from the series reserved for fiction.
KONTAKTNAMN = [
    "Lena Berg", "Hassan Ali", "Marie Lindqvist", "Johan Ek", "Amina Warsame",
    "Kerstin Åberg", "Daniel Sjöholm", "Leyla Demir", "Anders Falk", "Sanna Vik",
    "Goran Petrović", "Ingrid Nord", "Mohammed Saleh", "Emma Strand", "Tove Hellström",
]  # fmt: skip
SYNPUNKT_KOMMENTARER = [
    "Har ringt den som lämnade synpunkten och bokat ett samtal.",
    "Har gått igenom akten och pratat med berörd handläggare.",
    "Har begärt in en redogörelse från personalen.",
    "Tas upp i ledningsgruppen innan svaret skickas.",
]
DELEGATION_ANTECKNING = {
    Delegationsstatus.BEGARD: "Klaganden är inte nöjd med svaret och vill att "
    "klagomålsdelegationen behandlar klagomålet.",
    Delegationsstatus.BEHANDLAD: "Delegationen delade förvaltningens bedömning och lade "
    "klagomålet till handlingarna.",
}
GALLRING_TEXT = "Kontaktuppgifterna är gallrade enligt informationshanteringsplanen."


# --- The command ------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Skapar demodata: organisationen, en användare per roll (lösenord demo) och "
        "ett sextiotal avvikelser och ett fyrtiotal synpunkter och klagomål. Kan köras "
        "flera gånger utan att skapa dubbletter."
    )

    def add_arguments(self, parser):
        """`--utan-arenden`: organisation and users only."""
        parser.add_argument(
            "--utan-arenden",
            action="store_true",
            help="Skapa bara organisationen och användarna (används av bench/generera.py).",
        )

    def handle(self, *args, **options):
        """Refuse without DEBUG; otherwise create everything in one transaction."""
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo skapar användare med kända lösenord och får bara köras när "
                "DEBUG är påslaget (DEBUG=true). Kör den aldrig mot en produktionsdatabas."
            )
        with transaction.atomic():
            enheter = skapa_organisation()
            anvandare = skapa_anvandare(enheter)
            nya = nya_synpunkter = 0
            demorapport = None
            if not options["utan_arenden"]:
                nya = Demoarenden(enheter, anvandare).skapa()
                nya_synpunkter = Demosynpunkter(enheter, anvandare).skapa()
                demorapport = skapa_demoberattelse(
                    kvalitetssamordnare=anvandare["kvalitetssamordnare"],
                    forvaltningschef=anvandare["forvaltningschef"],
                )
        self.stdout.write(
            f"Organisation: {len(enheter)} enheter. Användare: {len(anvandare)}. "
            + (
                ""
                if options["utan_arenden"]
                else f"Nya demoavvikelser: {nya}. Nya demosynpunkter: {nya_synpunkter}."
            )
        )
        if not options["utan_arenden"]:
            self.skriv_synpunkter()
        if demorapport is not None:
            self.stdout.write(f"Fastställd demokvalitetsberättelse för {demorapport.ar}.")
        self.skriv_inloggningar(enheter)

    def skriv_synpunkter(self):
        """Print what the demo synpunkter look like now (all of them, not just new ones)."""
        demo = Synpunkt.objects.filter(extern_id__startswith="demo-syn-")
        per_status = dict(demo.values_list("status").annotate(n=Count("pk")))
        klagomal = demo.filter(typ=SynTyp.KLAGOMAL)
        self.stdout.write(
            f"Demosynpunkter: {demo.count()} ("
            + ", ".join(
                f"{SynStatus(s).label.lower()} {per_status[s]}"
                for s in SynStatus.values
                if s in per_status
            )
            + f"); klagomål {klagomal.count()}, varav via IVO "
            f"{klagomal.filter(kanal=Kanal.VIA_IVO).count()}; försenade "
            f"{demo.filter(status__in=SYN_OBESVARADE, tidsfrist__lt=timezone.localdate()).count()}"
            f"; verksamheten brustit {demo.filter(brustit=True).count()}."
        )

    def skriv_inloggningar(self, enheter):
        """Print the demo logins as a small table."""
        rader = [
            (p.username, Roll(p.uppdrag[0][0]).label, enheter[p.uppdrag[0][1]].namn)
            for p in PERSONER
            if p.inloggning
        ]
        bredd = [
            max(len(str(r[i])) for r in [("Användare", "Roll", "Enhet"), *rader]) for i in range(3)
        ]
        rad = "  ".join(f"{{:<{b}}}" for b in bredd)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demoinloggningar (lösenord: {LOSENORD})"))
        self.stdout.write(rad.format("Användare", "Roll", "Enhet").rstrip())
        self.stdout.write(rad.format(*("-" * b for b in bredd)))
        for r in rader:
            self.stdout.write(rad.format(*(str(v) for v in r)).rstrip())
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Öppna http://127.0.0.1:8000/"))


def skapa_organisation() -> dict[str, Enhet]:
    """Create or update the demo units; returns them by code."""
    enheter: dict[str, Enhet] = {}
    for kod, namn, typ, overordnad in ORGANISATION:
        forald = enheter[overordnad] if overordnad else None
        enhet = Enhet.objects.filter(kod=kod).first()
        if enhet is None:
            enhet = Enhet(kod=kod)
        elif (enhet.namn, enhet.typ, enhet.overordnad_id, enhet.aktiv) == (
            namn,
            typ,
            forald.pk if forald else None,
            True,
        ):
            enheter[kod] = enhet
            continue
        enhet.namn, enhet.typ, enhet.overordnad, enhet.aktiv = namn, typ, forald, True
        enhet.save()  # a full save: the materialised path follows the parent
        enheter[kod] = enhet
    return enheter


def skapa_anvandare(enheter: dict[str, Enhet]) -> dict[str, User]:
    """Create or update the demo users and their assignments; returns them by username."""
    losenord = make_password(LOSENORD, salt=_LOSENORD_SALT)
    anvandare = {}
    for p in PERSONER:
        user, _ = User.objects.update_or_create(
            username=p.username,
            defaults={
                "first_name": p.fornamn,
                "last_name": p.efternamn,
                "titel": p.titel,
                "email": f"{p.username}@{EPOST_DOMAN}",
                "password": losenord,
                "is_active": True,
                "is_staff": p.is_staff,
                "is_superuser": False,
            },
        )
        for roll, kod in p.uppdrag:
            Uppdrag.objects.update_or_create(
                anvandare=user,
                roll=roll,
                enhet=enheter[kod],
                defaults={"giltig_fran": None, "giltig_till": None},
            )
        anvandare[p.username] = user
    return anvandare


class Demoarenden:
    """Writes the planned demo cases with their whole history."""

    def __init__(self, enheter, anvandare):
        self.enheter = enheter
        self.anvandare = anvandare
        self.nu = timezone.now()
        self.idag = timezone.localdate()
        self.kategorier = {k.namn: k for k in Kategori.objects.all()}
        self.orsaker = {o.namn: o for o in Orsaksomrade.objects.all()}
        self.fc = anvandare["forvaltningschef"]

    def skapa(self) -> int:
        """Create the demo cases that do not exist yet; returns how many were created."""
        planer = planera(random.Random(SLUMPFRO))
        finns = set(
            Avvikelse.objects.filter(extern_id__in=[p.extern_id for p in planer]).values_list(
                "extern_id", flat=True
            )
        )
        skapade = []
        self.lankar = 0
        tidigare: dict[str, list[Skapat]] = {}
        for plan in planer:
            if plan.extern_id in finns:
                continue
            s = self.skapa_arende(plan, random.Random(plan.fro))
            skapade.append(s)
            self.lanka_liknande(s, tidigare.get(plan.scenario.nyckel, []))
            tidigare.setdefault(plan.scenario.nyckel, []).append(s)
        return len(skapade)

    # Time ------------------------------------------------------------------------------

    def kl(self, dag: date, rng: random.Random) -> datetime:
        """A moment during office hours on `dag`, local time."""
        return timezone.make_aware(
            datetime.combine(dag, time(rng.randint(8, 15), rng.randint(0, 59), rng.randint(0, 59)))
        )

    def efter(self, t: datetime, rng: random.Random, min_dagar: int, max_dagar: int) -> datetime:
        """A moment `min_dagar`..`max_dagar` days after `t` (office hours), before now."""
        dag = timezone.localdate(t) + timedelta(days=rng.randint(min_dagar, max_dagar))
        ny = self.kl(dag, rng)
        if ny <= t:
            ny = t + timedelta(minutes=rng.randint(20, 120))
        return min(ny, self.nu - timedelta(minutes=5))

    # One case ------------------------------------------------------------------------

    def skapa_arende(self, plan: Plan, rng: random.Random) -> Skapat:
        """Write one case, step by step, as it would have happened."""
        sc = plan.scenario
        rapportor = self.anvandare[plan.rapportor]
        chef = self.anvandare[plan.grupp.chef]
        enhet = self.enheter[plan.enhetskod]
        rapporterad = timezone.make_aware(
            datetime.combine(self.idag - timedelta(days=plan.alder), plan.klockslag)
        )
        dag = timezone.localdate(rapporterad)
        handelsedatum = dag - timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 3, 6)))
        upptackt = handelsedatum + timedelta(days=rng.randint(0, (dag - handelsedatum).days))
        a = Avvikelse(
            extern_id=plan.extern_id,
            typ=plan.typ,
            enhet=enhet,
            status=Status.RAPPORTERAD,
            rapporterad=rapporterad,
            skapad=rapporterad,
            rapporterad_av=rapportor,
            skapad_av=rapportor,
            uppdaterad_av=rapportor,
            handelsedatum=handelsedatum,
            handelsetid=time(rng.randint(7, 21), rng.choice((0, 15, 30, 45)))
            if rng.random() < 0.7
            else None,
            upptackt_datum=upptackt,
            upptackt_hur=rng.choice(
                [Upptackt.EGEN] * 4 + [Upptackt.KOLLEGA, Upptackt.ENSKILD, Upptackt.GRANSKNING]
            ),
            beror_enskild=sc.beror_enskild,
            beskrivning=sc.beskrivning,
            konsekvenser=sc.konsekvenser,
            omedelbara_atgarder=sc.omedelbara_atgarder,
            arbetsskadeanmalan=sc.arbetsskadeanmalan if plan.typ == TB else None,
            kategori=self.kategorier[sc.kategori] if rng.random() < 0.5 else None,
        )
        a.full_clean()
        self.spara(a, rapporterad, rapportor, "Rapporterad")
        a.logga(TimelineEntry.Typ.SKAPAT, av=rapportor, till_status=a.status, tid=rapporterad)
        skapat = Skapat(a, plan)
        if plan.status == Status.RAPPORTERAD:
            self.uppdatera_tid(a, rapporterad)
            return skapat

        # The enhetschef starts the investigation.
        t = self.efter(rapporterad, rng, 0, 3 if plan.status == Status.AVSLUTAD else 2)
        a.handlaggare = chef
        self.byt_status(a, Status.UNDER_UTREDNING, t, chef)
        if rng.random() < 0.4:
            t = self.efter(t, rng, 0, 2)
            a.logga(TimelineEntry.Typ.KOMMENTAR, av=chef, text=rng.choice(KOMMENTARER), tid=t)

        # The investigation is written (complete for closed cases, half-way for open ones).
        klar = plan.status == Status.AVSLUTAD or rng.random() < 0.5
        if klar:
            t = self.efter(t, rng, 1, 8 if plan.status == Status.AVSLUTAD else 3)
            self.utred(a, sc, t, chef, rng, komplett=plan.status == Status.AVSLUTAD)
            skapat.utredd = t
            if sc.atgard and (plan.status != Status.AVSLUTAD or rng.random() < 0.6):
                self.skapa_atgard(a, plan, sc.atgard, self.efter(t, rng, 0, 1), chef, rng)

        if plan.allvarligt:
            t = self.efter(t, rng, 0, 2)
            self.ta_stallning(a, Stallningstagande.ALLVARLIGT, rapporterad, t, rng)

        if plan.status == Status.AVSLUTAD:
            t = self.efter(t, rng, 1, 6)
            a.atgardstext_avslut = "Tack för din rapport. Analysen och åtgärderna finns i ärendet."
            a.avslutad = t
            self.byt_status(a, Status.AVSLUTAD, t, chef)
            if plan.ateroppnas:
                t = self.efter(t, rng, 5, 20)
                a.avslutad = None
                self.byt_status(a, Status.UNDER_UTREDNING, t, chef, text=ATEROPPNING)
                t = self.efter(t, rng, 2, 8)
                a.analys += (
                    " Vid återöppningen framkom att rutinen inte heller var känd av nyanställda."
                )
                self.spara(a, t, chef, "Utredning uppdaterad")
                a.logga(
                    TimelineEntry.Typ.ANDRING,
                    av=chef,
                    text="Utredningen uppdaterad: orsaksanalys",
                    tid=t,
                )
                t = self.efter(t, rng, 0, 3)
                a.avslutad = t
                self.byt_status(a, Status.AVSLUTAD, t, chef)
            # The förvaltningschef's position, except on the latest few (waiting for it).
            if a.typ == AV and not a.fc_stallningstagande and plan.alder > 60:
                stallning = rng.choices(
                    [Stallningstagande.INTE_ALLVARLIG, Stallningstagande.SARSKILDA_ATGARDER],
                    weights=[65, 35],
                )[0]
                t = self.efter(t, rng, 0, 7)
                self.ta_stallning(a, stallning, t, t, rng)
        self.uppdatera_tid(a, t)
        return skapat

    def spara(self, obj, tid, av, orsak):
        """Save with the change history dated and signed as it happened."""
        obj._history_date = tid
        obj._history_user = av
        obj._change_reason = orsak
        if hasattr(obj, "uppdaterad_av"):
            obj.uppdaterad_av = av
        obj.save()

    def byt_status(self, a, till, tid, av, text=""):
        """A workflow transition as the engine records it: status, history, timeline."""
        fran = a.status
        a.status = till
        etikett = {
            Status.UNDER_UTREDNING: "Starta utredning"
            if fran == Status.RAPPORTERAD
            else "Återöppna",
            Status.AVSLUTAD: "Avsluta",
        }[till]
        self.spara(a, tid, av, etikett)
        a.logga(
            TimelineEntry.Typ.STATUS, av=av, text=text, fran_status=fran, till_status=till, tid=tid
        )

    def utred(self, a, sc, tid, av, rng, *, komplett):
        """The enhetschef saves the investigation: category, cause areas, analysis."""
        a.kategori = self.kategorier[sc.kategori]
        a.analys = sc.analys
        falt = ["kategori", "orsaksanalys"]
        if komplett or rng.random() < 0.5:
            a.vidtagna_atgarder = sc.vidtagna_atgarder
            falt.append("vidtagna åtgärder")
        self.spara(a, tid, av, "Utredning uppdaterad")
        orsaker = list(sc.orsaker)
        if len(orsaker) < 3 and rng.random() < 0.25:
            orsaker.append(rng.choice([o for o in self.orsaker if o not in orsaker]))
        a.orsaksomraden.set([self.orsaker[o] for o in orsaker])
        falt.insert(1, "orsaksområden")
        a.logga(
            TimelineEntry.Typ.ANDRING,
            av=av,
            text=f"Utredningen uppdaterad: {', '.join(falt)}",
            tid=tid,
        )

    def ta_stallning(self, a, stallning, mottagen, tid, rng):
        """The förvaltningschef's position, with the date received."""
        a.fc_stallningstagande = stallning
        a.fc_mottagen = timezone.localdate(mottagen)
        a.fc_datum = timezone.localdate(tid)
        a.fc_av = self.fc
        a.fc_kommentar = FC_KOMMENTARER[stallning]
        self.spara(a, tid, self.fc, "Förvaltningschefens ställningstagande")
        a.logga(
            TimelineEntry.Typ.BESLUT,
            av=self.fc,
            text=f"{Stallningstagande(stallning).label}. {a.fc_kommentar}".strip(),
            tid=tid,
        )

    def skapa_atgard(self, a, plan, mall, tid, chef, rng):
        """An improvement action, moved along as far as its dates allow."""
        ansvarig = chef
        if plan.grupp.kod == "MYN-EKB" and rng.random() < 0.5:
            ansvarig = self.anvandare["medarbetare"]
        elif rng.random() < 0.3:
            ansvarig = self.anvandare[rng.choice(plan.grupp.rapportorer)]
        skapad_dag = timezone.localdate(tid)
        forfallo = skapad_dag + timedelta(days=rng.choice((30, 45, 60, 90, 120)))
        atgard = Atgard(
            content_type=a.content_type,
            object_id=a.pk,
            titel=mall.titel,
            beskrivning=mall.beskrivning,
            typ=mall.typ,
            ansvarig=ansvarig,
            enhet=a.enhet,
            forfallodatum=forfallo,
            forvantad_effekt=mall.forvantad_effekt,
            skapad=tid,
            skapad_av=chef,
        )
        atgard.full_clean()
        self.spara(atgard, tid, chef, "Skapad")
        a.logga(
            TimelineEntry.Typ.ATGARD,
            av=chef,
            text=f"Ny åtgärd: {atgard.titel} (ansvarig {ansvarig}, klar senast {forfallo})",
            tid=tid,
        )

        senast = tid

        def steg(status, dag, **falt):
            """Move the action to `status` on `dag` (not before its previous step)."""
            nonlocal senast
            t = max(self.kl(dag, rng), senast + timedelta(minutes=30))
            if t >= self.nu:
                return False
            senast = t
            atgard.status = status
            if status == Atgardsstatus.GENOMFORD:
                atgard.genomford = timezone.localdate(t)
            elif status == Atgardsstatus.UTVARDERAD:
                atgard.utvarderad = timezone.localdate(t)
            for namn, varde in falt.items():
                setattr(atgard, namn, varde)
            self.spara(atgard, t, ansvarig, Atgardsstatus(status).label)
            a.logga(
                TimelineEntry.Typ.ATGARD,
                av=ansvarig,
                text=f"{atgard.titel}: {Atgardsstatus(status).label.lower()}",
                tid=t,
            )
            return True

        if plan.status != Status.AVSLUTAD and rng.random() < 0.5:
            return atgard  # planned, not started yet
        if not steg(Atgardsstatus.PAGAR, skapad_dag + timedelta(days=rng.randint(1, 10))):
            return atgard
        if rng.random() < 0.15:
            return atgard  # still under way, possibly overdue
        if not steg(Atgardsstatus.GENOMFORD, forfallo - timedelta(days=rng.randint(0, 20))):
            return atgard
        if rng.random() < 0.8:
            utvarderad = atgard.genomford + timedelta(days=rng.randint(30, 120))
            steg(
                Atgardsstatus.UTVARDERAD,
                utvarderad,
                effekt_kort_sikt=mall.effekt_kort_sikt,
                effekt_lang_sikt=mall.effekt_lang_sikt
                if utvarderad < self.idag - timedelta(days=180)
                else "",
            )
        return atgard

    def uppdatera_tid(self, a, tid):
        """`uppdaterad` is auto_now; set it to the last event instead."""
        Avvikelse.objects.filter(pk=a.pk).update(uppdaterad=tid)

    def lanka_liknande(self, s: Skapat, tidigare: list[Skapat]):
        """Link an investigated case to the previous case of the same kind."""
        if s.utredd is None or not tidigare or self.lankar >= MAX_LANKAR:
            return
        forra = tidigare[-1].avvikelse
        if len(tidigare) > 1 and s.plan.fro % 3 == 0:
            return  # not every investigator finds the earlier events
        a = s.avvikelse
        kommentar = (
            f"En liknande händelse inträffade {forra.handelsedatum:%Y-%m-%d} ({forra.nummer})."
        )
        self.lankar += 1
        a.lanka(forra, CaseLink.Typ.LIKNANDE, av=a.handlaggare, kommentar=kommentar, tid=s.utredd)


class Demosynpunkter(Demoarenden):
    """Writes the demo synpunkter with their whole history, as the workflow would have."""

    def __init__(self, enheter, anvandare):
        self.enheter = enheter
        self.anvandare = anvandare
        self.nu = timezone.now()
        self.idag = timezone.localdate()
        self.kategorier = {k.namn: k for k in SynpunktKategori.objects.all()}
        self.registrator = anvandare["registrator"]
        self.rot = enheter[ORGANISATION[0][0]]

    def skapa(self) -> int:
        """Create the demo synpunkter that do not exist yet; returns how many."""
        finns = set(
            Synpunkt.objects.filter(extern_id__startswith="demo-syn-").values_list(
                "extern_id", flat=True
            )
        )
        kandidater = self.avslutade_avvikelser()
        planer = []
        for i, plan in enumerate(SYNPUNKTSPLANER, start=1):
            extern_id = f"demo-syn-{i:03d}"
            if extern_id in finns:
                continue
            rng = random.Random(SLUMPFRO * 1000 + i)
            mall = SYNPUNKTSMALLAR[plan.mall]
            avvikelse = None
            if mall.avvikelse and kandidater.get(mall.avvikelse):
                # The avvikelse created when the case was closed: the nearest in age.
                lista = kandidater[mall.avvikelse]
                avvikelse = min(
                    lista, key=lambda a: abs((self.nu - a.rapporterad).days - plan.alder)
                )
                lista.remove(avvikelse)
                # It came in when the event had been discovered; the avvikelse was
                # reported once the enhetschef had looked into it.
                dag = min(
                    max(avvikelse.handelsedatum, avvikelse.upptackt_datum)
                    + timedelta(days=rng.randint(0, 1)),
                    timezone.localdate(avvikelse.rapporterad),
                )
                inkom = min(self.kl(dag, rng), avvikelse.rapporterad - timedelta(hours=1))
            else:
                inkom = self.kl(self.idag - timedelta(days=plan.alder), rng)
                if inkom > self.nu - timedelta(minutes=30):
                    inkom = self.nu - timedelta(minutes=rng.randint(30, 240))
            planer.append((inkom, extern_id, plan, mall, avvikelse, rng))
        planer.sort(key=lambda p: p[0])  # numbers follow the date received
        for inkom, extern_id, plan, mall, avvikelse, rng in planer:
            self.skapa_synpunkt(extern_id, plan, mall, inkom, avvikelse, rng)
        return len(planer)

    def avslutade_avvikelser(self) -> dict[str, list[Avvikelse]]:
        """Closed demo avvikelser by scenario, not already created from a synpunkt."""
        scenarier = {s.beskrivning: s.nyckel for s in SCENARIER}
        lankade = set(
            CaseLink.objects.filter(
                typ=CaseLink.Typ.SKAPAD_FRAN,
                fran_typ=ContentType.objects.get_for_model(Avvikelse),
                till_typ=ContentType.objects.get_for_model(Synpunkt),
            ).values_list("fran_id", flat=True)
        )
        ut: dict[str, list[Avvikelse]] = {}
        for a in (
            Avvikelse.objects.filter(
                extern_id__startswith="demo-avv-",
                status=Status.AVSLUTAD,
                rapporterad__lt=self.nu - timedelta(days=20),
            )
            .exclude(pk__in=lankade)
            .select_related("enhet", "rapporterad_av")
            .order_by("rapporterad")
        ):
            if a.beskrivning in scenarier:
                ut.setdefault(scenarier[a.beskrivning], []).append(a)
        return ut

    def chef_for(self, kod: str) -> User:
        grupp = next(g for g in GRUPPER if kod.startswith(g.kod))
        return self.anvandare[grupp.chef]

    def publik_enhet(self, kod: str) -> Enhet:
        """The unit a citizen could choose in the e-service: the nearest enhet/avdelning."""
        enhet = self.enheter[kod]
        while enhet.typ not in (Enhetstyp.ENHET, Enhetstyp.AVDELNING):
            enhet = enhet.overordnad
        return enhet

    def byt(self, s, till, tid, av, etikett, text=""):
        """A workflow transition as the engine records it: status, history, timeline."""
        fran = s.status
        s.status = till
        self.spara(s, tid, av, etikett)
        s.logga(
            TimelineEntry.Typ.STATUS, av=av, text=text, fran_status=fran, till_status=till, tid=tid
        )

    def skapa_synpunkt(self, extern_id, plan, mall, inkom, avvikelse, rng):
        """Write one synpunkt, step by step, as it would have happened."""
        kod = avvikelse.enhet.kod if avvikelse else plan.enhet
        enhet = self.enheter[kod]
        chef = self.chef_for(kod)
        e_tjanst = plan.kanal == Kanal.E_TJANST
        # Staff enter what came by e-mail, letter, phone, visit or from IVO.
        av = None if e_tjanst else self.registrator
        forsta_enhet = enhet
        if e_tjanst:  # the unit chosen in the form, or the förvaltning for "Vet inte"
            forsta_enhet = self.rot if plan.vet_ej else self.publik_enhet(kod)
        s = Synpunkt(
            extern_id=extern_id,
            typ=mall.typ,
            kanal=plan.kanal,
            avsandare=Avsandare.ANONYM
            if plan.anonym
            else (Avsandare.OVRIG if e_tjanst else plan.avsandare),
            inkom=inkom,
            skapad=inkom,
            beskrivning=mall.beskrivning,
            enhet=forsta_enhet,
            enhet_okand=e_tjanst and plan.vet_ej,
            anonym=plan.anonym,
            status=SynStatus.INKOMMEN,
            skapad_av=av,
        )
        s.full_clean()
        self.spara(s, inkom, av, "Inkommen")
        kontakt = None
        if not plan.anonym:
            namn = KONTAKTNAMN[int(extern_id[-3:]) % len(KONTAKTNAMN)]
            adress = "".join(
                {"å": "a", "ä": "a", "ö": "o", "ć": "c", " ": "."}.get(c, c) for c in namn.lower()
            )
            kontakt = Kontaktuppgifter(
                synpunkt=s,
                namn=namn,
                epost=f"{adress}@example.se" if plan.kanal != Kanal.TELEFON else "",
                telefon=f"070-174 06 {rng.randint(5, 99):02d}"
                if plan.kanal in (Kanal.TELEFON, Kanal.VIA_IVO, Kanal.BESOK) or rng.random() < 0.4
                else "",
            )
            kontakt.full_clean()
            kontakt.save()
        s.logga(
            TimelineEntry.Typ.SKAPAT,
            av=av,
            till_status=s.status,
            text=str(Kanal(s.kanal).label),
            tid=inkom,
        )
        t = inkom
        if plan.status == SynStatus.INKOMMEN:
            return self.uppdatera_tid(s, t)

        # The registrator registers it and routes it to the unit's enhetschef.
        t = self.efter(t, rng, 0, 1 if av else 2)
        s.enhet = enhet
        s.kategori = self.kategorier[mall.kategori]
        s.diarienummer = f"SN {timezone.localdate(inkom).year}/{100 + int(extern_id[-3:]) * 7}"
        if not plan.anonym:
            s.avsandare = plan.avsandare
        s.registrerad = t
        self.byt(s, SynStatus.REGISTRERAD, t, self.registrator, "Registrera och fördela")
        if plan.status == SynStatus.REGISTRERAD:
            return self.uppdatera_tid(s, t)

        # The enhetschef takes the case.
        t = self.efter(t, rng, 0, 2)
        s.handlaggare = chef
        self.byt(s, SynStatus.UNDER_HANDLAGGNING, t, chef, "Påbörja handläggning")
        if rng.random() < 0.4:
            t = self.efter(t, rng, 0, 2)
            s.logga(
                TimelineEntry.Typ.KOMMENTAR, av=chef, text=rng.choice(SYNPUNKT_KOMMENTARER), tid=t
            )
        if avvikelse:
            # The service failed: an avvikelse is reported from the synpunkt (CaseLink
            # "skapad från"); at closing the enhetschef records that it failed.
            t = max(avvikelse.rapporterad, t + timedelta(minutes=20))
            avvikelse.lanka(s, CaseLink.Typ.SKAPAD_FRAN, av=avvikelse.rapporterad_av or chef, tid=t)
        if plan.status == SynStatus.UNDER_HANDLAGGNING:
            return self.uppdatera_tid(s, t)

        # The answer: within the 14 days, or late.
        if avvikelse:
            dagar = rng.randint(4, 8)
        elif plan.sen:
            dagar = rng.randint(16, 30)
        else:
            dagar = rng.randint(3, 13)
        t = max(
            self.kl(timezone.localdate(inkom) + timedelta(days=dagar), rng),
            t + timedelta(minutes=30),
        )
        t = min(t, self.nu - timedelta(minutes=5))
        s.svar = mall.svar
        if kontakt is None:
            s.svarssatt = Svarssatt.INGET
        elif kontakt.epost:
            s.svarssatt = rng.choice([Svarssatt.EPOST] * 3 + [Svarssatt.BREV, Svarssatt.TELEFON])
        elif plan.kanal == Kanal.BESOK:
            s.svarssatt = Svarssatt.MOTE
        else:
            s.svarssatt = rng.choice([Svarssatt.TELEFON, Svarssatt.BREV])
        s.besvarad = t
        self.byt(s, SynStatus.BESVARAD, t, chef, "Besvara")
        if plan.status == SynStatus.BESVARAD:
            return self.uppdatera_tid(s, t)

        # Closed: did the service fail, did it lead to an improvement?
        t = self.efter(t, rng, 0, 1 if avvikelse else 4)
        s.brustit = bool(mall.avvikelse)
        s.ledde_till_forbattring = bool(mall.forbattring)
        s.forbattring = mall.forbattring
        s.avslutad = t
        self.byt(s, SynStatus.AVSLUTAD, t, chef, "Avsluta")
        if plan.delegation:
            t = self.delegation(s, plan.delegation, t, rng)

        # The daily clean-up removes the contact details some time after closing.
        gallras = timezone.make_aware(
            datetime.combine(
                timezone.localdate(s.avslutad)
                + timedelta(days=settings.SYNPUNKT_KONTAKT_GALLRAS_DAGAR + 1),
                time(3, rng.randint(0, 59)),
            )
        )
        if kontakt is not None and gallras < self.nu:
            t = max(t, gallras)
            kontakt.delete()
            s.kontakt_gallrad = t
            s._history_date, s._history_user = t, None
            s._change_reason = "Kontaktuppgifter gallrade"
            s.save()
            s.logga(TimelineEntry.Typ.ANDRING, text=GALLRING_TEXT, tid=t)
        return self.uppdatera_tid(s, t)

    def delegation(self, s, slutstatus, t, rng):
        """The complainant asks for the klagomålsdelegation; perhaps it has met since."""
        steg = [(Delegationsstatus.BEGARD, self.efter(t, rng, 7, 20))]
        if slutstatus == Delegationsstatus.BEHANDLAD:
            steg.append((Delegationsstatus.BEHANDLAD, self.efter(steg[0][1], rng, 20, 40)))
        for status, tid in steg:
            datum = timezone.localdate(tid)
            if status == Delegationsstatus.BEGARD:
                s.delegation_begard = datum
            else:
                s.delegation_behandlad = datum
            s.delegation_status = status
            s.delegation_anteckning = DELEGATION_ANTECKNING[status]
            self.spara(s, tid, self.registrator, "Klagomålsdelegationen")
            s.logga(
                TimelineEntry.Typ.BESLUT,
                av=self.registrator,
                text=f"Klagomålsdelegationen: {Delegationsstatus(status).label.lower()} "
                f"{datum:%Y-%m-%d}. {s.delegation_anteckning}",
                tid=tid,
            )
            t = tid
        return t

    def uppdatera_tid(self, s, tid):
        """`uppdaterad` is auto_now; set it to the last event instead."""
        Synpunkt.objects.filter(pk=s.pk).update(uppdaterad=tid)
