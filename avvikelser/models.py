"""Avvikelser (deviations) and tillbud (near-misses), docs/arbetsfloden.md."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kvalitet import behorighet
from kvalitet.lib.svenska import ordformer
from kvalitet.models import (
    Arende,
    ArendeQuerySet,
    Kodlista,
    Orsaksomrade,
    Roll,
    TimelineEntry,
    arendeindex,
    liknande_lankning,
    tilldelning,
)
from kvalitet.notifieringar import notifiera
from kvalitet.signaler import lex_sarah_aktuell, oppnat_lex_sarah
from kvalitet.summering import Summa
from kvalitet.workflow import ateroppning, step, transition

from .behorighet import kan_ta_stallning
from .choices import ETT_ORD, LEX_SARAH, OPPNA, Stallningstagande, Status, Typ, Upptackt

# Sent after commit when the förvaltningschef's position makes the avvikelse a lex Sarah
# matter; the lex Sarah part connects to it (kvalitet.signaler) and opens the linked case.
markerad_for_lex_sarah = lex_sarah_aktuell

__all__ = ["Avvikelse", "Kategori", "Orsaksomrade", "markerad_for_lex_sarah"]


class Kategori(Kodlista):
    """Avvikelsetyp: what kind of failure (admin-editable list)."""

    class Meta(Kodlista.Meta):
        verbose_name = _("avvikelsekategori")
        verbose_name_plural = _("avvikelsekategorier")


def _kan_hantera(user, avvikelse):
    return behorighet.kan_hantera(user, avvikelse)


def _avslutskrav(avvikelse):
    """What an avvikelse needs before it is closed."""
    krav = []
    if not avvikelse.kategori_id:
        krav.append(_("Välj en kategori innan avvikelsen avslutas."))
    if not avvikelse.analys.strip():
        krav.append(_("Skriv en orsaksanalys innan avvikelsen avslutas."))
    return krav


def _uppraknat(namn):
    """Names as a list in a sentence ("Bemanning, Kommunikation"), or "inga"."""
    return ", ".join(namn) or gettext("inga")


def _ar_avvikelse(avvikelse):
    return avvikelse.typ == Typ.AVVIKELSE


def _stallning_registrerad(avvikelse):
    meddelande = gettext("Ställningstagandet är registrerat.")
    if not avvikelse.lex_sarah_aktuell:
        return meddelande
    if nummer := oppnat_lex_sarah(Avvikelse, avvikelse.pk):
        return f"{meddelande} " + gettext(
            "Avvikelsen utreds enligt lex Sarah i %(nummer)s, där ställningstagandet är noterat."
        ) % {"nummer": nummer}
    return f"{meddelande} " + gettext(
        "Avvikelsen utreds enligt lex Sarah: ett lex Sarah-ärende öppnas och länkas hit."
    )


class AvvikelseQuerySet(ArendeQuerySet):
    def vantar_pa(self, user):
        """Open avvikelser they handle or manage, and for the förvaltningschef the
        investigated avvikelser still without a position."""
        vantar = super().vantar_pa(user)
        q = Q()
        for u in behorighet.uppdrag(user):
            if u.roll == Roll.FORVALTNINGSCHEF:
                q |= Q(
                    typ=Typ.AVVIKELSE,
                    fc_stallningstagande="",
                    status__in=[Status.UNDER_UTREDNING, Status.AVSLUTAD],
                    enhet__sokvag__startswith=u.enhet.sokvag,
                )
        return vantar | self.filter(q) if q else vantar


class Avvikelse(Arende):
    """A reported avvikelse or tillbud and its investigation."""

    NUMMER_PREFIX = "AVV"
    DATUMFALT = "rapporterad"
    STATUS_OPPNA = OPPNA
    ANMALARE_FALT = "rapporterad_av"
    FRIST_DAGAR = "AVVIKELSE_UTREDNINGSTID_DAGAR"
    FRITEXT = ("beskrivning", "konsekvenser", "analys")
    # The cause areas' names kept as text on the row on PostgreSQL, for the CSV export
    # (kvalitet.listkolumn; migration 0013), in the cause areas' `Meta.ordering` as the
    # export (tests/kvalitet/test_listkolumn_deklaration.py holds the migration to it).
    LISTKOLUMNER = ("orsaksomraden",)

    status = models.CharField(
        _("status"),
        max_length=32,
        choices=Status.choices,
        default=Status.RAPPORTERAD,
        db_index=True,
    )
    typ = models.CharField(_("avvikelse eller tillbud"), max_length=16, choices=Typ.choices)
    rapporterad = models.DateTimeField(_("rapporterad"), default=timezone.now, db_index=True)
    rapporterad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rapporterad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rapporterade_avvikelser",
    )
    handelsedatum = models.DateField(_("datum då det hände"))
    handelsetid = models.TimeField(_("klockslag"), null=True, blank=True)
    upptackt_datum = models.DateField(_("datum då det upptäcktes"), null=True, blank=True)
    upptackt_hur = models.CharField(
        _("hur det upptäcktes"), max_length=16, choices=Upptackt.choices, blank=True
    )
    beror_enskild = models.BooleanField(_("gäller en enskild klient"), default=False)
    beskrivning = models.TextField(_("vad hände"), max_length=10_000)
    konsekvenser = models.TextField(_("konsekvenser"), max_length=10_000, blank=True)
    omedelbara_atgarder = models.TextField(
        _("åtgärder som vidtogs direkt"), max_length=10_000, blank=True
    )
    arbetsskadeanmalan = models.BooleanField(_("arbetsskadeanmälan gjord"), null=True, blank=True)
    kategori = models.ForeignKey(
        Kategori,
        verbose_name=_("kategori"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # The investigation (the unit's enhetschef).
    analys = models.TextField(_("orsaksanalys"), max_length=20_000, blank=True)
    orsaksomraden = models.ManyToManyField(
        Orsaksomrade, verbose_name=_("orsaksområden"), blank=True, related_name="+"
    )
    vidtagna_atgarder = models.TextField(_("vidtagna åtgärder"), max_length=20_000, blank=True)
    atgardstext_avslut = models.TextField(
        _("återkoppling till den som rapporterade"), max_length=5000, blank=True
    )

    # The förvaltningschef's section of the form.
    fc_mottagen = models.DateField(_("mottagen av förvaltningschef"), null=True, blank=True)
    fc_stallningstagande = models.CharField(
        _("förvaltningschefens ställningstagande"),
        max_length=24,
        choices=Stallningstagande.choices,
        blank=True,
    )
    fc_datum = models.DateField(_("datum för ställningstagande"), null=True, blank=True)
    fc_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ställningstagande av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fc_kommentar = models.TextField(_("kommentar"), max_length=5000, blank=True)

    objects = AvvikelseQuerySet.as_manager()

    class Meta:
        verbose_name = _("avvikelse")
        verbose_name_plural = _("avvikelser")
        ordering = ["-rapporterad", "-pk"]
        indexes = arendeindex(
            "rapporterad", anmalare="rapporterad_av", oppna=OPPNA, namn="avvikelse"
        ) + [
            # The kvalitetsberättelse's yearly counts (avvikelser.statistik.arssiffror,
            # the comparison over years) as index-only scans: every column they read.
            models.Index(
                fields=["rapporterad"],
                include=["typ", "enhet", "kategori", "avslutad", "tidsfrist", "id"],
                name="avvikelse_statistik_idx",
            ),
        ]

    def get_absolute_url(self):
        return reverse("avvikelser:detalj", args=[self.nummer])

    @property
    def ord(self):
        """Words agreeing with the type: "en avvikelse … den", "ett tillbud … det"."""
        return ordformer(self.typ in ETT_ORD)

    @property
    def lex_sarah_aktuell(self):
        """The förvaltningschef's position makes it a lex Sarah matter: an allvarligt
        missförhållande, or a lex Sarah investigation to be started."""
        return self.fc_stallningstagande in LEX_SARAH

    def clean(self):
        errors = {}
        idag = timezone.localdate()
        if self.handelsedatum and self.handelsedatum > idag:
            errors["handelsedatum"] = _("Datumet kan inte ligga i framtiden.")
        if self.upptackt_datum:
            if self.upptackt_datum > idag:
                errors["upptackt_datum"] = _("Datumet kan inte ligga i framtiden.")
            elif self.handelsedatum and self.upptackt_datum < self.handelsedatum:
                errors["upptackt_datum"] = _(
                    "Det kan inte ha upptäckts innan det hände. Kontrollera datumen."
                )
        if self.typ == Typ.AVVIKELSE and self.arbetsskadeanmalan:
            errors["arbetsskadeanmalan"] = _("Arbetsskadeanmälan gäller bara tillbud.")
        if errors:
            raise ValidationError(errors)

    # --- Filing ---------------------------------------------------------------

    @classmethod
    def rapportera(cls, *, av, bilaga=None, **falt):
        """File a new report: save, log, notify the unit's enhetschef after commit."""
        with transaction.atomic():
            avvikelse = cls(rapporterad_av=av, skapad_av=av, uppdaterad_av=av, **falt)
            avvikelse.spara_ny(av=av, orsak="Rapporterad", bilaga=bilaga)
            notifiera(
                behorighet.ansvariga_chefer(avvikelse.enhet),
                "avvikelser/mejl/ny.txt",
                {"avvikelse": avvikelse},
                utom=av,
            )
        return avvikelse

    # --- Workflow -------------------------------------------------------------

    @transition(
        source=[Status.RAPPORTERAD],
        target=Status.UNDER_UTREDNING,
        label=_("Starta utredning"),
        permission=_kan_hantera,
        message=_("Utredningen av %(arende)s är startad."),
    )
    def starta_utredning(self, *, av):
        """The enhetschef takes the case; they become its handler."""
        if self.handlaggare_id is None:
            self.handlaggare = av

    @transition(
        source=[Status.UNDER_UTREDNING],
        target=Status.AVSLUTAD,
        label=_("Avsluta"),
        permission=_kan_hantera,
        form="avvikelser.forms.AvslutaForm",
        requires=_avslutskrav,
        confirm=lambda a, _data: (
            _("Avsluta tillbudet? Den som rapporterade får ett meddelande.")
            if a.typ == Typ.TILLBUD
            else _("Avsluta avvikelsen? Den som rapporterade får ett meddelande.")
        ),
        message=_("%(arende)s är avslutad."),
    )
    def avsluta(self, *, av, aterkoppling=""):
        """Close after investigation (a category and an analysis first: `_avslutskrav`)."""
        self.atgardstext_avslut = aterkoppling
        self.avslutad = timezone.now()
        notifiera(
            [self.rapporterad_av], "avvikelser/mejl/avslutad.txt", {"avvikelse": self}, utom=av
        )

    ateroppna = ateroppning(
        source=[Status.AVSLUTAD],
        target=Status.UNDER_UTREDNING,
        permission=_kan_hantera,
        amne=_("avvikelsen"),
    )

    tilldela = tilldelning(source=OPPNA)

    lanka_liknande = liknande_lankning(source=OPPNA, permission=_kan_hantera)

    # --- Steps that keep the status -----------------------------------------------

    @step(
        source=OPPNA,
        label=_("Spara utredningen"),
        permission=_kan_hantera,
        slug="utredning",
        form="avvikelser.forms.UtredningForm",
        reason="Utredning uppdaterad",
        message=_("Utredningen är sparad."),
    )
    def utred(self, *, av, kategori, orsaksomraden, analys, vidtagna_atgarder):
        """The investigation: category, cause areas, analysis, actions taken. The
        timeline names what changed; saving it unchanged records nothing.

        The change history keeps the other fields' earlier values but not the cause areas
        (a many-to-many): the timeline entry names them before and after, so every
        earlier set stays recoverable."""
        nya = {"kategori": kategori, "analys": analys, "vidtagna_atgarder": vidtagna_atgarder}
        andrat = [f for f, v in nya.items() if getattr(self, f) != v]
        fore = list(self.orsaksomraden.values_list("pk", "namn"))
        orsaker = {o.pk for o in orsaksomraden}
        orsaksrad = ""
        if {pk for pk, _namn in fore} != orsaker:
            andrat.append("orsaksomraden")
            self.orsaksomraden.set(orsaker)
            efter = self.orsaksomraden.values_list("namn", flat=True)
            orsaksrad = "\n" + gettext("Orsaksområden: %(fore)s → %(efter)s") % {
                "fore": _uppraknat([n for _pk, n in fore]),
                "efter": _uppraknat(efter),
            }
        if not andrat:
            return None
        for falt, varde in nya.items():
            setattr(self, falt, varde)
        ordning = ["kategori", "orsaksomraden", "analys", "vidtagna_atgarder"]
        namn = ", ".join(
            str(self._meta.get_field(f).verbose_name).lower() for f in ordning if f in andrat
        )
        return gettext("Utredningen uppdaterad: %(falt)s") % {"falt": namn} + orsaksrad

    @step(
        label=_("Ta ställning"),
        permission=kan_ta_stallning,
        permission_message=_("Endast förvaltningschefen tar ställning."),
        condition=_ar_avvikelse,
        condition_message=_("Ställningstagande görs för avvikelser, inte tillbud."),
        slug="stallningstagande",
        form="avvikelser.forms.StallningstagandeForm",
        timeline=TimelineEntry.Typ.BESLUT,
        reason="Förvaltningschefens ställningstagande",
        message=_stallning_registrerad,
    )
    def ta_stallning(self, *, av, stallningstagande, mottagen, kommentar=""):
        """Record the förvaltningschef's position (docs/arbetsfloden.md); "allvarligt
        missförhållande" or "utredning enligt lex Sarah" marks the avvikelse for lex Sarah,
        signalled after commit (the lex Sarah part opens its case)."""
        if mottagen > timezone.localdate():
            raise ValidationError({"fc_mottagen": _("Datumet kan inte ligga i framtiden.")})
        if mottagen < timezone.localdate(self.rapporterad):
            raise ValidationError(
                {"fc_mottagen": _("Avvikelsen kan inte ha tagits emot innan den rapporterades.")}
            )
        var_markerad = self.lex_sarah_aktuell
        # A lex Sarah case the position opened is investigated whatever comes later.
        if (
            var_markerad
            and stallningstagande not in LEX_SARAH
            and (nummer := oppnat_lex_sarah(Avvikelse, self.pk))
        ):
            raise ValidationError(
                {
                    "fc_stallningstagande": _(
                        "Ställningstagandet har redan öppnat lex Sarah-ärendet %(nummer)s, och "
                        "ett lex Sarah-ärende utreds alltid. Om händelsen inte var ett "
                        "missförhållande blir det utredningens bedömning (”Inget "
                        "missförhållande”)."
                    )
                    % {"nummer": nummer}
                }
            )
        fore = (self.fc_stallningstagande, self.fc_kommentar)
        self.fc_stallningstagande = stallningstagande
        self.fc_mottagen = mottagen
        self.fc_datum = timezone.localdate()
        self.fc_av = av
        self.fc_kommentar = kommentar
        if self.lex_sarah_aktuell and (not var_markerad or fore != (stallningstagande, kommentar)):
            # Opens the lex Sarah case; a changed position is noted in the opened one (the
            # utredare does not see the avvikelse).
            pk, andrat = self.pk, var_markerad
            transaction.on_commit(
                lambda: markerad_for_lex_sarah.send(
                    sender=Avvikelse, avvikelse_id=pk, av=av, andrat=andrat
                )
            )
        return self.lex_sarah_stallning

    @property
    def lex_sarah_stallning(self) -> str:
        """The position as the timeline and the lex Sarah case quote it."""
        if not self.fc_stallningstagande:
            return ""
        etikett = Stallningstagande(self.fc_stallningstagande).label
        return f"{etikett}. {self.fc_kommentar}".strip()


# --- Counts kept as the cases change, for the report's figures (kvalitet.summering) ---
# Days are Swedish calendar days; a key's count is the sum of its rows.


class Enhetssumma(Summa):
    """Avvikelser and tillbud per day reported, type and unit: the year's totals, units
    and months."""

    typ = models.CharField(max_length=16)
    enhet = models.BigIntegerField()
    rapportdag = models.DateField()

    class Meta(Summa.Meta):
        indexes = [models.Index(fields=["rapportdag", "typ", "enhet"], name="enhetssumma_idx")]


class Kategorisumma(Summa):
    """Avvikelser and tillbud per day reported, type and category (none: NULL): the
    year's categories and the comparison over years."""

    typ = models.CharField(max_length=16)
    kategori = models.BigIntegerField(null=True)
    rapportdag = models.DateField()

    class Meta(Summa.Meta):
        indexes = [models.Index(fields=["rapportdag", "typ", "kategori"], name="kategorisumma_idx")]


class Avvikelseavslut(Summa):
    """Closed avvikelser and tillbud per type, day reported, day closed and whether the
    closing was on or before the deadline: closed and in time by a cut-off, and the
    median of the calendar days from report to closing."""

    typ = models.CharField(max_length=16)
    rapportdag = models.DateField()
    avslutsdag = models.DateField()
    i_tid = models.BooleanField()

    class Meta(Summa.Meta):
        indexes = [
            models.Index(
                fields=["rapportdag", "typ", "avslutsdag", "i_tid"], name="avvikelseavslut_idx"
            )
        ]


class Orsakssumma(Summa):
    """Cause areas found, per type, cause area and day reported (a case counts once
    under each of its cause areas)."""

    typ = models.CharField(max_length=16)
    orsaksomrade = models.BigIntegerField()
    rapportdag = models.DateField()

    class Meta(Summa.Meta):
        indexes = [
            models.Index(fields=["rapportdag", "typ", "orsaksomrade"], name="orsakssumma_idx")
        ]
