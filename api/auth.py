"""Authentication by personal key, and the permissions every API view starts from.

`Authorization: Bearer <nyckel>` (or `Token <nyckel>`): the key is looked up by its
SHA-256, one indexed query together with its owner. An unknown, expired or revoked key,
or one whose owner is inactive, is refused with 401 and says which. Who the owner is
then decides everything else, through the same access door as the pages
(`kvalitet.behorighet`)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission

from kvalitet import behorighet

from .models import ApiNyckel, hasha

SCHEMAN = (b"bearer", b"token")


class NyckelAuthentication(BaseAuthentication):
    """A personal key in the Authorization header (docs/api.md)."""

    def authenticate(self, request):
        delar = get_authorization_header(request).split()
        if not delar or delar[0].lower() not in SCHEMAN:
            return None  # no key given: NotAuthenticated (401) where one is needed
        if len(delar) != 2:
            raise exceptions.AuthenticationFailed(
                _("Skriv nyckeln efter ordet Bearer, med ett mellanslag: Bearer <nyckel>.")
            )
        try:
            text = delar[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("API-nyckeln är okänd.")) from None
        nyckel = ApiNyckel.objects.select_related("anvandare").filter(hash=hasha(text)).first()
        if nyckel is None:
            raise exceptions.AuthenticationFailed(_("API-nyckeln är okänd."))
        if nyckel.aterkallad is not None:
            raise exceptions.AuthenticationFailed(_("API-nyckeln är återkallad."))
        if nyckel.giltig_till <= timezone.now():
            raise exceptions.AuthenticationFailed(
                _("API-nyckeln gick ut %(datum)s. Skapa en ny nyckel.")
                % {"datum": f"{timezone.localtime(nyckel.giltig_till):%Y-%m-%d %H:%M}"}
            )
        if not nyckel.anvandare.is_active:
            raise exceptions.AuthenticationFailed(_("Kontot som äger API-nyckeln är inaktiverat."))
        nyckel.registrera_anvandning()
        return nyckel.anvandare, nyckel

    def authenticate_header(self, request):
        # Makes a missing or refused key a 401 (with WWW-Authenticate), not a 403.
        return 'Bearer realm="api"'


class HarRoll(BasePermission):
    """Every call needs a key whose owner holds a valid role today: a person whose
    roles have all ended reaches nothing, even with a key made before."""

    def has_permission(self, request, view):
        if not isinstance(request.auth, ApiNyckel):
            return False
        if not behorighet.uppdrag(request.user):
            raise exceptions.PermissionDenied(
                _("Du har ingen giltig roll i systemet och kan inte använda API:t.")
            )
        return True


class Skrivbehorighet(BasePermission):
    """A write needs a key made for writing (`Omfang.SKRIV`)."""

    message = ""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if not request.auth.far_skriva:
            raise exceptions.PermissionDenied(
                _("API-nyckeln får bara läsa. Skapa en nyckel som får läsa och skriva.")
            )
        return True


class SerArenden(BasePermission):
    """Case records: the nämnd sees reports only, never case records (as on the pages,
    `behorighet.ser_inga_arenden`)."""

    def has_permission(self, request, view):
        if behorighet.ser_inga_arenden(request.user):
            raise exceptions.PermissionDenied(_("Nämnden ser rapporterna, inte enskilda ärenden."))
        return True
