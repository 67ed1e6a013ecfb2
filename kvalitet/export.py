"""CSV and XLSX export of a filtered case list, shared by every case type."""

import csv
import tempfile
from datetime import date, datetime
from itertools import chain, islice

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kvalitet.lib.kalkylark import ar_formelrisk, csv_cell

CHUNK = 2000


class _Echo:
    def write(self, value):
        return value


def _plain(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    return value


def etikett(falt, choices):
    """Column function giving a choice field's label, translated once per export
    rather than once per row."""
    namn = {k: str(v) for k, v in choices}
    return lambda obj: namn.get(getattr(obj, falt), getattr(obj, falt))


def _rows(queryset, kolumner, forbered=None):
    """Rows in chunks; `forbered(chunk)` may load related data for a chunk in one query."""
    chunk = []
    for obj in queryset.iterator(chunk_size=CHUNK):
        chunk.append(obj)
        if len(chunk) == CHUNK:
            yield from _chunk_rows(chunk, kolumner, forbered)
            chunk = []
    if chunk:
        yield from _chunk_rows(chunk, kolumner, forbered)


def _chunk_rows(chunk, kolumner, forbered):
    if forbered:
        forbered(chunk)
    for obj in chunk:
        yield [_plain(fn(obj)) for _, fn in kolumner]


def ogiltigt_filter(fel):
    """A 400 answer listing an invalid filter's errors (`ArendeFilterSet.fel`): an
    empty file would look like "nothing matched"."""
    text = "\n".join(
        [
            _("Exporten gjordes inte eftersom filtret innehåller fel:"),
            *(f"- {f}" for f in fel),
            _("Rätta filtret i listan och exportera igen."),
        ]
    )
    response = HttpResponse(text + "\n", status=400, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(queryset, kolumner, filnamn, forbered=None):
    """Stream the rows as UTF-8 CSV with a BOM (Excel reads å, ä, ö correctly) and ';'."""
    writer = csv.writer(_Echo(), delimiter=";")

    def generate():
        yield "\ufeff"
        yield writer.writerow([rubrik for rubrik, _ in kolumner])
        for row in _rows(queryset, kolumner, forbered):
            yield writer.writerow([csv_cell(_csv_value(v)) for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filnamn}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def _csv_value(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _bredder(rubriker, prov):
    """Column widths (characters) from the headings and a sample of the first rows: wide
    enough for what the column holds, within reason."""
    bredder = []
    for i, rubrik in enumerate(rubriker):
        langst = len(str(rubrik))
        for rad in prov:
            varde = rad[i]
            if isinstance(varde, datetime):
                langd = 16
            elif isinstance(varde, date):
                langd = 10
            else:
                langd = len(str(varde)) if varde is not None else 0
            langst = max(langst, langd)
        bredder.append(min(max(langst + 2, 10), 60))
    return bredder


def xlsx_response(queryset, kolumner, filnamn, forbered=None):
    """Write the rows to a write-only workbook; formula-like text stays text. The
    heading row is frozen, every column has a filter and a width that fits its content
    (judged from the first rows)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(filnamn[:31])
    rader = _rows(queryset, kolumner, forbered)
    prov = list(islice(rader, 200))
    rubriker = [rubrik for rubrik, _ in kolumner]
    for i, bredd in enumerate(_bredder(rubriker, prov), start=1):
        ws.column_dimensions[get_column_letter(i)].width = bredd
    ws.freeze_panes = "A2"
    header = []
    for rubrik in rubriker:
        cell = WriteOnlyCell(ws, value=str(rubrik))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    antal = 0
    for row in chain(prov, rader):
        antal += 1
        cells = []
        for value in row:
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = WriteOnlyCell(ws, value=value)
            if ar_formelrisk(value):
                cell.data_type = "s"
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        ws.append(cells)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(rubriker))}{antal + 1}"
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse when sent
    wb.save(tmp)
    tmp.seek(0)
    response = FileResponse(
        tmp,
        as_attachment=True,
        filename=f"{filnamn}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    return response
