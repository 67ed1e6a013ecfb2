"""The case base model, the feature mixins it is composed of, and the records that
attach to any record.

Timeline entries, attachments, improvement actions and links live once, here, and point
at their record through a generic relation. A record takes the features that fit it
(`UnitMixin`, `NumberedMixin`, `TimelineMixin`, `AttachmentsMixin`, `ActionsMixin`,
`LinksMixin`, `HistoryMixin`): a risk or a decided plan is not a case with a deadline,
but it belongs to a unit, is numbered and has a timeline. Every case type (avvikelse,
synpunkt, lex Sarah ...) extends `Arende`, the composition of them all with a status
flow (docs/nytt-arendetyp.md).
"""

import contextlib
import hashlib
import logging
import os
import tempfile
import uuid
from datetime import date, datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Replace, Upper
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kvalitet.workflow import step, transition

from .historik import ProtectedHistoricalRecords
from .organisation import HANTERAR, SER_ALLT, SER_ENHET


class Kodlista(models.Model):
    """An administrator-editable list of names (categories, cause areas ...)."""

    namn = models.CharField(_("namn"), max_length=200, unique=True)
    # What belongs here and what does not, shown where an entry is chosen, so that two
    # people code the same event alike.
    beskrivning = models.CharField(_("definition"), max_length=500, blank=True)
    aktiv = models.BooleanField(_("aktiv"), default=True)
    ordning = models.PositiveSmallIntegerField(_("ordning"), default=100)

    class Meta:
        abstract = True
        ordering = ["ordning", "namn"]

    def __str__(self):
        return self.namn


class Orsaksomrade(Kodlista):
    """Cause area found in an investigation (of an avvikelse, of a lex Sarah case); a case
    can have several. One list for every case type, so that causes compare across them.

    The table keeps the name it had when only avvikelser used the list."""

    class Meta(Kodlista.Meta):
        db_table = "avvikelser_orsaksomrade"
        verbose_name = _("orsaksområde")
        verbose_name_plural = _("orsaksområden")


class CaseNumberSeries(models.Model):
    """The last serial used per case type and year (AVV-2026-0042)."""

    prefix = models.CharField(max_length=8)
    ar = models.PositiveSmallIntegerField()
    senaste = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "ar"], name="nummerserie_unik")]

    def __str__(self):
        return f"{self.prefix}-{self.ar}: {self.senaste}"

    @classmethod
    def next(cls, prefix: str, ar: int) -> str:
        """Reserve the next number; row-locked so concurrent reports never collide.

        The row-locking UPDATE comes first (`reservera`): an UPDATE and a SELECT once the
        year's series exists, where get_or_create (in its own savepoint), SELECT … FOR
        UPDATE and save took three and a savepoint more – and every case, those from the
        public e-service too, holds this lock until its commit (bench/README.md)."""
        return cls.reservera(prefix, ar, 1)[0]

    @classmethod
    def reservera(cls, prefix: str, ar: int, antal: int) -> list[str]:
        """Reserve `antal` consecutive numbers at once (imports), in one row-locked
        update; the numbers continue the series exactly as `next()` would."""
        if antal <= 0:
            return []
        with transaction.atomic():
            # The UPDATE takes the row lock, held until the caller's transaction ends,
            # so the value read back is ours and concurrent reports wait their turn.
            if not cls.objects.filter(prefix=prefix, ar=ar).update(
                senaste=models.F("senaste") + antal
            ):
                try:
                    with transaction.atomic():
                        cls.objects.create(prefix=prefix, ar=ar, senaste=antal)
                except IntegrityError:  # created by a concurrent transaction
                    cls.objects.filter(prefix=prefix, ar=ar).update(
                        senaste=models.F("senaste") + antal
                    )
            senaste = cls.objects.filter(prefix=prefix, ar=ar).values_list("senaste", flat=True)
            senaste = senaste.get()
        return [f"{prefix}-{ar}-{n:04d}" for n in range(senaste - antal + 1, senaste + 1)]


class TimelineEntry(models.Model):
    """One event on a case's timeline: a comment, a status change, an assignment ..."""

    class Typ(models.TextChoices):
        SKAPAT = "skapat", _("Skapat")
        KOMMENTAR = "kommentar", _("Kommentar")
        STATUS = "status", _("Statusändring")
        TILLDELNING = "tilldelning", _("Tilldelning")
        BILAGA = "bilaga", _("Bilaga")
        ATGARD = "atgard", _("Åtgärd")
        LANK = "lank", _("Länk")
        BESLUT = "beslut", _("Ställningstagande")
        ANDRING = "andring", _("Ändring")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    arende = GenericForeignKey("content_type", "object_id")
    typ = models.CharField(max_length=16, choices=Typ.choices)
    text = models.TextField(blank=True)
    fran_status = models.CharField(max_length=32, blank=True)
    till_status = models.CharField(max_length=32, blank=True)
    anvandare = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    skapad = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["skapad", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "skapad"])]

    def __str__(self):
        return f"{self.get_typ_display()} {self.skapad:%Y-%m-%d %H:%M}"


class TimelineMixin(models.Model):
    """Gives a record its timeline and the `log` method the workflow engine uses."""

    timeline = GenericRelation(TimelineEntry)

    class Meta:
        abstract = True

    def log(self, typ, *, av=None, text="", fran_status="", till_status="", tid=None):
        """Append an entry to this case's timeline."""
        return TimelineEntry.objects.create(
            content_type=ContentType.objects.get_for_model(type(self)),
            object_id=self.pk,
            typ=typ,
            text=text,
            fran_status=fran_status,
            till_status=till_status,
            anvandare=av,
            skapad=tid or timezone.now(),
        )


FILEN_KUNDE_INTE_SPARAS = _(
    "Filen kunde inte sparas: lagringsutrymmet är fullt eller går inte att skriva till. "
    "Inget har sparats. Försök igen senare, och kontakta administratören om felet kvarstår."
)


def _bilaga_path(instance, filename):
    # Random name: the original file name is kept in the database, never on disk.
    return f"bilagor/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class PrivateStorage(FileSystemStorage):
    """Storage under MEDIA_ROOT without any public URL, writing every file whole or not
    at all: the bytes go to a hidden temporary name in the target directory, are flushed
    to disk, and only then appear under their name (a hard link, which never replaces an
    existing file). A full disk, an unwritable directory or a process killed mid-write
    leaves no file under a name a record could point to; the temporary file is removed
    on an error (a killed process may leave one `.tmp-*` file, never referenced)."""

    def url(self, name):
        raise ValueError(
            "Bilagor har ingen publik adress; de hämtas via behörighetskontrollerad vy."
        )

    def _save(self, name, content):
        katalog = os.path.dirname(self.path(name))
        os.makedirs(katalog, exist_ok=True)
        fd, tillfallig = tempfile.mkstemp(dir=katalog, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fil:
                if hasattr(content, "seek"):
                    content.seek(0)
                for bit in content.chunks():
                    fil.write(bit)
                fil.flush()
                os.fsync(fil.fileno())
            os.chmod(tillfallig, self.file_permissions_mode or 0o640)
            while True:
                try:
                    os.link(tillfallig, self.path(name))
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tillfallig)
        return str(name).replace("\\", "/")


private_storage = PrivateStorage()


class Attachment(models.Model):
    """A file attached to a case, validated on upload and served only after an access check."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    arende = GenericForeignKey("content_type", "object_id")
    fil = models.FileField(storage=private_storage, upload_to=_bilaga_path, max_length=255)
    filnamn = models.CharField(_("filnamn"), max_length=255)
    innehallstyp = models.CharField(max_length=100)
    storlek = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uppladdad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    skapad = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["skapad", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.filnamn

    def get_absolute_url(self):
        return reverse("attachment", args=[self.pk])

    @classmethod
    def store(cls, arende, uppladdad, innehallstyp, av):
        """Store an already validated upload on the case and log it."""
        digest = hashlib.sha256()
        for chunk in uppladdad.chunks():
            digest.update(chunk)
        uppladdad.seek(0)
        bilaga = cls(
            content_type=ContentType.objects.get_for_model(type(arende)),
            object_id=arende.pk,
            filnamn=uppladdad.name[:255],
            innehallstyp=innehallstyp,
            storlek=uppladdad.size,
            sha256=digest.hexdigest(),
            uppladdad_av=av,
        )
        try:
            bilaga.fil.save("bilaga", uppladdad, save=False)
        except OSError as exc:
            # A full disk or an unwritable MEDIA_ROOT: nothing is stored (the storage
            # writes whole files only), the caller's transaction leaves the case as it was.
            logging.getLogger(__name__).error("Bilagan kunde inte sparas: %s", exc)
            raise ValidationError({"bilaga": FILEN_KUNDE_INTE_SPARAS}) from exc
        try:
            with transaction.atomic():
                bilaga.save()
                arende.log(TimelineEntry.Typ.BILAGA, av=av, text=bilaga.filnamn)
        except BaseException:
            bilaga.fil.storage.delete(bilaga.fil.name)  # no file without its row
            raise
        return bilaga


class CaseLink(models.Model):
    """A link between two records of any types (similar-to, escalated-to, created-from,
    realised, belonging together)."""

    class Typ(models.TextChoices):
        LIKNANDE = "liknande", _("Liknande händelse")
        ESKALERAD = "eskalerad", _("Eskalerad till")
        SKAPAD_FRAN = "skapad_fran", _("Skapad från")
        # From an event (avvikelse, lex Sarah case, synpunkt) to the risk it realised.
        REALISERADE = "realiserade", _("Realiserade risken")
        # From a control's result to the risk it made staff assess again.
        NY_BEDOMNING = "ny_bedomning", _("Ledde till ny bedömning av")
        # Two records of which at least one is not a case – a process and the
        # avvikelse that showed a gap in it, an egenkontroll and a risk – are neither
        # similar events nor a risk realised: a staff member says they belong together.
        HOR_IHOP = "hor_ihop", _("Hör ihop med")

    fran_typ = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    fran_id = models.PositiveBigIntegerField()
    fran = GenericForeignKey("fran_typ", "fran_id")
    till_typ = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    till_id = models.PositiveBigIntegerField()
    till = GenericForeignKey("till_typ", "till_id")
    typ = models.CharField(max_length=16, choices=Typ.choices)
    kommentar = models.CharField(_("kommentar"), max_length=500, blank=True)
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    skapad = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fran_typ", "fran_id", "till_typ", "till_id"], name="lank_unik"
            )
        ]
        indexes = [
            models.Index(fields=["fran_typ", "fran_id"]),
            models.Index(fields=["till_typ", "till_id"]),
        ]

    # How a link reads from its other end: the avvikelse was created from the klagomål,
    # so the klagomål gave rise to the avvikelse.
    OMVAND: ClassVar[dict[str, str]] = {
        Typ.LIKNANDE: _("Liknande händelse"),
        Typ.ESKALERAD: _("Eskalerad från"),
        Typ.SKAPAD_FRAN: _("Gav upphov till"),
        Typ.REALISERADE: _("Realiserad genom"),
        Typ.NY_BEDOMNING: _("Bedömd på nytt efter"),
        Typ.HOR_IHOP: _("Hör ihop med"),
    }

    def __str__(self):
        return f"{self.get_typ_display()}"

    # The links a user made (and may take back); the others record where a case came
    # from (created from, escalated to, assessed again after) and stay.
    VALDA: ClassVar[tuple[str, ...]] = (Typ.LIKNANDE, Typ.REALISERADE, Typ.HOR_IHOP)

    @property
    def kan_tas_bort(self) -> bool:
        return self.typ in self.VALDA

    def ar_fran(self, arende) -> bool:
        """Is `arende` the link's own end (`fran`), rather than the other?"""
        ct = ContentType.objects.get_for_model(type(arende))
        return (self.fran_typ_id, self.fran_id) == (ct.pk, arende.pk)

    def andra_anden(self, arende) -> tuple[int, int]:
        """The link's end that is not `arende`, as (content type id, pk)."""
        if self.ar_fran(arende):
            return (self.till_typ_id, self.till_id)
        return (self.fran_typ_id, self.fran_id)

    def etikett(self, fran_sidan=True):
        """The link's name as read from its own end (`fran`) or from the other end."""
        return self.get_typ_display() if fran_sidan else str(self.OMVAND[self.typ])

    @classmethod
    def for_arende(cls, arende):
        """Links from or to the case, with both ends loaded."""
        ct = ContentType.objects.get_for_model(type(arende))
        return (
            cls.objects.filter(
                models.Q(fran_typ=ct, fran_id=arende.pk) | models.Q(till_typ=ct, till_id=arende.pk)
            )
            .prefetch_related("fran", "till")
            .order_by("skapad")
        )


class Atgardsstatus(models.TextChoices):
    """Status of an improvement action (docs/ordlista.md)."""

    PLANERAD = "planerad", _("Planerad")
    PAGAR = "pagar", _("Pågår")
    GENOMFORD = "genomford", _("Genomförd")
    UTVARDERAD = "utvarderad", _("Utvärderad")


ATGARD_OPPNA = (Atgardsstatus.PLANERAD, Atgardsstatus.PAGAR)


class Atgardstyp(models.TextChoices):
    """Kind of action; crossed with cause areas it shows whether actions fit causes."""

    INFORMATION = "information", _("Information om eller utbildning i rutin")
    RUTIN = "rutin", _("Ny eller ändrad rutin")
    ORGANISATION = "organisation", _("Ändrad organisation eller bemanning")
    TEKNIK = "teknik", _("Ändring i verksamhetssystem eller teknik")
    LOKALER = "lokaler", _("Lokaler eller utrustning")
    SAMVERKAN = "samverkan", _("Samverkan med andra")
    OVRIGT = "ovrigt", _("Övrigt")


def _kan_hantera_atgard(user, atgard):
    from kvalitet import behorighet

    return behorighet.kan_hantera_atgard(user, atgard)


def _kan_andra_atgard(user, atgard):
    """Who gave the action (the case's handlers) changes it: its owner, its date."""
    from kvalitet import behorighet

    return behorighet.kan_hantera(user, atgard.arende)


class Atgard(models.Model):
    """A förbättrande åtgärd: produced by a case, owned by a person, evaluated before closing."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    arende = GenericForeignKey("content_type", "object_id")
    titel = models.CharField(_("titel"), max_length=200)
    beskrivning = models.TextField(_("beskrivning"), max_length=5000, blank=True)
    typ = models.CharField(_("typ av åtgärd"), max_length=16, choices=Atgardstyp.choices)
    ansvarig = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig"),
        on_delete=models.PROTECT,
        related_name="ansvariga_atgarder",
    )
    enhet = models.ForeignKey(
        "kvalitet.Enhet", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    forfallodatum = models.DateField(_("klart senast"))
    status = models.CharField(
        _("status"), max_length=16, choices=Atgardsstatus.choices, default=Atgardsstatus.PLANERAD
    )
    forvantad_effekt = models.TextField(_("förväntad effekt"), max_length=5000, blank=True)
    effekt_kort_sikt = models.TextField(
        _("uppnådd effekt på kort sikt"), max_length=5000, blank=True
    )
    effekt_lang_sikt = models.TextField(
        _("uppnådd effekt på lång sikt"), max_length=5000, blank=True
    )
    genomford = models.DateField(_("genomförd"), null=True, blank=True)
    utvarderad = models.DateField(_("utvärderad"), null=True, blank=True)
    skapad = models.DateTimeField(default=timezone.now)
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = ProtectedHistoricalRecords()

    class Meta:
        verbose_name = _("förbättrande åtgärd")
        verbose_name_plural = _("förbättrande åtgärder")
        ordering = ["forfallodatum", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["ansvarig", "status"]),
        ]

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        """Its place on the page of the record it belongs to."""
        return f"{self.arende.get_absolute_url()}#atgard-{self.pk}"

    @property
    def ar_forsenad(self):
        return self.status in ATGARD_OPPNA and self.forfallodatum < timezone.localdate()

    def log(self, typ, *, av=None, text="", fran_status="", till_status="", tid=None):
        """Action events are written on the timeline of the case they belong to."""
        if till_status:
            text = f"{self.titel}: {Atgardsstatus(till_status).label.lower()}"
        else:
            text = f"{self.titel}: {text}" if text else self.titel
        return self.arende.log(typ, av=av, text=text, tid=tid)

    @transition(
        source=[Atgardsstatus.PLANERAD],
        target=Atgardsstatus.PAGAR,
        label=_("Påbörja"),
        permission=_kan_hantera_atgard,
        slug="paborja",
        timeline=TimelineEntry.Typ.ATGARD,
        message=_("Åtgärden är påbörjad."),
    )
    def paborja(self, *, av):
        """The action is under way."""

    @transition(
        source=[Atgardsstatus.PLANERAD, Atgardsstatus.PAGAR],
        target=Atgardsstatus.GENOMFORD,
        label=_("Markera genomförd"),
        permission=_kan_hantera_atgard,
        slug="genomfor",
        timeline=TimelineEntry.Typ.ATGARD,
        confirm=_(
            "Markera åtgärden som genomförd? Därefter utvärderas dess effekt; det går inte "
            "att ångra."
        ),
        message=_("Åtgärden är markerad som genomförd."),
    )
    def genomfor(self, *, av):
        """The action is done; its effect is still to be evaluated."""
        self.genomford = timezone.localdate()

    @transition(
        source=[Atgardsstatus.GENOMFORD],
        target=Atgardsstatus.UTVARDERAD,
        label=_("Utvärdera effekt"),
        permission=_kan_hantera_atgard,
        slug="utvardera",
        timeline=TimelineEntry.Typ.ATGARD,
        form="kvalitet.forms.UtvarderaAtgardForm",
        message=_("Åtgärdens effekt är utvärderad."),
    )
    def utvardera(self, *, av, effekt_kort_sikt, effekt_lang_sikt=""):
        """Close the action by recording its observed effect (required)."""
        if not effekt_kort_sikt.strip():
            raise ValidationError(
                {"effekt_kort_sikt": _("Beskriv effekten innan åtgärden utvärderas.")}
            )
        self.effekt_kort_sikt = effekt_kort_sikt
        self.effekt_lang_sikt = effekt_lang_sikt
        self.utvarderad = timezone.localdate()

    @step(
        source=ATGARD_OPPNA,
        label=_("Ändra"),
        permission=_kan_andra_atgard,
        slug="andra",
        timeline=TimelineEntry.Typ.ATGARD,
        form="kvalitet.forms.AndraAtgardForm",
        message=_("Åtgärden är ändrad."),
        style="secondary",
    )
    def andra(self, *, av, titel, beskrivning, ansvarig, forfallodatum, forvantad_effekt):
        """Change the action while it is planned or under way – a new owner, a new date
        for one that cannot be done in time, its text. The timeline says what changed;
        a new owner is told, as when the action was given."""
        from kvalitet.notifieringar import notifiera

        andrat = []
        if forfallodatum != self.forfallodatum:
            andrat.append(
                gettext("klart senast %(fran)s → %(till)s")
                % {"fran": self.forfallodatum.isoformat(), "till": forfallodatum.isoformat()}
            )
        ny_ansvarig = ansvarig.pk != self.ansvarig_id
        if ny_ansvarig:
            andrat.append(
                gettext("ansvarig %(fran)s → %(till)s") % {"fran": self.ansvarig, "till": ansvarig}
            )
        texter = (titel, beskrivning, forvantad_effekt)
        if texter != (self.titel, self.beskrivning, self.forvantad_effekt):
            andrat.append(gettext("titel, beskrivning eller förväntad effekt"))
        if not andrat:
            return None
        self.titel, self.beskrivning, self.forvantad_effekt = texter
        self.ansvarig, self.forfallodatum = ansvarig, forfallodatum
        if ny_ansvarig:
            notifiera(
                [ansvarig],
                "kvalitet/mejl/atgard_tilldelad.txt",
                {"atgard": self, "arende": self.arende},
                utom=av,
            )
        return gettext("ändrad: %(vad)s") % {"vad": "; ".join(andrat)}


class UnitMixin(models.Model):
    """Belongs to a unit of the organisation: who sees it and where it is counted follow
    the unit tree."""

    enhet = models.ForeignKey(
        "kvalitet.Enhet", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


# IVO's case number of a case IVO is part of (`ivo_diarienummer`: a klagomål IVO forwarded,
# a lex Sarah report, a tillsyn), as the search compares it: without spaces (also the
# no-break spaces of a number copied from IVO's letter), in upper case and without the
# word "IVO" – stored as staff typed it, found however it is typed. The same expression is
# the index the search reads (`arendeindex(..., ivo=True)`).
IVO_NYCKEL = Replace(
    Upper(Replace(Replace(F("ivo_diarienummer"), Value(" "), Value("")), Value("\xa0"), Value(""))),
    Value("IVO"),
    Value(""),
)


def ivo_nyckel(text: str) -> str:
    """IVO's case number as `IVO_NYCKEL` gives it: "IVO 3.5.1-12345/2025",
    "ivo 3.5.1-12345/2025" and "3.5.1-12345/2025" are the same."""
    return "".join(text.split()).upper().replace("IVO", "")


class NumberedMixin(models.Model):
    """A number of its kind and year (AVV-2026-0042), reserved when first saved.

    The class states `NUMMER_PREFIX` and `DATUMFALT`, the date field it counts from
    (reported, received, assessed ...): the number's year is that date's year in
    Swedish local time. Lists, filters, imports and statistics read the same field.
    `SOKNYCKLAR` are the identifiers it is found by; `SOKS_MED_IVO_DIARIENUMMER`, that
    it is found by IVO's case number too (its `ivo_diarienummer`, however typed)."""

    NUMMER_PREFIX: ClassVar[str]
    DATUMFALT: ClassVar[str] = "skapad"
    SOKNYCKLAR: ClassVar[tuple[str, ...]] = ("nummer",)
    SOKS_MED_IVO_DIARIENUMMER: ClassVar[bool] = False

    nummer = models.CharField(_("ärendenummer"), max_length=20, unique=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return self.nummer

    def save(self, *args, **kwargs):
        if not self.nummer:
            tid = self.nummerdatum()
            # A date counts as it is; a moment by its Swedish local date.
            ar = timezone.localtime(tid).year if isinstance(tid, datetime) else tid.year
            self.nummer = CaseNumberSeries.next(self.NUMMER_PREFIX, ar)
        super().save(*args, **kwargs)

    def nummerdatum(self):
        """The moment that decides the number's year."""
        return getattr(self, self.DATUMFALT)

    @classmethod
    def datumetikett(cls) -> str:
        """What the date field is called in lists and filters ("Rapporterad")."""
        return capfirst(cls._meta.get_field(cls.DATUMFALT).verbose_name)

    @classmethod
    def normalisera_nyckel(cls, text: str) -> str:
        """A typed identifier as stored: no spaces, upper case ("avv-2026-0001 " →
        "AVV-2026-0001"). A type with other keys may accept more ways of typing them."""
        return "".join(text.split()).upper()

    @classmethod
    def har_andra_nycklar(cls) -> bool:
        """Is it found by more than its number (a text without a number's prefix may name
        it)?"""
        return bool(set(cls.SOKNYCKLAR) - {"nummer"}) or cls.SOKS_MED_IVO_DIARIENUMMER

    @classmethod
    def sokvillkor(cls, text: str, *, user) -> Q:
        """The records a typed identifier names: equal to one of the type's `SOKNYCKLAR`
        (unique, indexed fields, so an exact comparison finds it at any size), or, for a
        type `SOKS_MED_IVO_DIARIENUMMER`, to IVO's case number however either was typed
        (`ivo_nyckel`; its own index) – among the cases `user` sees whole only
        (`hela_villkor`): IVO's number belongs to the handling, not to what a lex Sarah
        report's reporter sees of it. `user` None: among all (ranking matches already
        found). A text without a digit is no IVO case number ("IVO" alone is not)."""
        varde = cls.normalisera_nyckel(text)
        villkor = Q()
        for falt in cls.SOKNYCKLAR:
            villkor |= Q(**{falt: varde})
        nyckel = ivo_nyckel(text)
        if cls.SOKS_MED_IVO_DIARIENUMMER and any("0" <= c <= "9" for c in nyckel):
            ivo = Q(Exact(IVO_NYCKEL, nyckel))
            hela = cls._default_manager.hela_villkor(user) if user is not None else None
            villkor |= ivo & hela if hela is not None else ivo
        return villkor


class AttachmentsMixin(models.Model):
    """Files attached to the record, served only after an access check."""

    attachments = GenericRelation(Attachment)

    class Meta:
        abstract = True


class ActionsMixin(models.Model):
    """Improvement actions (förbättrande åtgärder) the record gave rise to."""

    atgarder = GenericRelation(Atgard)

    class Meta:
        abstract = True


class LinksMixin(models.Model):
    """Links to records of any kind (similar-to, escalated-to, created-from), noted on
    both timelines. Needs `TimelineMixin` and a `nummer`."""

    class Meta:
        abstract = True

    @cached_property
    def content_type(self):
        return ContentType.objects.get_for_model(type(self))

    # A record of an event, what happened (an avvikelse, a synpunkt, a lex Sarah case): two
    # are similar events, and one may realise a risk. Every case type is one (`Arende`)
    # but IVO's tillsyn, a supervision; processes, risks and controls are none.
    AR_HANDELSE: ClassVar[bool] = False

    # A record that events realise (a risk): a link between it and an event is made from
    # the event, "Realiserade risken", whichever page it was made on.
    REALISERAS_AV_HANDELSER: ClassVar[bool] = False

    # The suggested similar events (`liknande_lankning`) are those the user may open; a
    # type whose investigation needs the whole avdelning's (lex Sarah, docs/behorighet.md)
    # says True and shows the others by number, date, unit and first line only.
    LIKNANDE_HELA_AVDELNINGEN: ClassVar[bool] = False

    def links(self):
        return CaseLink.for_arende(self)

    def ar_lankad_till(self, annat) -> bool:
        """Is there a link of any kind between this record and `annat`?"""
        ct = ContentType.objects.get_for_model(type(annat))
        return CaseLink.objects.filter(
            Q(fran_typ=self.content_type, fran_id=self.pk, till_typ=ct, till_id=annat.pk)
            | Q(fran_typ=ct, fran_id=annat.pk, till_typ=self.content_type, till_id=self.pk)
        ).exists()

    def lanka(self, annat, *, av, kommentar=""):
        """Link this record to `annat` as the user chose it on one of their pages: an
        event to the risk it realised, from either side; two events as similar; anything
        else – a process, an egenkontroll, a tillsyn, two risks – as belonging together,
        for only an event (`AR_HANDELSE`) is similar to one or realises a risk."""
        handelse, annan_handelse = self.AR_HANDELSE, getattr(annat, "AR_HANDELSE", False)
        if handelse and type(annat).REALISERAS_AV_HANDELSER:
            return self.link(annat, CaseLink.Typ.REALISERADE, av=av, kommentar=kommentar)
        if annan_handelse and self.REALISERAS_AV_HANDELSER:
            return annat.link(self, CaseLink.Typ.REALISERADE, av=av, kommentar=kommentar)
        typ = CaseLink.Typ.LIKNANDE if handelse and annan_handelse else CaseLink.Typ.HOR_IHOP
        return self.link(annat, typ, av=av, kommentar=kommentar)

    def ta_bort_lank(self, lank, *, av):
        """Take back a link made by mistake (`CaseLink.kan_tas_bort`), noted on both
        timelines; the link's own row goes."""
        if not lank.kan_tas_bort:
            raise ValidationError(_("Länken visar var ärendet kommer ifrån och kan inte tas bort."))
        fran_sidan = lank.ar_fran(self)
        annat = lank.till if fran_sidan else lank.fran
        with transaction.atomic():
            lank.delete()
            self.log(
                TimelineEntry.Typ.LANK,
                av=av,
                text=gettext("Länk borttagen: %(lank)s: %(nummer)s")
                % {"lank": lank.etikett(fran_sidan), "nummer": annat.nummer},
            )
            annat.log(
                TimelineEntry.Typ.LANK,
                av=av,
                text=gettext("Länk borttagen: %(lank)s: %(nummer)s")
                % {"lank": lank.etikett(not fran_sidan), "nummer": self.nummer},
            )
        return annat

    def link(self, annat, typ, *, av, kommentar="", tid=None, notera_har=True):
        """Link this record to another (of any type) and note it on both timelines (on
        the other's only with `notera_har=False`: a step that notes the links itself).

        `tid` keeps a historic time for seeded and imported records."""
        if annat == self:
            raise ValidationError(_("Ett ärende kan inte länkas till sig självt."))
        omvand = CaseLink.objects.filter(
            fran_typ=annat.content_type,
            fran_id=annat.pk,
            till_typ=self.content_type,
            till_id=self.pk,
        ).first()
        if omvand is not None:
            return omvand  # already linked the other way
        lank, skapad = CaseLink.objects.get_or_create(
            fran_typ=self.content_type,
            fran_id=self.pk,
            till_typ=annat.content_type,
            till_id=annat.pk,
            defaults={
                "typ": typ,
                "kommentar": kommentar,
                "skapad_av": av,
                "skapad": tid or timezone.now(),
            },
        )
        if skapad and notera_har:
            self.log(
                TimelineEntry.Typ.LANK, av=av, text=f"{lank.etikett()}: {annat.nummer}", tid=tid
            )
        if skapad:
            annat.log(
                TimelineEntry.Typ.LANK,
                av=av,
                text=f"{lank.etikett(fran_sidan=False)}: {self.nummer}",
                tid=tid,
            )
        return lank


def _kan_tilldela(user, arende):
    from kvalitet import behorighet

    return behorighet.kan_tilldela(user, arende)


def _ny_handlaggare(arende):
    if str(type(arende).HANDLAGGARE_NAMN) != str(_("handläggare")):
        # What the type calls its handler: "Sofia Bergström är nu utredare för LS-…".
        return _("%(namn)s är nu %(roll)s för %(arende)s.") % {
            "namn": arende.handlaggare,
            "roll": type(arende).HANDLAGGARE_NAMN,
            "arende": arende,
        }
    return _("%(arende)s handläggs nu av %(namn)s.") % {
        "arende": arende,
        "namn": arende.handlaggare,
    }


def tilldelning(*, source, permission=None, label=None, vantar=None):
    """The shared step "Tilldela handläggare" of every case type, from the `source`
    statuses: the unit's managers give the case to a handler among
    `behorighet.mojliga_handlaggare`, who is told by e-mail and may then handle it
    (docs/behorighet.md). Declared on a case type as `tilldela = tilldelning(...)`; a
    type where someone else assigns (the avdelningschef assigns a lex Sarah utredare)
    gives its own `permission` and `label`, and `vantar` if the case waits for it."""

    @step(
        label=label or _("Tilldela handläggare"),
        permission=permission or _kan_tilldela,
        source=source,
        slug="tilldela",
        form="kvalitet.forms.TilldelaForm",
        style="secondary",
        vantar=vantar,
        verb=_("tilldela en handläggare"),
        message=_ny_handlaggare,
    )
    def tilldela(self, *, av, handlaggare):
        """Give the case to `handlaggare`; the same handler again changes nothing."""
        from django.utils.translation import gettext

        from kvalitet import behorighet
        from kvalitet.notifieringar import notifiera

        if handlaggare.pk == self.handlaggare_id:
            return None
        if not behorighet.mojliga_handlaggare(self.enhet).filter(pk=handlaggare.pk).exists():
            raise ValidationError(
                {
                    "handlaggare": _(
                        "%(namn)s kan inte handlägga ärenden för %(enhet)s: välj någon i "
                        "personalen på enheten, en enhet ovanför eller under den, eller en "
                        "utredare."
                    )
                    % {"namn": handlaggare, "enhet": self.enhet}
                }
            )
        fore = self.handlaggare
        self.handlaggare = handlaggare
        notifiera(
            [handlaggare], "kvalitet/mejl/arende_tilldelat.txt", {"arende": self, "av": av}, utom=av
        )
        return gettext("%(roll)s: %(fore)s → %(efter)s") % {
            "roll": capfirst(type(self).HANDLAGGARE_NAMN),
            "fore": fore or gettext("ingen"),
            "efter": handlaggare,
        }

    return tilldela


def liknande_lankning(*, source, permission, message=None):
    """The shared step "Länka liknande händelser": whoever investigates links earlier
    events among the suggestions of `kvalitet.liknande` (same avdelning, five years;
    those the user may open, unless the type says `LIKNANDE_HELA_AVDELNINGEN`). Declared
    on a case type as `lanka_liknande = liknande_lankning(...)`; the form is
    `kvalitet.forms.LiknandeForm`, at `<nummer>/liknande/`."""

    @step(
        source=source,
        label=_("Länka liknande händelser"),
        permission=permission,
        slug="liknande",
        # Not what the case waits for ("Att göra"): an aid to the investigation.
        style="secondary",
        form="kvalitet.forms.LiknandeForm",
        message=message or _("De valda händelserna är länkade."),
    )
    def lanka_liknande(self, *, av, arenden):
        """Link the chosen earlier events; those already linked are left as they are."""
        nya = [a for a in arenden if not self.ar_lankad_till(a)]
        if not nya:
            return None
        for annat in nya:
            # One entry here for all of them (the step's), one on each linked case.
            self.link(annat, CaseLink.Typ.LIKNANDE, av=av, notera_har=False)
        return gettext("Liknande händelser länkade: %(nummer)s") % {
            "nummer": ", ".join(a.nummer for a in nya)
        }

    return lanka_liknande


class HistoryMixin(models.Model):
    """Every saved version kept (django-simple-history), with who and why."""

    history = ProtectedHistoricalRecords(inherit=True)

    class Meta:
        abstract = True


def arendeindex(datumfalt, *, anmalare, oppna, namn, ivo=False):
    """The indexes of a case type's table that the shared pages rely on: the list by
    unit, by status and by reporter, newest first by its date field (`DATUMFALT`),
    "waits for me" on the start page, its open cases by deadline (a partial index named
    `<namn>_oppna_frist_idx`), and a chef's open cases of their units by deadline, counted
    from the index alone with the columns the access rule reads (`<namn>_oppna_enhet_idx`:
    at ten million cases, 5 s → 35 ms for a unit with 60 000 open, bench/RESULTS.md).
    With `ivo`, for a type `SOKS_MED_IVO_DIARIENUMMER`, IVO's case number as the search
    compares it (`<namn>_ivo_dnr_idx`). Not a partial index of the cases with a number:
    PostgreSQL keeps no statistics of a partial index's expression, and guessing 0.5 % of
    the table matched, it looked for the header search's newest match by walking every
    case by date (1 s at two million synpunkter, for any case number). The empty numbers
    take little room, deduplicated. For the case type's `Meta.indexes`."""
    ivo_index = [models.Index(IVO_NYCKEL, name=f"{namn}_ivo_dnr_idx")] if ivo else []
    return ivo_index + [
        models.Index(fields=["enhet", f"-{datumfalt}"]),
        models.Index(fields=["status", f"-{datumfalt}"]),
        models.Index(fields=[anmalare, f"-{datumfalt}"]),
        models.Index(
            fields=["tidsfrist", "id"],
            condition=Q(status__in=oppna),
            name=f"{namn}_oppna_frist_idx",
        ),
        models.Index(
            fields=["enhet", "tidsfrist"],
            include=[anmalare, "handlaggare", "id"],
            condition=Q(status__in=oppna),
            name=f"{namn}_oppna_enhet_idx",
        ),
    ]


class ArendeQuerySet(models.QuerySet):
    """Queryset of a case type; `for_user` is the only way views reach cases."""

    def for_user(self, user):
        from kvalitet import behorighet

        return behorighet.synliga(user, self)

    def hela_villkor(self, user):
        """Q on the cases this user, who may see them, sees whole (`Arende.ser_hela`),
        or None for all of them: free text and the type's own filters look only in
        those, so one who sees a case's status cannot probe its texts."""
        return None

    def egna(self, user):
        """The cases this user reported (or registered)."""
        falt = self.model.ANMALARE_FALT
        return self.filter(**{falt: user}) if falt else self.none()

    def vantar_pa(self, user):
        """The cases waiting for this user's action: open ones they handle, and the open
        ones of the units they manage. A case type adds its own (override)."""
        from kvalitet import behorighet

        oppna = self.model.STATUS_OPPNA
        q = Q(status__in=oppna, handlaggare=user)
        for u in behorighet.uppdrag(user):
            if u.roll in self.model.ROLLER_HANTERAR:
                q |= Q(status__in=oppna, enhet__sokvag__startswith=u.enhet.sokvag)
        return self.filter(q)


class TrackedMixin(models.Model):
    """When a record was created and last changed, by whom, and the id it has in the
    system it was imported from (`extern_id`, unique: a second import finds it)."""

    extern_id = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)
    skapad = models.DateTimeField(default=timezone.now, editable=False)
    uppdaterad = models.DateTimeField(_("senast ändrad"), auto_now=True)
    uppdaterad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class AccessMixin(models.Model):
    """Reached through the one access door (`kvalitet.behorighet.synliga`): the record
    states which roles see all of its kind, which see their units' records and which
    handle them, who reported it (`ANMALARE_FALT`) and who handles it (`handlaggare`:
    a case's handler, a risk's owner); the owners of its improvement actions see it too.
    A status with its open states says whether it is still worked on.

    - `ROLLER_SER_ALLT`, `ROLLER_SER_ENHET`, `ROLLER_HANTERAR`: roles that see every
      record, see their units' records, and handle their units' records;
    - `ROLLER_HANTERAR_ALLT`: roles that handle every record of the type, whatever its
      unit (the kvalitetssamordnare keeps the risk register); none for a case type;
    - `ROLLER_MEDVERKAR`: roles that take part in every record of the type they see,
      whatever its unit (comment, attach files): the synpunkter's registrator;
    - `SER_OVERORDNADE`: the roles of `ROLLER_SER_ENHET` also see the records of the
      units above theirs, to read: a process run from the förvaltning is the one their
      unit works by. Handling still follows the record's unit (`ROLLER_HANTERAR`);
    - `ANMALARE_FALT`: the user field of who reported or proposed it;
    - `STATUS_OPPNA`: the statuses in which it is worked on (comments, files, actions);
    - `LOGGA_LASNING`: every view, download and export is written to the access log
      (`Atkomstlogg`): lex Sarah;
    - `HANDLAGGARE_NAMN`: what the type calls its handler ("utredare", "riskägare").
    """

    STATUS_OPPNA: ClassVar[tuple[str, ...]]
    ANMALARE_FALT: ClassVar[str | None] = None
    ROLLER_SER_ALLT: ClassVar[tuple[str, ...]] = SER_ALLT
    ROLLER_SER_ENHET: ClassVar[tuple[str, ...]] = SER_ENHET
    ROLLER_HANTERAR: ClassVar[tuple[str, ...]] = HANTERAR
    ROLLER_HANTERAR_ALLT: ClassVar[tuple[str, ...]] = ()
    ROLLER_MEDVERKAR: ClassVar[tuple[str, ...]] = ()
    SER_OVERORDNADE: ClassVar[bool] = False
    LOGGA_LASNING: ClassVar[bool] = False
    HANDLAGGARE_NAMN: ClassVar[str] = _("handläggare")

    status = models.CharField(_("status"), max_length=32, db_index=True)
    handlaggare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ArendeQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def ar_oppet(self):
        return self.status in self.STATUS_OPPNA

    def ser_hela(self, user) -> bool:
        """Does `user`, who may see the record (`for_user`), see all of it – its texts,
        files and history – or only its status and the feedback? All of it, unless the
        type says otherwise (lex Sarah: not its reporter)."""
        return True

    @property
    def ar_forsenat(self):
        return False


class Arende(
    UnitMixin,
    NumberedMixin,
    TimelineMixin,
    AttachmentsMixin,
    ActionsMixin,
    LinksMixin,
    AccessMixin,
    HistoryMixin,
):
    """Abstract base of every case type: one composition of the feature mixins, plus a
    status flow with a handler, a deadline and a closing.

    What a case type states about itself lives here, once, as class attributes with
    defaults (docs/nytt-arendetyp.md); lists, filters, imports, statistics, access and
    the start page read them from the model:

    - `NUMMER_PREFIX` and `DATUMFALT` (see `NumberedMixin`);
    - `STATUS_OPPNA`, the open statuses of its status choices;
    - `ANMALARE_FALT`, the user field of who reported it ("my reports", access);
    - `EGNA_RUBRIK`, the start page's heading of those ("Mina rapporter"; a synpunkt or
      a tillsyn is registered, not reported);
    - `FRIST_DAGAR`, the setting with the days from `DATUMFALT` to the deadline;
    - `FRITEXT`, the text fields the list's free-text search looks in;
    - `SAMMANFATTNING`, the text field whose beginning recognises the case in lists;
    - `SOKNYCKLAR`, the identifiers a case is found by, exactly, in the header search and
      the list's search: its number, and for a synpunkt the citizen's reference number;
    - `SOKS_MED_IVO_DIARIENUMMER`: found by IVO's case number too (`ivo_diarienummer`,
      with `arendeindex(..., ivo=True)`), by whoever sees the case whole;
    - `ROLLER_SER_ALLT`, `ROLLER_SER_ENHET`, `ROLLER_HANTERAR`: roles that see every
      case, see their units' cases, and handle their units' cases;
    - `ROLLER_MEDVERKAR`: roles that take part in every case of the type they see,
      whatever its unit (comment, attach files): the synpunkter's registrator;
    - `LOGGA_LASNING`: every view, download and export of a case is written to the
      access log (`Atkomstlogg`): lex Sarah;
    - `HANDLAGGARE_NAMN`: what the type calls its handler (lex Sarah: "utredare");
    - `AR_HANDELSE`: it records an event (similar to other events, may realise a risk,
      suggested as an earlier similar event); False for IVO's tillsyn;
    - `ROLLER_I_MENYN`: the roles whose main menu lists the type; None for all staff,
      () for none (IVO's tillsyn is reached from the IVO page).

    Its steps are declared with `kvalitet.workflow.transition` and `step`.
    """

    FRIST_DAGAR: ClassVar[str | None] = None
    EGNA_RUBRIK: ClassVar[str] = _("Mina rapporter")
    FRITEXT: ClassVar[tuple[str, ...]] = ()
    SAMMANFATTNING: ClassVar[str] = "beskrivning"
    SAMMANFATTNING_TECKEN = 90
    ROLLER_I_MENYN: ClassVar[tuple[str, ...] | None] = None
    AR_HANDELSE: ClassVar[bool] = True

    tidsfrist = models.DateField(_("tidsfrist"), null=True, blank=True)
    avslutad = models.DateTimeField(_("avslutad"), null=True, blank=True)
    extern_id = models.CharField(
        _("externt id"), max_length=100, null=True, blank=True, unique=True, editable=False
    )
    skapad = models.DateTimeField(_("registrerad"), default=timezone.now, editable=False)
    # Empty for records from the public e-service and for imported records.
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uppdaterad = models.DateTimeField(_("senast ändrad"), auto_now=True)
    uppdaterad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.tidsfrist is None:
            self.tidsfrist = self.frist_fran(getattr(self, self.DATUMFALT))
        super().save(*args, **kwargs)

    @classmethod
    def frist_fran(cls, tid) -> date | None:
        """The deadline of a case counting from `tid` (the `FRIST_DAGAR` setting's days
        after its local date), or None for a type without one."""
        if not cls.FRIST_DAGAR or tid is None:
            return None
        return timezone.localdate(tid) + timedelta(days=getattr(settings, cls.FRIST_DAGAR))

    def spara_ny(self, *, av, orsak, bilaga=None, text=""):
        """Validate and save a new case, note its creation on the timeline and in the
        history, and store an upload (a file validated by `AttachmentField`). Runs in the
        caller's transaction."""
        self.full_clean()
        self._change_reason = orsak
        self.save()
        self.log(TimelineEntry.Typ.SKAPAT, av=av, till_status=self.status, text=text)
        if bilaga is not None:
            Attachment.store(self, bilaga, bilaga.innehallstyp, av)

    @property
    def sammanfattning(self):
        """The first line of the `SAMMANFATTNING` text, shortened: enough to recognise
        the case in a list without opening it."""
        text = (getattr(self, self.SAMMANFATTNING) or "").strip()
        forsta = text.splitlines()[0].strip() if text else ""
        if len(forsta) > self.SAMMANFATTNING_TECKEN:
            return Truncator(forsta).chars(self.SAMMANFATTNING_TECKEN)
        return forsta if forsta == text else f"{forsta} …"

    @property
    def ar_forsenat(self):
        return bool(self.ar_oppet and self.tidsfrist and self.tidsfrist < timezone.localdate())
