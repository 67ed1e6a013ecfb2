"""The results of a file review (kollegial granskning, journalgranskning): per checkpoint
and per control area, the answers counted and the share "ja" of the applicable answers
(ja, nej, delvis; "ej aktuellt" is not applicable), compared with the previous round.

Pure queries, a fixed number of them whatever the data (docs/siffror.md):

- a share in percent only from 10 applicable answers (`kvalitet.statistik.andel`); below
  that the count, "7 av 9";
- the level in colour and in words from the share, on the result scale of DOMAIN.md
  §4.5: from 90 % utan anmärkning, from 70 % mindre brister, below väsentliga brister;
  none below 10 applicable answers;
- the previous round is the latest earlier egenkontroll (by its period's start) of the
  same unit using the same checklist, in any version; checkpoints are matched by their
  `kod`, an area by the codes of its checkpoints.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from kvalitet.statistik import andel

from .choices import FARG, Bedomning, Svarsvarde
from .models import Egenkontroll, Granskning, Kontrollpunkt, Svar

GRON_FRAN = 90
GUL_FRAN = 70


@dataclass
class Antal:
    """The answers to one checkpoint, or summed over an area."""

    ja: int = 0
    nej: int = 0
    delvis: int = 0
    ej_aktuellt: int = 0

    def lagg_till(self, annat: "Antal"):
        self.ja += annat.ja
        self.nej += annat.nej
        self.delvis += annat.delvis
        self.ej_aktuellt += annat.ej_aktuellt

    @property
    def tillampliga(self) -> int:
        return self.ja + self.nej + self.delvis

    @property
    def totalt(self) -> int:
        return self.tillampliga + self.ej_aktuellt

    @property
    def andel(self) -> float | None:
        """The share "ja" of the applicable answers in percent, or None under 10."""
        return andel(self.ja, self.tillampliga)

    @property
    def text(self) -> str:
        """ "82 %" from 10 applicable answers, else "7 av 9"; "–" with none."""
        if not self.tillampliga:
            return "–"
        if self.andel is None:
            return f"{self.ja} av {self.tillampliga}"
        return f"{self.andel:.0f} %"

    @property
    def bedomning(self) -> str | None:
        """The level of the share (`Bedomning`), or None without a share."""
        if self.andel is None:
            return None
        if self.andel >= GRON_FRAN:
            return Bedomning.UTAN_ANMARKNING
        if self.andel >= GUL_FRAN:
            return Bedomning.MINDRE_BRISTER
        return Bedomning.VASENTLIGA_BRISTER

    @property
    def bedomning_text(self) -> str:
        return str(Bedomning(self.bedomning).label) if self.bedomning else ""

    @property
    def farg(self) -> str:
        return FARG.get(self.bedomning, "")


def forandring(nu: Antal, forra: Antal | None) -> int | None:
    """The change of the share in percentage points, when both rounds have one."""
    if forra is None or nu.andel is None or forra.andel is None:
        return None
    return round(nu.andel - forra.andel)


@dataclass
class Punktrad:
    punkt: Kontrollpunkt
    antal: Antal
    forra: Antal | None = None

    @property
    def forandring(self):
        return forandring(self.antal, self.forra)


@dataclass
class Omradesrad:
    namn: str
    akter: int
    antal: Antal
    forra: Antal | None = None
    punkter: list[Punktrad] = field(default_factory=list)

    @property
    def forandring(self):
        return forandring(self.antal, self.forra)


@dataclass
class Resultat:
    omraden: list[Omradesrad]
    totalt: Antal
    akter: int
    forra_omgangen: Egenkontroll | None
    forra_totalt: Antal | None

    @property
    def forra(self) -> Antal | None:
        """The previous round's answers to the checkpoints asked in both rounds."""
        return self.forra_totalt

    @property
    def forandring(self):
        return forandring(self.totalt, self.forra_totalt)


def forra_omgangen(ek: Egenkontroll) -> Egenkontroll | None:
    """The previous round: the latest egenkontroll of the same unit using the same
    checklist (any version) whose period starts before this one's."""
    if ek.checklista_version_id is None:
        return None
    return (
        Egenkontroll.objects.filter(
            enhet_id=ek.enhet_id,
            checklista_version__checklista_id=ek.checklista_version.checklista_id,
            period_fran__lt=ek.period_fran,
        )
        .exclude(pk=ek.pk)
        .order_by("-period_fran", "-pk")
        .first()
    )


def _antal_per(svar_qs, nyckel) -> dict:
    """{key: Antal} of the answers, counted in the database."""
    ut = {}
    for rad in svar_qs.values(nyckel, "varde").annotate(n=Count("pk")).order_by():
        antal = ut.setdefault(rad[nyckel], Antal())
        setattr(antal, Svarsvarde(rad["varde"]).name.lower(), rad["n"])
    return ut


def resultat(ek: Egenkontroll) -> Resultat | None:
    """The egenkontroll's results per area and checkpoint, with the previous round; None
    without a checklist. Five queries at most, whatever the number of reviews."""
    if ek.checklista_version_id is None:
        return None
    punkter = list(
        Kontrollpunkt.objects.filter(omrade__version_id=ek.checklista_version_id)
        .select_related("omrade")
        .order_by("omrade__ordning", "ordning")
    )
    nu = _antal_per(Svar.objects.filter(granskning__egenkontroll=ek), "punkt_id")
    akter = dict(
        Granskning.objects.filter(egenkontroll=ek)
        .values_list("omrade_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    forra = forra_omgangen(ek)
    fore = (
        _antal_per(Svar.objects.filter(granskning__egenkontroll=forra), "punkt__kod")
        if forra is not None
        else None
    )
    omraden: dict[int, Omradesrad] = {}
    totalt = Antal()
    forra_totalt = Antal() if fore is not None else None
    for p in punkter:
        omrade = omraden.get(p.omrade_id)
        if omrade is None:
            omrade = omraden[p.omrade_id] = Omradesrad(
                namn=p.omrade.namn,
                akter=akter.get(p.omrade_id, 0),
                antal=Antal(),
                forra=Antal() if fore is not None else None,
            )
        antal = nu.get(p.pk, Antal())
        forr = fore.get(p.kod) if fore is not None else None
        omrade.punkter.append(Punktrad(punkt=p, antal=antal, forra=forr))
        omrade.antal.lagg_till(antal)
        totalt.lagg_till(antal)
        if forr is not None:
            omrade.forra.lagg_till(forr)
            forra_totalt.lagg_till(forr)
    # An area none of whose questions the previous round asked has nothing to compare.
    for omrade in omraden.values():
        if omrade.forra is not None and not any(r.forra for r in omrade.punkter):
            omrade.forra = None
    return Resultat(
        omraden=list(omraden.values()),
        totalt=totalt,
        akter=sum(akter.values()),
        forra_omgangen=forra,
        forra_totalt=forra_totalt,
    )
