"""Verksamhetsområden: the areas of social services a unit works in (barn och unga,
ekonomiskt bistånd ...), so that figures can be broken down by område as the real
reports and IVO's national figures are, not only by avdelning (docs/siffror.md).

A list of its own module: `Kodlista` lives with the cases (`arende`), which import the
organisation, so the organisation cannot import it back."""

from django.utils.translation import gettext_lazy as _

from .arende import Kodlista


class Verksamhetsomrade(Kodlista):
    """An administrator-kept list; a unit without its own område has the nearest unit
    above's (`Enhet.omrade`, `Enhet.objects.omraden`)."""

    class Meta(Kodlista.Meta):
        verbose_name = _("verksamhetsområde")
        verbose_name_plural = _("verksamhetsområden")
