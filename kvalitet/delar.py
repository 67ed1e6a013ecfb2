"""The parts of the ledningssystem and what each adds to the shared pages.

An app that is a part of the product gives its `AppConfig` the base class `Del` and
declares what it contributes: menu entries, buttons on the start page, import sections,
demo data. The core reads them here, so `kvalitet` imports no app: a new part is added
to INSTALLED_APPS and declares itself (docs/nytt-arendetyp.md). Case types appear in the
menu and on the start page by themselves (`kvalitet.arendetyper`).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from django.apps import AppConfig, apps
from django.utils.functional import Promise
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Lank:
    """A menu entry or a start-page button: a label, a URL name, who sees it."""

    namn: str
    url: str
    synlig: Callable  # (user) -> bool
    ordning: int = 50

    @property
    def namespace(self) -> str:
        return self.url.split(":", 1)[0] if ":" in self.url else ""


@dataclass(frozen=True)
class Startfigur:
    """A panel of figures on the start page: a heading, a chart (safe SVG from
    `kvalitet.lib.diagram`, with its own text alternative), and the numbers behind it a
    click away: the table (`kolumner`, `rader` of {"namn", "varden", "url"}) and a link
    to the filtered list where one exists."""

    rubrik: str
    diagram: str
    kolumner: tuple[str, ...]
    rader: tuple[dict, ...]
    text: str = ""
    lank: str = ""
    lanktext: str = ""
    ordning: int = 50

    @property
    def tabellrader(self) -> list[dict]:
        """The rows with each value beside its column's heading (for narrow screens)."""
        return [
            {**r, "celler": list(zip(self.kolumner[1:], r["varden"], strict=True))}
            for r in self.rader
        ]


@dataclass(frozen=True)
class Handling:
    """A way from another record's page into a part: a link (GET) or a button that posts
    (`post`), with a sentence saying why it is offered."""

    text: str
    url: str
    post: bool = False
    forklaring: str = ""
    # "warning" for what the law may require (a lex Sarah rapport); "" for an offer.
    stil: str = "warning"


@dataclass(frozen=True)
class Ivosektion:
    """One of the förvaltning's dealings with IVO on the IVO page (DOMAIN.md §4.7): a
    heading, a sentence, and a table (`kolumner`, `rader` of {"url", "celler"}) of the
    records the user may see."""

    rubrik: str
    text: str
    kolumner: tuple[str, ...]
    rader: tuple[dict, ...]
    ordning: int = 50
    # Further pages of the part: ((text, url), ...), e.g. its list and its form.
    lankar: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class VantandeRad:
    """One record waiting on the start page: its number (a link to `url`), what it is,
    its unit, what to do, and by when (`forsenad`: the date has passed, or – for what is
    stuck rather than due – it needs attention now)."""

    url: str
    nummer: str
    text: str
    att_gora: str
    datum: object  # a date or a moment
    enhet: str = ""
    forsenad: bool = False


@dataclass(frozen=True)
class Vantande:
    """Records of a part, not cases, that wait for the user on the start page (a control
    to carry out, a risk to review): a heading and rows (`VantandeRad`), the most urgent
    first."""

    rubrik: str
    rader: tuple[VantandeRad, ...]
    lank: str = ""
    lanktext: str = ""
    ordning: int = 50


class Del(AppConfig):
    """Base of the AppConfig of every part of the product. An app's apps.py refers to it
    as `delar.Del` (not imported by name), so that Django still finds the app's own
    AppConfig as the only one defined there.

    - `startfigurer(user)`: panels of figures on the start page (`Startfigur`);
    - `meny`: entries of the main menu besides the case types (reports, plans ...);
    - `startknappar`: buttons at the top of "Mina ärenden" ("Rapportera avvikelse");
    - `importsektioner`: dotted paths of the `kvalitet.importering.Sektion` classes
      of the import format's sections it reads;
    - `demodata`: the dotted path of a function(demo) that `seed_demo` calls, in the
      order of `demoordning`, to add the part's demo records (`kvalitet.demo.Demo`);
    - `handlingar_pa(user, arende)`: ways into the part from a case of another type
      (`Handling`), shown on that case's page ("Rapportera enligt lex Sarah");
    - `ivo(user)`: the part's dealings with IVO for the IVO page (`Ivosektion`);
    - `vantar_pa(user)`: its records, not cases, that wait for the user (`Vantande`).
    """

    meny: tuple[Lank, ...] = ()
    startknappar: tuple[Lank, ...] = ()
    importsektioner: tuple[str, ...] = ()
    demodata: str | None = None
    demoordning: int = 50

    def startfigurer(self, user) -> list["Startfigur"]:
        """The figures of the part that this user acts on, for their start page: computed
        over what the user may see (`for_user`), in a few queries whatever the data."""
        return []

    def handlingar_pa(self, user, arende) -> list["Handling"]:
        """What the user may start in this part from `arende` (a case of any type)."""
        return []

    def ivo(self, user) -> list["Ivosektion"]:
        """The part's records that concern IVO, as this user may see them."""
        return []

    def vantar_pa(self, user) -> list["Vantande"]:
        """The part's records, not cases, that wait for this user's action now (for the
        start page; case types' are the core's), in a few queries whatever the data."""
        return []

    def ready(self):
        from kvalitet import importering

        for sokvag in self.importsektioner:
            importering.registrera(import_string(sokvag))


def delar() -> list[Del]:
    """The installed parts, in the order of INSTALLED_APPS."""
    return [c for c in apps.get_app_configs() if isinstance(c, Del)]


def menyposter(user) -> list[Lank]:
    """The menu entries of the parts that this user may see, in order."""
    poster = [p for d in delar() for p in d.meny if p.synlig(user)]
    return sorted(poster, key=lambda p: p.ordning)


def startknappar(user) -> list[Lank]:
    knappar = [k for d in delar() for k in d.startknappar if k.synlig(user)]
    return sorted(knappar, key=lambda k: k.ordning)


def demosteg() -> list[Callable]:
    """The parts' demo-data functions, in the order they are to run."""
    med = sorted((d for d in delar() if d.demodata), key=lambda d: d.demoordning)
    return [import_string(d.demodata) for d in med]


def startfigurer(user) -> list[Startfigur]:
    """The start-page figures of every part for this user, in order.

    For someone who sees every case of every type (the kvalitetssamordnare, the
    förvaltningschef) the figures are counts over the whole förvaltning – seconds of
    counting at ten million cases – and the same for everyone with the same roles: they
    are kept `STARTFIGURER_SEKUNDER` (bench/RESULTS.md), keyed on the valid assignments,
    so a changed role counts anew at once. Everyone else's are counted on every visit
    (what they see also follows cases they handle)."""
    from django.conf import settings
    from django.core.cache import cache

    from kvalitet import arendetyper, behorighet

    def berakna():
        figurer = [f for d in delar() for f in d.startfigurer(user)]
        return sorted(figurer, key=lambda f: f.ordning)

    sekunder = settings.STARTFIGURER_SEKUNDER
    if not sekunder or not all(behorighet.ser_allt(user, t.modell) for t in arendetyper.alla()):
        return berakna()
    roller = ",".join(sorted({f"{u.roll}@{u.enhet_id}" for u in behorighet.uppdrag(user)}))
    nyckel = f"startfigurer:{user.pk}:{hashlib.sha256(roller.encode()).hexdigest()[:32]}"
    figurer = cache.get(nyckel)
    if figurer is None:
        figurer = [_utan_lata(f) for f in berakna()]
        cache.set(nyckel, figurer, sekunder)
    return figurer


def _utan_lata(varde):
    """A figure with its lazy translations made text, so that it can be cached."""
    if isinstance(varde, Promise):
        return str(varde)
    if isinstance(varde, Startfigur):
        return replace(varde, **{f.name: _utan_lata(getattr(varde, f.name)) for f in fields(varde)})
    if isinstance(varde, tuple | list):
        return type(varde)(_utan_lata(v) for v in varde)
    if isinstance(varde, dict):
        return {k: _utan_lata(v) for k, v in varde.items()}
    return varde


def handlingar_pa(user, arende) -> list[Handling]:
    """The ways from a case's page into the parts, for this user."""
    return [h for d in delar() for h in d.handlingar_pa(user, arende)]


def ivosektioner(user) -> list[Ivosektion]:
    """Every part's dealings with IVO for this user, in order."""
    return sorted((s for d in delar() for s in d.ivo(user)), key=lambda s: s.ordning)


def vantande(user) -> list[Vantande]:
    """What waits for the user in every part besides its cases, in order; empty
    sections left out."""
    return sorted(
        (v for d in delar() for v in d.vantar_pa(user) if v.rader), key=lambda v: v.ordning
    )
