"""The `processer` section of the import format (docs/import-format.md, docs/importera.md).

The process map with each process's key figures – their targets and results of earlier
years, which chapter 10 of the kvalitetsberättelse compares – and what was mapped,
revised and published. Processes are keyed by `extern_id` and numbered
PROC-<year established>-NNNN. A process is not a case (no deadline, no closing), so this
is a `Sektion` of its own, like the risk register's; a map holds tens of processes, so
they are written one by one with `save()` (change history, number), their key figures,
values and events in bulk.

What the format says and where it goes in the model:

- `processagare` → `handlaggare`, `processledare`: a user by user name, e-mail address
  or full name (case and surrounding spaces ignored; a name or address several users
  have is an error, give the user name). Both optional: the people may not have logged
  in yet when the map is brought over; absent, an existing process keeps the one it has
  (named in the browser since). An inactivated user is accepted (the map's history
  names people who have left) with a warning for a process still in use.
- `mal`: a list of goals or a text with one goal per line; stored one per line.
- `avvecklad` (a date, not before `inrattad`) with `avvecklad_skal` makes the process
  discontinued; without it the process is in use. The format has no `status` key.
- `nyckeltal[]` are keyed by name within the process (case ignored), their `varden[]`
  by year, `handelser[]` by date, kind and document (case ignored). What the file has is
  added or updated; what only the system has (a key figure, a year, an event recorded
  in the browser) is left as it is.

Importing the file again changes nothing; a changed value is updated, with its history.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from kvalitet.bulk import infoga_med_historik
from kvalitet.importering import (
    UPPSLAG,
    Datum,
    EnhetFalt,
    Falt,
    Heltal,
    Kod,
    Kontext,
    Ogiltigt,
    Resultat,
    Sanningsvarde,
    Sektion,
    Text,
    bitar,
    json_typ,
    las_post,
    las_poster,
    modellfel,
    normalisera,
)
from kvalitet.models import TimelineEntry

from .choices import Handelsetyp, Processtyp, Riktning, Status
from .models import Nyckeltal, Nyckeltalsvarde, Process, Processhandelse

# The process's fields the file sets (the key in the file when it is another).
FALT = (
    "namn",
    "typ",
    "syfte",
    "mal",
    "handlaggare_id",
    "processledare_id",
    "inrattad",
    "avvecklad",
    "avvecklad_skal",
    "status",
)
NYCKLAR = {"handlaggare_id": "processagare", "processledare_id": "processledare"}

NYCKELTALSFALT = ("namn", "definition", "matt", "riktning", "aktivt")
VARDEFALT = ("malvarde", "utfall", "kommentar")
HANDELSEFALT = ("dokument", "beskrivning")


# --- Reading values ---------------------------------------------------------------------


class Tal(Falt):
    """A JSON number (integer or decimal, not a boolean, not a text) as a Decimal."""

    def las(self, varde, path, ctx):
        if isinstance(varde, bool) or not isinstance(varde, int | float):
            raise Ogiltigt(_("ska vara ett tal, inte %s") % json_typ(varde))
        if isinstance(varde, float) and not math.isfinite(varde):
            raise Ogiltigt(_("ska vara ett ändligt tal"))
        return Decimal(str(varde))


class Sant(Sanningsvarde):
    """A JSON boolean that is true when absent."""

    tomt = True


class Mal(Falt):
    """The goals: a list of texts, or a text with one goal per line. The value is the
    text stored, one goal per line (surrounding spaces and empty lines dropped)."""

    tomt = ""

    def las(self, varde, path, ctx):
        if isinstance(varde, str):
            return "\n".join(r.strip() for r in varde.splitlines() if r.strip())
        if not isinstance(varde, list):
            raise Ogiltigt(_("ska vara en lista med mål eller en text, inte %s") % json_typ(varde))
        mal, fel = [], False
        for i, rad in enumerate(varde):
            if not isinstance(rad, str):
                ctx.fel_vid(f"{path}[{i}]", _("ska vara en text, inte %s") % json_typ(rad))
                fel = True
            elif len(rad.strip().splitlines()) > 1:
                ctx.fel_vid(f"{path}[{i}]", _("ett mål per rad i listan; målet har en radbrytning"))
                fel = True
            elif rad.strip():
                mal.append(rad.strip())
        if fel:
            raise Ogiltigt()
        return "\n".join(mal)


class Objektlista(Falt):
    """A JSON list of objects, each read against `schema` (`las_post`: unknown keys,
    missing required keys and unreadable values reported at `path[i].key`). The value is
    [(index, path, values by key, keys that could not be read)] of the objects."""

    tomt = ()

    def __init__(self, schema: dict[str, Falt], obligatorisk=False):
        super().__init__(obligatorisk)
        self.schema = schema

    def las(self, varde, path, ctx):
        if not isinstance(varde, list):
            raise Ogiltigt(_("ska vara en lista, inte %s") % json_typ(varde))
        ut = []
        for i, rad in enumerate(varde):
            plats = f"{path}[{i}]"
            last = las_post(rad, self.schema, plats, ctx)
            if last is not None:
                ut.append((i, plats, *last))
        return ut


class Anvandarregister:
    """The users an import can name: by user name, e-mail address or full name ("Anna
    Berg"), case and white space ignored; the first of these that names exactly one
    user. Inactivated users are found too (historic records name people who left)."""

    def __init__(self):
        self._anvandarnamn: dict[str, list[int]] = defaultdict(list)
        self._epost: dict[str, list[int]] = defaultdict(list)
        self._namn: dict[str, list[int]] = defaultdict(list)
        self._aktiv: dict[int, bool] = {}
        self._visas: dict[int, str] = {}
        for pk, anv, epost, fornamn, efternamn, aktiv in get_user_model().objects.values_list(
            "pk", "username", "email", "first_name", "last_name", "is_active"
        ):
            self._anvandarnamn[normalisera(anv)].append(pk)
            if epost.strip():
                self._epost[normalisera(epost)].append(pk)
            if namn := normalisera(f"{fornamn} {efternamn}"):
                self._namn[namn].append(pk)
            self._aktiv[pk] = aktiv
            self._visas[pk] = anv

    def hitta(self, varde: str) -> int:
        """The user's id, or `Ogiltigt`."""
        nyckel = normalisera(varde)
        if not nyckel:
            raise Ogiltigt(_("får inte vara tomt"))
        for index in (self._anvandarnamn, self._epost, self._namn):
            traffar = index.get(nyckel, [])
            if len(traffar) == 1:
                return traffar[0]
            if traffar:
                raise Ogiltigt(
                    _('flera användare heter "%(namn)s" (%(anvandare)s); ange användarnamnet')
                    % {
                        "namn": varde.strip(),
                        "anvandare": ", ".join(sorted(self._visas[pk] for pk in traffar)),
                    }
                )
        raise Ogiltigt(
            _('okänd användare "%s" (ange användarnamn, e-postadress eller för- och efternamn)')
            % varde.strip()
        )

    def aktiv(self, pk: int) -> bool:
        return self._aktiv[pk]


class AnvandarFalt(Falt):
    """A user (`Anvandarregister`); the value is the user's id."""

    def __init__(self, register: Anvandarregister, obligatorisk=False):
        super().__init__(obligatorisk)
        self.register = register

    def las(self, varde, path, ctx):
        if not isinstance(varde, str):
            raise Ogiltigt(
                _("ska vara ett användarnamn, en e-postadress eller ett namn, inte %s")
                % json_typ(varde)
            )
        return self.register.hitta(varde)


# --- Validated records --------------------------------------------------------------------


@dataclass
class Nyckeltalspost:
    falt: dict  # NYCKELTALSFALT → value
    varden: dict[int, dict]  # year → VARDEFALT → value


@dataclass
class Processpost:
    extern_id: str
    enhet: str  # the unit's code
    falt: dict  # FALT → value
    nyckeltal: dict[str, Nyckeltalspost] = field(default_factory=dict)  # by normalised name
    handelser: dict[tuple, dict] = field(default_factory=dict)  # by `_handelsenyckel`


def _handelsenyckel(datum: date, typ: str, dokument: str) -> tuple:
    """What identifies an event: the same day, kind and document (case ignored)."""
    return (datum, typ, normalisera(dokument))


def _med_nyckeltal(varde: Nyckeltalsvarde, nyckeltal: Nyckeltal) -> Nyckeltalsvarde:
    """A value for validation with its key figure of the file attached, saved or not
    (`Nyckeltalsvarde.clean` reads its unit: the percent rule)."""
    varde.nyckeltal = nyckeltal
    return varde


def _tid(dag: date, ctx: Kontext) -> datetime:
    """Midnight of a day in Swedish local time (the format's date without a time)."""
    return datetime.combine(dag, time(), tzinfo=ctx.tidszon)


# --- The section --------------------------------------------------------------------------


class ProcessImport(Sektion):
    """Processes keyed by `extern_id`, numbered PROC-<year established>-NNNN, with their
    key figures, the figures' values per year and the events. Written after the
    organisation (its units) and the risk register, before the internkontroll."""

    namn = "processer"
    ordning = 55

    def __init__(self, ctx):
        super().__init__(ctx)
        self.anvandare = Anvandarregister()
        self.poster: list[Processpost] = []
        self.varningar: list[str] = []

    def schema(self) -> dict[str, Falt]:
        varden = {
            "ar": Heltal(obligatorisk=True),
            "malvarde": Tal(obligatorisk=True),
            "utfall": Tal(),
            "kommentar": Text(),
        }
        nyckeltal = {
            "namn": Text(obligatorisk=True),
            "definition": Text(obligatorisk=True),
            "matt": Text(obligatorisk=True),
            "riktning": Kod(Riktning, obligatorisk=True),
            "aktivt": Sant(),
            "varden": Objektlista(varden),
        }
        handelser = {
            "datum": Datum(obligatorisk=True),
            "typ": Kod(Handelsetyp, obligatorisk=True),
            "dokument": Text(),
            "beskrivning": Text(),
        }
        return {
            "extern_id": Text(obligatorisk=True),
            "enhet": EnhetFalt(obligatorisk=True),
            "namn": Text(obligatorisk=True),
            "typ": Kod(Processtyp, obligatorisk=True),
            "syfte": Text(obligatorisk=True),
            "mal": Mal(),
            "processagare": AnvandarFalt(self.anvandare),
            "processledare": AnvandarFalt(self.anvandare),
            "inrattad": Datum(obligatorisk=True),
            "avvecklad": Datum(),
            "avvecklad_skal": Text(),
            "nyckeltal": Objektlista(nyckeltal),
            "handelser": Objektlista(handelser),
        }

    def varna(self, path, meddelande):
        self.varningar.append(_("varning %(path)s: %(text)s") % {"path": path, "text": meddelande})

    # -- Validation --

    def validera(self, rader, ctx: Kontext) -> None:
        forsta: dict[str, int] = {}
        for i, path, v, felaktiga in las_poster(rader, self.schema(), self.namn, ctx):
            extern_id = v.get("extern_id")
            if "extern_id" not in felaktiga:
                if not extern_id:
                    ctx.fel_vid(f"{path}.extern_id", _("får inte vara tomt"))
                    felaktiga.add("extern_id")
                elif extern_id in forsta:
                    ctx.fel_vid(
                        f"{path}.extern_id",
                        _('"%(id)s" finns redan i %(sektion)s[%(i)s]; extern_id måste vara unikt')
                        % {"id": extern_id, "sektion": self.namn, "i": forsta[extern_id]},
                    )
                    felaktiga.add("extern_id")
                else:
                    forsta[extern_id] = i
            self.regler(v, felaktiga, path, ctx)

            avvecklad = v.get("avvecklad")
            falt = {
                "namn": v.get("namn") or "",
                "typ": v.get("typ") or "",
                "syfte": v.get("syfte") or "",
                "mal": v.get("mal") or "",
                "handlaggare_id": v.get("processagare"),
                "processledare_id": v.get("processledare"),
                "inrattad": v.get("inrattad"),
                "avvecklad": avvecklad,
                "avvecklad_skal": v.get("avvecklad_skal") or "",
                "status": Status.AVVECKLAD if avvecklad else Status.AKTIV,
            }
            validerade = {"namn", "typ", "syfte", "mal", "inrattad", "avvecklad_skal", "extern_id"}
            modellfel(Process(**falt, extern_id=extern_id), path, ctx, falt=validerade - felaktiga)
            if falt["status"] == Status.AKTIV:
                for nyckel in ("processagare", "processledare"):
                    pk = v.get(nyckel)
                    if pk is not None and not self.anvandare.aktiv(pk):
                        self.varna(
                            f"{path}.{nyckel}",
                            _(
                                "användaren är inaktiverad; processen importeras med den, "
                                "byt i webbläsaren"
                            ),
                        )

            # Kept whatever was found: the section is written only if the file has no error.
            post = Processpost(extern_id, v.get("enhet"), falt)
            self.las_nyckeltal(v.get("nyckeltal") or (), post, path, ctx)
            self.las_handelser(v.get("handelser") or (), post, path, ctx)
            self.poster.append(post)

    def regler(self, v, felaktiga, path, ctx) -> None:
        """The rules across keys: a discontinued process and only one has the reason, and
        it was not discontinued before it was established."""
        avvecklad, skal = v.get("avvecklad"), v.get("avvecklad_skal")
        if avvecklad is not None and not skal and "avvecklad_skal" not in felaktiga:
            ctx.fel_vid(f"{path}.avvecklad_skal", _("saknas; ange varför processen avvecklades"))
            felaktiga.add("avvecklad_skal")
        if skal and avvecklad is None and "avvecklad" not in felaktiga:
            ctx.fel_vid(
                f"{path}.avvecklad_skal",
                _('anges bara för en avvecklad process (med datumet "avvecklad")'),
            )
            felaktiga.add("avvecklad_skal")
        inrattad = v.get("inrattad")
        if avvecklad is not None and inrattad is not None and avvecklad < inrattad:
            ctx.fel_vid(
                f"{path}.avvecklad",
                _("Processen kan inte avvecklas innan den började gälla (%s).")
                % inrattad.isoformat(),
            )
            felaktiga.add("avvecklad")

    def las_nyckeltal(self, rader, post: Processpost, path, ctx) -> None:
        """The key figures of a process: unique names, each with its values by year,
        through the models' validation."""
        forsta: dict[str, int] = {}
        for j, plats, n, felaktiga in rader:
            falt = {namn: n.get(namn) for namn in NYCKELTALSFALT}
            for namn in ("namn", "definition", "matt", "riktning"):
                falt[namn] = falt[namn] or ""
            nyckeltal = Nyckeltal(**falt)
            modellfel(nyckeltal, plats, ctx, falt=set(NYCKELTALSFALT) - felaktiga)
            nyckel = normalisera(falt["namn"])
            if "namn" not in felaktiga and nyckel:
                if nyckel in forsta:
                    ctx.fel_vid(
                        f"{plats}.namn",
                        _('nyckeltalet "%(namn)s" finns redan i %(path)s.nyckeltal[%(j)s]')
                        % {"namn": falt["namn"], "path": path, "j": forsta[nyckel]},
                    )
                    continue
                forsta[nyckel] = j
            varden: dict[int, dict] = {}
            forsta_ar: dict[int, int] = {}
            for k, vplats, w, vfel in n.get("varden") or ():
                ar = w.get("ar")
                varde = {namn: w.get(namn) for namn in VARDEFALT}
                varde["kommentar"] = varde["kommentar"] or ""
                modellfel(
                    _med_nyckeltal(Nyckeltalsvarde(ar=ar, **varde), nyckeltal),
                    vplats,
                    ctx,
                    falt={"ar", *VARDEFALT} - vfel,
                )
                if ar is None:
                    continue
                if ar in forsta_ar:
                    ctx.fel_vid(
                        f"{vplats}.ar",
                        _("året %(ar)s finns redan i %(path)s.varden[%(k)s]")
                        % {"ar": ar, "path": plats, "k": forsta_ar[ar]},
                    )
                    continue
                forsta_ar[ar] = k
                varden[ar] = varde
            if nyckel:
                post.nyckeltal[nyckel] = Nyckeltalspost(falt, varden)

    def las_handelser(self, rader, post: Processpost, path, ctx) -> None:
        """The events of a process: one per day, kind and document."""
        forsta: dict[tuple, int] = {}
        for j, plats, h, felaktiga in rader:
            falt = {
                "datum": h.get("datum"),
                "typ": h.get("typ") or "",
                "dokument": h.get("dokument") or "",
                "beskrivning": h.get("beskrivning") or "",
            }
            modellfel(Processhandelse(**falt), plats, ctx, falt=set(falt) - felaktiga)
            if felaktiga & {"datum", "typ", "dokument"}:
                continue
            nyckel = _handelsenyckel(falt["datum"], falt["typ"], falt["dokument"])
            if nyckel in forsta:
                ctx.fel_vid(
                    plats,
                    _("samma händelse (datum, typ och dokument) finns redan i %(path)s[%(j)s]")
                    % {"path": f"{path}.handelser", "j": forsta[nyckel]},
                )
                continue
            forsta[nyckel] = j
            post.handelser[nyckel] = falt

    # -- Writing --

    def skriv(self, ctx: Kontext) -> Resultat:
        res = Resultat(anteckningar=list(self.varningar))
        befintliga: dict[str, Process] = {}
        for bit in bitar([p.extern_id for p in self.poster], UPPSLAG):
            for process in Process.objects.filter(extern_id__in=bit):
                befintliga[process.extern_id] = process
        sparade = self._sparade([p.pk for p in befintliga.values()])

        # Numbers in the order the processes were established within each year.
        nya = sorted(
            (p for p in self.poster if p.extern_id not in befintliga),
            key=lambda p: (p.falt["inrattad"], p.extern_id),
        )
        skapas = _Skapas()
        for post in nya:
            process = self._skapa(post, ctx)
            self._nastlade(process, post, _Sparat(), skapas, ctx)
        res.nya = len(nya)
        for post in self.poster:
            process = befintliga.get(post.extern_id)
            if process is None:
                continue
            if self._uppdatera(process, post, sparade[process.pk], skapas, ctx):
                res.andrade += 1
            else:
                res.oforandrade += 1
        skapas.skriv(ctx)
        return res

    def _sparade(self, pks) -> dict[int, _Sparat]:
        """The key figures, values and events of the existing processes."""
        ut: dict[int, _Sparat] = defaultdict(_Sparat)
        nyckeltal_for: dict[int, tuple[int, str]] = {}
        for bit in bitar(pks, UPPSLAG):
            for n in Nyckeltal.objects.filter(process_id__in=bit).order_by("pk"):
                nyckel = normalisera(n.namn)
                ut[n.process_id].nyckeltal.setdefault(nyckel, n)
                nyckeltal_for[n.pk] = (n.process_id, nyckel)
            for h in Processhandelse.objects.filter(process_id__in=bit).order_by("pk"):
                ut[h.process_id].handelser.setdefault(
                    _handelsenyckel(h.datum, h.typ, h.dokument), h
                )
        for bit in bitar(list(nyckeltal_for), UPPSLAG):
            for v in Nyckeltalsvarde.objects.filter(nyckeltal_id__in=bit):
                process_id, nyckel = nyckeltal_for[v.nyckeltal_id]
                ut[process_id].varden[(nyckel, v.ar)] = v
        return ut

    def _skapa(self, post: Processpost, ctx: Kontext) -> Process:
        process = Process(
            **post.falt,
            extern_id=post.extern_id,
            enhet_id=ctx.enheter.pk(post.enhet),
            skapad=_tid(post.falt["inrattad"], ctx),
        )
        process._change_reason = ctx.orsak_skapad
        process.save()
        process.log(
            TimelineEntry.Typ.SKAPAT,
            text=_("Importerad från %(fil)s (extern_id %(id)s)")
            % {"fil": ctx.filnamn, "id": post.extern_id},
            till_status=Status.AKTIV,
            tid=process.skapad,
        )
        if process.status == Status.AVVECKLAD:
            self._logga_avveckling(process, ctx)
        return process

    def _logga_avveckling(self, process: Process, ctx: Kontext) -> None:
        process.log(
            TimelineEntry.Typ.STATUS,
            text=_("Avvecklad: %s") % process.avvecklad_skal,
            fran_status=Status.AKTIV,
            till_status=Status.AVVECKLAD,
            tid=_tid(process.avvecklad, ctx),
        )

    def _uppdatera(self, process: Process, post: Processpost, sparat, skapas, ctx) -> bool:
        """Update a process already imported: the file's keys, and its key figures, values
        and events. Whether anything changed."""
        varden = {**post.falt, "enhet_id": ctx.enheter.pk(post.enhet)}
        for namn in NYCKLAR:
            # Absent: kept (named in the browser after an import without the person).
            if varden[namn] is None:
                varden[namn] = getattr(process, namn)
        andrade = [n for n, v in varden.items() if getattr(process, n) != v]
        nastlade = self._nastlade(process, post, sparat, skapas, ctx)
        if not andrade and not nastlade:
            return False
        fran_status = process.status
        for namn in andrade:
            setattr(process, namn, varden[namn])
        process._change_reason = ctx.orsak_andrad
        process.save()
        nycklar = {NYCKLAR.get(n, n.removesuffix("_id")) for n in andrade} - {"status"}
        process.log(
            TimelineEntry.Typ.ANDRING,
            text=_("Ändrad vid import från %(fil)s: %(falt)s")
            % {"fil": ctx.filnamn, "falt": ", ".join(sorted(nycklar | nastlade))},
            tid=ctx.nu,
        )
        if process.status != fran_status:
            if process.status == Status.AVVECKLAD:
                self._logga_avveckling(process, ctx)
            else:
                process.log(
                    TimelineEntry.Typ.STATUS,
                    text=_("I bruk igen (ändrad vid import från %s)") % ctx.filnamn,
                    fran_status=fran_status,
                    till_status=process.status,
                    tid=ctx.nu,
                )
        return True

    def _nastlade(self, process, post: Processpost, sparat: _Sparat, skapas, ctx) -> set[str]:
        """Add and update the key figures, values and events of the file; those of the
        file's keys ("nyckeltal", "handelser") under which something changed."""
        andrat: set[str] = set()
        for nyckel, n in post.nyckeltal.items():
            nyckeltal = sparat.nyckeltal.get(nyckel)
            if nyckeltal is None:
                nyckeltal = Nyckeltal(process=process, **n.falt)
                skapas.nyckeltal.append(nyckeltal)
                andrat.add("nyckeltal")
            elif _satt(nyckeltal, n.falt, ctx):
                andrat.add("nyckeltal")
            for ar, falt in n.varden.items():
                varde = sparat.varden.get((nyckel, ar))
                if varde is None:
                    skapas.varden.append(Nyckeltalsvarde(nyckeltal=nyckeltal, ar=ar, **falt))
                    andrat.add("nyckeltal")
                elif _satt(varde, falt, ctx):
                    andrat.add("nyckeltal")
        for nyckel, falt in post.handelser.items():
            handelse = sparat.handelser.get(nyckel)
            if handelse is None:
                skapas.handelser.append(Processhandelse(process=process, **falt))
                andrat.add("handelser")
            elif _satt(handelse, {n: falt[n] for n in HANDELSEFALT}, ctx):
                andrat.add("handelser")
        return andrat


@dataclass
class _Sparat:
    """What an existing process has: key figures by normalised name, values by (that
    name, year), events by `_handelsenyckel`."""

    nyckeltal: dict[str, Nyckeltal] = field(default_factory=dict)
    varden: dict[tuple[str, int], Nyckeltalsvarde] = field(default_factory=dict)
    handelser: dict[tuple, Processhandelse] = field(default_factory=dict)


@dataclass
class _Skapas:
    """The new key figures, values and events of the import, written in bulk with their
    change history once the processes are saved."""

    nyckeltal: list[Nyckeltal] = field(default_factory=list)
    varden: list[Nyckeltalsvarde] = field(default_factory=list)
    handelser: list[Processhandelse] = field(default_factory=list)

    def skriv(self, ctx: Kontext) -> None:
        for modell, objs in (
            (Nyckeltal, self.nyckeltal),
            (Processhandelse, self.handelser),
        ):
            for obj in objs:
                obj.process_id = obj.process.pk
            infoga_med_historik(modell, objs, orsak=ctx.orsak_skapad, datum=ctx.nu)
        for v in self.varden:
            v.nyckeltal_id = v.nyckeltal.pk  # a key figure of this import has its id now
        infoga_med_historik(Nyckeltalsvarde, self.varden, orsak=ctx.orsak_skapad, datum=ctx.nu)


def _satt(obj, falt: dict, ctx: Kontext) -> bool:
    """Set the fields of `falt` that differ on a saved key figure, value or event and save
    it with its history; whether any did."""
    andrade = [n for n, v in falt.items() if getattr(obj, n) != v]
    if not andrade:
        return False
    for namn in andrade:
        setattr(obj, namn, falt[namn])
    obj._change_reason = ctx.orsak_andrad
    obj.save()
    return True
