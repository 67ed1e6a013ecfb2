"""Signals between the parts, defined in the core so that no part imports another.

`lex_sarah_aktuell`: a case of some type was judged a lex Sarah matter (the
förvaltningschef's position on an avvikelse), sent after commit with `sender` the case's
model, `avvikelse_id` its primary key and `av` who judged it. The lex Sarah part
connects here and opens the linked lex Sarah case, once."""

from django.dispatch import Signal

lex_sarah_aktuell = Signal()
