"""Exports of a case list as a background job: start, run, offer, expire.

A list's export button answers at once when the selection is small (at most
EXPORT_DIREKT_MAX rows, judged by a count capped just above it); a larger one becomes an
`Export` row and a Celery task (`kvalitet.tasks.kor_export`). The task re-evaluates the
requester's access and filter as they stand when it runs, writes the file under
MEDIA_ROOT to a temporary name and renames it into place when it is complete, logs every
exported case of a type that logs reads (`Atkomstlogg`) in one statement, and only then
marks the job done. CSV on PostgreSQL is produced by `COPY` (`kvalitet.export`).

The file is offered only to the one who asked (anyone else gets 404) until it expires
(EXPORT_GALLRAS_TIMMAR); `gallra` deletes expired files.
"""

import logging
import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connections, transaction
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.test import RequestFactory
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views import View

from kvalitet import behorighet
from kvalitet.export import BOM, csv_rubrikrad, csv_text, kan_kopiera, kopiera_csv, skriv_xlsx
from kvalitet.models import EXPORT_ARBETAR, Atkomstlogg, Export, Exportstatus, User

log = logging.getLogger(__name__)

# Progress is written to the job's row every this many rows.
FORLOPP_VAR = 10_000
# How many of the user's exports the job page lists.
SENASTE = 10
MAPP = "exporter"


def for_stor(queryset) -> bool:
    """Whether the selection has more rows than an export answered at once may have; the
    count stops just above the limit, so it stays cheap on a long list."""
    grans = settings.EXPORT_DIREKT_MAX
    return queryset.order_by()[: grans + 1].count() > grans


def starta(user, lista, filter_text, format) -> Export:
    """A queued export of the list view `lista` (an ArendeListaView class) with the filter
    `filter_text` (a query string); the task is sent when the transaction commits."""
    from kvalitet.tasks import kor_export

    modell = lista.model
    jobb = Export.objects.create(
        anvandare=user,
        lista=f"{lista.__module__}.{lista.__qualname__}",
        rubrik=str(modell._meta.verbose_name_plural).capitalize(),
        filter=filter_text,
        format=format,
        filnamn=f"{modell._meta.app_label}-{timezone.localdate():%Y-%m-%d}.{format}",
    )
    kor_export.delay_on_commit(jobb.pk)
    return jobb


# --- The job ------------------------------------------------------------------------------


class Avbruten(Exception):
    """The job cannot produce a file; the message is shown to the user."""


def _lista(namn):
    from kvalitet.views import ArendeListaView

    try:
        vy = import_string(namn)
    except ImportError as exc:
        raise Avbruten(_("Listan som exporten gällde finns inte längre.")) from exc
    if not (isinstance(vy, type) and issubclass(vy, ArendeListaView)):
        raise Avbruten(_("Listan som exporten gällde finns inte längre."))
    return vy


def _atkomst(jobb):
    """The requester as they are now: an inactive account or one without a staff role
    gets no file."""
    user = User.objects.get(pk=jobb.anvandare_id)
    if not behorighet.far_exportera(user):
        raise Avbruten(_("Du har inte längre behörighet att exportera listan."))
    return user


def _urval(jobb, user):
    """The list view (set up as the requester) and its filtered queryset."""
    if jobb.format not in Export.Format.values:
        raise Avbruten(_("Formatet %(format)s kan inte exporteras.") % {"format": jobb.format})
    request = RequestFactory().get("/", QueryDict(jobb.filter))
    request.user = user
    vy = _lista(jobb.lista)()
    vy.setup(request)
    filtret = vy.filterset()
    if fel := filtret.fel():
        raise Avbruten(
            _("Exporten gjordes inte eftersom filtret innehåller fel: %(fel)s")
            % {"fel": "; ".join(str(f) for f in fel)}
        )
    return vy, filtret.qs


def logga(user, queryset, detalj):
    """Log an export of every case of `queryset` (a type that logs reads) in one
    INSERT … SELECT."""
    modell = queryset.model
    if not getattr(modell, "LOGGA_LASNING", False):
        return
    ct = ContentType.objects.get_for_model(modell)
    urval = queryset.order_by().values_list("pk", "nummer")
    sql, params = urval.query.sql_with_params()
    tabell = Atkomstlogg._meta.db_table
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tabell} "  # noqa: S608 - table name from the model, values bound
            "(anvandare_id, content_type_id, object_id, nummer, handelse, detalj, tid) "
            f"SELECT %s, %s, u.*, %s, %s, %s FROM ({sql}) u",
            (
                user.pk,
                ct.pk,
                Atkomstlogg.Handelse.EXPORT.value,
                detalj[:300],
                connection.ops.adapt_datetimefield_value(timezone.now()),
                *params,
            ),
        )


def spara_forlopp(pk, antal, connection=None):
    """Record how many rows are written. During COPY the job's own connection is busy
    with the copy, so the row is updated over a second connection (`connection`)."""
    if connection is None:
        Export.objects.filter(pk=pk).update(rader_klara=antal)
        return
    tabell = connection.ops.quote_name(Export._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {tabell} SET rader_klara = %s WHERE id = %s", [antal, pk])  # noqa: S608


def _skriv(jobb, vy, queryset, fil):
    kolumner = vy.exportkolumner()
    if jobb.format == Export.Format.XLSX:
        blad = jobb.filnamn.rsplit(".", 1)[0]
        return skriv_xlsx(
            fil,
            queryset,
            kolumner,
            blad,
            forlopp=lambda antal: spara_forlopp(jobb.pk, antal),
            var=FORLOPP_VAR,
        )
    fil.write((BOM + csv_rubrikrad(kolumner)).encode())
    if kan_kopiera(queryset, kolumner):
        sida = connections.create_connection(queryset.db)
        try:
            return kopiera_csv(
                queryset,
                kolumner,
                fil.write,
                forlopp=lambda antal: spara_forlopp(jobb.pk, antal, sida),
                var=FORLOPP_VAR,
            )
        finally:
            sida.close()
    antal = -2  # the BOM and the heading row come first
    for text in csv_text(queryset, kolumner):
        if antal >= 0:
            fil.write(text.encode())
            if antal and antal % FORLOPP_VAR == 0:
                spara_forlopp(jobb.pk, antal)
        antal += 1
    return antal


def _ta(pk):
    """Take the job: queued, or started by a worker that died (acks_late delivers it
    again). None when it is done, failed or expired: running twice changes nothing."""
    with transaction.atomic():
        jobb = Export.objects.select_for_update().filter(pk=pk).first()
        if jobb is None or jobb.status not in EXPORT_ARBETAR:
            return None
        jobb.status = Exportstatus.PAGAR
        jobb.save(update_fields=["status"])
    return jobb


def kor(pk):
    """Run export `pk` (the Celery task's body). Returns the final status, or None if
    there was nothing to do."""
    jobb = _ta(pk)
    if jobb is None:
        return None
    tmp = None
    try:
        user = _atkomst(jobb)
        vy, queryset = _urval(jobb, user)
        Export.objects.filter(pk=pk).update(rader_totalt=queryset.count())
        mapp = Path(settings.MEDIA_ROOT) / MAPP / str(user.pk)
        mapp.mkdir(parents=True, exist_ok=True)
        tmp = mapp / f".{jobb.pk}-{secrets.token_hex(8)}.tmp"
        start = time.monotonic()
        with open(tmp, "wb") as fil:
            antal = _skriv(jobb, vy, queryset, fil)
            fil.flush()
            os.fsync(fil.fileno())
        log.info("Export %s: %s rader på %.1f s", pk, antal, time.monotonic() - start)
        relativ = f"{MAPP}/{user.pk}/{jobb.pk}-{secrets.token_hex(8)}.{jobb.format}"
        with transaction.atomic():
            aktuell = Export.objects.select_for_update().get(pk=pk)
            if aktuell.status != Exportstatus.PAGAR:
                return aktuell.status  # another run finished it, or it expired meanwhile
            logga(user, queryset, f"{jobb.format.upper()} {jobb.filter}")
            os.replace(tmp, Path(settings.MEDIA_ROOT) / relativ)
            tmp = None
            nu = timezone.now()
            aktuell.status = Exportstatus.KLAR
            aktuell.fil = relativ
            aktuell.rader_klara = aktuell.rader_totalt = antal
            aktuell.klar = nu
            aktuell.utgar = nu + timedelta(hours=settings.EXPORT_GALLRAS_TIMMAR)
            aktuell.save(
                update_fields=["status", "fil", "rader_klara", "rader_totalt", "klar", "utgar"]
            )
        return Exportstatus.KLAR
    except Avbruten as exc:
        return _misslyckad(pk, str(exc))
    except Exception:
        log.exception("Export %s misslyckades", pk)
        return _misslyckad(pk, _("Exporten kunde inte skapas. Försök igen senare."))
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def _misslyckad(pk, meddelande):
    Export.objects.filter(pk=pk, status=Exportstatus.PAGAR).update(
        status=Exportstatus.MISSLYCKAD, fel=meddelande[:1000], klar=timezone.now()
    )
    return Exportstatus.MISSLYCKAD


def gallra(nu=None):
    """Delete the files of expired exports and mark them expired; delete the rows a
    week after they expired, and temporary files a killed worker left behind."""
    nu = nu or timezone.now()
    antal = 0
    for jobb in Export.objects.utgangna(nu):
        jobb.ta_bort_fil()
        Export.objects.filter(pk=jobb.pk).update(status=Exportstatus.UTGANGEN, fil="")
        antal += 1
    borttagna = Export.objects.filter(utgar__lte=nu - timedelta(days=7)).delete()[0]
    gamla = nu.timestamp() - settings.EXPORT_GALLRAS_TIMMAR * 3600
    for tmp in (Path(settings.MEDIA_ROOT) / MAPP).glob("*/.*.tmp"):
        if tmp.stat().st_mtime < gamla:
            tmp.unlink(missing_ok=True)
    return {"utgangna": antal, "borttagna": borttagna}


# --- Pages ----------------------------------------------------------------------------------


def _eget(request, pk):
    """The user's own export, else 404 (another user's, staff included, does not exist)."""
    return get_object_or_404(Export, pk=pk, anvandare=request.user)


def _sida(jobb, **extra):
    return {"jobb": jobb, "timmar": settings.EXPORT_GALLRAS_TIMMAR, **extra}


class ExportView(View):
    """The export's page: progress (polled by htmx while the job works), then the
    download; the user's recent exports below."""

    def get(self, request, pk):
        jobb = _eget(request, pk)
        if request.htmx:
            return render(request, "kvalitet/export/_status.html", _sida(jobb))
        senaste = list(request.user.exporter.all()[:SENASTE])
        return render(request, "kvalitet/export/export.html", _sida(jobb, senaste=senaste))


class ExportFilView(View):
    """The file, to the one who asked, while it is kept."""

    def get(self, request, pk):
        jobb = _eget(request, pk)
        if not behorighet.far_exportera(request.user):
            raise PermissionDenied(_("Du har inte längre behörighet att hämta exporten."))
        if jobb.utgangen:
            return render(request, "kvalitet/export/utgangen.html", _sida(jobb), status=410)
        if jobb.status != Exportstatus.KLAR:
            return redirect("export", pk=jobb.pk)
        try:
            fil = open(jobb.sokvag, "rb")  # noqa: SIM115 - closed by FileResponse
        except FileNotFoundError as exc:
            raise Http404 from exc
        content_type = (
            "text/csv; charset=utf-8"
            if jobb.format == Export.Format.CSV
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = FileResponse(
            fil, as_attachment=True, filename=jobb.filnamn, content_type=content_type
        )
        response["Cache-Control"] = "private, no-store"
        return response
