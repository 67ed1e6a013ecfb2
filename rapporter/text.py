"""Chapter text: a limited Markdown written in the browser, rendered to sanitised HTML.

Raw HTML in the text is not interpreted (CommonMark with `html` off shows it as text),
and the result is cleaned by nh3 to the few elements a report needs, so a chapter text
can never carry a script, a style, an image or a form into the preview or the PDF.
Headings are moved below the chapter heading: `#` and `##` become level 3, deeper ones
level 4.

Writing instructions: text between double square brackets, `[[Beskriv här …]]`, is an
instruction to the writer, never report text. The default texts
(templates/rapporter/standardtext/*.md) mark every instruction and every placeholder
that way (`1. [[Fokusområde]]`); the preview and a draft's PDF show it highlighted
(`<mark class="instruktion">`, brackets removed), and a report cannot be decided while
any chapter still contains `[[` or `]]` (`har_instruktion`,
rapporter.models.Kvalitetsberattelse.kapitelstatus). Nothing else in a report uses
double square brackets.
"""

import re
from functools import cache

import nh3
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe
from fontTools.ttLib import TTFont
from markdown_it import MarkdownIt

TILLATNA_TAGGAR = {
    "p", "br", "strong", "em", "h3", "h4", "ul", "ol", "li", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "a", "mark",
}  # fmt: skip
TILLATNA_ATTRIBUT = {"a": {"href"}, "th": {"scope"}, "ol": {"start"}}
# Only the renderer writes <mark>: raw HTML in a text is shown as text, never interpreted.
TILLATNA_VARDEN = {"mark": {"class": {"instruktion"}}}
INSTRUKTION_START, INSTRUKTION_SLUT = "[[", "]]"
_INSTRUKTION_I_HTML = re.compile(r"\[\[(.+?)\]\]")
MAX_TECKEN = 50_000
# The report's own fonts (static/fonts/README.md); a character must be in every style.
TYPSNITT = [
    f"fonts/open-sans/OpenSans-{stil}.ttf"
    for stil in ("Regular", "Italic", "Semibold", "Bold", "BoldItalic")
]

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "table"
)


def _sankta_rubriker(tokens):
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            niva = int(token.tag[1])
            token.tag = "h3" if niva <= 2 else "h4"
    return tokens


def till_html(text: str):
    """Render a chapter's Markdown as safe HTML."""
    tokens = _sankta_rubriker(_md.parse(text or ""))
    html = _md.renderer.render(tokens, _md.options, {})
    # Writing instructions (escaped text by now) highlighted; within one element only.
    html = _INSTRUKTION_I_HTML.sub(r'<mark class="instruktion">\1</mark>', html)
    return mark_safe(  # noqa: S308  (nh3 has just removed everything not allowed)
        nh3.clean(
            html,
            tags=TILLATNA_TAGGAR,
            attributes=TILLATNA_ATTRIBUT,
            tag_attribute_values=TILLATNA_VARDEN,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


def har_instruktion(text: str) -> bool:
    """Whether the text still holds a writing instruction (or half of its brackets)."""
    text = text or ""
    return INSTRUKTION_START in text or INSTRUKTION_SLUT in text


def jamforbar(text: str) -> str:
    """The text reduced for comparison with a default text: whitespace collapsed, and
    the instruction brackets and emphasis marks dropped (an earlier default text stored
    with `*…*` where today's has `[[…]]` still compares equal)."""
    text = (text or "").replace(INSTRUKTION_START, "").replace(INSTRUKTION_SLUT, "")
    return " ".join(re.sub(r"[*_]", "", text).split())


@cache
def _tecken_i_typsnitten() -> frozenset[int]:
    tecken = None
    for namn in TYPSNITT:
        with TTFont(finders.find(namn), lazy=True) as typsnitt:
            cmap = set(typsnitt.getBestCmap())
        tecken = cmap if tecken is None else tecken & cmap
    return frozenset(tecken)


def saknade_tecken(text: str) -> list[str]:
    """The characters of `text` the report's fonts cannot draw, in order of appearance.

    WeasyPrint would draw them with whatever system font has them (DejaVu), so the PDF
    would no longer embed the project's fonts only; a chapter text with them is refused.
    """
    finns = _tecken_i_typsnitten()
    saknas = []
    for tecken in text or "":
        if ord(tecken) not in finns and tecken not in "\r\n\t" and tecken not in saknas:
            saknas.append(tecken)
    return saknas
