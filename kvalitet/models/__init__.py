"""Models of the shared core."""

from .arende import (
    ATGARD_OPPNA,
    Arende,
    ArendeQuerySet,
    Atgard,
    Atgardsstatus,
    Atgardstyp,
    Attachment,
    CaseLink,
    CaseNumberSeries,
    Kodlista,
    TimelineEntry,
    TimelineMixin,
)
from .organisation import Enhet, Enhetstyp, Roll, Uppdrag, User
from .utskick import Forfragan, Paminnelse, Utskick

__all__ = [
    "ATGARD_OPPNA",
    "Arende",
    "ArendeQuerySet",
    "Atgard",
    "Atgardsstatus",
    "Atgardstyp",
    "Attachment",
    "CaseLink",
    "CaseNumberSeries",
    "Enhet",
    "Enhetstyp",
    "Forfragan",
    "Kodlista",
    "Paminnelse",
    "Roll",
    "TimelineEntry",
    "TimelineMixin",
    "Uppdrag",
    "User",
    "Utskick",
]
