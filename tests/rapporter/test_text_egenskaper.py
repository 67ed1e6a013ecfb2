"""Chapter text is sanitised whatever the Markdown: a second angle beside
`test_markdown_ger_bara_saker_html` in test_pdf.py.

The written rule (rapporter/text.py): a chapter's Markdown becomes HTML with only the
elements in TILLATNA_TAGGAR, only the attributes in TILLATNA_ATTRIBUT, and links only to
http, https and mailto addresses; never a script, a style, an image or a form. nh3 also
keeps relative links (`/sida`, `#kap`), which have no scheme of their own and resolve
against the page's https address; the check accepts those (see `schema`).

- A structural check (`overtradelser`) reads the HTML with `html.parser` and lists what
  breaks that rule; it is itself tested on HTML that breaks it, so it can fail.
- Hypothesis generates Markdown from dangerous fragments mixed with Swedish text and
  checks `till_html` twice: as configured, and with a Markdown front end that lets raw
  HTML and every link through, so that nh3's allow-list alone has to hold the line.
- The generator is shown to produce each kind of danger (an unsanitised renderer turns
  it into HTML the check rejects), so the properties are not true by accident.
- Integration, independent of the form: a dangerous chapter text stored directly in the
  database (as imported or old data could be) reaches neither the HTML preview nor the
  PDF's link annotations as anything but harmless text and an allowed link.
"""

import io
import re
import unicodedata
from html.parser import HTMLParser
from unittest import mock

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pypdf import PdfReader

from rapporter import text as textmodul
from rapporter.dokument import rendera_pdf
from rapporter.forms import KapitelForm
from rapporter.models import Kapiteltext
from rapporter.text import TILLATNA_ATTRIBUT, TILLATNA_TAGGAR, till_html
from tests.rapporter.hjalp import objekt

TILLATNA_SCHEMAN = {"http", "https", "mailto"}
# Elements a chapter text must never produce, whatever TILLATNA_TAGGAR says.
ALDRIG_TAGGAR = {
    "img", "script", "style", "iframe", "frame", "svg", "math", "object", "embed", "form",
    "input", "button", "textarea", "select", "link", "meta", "base", "video", "audio",
    "source", "picture", "template",
}  # fmt: skip
# nh3 adds rel to every link (`link_rel`).
LANK_REL = "noopener noreferrer"
# nh3 keeps `lang` and `title` on every element unless `attributes` has a "*" key: they
# are not in TILLATNA_ATTRIBUT but are let through by the current configuration (a
# Markdown link title becomes `title`). Plain text values, no script; accepted here.
NH3_GENERISKA = {"lang", "title"}
SCHEMA = re.compile(r"([a-z][a-z0-9+.\-]*):")


def schema(href: str) -> str | None:
    """The scheme of an (already HTML-unescaped) href, read generously: every whitespace
    and control character removed and lower-cased, so `java\\tscript:` and
    ` \\x01JaVaScRiPt:` both read as javascript. None for a relative reference (no
    scheme: `/sida`, `#kap`, `//värd/`, `%6Aavascript:`), which a browser and WeasyPrint
    resolve against the page's own https address."""
    rensad = "".join(
        c for c in href if not (c.isspace() or unicodedata.category(c).startswith("C"))
    ).lower()
    traff = SCHEMA.match(rensad)
    return traff.group(1) if traff else None


class Granskning(HTMLParser):
    """Collects (kind, detail) for everything in an HTML fragment outside the rule.
    Attribute values arrive HTML-unescaped once, as a browser reads them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fel = []

    def handle_starttag(self, tagg, attrs):
        if tagg not in TILLATNA_TAGGAR or tagg in ALDRIG_TAGGAR:
            self.fel.append(("tagg", tagg))
        tillatna = TILLATNA_ATTRIBUT.get(tagg, set()) | NH3_GENERISKA
        if tagg == "a":
            tillatna = tillatna | {"rel"}
        for namn, varde in attrs:
            if namn.startswith("on"):
                self.fel.append(("on-attribut", f"{tagg} {namn}"))
            if namn not in tillatna:
                self.fel.append(("attribut", f"{tagg} {namn}"))
            if namn == "href" and schema(varde or "") not in TILLATNA_SCHEMAN | {None}:
                self.fel.append(("href", f"{tagg} href={varde!r}"))
            if namn == "rel" and varde != LANK_REL:
                self.fel.append(("rel", f"{tagg} rel={varde!r}"))

    def handle_endtag(self, tagg):
        if tagg not in TILLATNA_TAGGAR or tagg in ALDRIG_TAGGAR:
            self.fel.append(("sluttagg", tagg))

    def handle_comment(self, data):
        self.fel.append(("kommentar", data))

    def handle_decl(self, decl):
        self.fel.append(("deklaration", decl))

    def handle_pi(self, data):
        self.fel.append(("instruktion", data))

    def unknown_decl(self, data):
        self.fel.append(("deklaration", data))


def overtradelser(html: str) -> list[tuple[str, str]]:
    """What in `html` breaks the chapter-text rule; [] when nothing does."""
    granskning = Granskning()
    granskning.feed(html)
    granskning.close()
    return granskning.fel


def slapp_markdown(*, html: bool) -> MarkdownIt:
    """A Markdown front end that lets every link destination through (markdown-it itself
    refuses javascript:, vbscript:, file: and most data: links before nh3 sees them),
    with raw HTML on or off."""
    md = MarkdownIt("commonmark", {"html": html, "linkify": False}).enable("table")
    md.validateLink = lambda url: True
    return md


SLAPP = slapp_markdown(html=True)
# Raw HTML off: whatever it renders came from Markdown syntax (links, images, references).
SLAPP_MARKDOWN = slapp_markdown(html=False)


def osanerad(markdown: str, front: MarkdownIt = SLAPP) -> str:
    """What an unsanitised renderer makes of `markdown`: a lax front end, no nh3."""
    return front.render(markdown)


# --- The check itself can fail ----------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "slag"),
    [
        ("<p><script>alert(1)</script></p>", "tagg"),
        ('<p><img src="https://example.org/x.png"></p>', "tagg"),
        ("<svg onload=alert(1)></svg>", "on-attribut"),
        ('<p onclick="alert(1)">hej</p>', "on-attribut"),
        ('<td style="color:red">x</td>', "attribut"),
        (
            '<a href="https://example.org/" target="_blank" rel="noopener noreferrer">x</a>',
            "attribut",
        ),
        ('<a href="javascript:alert(1)">x</a>', "href"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "href"),
        ('<a href="&#106;avascript:alert(1)">x</a>', "href"),
        ('<a href="java&#x09;script:alert(1)">x</a>', "href"),
        ('<a href=" &#1;javascript:alert(1)">x</a>', "href"),
        ('<a href="vbscript:msgbox(1)">x</a>', "href"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "href"),
        ('<a href="https://example.org/" rel="opener">x</a>', "rel"),
        ("<p>a<!-- kommentar -->b</p>", "kommentar"),
        ("<style>p{}</style>", "sluttagg"),
    ],
)
def test_granskningen_hittar_det_som_bryter_mot_regeln(html, slag):
    """The check is not vacuous: each of these breaks the rule and is reported."""
    assert slag in [s for s, _ in overtradelser(html)]


def test_granskningen_godtar_det_tillatna():
    """The check does not reject what the rule allows (every allowed element, attribute
    and kind of link), so an empty list from it means something."""
    html = (
        "<h3>Rubrik</h3><p><strong>fet</strong> <em>kursiv</em><br></p>"
        '<ol start="3"><li>tre</li></ol><ul><li>punkt</li></ul><blockquote><p>c</p></blockquote>'
        '<table><thead><tr><th scope="col">a</th></tr></thead><tbody><tr><td>1</td></tr>'
        '</tbody></table><p><a href="https://example.org/" rel="noopener noreferrer">s</a> '
        '<a href="mailto:kvalitet@example.org" rel="noopener noreferrer">m</a> '
        '<a href="#kap-syfte" rel="noopener noreferrer">r</a></p><h4>Under</h4>'
    )
    assert overtradelser(html) == []


# --- Generated Markdown -----------------------------------------------------------------

ORD = [
    "Året", "präglades", "av", "förändring", "brukare", "klagomål", "handläggning",
    "åtgärder", "Socialnämnden", "öppenvården", "uppföljning", "Ekonomiskt bistånd",
    "§ 12", "2025", "40 %", "–", "”citat”", "…", "Å", "ärendena", "väntetider",
]  # fmt: skip
SCHEMAN = [
    "javascript:", "JaVaScRiPt:", "JAVASCRIPT:", "vbscript:", "VBScript:",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>", "data:image/png;base64,iVBORw0KGgo=",
    "&#106;avascript:", "&#x6A;&#x61;vascript:", "&#0000106avascript:", "java&#x09;script:",
    "jav&#x0A;ascript:", "javascript&#58;", "javascript&colon;", "java\tscript:",
    "%6Aavascript:", "file:///etc/", "https://example.org/", "http://example.org/",
    "mailto:kvalitet@example.org?subject=", "/intern/", "#kap-", "//example.org/",
]  # fmt: skip
# Leading whitespace and control characters a browser strips before reading a scheme.
FORE = ["", "", "", " ", "\t", "\n", "\x00", "\x01", "\x08", "\x1f", " \x0b"]
NYTTOLAST = ["alert(1)", "alert(document.cookie)", "sida", "", "x"]
RA_HTML = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//example.org/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<svg onload=alert(1)>",
    "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
    "<a href=javascript:alert(1)>klicka</a>",
    '<p onclick="alert(1)" style="color:red">stycke</p>',
    "<style>body{display:none}</style>",
    '<form action="javascript:alert(1)"><input formaction=javascript:alert(1)></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<details open ontoggle=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<!-- <script>alert(1)</script> -->",
    '<td style="background:url(javascript:alert(1))">cell</td>',
    '<th scope="col" onmouseover="alert(1)">h</th>',
    '<ol start="2" type="a" onclick="alert(1)"><li>x</li></ol>',
    "</p><script>alert(1)</script><p>",
]

svenska = st.lists(st.sampled_from(ORD), min_size=1, max_size=5).map(" ".join)
# A link destination: optional leading whitespace/control, a scheme, a payload.
rohref = st.builds(
    lambda fore, schema_, last: fore + schema_ + last,
    st.sampled_from(FORE),
    st.sampled_from(SCHEMAN),
    st.sampled_from(NYTTOLAST),
)
# In Markdown also in angle brackets, which allow spaces and control characters.
destination = rohref | rohref.map(lambda d: f"<{d}>")
titel = st.sampled_from(["", ' "Titel"', " 'onmouseover=alert(1)'", ' "x\\" onclick=\\"y"'])
lank = st.builds(lambda t, d, ti: f"[{t}]({d}{ti})", svenska, destination, titel)
bild = st.builds(lambda t, d, ti: f"![{t}]({d}{ti})", svenska, destination, titel)
autolank = rohref.map(lambda d: f"<{d}>")
referens = st.builds(
    lambda t, d, ti, bildref: f"{'!' if bildref else ''}[{t}][ref]\n\n[ref]: {d}{ti}\n\n",
    svenska,
    destination,
    titel,
    st.booleans(),
)
ra_html = st.sampled_from(RA_HTML) | st.builds(
    lambda tagg, attr, d, t: f'<{tagg} {attr}="{d}">{t}</{tagg}>',
    st.sampled_from(["a", "img", "iframe", "p", "td"]),
    st.sampled_from(["href", "src", "HREF", "onclick", "style"]),
    rohref,
    svenska,
)
grund = st.one_of(svenska, svenska, lank, bild, autolank, referens, ra_html, st.text(max_size=12))
inline = st.recursive(
    grund,
    lambda inre: st.one_of(
        st.builds(lambda m, x: f"{m}{x}{m}", st.sampled_from(["*", "**", "_", "__", "***"]), inre),
        st.lists(inre, min_size=2, max_size=4).map(" ".join),
        st.builds(lambda x: f"`{x}`", inre),
    ),
    max_leaves=6,
)
BLOCKSTART = [
    "", "", "# ", "## ", "### ", "#### ", "###### ", "- ", "* ", "1. ", "3. ", "> ", "> > ", "    ",
]  # fmt: skip
block = st.one_of(
    st.builds(lambda start, x: start + x, st.sampled_from(BLOCKSTART), inline),
    st.builds(
        lambda rubrik, avdelare, rader: "\n".join(
            [f"| {rubrik} | b |", avdelare, *(f"| {a} | {b} |" for a, b in rader)]
        ),
        inline,
        st.sampled_from(["|---|---|", "|:--|--:|", "|:-:|---|"]),
        st.lists(st.tuples(inline, inline), min_size=1, max_size=3),
    ),
    st.builds(lambda x: f"```\n{x}\n```", inline),
)
markdown = st.lists(
    st.tuples(block, st.sampled_from(["\n\n", "\n", " "])), min_size=1, max_size=6
).map(lambda delar: "".join(b + sep for b, sep in delar))

EGENSKAP = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@EGENSKAP
@given(markdown)
def test_genererad_markdown_ger_bara_tillaten_html(text):
    """Property: whatever the Markdown, `till_html` gives only allowed elements and
    attributes, no image, no on* attribute, and no link with a scheme other than http,
    https or mailto (after unescaping, whitespace and control characters removed,
    lower-cased; a relative link has no scheme)."""
    assert overtradelser(str(till_html(text))) == []


@EGENSKAP
@given(markdown)
def test_nh3_ensamt_haller_regeln_nar_markdown_slapper_igenom_allt(text):
    """Property, the sanitiser alone: with a Markdown front end that passes raw HTML and
    every link (as a changed setting or a plugin could), nh3's allow-list still gives
    only allowed elements, attributes and link schemes."""
    with mock.patch.object(textmodul, "_md", SLAPP):
        html = str(till_html(text))
    assert overtradelser(html) == []


def _finns(predikat):
    """An example of the generator satisfying `predikat`; fails if there is none in
    2000 tries. Deterministic, no shrinking, nothing written to disk."""
    return find(
        markdown,
        predikat,
        settings=settings(
            max_examples=2000,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        ),
    )


def _fel(markdown_, slag, front=SLAPP):
    """Details of the violations of kind `slag` in the unsanitised rendering."""
    return [d for s_, d in overtradelser(osanerad(markdown_, front)) if s_ == slag]


def _href(markdown_, scheman, front=SLAPP_MARKDOWN, villkor=lambda varde, kalla: True):
    """The hrefs of the unsanitised rendering whose scheme is in `scheman` and that meet
    `villkor(value as the browser reads it, source text of the tag)`."""
    traffar = []

    class Hrefs(HTMLParser):
        def handle_starttag(self, tagg, attrs):
            for namn, varde in attrs:
                if (
                    namn == "href"
                    and schema(varde or "") in scheman
                    and villkor(varde, self.get_starttag_text())
                ):
                    traffar.append(varde)

    Hrefs().feed(osanerad(markdown_, front))
    return traffar


JS = {"javascript"}
FORBJUDNA_SCHEMAN = {"javascript", "vbscript", "data", "file"}
STYRTECKEN = ("\x00", "\x01", "\x08", "\x1f", "\x0b")


def _beror_pa(markdown_, utan, scheman=JS):
    """A forbidden link from Markdown syntax that disappears when `utan` neutralises one
    feature of the input: the danger is due to that feature."""
    return bool(_href(markdown_, scheman)) and not _href(utan(markdown_), scheman)


@pytest.mark.parametrize(
    ("namn", "predikat"),
    [
        # Raw HTML (reaches nh3 only through the lax front end).
        ("script-element", lambda t: "script" in _fel(t, "tagg")),
        ("iframe", lambda t: "iframe" in _fel(t, "tagg")),
        ("onerror på bild", lambda t: "img onerror" in _fel(t, "on-attribut")),
        ("onload på svg", lambda t: "svg onload" in _fel(t, "on-attribut")),
        ("style-attribut", lambda t: any(d.endswith(" style") for d in _fel(t, "attribut"))),
        ("teckenkodat schema i HTML", lambda t: _href(t, JS, SLAPP, lambda v, k: "&#" in k)),
        ("tabb inne i schemat", lambda t: _href(t, JS, SLAPP, lambda v, k: "\t" in v.strip())),
        (
            "styrtecken före schemat",
            lambda t: _href(t, JS, SLAPP, lambda v, k: v.startswith(STYRTECKEN)),
        ),
        # Markdown syntax alone (raw HTML off).
        ("bild ur Markdown", lambda t: "img" in _fel(t, "tagg", SLAPP_MARKDOWN)),
        ("javascript-länk", lambda t: _href(t, JS)),
        ("vbscript-länk", lambda t: _href(t, {"vbscript"})),
        ("data-länk", lambda t: _href(t, {"data"})),
        (
            "blandade versaler",
            lambda t: _beror_pa(t, lambda x: re.sub("JaVaScRiPt|JAVASCRIPT", "https", x)),
        ),
        ("teckenkodat schema", lambda t: _beror_pa(t, lambda x: x.replace("&", "&amp;"))),
        (
            "referensdefinition",
            lambda t: _beror_pa(t, lambda x: re.sub(r"(?m)^\[ref\]:.*$", "", x), FORBJUDNA_SCHEMAN),
        ),
    ],
)
def test_generatorn_ger_farlig_indata(namn, predikat):
    """The generator is dangerous, not harmless by accident: for each kind of danger it
    produces Markdown that an unsanitised renderer (every link accepted, raw HTML on or
    off, no nh3) turns into HTML the check rejects; the real renderer gives none of it."""
    exempel = _finns(predikat)  # fails if the generator never produced this danger
    assert overtradelser(str(till_html(exempel))) == [], (namn, exempel)


# --- Fixed examples ---------------------------------------------------------------------


class Granskningstext(HTMLParser):
    """The text content of an HTML fragment (entities resolved)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.delar = []

    def handle_data(self, data):
        self.delar.append(data)

    @classmethod
    def av(cls, html):
        p = cls()
        p.feed(html)
        p.close()
        return "".join(p.delar)


@pytest.mark.parametrize(
    ("markdown_", "synligt"),
    [
        ("[klicka](javascript:alert(1))", "klicka"),
        ("[klicka](JaVaScRiPt:alert(1))", "klicka"),
        ("[klicka](&#106;avascript:alert(1))", "klicka"),
        ("[klicka](java&#x09;script:alert(1))", "klicka"),
        ("[klicka](<\x01javascript:alert(1)>)", "klicka"),
        ("[klicka](vbscript:msgbox(1))", "klicka"),
        ("[klicka](data:text/html;base64,PHNjcmlwdD4=)", "klicka"),
        ("[klicka](data:image/png;base64,iVBORw0KGgo=)", "klicka"),
        ("<javascript:alert(1)>", "javascript:alert(1)"),
        ("[klicka][r]\n\n[r]: javascript:alert(1)", "klicka"),
        ("![bild](https://example.org/spion.png) efter", "efter"),
        ("<img src=x onerror=alert(1)> efter", "<img src=x onerror=alert(1)>"),
        ("<svg onload=alert(1)>", "<svg onload=alert(1)>"),
        ("<iframe src=javascript:alert(1)></iframe>", "<iframe"),
        ("<a href=javascript:alert(1)>klicka</a>", "<a href=javascript:alert(1)>"),
        ("| a | b |\n|:--|--:|\n| *x* | [y](javascript:z) |", "x"),
        ("# **_Rubrik_** [r](https://example.org/)", "Rubrik"),
    ],
)
@pytest.mark.parametrize("front", ["som konfigurerad", "släpper igenom allt"])
def test_fasta_farliga_exempel(markdown_, synligt, front):
    """A handful of fixed dangerous inputs, through the configured front end and the lax
    one: nothing outside the rule remains, and the harmless text is still there (so the
    check looks at real output, not at an empty string)."""
    md = textmodul._md if front == "som konfigurerad" else SLAPP
    with mock.patch.object(textmodul, "_md", md):
        html = str(till_html(markdown_))
    assert overtradelser(html) == []
    if front == "som konfigurerad":
        # Raw HTML is shown as text, escaped; the visible words survive.
        text = Granskningstext.av(html)
        assert synligt in text, (html, synligt)


# --- Integration: stored text, preview and PDF ------------------------------------------

KONTROLLORD = "Kontrollordet Lingonsylt"
TILLATEN_LANK = "https://www.socialstyrelsen.se/kvalitet"
FARLIG_KAPITELTEXT = (
    f"{KONTROLLORD} inleder kapitlet.\n\n"
    "<script>alert('skript')</script>\n\n"
    "Hej <img src=x onerror=alert(1)> och <svg onload=alert(2)>\n\n"
    '<a href="javascript:alert(3)">rå länk</a> <iframe src="javascript:alert(4)"></iframe>\n\n'
    "[farlig](javascript:alert(5)) [blandad](JaVaScRiPt:alert(6)) "
    "[kodad](&#106;avascript:alert(7)) [vb](vbscript:msgbox(8)) "
    "[data](data:text/html;base64,PHNjcmlwdD4=) [databild](data:image/png;base64,iVBORw0KGgo=)\n\n"
    "![spion](https://example.com/spion.png) <javascript:alert(9)>\n\n"
    "[referens][r]\n\n[r]: javascript:alert(10)\n\n"
    f"Läs mer hos [Socialstyrelsen]({TILLATEN_LANK}). Slut på texten."
)


def kapitelsektion(html: str, slug: str) -> str:
    """The chapter's <section> of the report page (chapters hold no nested sections)."""
    start = html.index(f'<section class="kapitel" id="kap-{slug}"')
    return html[start : html.index("</section>", start)]


def hrefs(html: str) -> list[str]:
    funna = []

    class Lankar(HTMLParser):
        def handle_starttag(self, tagg, attrs):
            funna.extend(v or "" for n, v in attrs if n == "href")

    Lankar().feed(html)
    return funna


def lankmal(reader) -> list[str]:
    """The URI of every link annotation on every page."""
    uri = []
    for sida in reader.pages:
        for annot in sida.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/URI" in (annot.get("/A") or {}):
                uri.append(str(annot["/A"]["/URI"]))
    return uri


@pytest.fixture
def farlig_text(utkast):
    """A dangerous chapter text stored without the form, as imported or old data could
    be; the form itself would refuse it."""
    assert not KapitelForm({"text": FARLIG_KAPITELTEXT}).is_valid()
    Kapiteltext.objects.create(berattelse=utkast, kapitel="inledning", text=FARLIG_KAPITELTEXT)
    return utkast


def test_lagrad_farlig_text_ar_ofarlig_i_forhandsvisningen(farlig_text, klient_for):
    svar = klient_for("kvalitetssamordnare").get(f"/rapporter/{farlig_text.pk}/forhandsvisning/")
    assert svar.status_code == 200
    sektion = kapitelsektion(svar.content.decode(), "inledning")
    # The checks can see the chapter: its words, its raw HTML as text, its allowed link.
    assert KONTROLLORD in sektion
    assert "Slut på texten." in sektion
    assert "&lt;script&gt;" in sektion
    assert TILLATEN_LANK in hrefs(sektion)
    for farligt in ("<script", "<img", "<svg", "<iframe"):
        assert farligt not in sektion.lower(), farligt
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", sektion, re.IGNORECASE)
    assert [h for h in hrefs(sektion) if schema(h) in FORBJUDNA_SCHEMAN] == []
    texten = sektion[sektion.index('<div class="text">') + len('<div class="text">') :]
    assert overtradelser(texten[: texten.index("</div>")]) == []


def test_lagrad_farlig_text_ger_inga_farliga_lankar_i_pdfen(farlig_text):
    reader = PdfReader(io.BytesIO(rendera_pdf(farlig_text)))
    text = " ".join(" ".join(s.extract_text().split()) for s in reader.pages)
    assert KONTROLLORD in text
    uri = lankmal(reader)
    # The allowed link is a link annotation: the check below looks at real annotations.
    assert TILLATEN_LANK in uri
    assert [u for u in uri if schema(u) in FORBJUDNA_SCHEMAN] == []
    # No JavaScript action anywhere in the document.
    for o in objekt(reader):
        assert o.get("/S") != "/JavaScript"
        assert "/JS" not in o
        assert "/JavaScript" not in o
