"""Import of records from other systems: the `kvalitet-import/1` format
(docs/import-format.md), used by `manage.py importera`.

The import is all or nothing. Every section of the file is validated first and every
error is collected with its path (`avvikelser[12].enhet`) and a Swedish message; only
a file without errors is written, in one transaction, section by section.

Sections are a registry: each part declares the importer of its own section on its
AppConfig (`importsektioner`, kvalitet.delar), so that this module never imports a
case app. A section importer is a `Sektion` subclass with a
name, an order (organisation first, historik last), `validera(rader, ctx)` and
`skriv(ctx)`. `ArendeSektion` does the work shared by every case type: records keyed
by `extern_id`, model validation, case numbers of the historic year, bulk writes with
change history and a timeline entry (the writing itself: `kvalitet.bulk`).
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import gc
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kvalitet.bulk import infoga_med_historik, infoga_rader, uppdatera_med_historik
from kvalitet.lib.datum import SENAST, TIDIGAST, for_tidigt_text, utanfor_granserna_text
from kvalitet.models import CaseNumberSeries, Enhet, Enhetstyp, TimelineEntry, Verksamhetsomrade

FORMAT = "kvalitet-import/1"

# Ids per IN (...) lookup: large enough that the number of queries does not grow with
# a realistic file, small enough for SQLite's variable limit. (Rows per bulk write:
# `kvalitet.bulk.BATCH`.)
UPPSLAG = 5000

# A clock a few minutes ahead in the source system is not a date in the future
# (the same tolerance as `Synpunkt.clean`).
FRAMTID_MARGINAL = timedelta(minutes=5)

# Sections of the format whose case type does not exist yet. Once an app registers an
# importer of the same name, the registered importer is used instead.
EJ_TILLGANGLIGA: dict[str, Any] = {}


class Importfel(Exception):
    """The file has errors; nothing was written. `fel` lists (path, message)."""

    def __init__(self, fel):
        super().__init__(f"{len(fel)} fel")
        self.fel = fel


class Ogiltigt(Exception):
    """A value cannot be read. Without a message the error has already been reported."""

    def __init__(self, meddelande=None):
        super().__init__(meddelande)
        self.meddelande = meddelande


@dataclass
class Resultat:
    """What writing one section did (or, in a dry run, would do)."""

    nya: int = 0
    andrade: int = 0
    oforandrade: int = 0
    anteckningar: list[str] = field(default_factory=list)


# --- Registry ---------------------------------------------------------------------------


class Sektion:
    """Importer of one top-level section of the file.

    One instance is made per import (it holds that import's prepared records).
    `validera` reports every error through `ctx.fel_vid` and writes nothing;
    `skriv` runs only if no section had an error, inside the import's transaction.

    `historik_dimensioner` tells the historik section which breakdowns the series of
    the same name has: dimension → a TextChoices class (the valid codes) or a
    `Kodlista` model (category names, canonicalised where they match).
    """

    namn: ClassVar[str]
    ordning: ClassVar[int]
    historik_dimensioner: ClassVar[dict[str, Any]] = {}

    def __init__(self, ctx: Kontext):
        """Prepare for one import (load what the section looks names up in)."""

    def validera(self, rader: list, ctx: Kontext) -> None:
        """Check every record of the section, report errors with `ctx.fel_vid`, and
        keep what `skriv` needs. Writes nothing."""
        raise NotImplementedError

    def skriv(self, ctx: Kontext) -> Resultat:
        """Write the validated records (in the import's transaction); the counts."""
        raise NotImplementedError


_sektioner: dict[str, type[Sektion]] = {}


def registrera(klass: type[Sektion]) -> type[Sektion]:
    """Register the importer of a section (called from an AppConfig.ready())."""
    _sektioner[klass.namn] = klass
    return klass


def sektioner() -> list[type[Sektion]]:
    """The registered section importers in the order they are written."""
    return sorted(_sektioner.values(), key=lambda k: k.ordning)


def sektion(namn: str) -> type[Sektion] | None:
    """The registered importer of a section, or None."""
    return _sektioner.get(namn)


# --- Context ----------------------------------------------------------------------------


class Kontext:
    """What the sections of one import share: options, the clock, the errors found so
    far and the units (those in the database and those in the file's organisation)."""

    def __init__(self, *, filnamn: str, skapa_kategorier=False, provkorning=False, nu=None):
        self.filnamn = filnamn
        self.skapa_kategorier = skapa_kategorier
        self.provkorning = provkorning
        self.nu = nu or timezone.now()
        self.idag = timezone.localdate(self.nu)
        self.tidszon = _tidszon()
        self.fel: list[tuple[str, str]] = []
        self._sedda_fel: set[tuple[str, str]] = set()
        self.enheter = Enhetsregister.fran_databasen()

    def fel_vid(self, path: str, meddelande) -> None:
        """Record an error at a path; the same message at the same path counts once
        (a model's clean() may repeat a rule the importer already checked)."""
        nyckel = (path, str(meddelande))
        if nyckel not in self._sedda_fel:
            self._sedda_fel.add(nyckel)
            self.fel.append(nyckel)

    @property
    def orsak_skapad(self) -> str:
        """The change-history reason of an imported record (the column holds 100)."""
        return (_("Importerad från %(fil)s") % {"fil": self.filnamn})[:100]

    @property
    def orsak_andrad(self) -> str:
        """The change-history reason of a record updated by an import."""
        return (_("Ändrad vid import från %(fil)s") % {"fil": self.filnamn})[:100]


# --- Reading values ---------------------------------------------------------------------


def normalisera(text: str) -> str:
    """A name as matched: white space trimmed and collapsed, case ignored."""
    return " ".join(text.split()).casefold()


def json_typ(varde) -> str:
    """How a JSON value is described in a message ("texten "ja"", "talet 3" ...)."""
    if varde is None:
        return "null"
    if isinstance(varde, bool):
        return "true" if varde else "false"
    if isinstance(varde, int | float):
        return _("talet %s") % varde
    if isinstance(varde, str):
        kort = varde if len(varde) <= 40 else varde[:37] + "..."
        return _('texten "%s"') % kort
    if isinstance(varde, list):
        return _("en lista")
    return _("ett objekt")


class Falt:
    """How one key of a record is read. `tomt` is the value when the key is absent or
    null (only allowed when the key is optional)."""

    tomt: Any = None

    def __init__(self, obligatorisk=False):
        self.obligatorisk = obligatorisk

    def las(self, varde, path: str, ctx: Kontext):
        """The Python value, or raise `Ogiltigt`."""
        raise NotImplementedError


class Text(Falt):
    """A JSON string, trimmed like a form field is."""

    tomt = ""

    def las(self, varde, path, ctx):
        if not isinstance(varde, str):
            raise Ogiltigt(_("ska vara en text, inte %s") % json_typ(varde))
        return varde.strip()


class Sanningsvarde(Falt):
    """A JSON boolean; "ja", 1 or "true" are not accepted."""

    tomt = False

    def las(self, varde, path, ctx):
        if not isinstance(varde, bool):
            raise Ogiltigt(_("ska vara true eller false, inte %s") % json_typ(varde))
        return varde


class Heltal(Falt):
    """A JSON integer (not a boolean, not 6.0)."""

    def las(self, varde, path, ctx):
        if isinstance(varde, bool) or not isinstance(varde, int):
            raise Ogiltigt(_("ska vara ett heltal, inte %s") % json_typ(varde))
        return varde


class Kod(Falt):
    """One of a fixed set of codes (a TextChoices class or a sequence of codes)."""

    tomt = ""

    def __init__(self, koder, obligatorisk=False):
        super().__init__(obligatorisk)
        self.koder = tuple(str(k) for k in (koder.values if hasattr(koder, "values") else koder))

    def las(self, varde, path, ctx):
        if not isinstance(varde, str):
            raise Ogiltigt(_("ska vara en kod (text), inte %s") % json_typ(varde))
        if varde not in self.koder:
            raise Ogiltigt(okand_kod(varde, self.koder))
        return varde


def okand_kod(varde, koder) -> str:
    """The message for a code that is not one of `koder`."""
    return _('okänd kod "%(kod)s" (giltiga: %(giltiga)s)') % {
        "kod": varde,
        "giltiga": ", ".join(koder),
    }


_DATUM = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIDPUNKT = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?")


def las_datum(varde: str) -> date:
    """An ISO 8601 calendar date (2017-05-24); ValueError otherwise."""
    if not _DATUM.fullmatch(varde):
        raise ValueError(varde)
    return date.fromisoformat(varde)


def las_tidpunkt(varde: str, tidszon) -> datetime:
    """An ISO 8601 date or date and time as an aware datetime; ValueError otherwise.

    A date without a time is midnight in `tidszon` (Europe/Stockholm), and so is a
    time without an offset: the source systems keep Swedish local time."""
    if not _TIDPUNKT.fullmatch(varde):
        raise ValueError(varde)
    if len(varde) == 10:
        return datetime.combine(date.fromisoformat(varde), time(), tzinfo=tidszon)
    tid = datetime.fromisoformat(varde)
    if tid.tzinfo is None:
        tid = tid.replace(tzinfo=tidszon)
    return tid


class Datum(Falt):
    """A calendar date; never before TIDIGAST (kvalitet.lib.datum), and in the future only
    for a date someone asks for (`framtid`: an answer wanted by), up to SENAST."""

    def __init__(self, obligatorisk=False, *, framtid=False):
        super().__init__(obligatorisk)
        self.framtid = framtid

    def las(self, varde, path, ctx):
        if not isinstance(varde, str):
            raise Ogiltigt(_("ska vara ett datum (ÅÅÅÅ-MM-DD), inte %s") % json_typ(varde))
        try:
            dag = las_datum(varde)
        except ValueError:
            raise Ogiltigt(
                _('ogiltigt datum "%s" (ange ÅÅÅÅ-MM-DD, t.ex. 2017-05-24)') % varde
            ) from None
        if dag < TIDIGAST:
            raise Ogiltigt(for_tidigt_text())
        if self.framtid and dag > SENAST:
            raise Ogiltigt(utanfor_granserna_text())
        if dag > ctx.idag and not self.framtid:
            raise Ogiltigt(_("Datumet kan inte ligga i framtiden."))
        return dag


class Tidpunkt(Falt):
    """A date, or a date and time; never in the future, nor before TIDIGAST (as written,
    before any conversion: converting year 1 to another time zone may overflow)."""

    def las(self, varde, path, ctx):
        if not isinstance(varde, str):
            raise Ogiltigt(_("ska vara ett datum (ÅÅÅÅ-MM-DD), inte %s") % json_typ(varde))
        try:
            tid = las_tidpunkt(varde, ctx.tidszon)
        except ValueError:
            raise Ogiltigt(
                _(
                    'ogiltigt datum "%s" (ange ÅÅÅÅ-MM-DD, eller datum och klockslag '
                    "som 2017-05-24T14:30:00+02:00)"
                )
                % varde
            ) from None
        if tid.date() < TIDIGAST:
            raise Ogiltigt(for_tidigt_text())
        if tid > ctx.nu + FRAMTID_MARGINAL:
            raise Ogiltigt(_("Datumet kan inte ligga i framtiden."))
        return tid


class EnhetFalt(Falt):
    """A unit, by `kod` or by `namn`; the value is the unit's code."""

    def las(self, varde, path, ctx):
        if not isinstance(varde, str):
            raise Ogiltigt(_("ska vara en enhets kod eller namn, inte %s") % json_typ(varde))
        return ctx.enheter.hitta(varde)


class Namn(Falt):
    """A name in an administrator-edited list (categories, cause areas)."""

    def __init__(self, register: Namnregister, obligatorisk=False):
        super().__init__(obligatorisk)
        self.register = register

    def las(self, varde, path, ctx):
        if not isinstance(varde, str):
            raise Ogiltigt(_("ska vara ett namn (text), inte %s") % json_typ(varde))
        return self.register.hitta(varde, ctx)


class OmradeFalt(Falt):
    """A verksamhetsområde by name (case-insensitive, trimmed); the value is its id.
    Only the områden the administrator keeps: an unknown name is refused, never created
    (--skapa-kategorier is for historic categories, not for the organisation)."""

    def __init__(self):
        super().__init__()
        self._namn = {
            normalisera(n): pk for pk, n in Verksamhetsomrade.objects.values_list("pk", "namn")
        }

    def las(self, varde, path, ctx):
        if not isinstance(varde, str):
            raise Ogiltigt(_("ska vara ett namn (text), inte %s") % json_typ(varde))
        pk = self._namn.get(normalisera(varde))
        if pk is None:
            giltiga = Verksamhetsomrade.objects.order_by("ordning", "namn").values_list(
                "namn", flat=True
            )
            raise Ogiltigt(
                _('okänt verksamhetsområde "%(namn)s" (giltiga: %(giltiga)s)')
                % {"namn": varde.strip(), "giltiga": ", ".join(giltiga)}
            )
        return pk


class Lista(Falt):
    """A JSON list of values read by `del_`; duplicates are dropped."""

    tomt: Any = ()

    def __init__(self, del_: Falt, obligatorisk=False):
        super().__init__(obligatorisk)
        self.del_ = del_

    def las(self, varde, path, ctx):
        if not isinstance(varde, list):
            raise Ogiltigt(_("ska vara en lista, inte %s") % json_typ(varde))
        ut, fel = [], False
        for i, del_varde in enumerate(varde):
            try:
                v = self.del_.las(del_varde, f"{path}[{i}]", ctx)
            except Ogiltigt as e:
                if e.meddelande:
                    ctx.fel_vid(f"{path}[{i}]", e.meddelande)
                fel = True
                continue
            if v not in ut:
                ut.append(v)
        if fel:
            raise Ogiltigt()
        return ut


def okand_nyckel(nyckel: str, giltiga) -> str:
    """The message for a key the format does not have, with the likely intended one."""
    forslag = difflib.get_close_matches(nyckel, list(giltiga), n=1, cutoff=0.6)
    if forslag:
        return _('okänd nyckel; menade du "%s"?') % forslag[0]
    return _("okänd nyckel (giltiga: %s)") % ", ".join(giltiga)


def las_post(rad, schema: dict[str, Falt], path: str, ctx: Kontext):
    """Read one record of a section against its schema.

    Returns (values by key, keys that could not be read), or None if the record is
    not a JSON object. Unknown keys, missing required keys and unreadable values are
    reported at `path.key`. An absent key and `null` both mean "not given"."""
    if not isinstance(rad, dict):
        ctx.fel_vid(path, _("ska vara ett objekt, inte %s") % json_typ(rad))
        return None
    for nyckel in rad:
        if nyckel not in schema:
            ctx.fel_vid(f"{path}.{nyckel}", okand_nyckel(nyckel, schema))
    varden, felaktiga = {}, set()
    for nyckel, falt in schema.items():
        varde = rad.get(nyckel)
        if varde is None:
            if falt.obligatorisk:
                ctx.fel_vid(f"{path}.{nyckel}", _("saknas (obligatorisk)"))
                felaktiga.add(nyckel)
            else:
                varden[nyckel] = falt.tomt
            continue
        try:
            varden[nyckel] = falt.las(varde, f"{path}.{nyckel}", ctx)
        except Ogiltigt as e:
            if e.meddelande:
                ctx.fel_vid(f"{path}.{nyckel}", e.meddelande)
            felaktiga.add(nyckel)
    return varden, felaktiga


def las_poster(rader, schema: dict[str, Falt], sektion: str, ctx: Kontext):
    """Every readable record of a section (`las_post`): (index, path, values by key,
    keys that could not be read); a record that is not a JSON object is reported and
    skipped."""
    for i, rad in enumerate(rader):
        path = f"{sektion}[{i}]"
        last = las_post(rad, schema, path, ctx)
        if last is not None:
            yield i, path, *last


def modellfel(obj, path: str, ctx: Kontext, *, falt) -> None:
    """Run the model's own validation (`full_clean`, as for a record entered in the
    browser) on the fields in `falt`, and report its errors at `path.key`.

    Uniqueness and constraints are left out (`validate_unique=False`): they would cost
    a query per record, and the importers check them against prefetched sets."""
    utan = _utom(obj._meta, frozenset(falt))
    try:
        obj.full_clean(exclude=utan, validate_unique=False, validate_constraints=False)
    except ValidationError as e:
        for namn, meddelanden in e.message_dict.items():
            plats = path if namn == NON_FIELD_ERRORS else f"{path}.{namn}"
            for meddelande in meddelanden:
                ctx.fel_vid(plats, meddelande)


@functools.cache
def _utom(meta, falt: frozenset) -> frozenset:
    return frozenset(f.name for f in meta.fields if f.name not in falt)


def lokal_dag(tid: datetime) -> date:
    """The calendar day of a moment in TIME_ZONE (Europe/Stockholm).

    The same as `timezone.localdate()` in a command, where no other time zone is
    active, without its thread-local lookup (a noticeable cost at 100 000 records)."""
    return tid.astimezone(_tidszon()).date()


def inte_fore(tid: datetime | None, grans: datetime | None) -> datetime | None:
    """`tid`, or `grans` if `tid` is earlier on the same local day.

    "Closed 2017-05-24" (midnight) for a case reported 2017-05-24 at 14:00 means closed
    that day; taken literally it would be closed before it was reported, and handling
    times would come out negative. Earlier days are errors, reported by the sections."""
    if tid and grans and tid < grans and lokal_dag(tid) == lokal_dag(grans):
        return grans
    return tid


@functools.cache
def _tidszon():
    return ZoneInfo(settings.TIME_ZONE)


def bitar(sekvens, storlek):
    """Consecutive slices of at most `storlek` items."""
    it = iter(sekvens)
    while bit := list(islice(it, storlek)):
        yield bit


# --- Registers of units and names --------------------------------------------------------


@dataclass
class _Enhet:
    kod: str
    namn: str
    pk: int | None
    overordnad: str | None  # the parent's code


class Enhetsregister:
    """The units an import can refer to: those in the database and, once the
    organisation section has been validated, those in the file (by code)."""

    def __init__(self, enheter: list[_Enhet]):
        self._kod = {e.kod.strip().casefold(): e for e in enheter}
        self._namnindex = None

    @classmethod
    def fran_databasen(cls):
        rader = list(Enhet.objects.values_list("pk", "kod", "namn", "overordnad_id"))
        kod_for = {pk: kod for pk, kod, _n, _o in rader}
        return cls([_Enhet(kod, namn, pk, kod_for.get(o)) for pk, kod, namn, o in rader])

    def get(self, kod: str) -> _Enhet | None:
        """The unit with this code (case-insensitive), or None."""
        return self._kod.get(kod.strip().casefold())

    def lagg_till(self, kod: str, namn: str) -> _Enhet:
        """A unit of the file: a new one, or new values for one in the database."""
        enhet = self.get(kod)
        if enhet is None:
            enhet = _Enhet(kod, namn, None, None)
            self._kod[kod.strip().casefold()] = enhet
        else:
            enhet.namn = namn
        self._namnindex = None
        return enhet

    def hitta(self, varde: str) -> str:
        """The code of the unit with this code or, failing that, this name."""
        enhet = self.get(varde)
        if enhet is not None:
            return enhet.kod
        if self._namnindex is None:
            self._namnindex = defaultdict(list)
            for e in self._kod.values():
                self._namnindex[normalisera(e.namn)].append(e.kod)
        koder = self._namnindex.get(normalisera(varde), [])
        if len(koder) == 1:
            return koder[0]
        if koder:
            raise Ogiltigt(
                _('flera enheter heter "%(namn)s" (%(koder)s); ange enhetens kod')
                % {"namn": varde.strip(), "koder": ", ".join(sorted(koder))}
            )
        raise Ogiltigt(_('okänd enhet "%s"') % varde.strip())

    def pk(self, kod: str) -> int:
        return self.get(kod).pk


class Namnregister:
    """The names of a `Kodlista` model (categories, cause areas), matched
    case-insensitively after trimming. With --skapa-kategorier an unknown name is
    accepted and created, inactive, when the import is written."""

    def __init__(self, modell, *, okand: str, plural: str):
        self.modell = modell
        self.okand = okand  # "okänd kategori"
        self.plural = plural  # "kategorier", for the summary
        self._finns = {
            normalisera(n): (n, pk) for pk, n in modell.objects.values_list("pk", "namn")
        }
        self.saknade: dict[str, str] = {}  # normalised → the name as first written

    def hitta(self, varde: str, ctx: Kontext) -> str:
        """The normalised name (the key for `pk`)."""
        nyckel = normalisera(varde)
        if not nyckel:
            raise Ogiltigt(_("får inte vara tomt"))
        if nyckel in self._finns:
            return nyckel
        if ctx.skapa_kategorier:
            self.saknade.setdefault(nyckel, " ".join(varde.split()))
            return nyckel
        raise Ogiltigt(
            _('%(okand)s "%(namn)s" (--skapa-kategorier skapar den)')
            % {"okand": self.okand, "namn": varde.strip()}
        )

    def skapa_saknade(self, ctx: Kontext) -> str | None:
        """Create the unknown names, inactive so that historic categories are not
        offered in today's forms; a line for the summary, or None."""
        nya = [n for k, n in self.saknade.items() if k not in self._finns]
        if not nya:
            return None
        skapade = self.modell.objects.bulk_create(
            [
                self.modell(namn=n[: self.modell._meta.get_field("namn").max_length], aktiv=False)
                for n in nya
            ]
        )
        for obj in skapade:
            self._finns[normalisera(obj.namn)] = (obj.namn, obj.pk)
        verb = _("skulle skapa") if ctx.provkorning else _("skapade")
        return _("%(verb)s %(antal)s inaktiva %(vad)s: %(namn)s") % {
            "verb": verb,
            "antal": len(nya),
            "vad": self.plural,
            "namn": ", ".join(f'"{n}"' for n in nya),
        }

    def pk(self, nyckel: str) -> int:
        return self._finns[nyckel][1]


class Instansfabrik:
    """Builds unsaved instances of a model from field values by name, like
    `Model(**values)` but passing the values positionally, as `Model.from_db` does:
    Django's keyword path costs a third of the validation at 100 000 records. Fields
    not given get their default (callable defaults are called per instance); fields
    given as a relation's name ("enhet") are left out, their id is set later."""

    def __init__(self, modell):
        self.modell = modell
        self.falt = [
            (
                f.attname,
                f.get_default if f.has_default() and callable(f.default) else None,
                f.get_default(),
            )
            for f in modell._meta.concrete_fields
        ]

    def __call__(self, varden: dict):
        args = []
        for attname, anropa, standard in self.falt:
            if attname in varden:
                args.append(varden[attname])
            else:
                args.append(anropa() if anropa else standard)
        return self.modell(*args)


# The columns of the timeline entries an import writes (no user, no previous status).
TIDSLINJEFALT = [
    "content_type_id",
    "object_id",
    "typ",
    "text",
    "fran_status",
    "till_status",
    "skapad",
]


# --- Case sections ------------------------------------------------------------------------


@dataclass
class Post:
    """One validated record: model field values (a reference field holds the unit code
    or normalised name until the import is written) and many-to-many names."""

    extern_id: str
    falt: dict[str, Any]
    m2m: dict[str, list]
    obj: Any  # the validated instance, without its references; inserted if new


class ArendeSektion(Sektion):
    """The importer of a case type: records keyed by `extern_id`.

    A subclass sets `modell` and gives `schema()` and `bygg()`; the model's
    `DATUMFALT` (reported/received) gives the case's number year, its `skapad` and its
    first timeline entry, and its `frist_fran` the deadline. In `__init__` it may add
    name registers to `referenser` (foreign keys) and `m2m_referenser` (many-to-many
    fields)."""

    modell: ClassVar[type[models.Model]]

    @property
    def datumfalt(self) -> str:
        return self.modell.DATUMFALT

    def __init__(self, ctx):
        super().__init__(ctx)
        self.poster: list[Post] = []
        self.referenser: dict[str, Any] = {"enhet": ctx.enheter}
        self.m2m_referenser: dict[str, Namnregister] = {}

    def schema(self) -> dict[str, Falt]:
        """Keys of a record and how each is read."""
        raise NotImplementedError

    def bygg(self, varden: dict, felaktiga: set, path: str, ctx: Kontext):
        """Model field values and many-to-many names from the read values; reports the
        cross-field rules. Keys in `felaktiga` could not be read (skip rules using them).
        Returns (falt, m2m, validerade), `validerade` being the fields for full_clean."""
        raise NotImplementedError

    def frist(self, falt) -> date:
        """The deadline, as the model's save() sets it (`Arende.frist_fran`), with the
        importer's fast local day."""
        dagar = getattr(settings, self.modell.FRIST_DAGAR)
        return lokal_dag(falt[self.datumfalt]) + timedelta(days=dagar)

    # -- Validation --

    def validera(self, rader, ctx):
        schema = self.schema()
        ny = Instansfabrik(self.modell)
        forsta: dict[str, int] = {}
        for i, path, varden, felaktiga in las_poster(rader, schema, self.namn, ctx):
            extern_id = varden.get("extern_id")
            if "extern_id" not in felaktiga:
                if not extern_id:
                    ctx.fel_vid(f"{path}.extern_id", _("får inte vara tomt"))
                elif extern_id in forsta:
                    ctx.fel_vid(
                        f"{path}.extern_id",
                        _('"%(id)s" finns redan i %(sektion)s[%(i)s]; extern_id måste vara unikt')
                        % {"id": extern_id, "sektion": self.namn, "i": forsta[extern_id]},
                    )
                else:
                    forsta[extern_id] = i
            falt, m2m, validerade = self.bygg(varden, felaktiga, path, ctx)
            falt["extern_id"] = extern_id
            obj = ny(falt)
            if "extern_id" not in felaktiga:
                validerade = {*validerade, "extern_id"}
            modellfel(obj, path, ctx, falt=validerade)
            self.poster.append(Post(extern_id, falt, m2m, obj))

    # -- Writing --

    def skriv(self, ctx):
        res = Resultat()
        registren = [*self.referenser.values(), *self.m2m_referenser.values()]
        for register in dict.fromkeys(registren):
            if isinstance(register, Namnregister) and (rad := register.skapa_saknade(ctx)):
                res.anteckningar.append(rad)

        # The imported fields of the existing records, not whole instances: reading
        # 100 000 full rows costs more than the comparison. Only changed records are
        # loaded whole, for the update and its history row.
        attnames = [f"{n}_id" if n in self.referenser else n for n in self._faltnamn()]
        befintliga = {}
        for bit in bitar([p.extern_id for p in self.poster], UPPSLAG):
            for extern_id, pk, *gamla in (
                self.modell.objects.filter(extern_id__in=bit)
                .order_by()
                .values_list("extern_id", "pk", *attnames)
            ):
                befintliga[extern_id] = (pk, gamla)
        m2m_bef = self._hamta_m2m([pk for pk, _g in befintliga.values()])

        nya, andrade = [], []
        for post in self.poster:
            varden = {}
            for namn, v in post.falt.items():
                if namn in self.referenser:
                    varden[f"{namn}_id"] = None if v is None else self.referenser[namn].pk(v)
                else:
                    varden[namn] = v
            m2m = {
                namn: {self.m2m_referenser[namn].pk(n) for n in namnlista}
                for namn, namnlista in post.m2m.items()
            }
            if post.extern_id not in befintliga:
                for namn in self.referenser:
                    setattr(post.obj, f"{namn}_id", varden[f"{namn}_id"])
                nya.append((post.obj, m2m, post))
                continue
            pk, gamla = befintliga[post.extern_id]
            diff = [a for a, gammal in zip(attnames, gamla, strict=True) if gammal != varden[a]]
            m2m_diff = [n for n, s in m2m.items() if m2m_bef[n].get(pk, set()) != s]
            if not diff and not m2m_diff:
                res.oforandrade += 1
                continue
            andrade.append((pk, varden, diff, m2m, m2m_diff, post))

        objekt = {}
        for bit in bitar([t[0] for t in andrade], UPPSLAG):
            objekt.update(self.modell.objects.in_bulk(bit))
        for i, (pk, varden, diff, m2m, m2m_diff, post) in enumerate(andrade):
            obj = objekt[pk]
            for a in diff:
                setattr(obj, a, varden[a])
            andrade[i] = (obj, diff, m2m, m2m_diff, post)

        self._skapa(nya, ctx)
        self._uppdatera(andrade, ctx)
        res.nya, res.andrade = len(nya), len(andrade)
        return res

    def forbered_nya(self, objs, ctx) -> None:
        """Hook: set values a new record needs before it is inserted."""

    def _faltnamn(self) -> list[str]:
        """The model fields an import sets (every record sets the same ones)."""
        return [n for n in self.poster[0].falt if n != "extern_id"] if self.poster else []

    def _through(self, namn):
        falt = self.modell._meta.get_field(namn)
        return falt.remote_field.through, falt.m2m_field_name(), falt.m2m_reverse_field_name()

    def _hamta_m2m(self, pks):
        ut = {}
        for namn in self.m2m_referenser:
            through, kalla, mal = self._through(namn)
            rader = defaultdict(set)
            for bit in bitar(pks, UPPSLAG):
                for a, b in through.objects.filter(**{f"{kalla}_id__in": bit}).values_list(
                    f"{kalla}_id", f"{mal}_id"
                ):
                    rader[a].add(b)
            ut[namn] = rader
        return ut

    def _skriv_m2m(self, par, ctx):
        """Insert many-to-many rows: `par` is [(obj, {field: {pk}})]."""
        for namn in self.m2m_referenser:
            through, kalla, mal = self._through(namn)
            infoga_rader(
                through,
                [f"{kalla}_id", f"{mal}_id"],
                [(obj.pk, pk) for obj, m2m in par for pk in sorted(m2m.get(namn, ()))],
            )

    def _skapa(self, nya, ctx):
        if not nya:
            return
        # Numbers in the order the cases were reported/received within each year.
        nya.sort(key=lambda t: (getattr(t[0], self.datumfalt), t[2].extern_id))
        per_ar = defaultdict(list)
        for obj, _m2m, _post in nya:
            per_ar[lokal_dag(getattr(obj, self.datumfalt)).year].append(obj)
        for ar, objs in sorted(per_ar.items()):
            for obj, nummer in zip(
                objs,
                CaseNumberSeries.reservera(self.modell.NUMMER_PREFIX, ar, len(objs)),
                strict=True,
            ):
                obj.nummer = nummer
        objs = [obj for obj, _m2m, _post in nya]
        self.forbered_nya(objs, ctx)
        for obj in objs:
            obj.uppdaterad = ctx.nu
        objs = infoga_med_historik(self.modell, objs, orsak=ctx.orsak_skapad, datum=ctx.nu)
        ct = ContentType.objects.get_for_model(self.modell).pk
        text = _("Importerad från %(fil)s (extern_id %(id)s)")
        infoga_rader(
            TimelineEntry,
            TIDSLINJEFALT,
            [
                (
                    ct,
                    obj.pk,
                    TimelineEntry.Typ.SKAPAT.value,
                    text % {"fil": ctx.filnamn, "id": obj.extern_id},
                    "",
                    obj.status,
                    getattr(obj, self.datumfalt),
                )
                for obj in objs
            ],
        )
        self._skriv_m2m([(obj, m2m) for obj, m2m, _post in nya], ctx)

    def _uppdatera(self, andrade, ctx):
        if not andrade:
            return
        faltnamn = {"uppdaterad"}
        for obj, diff, _m2m, _m2m_diff, _post in andrade:
            obj.uppdaterad = ctx.nu  # bulk_update does not apply auto_now
            faltnamn.update(self.modell._meta.get_field(a).name for a in diff)
        uppdatera_med_historik(
            self.modell,
            [t[0] for t in andrade],
            sorted(faltnamn),
            orsak=ctx.orsak_andrad,
            datum=ctx.nu,
        )
        ct = ContentType.objects.get_for_model(self.modell).pk
        infoga_rader(
            TimelineEntry,
            TIDSLINJEFALT,
            [
                (
                    ct,
                    obj.pk,
                    TimelineEntry.Typ.ANDRING.value,
                    self._andringstext(diff, m2m_diff, ctx),
                    "",
                    "",
                    ctx.nu,
                )
                for obj, diff, _m2m, m2m_diff, _post in andrade
            ],
        )
        bytta = [(obj, m2m) for obj, _d, m2m, m2m_diff, _p in andrade if m2m_diff]
        for namn in self.m2m_referenser:
            through, kalla, _mal = self._through(namn)
            for bit in bitar([obj.pk for obj, _m in bytta], UPPSLAG):
                through.objects.filter(**{f"{kalla}_id__in": bit}).delete()
        self._skriv_m2m(bytta, ctx)

    # Model fields set from other keys (not named in the timeline's list of changes).
    harledda: ClassVar[frozenset] = frozenset({"skapad", "tidsfrist"})

    def _andringstext(self, diff, m2m_diff, ctx) -> str:
        """The timeline text of an update: the keys of the file whose values changed
        (none when only a derived field did, e.g. a deadline after a changed setting)."""
        namn = {self.modell._meta.get_field(a).name for a in diff} | set(m2m_diff)
        nycklar = ", ".join(sorted(namn - self.harledda))
        if not nycklar:
            return _("Ändrad vid import från %(fil)s") % {"fil": ctx.filnamn}
        return _("Ändrad vid import från %(fil)s: %(falt)s") % {
            "fil": ctx.filnamn,
            "falt": nycklar,
        }


# --- The organisation section ---------------------------------------------------------------


class OrganisationImport(Sektion):
    """`organisation`: units keyed by `kod`; `overordnad` is the code of a unit in the
    file or in the database. Written parents first, whatever the order in the file;
    a unit moved to another parent takes its subtree along (`Enhet.save`).
    `verksamhetsomrade` names an område of the list; absent or null leaves an existing
    unit's område as it is (a new unit gets none: it has the nearest unit above's).

    The organisation holds tens of units, so they are saved one by one: the
    materialised path is built from each unit's primary key in `Enhet.save()`."""

    namn = "organisation"
    ordning = 10

    def __init__(self, ctx):
        super().__init__(ctx)
        self.poster: list[tuple[int, str, dict]] = []  # (index, code, values)

    def validera(self, rader, ctx):
        schema = {
            "kod": Text(obligatorisk=True),
            "namn": Text(obligatorisk=True),
            "typ": Kod(Enhetstyp, obligatorisk=True),
            "overordnad": Text(),
            "verksamhetsomrade": OmradeFalt(),
        }
        forsta: dict[str, int] = {}
        lasta = []
        # First every unit of the file, so that a parent may come after its children.
        for i, path, varden, felaktiga in las_poster(rader, schema, self.namn, ctx):
            modellfel(
                Enhet(kod=varden.get("kod"), namn=varden.get("namn"), typ=varden.get("typ")),
                path,
                ctx,
                falt={"kod", "namn", "typ"} - felaktiga,
            )
            kod = varden.get("kod")
            if "kod" in felaktiga or not kod:
                continue
            nyckel = kod.casefold()
            if nyckel in forsta:
                ctx.fel_vid(
                    f"{path}.kod",
                    _('koden "%(kod)s" finns redan i organisation[%(i)s]')
                    % {"kod": kod, "i": forsta[nyckel]},
                )
                continue
            forsta[nyckel] = i
            enhet = ctx.enheter.lagg_till(kod, varden.get("namn") or kod)
            lasta.append((i, path, enhet, varden, felaktiga))

        for i, path, enhet, varden, felaktiga in lasta:
            overordnad = varden.get("overordnad")
            if "overordnad" in felaktiga or not overordnad:
                enhet.overordnad = None
            elif (foralder := ctx.enheter.get(overordnad)) is None:
                ctx.fel_vid(f"{path}.overordnad", _('okänd enhet "%s"') % overordnad)
                enhet.overordnad = None
            else:
                enhet.overordnad = foralder.kod
            self.poster.append((i, enhet.kod, varden))

        # A cycle can only pass through units of the file (the database's tree has none).
        rapporterade = set()
        for i, kod, _v in self.poster:
            sedda, nod = [], ctx.enheter.get(kod)
            while nod is not None and nod.kod not in sedda:
                sedda.append(nod.kod)
                nod = ctx.enheter.get(nod.overordnad) if nod.overordnad else None
            if nod is not None:
                cirkel = sedda[sedda.index(nod.kod) :]
                if kod in cirkel and frozenset(cirkel) not in rapporterade:
                    rapporterade.add(frozenset(cirkel))
                    ctx.fel_vid(
                        f"{self.namn}[{i}].overordnad",
                        _("enheterna ligger under varandra i en cirkel: %s")
                        % " → ".join([*cirkel, cirkel[0]]),
                    )

    def skriv(self, ctx):
        res = Resultat()
        objekt = {e.kod.casefold(): e for e in Enhet.objects.all()}

        def djup(kod):
            n, nod = 0, ctx.enheter.get(kod)
            while nod.overordnad:
                n, nod = n + 1, ctx.enheter.get(nod.overordnad)
            return n

        for _i, kod, varden in sorted(self.poster, key=lambda p: (djup(p[1]), p[0])):
            info = ctx.enheter.get(kod)
            foralder = objekt[info.overordnad.casefold()] if info.overordnad else None
            obj = objekt.get(kod.casefold())
            omrade = varden.get("verksamhetsomrade")
            if obj is None:
                obj = Enhet(kod=kod, namn=varden["namn"], typ=varden["typ"], overordnad=foralder)
                obj.verksamhetsomrade_id = omrade
                obj.save()
                objekt[kod.casefold()] = obj
                info.pk = obj.pk
                res.nya += 1
            elif (obj.namn, obj.typ, obj.overordnad_id, obj.verksamhetsomrade_id) == (
                varden["namn"],
                varden["typ"],
                foralder.pk if foralder else None,
                omrade or obj.verksamhetsomrade_id,
            ):
                res.oforandrade += 1
            else:
                flyttad = obj.overordnad_id != (foralder.pk if foralder else None)
                obj.namn, obj.typ, obj.overordnad = varden["namn"], varden["typ"], foralder
                if omrade:
                    obj.verksamhetsomrade_id = omrade
                obj.save()
                res.andrade += 1
                if flyttad:
                    # The move rewrote the paths of the subtree in the database; units
                    # saved after it must build their paths on the new ones.
                    objekt = {e.kod.casefold(): e for e in Enhet.objects.all()}
        return res


# --- The whole import ---------------------------------------------------------------------


def validera(data, ctx: Kontext) -> list[Sektion]:
    """Check the top level and validate every section; the sections to write."""
    if not isinstance(data, dict):
        ctx.fel_vid(ctx.filnamn, _("ska vara ett JSON-objekt, inte %s") % json_typ(data))
        return []
    if "format" not in data:
        ctx.fel_vid("format", _('saknas; ska vara "%s"') % FORMAT)
    elif data["format"] != FORMAT:
        ctx.fel_vid(
            "format",
            _('okänt format %(fick)s; ska vara "%(format)s"')
            % {"fick": json_typ(data["format"]), "format": FORMAT},
        )
    kanda = {k.namn for k in sektioner()}
    for nyckel in data:
        if nyckel == "format" or nyckel in kanda:
            continue
        if nyckel in EJ_TILLGANGLIGA:
            ctx.fel_vid(nyckel, str(EJ_TILLGANGLIGA[nyckel]))
        else:
            ctx.fel_vid(
                nyckel,
                _("okänd sektion (giltiga: %s)") % ", ".join(["format", *sorted(kanda)]),
            )
    aktuella = []
    for klass in sektioner():
        if klass.namn not in data:
            continue
        rader = data[klass.namn]
        if not isinstance(rader, list):
            ctx.fel_vid(klass.namn, _("ska vara en lista, inte %s") % json_typ(rader))
            continue
        s = klass(ctx)
        s.validera(rader, ctx)
        aktuella.append(s)
    return aktuella


@contextlib.contextmanager
def utan_cyklisk_gc():
    """A large import allocates several hundred thousand long-lived objects (the
    records, their model instances); the cyclic garbage collector would walk them
    again and again without finding garbage, a fifth of the run time at 100 000
    records. Reference counting still frees everything as usual."""
    pa = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if pa:
            gc.enable()


def importera(data, *, filnamn: str, skapa_kategorier=False, provkorning=False):
    """Validate the parsed file and, if it has no errors, write it in one transaction.

    Returns [(section name, Resultat)] in the order written. Raises `Importfel` with
    every error if there is any; nothing is written then. With `provkorning` the writes
    are made and rolled back, so the counts are exact and nothing is kept."""
    with utan_cyklisk_gc(), transaction.atomic():
        ctx = Kontext(filnamn=filnamn, skapa_kategorier=skapa_kategorier, provkorning=provkorning)
        aktuella = validera(data, ctx)
        if ctx.fel:
            raise Importfel(ctx.fel)
        resultat = [(s.namn, s.skriv(ctx)) for s in aktuella]
        if provkorning:
            transaction.set_rollback(True)
    return resultat
