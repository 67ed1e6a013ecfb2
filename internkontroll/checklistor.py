"""Checklists for file reviews: the text form the checklist editor uses, and the
checklist the product ships – kollegial granskning of child-welfare files in the five
control areas of DOMAIN.md §4.5, with checkpoints in the spirit of IVO's checklists.

The text form: a line starting with "#" opens a control area; every other non-empty
line is a checkpoint, its code first ("2.3 Framgår barnets egen uppfattning?"). A
checkpoint keeps its code across versions, so rounds using different versions compare.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KOD = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,2})\s+(.+)$")
MAX_OMRADEN = 20
MAX_PUNKTER = 40
MAX_TEXT = 500
MAX_NAMN = 200


def tolka(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The areas and checkpoints of a checklist written in the text form:
    [(area name, [(kod, question)])]. Raises ValidationError listing every line that
    is wrong (with its line number)."""
    omraden: list[tuple[str, list[tuple[str, str]]]] = []
    fel = []
    koder = set()
    for nr, rad in enumerate((text or "").splitlines(), start=1):
        rad = rad.strip()
        if not rad:
            continue
        if rad.startswith("#"):
            namn = rad.lstrip("#").strip()
            if not namn:
                fel.append(_("Rad %(n)s: kontrollområdet saknar namn.") % {"n": nr})
            elif len(namn) > MAX_NAMN:
                fel.append(
                    _("Rad %(n)s: kontrollområdets namn får vara högst %(max)s tecken.")
                    % {"n": nr, "max": MAX_NAMN}
                )
            omraden.append((namn, []))
            continue
        traff = KOD.match(rad)
        if traff is None:
            fel.append(
                _(
                    "Rad %(n)s: en fråga börjar med sin kod, t.ex. ”2.3 Framgår barnets egen "
                    "uppfattning?”."
                )
                % {"n": nr}
            )
            continue
        if not omraden:
            fel.append(
                _("Rad %(n)s: frågan står före det första kontrollområdet (”# Namn”).") % {"n": nr}
            )
            continue
        kod, fraga = traff[1], traff[2].strip()
        if kod in koder:
            fel.append(_("Rad %(n)s: koden %(kod)s finns redan.") % {"n": nr, "kod": kod})
        if len(fraga) > MAX_TEXT:
            fel.append(
                _("Rad %(n)s: frågan får vara högst %(max)s tecken.") % {"n": nr, "max": MAX_TEXT}
            )
        koder.add(kod)
        omraden[-1][1].append((kod, fraga))
    if not omraden and not fel:
        fel.append(_("Skriv minst ett kontrollområde (”# Namn”) med minst en fråga."))
    for namn, punkter in omraden:
        if namn and not punkter:
            fel.append(_("Kontrollområdet ”%(namn)s” har inga frågor.") % {"namn": namn})
        if len(punkter) > MAX_PUNKTER:
            fel.append(
                _("Kontrollområdet ”%(namn)s” har fler än %(max)s frågor.")
                % {"namn": namn, "max": MAX_PUNKTER}
            )
    if len(omraden) > MAX_OMRADEN:
        fel.append(_("Högst %(max)s kontrollområden.") % {"max": MAX_OMRADEN})
    if fel:
        raise ValidationError(fel)
    return omraden


KOLLEGIAL_GRANSKNING_NAMN = "Kollegial granskning – barn och unga"
KOLLEGIAL_GRANSKNING_BESKRIVNING = (
    "Kollegial granskning av akter inom barn och unga, efter IVO:s checklista med egna "
    "kontrollpunkter. Varje akt granskas i ett av fem kontrollområden. Skriv aldrig "
    "personnummer, namn eller andra uppgifter som identifierar barnet eller familjen."
)

KOLLEGIAL_GRANSKNING = [
    (
        "Förhandsbedömning",
        [
            ("1.1", "Har förhandsbedömningen gjorts inom 14 dagar från att anmälan kom in?"),
            ("1.2", "Finns en bedömning av barnets omedelbara skyddsbehov dokumenterad samma dag?"),
            ("1.3", "Framgår barnets egen uppfattning, eller varför barnet inte har hörts?"),
            ("1.4", "Är vårdnadshavarnas inställning dokumenterad?"),
            ("1.5", "Har anmälaren fått bekräftelse på att anmälan tagits emot?"),
            ("1.6", "Finns beslut om att inleda eller inte inleda utredning dokumenterat?"),
            ("1.7", "Är skälen för beslutet tydligt beskrivna?"),
        ],
    ),
    (
        "Utredning",
        [
            ("2.1", "Finns beslut om att inleda utredning dokumenterat?"),
            (
                "2.2",
                "Har utredningen avslutats inom fyra månader eller finns beslut om förlängning?",
            ),
            ("2.3", "Framgår barnets egen uppfattning?"),
            ("2.4", "Har barnet fått information anpassad efter ålder och mognad?"),
            ("2.5", "Är vårdnadshavarnas inställning dokumenterad?"),
            ("2.6", "Finns en analys av barnets behov utifrån BBIC:s triangel?"),
            ("2.7", "Har vårdnadshavarna fått kommunicera utredningen före beslut?"),
            ("2.8", "Är beslutet och dess motivering dokumenterade?"),
        ],
    ),
    (
        "Utredning inför placering i familjehem",
        [
            ("3.1", "Finns en utredning av familjehemmet som är godkänd före placeringen?"),
            ("3.2", "Har utdrag ur belastnings- och misstankeregistret hämtats för familjehemmet?"),
            ("3.3", "Framgår barnets egen uppfattning om placeringen?"),
            ("3.4", "Har det prövats om barnet kan placeras hos en anhörig eller närstående?"),
            ("3.5", "Finns en vårdplan och genomförandeplan?"),
            ("3.6", "Har barnet fått information anpassad efter ålder och mognad?"),
            ("3.7", "Är barnets behov av kontakt med föräldrar och syskon bedömt?"),
        ],
    ),
    (
        "Omplacering",
        [
            ("4.1", "Framgår skälen till omplaceringen?"),
            ("4.2", "Framgår barnets egen uppfattning om omplaceringen?"),
            ("4.3", "Är vårdnadshavarnas inställning dokumenterad?"),
            ("4.4", "Har barnet fått information anpassad efter ålder och mognad?"),
            ("4.5", "Är vårdplanen och genomförandeplanen uppdaterade efter omplaceringen?"),
            ("4.6", "Är det nya placeringsbeslutet fattat av behörig enligt delegation?"),
        ],
    ),
    (
        "Umgängesbegränsningar",
        [
            ("5.1", "Finns ett beslut om umgängesbegränsning med motivering?"),
            ("5.2", "Har umgängesbegränsningen prövats minst var tredje månad?"),
            ("5.3", "Framgår barnets egen uppfattning om umgänget?"),
            ("5.4", "Har vårdnadshavarna informerats om rätten att överklaga beslutet?"),
            ("5.5", "Är beslutet fattat av nämnden eller enligt delegation?"),
        ],
    ),
]


def skapa_kollegial_granskning(apps=None):
    """Create the shipped checklist's first version (once: nothing if it exists).
    `apps` is a data migration's app registry, or None for the live models."""
    if apps is None:
        from django.apps import apps as live

        apps = live
    Checklista = apps.get_model("internkontroll", "Checklista")
    Checklisteversion = apps.get_model("internkontroll", "Checklisteversion")
    Kontrollomrade = apps.get_model("internkontroll", "Kontrollomrade")
    Kontrollpunkt = apps.get_model("internkontroll", "Kontrollpunkt")
    if Checklista.objects.filter(namn=KOLLEGIAL_GRANSKNING_NAMN).exists():
        return
    lista = Checklista.objects.create(
        namn=KOLLEGIAL_GRANSKNING_NAMN, beskrivning=KOLLEGIAL_GRANSKNING_BESKRIVNING
    )
    version = Checklisteversion.objects.create(
        checklista=lista, version=1, kommentar="Levereras med systemet."
    )
    for i, (namn, punkter) in enumerate(KOLLEGIAL_GRANSKNING, start=1):
        omrade = Kontrollomrade.objects.create(version=version, ordning=i, namn=namn)
        for j, (kod, text) in enumerate(punkter, start=1):
            Kontrollpunkt.objects.create(omrade=omrade, ordning=j, kod=kod, text=text)
