"""Chapter text: a limited Markdown written in the browser, rendered to sanitised HTML.

Raw HTML in the text is not interpreted (CommonMark with `html` off shows it as text),
and the result is cleaned by nh3 to the few elements a report needs, so a chapter text
can never carry a script, a style, an image or a form into the preview or the PDF.
Headings are moved below the chapter heading: `#` and `##` become level 3, deeper ones
level 4.
"""

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

TILLATNA_TAGGAR = {
    "p", "br", "strong", "em", "h3", "h4", "ul", "ol", "li", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "a",
}  # fmt: skip
TILLATNA_ATTRIBUT = {"a": {"href"}, "th": {"scope"}, "ol": {"start"}}
MAX_TECKEN = 50_000

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
    return mark_safe(  # noqa: S308  (nh3 has just removed everything not allowed)
        nh3.clean(
            html,
            tags=TILLATNA_TAGGAR,
            attributes=TILLATNA_ATTRIBUT,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )
