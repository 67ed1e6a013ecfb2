"""Signals between the parts, defined in the core so that no part imports another.

`lex_sarah_aktuell`: a case of some type was judged a lex Sarah matter (the
förvaltningschef's position on an avvikelse), sent after commit with `sender` the case's
model, `avvikelse_id` its primary key and `av` who judged it. The lex Sarah part
connects here and opens the linked lex Sarah case, once.

`lex_sarah_oppnat`: a question rather than news – which lex Sarah case was opened from
a case (its position), sent with `sender` the case's model and `arende_id`; the lex
Sarah part answers with the case's number, or None. `oppnat_lex_sarah` asks it."""

from django.dispatch import Signal

lex_sarah_aktuell = Signal()
lex_sarah_oppnat = Signal()


def oppnat_lex_sarah(modell, arende_id) -> str | None:
    """The number of the lex Sarah case opened from the case, if any (the answer of
    `lex_sarah_oppnat`; None also when no lex Sarah part is installed)."""
    for _mottagare, nummer in lex_sarah_oppnat.send(sender=modell, arende_id=arende_id):
        if nummer:
            return nummer
    return None
