"""The lex Sarah documents as PDFs: the investigation ("Utredning enligt lex Sarah") and
the tjänsteskrivelse to the nämnd (DOMAIN.md §4.3 steps 4–6, §6).

Both are rendered from the case as it is now (a draft, marked "Utkast", before the
decision) and frozen as `Dokument` rows when the decision is registered (`frys`); the
nämnd reads the frozen ones only.

What they contain is chosen field by field, never the whole case: the tjänsteskrivelse
holds only the text written for the nämnd (förslag, sammanfattning, handlingar,
mottagare) and the case's metadata; the investigation the investigation's own headings.
Neither holds the rapport's description, where the information came from, what was done
at once for the client, or anyone's name: staff are named by their role (`roll_for`)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import timezone

from kvalitet import liknande
from kvalitet.dokument import roll_for
from kvalitet.lib import pdf
from kvalitet.models import CaseLink, Enhet, Enhetstyp, Roll

from .choices import FORE_BESLUT
from .models import Dokument


def forvaltning(enhet) -> str:
    """The förvaltning the case's unit belongs to (the nearest unit of that level)."""
    narmast = (
        Enhet.objects.filter(pk__in=enhet.forfader_ids(), typ=Enhetstyp.FORVALTNING)
        .order_by("-djup")
        .first()
    )
    return narmast.namn if narmast else ""


def ar_utkast(ls) -> bool:
    """Before the decision the documents may still change: they are drafts."""
    return ls.status in FORE_BESLUT or ls.beslutad is None


def _rader(text: str) -> list[str]:
    return [r.strip() for r in (text or "").splitlines() if r.strip()]


def _lankade_liknande(ls) -> list[dict]:
    """The similar events the investigator linked: number, type, date and unit only,
    never their text (they are other cases, possibly about other clients)."""
    rader = []
    for ct_id, pk in liknande.lankade(ls, CaseLink.Typ.LIKNANDE):
        modell = ContentType.objects.get_for_id(ct_id).model_class()
        if modell is None:
            continue
        annat = modell._default_manager.select_related("enhet").filter(pk=pk).first()
        if annat is None:
            continue
        dag = getattr(annat, annat.DATUMFALT, None)
        if hasattr(dag, "hour"):
            dag = timezone.localdate(dag)
        rader.append(
            {
                "nummer": annat.nummer,
                "typ": modell._meta.verbose_name,
                "datum": dag,
                "enhet": annat.enhet.namn,
            }
        )
    return sorted(rader, key=lambda r: (r["datum"] is None, r["datum"], r["nummer"]))


def _atgarder(ls) -> list[dict]:
    return [
        {
            "titel": a.titel,
            "ansvarig": roll_for(a.ansvarig),
            "forfallodatum": a.forfallodatum,
            "status": a.get_status_display(),
        }
        for a in ls.atgarder.select_related("ansvarig").order_by("forfallodatum", "pk")
    ]


def _gemensamt(ls) -> dict:
    return {
        "ls": ls,
        "kommun": settings.KOMMUN_NAMN,
        "namnd": settings.NAMND_NAMN,
        "logga": settings.KOMMUN_LOGGA,
        "forvaltning": forvaltning(ls.enhet),
        "enhet": ls.enhet.namn,
        "utkast": ar_utkast(ls),
        # The rules are cited as they were on the day it happened (or was reported).
        "regeldatum": ls.regeldatum,
        "handlaggare": roll_for(ls.handlaggare, foredra=(Roll.UTREDARE,)),
        "skapad": timezone.localtime(),
    }


def utredning_kontext(ls) -> dict:
    vag = str(ls.get_vag_display())
    return {
        **_gemensamt(ls),
        # "lex Sarah-rapport från personal": the label in a sentence, its names kept.
        "inleddes": vag[:1].lower() + vag[1:],
        "datum": ls.utredning_klar or timezone.localdate(),
        "orsaksomraden": [o.namn for o in ls.orsaksomraden.all()],
        "liknande": _lankade_liknande(ls),
        "atgarder": _atgarder(ls),
        "forlopp": [
            {"datum": h.get("datum", ""), "text": h.get("text", "")}
            for h in ls.handelseforlopp or []
        ],
    }


def tjansteskrivelse_kontext(ls) -> dict:
    return {
        **_gemensamt(ls),
        "datum": ls.utredning_klar or timezone.localdate(),
        "handlingar": _rader(ls.handlingar),
        "skickas_till": _rader(ls.skickas_till),
        # "§ 45" or "45" as typed: the document writes the sign itself.
        "paragraf": ls.paragraf.strip().lstrip("§").strip(),
    }


def utredning_html(ls) -> str:
    return render_to_string("lexsarah/dokument/utredning.html", utredning_kontext(ls))


def tjansteskrivelse_html(ls) -> str:
    return render_to_string("lexsarah/dokument/tjansteskrivelse.html", tjansteskrivelse_kontext(ls))


def rendera_utredning(ls) -> bytes:
    """The investigation as tagged PDF (PDF/A-2a, declared PDF/UA-1)."""
    return pdf.rendera(utredning_html(ls))


def rendera_tjansteskrivelse(ls) -> bytes:
    """The tjänsteskrivelse to the nämnd as tagged PDF (PDF/A-2a, declared PDF/UA-1)."""
    return pdf.rendera(tjansteskrivelse_html(ls))


RENDERA = {
    Dokument.Typ.UTREDNING: rendera_utredning,
    Dokument.Typ.TJANSTESKRIVELSE: rendera_tjansteskrivelse,
}


def frys(arende):
    """Store the decided documents of `arende` as `Dokument` rows, one per type. Called
    again (a decision registered anew), it adds new versions; the newest is served."""
    for typ, rendera in RENDERA.items():
        Dokument.spara(arende, typ, rendera(arende))


def senaste(arende, typ):
    """The newest stored document of `typ`, or None."""
    return arende.dokument.filter(typ=typ).order_by("-skapad", "-pk").first()


def lagrad(arende, typ):
    """The stored document a reader gets for a decided case, or None (before the
    decision, or should the freezing have failed)."""
    return None if ar_utkast(arende) else senaste(arende, typ)


def las(dok) -> bytes:
    with dok.fil.open("rb") as fil:
        return fil.read()


def pdf_for(arende, typ) -> bytes:
    """What a reader gets: the stored version when the case is decided and has one,
    else the document rendered from the case now (a draft before the decision)."""
    dok = lagrad(arende, typ)
    return las(dok) if dok is not None else RENDERA[typ](arende)


def filnamn(arende, typ) -> str:
    return f"{arende.nummer}-{typ}.pdf"
