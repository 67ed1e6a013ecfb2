"""The dates the product accepts from anyone: a form, a list filter, the public status
lookup or an import file. Every date a user can send lies within these bounds; a form
field's own rules (not in the future, within five years) may narrow them further.

Outside them the date is not only meaningless here but unsafe: Python's datetimes end
at year 1 and 9999, so converting local midnight of 0001-01-01 to UTC, or taking the
day after 9999-12-31 (the end of a "till och med" filter), overflows (security finding
4, issue 10)."""

from datetime import date

from django.utils.translation import gettext as _

# No record of a social-services quality system predates 1900, imported history
# included; far enough from year 1 that no time-zone conversion leaves the calendar.
TIDIGAST = date(1900, 1, 1)

# Later than any deadline or filter bound anyone needs (the same last year as the
# kvalitetsberättelse's), and far enough from 9999-12-31 that adding days never overflows.
SENAST = date(2100, 12, 31)


def inom_granserna(dag: date) -> bool:
    """Whether `dag` lies within TIDIGAST..SENAST."""
    return TIDIGAST <= dag <= SENAST


def iso(dag) -> str:
    """A date as a table cell shows it ("2026-03-02"), or "" for none."""
    return f"{dag:%Y-%m-%d}" if dag else ""


def utanfor_granserna_text() -> str:
    """The message for a date outside the bounds (forms and list filters)."""
    return _("Ange ett datum mellan %(fran)s och %(till)s.") % {
        "fran": TIDIGAST.isoformat(),
        "till": SENAST.isoformat(),
    }


def for_tidigt_text() -> str:
    """The message for a date before TIDIGAST where later dates have their own rule (an
    import refuses dates in the future already)."""
    return _("Datumet kan inte ligga före %(datum)s.") % {"datum": TIDIGAST.isoformat()}
