"""Demo avvikelser for `seed_demo`: about sixty avvikelser and tillbud over the last two
years, spread over the demo organisation's units, each written with its whole history.

Cases are keyed by `extern_id` ("demo-avv-001" ...); one that already exists is left
untouched, so a second run creates nothing. Everything random is decided up front from
`random.Random(SLUMPFRO)` (`planera`), relative to today. Cases are built directly with
the model (not through `Avvikelse.rapportera`), so no e-mails are queued, and every step
is written with its historic timestamp as the workflow records it
(docs/arbetsfloden.md): the investigation, the improvement actions, the förvaltningschef's
position, closing and reopening, and links between similar events. The closed cases are
left in `demo.avslutade["avvikelser"]` for later steps (the synpunkter step).
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from kvalitet.demo import SLUMPFRO, Atgardsmall, Avslutat, Demo, Demobyggare
from kvalitet.models import Atgardstyp, TimelineEntry

from .choices import Stallningstagande, Status, Typ, Upptackt
from .models import Avvikelse, Kategori, Orsaksomrade

ANTAL_AVVIKELSER = 60


@dataclass(frozen=True)
class Grupp:
    """A unit (with its teams) that cases are spread over: how many and who reports. Its
    enhetschef handles them."""

    kod: str
    antal: int
    rapportorer: tuple[str, ...]


GRUPPER = [
    Grupp("MYN-EKB", 12, ("ahmed.yusuf",)),
    Grupp("MYN-BUV", 10, ("sara.nilsson",)),
    Grupp("MYN-BUF", 9, ("maria.olofsson", "peter.ek")),
    Grupp("MYN-SOB", 6, ("fatima.hassan",)),
    Grupp("OPPEN-OI", 9, ("erik.lund",)),
    Grupp("OPPEN-KOLL", 6, ("maja.holm",)),
    Grupp("OPPEN-VALL", 5, ("ali.karimi",)),
    Grupp("STAB", 3, ("registrator", "utredare")),
]
# The demo `medarbetare` reports this many of Ekonomiskt bistånd's cases.
MEDARBETARENS_ANTAL = 8


# --- Scenarios: realistic events in a socialförvaltning ---------------------------------


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
        "adress", AV, K_SEKRETESS, ("MYN-BUF", "MYN-BUV"), True,
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
        "fel_forvaltning", AV, K_SEKRETESS, ("MYN", "STAB"), True,
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


def planera(rng: random.Random, demo: Demo) -> list[Plan]:
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
            and any(s.passar(kod) for kod in demo.enheter if kod.startswith(p.grupp.kod))
            and (not s.allvarligt or p.status == Status.AVSLUTAD)
        ]
        minst = min(anvanda.get(s.nyckel, 0) for s in kandidater)
        p.scenario = rng.choice([s for s in kandidater if anvanda.get(s.nyckel, 0) <= minst + 1])
        anvanda[p.scenario.nyckel] = anvanda.get(p.scenario.nyckel, 0) + 1
        if p.scenario.allvarligt and p.scenario.nyckel not in allvarliga:
            p.allvarligt = True  # once per kind of event: a couple of lex Sarah matters
            allvarliga.add(p.scenario.nyckel)
        enheter = [
            kod for kod in demo.enheter if kod.startswith(p.grupp.kod) and p.scenario.passar(kod)
        ]
        p.enhetskod = rng.choice(enheter)
        if not p.rapportor:
            egna = [
                r
                for r in p.grupp.rapportorer
                if any(p.enhetskod.startswith(k) for _, k in demo.uppdrag[r])
            ]
            # Elsewhere in the unit: a colleague from another team, or the manager.
            chef = demo.enhetschef(p.grupp.kod)
            p.rapportor = rng.choice(egna or [*p.grupp.rapportorer] * 2 + [chef])
        p.klockslag = time(rng.randint(8, 15), rng.randint(0, 59), rng.randint(0, 59))
        p.fro = rng.getrandbits(32)

    planer.sort(key=lambda p: (-p.alder, p.klockslag))
    for i, p in enumerate(planer, start=1):
        p.index = i
    gamla = [p for p in planer if p.status == Status.AVSLUTAD and p.alder > 200]
    rng.choice([p for p in gamla if not p.scenario.allvarligt]).ateroppnas = True
    return planer


# --- Writing them ---------------------------------------------------------------------


class Demoavvikelser(Demobyggare):
    """Writes the planned demo cases with their whole history."""

    def __init__(self, demo: Demo):
        super().__init__(demo)
        self.kategorier = {k.namn: k for k in Kategori.objects.all()}
        self.orsaker = {o.namn: o for o in Orsaksomrade.objects.all()}
        self.fc = self.anvandare["forvaltningschef"]

    def skapa(self) -> int:
        """Create the demo cases that do not exist yet; returns how many were created."""
        planer = planera(random.Random(SLUMPFRO), self.demo)
        finns = set(
            Avvikelse.objects.filter(extern_id__in=[p.extern_id for p in planer]).values_list(
                "extern_id", flat=True
            )
        )
        skapade = []
        tidigare: dict[str, list[Skapat]] = {}
        for plan in planer:
            if plan.extern_id in finns:
                continue
            s = self.skapa_arende(plan, random.Random(plan.fro))
            skapade.append(s)
            self.liknande(s, tidigare.get(plan.scenario.nyckel, []))
            tidigare.setdefault(plan.scenario.nyckel, []).append(s)
        return len(skapade)

    def skapa_arende(self, plan: Plan, rng: random.Random) -> Skapat:
        """Write one case, step by step, as it would have happened."""
        sc = plan.scenario
        rapportor = self.anvandare[plan.rapportor]
        chef = self.anvandare[self.demo.enhetschef(plan.grupp.kod)]
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
        a.log(TimelineEntry.Typ.SKAPAT, av=rapportor, till_status=a.status, tid=rapporterad)
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
            a.log(TimelineEntry.Typ.KOMMENTAR, av=chef, text=rng.choice(KOMMENTARER), tid=t)

        # The investigation is written (complete for closed cases, half-way for open ones).
        klar = plan.status == Status.AVSLUTAD or rng.random() < 0.5
        if klar:
            t = self.efter(t, rng, 1, 8 if plan.status == Status.AVSLUTAD else 3)
            self.utred(a, sc, t, chef, rng, komplett=plan.status == Status.AVSLUTAD)
            skapat.utredd = t
            if sc.atgard and (plan.status != Status.AVSLUTAD or rng.random() < 0.6):
                self.atgard(a, plan, sc.atgard, self.efter(t, rng, 0, 1), chef, rng)

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
                a.log(
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

    def byt_status(self, a, till, tid, av, text=""):
        """A step of the avvikelse workflow, under its button's name."""
        etikett = {
            Status.UNDER_UTREDNING: "Starta utredning"
            if a.status == Status.RAPPORTERAD
            else "Återöppna",
            Status.AVSLUTAD: "Avsluta",
        }[till]
        self.byt(a, till, tid, av, etikett, text)

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
        a.log(
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
        a.log(
            TimelineEntry.Typ.BESLUT,
            av=self.fc,
            text=f"{Stallningstagande(stallning).label}. {a.fc_kommentar}".strip(),
            tid=tid,
        )

    def atgard(self, a, plan, mall, tid, chef, rng):
        """An improvement action: the enhetschef creates it and makes themself, the demo
        `medarbetare` (in Ekonomiskt bistånd) or one of the unit's reporters responsible."""
        ansvarig = chef
        if plan.grupp.kod == "MYN-EKB" and rng.random() < 0.5:
            ansvarig = self.anvandare["medarbetare"]
        elif rng.random() < 0.3:
            ansvarig = self.anvandare[rng.choice(plan.grupp.rapportorer)]
        return self.skapa_atgard(
            a,
            mall,
            tid,
            av=chef,
            ansvarig=ansvarig,
            rng=rng,
            oppet=plan.status != Status.AVSLUTAD,
        )

    def liknande(self, s: Skapat, tidigare: list[Skapat]):
        """Link an investigated case to the previous case of the same kind."""
        if s.utredd is None or not tidigare:
            return
        forra = tidigare[-1].avvikelse
        if len(tidigare) > 1 and s.plan.fro % 3 == 0:
            return  # not every investigator finds the earlier events
        a = s.avvikelse
        self.lanka_liknande(
            a,
            forra,
            av=a.handlaggare,
            kommentar=f"En liknande händelse inträffade {forra.handelsedatum:%Y-%m-%d} "
            f"({forra.nummer}).",
            tid=s.utredd,
        )


def avslutade() -> dict[str, list[Avslutat]]:
    """The closed demo avvikelser by scenario, oldest first (those of earlier runs too)."""
    scenarier = {s.beskrivning: s.nyckel for s in SCENARIER}
    ut: dict[str, list[Avslutat]] = {}
    for a in (
        Avvikelse.objects.filter(extern_id__startswith="demo-avv-", status=Status.AVSLUTAD)
        .select_related("enhet", "rapporterad_av")
        .order_by("rapporterad")
    ):
        if a.beskrivning in scenarier:
            kand = max(d for d in (a.handelsedatum, a.upptackt_datum) if d)
            ut.setdefault(scenarier[a.beskrivning], []).append(
                Avslutat(a, kand=kand, oppnad=a.rapporterad, av=a.rapporterad_av)
            )
    return ut


def skapa(demo: Demo) -> list[str]:
    """The demo step of avvikelser (`AvvikelserConfig.demodata`)."""
    nya = Demoavvikelser(demo).skapa()
    demo.nya.append(f"Nya demoavvikelser: {nya}.")
    demo.avslutade["avvikelser"] = avslutade()
    return []
