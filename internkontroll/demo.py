"""Demo internkontroll for `seed_demo` (DOMAIN.md §4.5), the plan side; the egenkontroll
side comes from `demo_egen.skapa_egenkontroll`, called from here.

- The internkontrollplan 2025, prepared by the kvalitetssamordnare in the autumn of 2024
  and decided by the nämnd on 21 November 2024: a central control (CENT 1) and four of
  the nämnd's own, one of them on the risk that orosanmälningar are not assessed within
  14 days. Every 2025 occasion has its result: most without remarks, a few with minor
  shortcomings, one with significant shortcomings (decisions on ekonomiskt bistånd above
  the delegation) that led to an improvement action; a late förhandsbedömning found by
  the review was reported as an avvikelse, created from the result.
- The internkontrollredovisning 2025, decided by the nämnd on 19 February 2026.
- The internkontrollplan 2026, started from the risk register's high risks
  (`Internkontrollplan.skapa(fran="register")`), its rows completed and three controls
  added, decided on 20 November 2025. The occasions due before today have their
  results, except one that is overdue; after a good result the chef re-assessed the
  control's risk (`Kontrolltillfalle.bedom_risken`).

Every step is the model's own (`skapa`, `faststall`, `registrera`, `bedom_risken`, the
redovisning's `skriv_sammanfattning`), called as the user who takes it in the browser,
so the content is frozen as at a real decision; the times it writes (timeline, history,
links, assessments) and what it stamps with now are then moved to the historic moment.
The decided versions' PDFs are archived after the commit, as in the browser.

A year that already has a plan (or a redovisning) is left as it is, so a second run
writes nothing. The avvikelse is found through the case types (`kvalitet.arendetyper`):
internkontroll imports no case app.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from kvalitet import arendetyper
from kvalitet.demo import SLUMPFRO, Atgardsmall, Demo, Demobyggare
from kvalitet.models import Atgard, Atgardstyp, Beslutsstatus, CaseLink, TimelineEntry

from .choices import Bedomning, Metod, Periodicitet, Tillfallestatus
from .models import Internkontrollplan, Internkontrollredovisning, Kontroll, Kontrolltillfalle

AR_1, AR_2 = 2025, 2026
# The nämnd's meetings: (date, §, diarienummer).
BESLUT_PLAN_1 = (date(2024, 11, 21), "142", "SN 2024/98")
BESLUT_REDOVISNING_1 = (date(2026, 2, 19), "18", "SN 2026/14")
BESLUT_PLAN_2 = (date(2025, 11, 20), "131", "SN 2025/201")

U, M, V = Bedomning.UTAN_ANMARKNING, Bedomning.MINDRE_BRISTER, Bedomning.VASENTLIGA_BRISTER


@dataclass(frozen=True)
class Rad:
    """A row of a demo plan."""

    kod: str
    enhet: str
    process: str
    kontrollmoment: str
    metod: str
    periodicitet: str
    omfattning: str = ""
    risk: str = ""  # a demo risk's extern_id
    central: bool = False
    rapporteras_nar: str = "Vid tertialrapporterna och i internkontrollredovisningen"


@dataclass(frozen=True)
class Utfall:
    """A result: the assessment, how many checked and how many deviations, the comment."""

    bedomning: str
    antal: int | None = None
    avvikelser: int | None = None
    kommentar: str = ""


CENT_1 = Rad(
    "CENT 1",
    "STAB",
    "Mål och uppföljning",
    "Andel resultatmål som kan kopplas till alla inriktningsmål",
    Metod.BERAKNING,
    Periodicitet.TERTIALVIS,
    "Nämndens samtliga resultatmål",
    central=True,
)
LON = Rad(
    "SN 1",
    "STAB",
    "Lön och personal",
    "Att rätt lön betalas ut",
    Metod.STICKPROV,
    Periodicitet.HALVARSVIS,
    "25 slumpvis valda lönebesked per halvår",
)
BISTAND = Rad(
    "SN 2",
    "MYN-EKB",
    "Ekonomiskt bistånd",
    "Att beslut om ekonomiskt bistånd är fattade enligt delegation",
    Metod.STICKPROV,
    Periodicitet.KVARTALSVIS,
    "20 slumpvis valda beslut per kvartal",
)
FORHANDSBEDOMNING = Rad(
    "SN 3",
    "MYN-BUV",
    "Mottagning och förhandsbedömning",
    "Att förhandsbedömningar görs inom 14 dagar",
    Metod.JOURNALGRANSKNING,
    Periodicitet.TERTIALVIS,
    "15 akter med orosanmälningar per tertial",
    risk="demo-risk-02",
)
GENOMFORANDEPLANER = Rad(
    "SN 4",
    "OPPEN-KOLL",
    "Genomförandeplaner på HVB",
    "Att genomförandeplaner upprättas inom fyra veckor",
    Metod.DOKUMENTKONTROLL,
    Periodicitet.HALVARSVIS,
    "Samtliga ungdomar som placerats under halvåret",
    risk="demo-risk-09",
)

PLAN_1 = [CENT_1, LON, BISTAND, FORHANDSBEDOMNING, GENOMFORANDEPLANER]

# Every 2025 result, by control and occasion.
UTFALL_1 = {
    "CENT 1": [
        Utfall(U, 12, 0),
        Utfall(
            M, 12, 2, "Två av tolv resultatmål saknar koppling till inriktningsmålet om trygghet."
        ),
        Utfall(U, 12, 0),
    ],
    "SN 1": [Utfall(U, 25, 0), Utfall(U, 25, 0)],
    "SN 2": [
        Utfall(U, 20, 0),
        Utfall(
            V,
            20,
            4,
            "Fyra av tjugo beslut om ekonomiskt bistånd över 10 000 kronor fattades av "
            "socialsekreterare utan delegation för beloppet. Besluten har granskats i efterhand "
            "och var riktiga i sak.",
        ),
        Utfall(U, 20, 0),
        Utfall(U, 20, 0),
    ],
    "SN 3": [
        Utfall(
            M,
            15,
            3,
            "Tre av femton förhandsbedömningar blev klara efter mer än 14 dagar, den längsta "
            "efter 31 dagar.",
        ),
        Utfall(U, 15, 0),
        Utfall(U, 15, 0),
    ],
    "SN 4": [
        Utfall(
            M,
            8,
            2,
            "Två av åtta genomförandeplaner upprättades efter fem respektive sex veckor.",
        ),
        Utfall(U, 7, 0),
    ],
}

ATGARD_BISTAND = Atgardsmall(
    "Spärr i verksamhetssystemet för belopp över delegationen",
    Atgardstyp.TEKNIK,
    "Beslut över delegationens belopp kan inte attesteras av handläggaren; de går till "
    "enhetschefen. Delegationsordningen gås igenom på nästa arbetsplatsträff.",
    "Inga beslut fattas utan delegation.",
    "Inga beslut utan delegation vid de två följande kontrollerna.",
)

# The rows of the 2026 plan completed from the register's risks, by the risk's extern_id.
FRAN_RISK = {
    "demo-risk-01": (
        "Att sekretessbelagda beslut skickas till rätt adress",
        Metod.STICKPROV,
        Periodicitet.KVARTALSVIS,
        "10 utskick per kvartal",
    ),
    "demo-risk-02": (
        FORHANDSBEDOMNING.kontrollmoment,
        FORHANDSBEDOMNING.metod,
        FORHANDSBEDOMNING.periodicitet,
        FORHANDSBEDOMNING.omfattning,
    ),
    "demo-risk-04": (
        "Att nattronderna genomförs och dokumenteras varje timme",
        Metod.DOKUMENTKONTROLL,
        Periodicitet.KVARTALSVIS,
        "Nattrapporterna för två slumpvis valda veckor per kvartal",
    ),
    "demo-risk-05": (
        "Att nyanställda socialsekreterare har mentor och introduktionsplan",
        Metod.INTERVJU,
        Periodicitet.HALVARSVIS,
        "Samtliga nyanställda under halvåret",
    ),
    "demo-risk-07": (
        "Att placerade barn besöks minst fyra gånger per år",
        Metod.REGISTERUTTAG,
        Periodicitet.HALVARSVIS,
        "Samtliga placerade barn",
    ),
    "demo-risk-09": (
        GENOMFORANDEPLANER.kontrollmoment,
        GENOMFORANDEPLANER.metod,
        GENOMFORANDEPLANER.periodicitet,
        GENOMFORANDEPLANER.omfattning,
    ),
}

# 2026 results other than without remarks: (control id, occasion) → Utfall.
UTFALL_2 = {
    ("SN 1", 1): Utfall(
        M, 25, 1, "Ett lönebesked saknade OB-tillägg för två helger; rättat i nästa lön."
    ),
    ("CENT 1", 2): Utfall(
        M, 12, 1, "Ett resultatmål saknar fortfarande koppling till inriktningsmålen."
    ),
}


class Demointernkontroll(Demobyggare):
    """Writes the demo plans and the redovisning step by step at their historic moments."""

    def __init__(self, demo: Demo):
        super().__init__(demo)
        self.rng = random.Random(SLUMPFRO + 70)
        self.ks = self.anvandare["kvalitetssamordnare"]
        self.koder = {e.pk: k for k, e in self.enheter.items()}
        self.antal_tillfallen = 0

    # Time and dating -----------------------------------------------------------------------

    def pa(self, dag: date, timme: int = 10) -> datetime:
        """A moment on `dag`, local time, never after now."""
        t = timezone.make_aware(datetime.combine(dag, time(timme, self.rng.randint(0, 59))))
        return min(t, self.nu - timedelta(minutes=10))

    def baktid(self, tid: datetime, gora):
        """Run `gora`, then date what it wrote at `tid`: timeline, history, links and
        risk assessments."""
        from riskregister.models import Bedomning as Riskbedomning
        from riskregister.models import Risk

        historik = (
            Internkontrollplan,
            Internkontrollredovisning,
            Kontroll,
            Kontrolltillfalle,
            Risk,
        )
        fore = {m: m.history.aggregate(m=Max("history_id"))["m"] or 0 for m in historik}
        tl = TimelineEntry.objects.aggregate(m=Max("pk"))["m"] or 0
        lank = CaseLink.objects.aggregate(m=Max("pk"))["m"] or 0
        bedomning = Riskbedomning.objects.aggregate(m=Max("pk"))["m"] or 0
        resultat = gora()
        TimelineEntry.objects.filter(pk__gt=tl).update(skapad=tid)
        for m in historik:
            m.history.filter(history_id__gt=fore[m]).update(history_date=tid)
        CaseLink.objects.filter(pk__gt=lank).update(skapad=tid)
        Riskbedomning.objects.filter(pk__gt=bedomning).update(skapad=tid)
        return resultat

    # People --------------------------------------------------------------------------------

    def chef(self, enhet_id: int):
        """The chef of a unit (or of the nearest unit above that has one)."""
        return self.anvandare[self.demo.enhetschef(self.koder[enhet_id])]

    # The plans -----------------------------------------------------------------------------

    def skapa(self) -> list[str]:
        rader = []
        if not Internkontrollplan.objects.filter(ar=AR_1).exists():
            self.plan_1()
            rader.append(f"plan {AR_1}")
        if (
            not Internkontrollredovisning.objects.filter(ar=AR_1).exists()
            and BESLUT_REDOVISNING_1[0] < self.idag
            and Internkontrollplan.objects.i_kraft(AR_1) is not None
        ):
            self.redovisning_1()
            rader.append(f"redovisning {AR_1}")
        if not Internkontrollplan.objects.filter(ar=AR_2).exists():
            self.plan_2()
            rader.append(f"plan {AR_2}")
        return rader

    def kontroll(self, plan, rad: Rad, ordning: int, risker) -> Kontroll:
        k = Kontroll(
            plan=plan,
            kod=rad.kod,
            central=rad.central,
            process=rad.process,
            risk=risker.get(rad.risk),
            kontrollmoment=rad.kontrollmoment,
            metod=rad.metod,
            omfattning=rad.omfattning,
            periodicitet=rad.periodicitet,
            utforare_enhet=self.enheter[rad.enhet],
            uppfoljare="Kvalitetssamordnaren",
            rapporteras_till="Socialnämnden",
            rapporteras_nar=rad.rapporteras_nar,
            ordning=ordning,
        )
        k.full_clean(exclude=["plan", "risk"])
        k._change_reason = "Kontroll tillagd"
        k.save()
        return k

    def faststall(self, plan, beslut, tid: datetime):
        dag, paragraf, dnr = beslut
        self.baktid(
            tid,
            lambda: plan.faststall(
                av=self.ks, sammantradesdatum=dag, paragraf=paragraf, diarienummer=dnr
            ),
        )
        type(plan).objects.filter(pk=plan.pk).update(faststalld=tid, uppdaterad=tid)
        type(plan).history.filter(id=plan.pk, history_date=tid).update(faststalld=tid)
        if isinstance(plan, Internkontrollplan):
            Kontrolltillfalle.objects.filter(kontroll__plan=plan).update(skapad=tid, uppdaterad=tid)

    def forbered(self, ar: int, tid: datetime, **kwargs):
        plan = self.baktid(tid, lambda: Internkontrollplan.skapa(ar=ar, av=self.ks, **kwargs))
        Internkontrollplan.objects.filter(pk=plan.pk).update(skapad=tid, uppdaterad=tid)
        Internkontrollplan.history.filter(id=plan.pk).update(skapad=tid)
        plan.skapad = tid  # the later steps save the instance whole
        return plan

    def risker(self) -> dict:
        from riskregister.models import Risk

        return {r.extern_id: r for r in Risk.objects.filter(extern_id__startswith="demo-risk-")}

    def plan_1(self):
        m = BESLUT_PLAN_1[0]
        plan = self.forbered(AR_1, self.pa(m - timedelta(days=45), 9))
        risker = self.risker()
        self.baktid(
            self.pa(m - timedelta(days=40), 14),
            lambda: [self.kontroll(plan, rad, i, risker) for i, rad in enumerate(PLAN_1, 1)],
        )
        self.baktid(
            self.pa(m - timedelta(days=30), 15),
            lambda: plan.skriv_sammanfattning(
                av=self.ks,
                sammanfattning=(
                    "Planen har en central kontroll och fyra av nämndens egna. Två kontroller "
                    "utgår från riskerna att orosanmälningar inte bedöms i tid och att "
                    "genomförandeplaner upprättas sent."
                ),
            ),
        )
        self.faststall(plan, BESLUT_PLAN_1, self.pa(m + timedelta(days=1), 10))
        for t in self.tillfallen(plan):
            utfall = UTFALL_1[t.kontroll.kod][t.ordningsnummer - 1]
            self.resultat(t, utfall)
            if t.kontroll.kod == "SN 2" and utfall.bedomning == V:
                self.skapa_atgard(
                    t,
                    ATGARD_BISTAND,
                    self.pa(t.kontrollerad + timedelta(days=7), 11),
                    av=self.chef(t.enhet_id),
                    ansvarig=self.chef(t.enhet_id),
                    rng=self.rng,
                    oppet=False,
                )
            if t.kontroll.kod == "SN 3" and t.ordningsnummer == 1:
                self.avvikelse_fran(t)

    def tillfallen(self, plan):
        return list(
            Kontrolltillfalle.objects.filter(kontroll__plan=plan)
            .select_related("kontroll")
            .order_by("forfaller", "kontroll__ordning")
        )

    def resultat(self, t: Kontrolltillfalle, utfall: Utfall):
        """The performing unit's chef records the result a few days before the period
        ends."""
        kontrollerad = t.forfaller - timedelta(days=self.rng.randint(0, 6))
        tid = self.pa(kontrollerad, 13)
        vad = t.kontroll.omfattning or t.kontroll.kontrollmoment
        self.baktid(
            tid,
            lambda: t.registrera(
                av=self.chef(t.enhet_id),
                kontrollerad=kontrollerad,
                vad=vad,
                antal=utfall.antal,
                avvikelser=utfall.avvikelser,
                bedomning=utfall.bedomning,
                kommentar=utfall.kommentar,
            ),
        )
        Kontrolltillfalle.objects.filter(pk=t.pk).update(uppdaterad=tid)
        return tid

    def avvikelse_fran(self, t: Kontrolltillfalle):
        """The chef reports the late förhandsbedömning as an avvikelse, created from the
        result (as `?fran=IK-…` does in the browser) and linked to it."""
        typ = next(
            (a for a in arendetyper.alla() if a.modell._meta.app_label == "avvikelser"), None
        )
        if typ is None:
            return None
        modell = typ.modell
        extern_id = f"demo-ik-avv-{t.nummer}"
        if modell.objects.filter(extern_id=extern_id).exists():
            return None
        chef = self.chef(t.enhet_id)
        tid = self.pa(t.kontrollerad + timedelta(days=1), 9)
        forslag = t.forslag_till_avvikelse()
        a = modell(
            extern_id=extern_id,
            typ="avvikelse",
            enhet_id=forslag["enhet"],
            rapporterad=tid,
            skapad=tid,
            rapporterad_av=chef,
            skapad_av=chef,
            uppdaterad_av=chef,
            handelsedatum=t.kontrollerad,
            upptackt_datum=t.kontrollerad,
            beror_enskild=True,
            beskrivning=forslag["beskrivning"],
        )
        a.full_clean()
        self.spara(a, tid, chef, "Rapporterad")
        a.log(TimelineEntry.Typ.SKAPAT, av=chef, till_status=a.status, tid=tid)
        a.link(t, CaseLink.Typ.SKAPAD_FRAN, av=chef, tid=tid)
        modell.objects.filter(pk=a.pk).update(uppdaterad=tid)
        return a

    def redovisning_1(self):
        m = BESLUT_REDOVISNING_1[0]
        tid = self.pa(m - timedelta(days=30), 9)
        red = self.baktid(tid, lambda: Internkontrollredovisning.skapa(ar=AR_1, av=self.ks))
        Internkontrollredovisning.objects.filter(pk=red.pk).update(skapad=tid, uppdaterad=tid)
        Internkontrollredovisning.history.filter(id=red.pk).update(skapad=tid)
        red.skapad = tid
        self.baktid(
            self.pa(m - timedelta(days=21), 14),
            lambda: red.skriv_sammanfattning(
                av=self.ks,
                sammanfattning=(
                    "Samtliga kontroller i 2025 års plan är genomförda. En kontroll visade "
                    "väsentliga brister: beslut om ekonomiskt bistånd över delegationens belopp. "
                    "En spärr i verksamhetssystemet har införts och de följande kontrollerna "
                    "var utan anmärkning. Förhandsbedömningarna och genomförandeplanerna hade "
                    "mindre brister under våren men var i ordning under hösten."
                ),
            ),
        )
        self.faststall(red, BESLUT_REDOVISNING_1, self.pa(m + timedelta(days=1), 10))

    def plan_2(self):
        m = BESLUT_PLAN_2[0]
        plan = self.forbered(AR_2, self.pa(m - timedelta(days=50), 9), fran="register")
        risker = self.risker()
        egna = [CENT_1, LON, BISTAND]

        def komplettera():
            # The register's rows come numbered SN 1, SN 2 ...; they make way for the
            # nämnd's own rows first, and are numbered after them below.
            fran_registret = list(plan.kontroller.select_related("risk", "utforare_enhet"))
            for k in fran_registret:
                k.kod = f"R {k.pk}"
                k.save(update_fields=["kod"])
            for i, rad in enumerate(egna, start=1):
                self.kontroll(plan, rad, i, risker)
            # Numbered after the nämnd's own: SN 3, SN 4 ...
            for i, k in enumerate(fran_registret, start=len(egna)):
                risk_id = k.risk.extern_id if k.risk else ""
                moment, metod, periodicitet, omfattning = FRAN_RISK.get(
                    risk_id,
                    (
                        f"Att åtgärderna mot risken ”{k.process}” är genomförda och har effekt",
                        Metod.DOKUMENTKONTROLL,
                        Periodicitet.HALVARSVIS,
                        "",
                    ),
                )
                k.kod, k.ordning = f"SN {i}", i + 1
                k.kontrollmoment, k.metod, k.periodicitet = moment, metod, periodicitet
                k.omfattning = omfattning
                k.uppfoljare, k.rapporteras_till = "Kvalitetssamordnaren", "Socialnämnden"
                k.rapporteras_nar = CENT_1.rapporteras_nar
                k.full_clean(exclude=["plan", "risk"])
                k._change_reason = "Kontrollen kompletterad"
                k.save()

        self.baktid(self.pa(m - timedelta(days=40), 14), komplettera)
        self.baktid(
            self.pa(m - timedelta(days=30), 15),
            lambda: plan.skriv_sammanfattning(
                av=self.ks,
                sammanfattning=(
                    "Planen utgår från riskregistrets högsta risker. Kontrollen av beslut om "
                    "ekonomiskt bistånd behålls efter förra årets väsentliga brister."
                ),
            ),
        )
        self.faststall(plan, BESLUT_PLAN_2, self.pa(m + timedelta(days=1), 10))

        forfallna = [t for t in self.tillfallen(plan) if t.forfaller < self.idag]
        # One overdue: the latest due quarter of the ekonomiskt bistånd control.
        forsenat = max(
            (t for t in forfallna if t.kontroll.kod == BISTAND.kod),
            key=lambda t: t.forfaller,
            default=None,
        )
        for t in forfallna:
            if t is forsenat:
                continue
            standard = Utfall(U, 10 if t.kontroll.metod != Metod.BERAKNING else 12, 0)
            utfall = UTFALL_2.get((t.kontroll.kod, t.ordningsnummer), standard)
            if t.kontroll.risk and t.kontroll.risk.extern_id == FORHANDSBEDOMNING.risk:
                utfall = Utfall(U, 15, 0, "Samtliga granskade förhandsbedömningar klara i tid.")
            tid = self.resultat(t, utfall)
            if (
                t.kontroll.risk
                and t.kontroll.risk.extern_id == FORHANDSBEDOMNING.risk
                and t.ordningsnummer == 2
            ):
                self.bedom_risken(t, tid)

    def bedom_risken(self, t: Kontrolltillfalle, efter: datetime):
        """After a second good result in a row the chef lowers the risk's probability."""
        from riskregister.models import Bedomning as Riskbedomning
        from riskregister.models import Risk

        t.refresh_from_db()
        tid = efter + timedelta(hours=1)
        dag = timezone.localdate(tid)
        fore = Riskbedomning.objects.aggregate(m=Max("pk"))["m"] or 0
        tl = TimelineEntry.objects.aggregate(m=Max("pk"))["m"] or 0
        risk = self.baktid(
            tid,
            lambda: t.bedom_risken(
                av=self.chef(t.enhet_id),
                sannolikhet=2,
                konsekvens=4,
                kommentar="Alla granskade förhandsbedömningar klara inom 14 dagar två tertial "
                "i rad.",
            ),
        )
        # The step dates the assessment today: move it to the day it was made.
        Riskbedomning.objects.filter(pk__gt=fore).update(datum=dag)
        idag = self.idag.isoformat()
        for e in TimelineEntry.objects.filter(pk__gt=tl, text__contains=idag):
            TimelineEntry.objects.filter(pk=e.pk).update(text=e.text.replace(idag, dag.isoformat()))
        senaste = risk.bedomningar.order_by("-datum", "-pk").first()
        Risk.objects.filter(pk=risk.pk).update(
            sannolikhet=senaste.sannolikhet, konsekvens=senaste.konsekvens, uppdaterad=tid
        )


def sammanfattning() -> str:
    planer = Internkontrollplan.objects.filter(status=Beslutsstatus.FASTSTALLD).order_by("ar")
    tillfallen = Kontrolltillfalle.objects.all()
    klara = tillfallen.filter(status=Tillfallestatus.KLAR).count()
    forsenade = tillfallen.filter(
        status=Tillfallestatus.VANTAR, forfaller__lt=timezone.localdate()
    ).count()
    redovisningar = Internkontrollredovisning.objects.filter(status=Beslutsstatus.FASTSTALLD)
    atgarder = Atgard.objects.filter(
        content_type__app_label="internkontroll", content_type__model="kontrolltillfalle"
    ).count()
    return (
        "Internkontroll: fastställda planer "
        + (", ".join(str(p.ar) for p in planer) or "inga")
        + f"; kontrolltillfällen {tillfallen.count()} (med resultat {klara}, försenade "
        f"{forsenade}); åtgärder {atgarder}; fastställda redovisningar "
        + (", ".join(str(r.ar) for r in redovisningar.order_by("ar")) or "inga")
        + "."
    )


def skapa(demo: Demo) -> list[str]:
    """The demo step of internkontroll (`InternkontrollConfig.demodata`): the plan side,
    then the egenkontroll side if it is there."""
    nya = Demointernkontroll(demo).skapa()
    demo.nya.append(f"Ny demointernkontroll: {', '.join(nya) or 'ingen'}.")
    rader = [sammanfattning()]
    try:
        from .demo_egen import skapa_egenkontroll
    except ImportError:
        skapa_egenkontroll = None
    if skapa_egenkontroll is not None:
        rader += list(skapa_egenkontroll(demo) or [])
    return rader
