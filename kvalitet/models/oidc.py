"""Sign-in through the municipality's identity provider (OpenID Connect, kvalitet.oidc):
who a signed-in person is in the product, and which of the provider's groups give which
role for which unit (docs/inloggning.md)."""

from django.conf import settings
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .historik import ProtectedHistoricalRecords
from .organisation import Enhet, Roll


class ExternIdentitet(models.Model):
    """A person's account at the identity provider, tied to their account here.

    Matched on the issuer and the provider's stable claim (`OIDC_ANVANDARCLAIM`, "sub"
    by default), never on an e-mail address or a user name: those are reused and changed
    at the provider, and matching on them would hand one person's records to another.
    The refresh token (encrypted, kvalitet.oidc.krypterad) lets the periodic check
    (`kontrollera_oidc`) ask the provider whether the person still exists there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.PROTECT,
        related_name="extern_identitet",
    )
    issuer = models.CharField(_("identitetsleverantör"), max_length=255)
    subjekt = models.CharField(_("identitet hos leverantören"), max_length=255)
    refresh_token = models.TextField(_("förnyelsetoken (krypterad)"), blank=True, editable=False)
    skapad = models.DateTimeField(_("första inloggning"), auto_now_add=True)
    senast_inloggad = models.DateTimeField(_("senaste inloggning"), null=True, blank=True)
    senast_kontrollerad = models.DateTimeField(_("senast kontrollerad"), null=True, blank=True)

    class Meta:
        verbose_name = _("extern identitet")
        verbose_name_plural = _("externa identiteter")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subjekt"], name="extern_identitet_unik")
        ]

    def __str__(self):
        return f"{self.user} ({self.subjekt})"


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def glom_token_for_stangt_konto(sender, instance, **kwargs):
    """A closed account (for whatever reason) forgets its refresh token. Opened again
    later, it is checked only after its next sign-in, with a fresh token: the old one
    may have expired meanwhile, and its invalid_grant would close the account again."""
    if not instance.is_active:
        ExternIdentitet.objects.filter(user_id=instance.pk).exclude(refresh_token="").update(
            refresh_token=""
        )


class Gruppmappning(models.Model):
    """A group of the identity provider (the value in the group claim) that gives a role
    for a unit, when roles follow the groups (`OIDC_ROLLER_FRAN_GRUPPER`). Kept by the
    administrator; every change is in the history."""

    grupp = models.CharField(
        _("grupp"),
        max_length=255,
        help_text=_("Gruppens värde i identitetsleverantörens gruppclaim, exakt som det skickas."),
    )
    roll = models.CharField(_("roll"), max_length=32, choices=Roll.choices)
    enhet = models.ForeignKey(
        Enhet, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="gruppmappningar"
    )

    history = ProtectedHistoricalRecords()

    class Meta:
        verbose_name = _("gruppmappning")
        verbose_name_plural = _("gruppmappningar")
        ordering = ["grupp", "roll"]
        constraints = [
            models.UniqueConstraint(fields=["grupp", "roll", "enhet"], name="gruppmappning_unik")
        ]

    def __str__(self):
        return f"{self.grupp} → {self.get_roll_display()}, {self.enhet}"
