"""Rate limiting of anonymous requests (the public e-service), per client address.

Kept in the database rather than in a cache: it must hold across gunicorn workers,
and the product runs without Redis on a laptop. (django-ratelimit needs memcached or
django-redis and refuses Django's own Redis and local-memory caches.) Addresses are
stored only as keyed hashes and old rows are removed by the periodic clean-up.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kvalitet.models import Forfragan


def klientadress(request) -> str:
    """The client's address; behind PROXY_COUNT trusted proxies, from X-Forwarded-For."""
    antal = settings.PROXY_COUNT
    if antal:
        kedja = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        kedja = [a for a in kedja if a]
        if len(kedja) >= antal:
            return kedja[-antal]
    return request.META.get("REMOTE_ADDR", "")


def _nyckel(omrade, adress):
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{omrade}:{adress}".encode(), hashlib.sha256
    ).hexdigest()


def tillat(request, omrade: str, grans: int, fonster: timedelta) -> bool:
    """Record one request in `omrade` and say whether it is within `grans` per `fonster`."""
    if grans <= 0:
        return True
    nyckel = _nyckel(omrade, klientadress(request))
    nu = timezone.now()
    with transaction.atomic():
        antal = Forfragan.objects.filter(nyckel=nyckel, tid__gte=nu - fonster).count()
        if antal >= grans:
            return False
        Forfragan.objects.create(nyckel=nyckel, tid=nu)
    return True


def rensa(aldre_an=timedelta(days=1)):
    """Remove request records older than any window in use."""
    return Forfragan.objects.filter(tid__lt=timezone.now() - aldre_an).delete()[0]
