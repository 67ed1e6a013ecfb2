"""Demo process map for `seed_demo` (DOMAIN.md §2): the förvaltning's processes, each
with its processägare, the kvalitetssamordnare as processledare, its purpose, goals and
two key figures with a written definition, a target and a result for each of the three
last full years and a target for this year:

- kärnprocesser: Myndighetsutövning (Myndighetsavdelningen, its avdelningschef), Avtal
  och uppföljning (Bistånd barn, unga och familj) and Öppenvård
  (Öppenvårdsavdelningen);
- a ledningsprocess, Ledning och styrning, at the förvaltning;
- stödprocesser: Ekonomi, Personal och arbetsmiljö, IT-system and Information
  (Staben and the förvaltning);
- Mottagning, a kärnprocess of its own until it was merged into Myndighetsutövning and
  discontinued last year.

Some targets are reached and some not; two of those not reached led to improvement
actions. Last year's sick leave is not measured yet (the personalbokslut is not done),
so the förvaltningschef finds "Registrera utfall" under "Mina ärenden". What was mapped,
revised and published last year and this year is recorded on the processes.

Every step is the model's own (`Process.nytt_nyckeltal`, `registrera_varde`,
`registrera_handelse`, `avveckla`), called as the user who takes it in the browser: the
target for a year set in December the year before, its result recorded in February
after it. The times the steps write (timeline, history, the key figures' rows) are then
moved to the historic moment. Every date counts from today, and nothing lies ahead of
it: on the first days of a year what would have happened later is dated today.

Processes are keyed by `extern_id` ("demo-proc-…"): one that exists is left as it is,
so a second run writes nothing.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Max
from django.utils import timezone

from kvalitet import behorighet
from kvalitet.demo import SLUMPFRO, Atgardsmall, Demo, Demobyggare
from kvalitet.models import Atgardstyp, TimelineEntry

from .choices import Handelsetyp, Processtyp, Riktning, Status
from .models import Nyckeltal, Nyckeltalsvarde, Process, Processhandelse

K, L, S = Processtyp.KARNPROCESS, Processtyp.LEDNINGSPROCESS, Processtyp.STODPROCESS
HOGRE, LAGRE = Riktning.HOGRE, Riktning.LAGRE
KARTLAGD, REVIDERAD, PUBLICERAD = (
    Handelsetyp.KARTLAGD,
    Handelsetyp.REVIDERAD,
    Handelsetyp.PUBLICERAD,
)


@dataclass(frozen=True)
class Demonyckeltal:
    """A key figure and its values: (target, result) for the three last full years, the
    oldest first (a result None: not measured yet), and this year's target (None: not
    set, for a process no longer in use)."""

    namn: str
    definition: str
    matt: str
    riktning: str
    varden: tuple[tuple[float, float | None], ...]
    i_ar: float | None = None


@dataclass(frozen=True)
class Demohandelse:
    """Mapped, revised or published: last year on (month, day), or this year at `andel`
    of the way from 1 January to today."""

    typ: str
    dokument: str
    beskrivning: str
    forra_aret: tuple[int, int] | None = None
    andel: float | None = None


@dataclass(frozen=True)
class Demoprocess:
    extern_id: str
    namn: str
    typ: str
    enhet: str
    agare: str  # username of the processägare
    syfte: str
    mal: tuple[str, ...]
    nyckeltal: tuple[Demonyckeltal, ...]
    # Established (month, day) this many years before the current year.
    inrattad: tuple[int, int, int] = (4, 9, 1)
    handelser: tuple[Demohandelse, ...] = ()
    # An improvement action after last year's result of the key figure with this name.
    atgard: tuple[str, Atgardsmall] | None = None
    # Discontinued last year on (month, day), with the reason.
    avvecklad: tuple[int, int, str] | None = None


N, H = Demonyckeltal, Demohandelse

PROCESSER = [
    Demoprocess(
        "demo-proc-01",
        "Myndighetsutövning",
        K,
        "MYN",
        "avdelningschef",
        "Att den enskilde får en rättssäker, snabb och begriplig handläggning från ansökan "
        "eller anmälan till beslut och uppföljning. Processen börjar när en anmälan, "
        "ansökan eller begäran kommer in till mottagningen och slutar när beslutet är "
        "fattat, insatsen följd upp och ärendet avslutat.",
        (
            "Barn och unga får sin situation utredd inom lagstadgad tid.",
            "Beslut om ekonomiskt bistånd fattas snabbt så att ingen står utan medel.",
            "Den enskilde är delaktig i sin utredning och förstår beslutet.",
        ),
        (
            N(
                "Andel barnavårdsutredningar klara inom fyra månader",
                "Antal utredningar om barn och unga som avslutats under året där tiden från "
                "beslut om att inleda utredning till beslut om att avsluta den var högst "
                "fyra månader, delat med alla utredningar om barn och unga som avslutats "
                "under året. Förlängda utredningar räknas som ej klara i tid. Källa: "
                "verksamhetssystemets utredningsstatistik.",
                "%",
                HOGRE,
                ((90, 82), (90, 86), (90, 91)),
                90,
            ),
            N(
                "Dagar från ansökan till beslut om ekonomiskt bistånd",
                "Medianen av kalenderdagar från att en fullständig ansökan om ekonomiskt "
                "bistånd kommit in till beslut, för nybesök under året. Källa: "
                "verksamhetssystemet.",
                "dagar",
                LAGRE,
                ((10, 12), (10, 9), (10, 8)),
                8,
            ),
        ),
        inrattad=(4, 3, 1),
        handelser=(
            H(
                KARTLAGD,
                "",
                "Processen kartlades om när mottagningen för barn och unga fördes in i den.",
                forra_aret=(4, 15),
            ),
            H(
                REVIDERAD,
                "Rutin för förhandsbedömning av orosanmälningar",
                "Veckovis genomgång av öppna anmälningar och bevakning efter tio dagar.",
                forra_aret=(9, 10),
            ),
            H(
                PUBLICERAD,
                "Processbeskrivning Myndighetsutövning",
                "Publicerad på intranätet med flödesschema och ansvarsfördelning.",
                andel=0.3,
            ),
        ),
    ),
    Demoprocess(
        "demo-proc-02",
        "Avtal och uppföljning",
        K,
        "MYN-BUF",
        "chef.buf",
        "Att barn, unga och vuxna som placeras eller får en insats hos en extern utförare "
        "får den insats och den kvalitet som avtalats, och att nämnden följer upp varje "
        "placering. Processen börjar med behovet av en placering eller en upphandlad "
        "insats och slutar när placeringen är avslutad och uppföljd.",
        (
            "Varje placerat barn får de besök som nämnden ska göra.",
            "Varje placering har en aktuell vårdplan och genomförandeplan.",
            "Varje avtal med en extern utförare följs upp minst en gång om året.",
        ),
        (
            N(
                "Andel placerade barn med minst fyra besök under året",
                "Antal barn placerade i familjehem eller på HVB under hela året som "
                "socialsekreteraren besökt minst fyra gånger, delat med alla barn som "
                "varit placerade under hela året. Källa: besöksanteckningar i akten, "
                "sammanställda vid årsskiftet.",
                "%",
                HOGRE,
                ((95, 88), (95, 93), (95, 96)),
                95,
            ),
            N(
                "Andel avtal med extern utförare som följts upp",
                "Antal gällande avtal om plats på HVB, stödboende och familjehemskonsulent "
                "där en avtalsuppföljning dokumenterats under året, delat med alla avtal som "
                "gällde den 31 december.",
                "%",
                HOGRE,
                ((100, 70), (100, 85), (100, 80)),
                100,
            ),
        ),
        inrattad=(4, 9, 1),
        handelser=(
            H(
                REVIDERAD,
                "Rutin för uppföljning av placerade barn",
                "Besöken planeras för hela året när placeringen börjar.",
                forra_aret=(5, 20),
            ),
            H(
                PUBLICERAD,
                "Riktlinje för köp av plats på HVB och stödboende",
                "Ny riktlinje beslutad av förvaltningschefen.",
                andel=0.5,
            ),
        ),
        atgard=(
            "Andel avtal med extern utförare som följts upp",
            Atgardsmall(
                "Årsplan för avtalsuppföljningar med fasta datum",
                Atgardstyp.RUTIN,
                "Varje avtal får ett datum för uppföljning i en årsplan som enhetschefen går "
                "igenom varje kvartal.",
                "Alla avtal följs upp under året.",
                "Uppföljningarna för första kvartalet är gjorda enligt planen.",
            ),
        ),
    ),
    Demoprocess(
        "demo-proc-03",
        "Öppenvård",
        K,
        "OPPEN",
        "avdchef.oppen",
        "Att barn, unga, vuxna och familjer får stöd och behandling i öppna former nära sin "
        "vardag, snabbt och med metoder som har stöd i forskning. Processen börjar med "
        "beslutet om en insats eller en egen begäran om en serviceinsats och slutar när "
        "insatsen är avslutad och utvärderad tillsammans med den enskilde.",
        (
            "Den som beviljats en insats i öppenvården får den utan dröjsmål.",
            "Insatsen gör skillnad för den enskilde.",
        ),
        (
            N(
                "Dagar från beslut till första behandlingssamtal i missbruksvården",
                "Medianen av kalenderdagar från beslut om öppenvårdsinsats för missbruk "
                "till det första behandlingssamtalet, för insatser som började under året. "
                "Källa: öppenvårdens inskrivningslista.",
                "dagar",
                LAGRE,
                ((14, 26), (14, 18), (14, 12)),
                10,
            ),
            N(
                "Andel avslutade insatser där målen uppnåtts helt eller delvis",
                "Antal insatser som avslutats under året där den enskilde och behandlaren "
                "vid avslutet bedömt att målen i genomförandeplanen uppnåtts helt eller "
                "delvis, delat med alla insatser som avslutats under året. Avbrutna "
                "insatser räknas med.",
                "%",
                HOGRE,
                ((75, 71), (75, 77), (80, 79)),
                80,
            ),
        ),
        inrattad=(4, 10, 1),
        handelser=(
            H(
                KARTLAGD,
                "",
                "Flödet från beslut till första samtal kartlades för att korta väntetiden.",
                forra_aret=(10, 3),
            ),
        ),
        atgard=(
            "Andel avslutade insatser där målen uppnåtts helt eller delvis",
            Atgardsmall(
                "Uppföljningssamtal efter halva insatstiden",
                Atgardstyp.OVRIGT,
                "Behandlaren och den enskilde stämmer av målen i genomförandeplanen halvvägs "
                "och justerar insatsen.",
                "Fler insatser når sina mål och färre avbryts.",
                "Samtalen hålls i de flesta insatser; färre avbrott hittills.",
            ),
        ),
    ),
    Demoprocess(
        "demo-proc-04",
        "Ledning och styrning",
        L,
        "SOC",
        "forvaltningschef",
        "Att nämndens mål och uppdrag bryts ned till verksamhetsplaner, följs upp och leder "
        "till förbättringar enligt ledningssystemet för systematiskt kvalitetsarbete. "
        "Processen omfattar verksamhetsplan och budget, tertialrapporter, riskanalys, "
        "internkontroll, sammanställning av avvikelser och klagomål och "
        "kvalitetsberättelsen.",
        (
            "Avvikelser, klagomål och synpunkter används för att förbättra verksamheten.",
            "Klagomål besvaras inom två veckor.",
            "Varje förbättrande åtgärd följs upp och får sin effekt utvärderad.",
        ),
        (
            N(
                "Andel klagomål besvarade inom 14 dagar",
                "Antal klagomål som besvarats inom 14 kalenderdagar från att de kom in, "
                "delat med alla klagomål som besvarats under året. Anonyma klagomål utan "
                "kontaktuppgifter räknas inte. Källa: registret över synpunkter och "
                "klagomål.",
                "%",
                HOGRE,
                ((90, 74), (90, 83), (90, 92)),
                95,
            ),
            N(
                "Andel förbättrande åtgärder utvärderade inom sex månader",
                "Antal förbättrande åtgärder som genomförts under året och vars effekt "
                "utvärderats inom sex månader från att de genomfördes, delat med alla "
                "åtgärder som genomförts under året.",
                "%",
                HOGRE,
                ((80, 55), (80, 68), (80, 74)),
                80,
            ),
        ),
        inrattad=(4, 1, 15),
        handelser=(
            H(
                REVIDERAD,
                "Ledningssystem för systematiskt kvalitetsarbete",
                "Processkartan och ansvaret för processerna uppdaterades.",
                forra_aret=(11, 20),
            ),
            H(
                PUBLICERAD,
                "Ledningssystem för systematiskt kvalitetsarbete",
                "Publicerat på intranätet och presenterat på ledningsgruppen.",
                forra_aret=(12, 5),
            ),
            H(
                REVIDERAD,
                "Rutin för synpunkter och klagomål",
                "Bekräftelse till den som lämnat klagomål inom två arbetsdagar.",
                andel=0.6,
            ),
        ),
    ),
    # Staben's stödprocesser serve the whole förvaltning, so they belong to it (the form's
    # rule: where the process is led from), owned by staben's chef: every chef reads them.
    Demoprocess(
        "demo-proc-05",
        "Ekonomi",
        S,
        "SOC",
        "chef.staben",
        "Att verksamheterna har ekonomiska underlag för att planera och styra, att nämnden "
        "håller sin budget och att fakturor och utbetalningar hanteras korrekt och i tid. "
        "Processen omfattar budget, månadsuppföljning, bokslut, attest och "
        "fakturahantering.",
        (
            "Nämnden håller sin budget.",
            "Fakturor betalas i tid.",
        ),
        (
            N(
                "Budgetavvikelse vid årets slut",
                "Nettokostnadernas överskridande av budgeten vid bokslutet, i procent av "
                "budgeten; ett överskott räknas som 0. Källa: bokslutet.",
                "%",
                LAGRE,
                ((1, 2.3), (1, 0.8), (1, 1.6)),
                1,
            ),
            N(
                "Andel fakturor betalda i tid",
                "Antal leverantörsfakturor som betalats senast på förfallodagen, delat med "
                "alla leverantörsfakturor som betalats under året. Källa: ekonomisystemet.",
                "%",
                HOGRE,
                ((95, 91), (95, 94), (95, 96.5)),
                96,
            ),
        ),
        inrattad=(4, 11, 1),
    ),
    Demoprocess(
        "demo-proc-06",
        "Personal och arbetsmiljö",
        S,
        "SOC",
        "forvaltningschef",
        "Att förvaltningen kan rekrytera, introducera och behålla medarbetare med rätt "
        "kompetens och att arbetsmiljön är god och säker. Processen omfattar "
        "kompetensförsörjning, introduktion, medarbetarsamtal, det systematiska "
        "arbetsmiljöarbetet och rehabilitering.",
        (
            "Sjukfrånvaron minskar.",
            "Färre socialsekreterare slutar.",
            "Alla nyanställda får en strukturerad introduktion.",
        ),
        (
            N(
                "Sjukfrånvaro",
                "Sjukfrånvarotimmar i procent av avtalad ordinarie arbetstid för alla "
                "tillsvidare- och visstidsanställda under året. Källa: personalsystemet, "
                "redovisad i personalbokslutet.",
                "%",
                LAGRE,
                # Last year's comes with the personalbokslut.
                ((7, 8.4), (7, 7.9), (7, None)),
                6.5,
            ),
            N(
                "Personalomsättning bland socialsekreterare",
                "Antal socialsekreterare som sagt upp sig under året, delat med det "
                "genomsnittliga antalet anställda socialsekreterare under året. Källa: "
                "personalsystemet.",
                "%",
                LAGRE,
                ((15, 22), (15, 18), (15, 14)),
                12,
            ),
        ),
        inrattad=(4, 11, 1),
        handelser=(
            H(
                REVIDERAD,
                "Rutin för introduktion av nyanställda",
                "Mentor och ärendedragning under det första halvåret.",
                forra_aret=(2, 14),
            ),
        ),
    ),
    Demoprocess(
        "demo-proc-07",
        "IT-system",
        S,
        "SOC",
        "chef.staben",
        "Att verksamhetssystemen stöder handläggning och dokumentation, går att använda när "
        "de behövs och skyddar uppgifterna i dem. Processen omfattar förvaltningen av "
        "verksamhetssystemen, behörigheter, support och informationssäkerhet.",
        (
            "Verksamhetssystemet går att använda under hela kontorstiden.",
            "Supportärenden löses snabbt.",
        ),
        (
            N(
                "Tillgänglighet i verksamhetssystemet under kontorstid",
                "Andel av kontorstiden (vardagar 7–18) då verksamhetssystemet gick att "
                "använda, enligt leverantörens driftrapport för året.",
                "%",
                HOGRE,
                ((99.5, 99.1), (99.5, 99.7), (99.5, 99.8)),
                99.5,
            ),
            N(
                "Dagar att lösa ett supportärende",
                "Medianen av kalenderdagar från att ett supportärende om verksamhetssystemet "
                "registrerats till att det är löst, för ärenden registrerade under året. "
                "Källa: supportsystemet.",
                "dagar",
                LAGRE,
                ((3, 4), (3, 3), (3, 2)),
                2,
            ),
        ),
        inrattad=(4, 11, 1),
        handelser=(
            H(
                REVIDERAD,
                "Rutin för behörighetstilldelning",
                "Behörigheten följer uppdraget och tas bort samma dag som uppdraget upphör.",
                andel=0.4,
            ),
        ),
    ),
    Demoprocess(
        "demo-proc-08",
        "Information",
        S,
        "SOC",
        "chef.staben",
        "Att den enskilde, allmänheten och medarbetarna får korrekt, begriplig och "
        "tillgänglig information om socialtjänsten, och att allmänna handlingar "
        "registreras och lämnas ut som lagen kräver. Processen omfattar webbplatsen, "
        "trycksaker, diarieföring och utlämnande av handlingar.",
        (
            "Informationen på webbplatsen är aktuell.",
            "En begäran om allmän handling besvaras skyndsamt.",
        ),
        (
            N(
                "Andel webbsidor granskade under året",
                "Antal av socialtjänstens sidor på kommunens webbplats som den sidansvarige "
                "granskat och uppdaterat under året, delat med alla socialtjänstens sidor "
                "den 31 december.",
                "%",
                HOGRE,
                ((100, 64), (100, 81), (100, 93)),
                100,
            ),
            N(
                "Dagar till utlämnande av allmän handling",
                "Medianen av kalenderdagar från att en begäran om att ta del av allmän "
                "handling kom in till att handlingen lämnats ut eller beslut om avslag "
                "fattats. Källa: diariet.",
                "dagar",
                LAGRE,
                ((2, 3), (2, 2), (2, 2)),
                1,
            ),
        ),
        inrattad=(4, 11, 1),
        handelser=(
            H(
                PUBLICERAD,
                "Information om ekonomiskt bistånd på lätt svenska",
                "Ny broschyr och webbsida.",
                forra_aret=(6, 12),
            ),
        ),
    ),
    Demoprocess(
        "demo-proc-09",
        "Mottagning barn och unga",
        K,
        "MYN-BUV",
        "chef.buv",
        "Att orosanmälningar och ansökningar som gäller barn och unga tas emot, "
        "skyddsbedöms samma dag och förhandsbedöms inom 14 dagar.",
        (
            "Varje orosanmälan skyddsbedöms samma dag som den kommer in.",
            "Förhandsbedömningen är klar inom 14 dagar.",
        ),
        (
            N(
                "Andel förhandsbedömningar klara inom 14 dagar",
                "Antal orosanmälningar där beslut om att inleda eller inte inleda utredning "
                "fattats inom 14 dagar från att anmälan kom in, delat med alla "
                "förhandsbedömda anmälningar under året.",
                "%",
                HOGRE,
                ((95, 82), (95, 88)),
            ),
            N(
                "Andel skyddsbedömningar gjorda samma dag",
                "Antal orosanmälningar som skyddsbedömts samma dag som de kom in, delat med "
                "alla orosanmälningar under året.",
                "%",
                HOGRE,
                ((100, 97), (100, 99)),
            ),
        ),
        inrattad=(6, 2, 1),
        avvecklad=(
            3,
            31,
            "Mottagningen ingår efter omorganisationen i processen Myndighetsutövning, "
            "där förhandsbedömningarna följs.",
        ),
    ),
]


class Demoprocesskarta(Demobyggare):
    """Writes the demo processes step by step, each step at its historic moment."""

    def __init__(self, demo: Demo):
        super().__init__(demo)
        self.rng = random.Random(SLUMPFRO + 80)
        self.ks = self.anvandare["kvalitetssamordnare"]
        self.ar = self.idag.year

    # Time and dating -----------------------------------------------------------------------

    def pa(self, dag: date, timme: int = 10) -> datetime:
        """A moment on `dag`, local time, never after now."""
        t = timezone.make_aware(datetime.combine(dag, time(timme, self.rng.randint(0, 59))))
        return min(t, self.nu - timedelta(minutes=10))

    def dag(self, ar: int, manad: int, dag: int) -> date:
        """A day of `ar`, today at the latest."""
        return min(date(ar, manad, dag), self.idag)

    def i_ar(self, andel: float) -> date:
        """A day of this year, `andel` of the way from 1 January to today."""
        nyar = date(self.ar, 1, 1)
        return nyar + timedelta(days=int((self.idag - nyar).days * andel))

    def baktid(self, tid: datetime, av, gora):
        """Run `gora`, then date what it wrote at `tid`, signed by `av`: the timeline, the
        change history and the new rows of the key figures and events."""
        historik = (Process, Nyckeltal, Nyckeltalsvarde, Processhandelse)
        fore = {m: m.history.aggregate(m=Max("history_id"))["m"] or 0 for m in historik}
        tl = TimelineEntry.objects.aggregate(m=Max("pk"))["m"] or 0
        nyckeltal = Nyckeltal.objects.aggregate(m=Max("pk"))["m"] or 0
        handelse = Processhandelse.objects.aggregate(m=Max("pk"))["m"] or 0
        resultat = gora()
        TimelineEntry.objects.filter(pk__gt=tl).update(skapad=tid)
        for m in historik:
            m.history.filter(history_id__gt=fore[m]).update(history_date=tid, history_user=av)
        Nyckeltal.objects.filter(pk__gt=nyckeltal).update(skapad=tid)
        Processhandelse.objects.filter(pk__gt=handelse).update(skapad=tid)
        return resultat

    # The steps -----------------------------------------------------------------------------

    def skapa(self) -> int:
        nya = 0
        for p in PROCESSER:
            if not Process.objects.filter(extern_id=p.extern_id).exists():
                self.process(p)
                nya += 1
        return nya

    def process(self, p: Demoprocess):
        ar, manad, dag = p.inrattad
        inrattad = date(self.ar - ar, manad, dag)
        agare = self.anvandare[p.agare]
        enhet = self.enheter[p.enhet]
        if not behorighet.mojliga_handlaggare(enhet).filter(pk=agare.pk).exists():
            raise ValueError(f"{p.agare} kan inte vara processägare för {enhet.namn}")
        tid = self.pa(inrattad, 9)

        def ny():
            process = Process(
                extern_id=p.extern_id,
                enhet=enhet,
                namn=p.namn,
                typ=p.typ,
                syfte=p.syfte,
                mal="\n".join(p.mal),
                handlaggare=agare,
                processledare=self.ks,
                inrattad=inrattad,
                skapad=tid,
                skapad_av=self.ks,
                uppdaterad_av=self.ks,
            )
            process.full_clean()
            process._change_reason = "Tillagd"
            process.save()
            process.log(TimelineEntry.Typ.SKAPAT, av=self.ks, till_status=process.status)
            return process

        process = self.baktid(tid, self.ks, ny)

        # What happened to it afterwards, run in the order it happened: (moment, step).
        handelser = []

        def nar(dag: date, timme: int, steg):
            handelser.append((self.pa(dag, timme), len(handelser), steg))

        # The processledare adds the key figures within a month.
        nyckeltal = {}

        def nytt(n: Demonyckeltal):
            def steg(tid):
                self.baktid(
                    tid,
                    self.ks,
                    lambda: process.nytt_nyckeltal(
                        av=self.ks,
                        namn=n.namn,
                        definition=n.definition,
                        matt=n.matt,
                        riktning=n.riktning,
                    ),
                )
                nyckeltal[n.namn] = process.nyckeltal.get(namn=n.namn)

            return steg

        for i, n in enumerate(p.nyckeltal):
            nar(inrattad + timedelta(days=20 + 3 * i), 14, nytt(n))

        # Year by year: the owner sets the target in December the year before, the
        # processledare records the result in February after it.
        for n in p.nyckeltal:
            for i, (mal, utfall) in enumerate(n.varden):
                ar = self.ar - 3 + i
                nar(
                    self.dag(ar - 1, 12, 10),
                    11,
                    self.varde(process, nyckeltal, n, ar, mal, None, agare),
                )
                if utfall is not None:
                    nar(
                        self.dag(ar + 1, 2, 10),
                        13,
                        self.varde(process, nyckeltal, n, ar, mal, utfall, self.ks),
                    )
            if n.i_ar is not None:
                nar(
                    self.dag(self.ar - 1, 12, 12),
                    11,
                    self.varde(process, nyckeltal, n, self.ar, n.i_ar, None, agare),
                )

        for h in p.handelser:
            datum = self.dag(self.ar - 1, *h.forra_aret) if h.forra_aret else self.i_ar(h.andel)
            nar(datum, 15, self.handelse(process, h, datum, agare))

        if p.atgard:
            namn, mall = p.atgard

            def atgard(tid):
                self.skapa_atgard(
                    process, mall, tid, av=agare, ansvarig=agare, rng=self.rng, oppet=True
                )

            # Two weeks after last year's result showed the target was not reached.
            dag = min(self.dag(self.ar, 2, 10) + timedelta(days=14), self.idag)
            nar(dag, 14, atgard)

        if p.avvecklad:
            manad, dag, skal = p.avvecklad
            datum = date(self.ar - 1, manad, dag)
            nar(
                datum,
                16,
                lambda tid: self.baktid(
                    tid, agare, lambda: process.avveckla(av=agare, datum=datum, kommentar=skal)
                ),
            )

        for tid, _i, steg in sorted(handelser, key=lambda h: (h[0], h[1])):
            steg(tid)

        senast = process.timeline.aggregate(m=Max("skapad"))["m"]
        Process.objects.filter(pk=process.pk).update(uppdaterad=senast)
        return process

    def varde(self, process, nyckeltal, n: Demonyckeltal, ar, mal, utfall, av):
        """The step "Registrera mål och utfall" of the key figure `n` (in `nyckeltal` by
        name once added), to run at a moment."""

        def steg(tid):
            rad = nyckeltal[n.namn]
            self.baktid(
                tid,
                av,
                lambda: process.registrera_varde(
                    av=av,
                    nyckeltal=rad,
                    ar=ar,
                    malvarde=Decimal(str(mal)),
                    utfall=None if utfall is None else Decimal(str(utfall)),
                    kommentar="",
                ),
            )
            Nyckeltalsvarde.objects.filter(nyckeltal=rad, ar=ar).update(uppdaterad=tid)

        return steg

    def handelse(self, process, h: Demohandelse, datum: date, av):
        def steg(tid):
            self.baktid(
                tid,
                av,
                lambda: process.registrera_handelse(
                    av=av,
                    datum=datum,
                    typ=h.typ,
                    dokument=h.dokument,
                    beskrivning=h.beskrivning,
                ),
            )

        return steg


def sammanfattning() -> str:
    demo = Process.objects.filter(extern_id__startswith="demo-proc-")
    per_status = dict(demo.values_list("status").annotate(n=Count("pk")))
    nyckeltal = Nyckeltal.objects.filter(process__in=demo)
    varden = Nyckeltalsvarde.objects.filter(nyckeltal__in=nyckeltal)
    handelser = Processhandelse.objects.filter(process__in=demo).count()
    return (
        f"Demoprocesser: {demo.count()} ("
        + ", ".join(
            f"{Status(s).label.lower()} {per_status[s]}" for s in Status.values if s in per_status
        )
        + f"); nyckeltal {nyckeltal.count()}; mål och utfall {varden.count()} "
        f"(med utfall {varden.filter(utfall__isnull=False).count()}); kartläggningar, "
        f"revideringar och publiceringar {handelser}."
    )


def skapa(demo: Demo) -> list[str]:
    """The demo step of the processes (`ProcesserConfig.demodata`)."""
    nya = Demoprocesskarta(demo).skapa()
    demo.nya.append(f"Nya demoprocesser: {nya}.")
    return [sammanfattning()]
