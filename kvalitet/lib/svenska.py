"""Swedish grammar for texts built from a case's type: en avvikelse / ett tillbud,
en ny fråga / ett nytt klagomål, den / det."""

EN = {"en": "en", "ny": "ny", "den": "den"}
ETT = {"en": "ett", "ny": "nytt", "den": "det"}


def ordformer(ett_ord: bool) -> dict[str, str]:
    """The forms agreeing with a noun of common gender (en) or neuter gender (ett)."""
    return ETT if ett_ord else EN


def antal_form(antal: int | None, en: str, flera: str) -> str:
    """The form of a word agreeing with a count: 1 → `en` ("åtgärd", "genomförd"),
    any other count (0, 2 …) → `flera` ("åtgärder", "genomförda")."""
    return en if antal == 1 else flera
