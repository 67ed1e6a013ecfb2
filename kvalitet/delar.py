"""The parts of the ledningssystem and what each adds to the shared pages.

An app that is a part of the product gives its `AppConfig` the base class `Del` and
declares what it contributes: menu entries, buttons on the start page, import sections,
demo data. The core reads them here, so `kvalitet` imports no app: a new part is added
to INSTALLED_APPS and declares itself (docs/nytt-arendetyp.md). Case types appear in the
menu and on the start page by themselves (`kvalitet.arendetyper`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import AppConfig, apps
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


class Del(AppConfig):
    """Base of the AppConfig of every part of the product. An app's apps.py refers to it
    as `delar.Del` (not imported by name), so that Django still finds the app's own
    AppConfig as the only one defined there.

    - `meny`: entries of the main menu besides the case types (reports, plans ...);
    - `startknappar`: buttons at the top of "Mina ärenden" ("Rapportera avvikelse");
    - `importsektioner`: dotted paths of the `kvalitet.importering.Sektion` classes
      of the import format's sections it reads;
    - `demodata`: the dotted path of a function(demo) that `seed_demo` calls, in the
      order of `demoordning`, to add the part's demo records (`kvalitet.demo.Demo`).
    """

    meny: tuple[Lank, ...] = ()
    startknappar: tuple[Lank, ...] = ()
    importsektioner: tuple[str, ...] = ()
    demodata: str | None = None
    demoordning: int = 50

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
