"""Support for the lex Sarah tests: the case type's declaration for the shared tests
(tests/arendetyp.py), its part of the database snapshot, and helpers to make cases."""

from datetime import timedelta

from django.utils import timezone

from lexsarah.choices import Informerad, IvoUtfall, Kalla, Klassning, Risk, Status, Vag
from lexsarah.models import LexSarah
from tests.arendetyp import Arendeflode
from tests.stod import ogonblicksdel

# Who reports the cases `skapa` makes, per unit.
RAPPORTORER = {"EB": "medarbetare", "KOLL": "medarbetare_annan"}

# How long before today `skapa`'s cases were reported: the dates the steps take (IVO's
# anmälan and decision, the follow-up) may then lie between the rapport and today.
DAGAR_SEDAN = 20

BESKRIVNING = "Ett sekretessbelagt beslut om placering skickades till en gammal adress."
UTREDD = {
    "bakgrund": "Ungdomen är placerad i ett familjehem sedan 2025.",
    "metod": "Journalen; samtal med handläggaren och enhetschefen.",
    "klient_hord": True,
    "orsaker": "Adressen hämtades ur ett inaktuellt adressregister.",
    "tidigare": "",
    "vidtagna_atgarder": "Beslutet hämtades tillbaka samma dag.",
}


def _dag(dagar_sedan):
    return timezone.localdate() - timedelta(days=dagar_sedan)


def statusfalt(status):
    """The fields that go with reaching the status: the decision to investigate from
    under utredning on, the decision from beslutad, the closing when avslutad."""
    falt = {"status": status}
    if status != Status.RAPPORTERAD:
        falt["utredning_inledd"] = _dag(DAGAR_SEDAN - 2)
    if status in (Status.TILL_BESLUT, Status.BESLUTAD, Status.AVSLUTAD):
        falt["utredning_klar"] = _dag(DAGAR_SEDAN - 8)
    if status in (Status.BESLUTAD, Status.AVSLUTAD):
        falt.update(
            beslutsfattare="forvaltningschef",
            beslutad=_dag(DAGAR_SEDAN - 9),
            beslut_text="Utredningen läggs till handlingarna.",
            diarienummer="SOCN/2026:25",
        )
    if status == Status.AVSLUTAD:
        falt.update(avslutad=timezone.now(), aterkoppling="Tack för din rapport.")
    return falt


def satt_status(ls, status, **falt):
    """Put a case made by `skapa` in another status directly (test setup)."""
    LexSarah.objects.filter(pk=ls.pk).update(**{**statusfalt(status), **falt})
    ls.refresh_from_db()
    return ls


def skapa(varld, status=None, enhet="EB", **falt):
    """A lex Sarah case of the unit in the status (default: rapporterad), filled in so
    every step from that status can be taken (test setup; bypasses the workflow):

    - reported DAGAR_SEDAN days ago by the unit's medarbetare, the utredare as handler;
    - the immediate actions, the investigation with a händelseförlopp, a classification
      that needs no anmälan to IVO, no action plan, the tjänsteskrivelse;
    - notified to IVO all the same, with IVO's decision (so IVO's steps hold and the case
      may be closed), and an anonymised summary not yet approved;
    - from under utredning on the decision to investigate, from beslutad the decision,
      when avslutad the closing.
    """
    status = status or Status.RAPPORTERAD
    p = varld.personas
    rapportor = p.get(RAPPORTORER.get(enhet))
    rapporterad = timezone.now() - timedelta(days=DAGAR_SEDAN)
    varden = {
        "enhet": varld.org[enhet],
        "vag": Vag.RAPPORT,
        "rapporterad": rapporterad,
        "rapporterad_av": rapportor,
        "skapad_av": rapportor,
        "handelsedatum": _dag(DAGAR_SEDAN + 2),
        "beskrivning": BESKRIVNING,
        "kalla": Kalla.EGEN,
        "handlaggare": p["utredare"],
        # Omedelbara åtgärder.
        "omedelbara_atgarder": "Beslutet hämtades tillbaka från mottagaren.",
        "stod_personal": "Samtal med enhetschefen.",
        "informerad": Informerad.JA,
        "informerad_datum": _dag(DAGAR_SEDAN - 1),
        "informerad_hur": "Telefonsamtal med familjehemmet.",
        "omedelbara_datum": _dag(DAGAR_SEDAN - 1),
        # Utredningen and the bedömning.
        **UTREDD,
        "handelseforlopp": [
            {"datum": _dag(DAGAR_SEDAN + 2).isoformat(), "text": "Beslutet skickades."},
            {"datum": _dag(DAGAR_SEDAN).isoformat(), "text": "Familjehemmet ringde."},
        ],
        "klassning": Klassning.PATAGLIG_RISK,
        "risk_for_upprepning": Risk.LITEN,
        "atgardsplan_kravs": False,
        "bedomning": "En påtaglig risk för missförhållande: rutinen brast.",
        "bedomd": _dag(DAGAR_SEDAN - 5),
        # The tjänsteskrivelse.
        "sammanfattning_namnd": "Ett beslut om ungdomen skickades till en gammal adress.",
        "forslag_till_beslut": "Nämnden lägger utredningen till handlingarna.",
        # IVO, notified and decided.
        "ivo_anmald": _dag(DAGAR_SEDAN - 6),
        "ivo_diarienummer": "3.4.1-1111/2026",
        "ivo_anmalan": "Anmälan enligt lex Sarah.",
        "ivo_beslut": _dag(DAGAR_SEDAN - 10),
        "ivo_utfall": IvoUtfall.UTAN_KRITIK,
        "anonym_sammanfattning": "Ett beslut skickades till fel adress; rutinen är ändrad.",
    }
    varden.update(statusfalt(status))
    varden.update(falt)
    ls = LexSarah(**varden)
    ls._change_reason = "Testdata"
    ls.save()
    return ls


def liknande_handelse(varld):
    """An earlier avvikelse of Ekonomiskt bistånd that shares words with `skapa`'s cases:
    a suggestion for `lanka_liknande`."""
    from tests.factories import AvvikelseFactory

    return AvvikelseFactory(
        enhet=varld.org["EB"],
        rapporterad=timezone.now() - timedelta(days=400),
        handelsedatum=_dag(402),
        beskrivning="Ett sekretessbelagt beslut skickades till en gammal adress.",
        rapporterad_av=varld.personas["medarbetare"],
    )


def _idag():
    return timezone.localdate().isoformat()


LEX_SARAH = Arendeflode(
    modell=LexSarah,
    skapa=skapa,
    persona="enhetschef",
    personer={
        "inled_utredning": "forvaltningschef",
        "tilldela": "avdelningschef",
        "utred": "utredare",
        "lanka_liknande": "utredare",
        "bedom": "utredare",
        "skriv_tjansteskrivelse": "utredare",
        "lamna_forslag": "avdelningschef",
        "begar_komplettering": "forvaltningschef",
        "besluta": "forvaltningschef",
        "anmal_ivo": "forvaltningschef",
        "ivo_fraga": "forvaltningschef",
        "registrera_ivo_beslut": "forvaltningschef",
        "godkann_sammanfattning": "forvaltningschef",
    },
    vantar="rapporterad",
    # The enhetschef's immediate actions, not yet registered.
    vantar_utan={"omedelbara_atgarder": "", "omedelbara_datum": None},
    data={
        "registrera_omedelbara": lambda v: {
            "omedelbara_atgarder": "Familjehemmet fick ett nytt beslut med bud.",
            "stod_personal": "",
            "informerad": "nej",
            "ej_informerad_skal": "Ungdomen är på läger; informeras när hen kommer hem.",
        },
        "inled_utredning": lambda v: {"kommentar": "Utreds av staben."},
        "tilldela": lambda v: {"handlaggare": v.personas["medarbetare"].pk},
        "utred": lambda v: {
            "bakgrund": "Ungdomen placerades i familjehemmet i mars.",
            "metod": "Journalen och samtal med handläggaren.",
            "klient_hord": "True",
            "handelseforlopp": f"{_dag(3).isoformat()} Beslutet skickades.\n"
            f"{_dag(1).isoformat()} Felet upptäcktes.",
            "orsaker": "Inaktuellt adressregister och en otydlig rutin.",
            "tidigare": "En liknande händelse 2025.",
            "vidtagna_atgarder": "Rutinen gicks igenom på APT.",
        },
        "lanka_liknande": lambda v: {"arenden": [liknande_handelse(v).nummer]},
        "bedom": lambda v: {
            "klassning": Klassning.MISSFORHALLANDE,
            "risk_for_upprepning": Risk.MATTLIG,
            "atgardsplan_kravs": "False",
            "bedomning": "Ett missförhållande: beslutet nådde fel mottagare.",
        },
        "skriv_tjansteskrivelse": lambda v: {
            "sammanfattning_namnd": "Ett beslut om ungdomen nådde fel mottagare.",
            "forslag_till_beslut": "Nämnden godkänner utredningen.",
            "handlingar": "Utredning enligt lex Sarah",
            "skickas_till": "IVO",
        },
        "begar_komplettering": lambda v: {"kommentar": "Beskriv metoden utförligare."},
        "besluta": lambda v: {
            "beslutsfattare": "forvaltningschef",
            "beslutad": _idag(),
            "beslut_text": "Utredningen godkänns.",
            "diarienummer": "SOCN/2026:31",
        },
        "anmal_ivo": lambda v: {
            "ivo_anmald": _idag(),
            "ivo_diarienummer": "3.4.1-2222/2026",
            "ivo_anmalan": "Anmälan, korrigerad.",
        },
        "ivo_fraga": lambda v: {
            "fraga_datum": _idag(),
            "fraga": "IVO begär rutinen för utskick.",
            "svar_datum": _idag(),
            "svar": "Rutinen bifogades.",
        },
        "registrera_ivo_beslut": lambda v: {
            "ivo_beslut": _idag(),
            "ivo_utfall": IvoUtfall.KRITIK,
            "ivo_kommentar": "Kritik för bristande rutin.",
        },
        "folj_upp": lambda v: {
            "uppfoljd": _idag(),
            "uppfoljning": "Försättsbladet används i alla utskick.",
        },
        "avsluta": lambda v: {"aterkoppling": "Tack! Rutinen för utskick är ändrad."},
        "ateroppna": lambda v: {"kommentar": "IVO har begärt mer underlag."},
        "sammanfatta": lambda v: {
            "anonym_sammanfattning": "Ett beslut nådde fel mottagare; rutinen är ändrad."
        },
    },
)


@ogonblicksdel("lexsarah.LexSarah")
def ogonblick_lexsarah():
    """Every field a request could change (not the access log: reading writes it)."""
    falt = [f.attname for f in LexSarah._meta.concrete_fields if f.attname != "uppdaterad"]
    return {
        "lexsarah": list(LexSarah.objects.order_by("pk").values_list(*falt)),
        "lexsarahhistorik": LexSarah.history.count(),
        "lexsarah_orsaksomraden": sorted(
            LexSarah.orsaksomraden.through.objects.values_list("lexsarah_id", "orsaksomrade_id")
        ),
    }
