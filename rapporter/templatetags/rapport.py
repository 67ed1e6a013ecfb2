"""Template helpers of the report document: charts and number formatting."""

from django import template

from kvalitet.lib.diagram import andel_text, procent_text
from kvalitet.lib.svenska import antal_form
from kvalitet.statistik import MINSTA_BAS_FOR_PROCENT
from rapporter import diagram
from rapporter.diagram import tal_text
from rapporter.text import till_html

register = template.Library()


@register.simple_tag
def liggande(rader, etikett):
    return diagram.liggande(rader, etikett=etikett)


@register.simple_tag
def staende(rader, etikett):
    return diagram.staende(rader, etikett=etikett)


@register.filter
def over_tid(rader):
    """Comparison rows as chart rows: the year as label (with "*" for the partial year of
    a driftstart, as in the table), None where the figure is missing."""
    return [
        {"namn": f"{r['ar']}*" if r.get("delar_fran") else str(r["ar"]), "antal": r["totalt"]}
        for r in rader
    ]


@register.filter
def typ_i(rad, varde):
    """The count of one type in a comparison row, or None if that year has no breakdown."""
    for r in rad.get("per_typ") or ():
        if r["varde"] == varde:
            return r["antal"]
    return None


def _ar_tal(varde):
    return isinstance(varde, int | float) and not isinstance(varde, bool)


@register.filter
def tal(varde):
    """A count as Swedish text; a dash for a missing figure (also a key that figures
    frozen in an older decided version do not have)."""
    return tal_text(varde if _ar_tal(varde) else None)


@register.filter
def andel_av(antal, helhet):
    """`antal` as a share of `helhet` with one decimal ("66,7 %"). Small numbers
    (docs/siffror.md): under MINSTA_BAS_FOR_PROCENT cases the count only ("7 av 9").
    Every share in the report goes through here (or `kvalitet.statistik.andel`, which
    applies the same rule)."""
    if not _ar_tal(antal) or not _ar_tal(helhet):
        return "–"
    return andel_text(antal, helhet)


@register.filter
def procent(varde):
    """A percentage already computed (by `kvalitet.statistik.andel`, which leaves it out
    below MINSTA_BAS_FOR_PROCENT) as Swedish text ("66,7 %"), or a dash. For a share
    with its base use `andel_av`, which applies the small-numbers rule."""
    return procent_text(varde if _ar_tal(varde) else None)


@register.simple_tag
def minsta_bas_for_procent():
    """The small-numbers threshold, for the report's "Om siffrorna"."""
    return MINSTA_BAS_FOR_PROCENT


@register.filter
def form(antal, former):
    """The word form agreeing with `antal`: {{ n|form:"åtgärd,åtgärder" }} gives
    "åtgärd" for 1 and "åtgärder" otherwise."""
    en, flera = former.split(",")
    return antal_form(antal, en, flera)


@register.filter
def lista(delar):
    """Words as Swedish prose: "a", "a och b", "a, b och c"."""
    delar = [str(d) for d in delar or ()]
    if len(delar) < 2:
        return "".join(delar)
    return ", ".join(delar[:-1]) + " och " + delar[-1]


@register.filter
def decimal(varde):
    if not _ar_tal(varde):
        return "–"
    return f"{varde:.1f}".replace(".", ",")


@register.filter
def summa(rader):
    return sum(r["antal"] for r in rader or ())


@register.filter
def markdown(text):
    """A chapter text (limited Markdown) as sanitised HTML."""
    return till_html(text)


@register.filter
def statusetikett(varde):
    """A report status code as its label ("faststalld" → "Fastställd")."""
    from rapporter.choices import Status

    return Status(varde).label if varde in Status.values else varde


@register.filter
def paragraf(varde):
    """A § of the nämnd's minutes as the report writes it: "§ 14" (stored as "14"; data
    written before that, or imported, may already carry the sign)."""
    varde = str(varde or "").strip().lstrip("§").strip()
    return f"§ {varde}" if varde else ""
