"""The risk scale (DOMAIN.md §4.4), read from the settings: the steps of sannolikhet
and konsekvens with their labels, and the levels of the risk value with their colours.
Every page, PDF and import reads the scale here, so changing the settings changes all."""

from dataclasses import dataclass

from django.conf import settings

# Colours by number of levels: the lowest is always green, the highest always red.
FARGER = {2: ("gron", "rod"), 3: ("gron", "gul", "rod"), 4: ("gron", "gul", "orange", "rod")}
FARGNAMN = {"gron": "grön", "gul": "gul", "orange": "orange", "rod": "röd"}


@dataclass(frozen=True)
class Niva:
    """A level of the risk value: its name ("Hög"), its highest value and its colour."""

    namn: str
    tak: int
    farg: str

    @property
    def fargnamn(self) -> str:
        return FARGNAMN[self.farg]


@dataclass(frozen=True)
class Skala:
    sannolikhet: tuple[str, ...]
    konsekvens: tuple[str, ...]
    nivaer: tuple[Niva, ...]
    namnd_fran: int

    @property
    def storsta(self) -> int:
        return len(self.sannolikhet) * len(self.konsekvens)

    def niva(self, varde) -> Niva | None:
        """The level of a risk value, or None for no value."""
        if not varde:
            return None
        return next((n for n in self.nivaer if varde <= n.tak), self.nivaer[-1])

    @staticmethod
    def steg(etiketter) -> list[tuple[int, str]]:
        """A side's steps as choices of a form or filter: (3, "3 Möjlig")."""
        return [(i, f"{i} {namn}") for i, namn in enumerate(etiketter, start=1)]

    def sannolikhet_text(self, steg) -> str:
        return f"{steg} {self.sannolikhet[steg - 1]}" if steg else ""

    def konsekvens_text(self, steg) -> str:
        return f"{steg} {self.konsekvens[steg - 1]}" if steg else ""

    def som_data(self) -> dict:
        """The scale as stored with a decided version, so its PDF keeps its labels."""
        return {
            "sannolikhet": list(self.sannolikhet),
            "konsekvens": list(self.konsekvens),
            "nivaer": [[n.tak, n.namn] for n in self.nivaer],
            "namnd_fran": self.namnd_fran,
        }

    @classmethod
    def fran_data(cls, data) -> "Skala":
        return cls._bygg(
            data["sannolikhet"], data["konsekvens"], data["nivaer"], data["namnd_fran"]
        )

    @classmethod
    def _bygg(cls, sannolikhet, konsekvens, nivaer, namnd_fran) -> "Skala":
        farger = FARGER[len(nivaer)]
        return cls(
            tuple(sannolikhet),
            tuple(konsekvens),
            tuple(Niva(namn, tak, f) for (tak, namn), f in zip(nivaer, farger, strict=True)),
            namnd_fran,
        )


def skala() -> Skala:
    """The scale in force (the settings)."""
    return Skala._bygg(
        settings.RISK_SANNOLIKHET,
        settings.RISK_KONSEKVENS,
        settings.RISK_NIVAER,
        settings.RISK_NAMND_FRAN,
    )
