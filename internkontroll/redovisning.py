"""What the year's internkontrollredovisning says (docs/internkontroll.md): one row per
control of the year's decided plan with its occasions' results, findings and actions.

Definitions, which the page, the PDF, the report chapter and the tests follow:
- the year's plan is its decided version in force (the latest decided version);
- an occasion is *done* when its result is recorded, *overdue* when it is not and its
  due date has passed (on `dag`, default today), otherwise *not yet due*;
- a control's assessment is the most serious of its recorded results (Väsentliga
  brister over Mindre brister over Utan anmärkning), or none while none is recorded;
- the control's actions are the improvement actions created from its occasions.
Pure queries, a fixed number of them whatever the number of controls.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from kvalitet.models import Atgard

from .choices import ALLVARLIGHET, FARG, Bedomning, Tillfallestatus
from .models import Internkontrollplan, Kontrolltillfalle

BEDOMNINGAR = {k: str(v) for k, v in Bedomning.choices}


def tillfallets_lage(t, dag) -> str:
    if t.status == Tillfallestatus.KLAR:
        return "klar"
    return "forsenad" if t.forfaller < dag else "ej_forfallen"


def samlad(bedomningar) -> str:
    """The most serious of the assessments given ("" for none)."""
    givna = [b for b in bedomningar if b]
    return max(givna, key=lambda b: ALLVARLIGHET[b]) if givna else ""


def innehall(ar, dag=None) -> dict:
    """The redovisning of `ar` as plain JSON data, as of `dag` (default today)."""
    dag = dag or timezone.localdate()
    plan = Internkontrollplan.objects.i_kraft(ar)
    if plan is None:
        return {"ar": ar, "plan": None, "kontroller": [], "antal": {}}
    kontroller = list(plan.kontroller.select_related("risk", "utforare_enhet"))
    tillfallen = {}
    for t in Kontrolltillfalle.objects.filter(kontroll__plan=plan).order_by(
        "kontroll_id", "ordningsnummer"
    ):
        tillfallen.setdefault(t.kontroll_id, []).append(t)
    ct = ContentType.objects.get_for_model(Kontrolltillfalle)
    alla = [t for lista in tillfallen.values() for t in lista]
    per_tillfalle = {}
    for a in Atgard.objects.filter(content_type=ct, object_id__in=[t.pk for t in alla]).order_by(
        "forfallodatum", "pk"
    ):
        per_tillfalle.setdefault(a.object_id, []).append(
            {
                "titel": a.titel,
                "status": str(a.get_status_display()),
                "klart": a.forfallodatum.isoformat(),
            }
        )
    rader = []
    antal = {"tillfallen": 0, "klara": 0, "forsenade": 0, **dict.fromkeys(BEDOMNINGAR, 0)}
    for k in kontroller:
        egna = tillfallen.get(k.pk, [])
        lista = []
        for t in egna:
            lage = tillfallets_lage(t, dag)
            antal["tillfallen"] += 1
            antal["klara"] += lage == "klar"
            antal["forsenade"] += lage == "forsenad"
            if t.bedomning:
                antal[t.bedomning] += 1
            lista.append(
                {
                    "nummer": t.nummer,
                    "tillfalle": t.ordningsnummer,
                    "forfaller": t.forfaller.isoformat(),
                    "lage": lage,
                    "kontrollerad": t.kontrollerad.isoformat() if t.kontrollerad else "",
                    "antal": t.antal,
                    "avvikelser": t.avvikelser,
                    "bedomning": t.bedomning,
                    "bedomning_text": BEDOMNINGAR.get(t.bedomning, ""),
                    "farg": FARG.get(t.bedomning, ""),
                    "kommentar": t.kommentar if t.bedomning != Bedomning.UTAN_ANMARKNING else "",
                    "atgarder": per_tillfalle.get(t.pk, []),
                }
            )
        helhet = samlad(t.bedomning for t in egna)
        rader.append(
            {
                "kod": k.kod,
                "central": k.central,
                "process": k.process,
                "kontrollmoment": k.kontrollmoment,
                "metod": str(k.get_metod_display()),
                "periodicitet": str(k.get_periodicitet_display()),
                "utforare": k.utforare_enhet.namn if k.utforare_enhet else "",
                "risk": {"nummer": k.risk.nummer, "titel": k.risk.titel, "varde": k.risk.riskvarde}
                if k.risk
                else None,
                "tillfallen": lista,
                "bedomning": helhet,
                "bedomning_text": BEDOMNINGAR.get(helhet, ""),
                "farg": FARG.get(helhet, ""),
                "atgarder": [a for t in lista for a in t["atgarder"]],
            }
        )
    return {
        "ar": ar,
        "dag": dag.isoformat(),
        "plan": {"version": plan.version, "beslut": plan.beslut_text},
        "kontroller": rader,
        "antal": antal,
    }
