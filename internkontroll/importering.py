"""The `internkontroll` section of the import format (docs/import-format.md).

One decided internkontrollplan per `ar`, with its controls and their results, from the
system the förvaltning used before. A plan is not a case (no extern_id, no deadline):
this is a `Sektion` of its own, written one record at a time with `save()` (change
history, occasion numbers), as the risk register's section is.

What the file says and where it goes:

- the plan: version 1, fastställd, `sammantradesdatum` = `beslutad`, `diarienummer`,
  `paragraf` (optional, empty when absent), its content frozen (`innehall`, the model's
  `frys`) as at a decision in the browser; the PDF is not rendered during the import:
  the periodic `kvalitet.tasks.arkivera_saknade` archives it (and the browser or
  `manage.py internkontroll` at the latest when first read);
- a control (`kontroller[]`): `id` (the row's id, "CENT 1"), `kontrollmoment`, `metod`,
  `periodicitet`, `ansvarig`; optional `process` (the kontrollmoment when absent: the
  model requires one), `risk` (a risk's `extern_id`, of the file's `risker` section or
  already in the system), `central` (default: the id begins with "CENT"), `omfattning`,
  `rapporteras_till`, `rapporteras_nar`, `resultat`;
- `ansvarig` naming a unit (code or name) is the performing unit; any other text is
  kept as who follows the control up (`uppfoljare`) and the performing unit is the
  förvaltning at the top of the organisation, so that staben handles its occasions (an
  occasion always belongs to a unit: that is who may record it);
- the occasions are generated from the periodicitet as the decision in the browser
  generates them (`internkontroll.perioder`), keyed `ik-<år>-<id>-<tillfälle>`;
- a result (`resultat[]`: `datum`, `bedomning`, optional `kommentar`, `antal`,
  `avvikelser`, `vad`) is recorded on the occasion whose period contains its date,
  under the same rules as in the browser (`Kontrolltillfalle._resultat`).

Importing the file again changes nothing. A year whose plan was imported is compared
with the file: a result the file adds to an occasion still waiting is recorded; any
other difference is an error, since a decided plan never changes (a new version is
made in the browser). A year with a plan made in the product is an error too.
"""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kvalitet.importering import (
    Datum,
    Falt,
    Heltal,
    Importfel,
    Kod,
    Kontext,
    Ogiltigt,
    Resultat,
    Sanningsvarde,
    Sektion,
    Text,
    json_typ,
    las_post,
    las_poster,
    modellfel,
)
from kvalitet.lib.beslut import rensa_diarienummer, rensa_paragraf
from kvalitet.models import Beslutsstatus, Enhet, Enhetstyp, TimelineEntry

from .choices import Bedomning, Metod, Periodicitet, Tillfallestatus
from .models import Internkontrollplan, Kontroll, Kontrolltillfalle
from .perioder import perioder

# The fields of a control the file sets (besides the plan, the unit and the risk).
KONTROLLFALT = (
    "kod",
    "central",
    "process",
    "kontrollmoment",
    "metod",
    "omfattning",
    "periodicitet",
    "uppfoljare",
    "rapporteras_till",
    "rapporteras_nar",
)
# The fields of an occasion a result sets.
RESULTATFALT = ("kontrollerad", "vad", "antal", "avvikelser", "bedomning", "kommentar")
PROCESS_MAX = Kontroll._meta.get_field("process").max_length


def extern_id(ar: int, kod: str, nummer: int) -> str:
    """The key of an imported occasion."""
    return f"ik-{ar}-{kod}-{nummer}"


class Lista(Falt):
    """A JSON list, its items read by the section (they are objects with keys of their
    own)."""

    tomt = ()

    def las(self, varde, path, ctx):
        if not isinstance(varde, list):
            raise Ogiltigt(_("ska vara en lista, inte %s") % json_typ(varde))
        return varde


class Resultatpost:
    """One validated result: the occasion's number and its field values."""

    def __init__(self, path, nummer, falt):
        self.path = path
        self.nummer = nummer
        self.falt = falt  # RESULTATFALT → value


class Kontrollpost:
    """One validated control: its fields, its unit (a code, or None for the
    förvaltning at the top), its risk's extern_id and its results by occasion."""

    def __init__(self, path, falt, enhet, risk, resultat):
        self.path = path
        self.falt = falt
        self.enhet = enhet
        self.risk = risk
        self.resultat: dict[int, Resultatpost] = resultat


class Planpost:
    def __init__(self, path, ar, beslutad, paragraf, diarienummer, kontroller):
        self.path = path
        self.ar = ar
        self.beslutad = beslutad
        self.paragraf = paragraf
        self.diarienummer = diarienummer
        self.kontroller: list[Kontrollpost] = kontroller


def _tid(dag: date, ctx: Kontext) -> datetime:
    """Midnight of a day in Swedish local time (the format's date without a time)."""
    return datetime.combine(dag, time(), tzinfo=ctx.tidszon)


class InternkontrollImport(Sektion):
    """Decided internkontrollplaner, one per year, with their controls, occasions and
    results; written after the risks they point at."""

    namn = "internkontroll"
    ordning = 60

    def __init__(self, ctx):
        super().__init__(ctx)
        self.poster: list[Planpost] = []
        # The years that have a plan: whether it was imported (its occasions keyed).
        importerade = set(
            Kontrolltillfalle.objects.filter(extern_id__startswith="ik-").values_list(
                "kontroll__plan__ar", flat=True
            )
        )
        self.befintliga = {
            ar: ar in importerade
            for ar in Internkontrollplan.objects.values_list("ar", flat=True).distinct()
        }

    # -- Validation --

    def validera(self, rader, ctx: Kontext) -> None:
        schema = {
            "ar": Heltal(obligatorisk=True),
            "beslutad": Datum(obligatorisk=True),
            "diarienummer": Text(obligatorisk=True),
            "paragraf": Text(),
            "kontroller": Lista(obligatorisk=True),
        }
        forsta: dict[int, int] = {}
        for i, path, v, felaktiga in las_poster(rader, schema, self.namn, ctx):
            ar = v.get("ar")
            if "ar" not in felaktiga:
                antal_fel = len(ctx.fel)
                modellfel(Internkontrollplan(ar=ar), path, ctx, falt={"ar"})
                if not 2000 <= ar <= ctx.idag.year + 1:
                    if len(ctx.fel) == antal_fel:  # 0: the model's clean() lets it pass
                        ctx.fel_vid(
                            f"{path}.ar",
                            _("Välj ett år från 2000 till nästa år (%(n)s).")
                            % {"n": ctx.idag.year + 1},
                        )
                    felaktiga.add("ar")
                elif ar in forsta:
                    ctx.fel_vid(
                        f"{path}.ar",
                        _("året %(ar)s finns redan i %(sektion)s[%(i)s]; en plan per år")
                        % {"ar": ar, "sektion": self.namn, "i": forsta[ar]},
                    )
                    felaktiga.add("ar")
                else:
                    forsta[ar] = i
                    if self.befintliga.get(ar) is False:
                        ctx.fel_vid(
                            f"{path}.ar",
                            _(
                                "det finns redan en internkontrollplan för %(ar)s som inte är "
                                "importerad; importen ersätter den inte"
                            )
                            % {"ar": ar},
                        )
                        felaktiga.add("ar")
            beslutad = v.get("beslutad")
            if beslutad and "ar" not in felaktiga and beslutad.year < ar - 1:
                ctx.fel_vid(
                    f"{path}.beslutad",
                    _("Sammanträdet kan inte ligga före %(ar)s.") % {"ar": ar - 1},
                )
                felaktiga.add("beslutad")
            diarienummer = paragraf = ""
            rensare = (("diarienummer", rensa_diarienummer), ("paragraf", rensa_paragraf))
            for nyckel, rensa in rensare:
                if nyckel in felaktiga or not v.get(nyckel):
                    if nyckel == "diarienummer" and "diarienummer" not in felaktiga:
                        ctx.fel_vid(f"{path}.diarienummer", _("får inte vara tomt"))
                        felaktiga.add(nyckel)
                    continue
                try:
                    rensat = rensa(v[nyckel])
                except ValidationError as e:
                    for meddelande in e.messages:
                        ctx.fel_vid(f"{path}.{nyckel}", meddelande)
                    felaktiga.add(nyckel)
                    continue
                if nyckel == "diarienummer":
                    diarienummer = rensat
                else:
                    paragraf = rensat
            kontroller = None
            if "kontroller" not in felaktiga:
                if not v["kontroller"]:
                    ctx.fel_vid(f"{path}.kontroller", _("ska ha minst en kontroll"))
                    felaktiga.add("kontroller")
                else:
                    kontroller = self.las_kontroller(
                        v["kontroller"], None if "ar" in felaktiga else ar, path, ctx
                    )
            if not felaktiga and kontroller is not None:
                self.poster.append(Planpost(path, ar, beslutad, paragraf, diarienummer, kontroller))

    def las_kontroller(self, rader, ar, plats, ctx) -> list[Kontrollpost] | None:
        """The controls of a plan (`ar` None if the year could not be read); None if any
        has an error (reported)."""
        schema = {
            "id": Text(obligatorisk=True),
            "kontrollmoment": Text(obligatorisk=True),
            "metod": Kod(Metod, obligatorisk=True),
            "periodicitet": Kod(Periodicitet, obligatorisk=True),
            "ansvarig": Text(obligatorisk=True),
            "process": Text(),
            "risk": Text(),
            "central": Sanningsvarde(),
            "omfattning": Text(),
            "rapporteras_till": Text(),
            "rapporteras_nar": Text(),
            "resultat": Lista(),
        }
        ut, fel = [], False
        forsta: dict[str, int] = {}
        for j, rad in enumerate(rader):
            path = f"{plats}.kontroller[{j}]"
            antal_fel = len(ctx.fel)
            last = las_post(rad, schema, path, ctx)
            if last is None:
                fel = True
                continue
            v, felaktiga = last
            kod = v.get("id")
            if "id" not in felaktiga:
                if not kod:
                    ctx.fel_vid(f"{path}.id", _("får inte vara tomt"))
                    felaktiga.add("id")
                elif kod.casefold() in forsta:
                    ctx.fel_vid(
                        f"{path}.id",
                        _('"%(id)s" finns redan i %(plats)s.kontroller[%(j)s]; id måste vara unikt')
                        % {"id": kod, "plats": plats, "j": forsta[kod.casefold()]},
                    )
                    felaktiga.add("id")
                else:
                    forsta[kod.casefold()] = j
            for nyckel in ("kontrollmoment", "ansvarig"):
                if nyckel not in felaktiga and not v[nyckel]:
                    ctx.fel_vid(f"{path}.{nyckel}", _("får inte vara tomt"))
                    felaktiga.add(nyckel)
            enhet, uppfoljare = None, ""
            if "ansvarig" not in felaktiga:
                try:
                    enhet = ctx.enheter.hitta(v["ansvarig"])
                except Ogiltigt as e:
                    if str(e.meddelande) != _('okänd enhet "%s"') % v["ansvarig"].strip():
                        ctx.fel_vid(f"{path}.ansvarig", e.meddelande)
                        felaktiga.add("ansvarig")
                    else:
                        uppfoljare = v["ansvarig"]
            # Absent: a central control by its id ("CENT 1").
            central = v.get("central") if rad.get("central") is not None else None
            falt = {
                "kod": kod or "",
                "central": bool(central)
                if central is not None
                else (kod or "").upper().startswith("CENT"),
                "process": v["process"] or _forkorta(v.get("kontrollmoment") or "", PROCESS_MAX),
                "kontrollmoment": v.get("kontrollmoment") or "",
                "metod": v.get("metod") or "",
                "omfattning": v["omfattning"],
                "periodicitet": v.get("periodicitet") or "",
                "uppfoljare": uppfoljare,
                "rapporteras_till": v["rapporteras_till"],
                "rapporteras_nar": v["rapporteras_nar"],
            }
            lasbara = {
                "kod": "id",
                "process": "process",
                "kontrollmoment": "kontrollmoment",
                "metod": "metod",
                "omfattning": "omfattning",
                "periodicitet": "periodicitet",
                "uppfoljare": "ansvarig",
                "rapporteras_till": "rapporteras_till",
                "rapporteras_nar": "rapporteras_nar",
            }
            if not v["process"] and "kontrollmoment" in felaktiga:
                lasbara.pop("process")  # derived from a key already reported
            self.modellfel_som(
                Kontroll(**falt),
                path,
                ctx,
                {f: n for f, n in lasbara.items() if n not in felaktiga},
            )
            resultat = None
            if "resultat" not in felaktiga and "periodicitet" not in felaktiga and ar is not None:
                resultat = self.las_resultat(v["resultat"], ar, v["periodicitet"], path, ctx)
            if resultat is None or felaktiga or len(ctx.fel) > antal_fel:
                fel = True
                continue
            ut.append(Kontrollpost(path, falt, enhet, v["risk"] or None, resultat))
        return None if fel else ut

    def las_resultat(self, rader, ar, periodicitet, plats, ctx) -> dict | None:
        """A control's results by occasion number; None if any has an error (reported)."""
        schema = {
            "datum": Datum(obligatorisk=True),
            "bedomning": Kod(Bedomning, obligatorisk=True),
            "kommentar": Text(),
            "antal": Heltal(),
            "avvikelser": Heltal(),
            "vad": Text(),
        }
        perioderna = perioder(ar, periodicitet)
        ut, fel = {}, False
        for n, rad in enumerate(rader):
            path = f"{plats}.resultat[{n}]"
            antal_fel = len(ctx.fel)
            last = las_post(rad, schema, path, ctx)
            if last is None:
                fel = True
                continue
            v, felaktiga = last
            period = None
            if "datum" not in felaktiga:
                datum = v["datum"]
                period = next((p for p in perioderna if p.fran <= datum <= p.till), None)
                if period is None:
                    ctx.fel_vid(
                        f"{path}.datum",
                        _(
                            "%(datum)s ligger utanför planens år %(ar)s; ett resultat hör till "
                            "tillfället vars period innehåller datumet"
                        )
                        % {"datum": datum.isoformat(), "ar": ar},
                    )
                elif period.nummer in ut:
                    ctx.fel_vid(
                        f"{path}.datum",
                        _(
                            "tillfälle %(nr)s (%(fran)s–%(till)s) har redan ett resultat i "
                            "%(annat)s; ett tillfälle har ett resultat"
                        )
                        % {
                            "nr": period.nummer,
                            "fran": period.fran.isoformat(),
                            "till": period.till.isoformat(),
                            "annat": ut[period.nummer].path,
                        },
                    )
                    period = None
            falt = {
                "kontrollerad": v.get("datum"),
                "vad": v["vad"],
                "antal": v["antal"],
                "avvikelser": v["avvikelser"],
                "bedomning": v.get("bedomning") or "",
                "kommentar": v["kommentar"],
            }
            if period is not None and not felaktiga:
                # The browser's rules of a result, on a stand-in occasion of the period.
                prov = Kontrolltillfalle(period_fran=period.fran, period_till=period.till)
                try:
                    prov._resultat(av=None, **falt)
                except ValidationError as e:
                    for namn, meddelanden in e.message_dict.items():
                        nyckel = "datum" if namn == "kontrollerad" else namn
                        for meddelande in meddelanden:
                            ctx.fel_vid(f"{path}.{nyckel}", meddelande)
            self.modellfel_som(
                Kontrolltillfalle(**{f: falt[f] for f in RESULTATFALT if f != "kontrollerad"}),
                path,
                ctx,
                {f: f for f in ("vad", "antal", "avvikelser", "kommentar") if f not in felaktiga},
            )
            if period is None or felaktiga or len(ctx.fel) > antal_fel:
                fel = True
                continue
            ut[period.nummer] = Resultatpost(path, period.nummer, falt)
        return None if fel else ut

    @staticmethod
    def modellfel_som(obj, path, ctx, nycklar: dict[str, str]) -> None:
        """The model's validation of the fields in `nycklar` (field → the file's key),
        its errors reported at the file's key."""
        utan = [f.name for f in obj._meta.fields if f.name not in nycklar]
        try:
            obj.clean_fields(exclude=utan)
        except ValidationError as e:
            for namn, meddelanden in e.message_dict.items():
                for meddelande in meddelanden:
                    ctx.fel_vid(f"{path}.{nycklar.get(namn, namn)}", meddelande)

    # -- Writing --

    def skriv(self, ctx: Kontext) -> Resultat:
        res = Resultat()
        risker = self.hitta_risker()
        fritext = any(k.enhet is None for p in self.poster for k in p.kontroller)
        rot = self.hitta_rot() if fritext else None
        fel = []
        for post in self.poster:
            for k in post.kontroller:
                if k.risk and k.risk not in risker:
                    fel.append(
                        (
                            f"{k.path}.risk",
                            _(
                                'okänd risk "%s": ingen risk i filens risker eller i systemet '
                                "har det extern_id"
                            )
                            % k.risk,
                        )
                    )
                if k.enhet is None and rot is None:
                    fel.append(
                        (
                            f"{k.path}.ansvarig",
                            _(
                                'ingen enhet heter "%s", och det finns ingen förvaltning överst i '
                                "organisationen att lägga kontrollen under; ange enhetens kod"
                            )
                            % k.falt["uppfoljare"],
                        )
                    )
        if fel:
            raise Importfel(fel)

        def enhet_id(k):
            return ctx.enheter.pk(k.enhet) if k.enhet else rot.pk

        # First every comparison with a year imported before: a difference stops the
        # import before this section writes anything.
        nya, tillagda = [], []
        for post in self.poster:
            if post.ar not in self.befintliga:
                nya.append(post)
                continue
            skillnad, saknade = self.jamfor(post, risker, enhet_id)
            if skillnad:
                fel.append(
                    (
                        post.path,
                        _(
                            "planen för %(ar)s är redan importerad och fastställd och skiljer sig "
                            "från filen (%(vad)s); en fastställd plan ändras inte av en import – "
                            "gör en ny version i webbläsaren"
                        )
                        % {"ar": post.ar, "vad": "; ".join(skillnad)},
                    )
                )
            elif saknade:
                tillagda.append(saknade)
            else:
                res.oforandrade += 1
        if fel:
            raise Importfel(fel)
        for post in nya:
            self.skapa(post, risker, enhet_id, ctx)
        fritext = [k for p in nya for k in p.kontroller if k.enhet is None]
        if fritext:
            res.anteckningar.append(
                _(
                    "%(antal)s kontroller med ansvarig som fritext utförs av %(enhet)s (%(kod)s); "
                    "texten sparas som följs upp av"
                )
                % {"antal": len(fritext), "enhet": rot.namn, "kod": rot.kod}
            )
        for saknade in tillagda:
            for tillfalle, resultat in saknade:
                self.registrera(tillfalle, resultat, ctx)
        res.nya, res.andrade = len(nya), len(tillagda)
        return res

    def hitta_risker(self) -> dict:
        from riskregister.models import Risk

        namn = {k.risk for p in self.poster for k in p.kontroller if k.risk}
        return {r.extern_id: r for r in Risk.objects.filter(extern_id__in=namn)}

    @staticmethod
    def hitta_rot():
        """The förvaltning at the top of the organisation (the first, if several)."""
        toppar = Enhet.objects.filter(overordnad__isnull=True).order_by("pk")
        return toppar.filter(typ=Enhetstyp.FORVALTNING).first() or toppar.first()

    def jamfor(self, post: Planpost, risker, enhet_id):
        """How the year's imported plan differs from the file (a list of what), and the
        results the file adds to occasions still waiting [(occasion, Resultatpost)]."""
        plan = (
            Internkontrollplan.objects.filter(ar=post.ar, status=Beslutsstatus.FASTSTALLD)
            .order_by("-version")
            .first()
        )
        if plan is None:
            return [_("planen är inte fastställd")], []
        skillnad = []
        if (plan.sammantradesdatum, plan.paragraf, plan.diarienummer) != (
            post.beslutad,
            post.paragraf,
            post.diarienummer,
        ):
            skillnad.append(_("beslutet"))
        sparade = {k.kod: k for k in plan.kontroller.select_related("risk")}
        andrade = []
        for k in post.kontroller:
            s = sparade.pop(k.falt["kod"], None)
            risk = risker.get(k.risk) if k.risk else None
            if s is None or (
                any(getattr(s, f) != k.falt[f] for f in KONTROLLFALT)
                or s.utforare_enhet_id != enhet_id(k)
                or s.risk_id != (risk.pk if risk else None)
            ):
                andrade.append(k.falt["kod"])
        andrade += sorted(sparade)
        if andrade:
            skillnad.append(_("kontroller: %s") % ", ".join(andrade))
        saknade, andrade_resultat = [], []
        tillfallen = {
            (t.kontroll.kod, t.ordningsnummer): t
            for t in Kontrolltillfalle.objects.filter(kontroll__plan=plan).select_related(
                "kontroll"
            )
        }
        for k in post.kontroller:
            for nummer, r in sorted(k.resultat.items()):
                t = tillfallen.get((k.falt["kod"], nummer))
                if t is None:
                    continue  # the control differs: reported above
                if t.status == Tillfallestatus.VANTAR:
                    saknade.append((t, r))
                elif any(getattr(t, f) != r.falt[f] for f in RESULTATFALT):
                    andrade_resultat.append(
                        _("%(kod)s tillfälle %(nr)s") % {"kod": k.falt["kod"], "nr": nummer}
                    )
        if andrade_resultat:
            skillnad.append(_("resultat: %s") % ", ".join(andrade_resultat))
        return skillnad, saknade

    def skapa(self, post: Planpost, risker, enhet_id, ctx: Kontext) -> None:
        tid = _tid(post.beslutad, ctx)
        plan = Internkontrollplan(
            ar=post.ar,
            version=Internkontrollplan.nasta_version(post.ar),
            status=Beslutsstatus.FASTSTALLD,
            sammantradesdatum=post.beslutad,
            paragraf=post.paragraf,
            diarienummer=post.diarienummer,
            faststalld=tid,
            skapad=tid,
        )
        plan._change_reason = ctx.orsak_skapad
        plan.save()
        kontroller = []
        for ordning, k in enumerate(post.kontroller, start=1):
            kontroll = Kontroll(
                plan=plan,
                ordning=ordning,
                risk=risker.get(k.risk) if k.risk else None,
                utforare_enhet_id=enhet_id(k),
                **k.falt,
            )
            kontroll._change_reason = ctx.orsak_skapad
            kontroll.save()
            kontroller.append((kontroll, k))
        # Frozen as at a decision in the browser; stored in the history row too.
        innehall = plan.frys(post.beslutad)
        Internkontrollplan.objects.filter(pk=plan.pk).update(innehall=innehall)
        Internkontrollplan.history.filter(id=plan.pk).update(innehall=innehall)
        plan.log(
            TimelineEntry.Typ.SKAPAT,
            text=_("Importerad från %(fil)s: %(beslut)s")
            % {"fil": ctx.filnamn, "beslut": _beslut_text(post)},
            till_status=plan.status,
            tid=tid,
        )
        # The occasions of each control, as the decision generates them.
        for kontroll, k in kontroller:
            for period in perioder(post.ar, kontroll.periodicitet):
                tillfalle = Kontrolltillfalle(
                    kontroll=kontroll,
                    enhet_id=kontroll.utforare_enhet_id,
                    handlaggare=kontroll.utforare,
                    ordningsnummer=period.nummer,
                    period_fran=period.fran,
                    period_till=period.till,
                    forfaller=period.forfaller,
                    extern_id=extern_id(post.ar, kontroll.kod, period.nummer),
                    skapad=tid,
                )
                r = k.resultat.get(period.nummer)
                text = _satt_resultat(tillfalle, r) if r else ""
                tillfalle._change_reason = ctx.orsak_skapad
                tillfalle.save()
                tillfalle.log(
                    TimelineEntry.Typ.SKAPAT,
                    text=_("Importerad från %(fil)s (extern_id %(id)s)")
                    % {"fil": ctx.filnamn, "id": tillfalle.extern_id},
                    till_status=Tillfallestatus.VANTAR,
                    tid=tid,
                )
                if r:
                    _logga_resultat(tillfalle, r, text, ctx)

    @staticmethod
    def registrera(tillfalle, r: Resultatpost, ctx: Kontext) -> None:
        """Record a result the file adds to an occasion imported before."""
        text = _satt_resultat(tillfalle, r)
        tillfalle._change_reason = ctx.orsak_andrad
        tillfalle.save()
        _logga_resultat(tillfalle, r, text, ctx)


def _satt_resultat(tillfalle, r: Resultatpost) -> str:
    """Set an imported result by the browser's rules; the timeline's text."""
    text = tillfalle._resultat(av=None, **r.falt)
    tillfalle.status = Tillfallestatus.KLAR
    return text


def _logga_resultat(tillfalle, r: Resultatpost, text: str, ctx: Kontext) -> None:
    tillfalle.log(
        TimelineEntry.Typ.STATUS,
        text=_("%(text)s (importerat från %(fil)s)") % {"text": text, "fil": ctx.filnamn},
        fran_status=Tillfallestatus.VANTAR,
        till_status=Tillfallestatus.KLAR,
        tid=_tid(r.falt["kontrollerad"], ctx),
    )


def _beslut_text(post: Planpost) -> str:
    text = _("fastställd av nämnden %(datum)s") % {"datum": post.beslutad.isoformat()}
    if post.paragraf:
        text += ", § " + post.paragraf
    return text + ", dnr " + post.diarienummer


def _forkorta(text: str, langd: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= langd else text[: langd - 1] + "…"
