"""Template helpers of the report document: charts and number formatting."""

from django import template

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
    """Comparison rows as chart rows: the year as label, None where the figure is missing."""
    return [{"namn": str(r["ar"]), "antal": r["totalt"]} for r in rader]


@register.filter
def typ_i(rad, varde):
    """The count of one type in a comparison row, or None if that year has no breakdown."""
    for r in rad.get("per_typ") or ():
        if r["varde"] == varde:
            return r["antal"]
    return None


@register.filter
def tal(varde):
    return tal_text(varde)


@register.filter
def andel_av(antal, helhet):
    """`antal` as a share of `helhet` with one decimal ("0,5 %")."""
    if antal is None or not helhet:
        return "–"
    return procent(100 * antal / helhet)


@register.filter
def procent(varde):
    """A share as Swedish text ("66,7 %"), or a dash when it cannot be computed."""
    if varde is None:
        return "–"
    return f"{varde:.1f}".replace(".", ",") + " %"


@register.filter
def decimal(varde):
    if varde is None:
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
