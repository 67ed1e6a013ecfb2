"""The chapters of the kvalitetsberättelse, in report order (figures: docs/siffror.md).

A chapter is text written by staben (Markdown, starting from a default text) and,
optionally, figures from the records with a template that shows them as tables and
charts. A new case type adds its chapter here: a `Kapitel` with a figures function (in
`siffror.py`, built on the case app's `statistik.py`) and a template under
`templates/rapporter/kapitel/`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from . import siffror


@dataclass(frozen=True)
class Kapitel:
    slug: str
    titel: str
    # What the chapter is for, shown to the writer next to the text field.
    hjalp: str
    siffror: Callable | None = None  # (ar, brytdatum) -> JSON-serialisable dict
    mall: str | None = None  # template of the figures part

    def standardtext(self, ar: int, kommun: str) -> str:
        """The text a new draft starts from. Rules are cited as they stood on the last
        day of the report year (`datum`, docs/regler.md)."""
        return render_to_string(
            f"rapporter/standardtext/{self.slug}.md",
            {"ar": ar, "kommun": kommun, "datum": date(ar, 12, 31)},
        ).strip()


KAPITEL = [
    Kapitel(
        "inledning",
        _("Inledning"),
        _("Förvaltningschefens förord: årets viktigaste händelser och resultat."),
    ),
    Kapitel(
        "syfte",
        _("Syfte och ledningssystemet"),
        _("Vad kvalitet betyder för förvaltningen, SOSFS 2011:9 och hur arbetet följs upp."),
    ),
    Kapitel(
        "processer",
        _("Processer och styrdokument"),
        _(
            "Förvaltningens processer och vad som kartlades, reviderades och publicerades "
            "under året: processer, rutiner och riktlinjer."
        ),
        siffror=siffror.processer_siffror,
        mall="rapporter/kapitel/processer.html",
    ),
    Kapitel(
        "synpunkter",
        _("Synpunkter och klagomål"),
        _("Analys av årets synpunkter och klagomål: mönster, orsaker och vad de ledde till."),
        siffror=siffror.synpunkter_siffror,
        mall="rapporter/kapitel/synpunkter.html",
    ),
    Kapitel(
        "avvikelser",
        _("Avvikelser"),
        _("Analys av årets avvikelser och tillbud: mönster, orsaker och åtgärder."),
        siffror=siffror.avvikelser_siffror,
        mall="rapporter/kapitel/avvikelser.html",
    ),
    Kapitel(
        "lexsarah",
        _("Rapportering enligt lex Sarah"),
        _(
            "Analys av årets rapporter enligt lex Sarah: vad de handlade om, vad "
            "utredningarna visade, anmälningarna till IVO och vad de ledde till."
        ),
        siffror=siffror.lexsarah_siffror,
        mall="rapporter/kapitel/lexsarah.html",
    ),
    Kapitel(
        "tillsyn",
        _("IVO:s tillsyn"),
        _(
            "Vilka verksamheter IVO granskade under året, vad IVO krävde, hur förvaltningen "
            "svarade och vad IVO beslutade."
        ),
        siffror=siffror.tillsyn_siffror,
        mall="rapporter/kapitel/tillsyn.html",
    ),
    Kapitel(
        "riskhantering",
        _("Riskhantering"),
        _(
            "Hur riskregistret förändrades under året: nya, omvärderade och borttagna risker, "
            "vilka risker som realiserades och vad förvaltningen lärde sig av det."
        ),
        siffror=siffror.riskhantering_siffror,
        mall="rapporter/kapitel/riskhantering.html",
    ),
    Kapitel(
        "egenkontroll",
        _("Egenkontroll och internkontroll"),
        _(
            "Vad årets internkontroll och egenkontroller visade: kontrollerna med brister, "
            "vad de ledde till och hur granskningarnas resultat förändrats sedan förra "
            "omgången."
        ),
        siffror=siffror.internkontroll_siffror,
        mall="rapporter/kapitel/egenkontroll.html",
    ),
    Kapitel(
        "atgarder",
        _("Förbättrande åtgärder och resultat"),
        _(
            "Vilka förbättringar som gjorts och deras effekt; uppföljning av förra årets "
            "fokusområden."
        ),
        siffror=siffror.atgarder_siffror,
        mall="rapporter/kapitel/atgarder.html",
    ),
    Kapitel(
        "mal",
        _("Mål och resultat"),
        _(
            "Hur processernas mål och nyckeltal utföll mot årets målvärden: vad som nåddes, "
            "vad som inte nåddes och varför, och nyckeltal som inte mättes."
        ),
        siffror=siffror.mal_siffror,
        mall="rapporter/kapitel/mal.html",
    ),
    Kapitel(
        "fokus",
        _("Fokusområden kommande år"),
        _("Vad förvaltningen prioriterar nästa år. Följs upp i nästa års kvalitetsberättelse."),
    ),
]

PER_SLUG = {k.slug: k for k in KAPITEL}


def hamta(slug: str) -> Kapitel | None:
    return PER_SLUG.get(slug)
