"""Demo synpunkter och klagomål for `seed_demo`: about forty, in every status, over the
demo organisation's units, each written with its whole history.

Synpunkter are keyed by `extern_id` ("demo-syn-001" ... in the order of
`SYNPUNKTSPLANER`); one that already exists is left untouched, so a second run creates
nothing. They are built directly with the model (not through `Synpunkt.ta_emot`), so no
e-mails are queued, and every step is written with its historic timestamp as the
workflow records it (docs/arbetsfloden.md): registration, handling, the answer, closing,
the klagomålsdelegation, and the removal of the contact details some time after closing
(docs/behorighet.md).

Where the service failed, an avvikelse was reported from the synpunkt: the synpunkt is
tied to a closed demo avvikelse of that kind of event, which the avvikelser step leaves
in `demo.avslutade["avvikelser"]` (this app imports nothing of avvikelser). Without
that app the synpunkt is written all the same, without the link.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils import timezone

from kvalitet.demo import SLUMPFRO, Avslutat, Demo, Demobyggare
from kvalitet.models import CaseLink, Enhet, Enhetstyp, TimelineEntry, User

from .choices import OBESVARADE, Avsandare, Delegationsstatus, Kanal, Status, Svarssatt, Typ
from .models import Kategori, Kontaktuppgifter, Synpunkt

# --- What they say and how far they got -------------------------------------------------


IVO_SVAR = (
    "Förvaltningen har utrett klagomålet, svarat den som klagade och redovisar här vad "
    "utredningen visade och vilka åtgärder som vidtagits."
)


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
    Typ.KLAGOMAL,
    Typ.SYNPUNKT,
    Typ.BEROM,
    Typ.FORSLAG,
    Typ.FRAGA,
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
    Status.INKOMMEN,
    Status.REGISTRERAD,
    Status.UNDER_HANDLAGGNING,
    Status.BESVARAD,
    Status.AVSLUTAD,
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


# --- Writing them ---------------------------------------------------------------------


class Demosynpunkter(Demobyggare):
    """Writes the demo synpunkter with their whole history, as the workflow would have."""

    def __init__(self, demo: Demo):
        super().__init__(demo)
        self.kategorier = {k.namn: k for k in Kategori.objects.all()}
        self.registrator = self.anvandare["registrator"]
        self.rot = demo.rot

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
                avvikelse = min(lista, key=lambda a: abs((self.nu - a.oppnad).days - plan.alder))
                lista.remove(avvikelse)
                # It came in when the event had been discovered; the avvikelse was
                # reported once the enhetschef had looked into it.
                dag = min(
                    avvikelse.kand + timedelta(days=rng.randint(0, 1)),
                    timezone.localdate(avvikelse.oppnad),
                )
                inkom = min(self.kl(dag, rng), avvikelse.oppnad - timedelta(hours=1))
            else:
                inkom = self.kl(self.idag - timedelta(days=plan.alder), rng)
                if inkom > self.nu - timedelta(minutes=30):
                    inkom = self.nu - timedelta(minutes=rng.randint(30, 240))
            planer.append((inkom, extern_id, plan, mall, avvikelse, rng))
        planer.sort(key=lambda p: p[0])  # numbers follow the date received
        for inkom, extern_id, plan, mall, avvikelse, rng in planer:
            self.skapa_synpunkt(extern_id, plan, mall, inkom, avvikelse, rng)
        return len(planer)

    def avslutade_avvikelser(self) -> dict[str, list[Avslutat]]:
        """The closed demo avvikelser the avvikelser step left, by scenario: those at
        least 20 days old that were not already created from a synpunkt."""
        lankade = set(
            CaseLink.objects.filter(
                typ=CaseLink.Typ.SKAPAD_FRAN,
                till_typ=ContentType.objects.get_for_model(Synpunkt),
            ).values_list("fran_typ", "fran_id")
        )
        grans = self.nu - timedelta(days=20)
        ut: dict[str, list[Avslutat]] = {}
        for scenario, lista in self.demo.avslutade.get("avvikelser", {}).items():
            for a in lista:
                if a.oppnad < grans and (a.arende.content_type.pk, a.arende.pk) not in lankade:
                    ut.setdefault(scenario, []).append(a)
        return ut

    def publik_enhet(self, kod: str) -> Enhet:
        """The unit a citizen could choose in the e-service: the nearest enhet/avdelning."""
        enhet = self.enheter[kod]
        while enhet.typ not in (Enhetstyp.ENHET, Enhetstyp.AVDELNING):
            enhet = enhet.overordnad
        return enhet

    def skapa_synpunkt(self, extern_id, plan, mall, inkom, avvikelse: Avslutat | None, rng):
        """Write one synpunkt, step by step, as it would have happened."""
        kod = avvikelse.arende.enhet.kod if avvikelse else plan.enhet
        enhet = self.enheter[kod]
        chef: User = self.anvandare[self.demo.enhetschef(kod)]
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
            status=Status.INKOMMEN,
            skapad_av=av,
        )
        if plan.kanal == Kanal.VIA_IVO:
            # IVO sent it a few days before it arrived and wants an answer in four weeks.
            dag = timezone.localdate(inkom)
            s.ivo_diarienummer = f"3.5.1-{20000 + int(extern_id[-3:]) * 37}/{dag.year}"
            s.ivo_skickad = dag - timedelta(days=3)
            s.ivo_svar_senast = dag + timedelta(days=28)
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
        s.log(
            TimelineEntry.Typ.SKAPAT,
            av=av,
            till_status=s.status,
            text=str(Kanal(s.kanal).label),
            tid=inkom,
        )
        t = inkom
        if plan.status == Status.INKOMMEN:
            return self.uppdatera_tid(s, t)

        # The registrator registers it and routes it to the unit's enhetschef.
        t = self.efter(t, rng, 0, 1 if av else 2)
        s.enhet = enhet
        s.kategori = self.kategorier[mall.kategori]
        s.diarienummer = f"SN {timezone.localdate(inkom).year}/{100 + int(extern_id[-3:]) * 7}"
        if not plan.anonym:
            s.avsandare = plan.avsandare
        s.registrerad = t
        self.byt(s, Status.REGISTRERAD, t, self.registrator, "Registrera och fördela")
        if plan.status == Status.REGISTRERAD:
            return self.uppdatera_tid(s, t)

        # The enhetschef takes the case.
        t = self.efter(t, rng, 0, 2)
        s.handlaggare = chef
        self.byt(s, Status.UNDER_HANDLAGGNING, t, chef, "Påbörja handläggning")
        if rng.random() < 0.4:
            t = self.efter(t, rng, 0, 2)
            s.log(
                TimelineEntry.Typ.KOMMENTAR, av=chef, text=rng.choice(SYNPUNKT_KOMMENTARER), tid=t
            )
        if avvikelse:
            # The service failed: an avvikelse is reported from the synpunkt (CaseLink
            # "skapad från"); at closing the enhetschef records that it failed.
            t = max(avvikelse.oppnad, t + timedelta(minutes=20))
            avvikelse.arende.link(s, CaseLink.Typ.SKAPAD_FRAN, av=avvikelse.av or chef, tid=t)
        if plan.status == Status.UNDER_HANDLAGGNING:
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
        self.byt(s, Status.BESVARAD, t, chef, "Besvara")
        if plan.kanal == Kanal.VIA_IVO:
            # The answer to IVO goes with the answer to the complainant, on its own.
            s.ivo_svar = IVO_SVAR
            s.ivo_besvarad = timezone.localdate(t)
            s._history_date, s._history_user = t, chef
            s._change_reason = "Svar till IVO"
            s.save()
            s.log(
                TimelineEntry.Typ.ANDRING,
                av=chef,
                text=f"Svar till IVO {s.ivo_besvarad:%Y-%m-%d}.",
                tid=t,
            )
        if plan.status == Status.BESVARAD:
            return self.uppdatera_tid(s, t)

        # Closed: did the service fail, did it lead to an improvement?
        t = self.efter(t, rng, 0, 1 if avvikelse else 4)
        s.brustit = bool(mall.avvikelse)
        s.ledde_till_forbattring = bool(mall.forbattring)
        s.forbattring = mall.forbattring
        s.avslutad = t
        self.byt(s, Status.AVSLUTAD, t, chef, "Avsluta")
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
            s.log(TimelineEntry.Typ.ANDRING, text=GALLRING_TEXT, tid=t)
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
            s.log(
                TimelineEntry.Typ.BESLUT,
                av=self.registrator,
                text=f"Klagomålsdelegationen: {Delegationsstatus(status).label.lower()} "
                f"{datum:%Y-%m-%d}. {s.delegation_anteckning}",
                tid=tid,
            )
            t = tid
        return t


def sammanfattning() -> str:
    """What the demo synpunkter look like now (all of them, not just new ones)."""
    demo = Synpunkt.objects.filter(extern_id__startswith="demo-syn-")
    per_status = dict(demo.values_list("status").annotate(n=Count("pk")))
    klagomal = demo.filter(typ=Typ.KLAGOMAL)
    return (
        f"Demosynpunkter: {demo.count()} ("
        + ", ".join(
            f"{Status(s).label.lower()} {per_status[s]}" for s in Status.values if s in per_status
        )
        + f"); klagomål {klagomal.count()}, varav via IVO "
        f"{klagomal.filter(kanal=Kanal.VIA_IVO).count()}; försenade "
        f"{demo.filter(status__in=OBESVARADE, tidsfrist__lt=timezone.localdate()).count()}"
        f"; verksamheten brustit {demo.filter(brustit=True).count()}."
    )


def skapa(demo: Demo) -> list[str]:
    """The demo step of synpunkter (`SynpunkterConfig.demodata`)."""
    nya = Demosynpunkter(demo).skapa()
    demo.nya.append(f"Nya demosynpunkter: {nya}.")
    return [sammanfattning()]
