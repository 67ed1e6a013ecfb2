"""The bare reference view of the load test (`bench/last_synpunkter.sh`): the cheapest
Django POST that saves something, to compare the public e-service with.

Only the load test serves it: gunicorn runs there with `bench.referens_settings`, whose
URLconf is this module – the product's URLs plus `/bench/referens/`. The product's own
settings and URLconf never include it.

GET answers a minimal form with a CSRF token; POST (through the same middleware stack
as every page: sessions, CSRF, authentication, messages, security headers …) inserts
one row into `bench_referens` – a table the script creates, outside the migrations –
and answers the row's id. Nothing else: no form class, no validation beyond the CSRF
check, no template, no transaction beyond the single INSERT's autocommit.
"""

from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.http import require_http_methods

from kvalitet.urls import handler400, handler403, handler404, handler500  # noqa: F401
from kvalitet.urls import urlpatterns as produktens

TABELL_SQL = (
    "CREATE TABLE IF NOT EXISTS bench_referens ("
    "id bigserial PRIMARY KEY, text varchar(200) NOT NULL, "
    "skapad timestamptz NOT NULL DEFAULT now())"
)


@require_http_methods(["GET", "POST"])
def referens(request):
    if request.method == "GET":
        return HttpResponse(
            '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" '
            f'value="{get_token(request)}"><input name="text"><button>Skicka</button></form>'
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_referens (text) VALUES (%s) RETURNING id",
            [request.POST.get("text", "")[:200]],
        )
        pk = cursor.fetchone()[0]
    return HttpResponse(f'<strong class="referens">{pk}</strong>')


urlpatterns = [path("bench/referens/", referens, name="bench_referens"), *produktens]
