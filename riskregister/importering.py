"""The `risker` section of the import format (docs/import-format.md).

Risks keyed by `extern_id`, numbered RISK-<year of the first assessment>-NNNN. A risk is
not a case (no deadline, no closing), so this is a `Sektion` of its own, not an
`ArendeSektion`; a register holds tens or hundreds of risks, so they are written one by
one with `save()` (change history, number) rather than in bulk.

What the format says and where it goes in the model:

- `bedomningar` (at least one, each `{datum, sannolikhet, konsekvens, kommentar?}`,
  within the configured scale, `riskregister.skala`) become `Bedomning` rows (assessed
  by nobody: they come from another system); the first by date is when the risk was
  identified and, for an `aktiv` or `borttagen` risk, when it entered the register
  (`aktiv_fran`); the latest by date gives the risk's current values. A proposal
  (`foreslagen`) waits for the nämnd's next decided version, as one made in the browser.
- `borttagen` (a date, not before the first assessment, and no assessment after it)
  and `borttagen_skal` are given exactly for a removed risk.
- Optional: `process`, `kalla` (what found the risk, the codes of `choices.Kalla`;
  `annat` when absent), `nasta_oversyn` (may lie ahead), `styrdokument`, `indikatorer`.

Importing the file again changes nothing; a changed record is updated (the file decides
its keys), and an assessment the file adds is added beside the ones already kept.
Assessments are never changed or removed by an import: they are the register's history.
"""

from datetime import date, datetime, time

from django.utils.translation import gettext as _

from kvalitet.importering import (
    UPPSLAG,
    Datum,
    EnhetFalt,
    Falt,
    Heltal,
    Kod,
    Kontext,
    Ogiltigt,
    Resultat,
    Sektion,
    Text,
    bitar,
    json_typ,
    las_poster,
    modellfel,
    okand_nyckel,
)
from kvalitet.models import TimelineEntry

from .choices import Kalla, Kategori, Status, Strategi
from .models import Bedomning, Risk
from .skala import skala

KOMMENTAR_MAX = Bedomning._meta.get_field("kommentar").max_length

# The keys of an assessment.
BEDOMNINGSNYCKLAR = ("datum", "sannolikhet", "konsekvens", "kommentar")

# The risk's fields the file sets directly (the others are derived from the assessments).
FALT = (
    "titel",
    "beskrivning",
    "kategori",
    "strategi",
    "status",
    "kalla",
    "process",
    "styrdokument",
    "indikatorer",
    "nasta_oversyn",
    "borttagen",
    "borttagen_skal",
)


class Bedomningar(Falt):
    """The assessments: a non-empty list of {"datum", "sannolikhet", "konsekvens",
    "kommentar"?}, the values within the configured scale; returned in date order
    (assessments of the same day in the file's order)."""

    tomt = ()

    def las(self, varde, path, ctx):
        if not isinstance(varde, list):
            raise Ogiltigt(_("ska vara en lista, inte %s") % json_typ(varde))
        if not varde:
            raise Ogiltigt(_("ska ha minst en bedömning"))
        s = skala()
        steg = {"sannolikhet": len(s.sannolikhet), "konsekvens": len(s.konsekvens)}
        lasare = {
            "datum": Datum(obligatorisk=True),
            "sannolikhet": Heltal(obligatorisk=True),
            "konsekvens": Heltal(obligatorisk=True),
            "kommentar": Text(),
        }
        ut, fel = [], False
        for i, rad in enumerate(varde):
            plats = f"{path}[{i}]"
            if not isinstance(rad, dict):
                ctx.fel_vid(
                    plats,
                    _('ska vara ett objekt med "datum", "sannolikhet" och "konsekvens", inte %s')
                    % json_typ(rad),
                )
                fel = True
                continue
            for nyckel in rad:
                if nyckel not in lasare:
                    ctx.fel_vid(f"{plats}.{nyckel}", okand_nyckel(nyckel, BEDOMNINGSNYCKLAR))
                    fel = True
            lasta = {}
            for nyckel, falt in lasare.items():
                if rad.get(nyckel) is None:
                    if falt.obligatorisk:
                        ctx.fel_vid(f"{plats}.{nyckel}", _("saknas (obligatorisk)"))
                        fel = True
                    else:
                        lasta[nyckel] = falt.tomt
                    continue
                try:
                    lasta[nyckel] = falt.las(rad[nyckel], f"{plats}.{nyckel}", ctx)
                except Ogiltigt as e:
                    if e.meddelande:
                        ctx.fel_vid(f"{plats}.{nyckel}", e.meddelande)
                    fel = True
            for nyckel, n in steg.items():
                v = lasta.get(nyckel)
                if v is not None and not 1 <= v <= n:
                    ctx.fel_vid(
                        f"{plats}.{nyckel}",
                        _("ska ligga på skalan 1–%(n)s, inte %(v)s") % {"n": n, "v": v},
                    )
                    fel = True
            kommentar = lasta.get("kommentar") or ""
            if len(kommentar) > KOMMENTAR_MAX:
                ctx.fel_vid(
                    f"{plats}.kommentar",
                    _("får vara högst %(max)s tecken (den har %(antal)s)")
                    % {"max": KOMMENTAR_MAX, "antal": len(kommentar)},
                )
                fel = True
            if not fel:
                ut.append(lasta)
        if fel:
            raise Ogiltigt()
        return sorted(ut, key=lambda b: b["datum"])


class Riskpost:
    """One validated risk of the file."""

    def __init__(self, path, extern_id, enhet, falt, bedomningar):
        self.path = path
        self.extern_id = extern_id
        self.enhet = enhet  # the unit's code
        self.falt = falt  # FALT → value
        self.bedomningar = bedomningar  # in date order


def _nyckel(b) -> tuple:
    """What identifies an assessment: an import adds the file's assessments without
    this key among the risk's."""
    return (b["datum"], b["sannolikhet"], b["konsekvens"], b["kommentar"])


def _harledda(status, bedomningar, aktiv_fran=None) -> dict:
    """The fields that follow from the assessments: identified on the first, the values
    of the latest (by date, then in the order recorded), in the register from the first
    unless a proposal (or from `aktiv_fran` already recorded, e.g. the nämnd's decision)."""
    forsta, senaste = bedomningar[0], bedomningar[-1]
    if status == Status.FORESLAGEN:
        aktiv_fran = None
    elif aktiv_fran is None:
        aktiv_fran = forsta["datum"]
    return {
        "identifierad": forsta["datum"],
        "sannolikhet": senaste["sannolikhet"],
        "konsekvens": senaste["konsekvens"],
        "aktiv_fran": aktiv_fran,
    }


class RiskImport(Sektion):
    """Risks keyed by `extern_id`, numbered RISK-<year of the first assessment>-NNNN,
    with every assessment kept; written after the case sections."""

    namn = "risker"
    ordning = 50

    def __init__(self, ctx):
        super().__init__(ctx)
        self.poster: list[Riskpost] = []

    def schema(self) -> dict[str, Falt]:
        return {
            "extern_id": Text(obligatorisk=True),
            "enhet": EnhetFalt(obligatorisk=True),
            "titel": Text(obligatorisk=True),
            "beskrivning": Text(obligatorisk=True),
            "kategori": Kod(Kategori, obligatorisk=True),
            "strategi": Kod(Strategi),
            "status": Kod(Status, obligatorisk=True),
            "bedomningar": Bedomningar(obligatorisk=True),
            "borttagen": Datum(),
            "borttagen_skal": Text(),
            "process": Text(),
            "kalla": Kod(Kalla),
            "nasta_oversyn": Datum(framtid=True),
            "styrdokument": Text(),
            "indikatorer": Text(),
        }

    # -- Validation --

    def validera(self, rader, ctx: Kontext) -> None:
        forsta: dict[str, int] = {}
        for i, path, v, felaktiga in las_poster(rader, self.schema(), self.namn, ctx):
            extern_id = v.get("extern_id")
            if "extern_id" not in felaktiga:
                if not extern_id:
                    ctx.fel_vid(f"{path}.extern_id", _("får inte vara tomt"))
                    felaktiga.add("extern_id")
                elif extern_id in forsta:
                    ctx.fel_vid(
                        f"{path}.extern_id",
                        _('"%(id)s" finns redan i %(sektion)s[%(i)s]; extern_id måste vara unikt')
                        % {"id": extern_id, "sektion": self.namn, "i": forsta[extern_id]},
                    )
                    felaktiga.add("extern_id")
                else:
                    forsta[extern_id] = i
            if len(extern_id or "") > Risk._meta.get_field("extern_id").max_length:
                ctx.fel_vid(
                    f"{path}.extern_id",
                    _("får vara högst %(max)s tecken")
                    % {"max": Risk._meta.get_field("extern_id").max_length},
                )
                felaktiga.add("extern_id")
            self.regler(v, felaktiga, path, ctx)

            falt = {n: v.get(n) for n in FALT}
            falt["strategi"] = falt["strategi"] or ""
            falt["kalla"] = falt["kalla"] or Kalla.ANNAT
            for n in ("titel", "beskrivning", "process", "styrdokument", "indikatorer"):
                falt[n] = falt[n] or ""
            falt["borttagen_skal"] = falt["borttagen_skal"] or ""
            bedomningar = list(v.get("bedomningar") or ())
            obj = Risk(**falt)
            validerade = {n for n in FALT if n not in felaktiga} - {"borttagen"}
            if bedomningar:
                for namn, varde in _harledda(falt["status"], bedomningar).items():
                    setattr(obj, namn, varde)
                validerade |= {"identifierad", "sannolikhet", "konsekvens"}
            modellfel(obj, path, ctx, falt=validerade)
            if not felaktiga and bedomningar:
                self.poster.append(Riskpost(path, extern_id, v["enhet"], falt, bedomningar))

    def regler(self, v, felaktiga, path, ctx) -> None:
        """The rules across keys: a removed risk and only a removed risk has the date
        and the reason; the removal after the first assessment and none after it."""
        status = v.get("status")
        borttagen, skal = v.get("borttagen"), v.get("borttagen_skal")
        bedomningar = v.get("bedomningar") or ()
        if "status" not in felaktiga:
            if status == Status.BORTTAGEN:
                if borttagen is None and "borttagen" not in felaktiga:
                    ctx.fel_vid(
                        f"{path}.borttagen",
                        _("saknas; en borttagen risk har datumet då den togs bort"),
                    )
                    felaktiga.add("borttagen")
                if not skal and "borttagen_skal" not in felaktiga:
                    ctx.fel_vid(
                        f"{path}.borttagen_skal",
                        _("saknas; ange varför risken togs bort"),
                    )
                    felaktiga.add("borttagen_skal")
            else:
                for nyckel, varde in (("borttagen", borttagen), ("borttagen_skal", skal)):
                    if varde:
                        ctx.fel_vid(
                            f"{path}.{nyckel}",
                            _('anges bara när status är "borttagen" (här "%s")') % status,
                        )
                        felaktiga.add(nyckel)
        if borttagen is not None and bedomningar:
            if borttagen < bedomningar[0]["datum"]:
                ctx.fel_vid(
                    f"{path}.borttagen",
                    _("Risken kan inte ha tagits bort före den första bedömningen (%s).")
                    % bedomningar[0]["datum"].isoformat(),
                )
                felaktiga.add("borttagen")
            elif bedomningar[-1]["datum"] > borttagen:
                ctx.fel_vid(
                    f"{path}.bedomningar",
                    _("Risken kan inte ha bedömts efter att den togs bort (%s).")
                    % borttagen.isoformat(),
                )
                felaktiga.add("bedomningar")

    # -- Writing --

    def skriv(self, ctx: Kontext) -> Resultat:
        res = Resultat()
        befintliga = {}
        for bit in bitar([p.extern_id for p in self.poster], UPPSLAG):
            for risk in Risk.objects.filter(extern_id__in=bit):
                befintliga[risk.extern_id] = risk
        sparade_bedomningar = {}
        for b in Bedomning.objects.filter(risk__in=list(befintliga.values())).order_by(
            "datum", "pk"
        ):
            sparade_bedomningar.setdefault(b.risk_id, []).append(
                {
                    "datum": b.datum,
                    "sannolikhet": b.sannolikhet,
                    "konsekvens": b.konsekvens,
                    "kommentar": b.kommentar,
                }
            )
        # Numbers in the order the risks were identified within each year.
        nya = sorted(
            (p for p in self.poster if p.extern_id not in befintliga),
            key=lambda p: (p.bedomningar[0]["datum"], p.extern_id),
        )
        for post in nya:
            self._skapa(post, ctx)
        res.nya = len(nya)
        for post in self.poster:
            risk = befintliga.get(post.extern_id)
            if risk is None:
                continue
            if self._uppdatera(risk, post, sparade_bedomningar.get(risk.pk, []), ctx):
                res.andrade += 1
            else:
                res.oforandrade += 1
        return res

    def _skapa(self, post: Riskpost, ctx: Kontext) -> None:
        risk = Risk(
            **post.falt,
            **_harledda(post.falt["status"], post.bedomningar),
            extern_id=post.extern_id,
            enhet_id=ctx.enheter.pk(post.enhet),
            skapad=_tid(post.bedomningar[0]["datum"], ctx),
        )
        risk._change_reason = ctx.orsak_skapad
        risk.save()
        Bedomning.objects.bulk_create(
            [
                Bedomning(
                    risk=risk,
                    datum=b["datum"],
                    sannolikhet=b["sannolikhet"],
                    konsekvens=b["konsekvens"],
                    riskvarde=b["sannolikhet"] * b["konsekvens"],
                    kommentar=b["kommentar"],
                )
                for b in post.bedomningar
            ]
        )
        risk.log(
            TimelineEntry.Typ.SKAPAT,
            text=_("Importerad från %(fil)s (extern_id %(id)s)")
            % {"fil": ctx.filnamn, "id": post.extern_id},
            till_status=risk.status,
            tid=risk.skapad,
        )
        if risk.status == Status.BORTTAGEN:
            risk.log(
                TimelineEntry.Typ.STATUS,
                text=_("Borttagen ur registret: %s") % risk.borttagen_skal,
                fran_status=Status.AKTIV,
                till_status=Status.BORTTAGEN,
                tid=_tid(risk.borttagen, ctx),
            )

    def _uppdatera(self, risk: Risk, post: Riskpost, sparade: list[dict], ctx) -> bool:
        """Update a risk already imported: the file's keys, the assessments it adds.
        Whether anything changed."""
        kanda = {_nyckel(b) for b in sparade}
        tillagda = [b for b in post.bedomningar if _nyckel(b) not in kanda]
        alla = sorted([*sparade, *tillagda], key=lambda b: b["datum"])
        aktiv_fran = risk.aktiv_fran if risk.status != Status.FORESLAGEN else None
        varden = {
            **post.falt,
            **_harledda(post.falt["status"], alla, aktiv_fran),
            "enhet_id": ctx.enheter.pk(post.enhet),
        }
        andrade = [n for n, v in varden.items() if getattr(risk, n) != v]
        if not andrade and not tillagda:
            return False
        for namn in andrade:
            setattr(risk, namn, varden[namn])
        risk._change_reason = ctx.orsak_andrad
        risk.save()
        Bedomning.objects.bulk_create(
            [
                Bedomning(
                    risk=risk,
                    datum=b["datum"],
                    sannolikhet=b["sannolikhet"],
                    konsekvens=b["konsekvens"],
                    riskvarde=b["sannolikhet"] * b["konsekvens"],
                    kommentar=b["kommentar"],
                )
                for b in tillagda
            ]
        )
        nycklar = sorted(
            {"enhet" if n == "enhet_id" else n for n in andrade}
            | ({"bedomningar"} if tillagda else set())
        )
        risk.log(
            TimelineEntry.Typ.ANDRING,
            text=_("Ändrad vid import från %(fil)s: %(falt)s")
            % {"fil": ctx.filnamn, "falt": ", ".join(nycklar)},
            tid=ctx.nu,
        )
        return True


def _tid(dag: date, ctx: Kontext) -> datetime:
    """Midnight of a day in Swedish local time (the format's date without a time)."""
    return datetime.combine(dag, time(), tzinfo=ctx.tidszon)
