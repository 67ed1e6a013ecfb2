"""Lex Sarah: the rapport, the investigation, the decision and IVO (DOMAIN.md §4.3, §4.7;
docs/arbetsfloden.md)."""

import calendar
import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kvalitet import behorighet
from kvalitet.models import (
    Arende,
    ArendeQuerySet,
    Atgard,
    CaseLink,
    Orsaksomrade,
    Roll,
    TimelineEntry,
    arendeindex,
    liknande_lankning,
    tilldelning,
)
from kvalitet.models.arende import private_storage
from kvalitet.notifieringar import notifiera
from kvalitet.workflow import ateroppning, step, transition

from . import behorighet as regler
from .choices import (
    ANMALAN_KRAVS,
    FORE_BESLUT,
    OPPNA,
    UTREDS,
    Beslutsfattare,
    Informerad,
    IvoUtfall,
    Kalla,
    Klassning,
    Risk,
    Status,
    Vag,
)

logger = logging.getLogger(__name__)


def plus_manader(dag: date, manader: int) -> date:
    """The same day `manader` months later (the last day of a shorter month)."""
    ar, manad = divmod(dag.month - 1 + manader, 12)
    ar, manad = dag.year + ar, manad + 1
    return date(ar, manad, min(dag.day, calendar.monthrange(ar, manad)[1]))


@dataclass(frozen=True)
class Frist:
    """The target date of one step of the flow (DOMAIN.md §4.3, local rules in settings)
    and when the step was done."""

    namn: str
    datum: date
    klar: date | None

    @property
    def forsenad(self) -> bool:
        if self.klar is not None:
            return self.klar > self.datum
        return self.datum < timezone.localdate()

    @property
    def vantar(self) -> bool:
        return self.klar is None


# A line of the händelseförlopp as typed: a date, then what happened.
_FORLOPPSRAD = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*[:–-]?\s*(.+?)\s*$")


def tolka_forlopp(text: str) -> list[dict]:
    """The händelseförlopp typed one event a line ("2026-03-02 Beslutet skickades.") as
    [{"datum": "2026-03-02", "text": "Beslutet skickades."}], in date order. A line
    without a valid date is an error naming it."""
    from kvalitet.lib.datum import inom_granserna

    handelser = []
    for nr, rad in enumerate(text.splitlines(), start=1):
        if not rad.strip():
            continue
        traff = _FORLOPPSRAD.match(rad)
        try:
            dag = date.fromisoformat(traff[1]) if traff else None
        except ValueError:
            dag = None
        if dag is None or not inom_granserna(dag):
            raise ValidationError(
                gettext(
                    "Rad %(nr)d saknar ett giltigt datum först (ÅÅÅÅ-MM-DD, sedan vad som "
                    "hände): %(rad)s"
                )
                % {"nr": nr, "rad": rad.strip()[:80]}
            )
        if dag > timezone.localdate():
            raise ValidationError(
                gettext("Rad %(nr)d: datumet kan inte ligga i framtiden.") % {"nr": nr}
            )
        handelser.append({"datum": dag.isoformat(), "text": traff[2][:2000]})
    return sorted(handelser, key=lambda h: h["datum"])


def forlopp_som_text(handelser) -> str:
    return "\n".join(f"{h['datum']} {h['text']}" for h in handelser or [])


class LexSarahQuerySet(ArendeQuerySet):
    def hela_villkor(self, user):
        return regler.hela_villkor(user, self.model)

    def vantar_pa(self, user):
        """Besides the open cases they handle or manage: for the förvaltningschef every
        case waiting for a decision of theirs (on investigating, on the proposal, on
        IVO). Whether a case has its action plan is read with it (`har_atgarder`), so
        what each waits for costs no query per case."""
        vantar = super().vantar_pa(user)
        q = Q()
        for u in behorighet.uppdrag(user):
            enheten = Q(enhet__sokvag__startswith=u.enhet.sokvag)
            if u.roll == Roll.FORVALTNINGSCHEF:
                q |= enheten & Q(status__in=[Status.RAPPORTERAD, Status.TILL_BESLUT])
                q |= enheten & Q(
                    status__in=OPPNA, klassning__in=ANMALAN_KRAVS, ivo_anmald__isnull=True
                )
        vantar = vantar | self.filter(q) if q else vantar
        return vantar.annotate(
            har_atgarder=Exists(
                Atgard.objects.filter(
                    content_type=ContentType.objects.get_for_model(self.model),
                    object_id=OuterRef("pk"),
                )
            )
        )


def _kan_hantera(user, arende):
    return behorighet.kan_hantera(user, arende)


def _ar_chef(user, arende):
    """The unit's chefs: the receiving enhetschef and the avdelningschef act on the
    immediate actions, the follow-up and the closing; the utredare investigates."""
    return behorighet.ar_chef_for(user, arende)


def _utredningskrav(ls):
    """What the proposal needs: the investigation, the bedömning and the texts for the
    nämnd (DOMAIN.md §4.3 steps 4–6)."""
    krav = []
    if not (ls.bakgrund.strip() and ls.metod.strip() and ls.orsaker.strip()):
        krav.append(_("Skriv utredningens bakgrund, metod och bakomliggande orsaker."))
    if not ls.handelseforlopp:
        krav.append(_("Skriv händelseförloppet i utredningen."))
    if not ls.klassning:
        krav.append(_("Gör bedömningen: klassning, risk för upprepning och åtgärdsplan."))
    if not (ls.sammanfattning_namnd.strip() and ls.forslag_till_beslut.strip()):
        krav.append(_("Skriv tjänsteskrivelsens sammanfattning och förslag till beslut."))
    if ls.atgardsplan_kravs and not _har_atgarder(ls):
        krav.append(
            _(
                "Bedömningen kräver en åtgärdsplan: lägg till de planerade åtgärderna, med "
                "ansvarig och datum, under Förbättrande åtgärder."
            )
        )
    return krav


def _har_atgarder(ls) -> bool:
    """Whether the case has improvement actions: read with the case where the list
    annotated it (`vantar_pa`), else asked."""
    har = getattr(ls, "har_atgarder", None)
    return ls.atgarder.exists() if har is None else har


# The rules the decided documents cite, on the day of the event (or of the rapport).
DOKUMENTREGLER = ("sol-lex-sarah-rapportering", "sosfs-2011-5-lex-sarah")


def _beslutskrav(ls):
    """The proposal's requirements, and the rules its documents cite: a decided document
    is frozen, so it must never keep the marker of a missing rule (docs/regler.md)."""
    from kvalitet.models import RegelSaknas, regel

    krav = _utredningskrav(ls)
    for nyckel in DOKUMENTREGLER:
        try:
            regel(nyckel, ls.regeldatum)
        except RegelSaknas:
            krav.append(
                gettext(
                    "Lägg till regeln %(nyckel)s för %(dag)s under Administration › Regler "
                    "och rättskällor: de beslutade dokumenten hänvisar till den."
                )
                % {"nyckel": nyckel, "dag": ls.regeldatum}
            )
    return krav


def _avslutskrav(ls):
    krav = []
    if ls.anmalan_kravs and not ls.ivo_anmald:
        krav.append(_("Klassningen kräver en anmälan till IVO: registrera den först."))
    if ls.ivo_anmald and not ls.ivo_beslut:
        krav.append(_("Registrera IVO:s beslut innan ärendet avslutas."))
    if ls.atgardsplan_kravs and not ls.uppfoljd:
        krav.append(_("Följ upp åtgärdsplanen innan ärendet avslutas."))
    return krav


def _ar_anmald(ls):
    return ls.ivo_anmald is not None


def _har_sammanfattning(ls):
    return bool(ls.anonym_sammanfattning.strip())


# What the case waits for (the start page's "Att göra", `Step.vantar`): a step done once
# stays open for corrections but is no longer waited for; the investigation's steps wait
# for the utredare once one is appointed, until each part is written.
def _vantar_omedelbara(ls):
    return ls.omedelbara_datum is None


def _vantar_utredare(ls):
    return ls.handlaggare_id is None


def _vantar_utredning(ls):
    """The investigation, until written – with the action plan the bedömning requires
    (its planned actions are added on the case page, beside the investigation)."""
    if ls.handlaggare_id is None:
        return False
    skriven = ls.bakgrund.strip() and ls.metod.strip() and ls.orsaker.strip()
    return not (skriven and ls.handelseforlopp) or (ls.atgardsplan_kravs and not _har_atgarder(ls))


def _vantar_bedomning(ls):
    return ls.handlaggare_id is not None and not ls.klassning


def _vantar_tjansteskrivelse(ls):
    return ls.handlaggare_id is not None and not (
        ls.sammanfattning_namnd.strip() and ls.forslag_till_beslut.strip()
    )


def _vantar_sammanfattning(ls):
    return not _har_sammanfattning(ls)


def _vantar_godkannande(ls):
    return _har_sammanfattning(ls) and ls.anonym_godkand is None


def _nytt_beslut(ls):
    if ls.anmalan_kravs and not ls.ivo_anmald:
        return gettext("Beslutet är registrerat. Klassningen kräver en anmälan till IVO snarast.")
    return gettext("Beslutet är registrerat.")


def _bedomning_sparad(ls):
    if ls.anmalan_kravs and not ls.ivo_anmald:
        return gettext(
            "Bedömningen är sparad. %(klassning)s ska anmälas till IVO snarast – det kan "
            "göras innan utredningen är klar."
        ) % {"klassning": ls.get_klassning_display()}
    return gettext("Bedömningen är sparad.")


class LexSarah(Arende):
    """A lex Sarah case: the rapport of a missförhållande or a påtaglig risk for one,
    the immediate actions, the investigation, the bedömning, the decision, the anmälan to
    IVO where the classification requires it, and the follow-up of the action plan."""

    NUMMER_PREFIX = "LS"
    DATUMFALT = "rapporterad"
    STATUS_OPPNA = OPPNA
    ANMALARE_FALT = "rapporterad_av"
    # The kommun's diarienummer last: found by the list's search as a synpunkt's is.
    FRITEXT = ("beskrivning", "bakgrund", "orsaker", "bedomning", "diarienummer")
    # IVO's letters about a reported case quote IVO's case number.
    SOKS_MED_IVO_DIARIENUMMER = True
    LOGGA_LASNING = True
    HANDLAGGARE_NAMN = _("utredare")
    # The investigation's suggestions: the avdelning's earlier events, also those the
    # utredare could not open (docs/behorighet.md).
    LIKNANDE_HELA_AVDELNINGEN = True

    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.RAPPORTERAD
    )

    # The rapport (DOMAIN.md §4.3 step 1).
    vag = models.CharField(_("hur ärendet inleddes"), max_length=16, choices=Vag.choices)
    rapporterad = models.DateTimeField(_("rapporterad"), default=timezone.now, db_index=True)
    rapporterad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rapporterad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handelsedatum = models.DateField(_("datum då det hände"), null=True, blank=True)
    handelsedatum_ungefarligt = models.BooleanField(_("datumet är ungefärligt"), default=False)
    beskrivning = models.TextField(_("vad har hänt eller kan hända"), max_length=10_000)
    kalla = models.CharField(
        _("var informationen kommer från"), max_length=16, choices=Kalla.choices
    )
    kalla_beskrivning = models.CharField(
        _("uppgiftslämnare eller utförare"), max_length=300, blank=True
    )
    vidtaget_direkt = models.TextField(_("vad som gjordes direkt"), max_length=5000, blank=True)
    # The record it came from (an avvikelse, a synpunkt), once: a second signal or a
    # second click opens no second case.
    kalla_typ = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kalla_id = models.PositiveBigIntegerField(null=True, blank=True)

    # Omedelbara åtgärder (step 2).
    omedelbara_atgarder = models.TextField(
        _("åtgärder för den enskilde"), max_length=10_000, blank=True
    )
    stod_personal = models.TextField(_("stöd till personalen"), max_length=5000, blank=True)
    informerad = models.CharField(
        _("den enskilde eller företrädaren informerad"),
        max_length=8,
        choices=Informerad.choices,
        blank=True,
    )
    informerad_datum = models.DateField(_("informerad datum"), null=True, blank=True)
    informerad_hur = models.CharField(_("hur"), max_length=300, blank=True)
    ej_informerad_skal = models.TextField(_("varför inte"), max_length=2000, blank=True)
    omedelbara_datum = models.DateField(
        _("omedelbara åtgärder registrerade"), null=True, blank=True
    )

    # Beslut om utredning (step 3).
    utredning_inledd = models.DateField(_("beslut om utredning"), null=True, blank=True)

    # Utredningen (step 4), with the real document's headings.
    bakgrund = models.TextField(_("bakgrund"), max_length=20_000, blank=True)
    metod = models.TextField(_("metod"), max_length=10_000, blank=True)
    klient_hord = models.BooleanField(
        _("den enskilde har fått komma till tals"), null=True, blank=True
    )
    klient_ej_hord_skal = models.TextField(
        _("varför den enskilde inte hörts"), max_length=2000, blank=True
    )
    handelseforlopp = models.JSONField(_("händelseförlopp"), default=list, blank=True)
    orsaker = models.TextField(_("bakomliggande orsaker"), max_length=20_000, blank=True)
    orsaksomraden = models.ManyToManyField(
        Orsaksomrade, verbose_name=_("orsaksområden"), blank=True, related_name="+"
    )
    tidigare = models.TextField(
        _("tidigare utredningar och liknande händelser"), max_length=10_000, blank=True
    )
    vidtagna_atgarder = models.TextField(_("vidtagna åtgärder"), max_length=20_000, blank=True)
    utredning_klar = models.DateField(_("utredningen klar"), null=True, blank=True)

    # Bedömning (step 5).
    klassning = models.CharField(
        _("klassning"), max_length=48, choices=Klassning.choices, blank=True, db_index=True
    )
    risk_for_upprepning = models.CharField(
        _("risk för upprepning"), max_length=8, choices=Risk.choices, blank=True
    )
    atgardsplan_kravs = models.BooleanField(_("åtgärdsplan krävs"), null=True, blank=True)
    bedomning = models.TextField(_("bedömning"), max_length=10_000, blank=True)
    bedomd = models.DateField(_("bedömd"), null=True, blank=True)

    # The tjänsteskrivelse to the nämnd: text written for the nämnd only.
    sammanfattning_namnd = models.TextField(
        _("sammanfattning av ärendet"), max_length=10_000, blank=True
    )
    forslag_till_beslut = models.TextField(_("förslag till beslut"), max_length=5000, blank=True)
    handlingar = models.TextField(_("ärendets handlingar"), max_length=2000, blank=True)
    skickas_till = models.TextField(_("beslutet skickas till"), max_length=2000, blank=True)

    # Beslut (step 6).
    beslutsfattare = models.CharField(
        _("beslutsfattare"), max_length=16, choices=Beslutsfattare.choices, blank=True
    )
    beslutad = models.DateField(_("beslutad"), null=True, blank=True)
    beslut_text = models.TextField(_("beslut"), max_length=5000, blank=True)
    diarienummer = models.CharField(_("diarienummer"), max_length=40, blank=True, db_index=True)
    sammantradesdatum = models.DateField(_("sammanträdesdatum"), null=True, blank=True)
    paragraf = models.CharField(_("paragraf"), max_length=20, blank=True)

    # Anmälan till IVO (step 7).
    ivo_anmald = models.DateField(_("anmäld till IVO"), null=True, blank=True)
    ivo_diarienummer = models.CharField(_("IVO:s diarienummer"), max_length=40, blank=True)
    ivo_anmalan = models.TextField(_("anmälan som den skickades"), max_length=20_000, blank=True)
    ivo_fragor = models.JSONField(
        _("IVO:s frågor och förvaltningens svar"), default=list, blank=True
    )
    ivo_beslut = models.DateField(_("IVO:s beslut"), null=True, blank=True)
    ivo_utfall = models.CharField(
        _("IVO:s utfall"), max_length=24, choices=IvoUtfall.choices, blank=True
    )
    ivo_kommentar = models.TextField(_("IVO:s beslut i korthet"), max_length=5000, blank=True)

    # Uppföljning (step 8) and closing.
    uppfoljning_senast = models.DateField(_("följs upp senast"), null=True, blank=True)
    uppfoljd = models.DateField(_("uppföljd"), null=True, blank=True)
    uppfoljning = models.TextField(_("uppföljning"), max_length=10_000, blank=True)
    aterkoppling = models.TextField(
        _("återkoppling till den som rapporterade"), max_length=5000, blank=True
    )

    # The anonymised summary of an anmälan for the kvalitetsberättelse.
    anonym_sammanfattning = models.TextField(
        _("anonymiserad sammanfattning"), max_length=3000, blank=True
    )
    anonym_godkand = models.DateField(_("sammanfattningen godkänd"), null=True, blank=True)
    anonym_godkand_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkänd av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = LexSarahQuerySet.as_manager()

    class Meta:
        verbose_name = _("lex Sarah-ärende")
        verbose_name_plural = _("lex Sarah-ärenden")
        ordering = ["-rapporterad", "-pk"]
        indexes = arendeindex(
            "rapporterad", anmalare="rapporterad_av", oppna=OPPNA, namn="lexsarah", ivo=True
        )
        constraints = [
            models.UniqueConstraint(
                fields=["kalla_typ", "kalla_id"],
                condition=Q(kalla_typ__isnull=False),
                name="lexsarah_en_per_kalla",
            )
        ]

    def get_absolute_url(self):
        return reverse("lexsarah:detalj", args=[self.nummer])

    # --- Derived facts ------------------------------------------------------------

    def andra(self, nya: dict) -> list[str]:
        """Set the fields of `nya` that differ; the names of those changed (none: the
        step records nothing)."""
        andrat = [f for f, v in nya.items() if getattr(self, f) != v]
        for falt in andrat:
            setattr(self, falt, nya[falt])
        return andrat

    def ser_hela(self, user) -> bool:
        """The reporter and an action's owner see the status and the feedback only."""
        return regler.ser_hela(user, self)

    @property
    def anmalan_kravs(self) -> bool:
        """The classification must be notified to IVO (DOMAIN.md §4.3 step 5)."""
        return self.klassning in ANMALAN_KRAVS

    @property
    def beslutas_av_namnd(self) -> bool:
        return (self.beslutsfattare or settings.LEXSARAH_BESLUTAS_AV) == Beslutsfattare.NAMND

    @property
    def regeldatum(self) -> date:
        """The day whose rules the documents cite: the event's, else the rapport's."""
        return self.handelsedatum or self.rapportdag

    @property
    def rapportdag(self) -> date:
        return timezone.localdate(self.rapporterad)

    def frister(self) -> list[Frist]:
        """Each step's target date (the local rules in settings) and when it was done."""
        dag = self.rapportdag
        frister = [
            Frist(
                gettext("Omedelbara åtgärder"),
                dag + timedelta(days=settings.LEXSARAH_FRIST_OMEDELBARA_DAGAR),
                self.omedelbara_datum,
            ),
            Frist(
                gettext("Beslut om utredning"),
                dag + timedelta(days=settings.LEXSARAH_FRIST_UTREDNINGSBESLUT_DAGAR),
                self.utredning_inledd,
            ),
            Frist(
                gettext("Beslut"),
                dag + timedelta(days=settings.LEXSARAH_FRIST_BESLUT_DAGAR),
                self.beslutad,
            ),
        ]
        if self.anmalan_kravs:
            fran = self.bedomd or dag
            frister.append(
                Frist(
                    gettext("Anmälan till IVO"),
                    fran + timedelta(days=settings.LEXSARAH_FRIST_IVO_DAGAR),
                    self.ivo_anmald,
                )
            )
        if self.uppfoljning_senast:
            frister.append(Frist(gettext("Uppföljning"), self.uppfoljning_senast, self.uppfoljd))
        return frister

    def forsenade(self) -> list[Frist]:
        """The steps past their target date and still not done."""
        return [f for f in self.frister() if f.vantar and f.forsenad]

    def save(self, *args, **kwargs):
        # The deadline the lists and the start page sort and flag by: the earliest target
        # of a step still to be done, while the case is open.
        if self.status in OPPNA:
            vantande = [f.datum for f in self.frister() if f.vantar]
            self.tidsfrist = min(vantande) if vantande else None
        else:
            self.tidsfrist = None
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.handelsedatum and self.handelsedatum > timezone.localdate():
            errors["handelsedatum"] = _("Datumet kan inte ligga i framtiden.")
        if self.handelsedatum_ungefarligt and not self.handelsedatum:
            errors["handelsedatum"] = _(
                "Skriv ett ungefärligt datum, eller lämna fältet tomt om du inte vet."
            )
        if errors:
            raise ValidationError(errors)

    # --- Ways in ------------------------------------------------------------------

    @classmethod
    def rapportera(cls, *, av, bilaga=None, kalla_arende=None, vag=Vag.RAPPORT, **falt):
        """File a rapport: save, log, link the record it came from, tell the unit's
        enhetschef and – the same day – the förvaltningschef, after commit."""
        with transaction.atomic():
            ls = cls(rapporterad_av=av, skapad_av=av, uppdaterad_av=av, vag=vag, **falt)
            if kalla_arende is not None:
                ct = ContentType.objects.get_for_model(type(kalla_arende))
                # The record's own case (the one a position opens) is the first; a
                # later rapport from it is linked to it all the same.
                if not cls.objects.filter(kalla_typ=ct, kalla_id=kalla_arende.pk).exists():
                    ls.kalla_typ, ls.kalla_id = ct, kalla_arende.pk
            ls.spara_ny(av=av, orsak="Rapporterad", bilaga=bilaga)
            if kalla_arende is not None:
                ls.link(kalla_arende, CaseLink.Typ.SKAPAD_FRAN, av=av)
            ls.meddela_ny(utom=av)
        return ls

    def meddela_ny(self, *, utom=None):
        """The enhetschef receives the rapport; the förvaltningschef learns of it the
        same day (DOMAIN.md §4.3)."""
        mottagare = [
            *behorighet.ansvariga_chefer(self.enhet),
            *behorighet.aktiva_anvandare((Roll.FORVALTNINGSCHEF,), self.enhet.forfader_ids()),
        ]
        notifiera(mottagare, "lexsarah/mejl/ny.txt", {"arende": self}, utom=utom)

    @classmethod
    def beskrivning_fran(cls, kalla) -> str:
        """What happened, as the record opening the case told it, with the consequences
        it had or could have had (an avvikelse's), within the field's length."""
        text = getattr(kalla, "beskrivning", "") or ""
        if konsekvenser := (getattr(kalla, "konsekvenser", "") or "").strip():
            text = f"{text}\n\n" + gettext("Konsekvenser: %(text)s") % {"text": konsekvenser}
        grans = cls._meta.get_field("beskrivning").max_length
        return text if len(text) <= grans else text[: grans - 1] + "…"

    @classmethod
    def fran_arende(cls, kalla, *, av, vag):
        """Open the lex Sarah case of a record judged a lex Sarah matter (an avvikelse
        the förvaltningschef marked), once: an existing case is returned as it is.

        The förvaltningschef's position is their decision that the matter is
        investigated (DOMAIN.md §4.3 step 3): the case starts under investigation, the
        decision registered by them, and the avdelningschef is told to assign an
        utredare – the förvaltningschef does not decide the same thing twice."""
        ct = ContentType.objects.get_for_model(type(kalla))
        befintligt = cls.objects.filter(kalla_typ=ct, kalla_id=kalla.pk).first()
        if befintligt is not None:
            return befintligt
        beskrivning = cls.beskrivning_fran(kalla)
        try:
            with transaction.atomic():
                ls = cls.rapportera(
                    av=av,
                    kalla_arende=kalla,
                    vag=vag,
                    enhet=kalla.enhet,
                    handelsedatum=getattr(kalla, "handelsedatum", None),
                    beskrivning=beskrivning or gettext("Se %(nummer)s.") % {"nummer": kalla.nummer},
                    kalla=Kalla.KOLLEGA,
                    vidtaget_direkt=getattr(kalla, "omedelbara_atgarder", "") or "",
                )
                if regler.kan_besluta(av, ls):
                    ls.inled_utredning(
                        av=av,
                        kommentar=gettext(
                            "Förvaltningschefens ställningstagande om %(nummer)s: %(s)s"
                        )
                        % {"nummer": kalla.nummer, "s": getattr(kalla, "lex_sarah_stallning", "")},
                    )
                return ls
        except IntegrityError:  # opened by a concurrent request
            return cls.objects.get(kalla_typ=ct, kalla_id=kalla.pk)

    # --- Workflow -------------------------------------------------------------------

    @step(
        source=FORE_BESLUT,
        label=_("Registrera omedelbara åtgärder"),
        vantar=_vantar_omedelbara,
        permission=_ar_chef,
        slug="omedelbara-atgarder",
        form="lexsarah.forms.OmedelbaraForm",
        message=_("De omedelbara åtgärderna är registrerade."),
    )
    def registrera_omedelbara(
        self,
        *,
        av,
        omedelbara_atgarder,
        stod_personal,
        informerad,
        informerad_datum=None,
        informerad_hur="",
        ej_informerad_skal="",
    ):
        """What the recipient did at once for the client, the support staff got, and
        whether (when, how) the client or their representative was told, or why not."""
        nya = {
            "omedelbara_atgarder": omedelbara_atgarder,
            "stod_personal": stod_personal,
            "informerad": informerad,
            "informerad_datum": informerad_datum,
            "informerad_hur": informerad_hur,
            "ej_informerad_skal": ej_informerad_skal,
        }
        if not self.andra(nya):
            return None
        self.omedelbara_datum = self.omedelbara_datum or timezone.localdate()
        informerad_text = (
            gettext("den enskilde informerad %(datum)s") % {"datum": informerad_datum}
            if informerad == Informerad.JA
            else gettext("den enskilde inte informerad")
        )
        return gettext("Omedelbara åtgärder registrerade; %(info)s.") % {"info": informerad_text}

    @transition(
        source=[Status.RAPPORTERAD],
        target=Status.UNDER_UTREDNING,
        label=_("Besluta om utredning"),
        permission=regler.kan_besluta,
        permission_message=_("Förvaltningschefen beslutar om utredning enligt lex Sarah."),
        slug="inled-utredning",
        form="lexsarah.forms.KommentarForm",
        message=_("Beslutet om utredning av %(arende)s är registrerat."),
    )
    def inled_utredning(self, *, av, kommentar=""):
        """The förvaltningschef decides that the case is investigated (always; also when
        IVO was already notified). The avdelningschef is told to assign an utredare."""
        self.utredning_inledd = timezone.localdate()
        notifiera(
            behorighet.ansvariga_chefer(
                self.enhet, roll=(Roll.AVDELNINGSCHEF,), reserv=(Roll.FORVALTNINGSCHEF,)
            ),
            "lexsarah/mejl/utredning.txt",
            {"arende": self},
            utom=av,
        )

    tilldela = tilldelning(
        source=FORE_BESLUT,
        permission=regler.kan_utse_utredare,
        label=_("Utse utredare"),
        vantar=_vantar_utredare,
    )

    @step(
        source=UTREDS,
        label=_("Spara utredningen"),
        vantar=_vantar_utredning,
        permission=regler.kan_utreda,
        slug="utredning",
        form="lexsarah.forms.UtredningForm",
        reason="Utredning uppdaterad",
        message=_("Utredningen är sparad."),
    )
    def utred(
        self,
        *,
        av,
        bakgrund,
        metod,
        klient_hord,
        handelseforlopp,
        orsaker,
        orsaksomraden,
        tidigare,
        vidtagna_atgarder,
        klient_ej_hord_skal="",
    ):
        """The investigation under the real document's headings; the timeline names
        what changed, saving it unchanged records nothing."""
        nya = {
            "bakgrund": bakgrund,
            "metod": metod,
            "klient_hord": klient_hord,
            "klient_ej_hord_skal": klient_ej_hord_skal,
            "handelseforlopp": handelseforlopp,
            "orsaker": orsaker,
            "tidigare": tidigare,
            "vidtagna_atgarder": vidtagna_atgarder,
        }
        andrat = self.andra(nya)
        fore = set(self.orsaksomraden.values_list("pk", flat=True))
        valda = {o.pk for o in orsaksomraden}
        if fore != valda:
            self.orsaksomraden.set(valda)
            andrat.append("orsaksomraden")
        if not andrat:
            return None
        namn = ", ".join(str(self._meta.get_field(f).verbose_name).lower() for f in andrat)
        return gettext("Utredningen uppdaterad: %(falt)s") % {"falt": namn}

    lanka_liknande = liknande_lankning(
        source=UTREDS,
        permission=regler.kan_utreda,
        message=_("De valda händelserna är länkade och visas i utredningen."),
    )

    @step(
        source=UTREDS,
        label=_("Gör bedömningen"),
        vantar=_vantar_bedomning,
        permission=regler.kan_utreda,
        slug="bedomning",
        form="lexsarah.forms.BedomningForm",
        timeline=TimelineEntry.Typ.BESLUT,
        reason="Bedömning",
        message=_bedomning_sparad,
    )
    def bedom(self, *, av, klassning, risk_for_upprepning, atgardsplan_kravs, bedomning):
        """The classification in five levels, the risk of recurrence and whether an
        action plan is required; the two most serious levels must be notified to IVO."""
        nya = {
            "klassning": klassning,
            "risk_for_upprepning": risk_for_upprepning,
            "atgardsplan_kravs": atgardsplan_kravs,
            "bedomning": bedomning,
        }
        if not self.andra(nya):
            return None
        self.bedomd = timezone.localdate()
        text = gettext("Bedömning: %(klassning)s; risk för upprepning %(risk)s; %(plan)s.") % {
            "klassning": self.get_klassning_display(),
            "risk": self.get_risk_for_upprepning_display().lower(),
            "plan": gettext("åtgärdsplan krävs")
            if atgardsplan_kravs
            else gettext("ingen åtgärdsplan krävs"),
        }
        if self.anmalan_kravs and not self.ivo_anmald:
            text += " " + gettext("Ska anmälas till IVO.")
            notifiera(
                behorighet.aktiva_anvandare((Roll.FORVALTNINGSCHEF,), self.enhet.forfader_ids()),
                "lexsarah/mejl/anmalan_kravs.txt",
                {"arende": self},
                utom=av,
            )
        return text

    @step(
        source=UTREDS,
        label=_("Skriv tjänsteskrivelsen"),
        vantar=_vantar_tjansteskrivelse,
        permission=regler.kan_utreda,
        slug="tjansteskrivelse",
        form="lexsarah.forms.TjansteskrivelseForm",
        message=_("Tjänsteskrivelsen är sparad."),
    )
    def skriv_tjansteskrivelse(
        self, *, av, sammanfattning_namnd, forslag_till_beslut, handlingar, skickas_till
    ):
        """The texts written for the nämnd: the only free text of the case it reads."""
        nya = {
            "sammanfattning_namnd": sammanfattning_namnd,
            "forslag_till_beslut": forslag_till_beslut,
            "handlingar": handlingar,
            "skickas_till": skickas_till,
        }
        if not self.andra(nya):
            return None
        return gettext("Tjänsteskrivelsen uppdaterad.")

    @transition(
        source=[Status.UNDER_UTREDNING],
        target=Status.TILL_BESLUT,
        label=_("Lämna förslag till beslut"),
        permission=regler.kan_lamna_forslag,
        permission_message=_("Avdelningschefen lämnar förslaget till beslut."),
        slug="lamna-forslag",
        requires=_utredningskrav,
        confirm=_(
            "Lämna utredningen och förslaget till beslut? Utredningen låses tills "
            "beslutsfattaren har beslutat eller skickat tillbaka den."
        ),
        message=_("Förslaget till beslut i %(arende)s är lämnat."),
    )
    def lamna_forslag(self, *, av):
        """The investigation is done; the decision-maker is told."""
        self.utredning_klar = timezone.localdate()
        notifiera(
            behorighet.aktiva_anvandare((Roll.FORVALTNINGSCHEF,), self.enhet.forfader_ids()),
            "lexsarah/mejl/forslag.txt",
            {"arende": self},
            utom=av,
        )

    @transition(
        source=[Status.TILL_BESLUT],
        target=Status.UNDER_UTREDNING,
        label=_("Skicka tillbaka för komplettering"),
        permission=regler.kan_besluta,
        slug="komplettering",
        form="kvalitet.forms.AteroppnaForm",
        style="secondary",
        message=_("%(arende)s är tillbaka hos utredningen för komplettering."),
    )
    def begar_komplettering(self, *, av, kommentar):
        """Back to the investigation, with what is missing."""
        if not kommentar.strip():
            raise ValidationError({"kommentar": _("Skriv vad som ska kompletteras.")})
        self.utredning_klar = None
        if self.handlaggare_id:
            notifiera(
                [self.handlaggare],
                "lexsarah/mejl/komplettering.txt",
                {"arende": self, "kommentar": kommentar},
                utom=av,
            )

    @transition(
        source=[Status.TILL_BESLUT],
        target=Status.BESLUTAD,
        label=_("Registrera beslut"),
        permission=regler.kan_besluta,
        permission_message=_(
            "Förvaltningschefen registrerar beslutet, också när nämnden beslutar."
        ),
        slug="besluta",
        form="lexsarah.forms.BeslutForm",
        requires=_beslutskrav,
        confirm=_(
            "Registrera beslutet? Utredningen och tjänsteskrivelsen sparas som beslutade "
            "dokument och kan inte ändras."
        ),
        message=_nytt_beslut,
    )
    def besluta(
        self,
        *,
        av,
        beslutsfattare,
        beslutad,
        beslut_text,
        diarienummer,
        sammantradesdatum=None,
        paragraf="",
        kommentar="",
    ):
        """The decision (DOMAIN.md §4.3 step 6): by the förvaltningschef or the nämnd
        (then its meeting date and §), with the diarienummer. The follow-up of an action
        plan is due six months later (a setting); the decided documents are frozen."""
        self.beslutsfattare = beslutsfattare
        self.beslutad = beslutad
        self.beslut_text = beslut_text
        self.diarienummer = diarienummer
        self.sammantradesdatum = sammantradesdatum
        self.paragraf = paragraf
        if self.atgardsplan_kravs:
            self.uppfoljning_senast = plus_manader(beslutad, settings.LEXSARAH_UPPFOLJNING_MANADER)
        pk = self.pk
        transaction.on_commit(lambda: _frys_dokument(pk))

    @step(
        source=OPPNA,
        label=_("Registrera anmälan till IVO"),
        permission=regler.kan_besluta,
        permission_message=_("Förvaltningschefen anmäler till IVO."),
        slug="anmalan-ivo",
        form="lexsarah.forms.AnmalanForm",
        timeline=TimelineEntry.Typ.BESLUT,
        reason="Anmälan till IVO",
        message=_("Anmälan till IVO är registrerad."),
    )
    def anmal_ivo(self, *, av, ivo_anmald, ivo_diarienummer="", ivo_anmalan=""):
        """The anmälan as sent to IVO – possibly before the investigation is finished.
        Recording it again corrects the date, IVO's number or the text."""
        nya = {
            "ivo_anmald": ivo_anmald,
            "ivo_diarienummer": ivo_diarienummer,
            "ivo_anmalan": ivo_anmalan,
        }
        if ivo_anmald < self.rapportdag:
            raise ValidationError(
                {"ivo_anmald": _("Anmälan kan inte ha skickats innan rapporten kom in.")}
            )
        if not self.andra(nya):
            return None
        return gettext("Anmäld till IVO %(datum)s%(dnr)s.") % {
            "datum": ivo_anmald,
            "dnr": f", IVO:s dnr {ivo_diarienummer}" if ivo_diarienummer else "",
        }

    @step(
        source=OPPNA,
        label=_("Registrera IVO:s fråga och svaret"),
        permission=regler.kan_besluta,
        condition=_ar_anmald,
        condition_message=_("Registrera anmälan till IVO först."),
        slug="ivo-fraga",
        form="lexsarah.forms.IvoFragaForm",
        message=_("IVO:s fråga och förvaltningens svar är registrerade."),
    )
    def ivo_fraga(self, *, av, fraga_datum, fraga, svar_datum=None, svar=""):
        """A question or a request from IVO, and the förvaltning's answer."""
        self.ivo_fragor = [
            *self.ivo_fragor,
            {
                "fraga_datum": fraga_datum.isoformat(),
                "fraga": fraga,
                "svar_datum": svar_datum.isoformat() if svar_datum else "",
                "svar": svar,
            },
        ]
        return gettext("IVO:s fråga %(datum)s registrerad%(svar)s.") % {
            "datum": fraga_datum,
            "svar": gettext(", besvarad %(datum)s") % {"datum": svar_datum} if svar_datum else "",
        }

    @step(
        source=OPPNA,
        label=_("Registrera IVO:s beslut"),
        permission=regler.kan_besluta,
        condition=_ar_anmald,
        condition_message=_("Registrera anmälan till IVO först."),
        slug="ivo-beslut",
        form="lexsarah.forms.IvoBeslutForm",
        timeline=TimelineEntry.Typ.BESLUT,
        reason="IVO:s beslut",
        message=_("IVO:s beslut är registrerat."),
    )
    def registrera_ivo_beslut(self, *, av, ivo_beslut, ivo_utfall, ivo_kommentar=""):
        """IVO's decision on the anmälan: its date and outcome."""
        if ivo_beslut < self.ivo_anmald:
            raise ValidationError(
                {"ivo_beslut": _("IVO kan inte ha beslutat innan anmälan skickades.")}
            )
        nya = {"ivo_beslut": ivo_beslut, "ivo_utfall": ivo_utfall, "ivo_kommentar": ivo_kommentar}
        if not self.andra(nya):
            return None
        return gettext("IVO:s beslut %(datum)s: %(utfall)s.") % {
            "datum": ivo_beslut,
            "utfall": self.get_ivo_utfall_display().lower(),
        }

    @step(
        source=[Status.BESLUTAD],
        label=_("Följ upp åtgärdsplanen"),
        permission=_ar_chef,
        slug="uppfoljning",
        form="lexsarah.forms.UppfoljningForm",
        message=_("Uppföljningen är registrerad."),
    )
    def folj_upp(self, *, av, uppfoljd, uppfoljning):
        """The follow-up of the action plan (typically six months after the decision)."""
        if self.beslutad and uppfoljd < self.beslutad:
            raise ValidationError(
                {"uppfoljd": _("Uppföljningen kan inte ha gjorts före beslutet.")}
            )
        if (self.uppfoljd, self.uppfoljning) == (uppfoljd, uppfoljning):
            return None
        self.uppfoljd = uppfoljd
        self.uppfoljning = uppfoljning
        return gettext("Åtgärdsplanen uppföljd %(datum)s.") % {"datum": uppfoljd}

    @transition(
        source=[Status.BESLUTAD],
        target=Status.AVSLUTAD,
        label=_("Avsluta"),
        permission=_ar_chef,
        form="lexsarah.forms.AvslutaForm",
        requires=_avslutskrav,
        confirm=_("Avsluta ärendet? Den som rapporterade får ett meddelande."),
        message=_("%(arende)s är avslutat."),
    )
    def avsluta(self, *, av, aterkoppling):
        """Close: IVO has decided where notified, the action plan is followed up."""
        self.aterkoppling = aterkoppling
        self.avslutad = timezone.now()
        notifiera([self.rapporterad_av], "lexsarah/mejl/avslutad.txt", {"arende": self}, utom=av)

    ateroppna = ateroppning(
        source=[Status.AVSLUTAD],
        target=Status.BESLUTAD,
        permission=_ar_chef,
        amne=_("ärendet"),
    )

    @step(
        source=[Status.BESLUTAD, Status.AVSLUTAD],
        label=_("Skriv sammanfattning för kvalitetsberättelsen"),
        vantar=_vantar_sammanfattning,
        permission=_kan_hantera,
        condition=_ar_anmald,
        condition_message=_("En sammanfattning skrivs för ärenden som anmälts till IVO."),
        slug="sammanfattning",
        form="lexsarah.forms.SammanfattningForm",
        message=_("Sammanfattningen är sparad; förvaltningschefen godkänner den."),
    )
    def sammanfatta(self, *, av, anonym_sammanfattning):
        """One anonymised summary per anmälan for the yearly report; a changed text must
        be approved again."""
        if anonym_sammanfattning == self.anonym_sammanfattning:
            return None
        self.anonym_sammanfattning = anonym_sammanfattning
        self.anonym_godkand = None
        self.anonym_godkand_av = None
        return gettext("Anonymiserad sammanfattning skriven.")

    @step(
        source=[Status.BESLUTAD, Status.AVSLUTAD],
        label=_("Godkänn sammanfattningen"),
        vantar=_vantar_godkannande,
        permission=regler.kan_besluta,
        condition=_har_sammanfattning,
        condition_message=_("Det finns ingen sammanfattning att godkänna."),
        slug="godkann-sammanfattning",
        confirm=_(
            "Godkänn sammanfattningen för kvalitetsberättelsen? Kontrollera att den inte "
            "går att koppla till en person."
        ),
        message=_("Sammanfattningen är godkänd för kvalitetsberättelsen."),
    )
    def godkann_sammanfattning(self, *, av):
        if self.anonym_godkand:
            return None
        self.anonym_godkand = timezone.localdate()
        self.anonym_godkand_av = av
        return gettext("Sammanfattningen godkänd för kvalitetsberättelsen.")


def _frys_dokument(pk):
    """Store the decided documents, after the decision's commit, in the background. The
    decision stands whatever happens here: should the queue be down or the rendering
    fail, the periodic `tasks.frys_saknade` stores them later."""
    from .tasks import frys_dokument

    try:
        frys_dokument.delay(pk)
    except Exception:
        logger.exception("Kunde inte köa de beslutade dokumenten för lex Sarah-ärende %s", pk)


def _dokument_path(instance, filename):
    return f"lexsarah/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class Dokument(models.Model):
    """A decided document of a lex Sarah case (the investigation, the tjänsteskrivelse)
    as rendered when the decision was registered: what the nämnd reads."""

    class Typ(models.TextChoices):
        UTREDNING = "utredning", _("Utredning enligt lex Sarah")
        TJANSTESKRIVELSE = "tjansteskrivelse", _("Tjänsteskrivelse")

    arende = models.ForeignKey(LexSarah, on_delete=models.PROTECT, related_name="dokument")
    typ = models.CharField(_("dokument"), max_length=16, choices=Typ.choices)
    fil = models.FileField(storage=private_storage, upload_to=_dokument_path, max_length=255)
    sha256 = models.CharField(max_length=64)
    skapad = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("beslutat dokument")
        verbose_name_plural = _("beslutade dokument")
        ordering = ["arende", "typ", "-skapad"]

    def __str__(self):
        return f"{self.arende.nummer} {self.get_typ_display()}"

    @classmethod
    def spara(cls, arende, typ, pdf: bytes):
        from django.core.files.base import ContentFile

        dok = cls(arende=arende, typ=typ, sha256=hashlib.sha256(pdf).hexdigest())
        dok.fil.save("dokument.pdf", ContentFile(pdf), save=False)
        dok.save()
        return dok
