"""Rules in templates (docs/regler.md).

    {% load regler %}
    {% regel "sosfs-2011-9-klagomal" datum %}                   5 kap. 3 § SOSFS 2011:9
    {% regel "sosfs-2011-9-klagomal" datum fullstandig=True %}  the full citation
    {% lokal_regel "svarstid" %}                                14 (SYNPUNKT_SVARSTID_DAGAR)

`datum` is the date the rule is cited for – the event date, or the last day of the
report year – and may be left out for today. A rule missing from the table renders as a
visible marker ("[[Regel saknas: …]]") for the writer to act on, never as an error page.
"""

from django import template

from kvalitet import regler

register = template.Library()


@register.simple_tag
def regel(nyckel, datum=None, fullstandig=False):
    """The reference to the rule valid on `datum`, from the table."""
    return regler.citera(nyckel, datum, fullstandig=fullstandig)


@register.simple_tag
def lokal_regel(namn):
    """The number of days of a local rule, from settings (as text: a template with
    autoescaping off joins what tags return as they are)."""
    return str(regler.lokal_regel(namn))
