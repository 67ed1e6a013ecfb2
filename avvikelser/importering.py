"""The `avvikelser` section of the import format (docs/import-format.md)."""

from django.utils.translation import gettext as _

from kvalitet.importering import (
    ArendeSektion,
    Datum,
    EnhetFalt,
    Kod,
    Lista,
    Namn,
    Namnregister,
    Sanningsvarde,
    Text,
    Tidpunkt,
    inte_fore,
    lokal_dag,
)

from .choices import Status, Typ
from .models import Avvikelse, Kategori, Orsaksomrade


class AvvikelserImport(ArendeSektion):
    """Avvikelser and tillbud keyed by `extern_id`, numbered AVV-<year reported>-NNNN."""

    namn = "avvikelser"
    ordning = 20
    modell = Avvikelse
    historik_dimensioner = {"typ": Typ, "kategori": Kategori}

    def __init__(self, ctx):
        super().__init__(ctx)
        self.kategorier = Namnregister(Kategori, okand=_("okänd kategori"), plural=_("kategorier"))
        self.orsaksomraden = Namnregister(
            Orsaksomrade, okand=_("okänt orsaksområde"), plural=_("orsaksområden")
        )
        self.referenser["kategori"] = self.kategorier
        self.m2m_referenser["orsaksomraden"] = self.orsaksomraden

    def schema(self):
        return {
            "extern_id": Text(obligatorisk=True),
            "typ": Kod(Typ, obligatorisk=True),
            "enhet": EnhetFalt(obligatorisk=True),
            "handelsedatum": Datum(obligatorisk=True),
            "rapporterad": Tidpunkt(obligatorisk=True),
            "kategori": Namn(self.kategorier),
            "orsaksomraden": Lista(Namn(self.orsaksomraden)),
            "beskrivning": Text(obligatorisk=True),
            "beror_enskild": Sanningsvarde(),
            "status": Kod(Status, obligatorisk=True),
            "avslutad": Tidpunkt(),
            "omedelbara_atgarder": Text(),
            "analys": Text(),
        }

    def bygg(self, v, felaktiga, path, ctx):
        """Cross-field rules of an imported avvikelse, and its derived fields."""
        rapporterad = v.get("rapporterad")
        status = v.get("status")
        avslutad = v.get("avslutad")
        handelsedatum = v.get("handelsedatum")

        if rapporterad and handelsedatum and handelsedatum > lokal_dag(rapporterad):
            ctx.fel_vid(
                f"{path}.handelsedatum",
                _("Händelsen kan inte ha inträffat efter att den rapporterades."),
            )
        if "status" not in felaktiga and "avslutad" not in felaktiga:
            if status == Status.AVSLUTAD and avslutad is None:
                ctx.fel_vid(f"{path}.avslutad", _("saknas; en avslutad avvikelse har ett datum"))
            elif status != Status.AVSLUTAD and avslutad is not None:
                ctx.fel_vid(
                    f"{path}.avslutad",
                    _('anges bara när status är "avslutad" (här "%s")') % status,
                )
        if rapporterad and avslutad and lokal_dag(avslutad) < lokal_dag(rapporterad):
            ctx.fel_vid(
                f"{path}.avslutad", _("Avvikelsen kan inte ha avslutats innan den rapporterades.")
            )

        falt = {
            "typ": v.get("typ"),
            "enhet": v.get("enhet"),
            "handelsedatum": handelsedatum,
            "rapporterad": rapporterad,
            "skapad": rapporterad,
            "kategori": v.get("kategori"),
            "beskrivning": v.get("beskrivning"),
            "beror_enskild": v.get("beror_enskild", False),
            "status": status,
            "avslutad": inte_fore(avslutad, rapporterad) if status == Status.AVSLUTAD else None,
            "omedelbara_atgarder": v.get("omedelbara_atgarder", ""),
            "analys": v.get("analys", ""),
        }
        falt["tidsfrist"] = self.frist(falt) if rapporterad else None
        validerade = {
            "typ",
            "handelsedatum",
            "rapporterad",
            "beskrivning",
            "beror_enskild",
            "status",
            "avslutad",
            "omedelbara_atgarder",
            "analys",
        } - felaktiga
        return falt, {"orsaksomraden": v.get("orsaksomraden") or []}, validerade
