"""Earlier events like a case, of any case type: what an investigator used to look for
by hand in five years of reports (DOMAIN.md §4.3 step 4).

A case is suggested when it lies in the same avdelning and was reported in the `AR` years
before the case (not after it), and shares the unit, a cause area or a telling word with
the case (a word as it starts, in any form: "skrivaren" finds "skriver"). The
suggestions are ranked by how much they share and shown with why. They are read across
the types through `kvalitet.arendetyper`, so the core imports no case app.

Who sees the suggestions is the investigating type's rule: the cases the user may open
(`for_user`), or for lex Sarah's investigators the whole avdelning's (docs/behorighet.md),
shown by number, date, unit and first line only; opening a case still follows `for_user`.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kvalitet import arendetyper, sok

AR = 5
KANDIDATER_PER_TYP = 200
# Words too common in these texts to tell events apart (only words of `ORDLANGD`
# letters or more are looked at).
VANLIGA_ORD = frozenset(
    {
        "skulle",
        "blivit",
        "enligt",
        "därför",
        "eftersom",
        "mellan",
        "klienten",
        "klient",
        "personal",
        "personalen",
        "enheten",
        "händelse",
        "händelsen",
        "ärendet",
        "avvikelse",
        "avvikelsen",
        "rapport",
        "rapporten",
        "missförhållande",
        "beslut",
        "beslutet",
    }
)
ORDLANGD = 6
ANTAL_ORD = 8
# A word is common also in another form ("beslutade" is "beslut").
VANLIGA_STAMMAR = frozenset(sok.svensk_stam(w) for w in VANLIGA_ORD)


@dataclass
class Forslag:
    """One suggested earlier case and why."""

    arende: object
    poang: int = 0
    skal: list[str] = field(default_factory=list)

    @property
    def nyckel(self) -> str:
        return self.arende.nummer


def nyckelord(*texter: str) -> list[str]:
    """The telling words of the texts: long, not common, the longest first."""
    ord_ = {
        w
        for t in texter
        for w in re.findall(r"[a-zåäöéü]+", (t or "").lower())
        if len(w) >= ORDLANGD and w not in VANLIGA_ORD and sok.svensk_stam(w) not in VANLIGA_STAMMAR
    }
    return sorted(ord_, key=lambda w: (-len(w), w))[:ANTAL_ORD]


def _till(arende):
    """The end of the period looked in: the case's own date (suggestions are earlier
    events), or now for a case not yet saved."""
    dag = getattr(arende, arende.DATUMFALT, None) if arende.pk else None
    if dag is None:
        return timezone.now()
    if not isinstance(dag, datetime):
        return timezone.make_aware(datetime.combine(dag, time.max))
    return dag


def hittat_ord(stam: str, text: str) -> str | None:
    """The word of `text` that starts with the stem (the words a suggestion shares are
    named as the other case writes them), or None."""
    traff = re.search(rf"\b{re.escape(stam)}\w*", text)
    return traff[0] if traff else None


def _omrade(enhet):
    """The avdelning a unit belongs to (or the unit, high in the tree)."""
    return enhet.avdelning or enhet


def forslag(arende, *, antal=10, user=None) -> list[Forslag]:
    """Earlier cases like `arende` (of every type; itself and the cases already linked
    to it excluded), best first; with `user`, only those the user may open."""
    omrade = _omrade(arende.enhet)
    ord_ = nyckelord(
        getattr(arende, arende.SAMMANFATTNING, ""),
        *(getattr(arende, f, "") for f in arende.FRITEXT),
    )
    egna_orsaker = (
        set(arende.orsaksomraden.values_list("pk", flat=True))
        if hasattr(arende, "orsaksomraden") and arende.pk
        else set()
    )
    stammar = [sok.svensk_stam(w) for w in ord_]
    till = _till(arende)
    fran = till - timedelta(days=365 * AR)
    redan = lankade(arende) if arende.pk else []
    resultat = []
    for typ in arendetyper.alla():
        modell = typ.modell
        if not modell.AR_HANDELSE:
            continue  # IVO's tillsyn: a supervision, no earlier event
        # Any of the words, through the list search's index (kvalitet.sok).
        ordvillkor = sok.ordvillkor(modell, ord_, alla=False)
        if ordvillkor is None:
            ordvillkor = Q()
            for w in ord_:
                ordvillkor |= Q(**{f"{modell.SAMMANFATTNING}__icontains": w})
        villkor = Q(enhet=arende.enhet) | ordvillkor
        har_orsaker = any(f.name == "orsaksomraden" for f in modell._meta.many_to_many)
        if har_orsaker and egna_orsaker:
            villkor |= Q(orsaksomraden__in=egna_orsaker)
        qs = (
            modell.objects.filter(
                villkor,
                enhet__sokvag__startswith=omrade.sokvag,
                **{f"{typ.datumfalt}__gte": fran, f"{typ.datumfalt}__lte": till},
            )
            .select_related("enhet")
            .distinct()
            .order_by(f"-{typ.datumfalt}", "-pk")
        )
        if modell is type(arende):
            qs = qs.exclude(pk=arende.pk)
        ct_id = ContentType.objects.get_for_model(modell).pk
        if utom := [pk for ct, pk in redan if ct == ct_id]:
            qs = qs.exclude(pk__in=utom)
        if user is not None:
            qs = qs.for_user(user)
        kandidater = list(qs[:KANDIDATER_PER_TYP])
        orsaker = {}
        if har_orsaker and kandidater:
            through = modell.orsaksomraden.through
            kolumn = f"{modell._meta.model_name}_id"
            for pk, namn, o_pk in through.objects.filter(
                **{f"{kolumn}__in": [k.pk for k in kandidater]}
            ).values_list(kolumn, "orsaksomrade__namn", "orsaksomrade_id"):
                if o_pk in egna_orsaker:
                    orsaker.setdefault(pk, []).append(namn)
        for k in kandidater:
            f = Forslag(k)
            if k.enhet_id == arende.enhet_id:
                f.poang += 2
                f.skal.append(_("samma enhet"))
            for namn in orsaker.get(k.pk, []):
                f.poang += 2
                f.skal.append(_("orsaksområde %(namn)s") % {"namn": namn})
            text = " ".join(
                (getattr(k, falt, "") or "")
                for falt in (modell.FRITEXT or (modell.SAMMANFATTNING,))
            ).lower()
            traffar = list(dict.fromkeys(filter(None, (hittat_ord(st, text) for st in stammar))))
            if traffar:
                f.poang += len(traffar)
                f.skal.append(_("ord: %(ord)s") % {"ord": ", ".join(traffar[:4])})
            if f.poang:
                resultat.append(f)
    resultat.sort(key=lambda f: str(_datum(f.arende)), reverse=True)
    resultat.sort(key=lambda f: -f.poang)  # stable: newest first among equals
    return resultat[:antal]


def _datum(arende):
    return getattr(arende, arende.DATUMFALT)


def lankade(arende, typ=None):
    """The cases linked to `arende` with links of `typ` (of any type if None; either
    direction): a list of (content type id, pk)."""
    from kvalitet.models import CaseLink

    lankar = CaseLink.for_arende(arende).prefetch_related(None)
    if typ is not None:
        lankar = lankar.filter(typ=typ)
    return [lank.andra_anden(arende) for lank in lankar]
