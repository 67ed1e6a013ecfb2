"""Organisation, users and the roles they hold for a unit and its subtree."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .historik import ProtectedHistoricalRecords

PATH_STEP = 4  # digits per level of the materialised path


class Enhetstyp(models.TextChoices):
    """Levels of the organisation tree (docs/ordlista.md)."""

    FORVALTNING = "forvaltning", _("Förvaltning")
    AVDELNING = "avdelning", _("Avdelning")
    ENHET = "enhet", _("Enhet")
    TEAM = "team", _("Team")


class EnhetQuerySet(models.QuerySet):
    """Queries over the organisation tree, each one indexed SQL query."""

    def aktiva(self):
        return self.filter(aktiv=True)

    def subtree_of(self, enheter):
        """Units in the subtrees of the given units (inclusive)."""
        paths = [e.sokvag for e in enheter]
        if not paths:
            return self.none()
        q = Q()
        for path in paths:
            q |= Q(sokvag__startswith=path)
        return self.filter(q)


class Enhet(models.Model):
    """A unit of the förvaltning; every record belongs to one.

    The tree is stored as a materialised path (`sokvag`, e.g. "0001.0004.") so that
    "this unit and everything below it" is one indexed prefix query.
    """

    kod = models.CharField(_("kod"), max_length=32, unique=True)
    namn = models.CharField(_("namn"), max_length=200)
    typ = models.CharField(_("typ"), max_length=16, choices=Enhetstyp.choices)
    overordnad = models.ForeignKey(
        "self",
        verbose_name=_("överordnad enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="underenheter",
    )
    sokvag = models.CharField(max_length=255, editable=False, db_index=False)
    djup = models.PositiveSmallIntegerField(editable=False, default=0)
    aktiv = models.BooleanField(_("aktiv"), default=True)
    # Empty: the nearest unit above's applies (`omrade`).
    verksamhetsomrade = models.ForeignKey(
        "kvalitet.Verksamhetsomrade",
        verbose_name=_("verksamhetsområde"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enheter",
        help_text=_("Lämnas tomt om enheten har samma område som enheten ovanför."),
    )

    objects = EnhetQuerySet.as_manager()
    # The path and depth follow the parent (`overordnad`), which the history records.
    history = ProtectedHistoricalRecords(excluded_fields=["sokvag", "djup"])

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["sokvag"]
        indexes = [
            models.Index(
                fields=["sokvag"], name="enhet_sokvag_idx", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self):
        return self.namn

    def save(self, *args, **kwargs):
        old_path = None
        if self.pk is None:
            super().save(*args, **kwargs)  # the path is built from the primary key
            args, kwargs = (), {}
            # The history has the creation; the path (left out of it) is no change.
            self.skip_history_when_saving = True
        else:
            old_path = Enhet.objects.filter(pk=self.pk).values_list("sokvag", flat=True).first()
        self.djup = self.overordnad.djup + 1 if self.overordnad_id else 0
        prefix = self.overordnad.sokvag if self.overordnad_id else ""
        self.sokvag = f"{prefix}{self.pk:0{PATH_STEP}d}."
        if kwargs.get("update_fields") is not None:
            # The path follows the parent: never save one without the other.
            kwargs["update_fields"] = {*kwargs["update_fields"], "sokvag", "djup"}
        try:
            super().save(*args, **kwargs)
        finally:
            self.__dict__.pop("skip_history_when_saving", None)
        if old_path and old_path != self.sokvag:
            self._move_descendants(old_path)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.pk and self.overordnad_id:
            node = self.overordnad
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError(
                        {"overordnad": _("En enhet kan inte ligga under sig själv.")}
                    )
                node = node.overordnad

    def _move_descendants(self, old_path):
        """Re-root the subtree after a move (rare, admin-only)."""
        for child in Enhet.objects.filter(sokvag__startswith=old_path).exclude(pk=self.pk):
            child.sokvag = self.sokvag + child.sokvag[len(old_path) :]
            child.djup = child.sokvag.count(".") - 1
            child.skip_history_when_saving = True  # the move is in the moved unit's history
            child.save_base(update_fields=["sokvag", "djup"])

    def forfader_ids(self) -> list[int]:
        """The ids of this unit and the units above it, from the top (read off the path)."""
        return [int(p) for p in self.sokvag.split(".") if p]

    def forfader(self):
        """This unit and the units above it, from the top."""
        return Enhet.objects.filter(pk__in=self.forfader_ids()).order_by("djup")

    def omrade(self):
        """The unit's verksamhetsområde: its own, else the nearest unit above's, else
        None. One query."""
        if self.verksamhetsomrade_id:
            return self.verksamhetsomrade
        narmast = (
            Enhet.objects.filter(pk__in=self.forfader_ids(), verksamhetsomrade__isnull=False)
            .select_related("verksamhetsomrade")
            .order_by("-djup")
            .first()
        )
        return narmast.verksamhetsomrade if narmast else None

    @property
    def avdelning(self):
        """The avdelning this unit belongs to (itself if it is one), else None."""
        for enhet in self.forfader():
            if enhet.typ == Enhetstyp.AVDELNING:
                return enhet
        return None

    @property
    def indenterat_namn(self):
        return "\u2003" * self.djup + self.namn


def omraden_per_enhet() -> dict[int, tuple[int, str] | None]:
    """Map every unit's id to its effective verksamhetsområde, (id, namn), or None: its
    own, else the nearest unit above's (`Enhet.omrade`). One query over the whole tree,
    which is small; the chain upwards is read off the materialised path."""
    rader = list(
        Enhet.objects.order_by().values_list(
            "pk", "sokvag", "verksamhetsomrade_id", "verksamhetsomrade__namn"
        )
    )
    egna = {pk: (o, namn) for pk, _s, o, namn in rader if o is not None}
    resultat = {}
    for pk, sokvag, _o, _n in rader:
        uppat = [int(p) for p in reversed(sokvag.split(".")) if p]
        resultat[pk] = next((egna[e] for e in uppat if e in egna), None)
    return resultat


class Roll(models.TextChoices):
    """Roles (docs/behorighet.md)."""

    MEDARBETARE = "medarbetare", _("Medarbetare")
    ENHETSCHEF = "enhetschef", _("Enhetschef")
    AVDELNINGSCHEF = "avdelningschef", _("Avdelningschef")
    UTREDARE = "utredare", _("Utredare")
    REGISTRATOR = "registrator", _("Registrator")
    KVALITETSSAMORDNARE = "kvalitetssamordnare", _("Kvalitetssamordnare")
    FORVALTNINGSCHEF = "forvaltningschef", _("Förvaltningschef")
    NAMND = "namnd", _("Nämnd")
    ADMIN = "admin", _("Administratör")


# Role groups of the access rules (docs/behorighet.md); a case type may declare others.
SER_ALLT = (Roll.KVALITETSSAMORDNARE, Roll.FORVALTNINGSCHEF)  # see every case
SER_ENHET = (Roll.ENHETSCHEF, Roll.AVDELNINGSCHEF)  # see the cases of their units
HANTERAR = (Roll.ENHETSCHEF, Roll.AVDELNINGSCHEF)  # handle the cases of their units
# A handler keeps a case while they hold a role for a unit on its line (above or below);
# these roles investigate across the förvaltning, so any unit will do.
UTREDER_OVERALLT = (Roll.UTREDARE,)


class User(AbstractUser):
    """A person who logs in. What they may do comes from their `Uppdrag`."""

    titel = models.CharField(_("titel"), max_length=100, blank=True)

    objects = UserManager()
    # Who changed a person's account and roles, and when; never the password hash, and
    # not every login (`save`).
    history = ProtectedHistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is not None and set(fields) <= {"last_login"}:
            # A login changes only what the history leaves out: no row for it.
            self.skip_history_when_saving = True
        try:
            super().save(*args, **kwargs)
        finally:
            self.__dict__.pop("skip_history_when_saving", None)

    def inaktivera(self, *, av=None, orsak="Inaktiverad"):
        """Close the account instead of deleting it (its records keep it): inactive, its
        current assignments ended today, those not yet begun removed; each change in the
        history, by `av`, the account's with the reason `orsak`."""
        with transaction.atomic():
            self.is_active = False
            self._history_user = av
            self._change_reason = orsak
            self.save(update_fields=["is_active"])
            self.avsluta_uppdrag(av=av)

    def avsluta_uppdrag(self, *, av=None):
        """End the assignments that still hold: the current ones today, and remove those
        not yet begun (they never gave access); each in the history, by `av`."""
        idag = timezone.localdate()
        with transaction.atomic():
            kvar = Q(giltig_till__isnull=True) | Q(giltig_till__gt=idag)
            for uppdrag in self.uppdrag.filter(kvar):
                uppdrag._history_user = av
                uppdrag._change_reason = "Användaren inaktiverad"
                if uppdrag.giltig_fran and uppdrag.giltig_fran > idag:
                    uppdrag.delete()
                else:
                    uppdrag.giltig_till = idag
                    uppdrag.save(update_fields=["giltig_till"])


class UppdragQuerySet(models.QuerySet):
    def giltiga(self, dag=None):
        """Assignments valid on the given day (default: today, local time)."""
        dag = dag or timezone.localdate()
        return self.filter(Q(giltig_fran__isnull=True) | Q(giltig_fran__lte=dag)).filter(
            Q(giltig_till__isnull=True) | Q(giltig_till__gte=dag)
        )

    def med_sjalvtilldelat(self):
        """Annotate `sjalvtilldelat`: some version of the assignment was saved by the
        person it is for – an administrator who granted themselves a role, marked in the
        admin's assignment list and on the person page (docs/behorighet.md)."""
        egen_version = Uppdrag.history.model.objects.filter(
            id=models.OuterRef("pk"), history_user_id=models.F("anvandare_id")
        )
        return self.annotate(sjalvtilldelat=models.Exists(egen_version))


class Uppdrag(models.Model):
    """A role held by a user for a unit and its subtree, optionally time-limited."""

    anvandare = models.ForeignKey(
        User, verbose_name=_("användare"), on_delete=models.PROTECT, related_name="uppdrag"
    )
    roll = models.CharField(_("roll"), max_length=32, choices=Roll.choices)
    enhet = models.ForeignKey(
        Enhet, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="uppdrag"
    )
    giltig_fran = models.DateField(_("giltig från"), null=True, blank=True)
    giltig_till = models.DateField(_("giltig till"), null=True, blank=True)
    # The identity provider's group that gave the assignment (kvalitet.oidc, when roles
    # follow the groups); empty for one given in the product, which sign-ins never touch.
    fran_grupp = models.CharField(_("från grupp"), max_length=255, blank=True, editable=False)

    objects = UppdragQuerySet.as_manager()
    history = ProtectedHistoricalRecords()

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        constraints = [
            models.UniqueConstraint(
                fields=["anvandare", "roll", "enhet"], name="uppdrag_unikt_per_enhet"
            )
        ]

    def __str__(self):
        return f"{self.get_roll_display()}, {self.enhet}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.giltig_fran and self.giltig_till and self.giltig_till < self.giltig_fran:
            raise ValidationError({"giltig_till": _("Slutdatum kan inte ligga före startdatum.")})
