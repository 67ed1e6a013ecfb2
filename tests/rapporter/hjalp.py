"""Support for the report tests: the reports' part of the database snapshot, the
outcome codes of their permission matrix (the reports' own redirects), and reading a
generated PDF's objects."""

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from tests.stod import Kod, ogonblicksdel, omdirigerad, skapad

# Outcomes beyond tests.stod.KODER, for `kor_rad(..., koder=KODER)`.
NY = "NY"  # 302 to a report the request created (a new draft or version)
TB = "TB"  # 302 back to the report with an error message: refused by its status


def tillbaka_med_fel(svar):
    assert omdirigerad(svar) == svar.arende_url, svar.location
    fel = [m for m in svar.response.wsgi_request._messages if m.level_tag == "error"]
    assert fel, "inget felmeddelande"


KODER = {
    NY: Kod(skapad("/rapporter/"), utford=True),
    TB: Kod(tillbaka_med_fel),
}


@ogonblicksdel("rapporter.Kvalitetsberattelse")
def ogonblick_rapporter():
    from rapporter.models import Kapiteltext, Kvalitetsberattelse

    return {
        "berattelser": sorted(
            Kvalitetsberattelse.objects.values_list(
                "pk",
                "ar",
                "version",
                "status",
                "brytdatum",
                "siffror",
                "faststalld",
                "faststalld_av_id",
                "beslutsanteckning",
                "pdf",
                "pdf_sha256",
                "pdf_status",
                "pdf_jobb",
                "andrad",
            )
        ),
        "berattelsehistorik": Kvalitetsberattelse.history.count(),
        "texter": sorted(Kapiteltext.objects.values_list("berattelse_id", "kapitel", "text")),
    }


def objekt(reader):
    """Every object reachable from the document catalogue, each once."""
    sedda, stack = set(), [reader.trailer["/Root"]]
    while stack:
        o = stack.pop()
        if isinstance(o, IndirectObject):
            if o.idnum in sedda:
                continue
            sedda.add(o.idnum)
            o = o.get_object()
        if isinstance(o, DictionaryObject):
            yield o
            stack.extend(v for k, v in o.items() if k not in ("/Parent", "/P"))
        elif isinstance(o, ArrayObject):
            stack.extend(o)


def skriv_alla_kapitel(berattelse, av):
    """Write every chapter still without a text of its own, so that the report can be
    decided (no default or instruction text may remain, rapporter.models.kapitelstatus)."""
    from rapporter.kapitel import KAPITEL

    skrivna = {t.kapitel: t.text for t in berattelse.texter.all()}
    for k in KAPITEL:
        text = skrivna.get(k.slug, "")
        if not text.strip() or "[[" in text or k.slug not in skrivna:
            berattelse.spara_text(k.slug, f"Texten om {k.titel} för {berattelse.ar}.", av=av)
    berattelse.refresh_from_db()
    return berattelse
