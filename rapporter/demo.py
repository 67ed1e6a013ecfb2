"""Demo kvalitetsberättelse for `seed_demo`: last year's report, written and decided, so
that the nämnd's demo login has a report to read and this year's draft has last year's
focus areas to follow up."""

from django.db import transaction
from django.utils import timezone

from kvalitet.demo import Demo

from .models import Kvalitetsberattelse, standard_brytdatum

TEXTER = {
    "inledning": (
        "Året präglades av arbetet med att samla förvaltningens kvalitetsarbete i ett "
        "gemensamt ledningssystem. Avvikelser, synpunkter och klagomål registreras nu på "
        "ett ställe, och förbättringsarbetet följs upp på varje ledningsgrupp.\n\n"
        "Antalet rapporterade avvikelser har ökat. Vi ser det som ett tecken på att "
        "medarbetarna har blivit bättre på att rapportera, inte på att verksamheten har "
        "blivit sämre. Flera av årets avvikelser gällde information som skickats till fel "
        "mottagare; rutinerna för utskick har därför setts över."
    ),
    "fokus": (
        "Utifrån årets resultat prioriterar förvaltningen följande områden:\n\n"
        "1. **Säkra utskick:** färre avvikelser där handlingar skickas till fel mottagare.\n"
        "2. **Svar i tid:** alla klagomål besvaras inom 14 dagar.\n"
        "3. **Utvärderade åtgärder:** varje förbättrande åtgärd får sin effekt utvärderad."
    ),
}


def skapa_demoberattelse(*, kvalitetssamordnare, forvaltningschef):
    """Write and decide last year's report unless that year already has one. The PDF is
    rendered after the commit, like a decision in the browser. Returns it, or None."""
    ar = timezone.localdate().year - 1
    if Kvalitetsberattelse.objects.filter(ar=ar).exists():
        return None
    with transaction.atomic():
        berattelse = Kvalitetsberattelse.skapa(
            ar=ar, brytdatum=standard_brytdatum(ar), av=kvalitetssamordnare
        )
        for kapitel, text in TEXTER.items():
            berattelse.spara_text(kapitel, text, av=kvalitetssamordnare)
        berattelse.faststall(av=forvaltningschef, kommentar="Demo: fastställd i nämnden")
    return berattelse


def skapa(demo: Demo) -> list[str]:
    """The demo step of rapporter (`RapporterConfig.demodata`), after the case apps' so
    that the report's figures count their demo cases."""
    berattelse = skapa_demoberattelse(
        kvalitetssamordnare=demo.anvandare["kvalitetssamordnare"],
        forvaltningschef=demo.anvandare["forvaltningschef"],
    )
    if berattelse is None:
        return []
    return [f"Fastställd demokvalitetsberättelse för {berattelse.ar}."]
