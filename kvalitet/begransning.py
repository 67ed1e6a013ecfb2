"""Rate limiting per client address: the public e-service, failed logins and password
reset requests.

Kept in the database rather than in a cache: it must hold across gunicorn workers,
and the product runs without Redis on a laptop. (django-ratelimit needs memcached or
django-redis and refuses Django's own Redis and local-memory caches.) Addresses are
stored only as keyed hashes and old rows are removed by the periodic clean-up.
"""

import hashlib
import hmac
import ipaddress
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kvalitet.models import Forfragan


def klientadress(request) -> str:
    """The client's address; behind PROXY_COUNT trusted proxies, from X-Forwarded-For.

    The one place the address is derived: the rate limits here and the login lockout
    (django-axes, through AXES_CLIENT_IP_CALLABLE) both use it. Something in the header
    that is not an address (a misconfigured proxy) is not trusted either."""
    antal = settings.PROXY_COUNT
    if antal:
        kedja = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        kedja = [a for a in kedja if a]
        if len(kedja) >= antal and _ar_adress(kedja[-antal]):
            return kedja[-antal]
    return request.META.get("REMOTE_ADDR", "")


def _ar_adress(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _nyckel(omrade, adress):
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{omrade}:{adress}".encode(), hashlib.sha256
    ).hexdigest()


def _las(nyckel):
    """Serialise the count and the insert of one key until the transaction ends.

    PostgreSQL: a transaction-level advisory lock on the key (no table of keys needed).
    SQLite: the transaction itself is the lock – it begins IMMEDIATE (settings), so a
    second writer waits for the first to commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The first 64 bits of the keyed hash, as the signed bigint the lock takes.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(nyckel[:16], 16) - 2**63])


def tillat(request, omrade: str, grans: int, fonster: timedelta) -> bool:
    """Record one request in `omrade` and say whether it is within `grans` per `fonster`.

    Atomic: of two concurrent requests at the limit, one is refused."""
    return tillat_for(omrade, klientadress(request), grans, fonster)


def tillat_for(omrade: str, identitet: str, grans: int, fonster: timedelta) -> bool:
    """`tillat` for another identity than the client's address: the API counts per key
    (its id), whatever address the calls come from."""
    if grans <= 0:
        return True
    nyckel = _nyckel(omrade, identitet)
    # In the caller's transaction when there is one (no savepoint: an error here is the
    # request's error), otherwise in its own.
    with transaction.atomic(savepoint=False):
        _las(nyckel)
        return _registrera(nyckel, grans, fonster)


def _registrera(nyckel, grans, fonster) -> bool:
    """Record one request for `nyckel` unless `grans` are already recorded within
    `fonster`; whether it was. One statement (on the public e-service this runs for
    every submission), under the key's lock (`_las`)."""
    nu = timezone.now()
    tid = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO kvalitet_forfragan (nyckel, tid) SELECT %s, %s "
            "WHERE (SELECT COUNT(*) FROM kvalitet_forfragan WHERE nyckel = %s AND tid >= %s) < %s",
            [nyckel, tid(nu), nyckel, tid(nu - fonster), grans],
        )
        return cursor.rowcount == 1


def vantetid(omrade: str, identitet: str, fonster: timedelta) -> timedelta:
    """How long until the oldest request of `identitet` within `fonster` leaves the
    window (when a refused caller may try again; Retry-After)."""
    nu = timezone.now()
    aldsta = (
        Forfragan.objects.filter(nyckel=_nyckel(omrade, identitet), tid__gte=nu - fonster)
        .order_by("tid")
        .values_list("tid", flat=True)
        .first()
    )
    return max(aldsta + fonster - nu, timedelta(0)) if aldsta else timedelta(0)


def overskriden(request, omrade: str, grans: int, fonster: timedelta) -> bool:
    """Whether `grans` events of `omrade` were recorded for the client within `fonster`
    (events recorded by `registrera`, e.g. failed logins); records nothing."""
    if grans <= 0:
        return False
    nyckel = _nyckel(omrade, klientadress(request))
    sedan = timezone.now() - fonster
    return Forfragan.objects.filter(nyckel=nyckel, tid__gte=sedan).count() >= grans


def registrera(request, omrade: str):
    """Record one event of `omrade` for the client (counted by `overskriden`)."""
    Forfragan.objects.create(nyckel=_nyckel(omrade, klientadress(request)))


def rensa(aldre_an=timedelta(days=1)):
    """Remove request records older than any window in use."""
    return Forfragan.objects.filter(tid__lt=timezone.now() - aldre_an).delete()[0]
