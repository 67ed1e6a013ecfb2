"""The login page's button for signing in with the municipality's account (kvalitet.oidc),
shown only while OIDC_ISSUER is set; it carries the page to go on to."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("registration/_oidc_knapp.html", takes_context=True)
def oidc_knapp(context):
    url = reverse("oidc_logga_in")
    nasta = context.get("next")
    if nasta:
        url = f"{url}?{urlencode({'next': nasta})}"
    return {
        "oidc_pa": bool(settings.OIDC_ISSUER),
        "oidc_url": url,
        "knapptext": settings.OIDC_KNAPPTEXT,
    }


@register.simple_tag
def oidc_pa():
    """Whether sign-in with the municipality's account is configured."""
    return bool(settings.OIDC_ISSUER)
