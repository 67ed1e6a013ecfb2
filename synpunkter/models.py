"""Synpunkter och klagomål (docs/arbetsfloden.md), including those from the public e-service."""

import logging
import secrets
import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kvalitet import behorighet
from kvalitet.lib.svenska import ordformer
from kvalitet.models import (
    FILEN_KUNDE_INTE_SPARAS,
    SER_ALLT,
    Arende,
    ArendeQuerySet,
    Enhet,
    Enhetstyp,
    Kodlista,
    Roll,
    TimelineEntry,
    arendeindex,
    tilldelning,
)
from kvalitet.models.arende import private_storage
from kvalitet.notifieringar import notifiera
from kvalitet.summering import Summa
from kvalitet.workflow import ateroppning, step, transition

from .behorighet import ar_registrator, kan_hantera_eller_registrera
from .choices import (
    ETT_ORD,
    OPPNA,
    Avsandare,
    Delegationsstatus,
    Kanal,
    Status,
    Svarssatt,
    Typ,
)

# Public reference codes avoid look-alike characters (0/O, 1/I/L) so they can be read
# over the phone.
REFERENS_TECKEN = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def ny_referens():
    kod = "".join(secrets.choice(REFERENS_TECKEN) for _ in range(8))
    return f"{kod[:4]}-{kod[4:]}"


def ledig_referens():
    """A new reference that no synpunkt and no submission waiting to be built has (one
    query). There are 31^8 codes: a repeat is rare, but with a million synpunkter about
    one new reference in 850,000 would repeat one – and a submission with a taken
    reference could never be built, a staff registration would fail."""
    qn = connection.ops.quote_name
    # Written out: the ORM's union cost the e-service's request four times as much CPU.
    sql = (
        f"SELECT 1 FROM {qn(Synpunkt._meta.db_table)} WHERE referens = %s "  # noqa: S608
        f"UNION ALL SELECT 1 FROM {qn(Inlamning._meta.db_table)} WHERE referens = %s LIMIT 1"
    )
    with connection.cursor() as cursor:
        while True:
            referens = ny_referens()
            cursor.execute(sql, [referens, referens])
            if cursor.fetchone() is None:
                return referens


log = logging.getLogger(__name__)

# Parts of the organisation a citizen can name in the e-service (no internal teams).
PUBLIKA_TYPER = (Enhetstyp.AVDELNING, Enhetstyp.ENHET)


def publika_enheter():
    """Parts of the organisation a citizen can name (no internal teams)."""
    return Enhet.objects.aktiva().filter(typ__in=PUBLIKA_TYPER)


def forvaltningen():
    """The förvaltning itself (the root of the organisation), where a submission goes
    when the submitter did not know the unit; the registrator routes it."""
    return Enhet.objects.filter(overordnad__isnull=True).order_by("pk").first()


def normalisera_referens(text: str) -> str:
    """A reference number as stored, however it was typed or read out: "abcd efgh",
    "ABCDEFGH" and "ABCD-EFGH" are the same."""
    kod = "".join(text.split()).upper()
    if len(kod) == 8 and kod.isalnum():
        return f"{kod[:4]}-{kod[4:]}"
    return kod


class Kategori(Kodlista):
    """Category of a synpunkt (admin-editable list)."""

    class Meta(Kodlista.Meta):
        verbose_name = _("synpunktskategori")
        verbose_name_plural = _("synpunktskategorier")


def _registrator(user, synpunkt):
    return ar_registrator(user)


def _kan_hantera(user, synpunkt):
    return behorighet.kan_hantera(user, synpunkt)


def _bekrafta_epostsvar(synpunkt, data):
    """An answer by e-mail leaves the system for good: confirmed, with the address."""
    if data.get("svarssatt") != Svarssatt.EPOST or not synpunkt.kan_fa_svar_med_epost:
        return ""
    return _("Svaret skickas med e-post till %(adress)s. Det går inte att ta tillbaka.") % {
        "adress": synpunkt.kontakt.epost
    }


def _ar_klagomal(synpunkt):
    return synpunkt.typ == Typ.KLAGOMAL


def _via_ivo(synpunkt):
    return synpunkt.kanal == Kanal.VIA_IVO


class SynpunktQuerySet(ArendeQuerySet):
    def vantar_pa(self, user):
        """New synpunkter for the registrator; registered and unanswered or answered but
        open ones for the unit's managers and the handler."""
        hantering = [Status.REGISTRERAD, Status.UNDER_HANDLAGGNING, Status.BESVARAD]
        q = Q(status__in=hantering, handlaggare=user)
        if ar_registrator(user):
            q |= Q(status=Status.INKOMMEN)
        for u in behorighet.uppdrag(user):
            if u.roll in self.model.ROLLER_HANTERAR:
                q |= Q(status__in=hantering, enhet__sokvag__startswith=u.enhet.sokvag)
        return self.filter(q)


class Synpunkt(Arende):
    """A synpunkt, klagomål, beröm, förslag or fråga, answered within 14 days."""

    NUMMER_PREFIX = "SYN"
    DATUMFALT = "inkom"
    STATUS_OPPNA = OPPNA
    ANMALARE_FALT = "skapad_av"
    EGNA_RUBRIK = _("Synpunkter jag har registrerat")
    FRIST_DAGAR = "SYNPUNKT_SVARSTID_DAGAR"
    FRITEXT = ("diarienummer", "beskrivning", "svar")
    # The e-mails ask the citizen to quote the reference number: staff find it by it,
    # and by IVO's case number of a klagomål IVO forwarded.
    SOKNYCKLAR = ("nummer", "referens")
    SOKS_MED_IVO_DIARIENUMMER = True
    # The registrator registers and routes every synpunkt, so sees them all, and takes
    # part in each (notes on the timeline, the klagomålsdelegation).
    ROLLER_SER_ALLT = (*SER_ALLT, Roll.REGISTRATOR)
    ROLLER_MEDVERKAR = (Roll.REGISTRATOR,)

    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.INKOMMEN, db_index=True
    )
    typ = models.CharField(_("typ"), max_length=16, choices=Typ.choices)
    kanal = models.CharField(_("kanal"), max_length=16, choices=Kanal.choices)
    avsandare = models.CharField(_("avsändare"), max_length=16, choices=Avsandare.choices)
    inkom = models.DateTimeField(_("inkom"), default=timezone.now, db_index=True)
    beskrivning = models.TextField(_("vad gäller det"), max_length=10_000)
    enhet_okand = models.BooleanField(
        _("inlämnaren visste inte vilken enhet"), default=False, editable=False
    )
    anonym = models.BooleanField(_("anonym"), default=False)
    referens = models.CharField(
        _("referensnummer"), max_length=9, unique=True, default=ny_referens, editable=False
    )
    diarienummer = models.CharField(_("diarienummer"), max_length=40, blank=True)
    kategori = models.ForeignKey(
        Kategori,
        verbose_name=_("kategori"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registrerad = models.DateTimeField(_("registrerad"), null=True, blank=True)

    svar = models.TextField(_("svar"), max_length=20_000, blank=True)
    svarssatt = models.CharField(
        _("svaret lämnades"), max_length=16, choices=Svarssatt.choices, blank=True
    )
    besvarad = models.DateTimeField(_("besvarad"), null=True, blank=True)

    brustit = models.BooleanField(_("verksamheten har brustit"), null=True, blank=True)
    ledde_till_forbattring = models.BooleanField(_("ledde till förbättring"), null=True, blank=True)
    forbattring = models.TextField(_("vilken förbättring"), max_length=5000, blank=True)

    delegation_status = models.CharField(
        _("klagomålsdelegationen"), max_length=16, choices=Delegationsstatus.choices, blank=True
    )
    delegation_begard = models.DateField(
        _("begäran om klagomålsdelegationen"), null=True, blank=True
    )
    delegation_behandlad = models.DateField(_("behandlad av delegationen"), null=True, blank=True)
    delegation_anteckning = models.TextField(
        _("anteckning om klagomålsdelegationen"), max_length=5000, blank=True
    )
    kontakt_gallrad = models.DateTimeField(_("kontaktuppgifter gallrade"), null=True, blank=True)

    # A klagomål IVO forwarded for the förvaltning to handle (DOMAIN.md §4.7): IVO's case,
    # when IVO sent it and wants an answer, and the answer to IVO – separate from the
    # answer to the complainant.
    ivo_diarienummer = models.CharField(_("IVO:s diarienummer"), max_length=40, blank=True)
    ivo_skickad = models.DateField(_("IVO skickade den"), null=True, blank=True)
    ivo_svar_senast = models.DateField(_("IVO vill ha svar senast"), null=True, blank=True)
    ivo_svar = models.TextField(_("svar till IVO"), max_length=20_000, blank=True)
    ivo_besvarad = models.DateField(_("IVO besvarad"), null=True, blank=True)

    objects = SynpunktQuerySet.as_manager()

    class Meta:
        verbose_name = _("synpunkt")
        verbose_name_plural = _("synpunkter")
        ordering = ["-inkom", "-pk"]
        indexes = arendeindex(
            "inkom", anmalare="skapad_av", oppna=OPPNA, namn="synpunkt", ivo=True
        ) + [
            # The kvalitetsberättelse's yearly counts (synpunkter.statistik.arssiffror,
            # the comparison over years) as index-only scans: every column they read.
            models.Index(
                fields=["inkom"],
                include=[
                    "typ",
                    "kanal",
                    "avsandare",
                    "enhet",
                    "kategori",
                    "besvarad",
                    "avslutad",
                    "brustit",
                    "ledde_till_forbattring",
                    "id",
                ],
                name="synpunkt_statistik_idx",
            ),
        ]

    @classmethod
    def normalisera_nyckel(cls, text):
        return normalisera_referens(text)

    def get_absolute_url(self):
        return reverse("synpunkter:detalj", args=[self.nummer])

    def clean(self):
        if self.inkom and self.inkom > timezone.now() + timedelta(minutes=5):
            raise ValidationError({"inkom": _("Datumet kan inte ligga i framtiden.")})
        ivo = [self.ivo_diarienummer, self.ivo_skickad, self.ivo_svar_senast, self.ivo_besvarad]
        if self.kanal != Kanal.VIA_IVO and any(ivo):
            raise ValidationError(_("IVO-uppgifterna fylls bara i när synpunkten kom via IVO."))
        fel = {}
        for falt in ("ivo_svar_senast", "ivo_besvarad"):
            dag = getattr(self, falt)
            if self.ivo_skickad and dag and dag < self.ivo_skickad:
                fel[falt] = _("Datumet kan inte ligga före dagen IVO skickade klagomålet.")
        if fel:
            raise ValidationError(fel)

    @property
    def ord(self):
        """Words agreeing with the type: "en ny fråga … den", "ett nytt klagomål … det"."""
        return ordformer(self.typ in ETT_ORD)

    @property
    def kontakt(self):
        """The contact details, or None (anonymous, none given, or removed)."""
        try:
            return self.kontaktuppgifter
        except Kontaktuppgifter.DoesNotExist:
            return None

    @property
    def kan_fa_svar_med_epost(self):
        kontakt = self.kontakt
        return bool(kontakt and kontakt.epost)

    @property
    def besvarad_i_tid(self):
        if not self.besvarad:
            return None
        return timezone.localdate(self.besvarad) <= self.tidsfrist

    def forslag_till_avvikelse(self):
        """Initial values for an avvikelse created from this synpunkt (the service failed)."""
        return {
            "typ": "avvikelse",
            "enhet": self.enhet_id,
            "handelsedatum": timezone.localdate(self.inkom),
            "upptackt_datum": timezone.localdate(self.inkom),
            "upptackt_hur": "enskild",
            "beskrivning": _("Från %(nr)s (%(typ)s): %(text)s")
            % {"nr": self.nummer, "typ": self.get_typ_display().lower(), "text": self.beskrivning},
        }

    # --- Receiving --------------------------------------------------------------

    @classmethod
    def ta_emot(cls, *, av=None, kontakt=None, bilaga=None, **falt):
        """Receive a synpunkt (public form or staff): save, log, acknowledge, and tell the
        registrators. `kontakt` is a dict of Kontaktuppgifter fields or None."""
        with transaction.atomic():
            falt.setdefault("referens", None)
            synpunkt = cls(skapad_av=av, uppdaterad_av=av, **falt)
            # A built submission brings the reference its receipt gave (`Inlamning`).
            synpunkt.referens = synpunkt.referens or ledig_referens()
            synpunkt.anonym = kontakt is None
            if synpunkt.anonym:
                synpunkt.avsandare = Avsandare.ANONYM
            synpunkt.spara_ny(
                av=av, orsak="Inkommen", bilaga=bilaga, text=str(Kanal(synpunkt.kanal).label)
            )
            if kontakt:
                Kontaktuppgifter.objects.create(synpunkt=synpunkt, **kontakt)
            if kontakt and kontakt.get("epost") and synpunkt.kanal == Kanal.E_TJANST:
                notifiera(
                    [kontakt["epost"]], "synpunkter/mejl/mottagen.txt", {"synpunkt": synpunkt}
                )
            notifiera(
                behorighet.med_roll(Roll.REGISTRATOR),
                "synpunkter/mejl/ny_till_registrator.txt",
                {"synpunkt": synpunkt},
                utom=av,
            )
        return synpunkt

    # --- Workflow ---------------------------------------------------------------

    @transition(
        source=[Status.INKOMMEN],
        target=Status.REGISTRERAD,
        label=_("Registrera och fördela"),
        permission=_registrator,
        form="synpunkter.forms.RegistreraForm",
        message=lambda s: (
            _("%(nr)s är registrerad och fördelad till %(enhet)s.")
            % {"nr": s.nummer, "enhet": s.enhet.namn}
        ),
    )
    def registrera(self, *, av, enhet, kategori, typ, diarienummer="", avsandare=None):
        """The registrator registers the synpunkt and routes it to a unit's enhetschef."""
        self.enhet = enhet
        self.kategori = kategori
        self.typ = typ
        self.diarienummer = diarienummer
        if avsandare and not self.anonym:
            self.avsandare = avsandare
        self.registrerad = timezone.now()
        notifiera(
            behorighet.ansvariga_chefer(enhet),
            "synpunkter/mejl/fordelad.txt",
            {"synpunkt": self},
            utom=av,
        )

    @transition(
        source=[Status.REGISTRERAD],
        target=Status.UNDER_HANDLAGGNING,
        label=_("Påbörja handläggning"),
        permission=_kan_hantera,
        message=_("Handläggningen av %(arende)s är påbörjad."),
    )
    def paborja(self, *, av):
        """The enhetschef (or someone they are) takes the case; they become its handler."""
        if self.handlaggare_id is None:
            self.handlaggare = av

    @transition(
        source=[Status.REGISTRERAD, Status.UNDER_HANDLAGGNING],
        target=Status.BESVARAD,
        label=_("Besvara"),
        permission=_kan_hantera,
        form="synpunkter.forms.BesvaraForm",
        confirm=_bekrafta_epostsvar,
        message=lambda s: (
            _("Svaret är skickat med e-post till inlämnaren.")
            if s.svarssatt == Svarssatt.EPOST
            else _("Svaret är registrerat.")
        ),
    )
    def besvara(self, *, av, svar, svarssatt):
        """Record the answer; by e-mail from the system when the submitter left an address."""
        if not svar.strip():
            raise ValidationError({"svar": _("Skriv svaret.")})
        if svarssatt == Svarssatt.EPOST and not self.kan_fa_svar_med_epost:
            raise ValidationError(
                {"svarssatt": _("Det finns ingen e-postadress att skicka svaret till.")}
            )
        if svarssatt == Svarssatt.INGET and self.kontakt is not None:
            raise ValidationError(
                {
                    "svarssatt": _(
                        "Inlämnaren har lämnat kontaktuppgifter. Välj hur svaret lämnades."
                    )
                }
            )
        self.svar = svar
        self.svarssatt = svarssatt
        if self.besvarad is None:
            # The first answer is the one the 14-day deadline is measured by.
            self.besvarad = timezone.now()
        if self.handlaggare_id is None:
            self.handlaggare = av
        if svarssatt == Svarssatt.EPOST:
            notifiera([self.kontakt.epost], "synpunkter/mejl/svar.txt", {"synpunkt": self})

    @transition(
        source=[Status.BESVARAD],
        target=Status.AVSLUTAD,
        label=_("Avsluta"),
        permission=_kan_hantera,
        form="synpunkter.forms.AvslutaForm",
        message=_("%(arende)s är avslutad."),
    )
    def avsluta(self, *, av, brustit, ledde_till_forbattring, forbattring=""):
        """Close, recording whether the service failed and whether it led to improvement."""
        if ledde_till_forbattring and not forbattring.strip():
            raise ValidationError({"forbattring": _("Beskriv förbättringen.")})
        self.brustit = brustit
        self.ledde_till_forbattring = ledde_till_forbattring
        self.forbattring = forbattring
        self.avslutad = timezone.now()

    ateroppna = ateroppning(
        source=[Status.AVSLUTAD], target=Status.UNDER_HANDLAGGNING, permission=_kan_hantera
    )

    # Once routed to a unit (the registrator routes what comes in).
    tilldela = tilldelning(source=[Status.REGISTRERAD, Status.UNDER_HANDLAGGNING, Status.BESVARAD])

    # --- Klagomålsdelegationen ----------------------------------------------------

    @step(
        label=_("Registrera begäran eller beslut"),
        permission=kan_hantera_eller_registrera,
        condition=_ar_klagomal,
        condition_message=_("Klagomålsdelegationen gäller klagomål."),
        slug="klagomalsdelegation",
        form="synpunkter.forms.DelegationForm",
        timeline=TimelineEntry.Typ.BESLUT,
        reason="Klagomålsdelegationen",
        message=_("Klagomålsdelegationen är registrerad."),
    )
    def registrera_delegation(self, *, av, status, datum, anteckning=""):
        """Record the complainant's request to the klagomålsdelegation, or its outcome."""
        if datum > timezone.localdate():
            raise ValidationError({"datum": _("Datumet kan inte ligga i framtiden.")})
        if datum < timezone.localdate(self.inkom):
            raise ValidationError({"datum": _("Datumet kan inte ligga före ankomstdagen.")})
        if status == Delegationsstatus.BEGARD:
            self.delegation_begard = datum
        else:
            if not self.delegation_begard:
                raise ValidationError(
                    {"status": _("Registrera först att klagomålsdelegationen har begärts.")}
                )
            if datum < self.delegation_begard:
                raise ValidationError(
                    {"datum": _("Delegationen kan inte ha behandlat ärendet före begäran.")}
                )
            self.delegation_behandlad = datum
        self.delegation_status = status
        self.delegation_anteckning = anteckning
        return (
            f"Klagomålsdelegationen: {Delegationsstatus(status).label.lower()} "
            f"{datum:%Y-%m-%d}. {anteckning}".strip()
        )

    # --- A klagomål forwarded by IVO --------------------------------------------------

    @step(
        label=_("Svara IVO"),
        permission=_kan_hantera,
        condition=_via_ivo,
        condition_message=_("Svaret till IVO gäller synpunkter som kommit via IVO."),
        slug="svar-till-ivo",
        form="synpunkter.forms.IvoSvarForm",
        reason="Svar till IVO",
        message=lambda s: (
            _("Svaret till IVO (%(dnr)s) är registrerat.")
            % {"dnr": s.ivo_diarienummer or _("utan diarienummer")}
        ),
    )
    def svara_ivo(self, *, av, svar, datum):
        """Record the answer sent to IVO and its date; IVO's own date stops reminding."""
        if datum > timezone.localdate():
            raise ValidationError({"datum": _("Datumet kan inte ligga i framtiden.")})
        forsta = self.ivo_skickad or timezone.localdate(self.inkom)
        if datum < forsta:
            raise ValidationError(
                {"datum": _("Svaret kan inte ha skickats innan IVO skickade klagomålet.")}
            )
        if (svar, datum) == (self.ivo_svar, self.ivo_besvarad):
            return None
        self.ivo_svar = svar
        self.ivo_besvarad = datum
        return gettext("Svar till IVO %(datum)s.") % {"datum": f"{datum:%Y-%m-%d}"}

    @property
    def ivo_forsenad(self):
        """IVO's answer date has passed without an answer to IVO."""
        return bool(
            self.ivo_svar_senast
            and not self.ivo_besvarad
            and self.ivo_svar_senast < timezone.localdate()
        )


class Kontaktuppgifter(models.Model):
    """The submitter's contact details, kept apart from the case (and its history) so
    that they can be removed a configurable time after closing."""

    synpunkt = models.OneToOneField(
        Synpunkt, on_delete=models.CASCADE, related_name="kontaktuppgifter"
    )
    namn = models.CharField(_("namn"), max_length=200, blank=True)
    epost = models.EmailField(_("e-post"), max_length=254, blank=True)
    telefon = models.CharField(_("telefon"), max_length=40, blank=True)
    vill_ha_svar = models.BooleanField(_("vill ha svar"), default=True)

    class Meta:
        verbose_name = _("kontaktuppgifter")
        verbose_name_plural = _("kontaktuppgifter")

    def __str__(self):
        return self.namn or self.epost or self.telefon


def _inlamningsfil(instance, filename):
    return f"inlamningar/{uuid.uuid4().hex}"


# A submission is normally built within seconds; one still waiting after this long
# (a build that failed, a worker or beat that is not running) is shown to the
# registrator and the administrator (`fastnade`).
FASTNAD_EFTER = timedelta(minutes=10)


class InlamningQuerySet(models.QuerySet):
    def vantande(self):
        """Accepted, not yet built into a synpunkt."""
        return self.filter(byggd__isnull=True)

    def fastnade(self, nu=None):
        """Waiting after a failed build, or for longer than `FASTNAD_EFTER`."""
        grans = (nu or timezone.now()) - FASTNAD_EFTER
        return self.vantande().filter(Q(forsok__gt=0) | Q(mottagen__lt=grans))


class Inlamning(models.Model):
    """A submission through the public e-service, accepted as one row.

    The citizen's request validates the form, counts the rate limit, draws a reference
    no synpunkt has (`ledig_referens`), saves this row (and the attachment's file) and
    answers with the receipt: nothing else, so a burst of submissions is taken in as
    fast as rows can be written. The Celery worker builds
    the synpunkt from it (`bygg`: number, history, timeline, contact details, the
    acknowledgement and the registrator's notice) – at once when a broker is
    configured, in the request when none is (`CELERY_TASK_ALWAYS_EAGER`), and by the
    periodic sweep when the broker was down. Until then the status page shows it as
    received, under the reference the receipt gave.

    `nyckel` is the form's one-time key: the same form sent again (a reload of the
    receipt, a double click) finds this row and shows its receipt instead of a second
    submission. Once built, the row keeps only what the receipt needs (no description,
    no contact details) and is removed a day later (`gallra`)."""

    nyckel = models.CharField(_("formulärets engångsnyckel"), max_length=64, unique=True)
    referens = models.CharField(
        _("referensnummer"), max_length=9, unique=True, default=ny_referens, editable=False
    )
    mottagen = models.DateTimeField(_("mottagen"), default=timezone.now)
    typ = models.CharField(_("typ"), max_length=16, choices=Typ.choices)
    beskrivning = models.TextField(_("vad gäller det"), max_length=10_000, blank=True)
    # None: the submitter did not know (the förvaltning, for the registrator to route).
    enhet = models.ForeignKey(
        Enhet,
        verbose_name=_("enhet"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    anonym = models.BooleanField(_("anonym"))
    # The contact details as `Synpunkt.ta_emot` takes them; None when anonymous.
    kontakt = models.JSONField(_("kontaktuppgifter"), null=True, blank=True)
    bekraftelse = models.BooleanField(_("bekräftelse med e-post"), default=False)
    # Stored as attachments are: whole or not at all, no public address, a random name.
    bilaga = models.FileField(
        _("bilaga"), storage=private_storage, upload_to=_inlamningsfil, blank=True
    )
    bilaga_namn = models.CharField(max_length=255, blank=True)
    bilaga_typ = models.CharField(max_length=100, blank=True)
    byggd = models.DateTimeField(_("synpunkten skapad"), null=True, blank=True)
    synpunkt = models.ForeignKey(
        Synpunkt,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    forsok = models.PositiveSmallIntegerField(default=0)
    senaste_fel = models.TextField(blank=True)

    objects = InlamningQuerySet.as_manager()

    class Meta:
        verbose_name = _("inlämning via e-tjänsten")
        verbose_name_plural = _("inlämningar via e-tjänsten")
        # Only the two unique keys: every index is written by every submission, and the
        # table holds a day's submissions at most (the worker's and the clean-up's
        # queries read it whole).

    def __str__(self):
        return self.referens

    @classmethod
    def ta_emot(cls, *, nyckel, bilaga=None, **falt):
        """Save an accepted submission (validated by `PublikForm`) in the caller's
        transaction. An attachment that cannot be stored saves nothing (a
        ValidationError on `bilaga`); the same `nyckel` twice is an IntegrityError."""
        rad = cls(nyckel=nyckel, referens=ledig_referens(), **falt)
        if bilaga is not None:
            rad.bilaga_namn = bilaga.name[:255]
            rad.bilaga_typ = bilaga.innehallstyp
            try:
                rad.bilaga.save("bilaga", bilaga, save=False)
            except OSError as exc:
                log.error("Bilagan kunde inte sparas: %s", exc)
                raise ValidationError({"bilaga": FILEN_KUNDE_INTE_SPARAS}) from exc
        try:
            rad.save(force_insert=True)
        except BaseException:
            if rad.bilaga:
                rad.bilaga.storage.delete(rad.bilaga.name)  # no file without its row
            raise
        return rad

    @property
    def kvitto(self):
        """What the receipt shows."""
        return {
            "referens": self.referens,
            "datum": timezone.localdate(self.mottagen).isoformat(),
            "epost": self.bekraftelse,
            "anonym": self.anonym,
        }

    def som_synpunkt(self):
        """An unsaved synpunkt as the status page shows one not yet built: received,
        with the deadline it will get."""
        synpunkt = Synpunkt(status=Status.INKOMMEN, inkom=self.mottagen)
        synpunkt.tidsfrist = synpunkt.frist_fran(self.mottagen)
        return synpunkt

    @classmethod
    def bygg(cls, pk):
        """Build the synpunkt of one pending submission; None when it is built already or
        another worker is building it. Once: the row is locked and marked in the same
        transaction as the synpunkt is created."""
        with transaction.atomic():
            rad = (
                cls.objects.vantande()
                .select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk)
                .select_related("enhet")
                .first()
            )
            if rad is None:
                return None
            enhet, okand = rad._enhet()
            fil = None
            if rad.bilaga:
                fil = File(rad.bilaga.open("rb"), name=rad.bilaga_namn)
                fil.innehallstyp = rad.bilaga_typ
            try:
                synpunkt = Synpunkt.ta_emot(
                    typ=rad.typ,
                    kanal=Kanal.E_TJANST,
                    avsandare=Avsandare.OVRIG,
                    beskrivning=rad.beskrivning,
                    enhet=enhet,
                    enhet_okand=okand,
                    kontakt=rad.kontakt,
                    bilaga=fil,
                    inkom=rad.mottagen,
                    referens=rad.referens,
                )
            finally:
                if fil is not None:
                    fil.close()
            if rad.bilaga:
                namn, lagring = rad.bilaga.name, rad.bilaga.storage
                transaction.on_commit(lambda: lagring.delete(namn))
            # What the receipt does not need leaves with the synpunkt.
            cls.objects.filter(pk=rad.pk).update(
                byggd=timezone.now(),
                synpunkt=synpunkt,
                beskrivning="",
                kontakt=None,
                bilaga="",
                senaste_fel="",
            )
        return synpunkt

    def _enhet(self):
        """The unit chosen, if a citizen may still name it; otherwise – or when the
        submitter did not know – the förvaltning, for the registrator to route."""
        enhet = self.enhet
        if enhet is not None and enhet.aktiv and enhet.typ in PUBLIKA_TYPER:
            return enhet, False
        return forvaltningen(), True

    @classmethod
    def bygg_vantande(cls, hogst=1000, misslyckade=None):
        """Build pending submissions, oldest first (at most `hogst`, none of the pks in
        `misslyckade`). One that fails (a full disk for its attachment, say) is noted,
        added to `misslyckade` – as is one another worker holds – and left for the next
        run; the others go on. Returns the number built."""
        misslyckade = set() if misslyckade is None else misslyckade
        vantande = cls.objects.vantande().exclude(pk__in=misslyckade).order_by("mottagen")
        byggda = 0
        for pk in vantande.values_list("pk", flat=True)[:hogst]:
            if cls.forsok_bygga(pk):
                byggda += 1
            elif cls.objects.vantande().filter(pk=pk).exists():
                misslyckade.add(pk)
        return byggda

    @classmethod
    def forsok_bygga(cls, pk) -> bool:
        """`bygg`, with a failure noted on the row (`forsok`, `senaste_fel`) and logged
        instead of raised; whether this call built it."""
        try:
            return cls.bygg(pk) is not None
        except Exception as exc:
            log.exception("Inlämning %s kunde inte byggas; den försöks igen.", pk)
            cls.objects.filter(pk=pk).update(
                forsok=models.F("forsok") + 1, senaste_fel=repr(exc)[:2000]
            )
            return False

    @classmethod
    def gallra(cls, aldre_an=timedelta(days=1)):
        """Remove built submissions older than `aldre_an` (a reload of the receipt after
        that starts a new form)."""
        return cls.objects.filter(byggd__lt=timezone.now() - aldre_an).delete()[0]


# --- Counts kept as the synpunkter change, for the report's figures (kvalitet.summering) ---
# Days are Swedish calendar days; a key's count is the sum of its rows.


class Synpunktsumma(Summa):
    """Synpunkter per day received and type: the comparison over years and those that
    should have been answered by a cut-off."""

    DAG = "inkomstdag"

    typ = models.CharField(max_length=16)
    inkomstdag = models.DateField()

    class Meta(Summa.Meta):
        indexes = [models.Index(fields=["inkomstdag", "typ"], name="synpunktsumma_idx")]


class Svarssumma(Summa):
    """Answered synpunkter per day received, type and day answered: answered, in time
    and the median days to the answer by a cut-off."""

    DAG = "inkomstdag"

    typ = models.CharField(max_length=16)
    inkomstdag = models.DateField()
    svarsdag = models.DateField()

    class Meta(Summa.Meta):
        indexes = [models.Index(fields=["inkomstdag", "typ", "svarsdag"], name="svarssumma_idx")]


class Synpunktavslut(Summa):
    """Closed synpunkter per day received, type and day closed: closed and the median
    days to the closing by a cut-off."""

    DAG = "inkomstdag"

    typ = models.CharField(max_length=16)
    inkomstdag = models.DateField()
    avslutsdag = models.DateField()

    class Meta(Summa.Meta):
        indexes = [
            models.Index(fields=["inkomstdag", "typ", "avslutsdag"], name="synpunktavslut_idx")
        ]
