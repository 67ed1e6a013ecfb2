"""The case types, found from the models: every concrete subclass of `Arende` is one.

The shared pages (start page, menu, search by number, links between cases) reach every
case type through here, so the core imports no case app. What a case type is called,
where its pages are and which date it counts from all come from what its model declares
(docs/nytt-arendetyp.md).
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.urls import reverse
from django.utils.text import capfirst


@dataclass(frozen=True)
class Arendetyp:
    """How the shared pages reach one case type."""

    modell: type

    @property
    def namn(self) -> str:
        """Plural, for headings and the menu ("Avvikelser")."""
        return capfirst(self.modell._meta.verbose_name_plural)

    @property
    def namespace(self) -> str:
        """The app's URL namespace: its pages are `<namespace>:lista`, `:detalj` ..."""
        return self.modell._meta.app_label

    def i_menyn(self, user) -> bool:
        """Does the user's main menu list the type (`ROLLER_I_MENYN`)?"""
        from kvalitet import behorighet

        roller = self.modell.ROLLER_I_MENYN
        return roller is None or behorighet.har_roll(user, *roller)

    @property
    def namn_i_text(self) -> str:
        """Plural, as written inside a sentence ("avvikelser", "lex Sarah-ärenden"): the
        model's own spelling, proper nouns kept."""
        return str(self.modell._meta.verbose_name_plural)

    @property
    def egna_rubrik(self) -> str:
        """The start page's heading of the cases the user filed (`EGNA_RUBRIK`)."""
        return str(self.modell.EGNA_RUBRIK)

    @property
    def lista_url(self) -> str:
        return f"{self.namespace}:lista"

    @property
    def detalj_url(self) -> str:
        return f"{self.namespace}:detalj"

    @property
    def prefix(self) -> str:
        return self.modell.NUMMER_PREFIX

    @property
    def datumfalt(self) -> str:
        return self.modell.DATUMFALT

    @property
    def datumetikett(self) -> str:
        """What its date is called in lists ("Rapporterad", "Inkom")."""
        return self.modell.datumetikett()

    def url(self, nummer) -> str:
        return reverse(self.detalj_url, args=[nummer])


@cache
def _typer() -> tuple[Arendetyp, ...]:
    from kvalitet.models import Arende

    return tuple(Arendetyp(m) for m in apps.get_models() if issubclass(m, Arende))


@cache
def _poster() -> tuple[type, ...]:
    """Every numbered record type reached through the access door and linkable: the case
    types, and records that are not cases (a risk)."""
    from kvalitet.models import AccessMixin, LinksMixin, NumberedMixin

    return tuple(
        m
        for m in apps.get_models()
        if issubclass(m, NumberedMixin) and issubclass(m, LinksMixin) and issubclass(m, AccessMixin)
    )


def alla() -> list[Arendetyp]:
    """Every case type, in the order of INSTALLED_APPS."""
    return list(_typer())


def for_nummer(nummer: str) -> Arendetyp | None:
    """The case type a case number belongs to (by its prefix), or None."""
    prefix = nummer.split("-", 1)[0].upper()
    return next((t for t in _typer() if t.prefix == prefix), None)


def for_modell(modell) -> Arendetyp | None:
    return next((t for t in _typer() if t.modell is modell), None)


def hitta_arende(user, text):
    """The case a typed identifier names – its number, or another of its type's
    `SOKNYCKLAR` such as a synpunkt's reference number, or IVO's case number – if the
    user may see it, else None. A number's prefix names its type; other keys are looked
    for in the types that have them."""
    typ = for_nummer(text)
    typer = [typ] if typ is not None else [t for t in _typer() if t.modell.har_andra_nycklar()]
    for t in typer:
        arende = (
            t.modell.objects.for_user(user).filter(t.modell.sokvillkor(text, user=user)).first()
        )
        if arende is not None:
            return arende
    return None


def hitta_post(user, text):
    """Like `hitta_arende`, also among the numbered records that are not cases (a risk
    by its number RISK-2026-0003): the header's search and linking records."""
    arende = hitta_arende(user, text)
    if arende is not None:
        return arende
    prefix = text.split("-", 1)[0].upper()
    for modell in _poster():
        if prefix == modell.NUMMER_PREFIX and for_modell(modell) is None:
            return modell.objects.for_user(user).filter(modell.sokvillkor(text, user=user)).first()
    return None
