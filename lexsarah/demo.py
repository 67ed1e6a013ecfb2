"""Demo lex Sarah cases for `seed_demo`: a handful over the demo organisation's units and
the last two years, taken through the workflow the way the people in the flow would
have (docs/arbetsfloden.md, DOMAIN.md §4.3).

- The two avvikelser the förvaltningschef judged an allvarligt missförhållande (the
  avvikelser step marks them without opening their lex Sarah case) get theirs, linked
  to the avvikelse: the older goes all the way – investigation with a händelseförlopp,
  bedömning, anmälan to IVO, the nämnd's decision, IVO's decision, the follow-up of the
  action plan, an approved anonymised summary, closed; the other is under
  investigation with the utredare, sent back once for completion.
- Four rapporter from staff: one decided, waiting for its follow-up; one under
  investigation; one just reported, from the demo `medarbetare`, who also reported one
  closed the year before and so sees both a status and the feedback.

Every step is the model's own step method, called as the user who takes it in the
browser (with its checks, history and timeline); what a step stamps with today's date
(the decision to investigate, the bedömning, closing ...) and the times the engine
writes are then moved to the historic moment, and the deadline recomputed by the model.
Notifications are not queued (demo data sends no e-mail). Cases are keyed by
`extern_id` ("demo-ls-…"); one that exists is left untouched, so a second run creates
nothing. The avvikelser are found by name (`apps.get_model`): case apps never import
each other; without that app only the staff rapporter are written.

Clients are "ungdomen", "familjehemmet", "den enskilde"; staff are named by role.
"""

import contextlib
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils import timezone

from kvalitet.demo import SLUMPFRO, Atgardsmall, Demo, Demobyggare
from kvalitet.models import Atgardstyp, CaseLink, Orsaksomrade, Roll, TimelineEntry

from .choices import (
    Beslutsfattare,
    Informerad,
    IvoUtfall,
    Kalla,
    Klassning,
    Risk,
    Status,
    Vag,
)
from .models import LexSarah, plus_manader


class Framtid(Exception):
    """The next step would lie after now: the case stops where it is."""


# What a step stamps with today (or now), moved to the moment the step was taken.
STAMPLAR = {
    "registrera_omedelbara": ("omedelbara_datum",),
    "inled_utredning": ("utredning_inledd",),
    "bedom": ("bedomd",),
    "lamna_forslag": ("utredning_klar",),
    "avsluta": ("avslutad",),
    "godkann_sammanfattning": ("anonym_godkand",),
}

O_PROCESS = "Processer och rutiner"
O_INFO = "Information och kommunikation"
O_KOMPETENS = "Kompetens"
O_ORG = "Organisation och bemanning"
O_TEKNIK = "Teknik och verksamhetssystem"


@dataclass(frozen=True)
class Rapport:
    """A lex Sarah rapport from staff: who, where, how long ago, how far it got."""

    extern_id: str
    alder: int  # days ago it was reported
    enhet: str
    rapportor: str
    status: str
    beskrivning: str
    kalla: str
    vidtaget_direkt: str
    handelse_dagar_fore: int  # the event, this many days before the rapport


RAPPORTER = [
    Rapport(
        "demo-ls-01",
        560,
        "MYN-EKB",
        "medarbetare",
        Status.AVSLUTAD,
        "En kvinna som berättade att hon utsatts för våld av sin partner ansökte om "
        "ekonomiskt bistånd. Ansökan handlades som en vanlig ansökan och hon fick vänta tre "
        "veckor på ett första samtal, utan att någon bedömde hennes och barnens säkerhet.",
        Kalla.ENSKILD,
        "Ett samtal bokades samma dag och ärendet fördes över till enheten för våld i nära "
        "relationer.",
        2,
    ),
    Rapport(
        "demo-ls-02",
        170,
        "OPPEN-KOLL",
        "maja.holm",
        Status.BESLUTAD,
        "Under en natt fanns bara en av två nattpersonal på HVB-hemmet eftersom en vikarie "
        "inte kom. En ungdom lämnade boendet under natten utan att det upptäcktes förrän vid "
        "morgonens rond.",
        Kalla.EGEN,
        "Ungdomen efterlystes och kom tillbaka på förmiddagen. Vårdnadshavarna och "
        "socialsekreteraren informerades samma morgon.",
        1,
    ),
    Rapport(
        "demo-ls-03",
        25,
        "MYN-BUF-FAM",
        "maria.olofsson",
        Status.UNDER_UTREDNING,
        "Familjehemmet för ett placerat barn har inte fått de uppföljningsbesök som "
        "nämnden ska göra. Inget besök har gjorts på fyra månader eftersom två tjänster i "
        "familjehemsgruppen är vakanta.",
        Kalla.EGEN,
        "Ett besök i familjehemmet är bokat nästa vecka.",
        0,
    ),
    Rapport(
        "demo-ls-04",
        3,
        "MYN-EKB",
        "medarbetare",
        Status.RAPPORTERAD,
        "En familj med två små barn fick sitt beslutade ekonomiska bistånd utbetalt två "
        "veckor för sent eftersom utbetalningen fastnade i attestkön. Familjen saknade pengar "
        "till mat och hyra.",
        Kalla.EGEN,
        "En akut utbetalning ordnades samma dag.",
        1,
    ),
]


@contextlib.contextmanager
def utan_utskick():
    """The steps notify as in the browser; demo data queues no e-mail (the outbox stays
    empty, docs: seed_demo)."""
    from kvalitet import notifieringar

    from . import models

    def ingen(*args, **kwargs):
        return []

    tidigare = (notifieringar.notifiera, models.notifiera)
    notifieringar.notifiera = models.notifiera = ingen
    try:
        yield
    finally:
        notifieringar.notifiera, models.notifiera = tidigare


def _senaste(qs, falt="pk"):
    return qs.order_by(f"-{falt}").values_list(falt, flat=True).first() or 0


def forlopp(*handelser: tuple[date, str]) -> list[dict]:
    """The händelseförlopp as the investigation form stores it, in date order."""
    return [{"datum": d.isoformat(), "text": t} for d, t in sorted(handelser, key=lambda h: h[0])]


class Demolexsarah(Demobyggare):
    """Writes the demo lex Sarah cases step by step through the workflow."""

    def __init__(self, demo: Demo):
        super().__init__(demo)
        self.fc = self.anvandare["forvaltningschef"]
        self.utredare = self.anvandare["utredare"]
        self.orsaker = {o.namn: o for o in Orsaksomrade.objects.all()}
        self.senast: datetime | None = None
        self.arende: LexSarah | None = None

    # People -----------------------------------------------------------------------------

    def chef(self, enhet):
        """The enhetschef of the case's unit (or the nearest unit above)."""
        return self.anvandare[self.demo.enhetschef(enhet.kod)]

    def avdelningschef(self, enhet):
        """The avdelningschef above the case's unit, who assigns the utredare."""
        koder = {e.pk: k for k, e in self.enheter.items()}
        kod = enhet.kod
        while kod is not None:
            for username, uppdrag in self.demo.uppdrag.items():
                if (Roll.AVDELNINGSCHEF, kod) in uppdrag:
                    return self.anvandare[username]
            kod = koder.get(self.enheter[kod].overordnad_id)
        return self.fc

    # Time --------------------------------------------------------------------------------

    def nasta(self, rng, min_dagar, max_dagar) -> datetime:
        """A moment `min_dagar`..`max_dagar` days after the previous step (`pa_dag`)."""
        dag = timezone.localdate(self.senast) + timedelta(rng.randint(min_dagar, max_dagar))
        return self.pa_dag(dag, rng)

    def pa_dag(self, dag: date, rng) -> datetime:
        """A moment in office hours on `dag`, after the previous step; `Framtid` if that
        is not yet."""
        t = self.kl(dag, rng)
        if self.senast and t <= self.senast:
            t = self.senast + timedelta(minutes=rng.randint(20, 90))
        if t >= self.nu - timedelta(minutes=5):
            raise Framtid
        return t

    # Steps ------------------------------------------------------------------------------

    def baktid(self, tid, gora):
        """Run `gora`, then date what it wrote (timeline, history, links) at `tid`.
        Returns (its result, the last history id before it)."""
        tl = _senaste(TimelineEntry.objects)
        hist = _senaste(LexSarah.history, "history_id")
        lank = _senaste(CaseLink.objects)
        resultat = gora()
        TimelineEntry.objects.filter(pk__gt=tl).update(skapad=tid)
        LexSarah.history.filter(history_id__gt=hist).update(history_date=tid)
        CaseLink.objects.filter(pk__gt=lank).update(skapad=tid)
        self.senast = tid
        return resultat, hist

    def steg(self, ls, namn, tid, av, **data):
        """Take the workflow step `namn` as `av` at `tid`, as the browser would."""
        _res, hist = self.baktid(tid, lambda: getattr(ls, namn)(av=av, **data))
        falt = STAMPLAR.get(namn)
        if not falt:
            return
        varden = {f: tid if f == "avslutad" else timezone.localdate(tid) for f in falt}
        for f, v in varden.items():
            setattr(ls, f, v)
        # The deadline follows the corrected dates, by the model's own rule (save()).
        ls.skip_history_when_saving = True
        try:
            ls.save(update_fields=["tidsfrist"])
        finally:
            del ls.skip_history_when_saving
        LexSarah.objects.filter(pk=ls.pk).update(**varden)
        LexSarah.history.filter(history_id__gt=hist).update(**varden, tidsfrist=ls.tidsfrist)

    def rapportera(self, tid, *, av, kalla_arende=None, vag=Vag.RAPPORT, **falt):
        """File the rapport at `tid` (numbered in its year)."""
        ls, _hist = self.baktid(
            tid,
            lambda: LexSarah.rapportera(
                av=av,
                kalla_arende=kalla_arende,
                vag=vag,
                rapporterad=tid,
                skapad=tid,
                **falt,
            ),
        )
        return ls

    def atgard(self, ls, mall, tid, *, av, ansvarig, rng, oppet):
        self.senast = tid
        return self.skapa_atgard(ls, mall, tid, av=av, ansvarig=ansvarig, rng=rng, oppet=oppet)

    def omraden(self, *namn):
        return [self.orsaker[n] for n in namn if n in self.orsaker]

    # The cases ----------------------------------------------------------------------------

    def skapa(self) -> int:
        planer = [*self.fran_avvikelser(), *self.rapporter()]
        planer.sort(key=lambda p: p[0])  # numbers follow the date reported
        with utan_utskick():
            for t0, bygg, rng in planer:
                self.senast, self.arende = None, None
                with contextlib.suppress(Framtid):
                    bygg(t0, rng)
                if self.arende is not None:
                    self.uppdatera_tid(self.arende, self.senast)
        return len(planer)

    def ny(self, ls):
        """The case being built (its last change is dated when it stops)."""
        self.arende = ls
        return ls

    def fran_avvikelser(self):
        """The avvikelser judged an allvarligt missförhållande without a lex Sarah case:
        the oldest is taken all the way, the others are under investigation."""
        try:
            Avvikelse = apps.get_model("avvikelser", "Avvikelse")
        except LookupError:
            return []
        ct = ContentType.objects.get_for_model(Avvikelse)
        har = set(LexSarah.objects.filter(kalla_typ=ct).values_list("kalla_id", flat=True))
        markerade = list(
            Avvikelse.objects.filter(
                extern_id__startswith="demo-avv-",
                fc_stallningstagande__in=("allvarligt", "lex_sarah"),
            )
            .select_related("enhet")
            .order_by("rapporterad", "pk")
        )
        planer = []
        for i, avv in enumerate(markerade):
            if avv.pk in har:
                continue
            extern_id = f"demo-ls-{avv.extern_id.removeprefix('demo-')}"
            if LexSarah.objects.filter(extern_id=extern_id).exists():
                continue
            rng = random.Random(SLUMPFRO + 100 + i)
            # The förvaltningschef's position was taken on fc_datum; the case is opened then.
            markerad = (
                avv.timeline.filter(typ=TimelineEntry.Typ.BESLUT)
                .order_by("-skapad")
                .values_list("skapad", flat=True)
                .first()
            ) or timezone.make_aware(datetime.combine(avv.fc_datum, time(13)))
            t0 = markerad + timedelta(minutes=rng.randint(15, 90))
            if t0 >= self.nu:
                continue
            bygg = self.hela_vagen if i == 0 else self.under_utredning

            def kor(t, rng, avv=avv, extern_id=extern_id, bygg=bygg):
                return bygg(avv, extern_id, t, rng)

            planer.append((t0, kor, rng))
        return planer

    def rapporter(self):
        finns = set(
            LexSarah.objects.filter(extern_id__in=[r.extern_id for r in RAPPORTER]).values_list(
                "extern_id", flat=True
            )
        )
        planer = []
        for i, r in enumerate(RAPPORTER):
            if r.extern_id in finns:
                continue
            rng = random.Random(SLUMPFRO + 200 + i)
            t0 = self.kl(self.idag - timedelta(days=r.alder), rng)
            if t0 >= self.nu - timedelta(minutes=5):
                t0 = self.nu - timedelta(hours=1)

            def kor(t, rng, r=r):
                return getattr(self, f"rapport_{r.extern_id[-2:]}")(r, t, rng)

            planer.append((t0, kor, rng))
        return planer

    def oppna_fran(self, avv, extern_id, t0):
        """The lex Sarah case of a marked avvikelse, as `LexSarah.fran_arende` opens it
        (same fields, same link, the position registered as the decision to
        investigate), at the time of the marking."""
        ls = self.ny(
            self.rapportera(
                t0,
                av=self.fc,
                kalla_arende=avv,
                vag=Vag.AVVIKELSE,
                extern_id=extern_id,
                enhet=avv.enhet,
                handelsedatum=avv.handelsedatum,
                beskrivning=LexSarah.beskrivning_fran(avv),
                kalla=Kalla.KOLLEGA,
                vidtaget_direkt=avv.omedelbara_atgarder,
            )
        )
        self.steg(
            ls,
            "inled_utredning",
            t0,
            self.fc,
            kommentar=f"Förvaltningschefens ställningstagande om {avv.nummer}: "
            f"{avv.lex_sarah_stallning}",
        )
        return ls

    def fran_rapport(self, r: Rapport, t0):
        enhet = self.enheter[r.enhet]
        return self.ny(
            self.rapportera(
                t0,
                av=self.anvandare[r.rapportor],
                extern_id=r.extern_id,
                enhet=enhet,
                handelsedatum=timezone.localdate(t0) - timedelta(days=r.handelse_dagar_fore),
                beskrivning=r.beskrivning,
                kalla=r.kalla,
                vidtaget_direkt=r.vidtaget_direkt,
            )
        )

    def inled(self, ls, rng, *, av=None, dagar=(1, 4)):
        """The förvaltningschef decides the investigation; the avdelningschef assigns the
        utredare."""
        self.steg(
            ls,
            "inled_utredning",
            self.nasta(rng, *dagar),
            self.fc,
            kommentar="Utredning enligt lex Sarah inleds.",
        )
        self.utse(ls, rng, av=av)

    def utse(self, ls, rng, *, av=None, dagar=(0, 2)):
        """The avdelningschef assigns the utredare."""
        self.steg(
            ls,
            "tilldela",
            self.nasta(rng, *dagar),
            av or self.avdelningschef(ls.enhet),
            handlaggare=self.utredare,
        )

    # The avvikelse taken all the way: the real case of DOMAIN.md §4.3 -------------------------

    def hela_vagen(self, avv, extern_id, t0, rng):
        ls = self.oppna_fran(avv, extern_id, t0)
        chef, avdchef = self.chef(ls.enhet), self.avdelningschef(ls.enhet)
        dag0 = timezone.localdate(t0)
        t = self.nasta(rng, 0, 0)
        self.steg(
            ls,
            "registrera_omedelbara",
            t,
            chef,
            omedelbara_atgarder="Brevet hämtades tillbaka oöppnat och beslutet skickades på "
            "nytt till rätt adress. Ungdomen och familjehemmet informerades om det inträffade.",
            stod_personal="Handläggaren fick stöd av enhetschefen i ett samtal samma dag.",
            informerad=Informerad.JA,
            informerad_datum=timezone.localdate(t),
            informerad_hur="Telefonsamtal med ungdomen och med familjehemmet.",
        )
        self.utse(ls, rng, dagar=(1, 4))

        # The investigation: three weeks of records, interviews and the deviation archive.
        t = self.nasta(rng, 14, 21)
        handelse = avv.handelsedatum or dag0
        self.steg(
            ls,
            "utred",
            t,
            self.utredare,
            bakgrund="Ungdomen är placerad i ett familjehem genom nämndens beslut. Ett "
            "sekretessbelagt beslut om fortsatt placering skulle skickas till ungdomen och "
            "vårdnadshavarna. Beslutet skickades med post till en adress där ingen av dem "
            "längre bodde.",
            metod="Journalen och utskickslistan i verksamhetssystemet; samtal med "
            "handläggaren, enhetschefen och registratorn. Avvikelserapporterna för de "
            "senaste fem åren har gåtts igenom efter liknande händelser. Ungdomen har fått "
            "komma till tals i ett samtal tillsammans med familjehemmet.",
            klient_hord=True,
            handelseforlopp=forlopp(
                (handelse - timedelta(days=6), "Beslut om fortsatt placering fattas."),
                (
                    handelse,
                    "Beslutet skickas med post. Adressen hämtas från en äldre "
                    "journalanteckning i stället för från folkbokföringen.",
                ),
                (
                    timezone.localdate(avv.rapporterad),
                    "Den som nu bor på adressen hör av sig och lämnar tillbaka brevet "
                    "oöppnat. En avvikelse rapporteras.",
                ),
                (
                    dag0,
                    "Förvaltningschefen bedömer händelsen som ett allvarligt missförhållande; "
                    "beslutet skickas på nytt till rätt adress.",
                ),
            ),
            orsaker="Den mänskliga faktorn samverkade med en otillräcklig rutin och "
            "otillförlitliga adressuppgifter. Adressen hämtades från en äldre "
            "journalanteckning; det fanns ingen kontroll av mottagare och adress före "
            "utskick av sekretessbelagda handlingar; adresserna i verksamhetssystemet "
            "uppdateras inte mot folkbokföringen.",
            orsaksomraden=self.omraden(O_PROCESS, O_TEKNIK),
            tidigare="En liknande händelse, ett beslut som skickades till en tidigare "
            "adress, finns bland avvikelserna; den ledde då till en muntlig påminnelse om "
            "rutinen men ingen ändring av den.",
            vidtagna_atgarder=f"{dag0:%Y-%m-%d} Beslutet skickades på nytt till rätt "
            "adress.\nRutinen för utskick gås igenom på arbetsplatsträff.",
        )
        tidigare = [
            a.arende
            for a in self.demo.avslutade.get("avvikelser", {}).get("adress", [])
            if a.arende.pk != avv.pk and a.oppnad < avv.rapporterad
        ]
        if tidigare:
            self.steg(
                ls, "lanka_liknande", self.nasta(rng, 0, 0), self.utredare, arenden=tidigare[-1:]
            )

        t = self.nasta(rng, 1, 3)
        self.steg(
            ls,
            "bedom",
            t,
            self.utredare,
            klassning=Klassning.ALLVARLIGT,
            risk_for_upprepning=Risk.LITEN,
            atgardsplan_kravs=True,
            bedomning="Sekretessbelagda uppgifter om ungdomens placering kunde bli kända för "
            "obehöriga, och ungdomens möjlighet att överklaga försenades en vecka. Händelsen "
            "bedöms som ett allvarligt missförhållande som ska anmälas till IVO. Med de "
            "åtgärder som vidtagits och planeras bedöms risken för upprepning som liten.",
        )
        t = self.nasta(rng, 1, 3)
        self.steg(
            ls,
            "anmal_ivo",
            t,
            self.fc,
            ivo_anmald=timezone.localdate(t),
            ivo_diarienummer=f"3.1.1-{rng.randint(10000, 99999)}/{t.year}",
            ivo_anmalan="Anmälan enligt lex Sarah. Ett sekretessbelagt beslut om en placerad "
            "ungdom skickades till en adress som inte längre var aktuell. Brevet kom tillbaka "
            "oöppnat. Utredningen pågår; den skickas till IVO när nämnden har beslutat.",
        )
        self.steg(
            ls,
            "skriv_tjansteskrivelse",
            self.nasta(rng, 2, 6),
            self.utredare,
            sammanfattning_namnd="Ett sekretessbelagt beslut om en placerad ungdom skickades "
            "till en adress som inte längre var aktuell. Utredningen visar att den mänskliga "
            "faktorn samverkade med en otillräcklig rutin och otillförlitliga "
            "adressuppgifter. Händelsen har anmälts till IVO. Ett försättsblad med mottagare "
            "och adress införs och rutinen gås igenom med personalen.",
            forslag_till_beslut="Socialnämnden godkänner utredningen enligt lex Sarah och "
            "överlämnar den till IVO.",
            handlingar="Utredning enligt lex Sarah\nAnmälan till IVO",
            skickas_till="IVO\nAvdelningschefen, myndighetsavdelningen",
        )
        # The action plan.
        t = self.nasta(rng, 0, 1)
        self.atgard(
            ls,
            Atgardsmall(
                "Försättsblad med mottagare och adress vid utskick",
                Atgardstyp.RUTIN,
                "Beslut som skickas med post får ett försättsblad där handläggaren "
                "kontrollerar mottagare och adress mot folkbokföringen och signerar.",
                "Inga sekretessbelagda handlingar skickas till fel adress.",
                "Försättsbladet användes i alla granskade utskick.",
                "Inga nya beslut till fel adress vid uppföljningen efter sex månader.",
            ),
            t,
            av=avdchef,
            ansvarig=chef,
            rng=rng,
            oppet=False,
        )
        self.atgard(
            ls,
            Atgardsmall(
                "Rutinen för utskick gås igenom på arbetsplatsträff",
                Atgardstyp.INFORMATION,
                "Enhetschefen går igenom rutinen för utskick av sekretessbelagda handlingar "
                "med all personal på en arbetsplatsträff.",
                "Personalen känner till och följer rutinen.",
                "Alla handläggare har deltagit eller tagit del av minnesanteckningarna.",
            ),
            t + timedelta(minutes=10),
            av=avdchef,
            ansvarig=chef,
            rng=rng,
            oppet=False,
        )
        self.senast = t + timedelta(minutes=10)
        self.steg(ls, "lamna_forslag", self.nasta(rng, 1, 4), avdchef)

        # The nämnd decides at its next meeting.
        t = self.nasta(rng, 10, 20)
        dag = timezone.localdate(t)
        self.steg(
            ls,
            "besluta",
            t,
            self.fc,
            beslutsfattare=Beslutsfattare.NAMND,
            beslutad=dag,
            beslut_text=ls.forslag_till_beslut,
            diarienummer=f"SOCN/{dag.year}:25",
            sammantradesdatum=dag,
            paragraf="§ 45",
        )
        beslutad = dag
        t = self.nasta(rng, 20, 35)
        svar = timezone.localdate(t) + timedelta(days=rng.randint(5, 10))
        if svar < self.idag:
            self.steg(
                ls,
                "ivo_fraga",
                t,
                self.fc,
                fraga_datum=timezone.localdate(t),
                fraga="IVO begär nämndens utredning, beslutet och åtgärdsplanen.",
                svar_datum=svar,
                svar="Utredningen, protokollsutdraget och åtgärdsplanen skickades till IVO.",
            )
        t = self.nasta(rng, 60, 90)
        self.steg(
            ls,
            "registrera_ivo_beslut",
            t,
            self.fc,
            ivo_beslut=timezone.localdate(t),
            ivo_utfall=IvoUtfall.UTAN_KRITIK,
            ivo_kommentar="IVO avslutar ärendet. Nämnden har utrett händelsen och vidtagit "
            "åtgärder för att förhindra att den upprepas.",
        )
        # The follow-up six months after the decision.
        t = self.pa_dag(max(plus_manader(beslutad, 6), timezone.localdate(self.senast)), rng)
        self.steg(
            ls,
            "folj_upp",
            t,
            chef,
            uppfoljd=timezone.localdate(t),
            uppfoljning="Försättsbladet används i alla utskick som granskats. Inga nya beslut "
            "har skickats till fel adress sedan åtgärderna infördes. Rutinen finns i "
            "introduktionen för nyanställda.",
        )
        self.steg(
            ls,
            "sammanfatta",
            self.nasta(rng, 0, 3),
            chef,
            anonym_sammanfattning="Ett sekretessbelagt beslut skickades till en adress som "
            "inte längre var aktuell. Orsaken var främst en otillräcklig rutin för kontroll "
            "av adress före utskick. Ett försättsblad med mottagare och adress har införts "
            "och rutinen har gåtts igenom med personalen. IVO avslutade ärendet utan kritik.",
        )
        self.steg(ls, "godkann_sammanfattning", self.nasta(rng, 1, 4), self.fc)
        self.steg(
            ls,
            "avsluta",
            self.nasta(rng, 0, 2),
            chef,
            aterkoppling="Tack för din rapport. Händelsen har utretts och anmälts till IVO, "
            "som har avslutat ärendet utan kritik. Ett försättsblad med mottagare och adress "
            "används nu vid alla utskick.",
        )
        return ls

    # An avvikelse under investigation ------------------------------------------------------

    def under_utredning(self, avv, extern_id, t0, rng):
        ls = self.oppna_fran(avv, extern_id, t0)
        chef, avdchef = self.chef(ls.enhet), self.avdelningschef(ls.enhet)
        dag0 = timezone.localdate(t0)
        t = self.nasta(rng, 0, 0)
        self.steg(
            ls,
            "registrera_omedelbara",
            t,
            chef,
            omedelbara_atgarder="Familjen erbjöds skyddat boende samma dag och polisen "
            "informerades. Händelsen anmäldes som personuppgiftsincident.",
            stod_personal="Handläggaren erbjöds samtal med företagshälsovården.",
            informerad=Informerad.JA,
            informerad_datum=timezone.localdate(t),
            informerad_hur="Möte med den enskilde tillsammans med stödpersonen.",
        )
        self.utse(ls, rng)
        handelse = avv.handelsedatum or dag0
        self.steg(
            ls,
            "utred",
            self.nasta(rng, 6, 12),
            self.utredare,
            bakgrund="Den enskilde och hennes barn har skyddade personuppgifter. I ett brev "
            "till den andra föräldern fanns en bilaga där deras adress inte var maskerad.",
            metod="Journalen och det skickade brevet med bilaga; samtal med handläggaren och "
            "enhetschefen. Den enskilde har hörts.",
            klient_hord=True,
            handelseforlopp=forlopp(
                (handelse, "Brevet med den omaskerade bilagan skickas."),
                (
                    timezone.localdate(avv.rapporterad),
                    "Den enskilde hör av sig; en avvikelse rapporteras.",
                ),
                (dag0, "Förvaltningschefen bedömer händelsen som ett allvarligt missförhållande."),
            ),
            orsaker="Markeringen om skyddade personuppgifter syntes inte i den mall som "
            "användes för bilagan, och brevet granskades inte av någon annan före utskick.",
            orsaksomraden=self.omraden(O_PROCESS, O_TEKNIK, O_KOMPETENS),
            tidigare="",
            vidtagna_atgarder="Alla utskick i ärenden med skyddade personuppgifter "
            "granskas av två personer tills vidare.",
        )
        self.steg(
            ls,
            "bedom",
            self.nasta(rng, 0, 1),
            self.utredare,
            klassning=Klassning.ALLVARLIGT,
            risk_for_upprepning=Risk.MATTLIG,
            atgardsplan_kravs=True,
            bedomning="Uppgifter om var den enskilde och barnen bor röjdes för den person de "
            "skyddas mot. Händelsen bedöms som ett allvarligt missförhållande.",
        )
        t = self.nasta(rng, 0, 2)
        self.steg(
            ls,
            "anmal_ivo",
            t,
            self.fc,
            ivo_anmald=timezone.localdate(t),
            ivo_diarienummer=f"3.1.1-{rng.randint(10000, 99999)}/{t.year}",
            ivo_anmalan="Anmälan enligt lex Sarah: en skyddad adress röjdes i en bilaga till "
            "ett brev. Utredningen pågår.",
        )
        self.steg(
            ls,
            "skriv_tjansteskrivelse",
            self.nasta(rng, 5, 10),
            self.utredare,
            sammanfattning_namnd="En adress som omfattas av skyddade personuppgifter röjdes i "
            "en bilaga till ett brev. Händelsen har anmälts till IVO.",
            forslag_till_beslut="Socialnämnden godkänner utredningen enligt lex Sarah.",
            handlingar="Utredning enligt lex Sarah\nAnmälan till IVO",
            skickas_till="IVO",
        )
        # The action plan the bedömning requires, before the proposal.
        self.atgard(
            ls,
            Atgardsmall(
                "Dubbelkontroll av utskick vid skyddade personuppgifter",
                Atgardstyp.RUTIN,
                "Utskick i ärenden med skyddade personuppgifter granskas av två personer, och "
                "mallarna visar markeringen på varje sida.",
                "Ingen skyddad adress röjs i ett utskick.",
                "",
            ),
            self.nasta(rng, 0, 1),
            av=avdchef,
            ansvarig=chef,
            rng=rng,
            oppet=True,
        )
        self.steg(ls, "lamna_forslag", self.nasta(rng, 1, 3), avdchef)
        self.steg(
            ls,
            "begar_komplettering",
            self.nasta(rng, 2, 6),
            self.fc,
            kommentar="Komplettera med hur markeringen av skyddade personuppgifter visas i "
            "verksamhetssystemets mallar, och med IT-enhetens bedömning av en teknisk "
            "spärr.",
        )
        t = self.nasta(rng, 10, 20)
        self.steg(
            ls,
            "ivo_fraga",
            t,
            self.fc,
            fraga_datum=timezone.localdate(t),
            fraga="IVO begär nämndens utredning och åtgärdsplan när den är klar.",
        )
        return ls

    # The staff rapporter -------------------------------------------------------------------

    def rapport_01(self, r, t0, rng):
        """Closed the year before: a missförhållande, decided by the förvaltningschef,
        the action plan followed up; the reporter got the feedback."""
        ls = self.fran_rapport(r, t0)
        chef, avdchef = self.chef(ls.enhet), self.avdelningschef(ls.enhet)
        t = self.nasta(rng, 0, 1)
        self.steg(
            ls,
            "registrera_omedelbara",
            t,
            chef,
            omedelbara_atgarder="Ett samtal hölls samma dag och den enskildes och barnens "
            "säkerhet bedömdes. Ärendet fördes över till enheten för våld i nära relationer.",
            stod_personal="",
            informerad=Informerad.JA,
            informerad_datum=timezone.localdate(t),
            informerad_hur="Samtal på kontoret.",
        )
        self.inled(ls, rng)
        self.steg(
            ls,
            "utred",
            self.nasta(rng, 10, 20),
            self.utredare,
            bakgrund="Den enskilde ansökte om ekonomiskt bistånd och berättade i ansökan att "
            "hon lämnat en våldsam partner.",
            metod="Journalen och ansökan; samtal med mottagningens handläggare och "
            "enhetschefen. Den enskilde har hörts.",
            klient_hord=True,
            handelseforlopp=forlopp(
                (timezone.localdate(t0) - timedelta(days=23), "Ansökan kommer in."),
                (timezone.localdate(t0) - timedelta(days=2), "Första samtalet hålls."),
                (timezone.localdate(t0), "Rapport enligt lex Sarah."),
            ),
            orsaker="Mottagningen saknade en rutin för att uppmärksamma uppgifter om våld i "
            "ansökningar, och nya handläggare hade inte fått utbildning om våld i nära "
            "relationer.",
            orsaksomraden=self.omraden(O_PROCESS, O_KOMPETENS),
            tidigare="",
            vidtagna_atgarder="Ansökningar där våld nämns prioriteras och lämnas samma dag "
            "till en handläggare med utbildning om våld i nära relationer.",
        )
        self.steg(
            ls,
            "bedom",
            self.nasta(rng, 1, 3),
            self.utredare,
            klassning=Klassning.MISSFORHALLANDE,
            risk_for_upprepning=Risk.MATTLIG,
            atgardsplan_kravs=True,
            bedomning="Den enskildes och barnens behov av skydd bedömdes inte i tid. "
            "Händelsen bedöms som ett missförhållande; den behöver inte anmälas till IVO.",
        )
        self.steg(
            ls,
            "skriv_tjansteskrivelse",
            self.nasta(rng, 1, 4),
            self.utredare,
            sammanfattning_namnd="En ansökan om ekonomiskt bistånd där den sökande berättade "
            "om våld i en nära relation handlades utan att säkerheten bedömdes.",
            forslag_till_beslut="Förvaltningschefen godkänner utredningen och åtgärdsplanen.",
            handlingar="Utredning enligt lex Sarah",
            skickas_till="Avdelningschefen, myndighetsavdelningen",
        )
        self.atgard(
            ls,
            Atgardsmall(
                "Rutin för prioritering av ansökningar vid våld i nära relation",
                Atgardstyp.RUTIN,
                "Mottagningen frågar om våld i varje ansökan och lämnar uppgifter om våld "
                "samma dag till en handläggare med utbildning.",
                "Den som utsatts för våld får en säkerhetsbedömning samma dag.",
                "Rutinen följdes i alla granskade ansökningar.",
            ),
            self.nasta(rng, 0, 1),
            av=avdchef,
            ansvarig=chef,
            rng=rng,
            oppet=False,
        )
        self.steg(ls, "lamna_forslag", self.nasta(rng, 1, 3), avdchef)
        t = self.nasta(rng, 3, 8)
        self.steg(
            ls,
            "besluta",
            t,
            self.fc,
            beslutsfattare=Beslutsfattare.FORVALTNINGSCHEF,
            beslutad=timezone.localdate(t),
            beslut_text=ls.forslag_till_beslut,
            diarienummer=f"SOCN/{t.year}:{rng.randint(30, 90)}",
        )
        t = self.pa_dag(plus_manader(timezone.localdate(t), 6), rng)
        self.steg(
            ls,
            "folj_upp",
            t,
            chef,
            uppfoljd=timezone.localdate(t),
            uppfoljning="Rutinen följs: i tio granskade ansökningar där våld nämndes gjordes "
            "en säkerhetsbedömning samma dag.",
        )
        self.steg(
            ls,
            "avsluta",
            self.nasta(rng, 0, 3),
            chef,
            aterkoppling="Tack för din rapport. Utredningen visade att vi saknade en rutin för "
            "ansökningar där någon berättar om våld. Nu finns rutinen och den följs.",
        )
        return ls

    def rapport_02(self, r, t0, rng):
        """Decided a few months ago; the action plan is followed up later."""
        ls = self.fran_rapport(r, t0)
        chef, avdchef = self.chef(ls.enhet), self.avdelningschef(ls.enhet)
        t = self.nasta(rng, 0, 0)
        self.steg(
            ls,
            "registrera_omedelbara",
            t,
            chef,
            omedelbara_atgarder="Ungdomen efterlystes och kom tillbaka på förmiddagen. En "
            "extra nattpersonal sattes in resten av veckan.",
            stod_personal="Nattpersonalen fick samtal med föreståndaren.",
            informerad=Informerad.JA,
            informerad_datum=timezone.localdate(t),
            informerad_hur="Telefonsamtal med vårdnadshavarna och socialsekreteraren.",
        )
        self.inled(ls, rng)
        self.steg(
            ls,
            "utred",
            self.nasta(rng, 10, 18),
            self.utredare,
            bakgrund="Ungdomen är placerad på HVB-hemmet. Hemmet ska ha två nattpersonal.",
            metod="Schema och bemanningslistor; samtal med nattpersonalen och "
            "föreståndaren. Ungdomen har hörts.",
            klient_hord=True,
            handelseforlopp=forlopp(
                (
                    timezone.localdate(t0) - timedelta(days=1),
                    "Vikarien till nattpasset kommer inte; ingen ersättare hittas.",
                ),
                (timezone.localdate(t0), "Ungdomen saknas vid morgonens rond och efterlyses."),
            ),
            orsaker="Det fanns ingen reservlista för nattpass, och rutinen för vad "
            "nattpersonalen gör när de är ensamma var okänd för vikarier.",
            orsaksomraden=self.omraden(O_ORG, O_PROCESS),
            tidigare="",
            vidtagna_atgarder="Bemanningen kontrolleras vid dagpassets slut.",
        )
        self.steg(
            ls,
            "bedom",
            self.nasta(rng, 1, 3),
            self.utredare,
            klassning=Klassning.PATAGLIG_RISK,
            risk_for_upprepning=Risk.MATTLIG,
            atgardsplan_kravs=True,
            bedomning="Ungdomen lämnades utan den tillsyn som placeringen förutsätter. "
            "Händelsen bedöms som en påtaglig risk för missförhållande.",
        )
        self.steg(
            ls,
            "skriv_tjansteskrivelse",
            self.nasta(rng, 1, 4),
            self.utredare,
            sammanfattning_namnd="En natt fanns bara en av två nattpersonal på HVB-hemmet och "
            "en ungdom lämnade boendet utan att det upptäcktes.",
            forslag_till_beslut="Förvaltningschefen godkänner utredningen och åtgärdsplanen.",
            handlingar="Utredning enligt lex Sarah",
            skickas_till="Avdelningschefen, öppenvårdsavdelningen",
        )
        self.atgard(
            ls,
            Atgardsmall(
                "Reservlista för nattbemanning",
                Atgardstyp.ORGANISATION,
                "En reservlista med vikarier för nattpass, som dagpersonalen ringer om "
                "nattpersonal saknas.",
                "Hemmet har alltid två nattpersonal.",
                "",
            ),
            self.nasta(rng, 0, 1),
            av=avdchef,
            ansvarig=chef,
            rng=rng,
            oppet=True,
        )
        self.steg(ls, "lamna_forslag", self.nasta(rng, 1, 3), avdchef)
        t = self.nasta(rng, 3, 8)
        self.steg(
            ls,
            "besluta",
            t,
            self.fc,
            beslutsfattare=Beslutsfattare.FORVALTNINGSCHEF,
            beslutad=timezone.localdate(t),
            beslut_text=ls.forslag_till_beslut,
            diarienummer=f"SOCN/{t.year}:{rng.randint(30, 90)}",
        )
        return ls

    def rapport_03(self, r, t0, rng):
        """Under investigation with the utredare."""
        ls = self.fran_rapport(r, t0)
        chef = self.chef(ls.enhet)
        t = self.nasta(rng, 0, 1)
        self.steg(
            ls,
            "registrera_omedelbara",
            t,
            chef,
            omedelbara_atgarder="Ett besök i familjehemmet bokades inom en vecka och "
            "familjehemmet fick en kontaktperson under vakansen.",
            stod_personal="",
            informerad=Informerad.NEJ,
            ej_informerad_skal="Barnet informeras vid besöket i familjehemmet.",
        )
        self.inled(ls, rng)
        self.steg(
            ls,
            "utred",
            self.nasta(rng, 3, 8),
            self.utredare,
            bakgrund="Barnet är placerat i familjehemmet sedan tre år.",
            metod="Journalen och besöksplaneringen; samtal med familjehemssekreteraren och "
            "enhetschefen. Barnet och familjehemmet ska höras.",
            klient_hord=None,
            handelseforlopp=[],
            orsaker="",
            orsaksomraden=[],
            tidigare="",
            vidtagna_atgarder="",
        )
        return ls

    def rapport_04(self, r, t0, rng):
        """Just reported by the demo medarbetare; the förvaltningschef has not decided yet."""
        ls = self.fran_rapport(r, t0)
        t = self.nasta(rng, 0, 1)
        self.steg(
            ls,
            "registrera_omedelbara",
            t,
            self.chef(ls.enhet),
            omedelbara_atgarder="En akut utbetalning gjordes samma dag och familjen fick "
            "matkort i väntan på pengarna.",
            stod_personal="",
            informerad=Informerad.JA,
            informerad_datum=timezone.localdate(t),
            informerad_hur="Telefonsamtal med föräldern.",
        )
        return ls


def sammanfattning() -> str:
    """What the demo lex Sarah cases look like now (all of them)."""
    demo = LexSarah.objects.filter(extern_id__startswith="demo-ls-")
    per_status = dict(demo.values_list("status").annotate(n=Count("pk")))
    return (
        f"Demoärenden enligt lex Sarah: {demo.count()} ("
        + ", ".join(
            f"{Status(s).label.lower()} {per_status[s]}" for s in Status.values if s in per_status
        )
        + f"); anmälda till IVO {demo.filter(ivo_anmald__isnull=False).count()}."
    )


def skapa(demo: Demo) -> list[str]:
    """The demo step of lex Sarah (`LexSarahConfig.demodata`)."""
    nya = Demolexsarah(demo).skapa()
    demo.nya.append(f"Nya demoärenden enligt lex Sarah: {nya}.")
    return [sammanfattning()]
