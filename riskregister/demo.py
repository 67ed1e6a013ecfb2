"""Demo risk register for `seed_demo` (DOMAIN.md §4.4): a dozen risks over the demo
organisation's units, from the client's perspective, taken through the register's life
the way the people in it would have:

- during last year the units' chefs proposed a few risks (two after events the demo
  avvikelser and lex Sarah cases record, linked to them as realising the risk);
- Myndighetsavdelningen held its yearly riskanalys in the autumn: it re-assessed two of
  those risks and identified new ones, wrote its consequence statement for the budget,
  was marked done and sent to the nämnd;
- the nämnd decided version 1 of the register (20 November last year, § 123): every
  proposal entered the register from the meeting's date;
- during this year two risks were re-assessed, one removed with its reason, two new
  ones proposed, and the kvalitetssamordnare has started the draft of version 2.

The high risks have improvement actions with their owners; every risk has an owner (the
chef of its unit). Every step is the model's own (`Risk.foresla`, `bedom`, `ta_bort`,
`Riskanalys.slutfor`, `Registerversion.forbered`/`faststall`), called as the user who
takes it in the browser; the times it writes (timeline, history, links) and what it
stamps with today are then moved to the historic moment. Dates count back from today,
except the nämnd's meeting, which is a fixed date that must not lie ahead.

Risks are keyed by `extern_id` ("demo-risk-…"): once they exist the step writes nothing,
so a second run changes nothing. The events are found through the case types
(`kvalitet.arendetyper`): the register imports no case app.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max
from django.utils import timezone

from kvalitet import arendetyper
from kvalitet.demo import SLUMPFRO, Atgardsmall, Demo, Demobyggare
from kvalitet.models import Atgardstyp, CaseLink, Roll, TimelineEntry

from .choices import Analysstatus, Kalla, Kategori, Status, Strategi
from .models import Bedomning, Registerversion, Risk, Riskanalys

# The nämnd's meeting that decided version 1 (at the latest 60 days ago).
SAMMANTRADE = date(2025, 11, 20)
PARAGRAF = "123"
DIARIENUMMER = "SN 2025/210"


@dataclass(frozen=True)
class Demorisk:
    """A demo risk: where, what, its first assessment and what it became."""

    extern_id: str
    enhet: str
    titel: str
    beskrivning: str
    kategori: str
    strategi: str
    kalla: str
    sannolikhet: int
    konsekvens: int
    process: str = ""
    styrdokument: str = ""
    indikatorer: str = ""
    kommentar: str = ""
    # The event that realised it (a phrase of its description), linked to the risk.
    handelse: str = ""
    atgarder: tuple[Atgardsmall, ...] = field(default_factory=tuple)


A = Atgardsmall

# Proposed by the units' chefs during last year, before the riskanalys.
TIDIGA = [
    Demorisk(
        "demo-risk-01",
        "MYN-BUF",
        "Sekretessbelagd handling skickas till fel mottagare",
        "Beslut och utredningar skickas till adresser som inte längre är aktuella eller "
        "till fel person. Barnets eller förälderns uppgifter kan bli kända för obehöriga, "
        "och i värsta fall för den som barnet eller föräldern skyddas från.",
        Kategori.INFORMATIONSSAKERHET,
        Strategi.REDUCERA,
        Kalla.HANDELSE,
        3,
        3,
        process="Utskick av beslut och handlingar",
        styrdokument="Rutin för utskick av sekretessbelagda handlingar (rev. 2025)",
        indikatorer="Antal avvikelser om felaktigt utskick per kvartal",
        kommentar="Efter avvikelsen om beslut som skickats till en gammal adress.",
        handelse="sekretessbelagt beslut",
        atgarder=(
            A(
                "Kontroll av adress mot folkbokföringen före varje utskick",
                Atgardstyp.RUTIN,
                "Handläggaren kontrollerar adressen mot folkbokföringen och markerar det i "
                "akten innan ett sekretessbelagt beslut skickas.",
                "Inga sekretessbelagda handlingar skickas till en inaktuell adress.",
                "Kontrollen görs i alla utskick som granskats vid egenkontrollen.",
            ),
        ),
    ),
    Demorisk(
        "demo-risk-02",
        "MYN-BUV",
        "Orosanmälan bedöms inte inom 14 dagar",
        "Förhandsbedömningen av en orosanmälan dröjer längre än 14 dagar när mottagningen "
        "har många ärenden. Ett barn som far illa får inte skydd eller stöd i tid.",
        Kategori.RATTSSAKERHET,
        Strategi.REDUCERA,
        Kalla.KONTROLL,
        3,
        4,
        process="Mottagning och förhandsbedömning",
        styrdokument="Rutin för förhandsbedömning av orosanmälningar",
        indikatorer="Andel förhandsbedömningar klara inom 14 dagar (mål 95 %)",
        kommentar="Internkontrollen visade att 82 % bedömdes inom 14 dagar under våren.",
        atgarder=(
            A(
                "Veckovis genomgång av inkomna orosanmälningar i mottagningen",
                Atgardstyp.RUTIN,
                "Enhetschefen och mottagningsgruppen går igenom alla öppna anmälningar varje "
                "måndag och fördelar dem som närmar sig 14 dagar.",
                "Alla förhandsbedömningar blir klara inom 14 dagar.",
                "Andelen inom 14 dagar steg till 93 % under hösten.",
            ),
            A(
                "Bevakning av 14-dagarsgränsen i verksamhetssystemet",
                Atgardstyp.TEKNIK,
                "En bevakning läggs automatiskt när en anmälan registreras och påminner "
                "handläggaren och chefen efter tio dagar.",
                "Ingen anmälan passerar 14 dagar utan att chefen vet om det.",
                "",
            ),
        ),
    ),
    Demorisk(
        "demo-risk-03",
        "OPPEN-OI",
        "Hot och våld mot personal vid hembesök",
        "Personal som gör hembesök ensam kan utsättas för hot eller våld. Rädsla för "
        "hembesök gör att familjer som behöver stöd i hemmet inte får det.",
        Kategori.ARBETSMILJO,
        Strategi.REDUCERA,
        Kalla.PERSONAL,
        2,
        4,
        process="Hembesök i öppenvården",
        styrdokument="Rutin för hot och våld i arbetet; riskbedömning före hembesök",
        indikatorer="Antal tillbud och avvikelser om hot vid hembesök",
    ),
    Demorisk(
        "demo-risk-04",
        "OPPEN-KOLL",
        "Rymning från HVB",
        "En ungdom lämnar boendet utan att personalen märker det, särskilt nattetid. "
        "Ungdomen kan utsättas för fara, brott eller missbruk innan hen hittas.",
        Kategori.VERKSAMHET,
        Strategi.REDUCERA,
        Kalla.HANDELSE,
        3,
        4,
        process="Tillsyn på HVB",
        styrdokument="Rutin vid avvikelse från HVB; rutin för nattbemanning",
        indikatorer="Antal avvikelser från boendet; antal nätter med underbemanning",
        kommentar="Efter att en ungdom lämnat boendet under natten.",
        handelse="lämnade boendet",
        atgarder=(
            A(
                "Larm på ytterdörrar och rond varje timme nattetid",
                Atgardstyp.LOKALER,
                "Dörrlarm installeras på boendets ytterdörrar och nattpersonalen gör en rond "
                "varje timme som dokumenteras.",
                "En ungdom som lämnar boendet upptäcks inom en timme.",
                "Två försök att lämna boendet upptäcktes direkt av larmet.",
            ),
        ),
    ),
]

# Identified in Myndighetsavdelningen's riskanalys.
I_ANALYSEN = [
    Demorisk(
        "demo-risk-05",
        "MYN-BUV",
        "Personalomsättning gör att barn byter socialsekreterare ofta",
        "Hög personalomsättning gör att barn och familjer får en ny socialsekreterare flera "
        "gånger under en utredning eller placering. Barnet måste berätta sin historia igen "
        "och förtroendet för socialtjänsten minskar.",
        Kategori.VERKSAMHET,
        Strategi.REDUCERA,
        Kalla.ARLIG,
        4,
        3,
        process="Utredning och uppföljning barn och unga",
        styrdokument="Kompetensförsörjningsplan för socialtjänsten",
        indikatorer="Personalomsättning per år; antal byten av handläggare per barn",
        atgarder=(
            A(
                "Introduktionsprogram och mentor för nyanställda socialsekreterare",
                Atgardstyp.ORGANISATION,
                "Nyanställda får en mentor och ett halvårslångt introduktionsprogram med "
                "ärendedragning och metodstöd.",
                "Fler nyanställda stannar efter första året.",
                "Alla nyanställda under våren har fått mentor.",
            ),
        ),
    ),
    Demorisk(
        "demo-risk-06",
        "MYN-EKB",
        "Felaktig utbetalning av ekonomiskt bistånd",
        "Bistånd betalas ut med fel belopp eller för sent när underlag saknas eller "
        "attesten dröjer. Familjer kan sakna pengar till mat och hyra.",
        Kategori.EKONOMI,
        Strategi.REDUCERA,
        Kalla.ARLIG,
        2,
        3,
        process="Handläggning och utbetalning av ekonomiskt bistånd",
        styrdokument="Riktlinjer för ekonomiskt bistånd; attestordning",
        indikatorer="Antal återkrav och sena utbetalningar per månad",
    ),
    Demorisk(
        "demo-risk-07",
        "MYN-BUF",
        "Uppföljningsbesök i familjehem uteblir",
        "När tjänster i familjehemsgruppen är vakanta görs inte de uppföljningsbesök som "
        "nämnden ska göra. Ett placerat barn som far illa i familjehemmet upptäcks inte.",
        Kategori.RATTSSAKERHET,
        Strategi.REDUCERA,
        Kalla.OMSATTNING,
        2,
        4,
        process="Uppföljning av placerade barn",
        styrdokument="Rutin för uppföljning av placerade barn",
        indikatorer="Andel placerade barn med besök minst fyra gånger per år",
    ),
    Demorisk(
        "demo-risk-08",
        "MYN-SOB",
        "Vräkning av barnfamilj som inte uppmärksammas i tid",
        "Hyresskulder hos en barnfamilj blir inte kända för socialtjänsten i tid, och "
        "barnen riskerar att bli hemlösa.",
        Kategori.RATTSSAKERHET,
        Strategi.ACCEPTERA,
        Kalla.ARLIG,
        1,
        4,
        process="Förebyggande arbete mot vräkningar",
        styrdokument="Överenskommelse med hyresvärdarna om tidig information",
    ),
]

# Proposed separately last year (not from the analysis).
OVRIGA = [
    Demorisk(
        "demo-risk-09",
        "OPPEN-KOLL",
        "Brister i dokumentation av genomförandeplaner",
        "Genomförandeplaner upprättas sent eller följs inte upp. Ungdomen vet inte vad "
        "placeringen ska leda till och insatsen kan inte följas upp.",
        Kategori.VERKSAMHET,
        Strategi.ELIMINERA,
        Kalla.KONTROLL,
        3,
        2,
        process="Genomförandeplaner på HVB",
        styrdokument="Rutin för genomförandeplaner",
        indikatorer="Andel ungdomar med aktuell genomförandeplan",
        kommentar="Efter IVO:s tillsyn av Kollektivet HVB.",
    ),
    Demorisk(
        "demo-risk-10",
        "OPPEN-OI",
        "Långa väntetider till öppenvård för missbruk",
        "Den som ansökt om öppenvård för missbruk väntar längre än en månad på första "
        "samtalet. Motivationen kan vara borta när behandlingen börjar.",
        Kategori.FORTROENDE,
        Strategi.REDUCERA,
        Kalla.PERSONAL,
        2,
        3,
        process="Missbruksvård i öppenvård",
    ),
]

# Proposed this year, after version 1.
NYA = [
    Demorisk(
        "demo-risk-11",
        "OPPEN-VALL",
        "Otillräcklig nattbemanning på Vallmovillan HVB",
        "När en av två nattpersonal saknas kan personalen inte ge ungdomarna den tillsyn "
        "och det stöd som beslutats, och en ungdom i kris blir utan vuxen.",
        Kategori.ARBETSMILJO,
        Strategi.REDUCERA,
        Kalla.HANDELSE,
        3,
        3,
        process="Bemanning på HVB",
        kommentar="IVO:s tillsyn efter klagomål om bemanningen nattetid.",
    ),
    Demorisk(
        "demo-risk-12",
        "MYN-BUV",
        "Uppgifter förs inte över korrekt till nytt verksamhetssystem",
        "Vid bytet av verksamhetssystem kan journalanteckningar och bevakningar gå förlorade. "
        "Ett barns tidigare anmälningar syns då inte vid nästa förhandsbedömning.",
        Kategori.INFORMATIONSSAKERHET,
        Strategi.ELIMINERA,
        Kalla.METOD,
        2,
        4,
        process="Byte av verksamhetssystem",
    ),
]

DELTAGARE = [
    (Roll.AVDELNINGSCHEF, "MYN", "Avdelningschef"),
    (Roll.ENHETSCHEF, "MYN-BUV", "Enhetschef, bistånd barn, unga och vuxna"),
    (Roll.ENHETSCHEF, "MYN-BUF", "Enhetschef, bistånd barn, unga och familj"),
    (Roll.ENHETSCHEF, "MYN-EKB", "Enhetschef, ekonomiskt bistånd"),
    (Roll.ENHETSCHEF, "MYN-SOB", "Enhetschef, sociala boenden"),
    (Roll.KVALITETSSAMORDNARE, "SOC", "Kvalitetssamordnare"),
]


class Demoregister(Demobyggare):
    """Writes the demo register step by step, each step at its historic moment."""

    def __init__(self, demo: Demo):
        super().__init__(demo)
        self.rng = random.Random(SLUMPFRO + 60)
        self.ks = self.anvandare["kvalitetssamordnare"]
        self.risker: dict[str, Risk] = {}
        # The meeting that decided version 1: the fixed date, never ahead of today.
        self.sammantrade = min(SAMMANTRADE, self.idag - timedelta(days=60))

    # Time and dating -----------------------------------------------------------------------

    def pa(self, dag: date, timme: int = 10) -> datetime:
        """A moment on `dag`, local time, never after now."""
        t = timezone.make_aware(datetime.combine(dag, time(timme, self.rng.randint(0, 59))))
        return min(t, self.nu - timedelta(minutes=10))

    def i_ar(self, andel: float) -> date:
        """A day between the nämnd's meeting and today (`andel` of the way)."""
        return self.sammantrade + timedelta(days=int((self.idag - self.sammantrade).days * andel))

    def baktid(self, tid: datetime, gora):
        """Run `gora`, then date what it wrote at `tid`: timeline, history, links and
        assessments."""
        fore = {
            "tl": TimelineEntry.objects.aggregate(m=Max("pk"))["m"] or 0,
            "risk": Risk.history.aggregate(m=Max("history_id"))["m"] or 0,
            "analys": Riskanalys.history.aggregate(m=Max("history_id"))["m"] or 0,
            "version": Registerversion.history.aggregate(m=Max("history_id"))["m"] or 0,
            "lank": CaseLink.objects.aggregate(m=Max("pk"))["m"] or 0,
            "bedomning": Bedomning.objects.aggregate(m=Max("pk"))["m"] or 0,
        }
        resultat = gora()
        TimelineEntry.objects.filter(pk__gt=fore["tl"]).update(skapad=tid)
        Risk.history.filter(history_id__gt=fore["risk"]).update(history_date=tid)
        Riskanalys.history.filter(history_id__gt=fore["analys"]).update(history_date=tid)
        Registerversion.history.filter(history_id__gt=fore["version"]).update(history_date=tid)
        CaseLink.objects.filter(pk__gt=fore["lank"]).update(skapad=tid)
        Bedomning.objects.filter(pk__gt=fore["bedomning"]).update(skapad=tid)
        return resultat, fore

    # People --------------------------------------------------------------------------------

    def chef(self, kod: str):
        return self.anvandare[self.demo.enhetschef(kod)]

    def med_roll(self, roll, kod):
        for username, uppdrag in self.demo.uppdrag.items():
            if (roll, kod) in uppdrag:
                return self.anvandare[username]
        return None

    def under(self, kod: str) -> list[int]:
        """The ids of the unit `kod` and the units below it."""
        koder = {e.pk: k for k, e in self.enheter.items()}
        ut = []
        for k, enhet in self.enheter.items():
            nod = k
            while nod is not None:
                if nod == kod:
                    ut.append(enhet.pk)
                    break
                nod = koder.get(self.enheter[nod].overordnad_id)
        return ut

    # The steps -----------------------------------------------------------------------------

    def foresla(self, r: Demorisk, dag: date, *, av, riskanalys=None, oversyn=None):
        tid = self.pa(dag)
        chef = self.chef(r.enhet)
        risk, _fore = self.baktid(
            tid,
            lambda: Risk.foresla(
                av=av,
                kommentar=r.kommentar,
                enhet=self.enheter[r.enhet],
                titel=r.titel,
                beskrivning=r.beskrivning,
                kategori=r.kategori,
                strategi=r.strategi,
                kalla=r.kalla,
                process=r.process,
                styrdokument=r.styrdokument,
                indikatorer=r.indikatorer,
                sannolikhet=r.sannolikhet,
                konsekvens=r.konsekvens,
                identifierad=dag,
                handlaggare=chef,
                nasta_oversyn=oversyn,
                riskanalys=riskanalys,
                extern_id=r.extern_id,
                skapad=tid,
            ),
        )
        Risk.objects.filter(pk=risk.pk).update(uppdaterad=tid)
        self.risker[r.extern_id] = risk
        return risk

    def bedom(self, risk, dag, s, k, kommentar, *, av, riskanalys=None):
        self.baktid(
            self.pa(dag, 14),
            lambda: risk.bedom(
                av=av,
                datum=dag,
                sannolikhet=s,
                konsekvens=k,
                kommentar=kommentar,
                riskanalys=riskanalys,
            ),
        )

    def handelse(self, risk, r: Demorisk, av):
        """Link the demo event that realised the risk (of any case type, in the risk's
        avdelning, its description naming `r.handelse`): the earliest one."""
        enheter = self.under(self.enheter[r.enhet].overordnad.kod)
        basta = None
        for typ in arendetyper.alla():
            modell = typ.modell
            if getattr(modell, "REALISERAS_AV_HANDELSER", False):
                continue
            falt = {f.name for f in modell._meta.get_fields()}
            if not {"beskrivning", "extern_id", "enhet"} <= falt:
                continue
            kandidat = (
                modell.objects.filter(
                    enhet__in=enheter,
                    extern_id__startswith="demo-",
                    beskrivning__icontains=r.handelse,
                )
                .order_by(typ.datumfalt, "pk")
                .first()
            )
            if kandidat is None:
                continue
            when = getattr(kandidat, typ.datumfalt)
            dag = timezone.localdate(when) if isinstance(when, datetime) else when
            if basta is None or dag < basta[1]:
                basta = (kandidat, dag)
        if basta is None:
            return False
        kandidat, dag = basta
        tid = self.pa(max(dag, risk.identifierad), 15)
        kandidat.link(
            risk,
            CaseLink.Typ.REALISERADE,
            av=av,
            kommentar="Händelsen visar att risken kan inträffa.",
            tid=tid,
        )
        return True

    def atgarder(self, risk, r: Demorisk, dag: date):
        for mall in r.atgarder:
            self.skapa_atgard(
                risk,
                mall,
                self.pa(dag, 11),
                av=self.chef(r.enhet),
                ansvarig=self.chef(r.enhet),
                rng=self.rng,
                oppet=False,
            )
            dag += timedelta(days=7)

    # The register's life ---------------------------------------------------------------------

    def skapa(self) -> int:
        if Risk.objects.filter(extern_id__startswith="demo-risk-").exists():
            return 0
        m = self.sammantrade
        oversyn = [self.idag + timedelta(days=d) for d in (45, 90, -12, 120, 150, 200)]

        # Last year: the units propose risks.
        for i, r in enumerate([*TIDIGA, *OVRIGA]):
            dag = m - timedelta(days=300 - 40 * i)
            risk = self.foresla(r, dag, av=self.chef(r.enhet), oversyn=oversyn[i % 6])
            if r.handelse:
                self.handelse(risk, r, self.chef(r.enhet))

        # The autumn: Myndighetsavdelningen's riskanalys.
        analys = self.riskanalys(m - timedelta(days=70))

        # Improvement actions on the high risks, decided after the analysis.
        for r in [*TIDIGA, *I_ANALYSEN]:
            if r.atgarder:
                self.atgarder(self.risker[r.extern_id], r, analys.datum + timedelta(days=30))

        # The nämnd decides version 1: the proposals enter the register.
        if not Registerversion.objects.exists():
            self.version_1(m)

        # This year: re-assessed, removed, proposed.
        self.under_aret(analys)
        return len(self.risker)

    def riskanalys(self, dag: date):
        avd = self.med_roll(Roll.AVDELNINGSCHEF, "MYN") or self.ks
        deltagare = []
        for roll, kod, titel in DELTAGARE:
            person = self.med_roll(roll, kod)
            if person is not None:
                deltagare.append(f"{titel} – {person.get_full_name()}")
        tid = self.pa(dag, 9)

        def ny():
            a = Riskanalys(
                enhet=self.enheter["MYN"],
                datum=dag,
                utlosande=Kalla.ARLIG,
                handlaggare=avd,
                deltagare="\n".join(deltagare),
                anteckningar=(
                    "Utgångspunkt i klientens perspektiv: Vad får absolut inte hända? Vad "
                    "skulle vi inte vilja läsa om i tidningen? Gruppen gick igenom årets "
                    "avvikelser, lex Sarah-ärenden och internkontrollens resultat."
                ),
                skapad_av=avd,
                skapad=tid,
            )
            a.full_clean()
            a._change_reason = "Skapad"
            a.save()
            a.log(TimelineEntry.Typ.SKAPAT, av=avd, till_status=a.status)
            return a

        analys, _fore = self.baktid(tid, ny)

        # Re-assessed: two of the risks proposed earlier in the year.
        self.bedom(
            self.risker["demo-risk-01"],
            dag,
            3,
            4,
            "Konsekvensen bedöms högre: handlingarna gäller ofta barn med skyddade "
            "personuppgifter.",
            av=avd,
            riskanalys=analys,
        )
        self.bedom(
            self.risker["demo-risk-02"],
            dag,
            4,
            4,
            "Fler anmälningar än året innan och två vakanta tjänster i mottagningen.",
            av=avd,
            riskanalys=analys,
        )
        # Identified in the analysis.
        for i, r in enumerate(I_ANALYSEN):
            self.foresla(
                r,
                dag,
                av=avd,
                riskanalys=analys,
                oversyn=self.idag + timedelta(days=60 + 30 * i),
            )

        konsekvensbeskrivning = (
            "Personalomsättningen och de vakanta tjänsterna i mottagningen och "
            "familjehemsgruppen är de största riskerna för barnen. Avdelningen behöver "
            "medel för introduktion och mentorskap och för att behålla erfarna "
            "socialsekreterare; utan dem bedöms orosanmälningar och uppföljningar av "
            "placerade barn fortsatt inte hinnas med i tid."
        )
        self.baktid(
            self.pa(dag + timedelta(days=10), 15),
            lambda: analys.andra(av=avd, konsekvensbeskrivning=konsekvensbeskrivning),
        )
        self.baktid(self.pa(dag + timedelta(days=14), 15), lambda: analys.slutfor(av=avd))
        skickad = dag + timedelta(days=28)
        self.baktid(self.pa(skickad, 9), lambda: analys.skickad(av=avd, datum=skickad))
        Riskanalys.objects.filter(pk=analys.pk).update(uppdaterad=self.pa(skickad, 9))
        return analys

    def forbered(self, tid, sammanfattning):
        """The kvalitetssamordnare starts the next version's draft at `tid`."""
        version, _fore = self.baktid(
            tid, lambda: Registerversion.forbered(av=self.ks, sammanfattning=sammanfattning)
        )
        Registerversion.objects.filter(pk=version.pk).update(skapad=tid, uppdaterad=tid)
        Registerversion.history.filter(id=version.pk).update(skapad=tid)
        version.skapad = tid
        return version

    def version_1(self, m: date):
        sammanfattning = (
            "Första versionen av socialnämndens riskregister. Riskerna kommer från "
            "enheternas förslag under året och Myndighetsavdelningens riskanalys i "
            "september. Högst bedöms riskerna att orosanmälningar inte bedöms inom 14 dagar "
            "och att barn byter socialsekreterare ofta."
        )
        version = self.forbered(self.pa(m - timedelta(days=21), 10), sammanfattning)
        tid = self.pa(m + timedelta(days=1), 10)
        self.baktid(
            tid,
            lambda: version.faststall(
                av=self.ks, sammantradesdatum=m, paragraf=PARAGRAF, diarienummer=DIARIENUMMER
            ),
        )
        Registerversion.objects.filter(pk=version.pk).update(faststalld=tid, uppdaterad=tid)
        Registerversion.history.filter(history_date=tid, id=version.pk).update(faststalld=tid)
        Risk.objects.filter(status=Status.AKTIV, extern_id__startswith="demo-risk-").update(
            uppdaterad=tid
        )
        return version

    def under_aret(self, analys):
        # The nämnd's decision changed the risks in the database (status, in the register
        # from): the steps below save the instances whole.
        for risk in self.risker.values():
            risk.refresh_from_db()
        # Re-assessed after the actions took effect, and after a new event.
        dag = self.i_ar(0.35)
        r02 = self.risker["demo-risk-02"]
        self.bedom(
            r02,
            dag,
            3,
            4,
            "Veckovisa genomgångar har införts; 93 % bedöms nu inom 14 dagar.",
            av=self.chef(r02.enhet.kod),
        )
        dag = self.i_ar(0.6)
        r04 = self.risker["demo-risk-04"]
        self.bedom(
            r04,
            dag,
            2,
            4,
            "Dörrlarm och nattronder har minskat antalet avvikelser från boendet.",
            av=self.chef(r04.enhet.kod),
        )

        # Removed: the waiting times are gone.
        dag = self.i_ar(0.75)
        r10 = self.risker["demo-risk-10"]
        tid = self.pa(dag, 13)
        _res, fore = self.baktid(
            tid,
            lambda: r10.ta_bort(
                av=self.chef(r10.enhet.kod),
                kommentar="Öppenvården har utökats med två behandlare; väntetiden till "
                "första samtalet är under två veckor sedan våren.",
            ),
        )
        Risk.objects.filter(pk=r10.pk).update(borttagen=dag, uppdaterad=tid)
        Risk.history.filter(history_id__gt=fore["risk"], id=r10.pk).update(borttagen=dag)

        # Two new proposals, waiting for the next version.
        for andel, r in zip((0.85, 0.93), NYA, strict=True):
            dag = self.i_ar(andel)
            self.foresla(r, dag, av=self.chef(r.enhet), oversyn=self.idag + timedelta(days=180))

        # Last updates of the re-assessed risks.
        for risk in (r02, r04):
            senaste = risk.timeline.aggregate(m=Max("skapad"))["m"]
            Risk.objects.filter(pk=risk.pk).update(uppdaterad=senaste)

        # The draft of version 2.
        if not Registerversion.objects.filter(status="utkast").exists():
            self.forbered(
                self.pa(self.idag - timedelta(days=3), 9),
                "Utkast till version 2: två nya risker föreslås (nattbemanning på HVB och "
                "bytet av verksamhetssystem), två risker har sänkts efter genomförda "
                "åtgärder och en har tagits bort.",
            )


def sammanfattning() -> str:
    demo = Risk.objects.filter(extern_id__startswith="demo-risk-")
    per_status = dict(demo.values_list("status").annotate(n=Count("pk")))
    versioner = Registerversion.objects.count()
    analyser = Riskanalys.objects.filter(status=Analysstatus.KLAR).count()
    return (
        f"Demorisker: {demo.count()} ("
        + ", ".join(
            f"{Status(s).label.lower()} {per_status[s]}" for s in Status.values if s in per_status
        )
        + f"); riskanalyser klara {analyser}; versioner av riskregistret {versioner}."
    )


def skapa(demo: Demo) -> list[str]:
    """The demo step of the risk register (`RiskregisterConfig.demodata`)."""
    nya = Demoregister(demo).skapa()
    demo.nya.append(f"Nya demorisker: {nya}.")
    return [sammanfattning()]
