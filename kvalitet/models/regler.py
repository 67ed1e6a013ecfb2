"""The reference table of legal references and local rules (DOMAIN.md §4.8,
docs/regler.md).

Laws change under the records: provisions are renumbered, acts replaced. So no screen,
e-mail or default text hard-codes a section number; it asks this table for the rule
valid on the date that matters (the event date, or the end of the report year) and
cites that. The administrator keeps the table in the administration; every change is in
the change history. A decided document stores its text as rendered, so a later change
here never changes it.
"""

import threading
from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.signals import request_finished, request_started
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kvalitet.lib.datum import inom_granserna, utanfor_granserna_text

from .historik import ProtectedHistoricalRecords


class Regeltyp(models.TextChoices):
    """What kind of rule it is: it decides how a text may phrase it. A lag, förordning
    or föreskrift binds ("ska"); an allmänt råd recommends ("bör"); a local rule is the
    förvaltning's or the nämnd's own decision, never presented as law."""

    LAG = "lag", _("Lag")
    FORORDNING = "forordning", _("Förordning")
    FORESKRIFT = "foreskrift", _("Föreskrift")
    ALLMANT_RAD = "allmant_rad", _("Allmänt råd")
    LOKAL = "lokal", _("Lokal regel eller beslut")


class RegelSaknas(ObjectDoesNotExist):
    """No rule with the key is valid on the date asked for."""

    def __init__(self, nyckel: str, dag: date):
        self.nyckel = nyckel
        self.dag = dag
        super().__init__(
            gettext(
                "Ingen regel med nyckeln ”%(nyckel)s” gäller %(dag)s. Lägg till den under "
                "Administration › Regler och rättskällor."
            )
            % {"nyckel": nyckel, "dag": dag.isoformat()}
        )


class RegelQuerySet(models.QuerySet):
    def giltiga(self, dag: date | None = None):
        """The rules valid on `dag` (today by default); both ends are inclusive."""
        dag = _dag(dag)
        return self.filter(giltig_fran__lte=dag).filter(
            Q(giltig_till__isnull=True) | Q(giltig_till__gte=dag)
        )


class Regel(models.Model):
    """One version of a rule: what a text cites for `nyckel` from `giltig_fran` up to and
    including `giltig_till` (open-ended when empty).

    A renumbered or replaced provision is a new row with the same key: the old row gets
    a `giltig_till`, the new one starts the day after. The versions of one key never
    overlap, so every date has at most one rule to cite."""

    nyckel = models.SlugField(
        _("nyckel"),
        max_length=80,
        help_text=_(
            "Namnet som texterna använder, t.ex. sosfs-2011-9-klagomal. Samma nyckel för "
            "alla versioner av regeln."
        ),
    )
    typ = models.CharField(_("typ"), max_length=16, choices=Regeltyp.choices)
    kortnamn = models.CharField(
        _("kort hänvisning"),
        max_length=200,
        help_text=_("Som den skrivs i löpande text, t.ex. ”SOSFS 2011:9”."),
    )
    citat = models.CharField(
        _("fullständig hänvisning"),
        max_length=1000,
        help_text=_(
            "T.ex. ”Socialstyrelsens föreskrifter och allmänna råd (SOSFS 2011:9) om "
            "ledningssystem för systematiskt kvalitetsarbete”."
        ),
    )
    url = models.URLField(_("länk"), max_length=500, blank=True)
    giltig_fran = models.DateField(_("giltig från"))
    giltig_till = models.DateField(
        _("giltig till och med"),
        null=True,
        blank=True,
        help_text=_("Tomt om regeln gäller tills vidare."),
    )

    history = ProtectedHistoricalRecords()
    objects = RegelQuerySet.as_manager()

    class Meta:
        verbose_name = _("regel")
        verbose_name_plural = _("regler och rättskällor")
        ordering = ["nyckel", "-giltig_fran"]
        constraints = [
            models.UniqueConstraint(fields=["nyckel", "giltig_fran"], name="regel_version_unik"),
            models.CheckConstraint(
                condition=Q(giltig_till__isnull=True) | Q(giltig_till__gte=models.F("giltig_fran")),
                name="regel_giltig_till_efter_fran",
            ),
        ]

    def __str__(self):
        till = self.giltig_till.isoformat() if self.giltig_till else "–"
        return f"{self.nyckel}: {self.kortnamn} ({self.giltig_fran.isoformat()}–{till})"

    def clean(self):
        super().clean()
        if self.giltig_fran is None:
            return
        # The product's date bounds (kvalitet.lib.datum), like every date a user enters.
        utanfor = {
            namn: utanfor_granserna_text()
            for namn in ("giltig_fran", "giltig_till")
            if getattr(self, namn) is not None and not inom_granserna(getattr(self, namn))
        }
        if utanfor:
            raise ValidationError(utanfor)
        if self.giltig_till is not None and self.giltig_till < self.giltig_fran:
            raise ValidationError(
                {"giltig_till": _("Giltig till kan inte ligga före giltig från.")}
            )
        if not self.nyckel:
            return
        # Another version of the key valid on any day of this one's period.
        krock = Regel.objects.filter(nyckel=self.nyckel).exclude(pk=self.pk)
        krock = krock.filter(Q(giltig_till__isnull=True) | Q(giltig_till__gte=self.giltig_fran))
        if self.giltig_till is not None:
            krock = krock.filter(giltig_fran__lte=self.giltig_till)
        annan = krock.order_by("giltig_fran").first()
        if annan is not None:
            if annan.giltig_till:
                period = f"{annan.giltig_fran.isoformat()}–{annan.giltig_till.isoformat()}"
            else:
                period = gettext("från %(fran)s, tills vidare") % {
                    "fran": annan.giltig_fran.isoformat()
                }
            raise ValidationError(
                _(
                    "Giltighetstiden överlappar en annan version av ”%(nyckel)s” (%(period)s). "
                    "Avsluta den versionen dagen före, eller ändra datumen."
                )
                % {"nyckel": self.nyckel, "period": period}
            )


def _dag(pa_dag) -> date:
    """A date from a date, a moment (its local date) or None (today)."""
    if pa_dag is None:
        return timezone.localdate()
    if isinstance(pa_dag, datetime):
        return timezone.localdate(pa_dag) if timezone.is_aware(pa_dag) else pa_dag.date()
    return pa_dag


# Within a request the table is read once, on the first lookup: a page that renders several
# default texts (the preview, the PDF) cites from one query. Outside a request (a worker,
# a command) every lookup asks the database, so a long-lived process never cites a stale
# version. A change saved during the request drops what was read.
_per_anrop = threading.local()


@receiver(request_started, dispatch_uid="regler_anrop_borjar")
def _anrop_borjar(sender, **kwargs):
    _per_anrop.aktiv, _per_anrop.rader = True, None


@receiver(request_finished, dispatch_uid="regler_anrop_slutar")
def _anrop_slutar(sender, **kwargs):
    _per_anrop.aktiv, _per_anrop.rader = False, None


@receiver(post_save, sender=Regel, dispatch_uid="regler_andrad")
@receiver(post_delete, sender=Regel, dispatch_uid="regler_borttagen")
def _regel_andrad(sender, **kwargs):
    _per_anrop.rader = None


def _lasta_i_anropet() -> list[Regel] | None:
    """Every rule, read once per request; None outside a request."""
    if not getattr(_per_anrop, "aktiv", False):
        return None
    if getattr(_per_anrop, "rader", None) is None:
        _per_anrop.rader = list(Regel.objects.all())
    return _per_anrop.rader


def regel(nyckel: str, pa_dag: date | None = None) -> Regel:
    """The rule with `nyckel` valid on `pa_dag` (today by default).

    `pa_dag` may be a date or a moment (its local date counts). Raises `RegelSaknas`,
    with a message that says what to add, when there is none."""
    dag = _dag(pa_dag)
    rader = _lasta_i_anropet()
    if rader is None:
        hittad = Regel.objects.filter(nyckel=nyckel).giltiga(dag).order_by("-giltig_fran").first()
    else:
        hittad = max(
            (
                r
                for r in rader
                if r.nyckel == nyckel
                and r.giltig_fran <= dag
                and (r.giltig_till is None or r.giltig_till >= dag)
            ),
            key=lambda r: r.giltig_fran,
            default=None,
        )
    if hittad is None:
        raise RegelSaknas(nyckel, dag)
    return hittad
