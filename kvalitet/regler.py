"""Legal references and local rules as texts use them (docs/regler.md).

- `STANDARDREGLER`: the rules a new installation starts with (the data migration
  `0005_regler` wrote the same rows; the demo adds any that are missing).
- `LOKALA_REGLER`: the local rules that are settings, not law – the answer time and the
  investigation time – by the name templates use (`{% lokal_regel "svarstid" %}`).
- `citera`: the text a template shows for a rule on a date, or, in a draft, a visible
  marker that tells the writer which rule is missing – never an error page.

Phrasing (DOMAIN.md §4.8): a lag, förordning or föreskrift is cited as a requirement; an
allmänt råd as a recommendation ("bör"); a local rule as the förvaltning's own
("Förvaltningens riktlinje är att …"), with the number from settings.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kvalitet.models import Regel, RegelSaknas, Regeltyp, regel

# The local rules a template may name, and the setting that holds each one's number.
LOKALA_REGLER = {
    "svarstid": "SYNPUNKT_SVARSTID_DAGAR",
    "utredningstid": "AVVIKELSE_UTREDNINGSTID_DAGAR",
    # Lex Sarah: the law says genast / utan dröjsmål / snarast; the days are the
    # förvaltning's own targets (DOMAIN.md §4.3).
    "lexsarah_omedelbara": "LEXSARAH_FRIST_OMEDELBARA_DAGAR",
    "lexsarah_utredningsbeslut": "LEXSARAH_FRIST_UTREDNINGSBESLUT_DAGAR",
    "lexsarah_beslut": "LEXSARAH_FRIST_BESLUT_DAGAR",
    "lexsarah_ivo": "LEXSARAH_FRIST_IVO_DAGAR",
    "lexsarah_uppfoljning_manader": "LEXSARAH_UPPFOLJNING_MANADER",
}

# Starts every marker of a missing rule. It is written as a writing instruction
# ("[[…]]"), so a kvalitetsberättelse with one left in a chapter cannot be decided.
SAKNAS_MARKOR = "[[Regel saknas:"

_SOSFS_2011_9 = (
    "Socialstyrelsens föreskrifter och allmänna råd (SOSFS 2011:9) om ledningssystem för "
    "systematiskt kvalitetsarbete"
)


@dataclass(frozen=True)
class Standardregel:
    nyckel: str
    typ: str
    kortnamn: str
    citat: str
    giltig_fran: date
    giltig_till: date | None = None


# Section numbers only where DOMAIN.md gives them (SOSFS 2011:9 5 kap. 3 §, the old
# socialtjänstlag's 14 kap. 3–7 §§); elsewhere the regulation without a section, which
# the administrator can make more precise.
STANDARDREGLER = [
    Standardregel(
        "sosfs-2011-9-ledningssystem",
        Regeltyp.FORESKRIFT,
        "SOSFS 2011:9",
        _SOSFS_2011_9,
        date(2012, 1, 1),
    ),
    Standardregel(
        "sosfs-2011-9-klagomal",
        Regeltyp.FORESKRIFT,
        "5 kap. 3 § SOSFS 2011:9",
        f"5 kap. 3 § {_SOSFS_2011_9}",
        date(2012, 1, 1),
    ),
    Standardregel(
        "sosfs-2011-9-avvikelser",
        Regeltyp.FORESKRIFT,
        "SOSFS 2011:9",
        _SOSFS_2011_9,
        date(2012, 1, 1),
    ),
    Standardregel(
        "sosfs-2011-9-kvalitetsberattelse",
        Regeltyp.ALLMANT_RAD,
        "SOSFS 2011:9",
        f"Allmänna råd i {_SOSFS_2011_9}",
        date(2012, 1, 1),
    ),
    Standardregel(
        "sol-lex-sarah-rapportering",
        Regeltyp.LAG,
        "14 kap. 3–7 §§ socialtjänstlagen (2001:453)",
        "14 kap. 3–7 §§ socialtjänstlagen (2001:453)",
        date(2011, 7, 1),
        date(2025, 6, 30),
    ),
    Standardregel(
        "sol-lex-sarah-rapportering",
        Regeltyp.LAG,
        "socialtjänstlagen (2025:400)",
        "Socialtjänstlagen (2025:400), bestämmelserna om lex Sarah",
        date(2025, 7, 1),
    ),
    Standardregel(
        "sosfs-2011-5-lex-sarah",
        Regeltyp.FORESKRIFT,
        "SOSFS 2011:5",
        "Socialstyrelsens föreskrifter och allmänna råd (SOSFS 2011:5) om lex Sarah",
        date(2011, 7, 1),
    ),
]


def lokal_regel(namn: str) -> int:
    """The number of days of a local rule (`LOKALA_REGLER`), read from settings now."""
    try:
        installning = LOKALA_REGLER[namn]
    except KeyError:
        raise KeyError(
            f"Okänd lokal regel {namn!r}; kända: {', '.join(sorted(LOKALA_REGLER))}"
        ) from None
    return getattr(settings, installning)


def saknas_text(nyckel: str) -> str:
    """The marker a draft shows where a rule is missing."""
    return _(
        "%(markor)s %(nyckel)s – lägg till den under Administration › Regler och rättskällor]]"
    ) % {"markor": SAKNAS_MARKOR, "nyckel": nyckel}


def citera(nyckel: str, pa_dag=None, *, fullstandig: bool = False) -> str:
    """The rule's short reference (or full citation) valid on `pa_dag`, or the marker of a
    missing rule."""
    try:
        hittad = regel(nyckel, pa_dag)
    except RegelSaknas:
        return saknas_text(nyckel)
    return hittad.citat if fullstandig else hittad.kortnamn


def se_till_standardregler(*, orsak: str = "Standardregel") -> int:
    """Add each of `STANDARDREGLER` that is missing (by key and start date) and fits
    beside what the administrator has; returns how many were added. A version that
    would overlap an existing one is left out: the administrator's table wins."""
    antal = 0
    with transaction.atomic():
        for s in STANDARDREGLER:
            if Regel.objects.filter(nyckel=s.nyckel, giltig_fran=s.giltig_fran).exists():
                continue
            ny = Regel(
                nyckel=s.nyckel,
                typ=s.typ,
                kortnamn=s.kortnamn,
                citat=s.citat,
                giltig_fran=s.giltig_fran,
                giltig_till=s.giltig_till,
            )
            try:
                ny.full_clean()
            except ValidationError:  # overlaps the administrator's own version
                continue
            ny._change_reason = orsak
            ny.save()
            antal += 1
    return antal


def demodata(demo) -> list[str]:
    """The core's demo step (`KvalitetConfig.demodata`): the standard rules, in case the
    database lost some since the migration wrote them."""
    antal = se_till_standardregler(orsak="Demodata")
    return [f"Nya standardregler: {antal}."] if antal else []
