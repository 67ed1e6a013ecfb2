"""The `historik` and `driftstart` sections of the import format
(docs/import-format.md): yearly counts from before the product was used, and the day
from which each series' records are complete, for the year-over-year comparisons of
the reports (docs/siffror.md).

The valid codes of a series' breakdowns come from the importer registered for the
section of the same name (`Sektion.historik_dimensioner`), so this module imports no
case app. Lex Sarah history may be imported before the case type exists, since it is
only counts; its classification codes are listed here until then.
"""

from django.db import models
from django.utils.translation import gettext as _

from kvalitet import bulk, importering
from kvalitet.importering import (
    UPPSLAG,
    Datum,
    Heltal,
    Kod,
    Ogiltigt,
    Resultat,
    Sektion,
    Text,
    bitar,
    las_poster,
    modellfel,
    normalisera,
    okand_kod,
)

from .choices import Dimension, Serie
from .models import Driftstart, Historik

# docs/import-format.md, `lexsarah[].klassning`.
LEXSARAH_KLASSNING = (
    "inget_missforhallande",
    "pataglig_risk_for_missforhallande",
    "missforhallande",
    "pataglig_risk_for_allvarligt_missforhallande",
    "allvarligt_missforhallande",
)
LEXSARAH_DIMENSIONER = {Dimension.KLASSNING: LEXSARAH_KLASSNING}


class HistorikImport(Sektion):
    """Counts keyed by (ar, serie, dimension, varde); a changed count is updated."""

    namn = "historik"
    ordning = 90

    def __init__(self, ctx):
        super().__init__(ctx)
        self.poster: list[dict] = []
        self._kategorinamn: dict[str, dict[str, str]] = {}

    def dimensioner(self, serie: str) -> dict:
        """Breakdowns of a series: dimension → valid codes, a category model, or None."""
        klass = importering.sektion(serie)
        if klass is not None:
            extra = klass.historik_dimensioner
        elif serie == Serie.LEXSARAH:
            extra = LEXSARAH_DIMENSIONER
        else:
            extra = {}
        return {Dimension.TOTAL: None, Dimension.ENHET: None, **extra}

    def kategorinamn(self, serie: str, modell, varde: str) -> str:
        """A category name as the series' list spells it; unknown names (historic
        categories) are kept as written."""
        if serie not in self._kategorinamn:
            self._kategorinamn[serie] = {
                normalisera(n): n for n in modell.objects.values_list("namn", flat=True)
            }
        return self._kategorinamn[serie].get(normalisera(varde), " ".join(varde.split()))

    def las_varde(self, serie, dimension, varde, ctx):
        """The value of a breakdown in its canonical form, or raise `Ogiltigt`."""
        dimensioner = self.dimensioner(serie)
        if dimension == Dimension.TOTAL:
            if varde:
                raise Ogiltigt(_('anges inte för dimensionen "total"'))
            return ""
        if not varde:
            raise Ogiltigt(_('saknas; dimensionen "%s" kräver ett värde') % dimension)
        if dimension == Dimension.ENHET:
            enhet = ctx.enheter.get(varde)
            if enhet is None:
                raise Ogiltigt(_('okänd enhet "%s" (ange enhetens kod)') % varde)
            return enhet.kod
        spec = dimensioner[dimension]
        if isinstance(spec, type) and issubclass(spec, models.Model):
            return self.kategorinamn(serie, spec, varde)
        koder = Kod(spec).koder
        if varde not in koder:
            raise Ogiltigt(okand_kod(varde, koder))
        return varde

    def validera(self, rader, ctx):
        schema = {
            "ar": Heltal(obligatorisk=True),
            "serie": Kod(Serie, obligatorisk=True),
            "dimension": Kod(Dimension, obligatorisk=True),
            "varde": Text(),
            "antal": Heltal(obligatorisk=True),
        }
        forsta: dict[tuple, int] = {}
        for i, path, v, felaktiga in las_poster(rader, schema, self.namn, ctx):
            serie, dimension = v.get("serie"), v.get("dimension")
            varde = v.get("varde", "")
            if not felaktiga & {"serie", "dimension"}:
                if dimension not in self.dimensioner(serie):
                    ctx.fel_vid(
                        f"{path}.dimension",
                        _('serien "%(serie)s" har ingen dimension "%(dim)s" (giltiga: %(giltiga)s)')
                        % {
                            "serie": serie,
                            "dim": dimension,
                            "giltiga": ", ".join(self.dimensioner(serie)),
                        },
                    )
                    felaktiga.add("dimension")
                elif "varde" not in felaktiga:
                    try:
                        varde = self.las_varde(serie, dimension, varde, ctx)
                    except Ogiltigt as e:
                        ctx.fel_vid(f"{path}.varde", e.meddelande)
                        felaktiga.add("varde")
            ar = v.get("ar")
            if "ar" not in felaktiga and ar > ctx.idag.year:
                ctx.fel_vid(f"{path}.ar", _("Året har inte börjat ännu."))
            obj = Historik(
                ar=ar, serie=serie, dimension=dimension, varde=varde, antal=v.get("antal")
            )
            modellfel(obj, path, ctx, falt={"ar", "varde", "antal"} - felaktiga)
            if felaktiga:
                continue
            nyckel = (ar, serie, dimension, varde.casefold())
            if nyckel in forsta:
                ctx.fel_vid(
                    path,
                    _("samma år, serie, dimension och värde som historik[%s]") % forsta[nyckel],
                )
                continue
            forsta[nyckel] = i
            self.poster.append(
                {
                    "ar": ar,
                    "serie": serie,
                    "dimension": dimension,
                    "varde": varde,
                    "antal": v["antal"],
                }
            )

    def skriv(self, ctx):
        res = Resultat()
        befintliga = {}
        for bit in bitar(sorted({p["ar"] for p in self.poster}), UPPSLAG):
            for obj in Historik.objects.filter(ar__in=bit):
                befintliga[(obj.ar, obj.serie, obj.dimension, obj.varde.casefold())] = obj
        nya, andrade = [], []
        for p in self.poster:
            obj = befintliga.get((p["ar"], p["serie"], p["dimension"], p["varde"].casefold()))
            if obj is None:
                nya.append(Historik(**p, importerad=ctx.nu))
            elif obj.antal == p["antal"] and obj.varde == p["varde"]:
                res.oforandrade += 1
            else:
                obj.antal, obj.varde, obj.importerad = p["antal"], p["varde"], ctx.nu
                andrade.append(obj)
        Historik.objects.bulk_create(nya, batch_size=bulk.BATCH)
        Historik.objects.bulk_update(
            andrade, ["antal", "varde", "importerad"], batch_size=bulk.BATCH
        )
        res.nya, res.andrade = len(nya), len(andrade)
        return res


class DriftstartImport(Sektion):
    """`driftstart`: one date per series, the day from which its records are complete.
    Keyed by the series: importing it again replaces the date (with change history);
    series the file does not name keep theirs."""

    namn = "driftstart"
    ordning = 80

    def __init__(self, ctx):
        super().__init__(ctx)
        self.poster: list[dict] = []

    def validera(self, rader, ctx):
        schema = {"serie": Kod(Serie, obligatorisk=True), "fran": Datum(obligatorisk=True)}
        forsta: dict[str, int] = {}
        for i, path, v, felaktiga in las_poster(rader, schema, self.namn, ctx):
            serie = v.get("serie")
            if "serie" not in felaktiga:
                if serie in forsta:
                    ctx.fel_vid(
                        f"{path}.serie",
                        _('serien "%(serie)s" har redan en driftstart i driftstart[%(i)s]')
                        % {"serie": serie, "i": forsta[serie]},
                    )
                    felaktiga.add("serie")
                else:
                    forsta[serie] = i
            obj = Driftstart(serie=serie, fran=v.get("fran"))
            modellfel(obj, path, ctx, falt={"serie", "fran"} - felaktiga)
            if not felaktiga:
                self.poster.append({"serie": serie, "fran": v["fran"]})

    def skriv(self, ctx):
        res = Resultat()
        befintliga = {d.serie: d for d in Driftstart.objects.all()}
        for p in self.poster:
            obj = befintliga.get(p["serie"])
            if obj is None:
                obj = Driftstart(serie=p["serie"], fran=p["fran"])
                obj._change_reason = ctx.orsak_skapad
                obj.save()
                res.nya += 1
            elif obj.fran == p["fran"]:
                res.oforandrade += 1
            else:
                obj.fran = p["fran"]
                obj._change_reason = ctx.orsak_andrad
                obj.save()
                res.andrade += 1
        return res
