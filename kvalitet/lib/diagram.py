"""Bar charts as SVG, drawn on the server: the kvalitetsberättelse's figures
(`rapporter.diagram`) and the start page's (`kvalitet.delar.Startfigur`).

Charts are for the eye only: every chart stands next to a table with the same figures,
which is what screen readers and text extraction use, so the SVG is marked as an image
with a short label pointing to that table. They are readable in black and white: one
dark fill, values written at each bar, no meaning carried by colour.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from kvalitet.statistik import MINSTA_BAS_FOR_PROCENT


def tal_text(varde):
    """An integer with a (no-break) space between thousands, as Swedish writes it; the
    report font has no narrow no-break space (U+202F)."""
    return "–" if varde is None else f"{varde:,}".replace(",", "\u00a0")


def procent_text(varde):
    """A percentage already computed as Swedish text ("66,7 %"), or a dash."""
    return "–" if varde is None else f"{varde:.1f}".replace(".", ",") + " %"


def andel_text(antal, helhet):
    """`antal` as a share of `helhet` ("66,7 %"); under MINSTA_BAS_FOR_PROCENT cases the
    count only ("7 av 9"): the small-numbers rule of docs/siffror.md, for the report and
    the start page alike."""
    if not helhet:
        return "–"
    if helhet < MINSTA_BAS_FOR_PROCENT:
        return f"{tal_text(antal)} av {tal_text(helhet)}"
    return procent_text(100 * antal / helhet)


BREDD = 640
RADHOJD = 24
ETIKETTBREDD = 250
FARG = "#1f3b57"
LINJE = "#6b7785"
TECKEN_PER_ETIKETT = 38


def _kort(text, max_tecken=TECKEN_PER_ETIKETT):
    text = str(text)
    return text if len(text) <= max_tecken else text[: max_tecken - 1] + "…"


def _svg(hojd, innehall, etikett, bredd=BREDD):
    return mark_safe(  # noqa: S308  (every text below went through escape())
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" role="img" '
        f'aria-label="{escape(etikett)}" viewBox="0 0 {bredd} {hojd}" '
        f'width="{bredd}" height="{hojd}" font-family="Open Sans, sans-serif" font-size="12">'
        # <title> is the figure's alternate text in the tagged PDF.
        f"<title>{escape(etikett)}</title>{innehall}</svg>"
    )


def liggande(rader, *, etikett, bredd=BREDD):
    """Horizontal bars, one per row ({"namn", "antal"}); for categories with long names.
    A narrower `bredd` keeps the text legible where a phone shrinks the chart."""
    rader = [r for r in rader if r.get("antal") is not None]
    if not rader:
        return ""
    storst = max(r["antal"] for r in rader) or 1
    yta = bredd - ETIKETTBREDD - 50
    delar = []
    for i, r in enumerate(rader):
        y = i * RADHOJD
        langd = round(yta * r["antal"] / storst)
        delar.append(
            f'<text x="{ETIKETTBREDD - 8}" y="{y + 16}" text-anchor="end" fill="#000">'
            f"{escape(_kort(r['namn']))}</text>"
            f'<rect x="{ETIKETTBREDD}" y="{y + 4}" width="{max(langd, 1)}" height="{RADHOJD - 8}" '
            f'fill="{FARG}"/>'
            f'<text x="{ETIKETTBREDD + langd + 6}" y="{y + 16}" fill="#000">'
            f"{tal_text(r['antal'])}</text>"
        )
    hojd = len(rader) * RADHOJD + 4
    delar.append(
        f'<line x1="{ETIKETTBREDD}" y1="0" x2="{ETIKETTBREDD}" y2="{hojd}" stroke="{LINJE}"/>'
    )
    return _svg(hojd, "".join(delar), etikett, bredd)


def staende(rader, *, etikett, hojd=180):
    """Vertical bars over a sequence (years, months). A row whose `antal` is None is a
    missing figure: drawn as a dash, not as zero. Nothing to draw (every figure missing or
    zero) gives no chart: an empty frame says nothing the table does not."""
    varden = [r["antal"] for r in rader or () if r.get("antal") is not None]
    if not any(varden):
        return ""
    storst = max(varden)
    bas = hojd - 24
    yta = bas - 20
    steg = BREDD / len(rader)
    stapel = min(steg * 0.6, 56)
    delar = [f'<line x1="0" y1="{bas}" x2="{BREDD}" y2="{bas}" stroke="{LINJE}"/>']
    for i, r in enumerate(rader):
        mitt = steg * i + steg / 2
        delar.append(
            f'<text x="{mitt:.1f}" y="{hojd - 6}" text-anchor="middle" fill="#000">'
            f"{escape(r['namn'])}</text>"
        )
        if r.get("antal") is None:
            delar.append(
                f'<text x="{mitt:.1f}" y="{bas - 6}" text-anchor="middle" fill="#000">–</text>'
            )
            continue
        langd = round(yta * r["antal"] / storst)
        delar.append(
            f'<rect x="{mitt - stapel / 2:.1f}" y="{bas - langd}" width="{stapel:.1f}" '
            f'height="{langd}" fill="{FARG}"/>'
            f'<text x="{mitt:.1f}" y="{bas - langd - 5}" text-anchor="middle" fill="#000">'
            f"{tal_text(r['antal'])}</text>"
        )
    return _svg(hojd, "".join(delar), etikett)


def parvis(rader, *, etikett, serier, bredd=460):
    """Horizontal bars in pairs, one pair per row ({"namn", "antal", "jamforelse"}): this
    period (dark fill) against a comparison (outlined), e.g. this year against last year.
    `serier` names the two in a legend; values are written at each bar, so neither colour
    nor fill carries meaning alone. Narrower than the report's charts by default, so that
    its text stays legible when a phone shrinks it."""
    rader = list(rader)
    if not any((r.get("antal") or 0) + (r.get("jamforelse") or 0) for r in rader):
        return ""
    storst = max(max(r.get("antal") or 0, r.get("jamforelse") or 0) for r in rader) or 1
    etikettbredd = 180
    yta = bredd - etikettbredd - 40
    stapel = 12
    par = 2 * stapel + 10
    forklaring = 22
    delar = [
        f'<rect x="{etikettbredd}" y="4" width="12" height="12" fill="{FARG}"/>'
        f'<text x="{etikettbredd + 18}" y="15" fill="#000">{escape(serier[0])}</text>'
        f'<rect x="{etikettbredd + 70}" y="4.5" width="11" height="11" fill="#fff" '
        f'stroke="{FARG}"/>'
        f'<text x="{etikettbredd + 88}" y="15" fill="#000">{escape(serier[1])}</text>'
    ]
    for i, r in enumerate(rader):
        y = forklaring + i * par
        delar.append(
            f'<text x="{etikettbredd - 8}" y="{y + stapel + 5}" text-anchor="end" fill="#000">'
            f"{escape(_kort(r['namn'], 24))}</text>"
        )
        for j, (falt, fyllning) in enumerate(
            (("antal", f'fill="{FARG}"'), ("jamforelse", f'fill="#fff" stroke="{FARG}"'))
        ):
            varde = r.get(falt) or 0
            langd = round(yta * varde / storst)
            yy = y + j * stapel
            delar.append(
                f'<rect x="{etikettbredd}" y="{yy + 0.5}" width="{max(langd, 1)}" '
                f'height="{stapel - 1}" {fyllning}/>'
                f'<text x="{etikettbredd + langd + 6}" y="{yy + stapel - 2}" fill="#000" '
                f'font-size="11">{tal_text(r.get(falt))}</text>'
            )
    hojd = forklaring + len(rader) * par
    delar.append(
        f'<line x1="{etikettbredd}" y1="{forklaring}" x2="{etikettbredd}" y2="{hojd}" '
        f'stroke="{LINJE}"/>'
    )
    return _svg(hojd, "".join(delar), etikett, bredd)
