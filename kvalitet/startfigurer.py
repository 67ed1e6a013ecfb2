"""The start page's figures (`kvalitet.delar.Startfigur`): shared building blocks for the
parts' own panels, and the core's panels over every case type (deadlines, improvement
actions). Every count is over what the user may see (`for_user`), in a fixed number of
queries whatever the amount of data; what leaves here are counts, never a case."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kvalitet import arendetyper, behorighet
from kvalitet.delar import Startfigur
from kvalitet.lib import diagram
from kvalitet.models import ATGARD_OPPNA, Atgard, Roll

CHEFER = (Roll.ENHETSCHEF, Roll.AVDELNINGSCHEF)
SNART_DAGAR = 7
# The start page's charts are narrower than the report's: legible when a phone shrinks them.
DIAGRAMBREDD = 460


def oppna_text(antal: int, forsenade: int) -> str:
    """The open cases in words: "4 öppna, varav 1 efter tidsfristen.", "1 öppen, ingen
    efter tidsfristen." (it said "1 öppna, varav 0 …")."""
    oppna = ngettext("%(antal)s öppen", "%(antal)s öppna", antal) % {"antal": antal}
    if not forsenade:
        return _("%(oppna)s, ingen efter tidsfristen.") % {"oppna": oppna}
    return _("%(oppna)s, varav %(forsenade)s efter tidsfristen.") % {
        "oppna": oppna,
        "forsenade": forsenade,
    }


def samma_dag_i_fjol(dag: date) -> date:
    """The same calendar day a year earlier (28 February for a 29 February)."""
    try:
        return dag.replace(year=dag.year - 1)
    except ValueError:
        return dag.replace(year=dag.year - 1, day=28)


def lista_url(url_namn: str, **filter) -> str:
    """The URL of a case list with its filters (the list's own query parameters)."""
    filter = {k: v for k, v in filter.items() if v not in (None, "")}
    return reverse(url_namn) + (f"?{urlencode(filter)}" if filter else "")


def rader(*rader) -> tuple[dict, ...]:
    """Table rows: (namn, [varden], url or "")."""
    return tuple({"namn": n, "varden": v, "url": u} for n, v, u in rader)


def stapeldiagram(rubrik: str, tabell) -> str:
    """The bars of a one-column table (each row's first value), its heading as text
    alternative; the numbers themselves are in the table under it."""
    return diagram.liggande(
        [{"namn": r["namn"], "antal": r["varden"][0]} for r in tabell],
        etikett=f"{rubrik}. " + _("Siffrorna finns i tabellen under diagrammet."),
        bredd=DIAGRAMBREDD,
    )


def i_ar_mot_i_fjol(rubrik: str, tabell, ar: int) -> str:
    """Paired bars of a two-column table: this year so far (first value) against the
    same period of last year (second value)."""
    return diagram.parvis(
        [
            {"namn": r["namn"], "antal": r["varden"][0], "jamforelse": r["varden"][1]}
            for r in tabell
        ],
        etikett=f"{rubrik}. " + _("Siffrorna finns i tabellen under diagrammet."),
        serier=(str(ar), _("%(ar)s, samma period") % {"ar": ar - 1}),
    )


def chefsenheter(user) -> list:
    """The units the user manages (enhetschef, avdelningschef)."""
    return [u.enhet for u in behorighet.uppdrag(user) if u.roll in CHEFER]


def fristlagen(qs, idag: date) -> dict:
    """Open cases of `qs` by deadline: overdue, due within SNART_DAGAR days, later, none.
    One query."""
    oppna = qs.filter(status__in=qs.model.STATUS_OPPNA)
    return oppna.aggregate(
        forsenade=Count("pk", filter=Q(tidsfrist__lt=idag)),
        snart=Count(
            "pk", filter=Q(tidsfrist__gte=idag, tidsfrist__lte=idag + timedelta(SNART_DAGAR))
        ),
        senare=Count("pk", filter=Q(tidsfrist__gt=idag + timedelta(SNART_DAGAR))),
        utan=Count("pk", filter=Q(tidsfrist__isnull=True)),
    )


def enhetens_frister(user) -> list[Startfigur]:
    """Enhetschef, avdelningschef: the open cases of the units they manage by deadline,
    one panel per case type."""
    enheter = chefsenheter(user)
    if not enheter:
        return []
    idag = timezone.localdate()
    villkor = Q()
    for enhet in enheter:
        villkor |= Q(enhet__sokvag__startswith=enhet.sokvag)
    figurer = []
    for typ in arendetyper.alla():
        qs = typ.modell.objects.for_user(user).filter(villkor)
        f = fristlagen(qs, idag)
        tabell = rader(
            (_("Tidsfristen har gått ut"), [f["forsenade"]], ""),
            (_("Inom %(dagar)s dagar") % {"dagar": SNART_DAGAR}, [f["snart"]], ""),
            (_("Senare"), [f["senare"]], ""),
            (_("Ingen tidsfrist"), [f["utan"]], ""),
        )
        rubrik = _("Öppna %(typ)s i dina enheter efter tidsfrist") % {"typ": typ.namn_i_text}
        figurer.append(
            Startfigur(
                rubrik=rubrik,
                diagram=stapeldiagram(rubrik, tabell)
                if any(f.values())
                else "",  # nothing open: the panel says so instead of empty bars
                kolumner=(_("Tidsfrist"), _("Antal")),
                rader=tabell,
                text=oppna_text(sum(f.values()), f["forsenade"]),
                lank=reverse(typ.lista_url),
                lanktext=_("Alla %(typ)s du har tillgång till") % {"typ": typ.namn_i_text},
                ordning=10,
            )
        )
    return figurer


def over_tidsfrist(user) -> list[Startfigur]:
    """Förvaltningschef: open cases past their deadline, per case type."""
    if not behorighet.har_roll(user, Roll.FORVALTNINGSCHEF):
        return []
    idag = timezone.localdate()
    tabell = rader(
        *(
            (
                typ.namn,
                [fristlagen(typ.modell.objects.for_user(user), idag)["forsenade"]],
                reverse(typ.lista_url),
            )
            for typ in arendetyper.alla()
        )
    )
    rubrik = _("Öppna ärenden efter tidsfristen")
    return [
        Startfigur(
            rubrik=rubrik,
            diagram=stapeldiagram(rubrik, tabell),
            kolumner=(_("Ärendetyp"), _("Efter tidsfristen")),
            rader=tabell,
            text=_("Öppna ärenden vars tidsfrist har gått ut: %(antal)s.")
            % {"antal": sum(r["varden"][0] for r in tabell)},
            ordning=20,
        )
    ]


def forsenade_atgarder(user) -> list[Startfigur]:
    """Kvalitetssamordnare: open improvement actions past due, per case type, of the cases
    the user may see. One query."""
    if not behorighet.har_roll(user, Roll.KVALITETSSAMORDNARE):
        return []
    typer = arendetyper.alla()
    typ_for = {ContentType.objects.get_for_model(t.modell).pk: t for t in typer}
    synliga = Q()
    for ct, typ in typ_for.items():
        synliga |= Q(
            content_type_id=ct, object_id__in=typ.modell.objects.for_user(user).values("pk")
        )
    antal = dict(
        Atgard.objects.filter(synliga, status__in=ATGARD_OPPNA)
        .filter(forfallodatum__lt=timezone.localdate())
        .values_list("content_type_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tabell = rader(*((typ.namn, [antal.get(ct, 0)], "") for ct, typ in typ_for.items()))
    totalt = sum(antal.values())
    rubrik = _("Förbättrande åtgärder som är försenade")
    return [
        Startfigur(
            rubrik=rubrik,
            diagram=stapeldiagram(rubrik, tabell),
            kolumner=(_("Ärendetyp"), _("Försenade åtgärder")),
            rader=tabell,
            text=_("Öppna åtgärder vars klart senast-datum har passerat: %(antal)s.")
            % {"antal": totalt},
            ordning=40,
        )
    ]
