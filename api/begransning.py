"""The API's rate limit: calls per key and minute (API_ANROP_PER_MINUT).

Counted in the database through `kvalitet.begransning`, keyed by the key's id rather
than the client's address (many callers share an address behind a proxy; one caller
may come from many). The database, not Django's cache: the cache is per process unless
Redis is configured, so a limit kept there would be multiplied by the number of workers;
the database count holds across every worker and needs no Redis. The cost is one insert
per call, removed by the nightly clean-up (`kvalitet.tasks.gallra`)."""

import math
from datetime import timedelta

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from kvalitet import begransning

from .models import ApiNyckel

OMRADE = "api-nyckel"
FONSTER = timedelta(minutes=1)


class NyckelBegransning(BaseThrottle):
    """At most API_ANROP_PER_MINUT calls per key within any minute; the next is refused
    with 429 and Retry-After, and the other keys are not affected."""

    def allow_request(self, request, view):
        nyckel = request.auth
        if not isinstance(nyckel, ApiNyckel):
            return True  # the public schema and documentation take no key
        self.identitet = str(nyckel.pk)
        return begransning.tillat_for(OMRADE, self.identitet, settings.API_ANROP_PER_MINUT, FONSTER)

    def wait(self):
        kvar = begransning.vantetid(OMRADE, self.identitet, FONSTER)
        return max(1, math.ceil(kvar.total_seconds()))
