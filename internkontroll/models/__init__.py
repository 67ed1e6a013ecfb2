"""Models of internkontroll (the plan, its controls and occasions, the redovisning) and
egenkontroll (self-monitoring with versioned checklists)."""

from .egenkontroll import *  # noqa: F403
from .plan import (
    Internkontrollplan,
    Internkontrollredovisning,
    Kontroll,
    Kontrolltillfalle,
    redovisas_senast,
)

__all__ = [
    "Internkontrollplan",
    "Internkontrollredovisning",
    "Kontroll",
    "Kontrolltillfalle",
    "redovisas_senast",
]
