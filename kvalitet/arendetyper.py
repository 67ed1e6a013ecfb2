"""Registry of case types, so the shared pages (start page, search by number) can list
cases of every type without the core importing any case app."""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse


@dataclass(frozen=True)
class Arendetyp:
    """How the shared pages reach one case type."""

    model: str  # "avvikelser.Avvikelse"
    namn: str  # plural, for headings
    lista_url: str  # URL name of the list
    detalj_url: str  # URL name of the detail page, taking the case number
    vantar_pa: Callable  # (user, queryset) -> the cases waiting for this user's action
    egna: Callable  # (user, queryset) -> the cases this user reported
    datumfalt: str = "skapad"  # the date a case counts from (reported/received); indexed

    @property
    def modell(self):
        return apps.get_model(self.model)

    @property
    def namespace(self):
        return self.lista_url.split(":", 1)[0]

    @property
    def prefix(self):
        return self.modell.NUMMER_PREFIX

    def url(self, nummer):
        return reverse(self.detalj_url, args=[nummer])


_typer: dict[str, Arendetyp] = {}


def registrera(typ: Arendetyp):
    _typer[typ.model] = typ


def alla() -> list[Arendetyp]:
    return list(_typer.values())


def for_nummer(nummer: str) -> Arendetyp | None:
    prefix = nummer.split("-", 1)[0].upper()
    return next((t for t in _typer.values() if t.prefix == prefix), None)
