"""The `lexsarah` section of the import format (docs/import-format.md, docs/importera.md).

Lex Sarah cases keyed by `extern_id`, numbered LS-<year reported>-NNNN. What the format
calls things and where it goes in the model:

- `anmald_ivo` → `ivo_anmald`, `ivo_avslutad` → `ivo_beslut`, `sammanfattning` →
  `sammanfattning_namnd`; the status `anmald_ivo` (decided and notified, waiting for
  IVO) is the model's `beslutad`, with the date of the anmälan required;
- `planerade_atgarder` has no field of its own (the app's planned actions are
  improvement actions, which need a responsible person and a due date the format does
  not have): it is kept in `vidtagna_atgarder` under the investigation's heading
  "Planerade åtgärder – tidsplan";
- `kalla` is the `extern_id` of the avvikelse or synpunkt the case came from, in the
  same file or already imported: the case records it (`kalla_typ`, `kalla_id`, `vag`)
  and is linked to it ("Skapad från"), noted on both timelines. The file's avvikelser
  and synpunkter are written before this section, so the reference is resolved when
  the section is written; an unknown one stops the import, nothing is kept;
- `verksamhetsomrade` is the unit's (statistics count by the unit): the name is
  checked against the list, and a name other than the unit's gives a warning.

A case notified to IVO although its classification does not require it is imported
with a warning (historic data is loose); warnings are printed under the section's
summary line.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from kvalitet.bulk import infoga_rader
from kvalitet.importering import (
    TIDSLINJEFALT,
    UPPSLAG,
    ArendeSektion,
    Datum,
    EnhetFalt,
    Falt,
    Importfel,
    Kod,
    Lista,
    Namn,
    Namnregister,
    Ogiltigt,
    OmradeFalt,
    Text,
    Tidpunkt,
    bitar,
    inte_fore,
    json_typ,
    lokal_dag,
    okand_nyckel,
)
from kvalitet.models import CaseLink, Orsaksomrade, TimelineEntry, omraden_per_enhet

from .choices import (
    ANMALAN_KRAVS,
    OPPNA,
    Beslutsfattare,
    IvoUtfall,
    Kalla,
    Klassning,
    Risk,
    Status,
    Vag,
)
from .models import LexSarah

# The format's status `anmald_ivo`: decided and notified to IVO, waiting for IVO's
# decision – in the model a decided case (`beslutad`) with `ivo_anmald`.
ANMALD_IVO = "anmald_ivo"
STATUSAR = (
    Status.RAPPORTERAD,
    Status.UNDER_UTREDNING,
    Status.BESLUTAD,
    ANMALD_IVO,
    Status.AVSLUTAD,
)
BESLUTADE = (Status.BESLUTAD, ANMALD_IVO, Status.AVSLUTAD)

# The case types a `kalla` may name (app label, model), and the way a case from each
# starts. Looked up by name: case apps never import each other.
KALLOR = {("avvikelser", "Avvikelse"): Vag.AVVIKELSE, ("synpunkter", "Synpunkt"): Vag.SYNPUNKT}

PLANERADE_RUBRIK = "Planerade åtgärder – tidsplan"
FORLOPPSTEXT_MAX = 2000

# Model fields under the name the file gives them (timeline texts of updates).
FILNAMN = {
    "ivo_anmald": "anmald_ivo",
    "ivo_beslut": "ivo_avslutad",
    "sammanfattning_namnd": "sammanfattning",
    "kalla_id": "kalla",
}


def med_planerade(vidtagna: str, planerade: str) -> str:
    """The investigation's action plan in one text: the actions taken, then the planned
    ones under their heading."""
    if not planerade:
        return vidtagna
    planerat = f"{PLANERADE_RUBRIK}:\n{planerade}"
    return f"{vidtagna}\n\n{planerat}" if vidtagna else planerat


class Forlopp(Falt):
    """The händelseförlopp: a list of {"datum": "ÅÅÅÅ-MM-DD", "text": "..."}, stored in
    date order (events of the same day in the file's order)."""

    tomt = ()

    def __init__(self):
        super().__init__()
        self.datum = Datum(obligatorisk=True)
        self.text = Text(obligatorisk=True)

    def las(self, varde, path, ctx):
        if not isinstance(varde, list):
            raise Ogiltigt(_("ska vara en lista, inte %s") % json_typ(varde))
        handelser, fel = [], False
        for i, rad in enumerate(varde):
            plats = f"{path}[{i}]"
            if not isinstance(rad, dict):
                ctx.fel_vid(
                    plats,
                    _('ska vara ett objekt med "datum" och "text", inte %s') % json_typ(rad),
                )
                fel = True
                continue
            for nyckel in rad:
                if nyckel not in ("datum", "text"):
                    ctx.fel_vid(f"{plats}.{nyckel}", okand_nyckel(nyckel, ("datum", "text")))
                    fel = True
            lasta = {}
            for nyckel, falt in (("datum", self.datum), ("text", self.text)):
                if rad.get(nyckel) is None:
                    ctx.fel_vid(f"{plats}.{nyckel}", _("saknas (obligatorisk)"))
                    fel = True
                    continue
                try:
                    lasta[nyckel] = falt.las(rad[nyckel], f"{plats}.{nyckel}", ctx)
                except Ogiltigt as e:
                    if e.meddelande:
                        ctx.fel_vid(f"{plats}.{nyckel}", e.meddelande)
                    fel = True
            text = lasta.get("text")
            if text is not None and not text:
                ctx.fel_vid(f"{plats}.text", _("får inte vara tomt"))
                fel = True
            elif text is not None and len(text) > FORLOPPSTEXT_MAX:
                ctx.fel_vid(
                    f"{plats}.text",
                    _("får vara högst %(max)s tecken (den har %(antal)s)")
                    % {"max": FORLOPPSTEXT_MAX, "antal": len(text)},
                )
                fel = True
            if len(lasta) == 2:
                handelser.append({"datum": lasta["datum"].isoformat(), "text": text})
        if fel:
            raise Ogiltigt()
        return sorted(handelser, key=lambda h: h["datum"])


class LexSarahImport(ArendeSektion):
    """Lex Sarah cases keyed by `extern_id`, numbered LS-<year reported>-NNNN; written
    after the avvikelser and synpunkter they may come from (`kalla`)."""

    namn = "lexsarah"
    ordning = 40
    modell = LexSarah
    historik_dimensioner = {"klassning": Klassning}
    harledda = frozenset({"skapad", "tidsfrist", "vag", "kalla", "kalla_typ"})

    def __init__(self, ctx):
        super().__init__(ctx)
        self.orsaksomraden = Namnregister(
            Orsaksomrade, okand=_("okänt orsaksområde"), plural=_("orsaksområden")
        )
        self.m2m_referenser["orsaksomraden"] = self.orsaksomraden
        self.varningar: list[str] = []
        self.kallor: dict[int, str] = {}  # index of the post → the extern_id it came from
        self.sokvagar: list[str] = []  # the path of each post, by index
        self._omraden = None

    def schema(self):
        return {
            "extern_id": Text(obligatorisk=True),
            "enhet": EnhetFalt(obligatorisk=True),
            "handelsedatum": Datum(),
            "rapporterad": Tidpunkt(obligatorisk=True),
            "beskrivning": Text(obligatorisk=True),
            "klassning": Kod(Klassning),
            "anmald_ivo": Datum(),
            "ivo_avslutad": Datum(),
            "status": Kod(STATUSAR, obligatorisk=True),
            "avslutad": Tidpunkt(),
            "kalla": Text(),
            "utredning_inledd": Datum(),
            "beslutad": Datum(),
            "beslutsfattare": Kod(Beslutsfattare),
            "diarienummer": Text(),
            "ivo_diarienummer": Text(),
            "ivo_utfall": Kod(IvoUtfall),
            "verksamhetsomrade": OmradeFalt(),
            "omedelbara_atgarder": Text(),
            "bakgrund": Text(),
            "metod": Text(),
            "handelseforlopp": Forlopp(),
            "orsaker": Text(),
            "orsaksomraden": Lista(Namn(self.orsaksomraden)),
            "tidigare": Text(),
            "vidtagna_atgarder": Text(),
            "planerade_atgarder": Text(),
            "bedomning": Text(),
            "risk_for_upprepning": Kod(Risk),
            "sammanfattning": Text(),
            "forslag_till_beslut": Text(),
            "utredning_klar": Datum(),
        }

    def varna(self, path, meddelande):
        self.varningar.append(_("varning %(path)s: %(text)s") % {"path": path, "text": meddelande})

    # -- Validation --

    def bygg(self, v, felaktiga, path, ctx):
        """Cross-field rules of an imported lex Sarah case, and its derived fields."""
        index = len(self.sokvagar)
        self.sokvagar.append(path)
        rapporterad, status = v.get("rapporterad"), v.get("status")
        avslutad = v.get("avslutad")
        dag = lokal_dag(rapporterad) if rapporterad else None
        klassning, ivo_anmald, ivo_beslut = (
            v.get("klassning"),
            v.get("anmald_ivo"),
            v.get("ivo_avslutad"),
        )

        if "status" not in felaktiga:
            if "avslutad" not in felaktiga:
                if status == Status.AVSLUTAD and avslutad is None:
                    ctx.fel_vid(
                        f"{path}.avslutad", _("saknas; ett avslutat lex Sarah-ärende har ett datum")
                    )
                elif status != Status.AVSLUTAD and avslutad is not None:
                    ctx.fel_vid(
                        f"{path}.avslutad",
                        _('anges bara när status är "avslutad" (här "%s")') % status,
                    )
            if status == ANMALD_IVO and ivo_anmald is None and "anmald_ivo" not in felaktiga:
                ctx.fel_vid(
                    f"{path}.anmald_ivo",
                    _('saknas; status "anmald_ivo" kräver datumet då anmälan skickades till IVO'),
                )
            if v.get("beslutad") is not None and status not in BESLUTADE:
                ctx.fel_vid(
                    f"{path}.beslutad",
                    _(
                        'anges bara när ärendet är beslutat (status "beslutad", "anmald_ivo" '
                        'eller "avslutad"; här "%s")'
                    )
                    % status,
                )
        if ivo_beslut is not None and "anmald_ivo" not in felaktiga:
            if ivo_anmald is None:
                ctx.fel_vid(
                    f"{path}.ivo_avslutad",
                    _("IVO:s beslut förutsätter en anmälan; ange anmald_ivo"),
                )
            elif ivo_beslut < ivo_anmald:
                ctx.fel_vid(
                    f"{path}.ivo_avslutad", _("IVO kan inte ha beslutat innan anmälan skickades.")
                )
        if v.get("ivo_utfall") and ivo_beslut is None and "ivo_avslutad" not in felaktiga:
            ctx.fel_vid(
                f"{path}.ivo_utfall", _("anges med datumet för IVO:s beslut (ivo_avslutad)")
            )
        if dag is not None:
            if (h := v.get("handelsedatum")) and h > dag:
                ctx.fel_vid(
                    f"{path}.handelsedatum",
                    _("Händelsen kan inte ha inträffat efter att den rapporterades."),
                )
            for nyckel, meddelande in (
                ("anmald_ivo", _("Anmälan kan inte ha skickats innan rapporten kom in.")),
                ("utredning_inledd", _("Utredningen kan inte ha inletts innan rapporten kom in.")),
                (
                    "utredning_klar",
                    _("Utredningen kan inte ha blivit klar innan rapporten kom in."),
                ),
                ("beslutad", _("Ärendet kan inte ha beslutats innan rapporten kom in.")),
            ):
                if (d := v.get(nyckel)) and d < dag:
                    ctx.fel_vid(f"{path}.{nyckel}", meddelande)
            if avslutad and lokal_dag(avslutad) < dag:
                ctx.fel_vid(
                    f"{path}.avslutad", _("Ärendet kan inte ha avslutats innan det rapporterades.")
                )

        if ivo_anmald and klassning and klassning not in ANMALAN_KRAVS:
            self.varna(
                f"{path}.anmald_ivo",
                _('klassningen "%s" kräver ingen anmälan till IVO; ärendet importeras som anmält')
                % Klassning(klassning).label,
            )
        if (omrade := v.get("verksamhetsomrade")) and "enhet" not in felaktiga:
            self.kontrollera_omrade(path, v.get("enhet"), omrade, ctx)

        if kalla := v.get("kalla"):
            self.kallor[index] = kalla

        falt = {
            "enhet": v.get("enhet"),
            "handelsedatum": v.get("handelsedatum"),
            "rapporterad": rapporterad,
            "skapad": rapporterad,
            "beskrivning": v.get("beskrivning"),
            "vag": Vag.IMPORT,
            "kalla": Kalla.OVRIGT,
            "kalla_typ_id": None,
            "kalla_id": None,
            "status": Status.BESLUTAD if status == ANMALD_IVO else status,
            "avslutad": inte_fore(avslutad, rapporterad) if status == Status.AVSLUTAD else None,
            "klassning": klassning or "",
            "ivo_anmald": ivo_anmald,
            "ivo_beslut": ivo_beslut,
            "ivo_utfall": v.get("ivo_utfall") or "",
            "ivo_diarienummer": v.get("ivo_diarienummer", ""),
            "utredning_inledd": v.get("utredning_inledd"),
            "utredning_klar": v.get("utredning_klar"),
            "beslutad": v.get("beslutad"),
            "beslutsfattare": v.get("beslutsfattare") or "",
            "diarienummer": v.get("diarienummer", ""),
            "omedelbara_atgarder": v.get("omedelbara_atgarder", ""),
            "bakgrund": v.get("bakgrund", ""),
            "metod": v.get("metod", ""),
            "handelseforlopp": list(v.get("handelseforlopp") or []),
            "orsaker": v.get("orsaker", ""),
            "tidigare": v.get("tidigare", ""),
            "vidtagna_atgarder": med_planerade(
                v.get("vidtagna_atgarder", ""), v.get("planerade_atgarder", "")
            ),
            "bedomning": v.get("bedomning", ""),
            "risk_for_upprepning": v.get("risk_for_upprepning") or "",
            "sammanfattning_namnd": v.get("sammanfattning", ""),
            "forslag_till_beslut": v.get("forslag_till_beslut", ""),
        }
        falt["tidsfrist"] = tidsfrist(falt) if rapporterad else None
        # Model validation (lengths, the model's own rules) of the fields read without
        # error; a key that could not be read is reported once, at its own path.
        fran_fil = {
            "handelsedatum": "handelsedatum",
            "rapporterad": "rapporterad",
            "beskrivning": "beskrivning",
            "status": "status",
            "avslutad": "avslutad",
            "klassning": "klassning",
            "ivo_anmald": "anmald_ivo",
            "ivo_beslut": "ivo_avslutad",
            "ivo_utfall": "ivo_utfall",
            "ivo_diarienummer": "ivo_diarienummer",
            "utredning_inledd": "utredning_inledd",
            "utredning_klar": "utredning_klar",
            "beslutad": "beslutad",
            "beslutsfattare": "beslutsfattare",
            "diarienummer": "diarienummer",
            "omedelbara_atgarder": "omedelbara_atgarder",
            "bakgrund": "bakgrund",
            "metod": "metod",
            "handelseforlopp": "handelseforlopp",
            "orsaker": "orsaker",
            "tidigare": "tidigare",
            "bedomning": "bedomning",
            "risk_for_upprepning": "risk_for_upprepning",
            "sammanfattning_namnd": "sammanfattning",
            "forslag_till_beslut": "forslag_till_beslut",
        }
        validerade = {f for f, nyckel in fran_fil.items() if nyckel not in felaktiga}
        if not {"vidtagna_atgarder", "planerade_atgarder"} & felaktiga:
            validerade.add("vidtagna_atgarder")
        return falt, {"orsaksomraden": v.get("orsaksomraden") or []}, validerade

    def kontrollera_omrade(self, path, kod, omrade_id, ctx):
        """A verksamhetsområde other than the unit's (in the database) is a warning: the
        statistics count the case by its unit."""
        enhet = ctx.enheter.get(kod) if kod else None
        if enhet is None or enhet.pk is None:
            return
        if self._omraden is None:
            self._omraden = omraden_per_enhet()
        enhetens = self._omraden.get(enhet.pk)
        if enhetens is not None and enhetens[0] != omrade_id:
            self.varna(
                f"{path}.verksamhetsomrade",
                _(
                    'enheten %(enhet)s hör till verksamhetsområdet "%(omrade)s"; ärendet '
                    "räknas där (verksamhetsområdet följer enheten)"
                )
                % {"enhet": enhet.kod, "omrade": enhetens[1]},
            )

    def validera(self, rader, ctx):
        super().validera(rader, ctx)
        forsta: dict[str, int] = {}
        for index, kalla in self.kallor.items():
            if kalla in forsta:
                ctx.fel_vid(
                    f"{self.sokvagar[index]}.kalla",
                    _(
                        '"%(kalla)s" är redan källa till %(forsta)s; ett ärende kan bara ge upphov '
                        "till ett lex Sarah-ärende"
                    )
                    % {"kalla": kalla, "forsta": self.sokvagar[forsta[kalla]]},
                )
            else:
                forsta[kalla] = index

    # -- Writing --

    def skriv(self, ctx):
        # Names of cause areas another section of the file has just created.
        register = Namnregister(
            Orsaksomrade, okand=_("okänt orsaksområde"), plural=_("orsaksområden")
        )
        register.saknade = self.orsaksomraden.saknade
        self.m2m_referenser["orsaksomraden"] = register

        kallor = self.hitta_kallor(ctx)
        for index, (typ, pk, vag) in kallor.items():
            post = self.poster[index]
            post.falt.update(kalla_typ_id=typ, kalla_id=pk, vag=vag)
            post.obj.kalla_typ_id, post.obj.kalla_id, post.obj.vag = typ, pk, vag
        res = super().skriv(ctx)
        self.lanka(kallor, ctx)
        res.anteckningar.extend(self.varningar)
        return res

    def hitta_kallor(self, ctx) -> dict[int, tuple[int, int, str]]:
        """The record each `kalla` names – among the avvikelser and synpunkter, those of
        this file already written – as (content type id, id, vag) by post index. An
        unknown or ambiguous one, or one that already gave rise to another lex Sarah
        case, stops the import (`Importfel`): nothing is kept."""
        if not self.kallor:
            return {}
        namn = sorted(set(self.kallor.values()))
        traffar: dict[str, list[tuple[int, int, str, str]]] = {}
        for (app, modellnamn), vag in KALLOR.items():
            try:
                modell = apps.get_model(app, modellnamn)
            except LookupError:
                continue
            ct = ContentType.objects.get_for_model(modell)
            for bit in bitar(namn, UPPSLAG):
                for extern_id, pk, nummer in modell.objects.filter(extern_id__in=bit).values_list(
                    "extern_id", "pk", "nummer"
                ):
                    traffar.setdefault(extern_id, []).append((ct.pk, pk, vag, nummer))

        fel, kallor = [], {}
        for index, kalla in sorted(self.kallor.items()):
            path = f"{self.sokvagar[index]}.kalla"
            hittade = traffar.get(kalla, [])
            if not hittade:
                fel.append(
                    (
                        path,
                        _('okänd källa "%s": ingen avvikelse eller synpunkt har det extern_id')
                        % kalla,
                    )
                )
            elif len(hittade) > 1:
                fel.append(
                    (
                        path,
                        _(
                            '"%(kalla)s" är extern_id för flera ärenden (%(nummer)s); källan är '
                            "tvetydig"
                        )
                        % {"kalla": kalla, "nummer": ", ".join(h[3] for h in hittade)},
                    )
                )
            else:
                typ, pk, vag, _nummer = hittade[0]
                kallor[index] = (typ, pk, vag)

        # A record gives rise to one lex Sarah case (the model's constraint).
        upptagna = {}
        for typ, pk, _vag in kallor.values():
            upptagna.setdefault(typ, []).append(pk)
        andra = {}
        for typ, pks in upptagna.items():
            for bit in bitar(pks, UPPSLAG):
                for kalla_id, extern_id, nummer in LexSarah.objects.filter(
                    kalla_typ_id=typ, kalla_id__in=bit
                ).values_list("kalla_id", "extern_id", "nummer"):
                    andra[(typ, kalla_id)] = (extern_id, nummer)
        for index, (typ, pk, _vag) in sorted(kallor.items()):
            befintligt = andra.get((typ, pk))
            if befintligt and befintligt[0] != self.poster[index].extern_id:
                fel.append(
                    (
                        f"{self.sokvagar[index]}.kalla",
                        _('"%(kalla)s" har redan gett upphov till lex Sarah-ärendet %(nummer)s')
                        % {"kalla": self.kallor[index], "nummer": befintligt[1]},
                    )
                )
        if fel:
            raise Importfel(fel)
        return kallor

    def lanka(self, kallor, ctx):
        """Link each case to the record it came from ("Skapad från"), unless already
        linked, noted on both timelines at the time the case was reported."""
        if not kallor:
            return
        ls_typ = ContentType.objects.get_for_model(LexSarah).pk
        extern = {self.poster[i].extern_id: i for i in kallor}
        arenden = {}
        for bit in bitar(list(extern), UPPSLAG):
            for extern_id, pk, nummer, rapporterad in LexSarah.objects.filter(
                extern_id__in=bit
            ).values_list("extern_id", "pk", "nummer", "rapporterad"):
                arenden[extern[extern_id]] = (pk, nummer, rapporterad)
        befintliga = set()
        for bit in bitar([a[0] for a in arenden.values()], UPPSLAG):
            for rad in CaseLink.objects.filter(fran_typ_id=ls_typ, fran_id__in=bit).values_list(
                "fran_id", "till_typ_id", "till_id"
            ):
                befintliga.add(rad)
            for till_id, fran_typ, fran_id in CaseLink.objects.filter(
                till_typ_id=ls_typ, till_id__in=bit
            ).values_list("till_id", "fran_typ_id", "fran_id"):
                befintliga.add((till_id, fran_typ, fran_id))
        nya = [
            (index, arenden[index], kallor[index])
            for index in sorted(kallor)
            if (arenden[index][0], kallor[index][0], kallor[index][1]) not in befintliga
        ]
        if not nya:
            return
        nummer = {}
        for typ in {k[0] for _i, _a, k in nya}:
            modell = ContentType.objects.get_for_id(typ).model_class()
            pks = [k[1] for _i, _a, k in nya if k[0] == typ]
            for bit in bitar(pks, UPPSLAG):
                for pk, nr in modell.objects.filter(pk__in=bit).values_list("pk", "nummer"):
                    nummer[(typ, pk)] = nr
        infoga_rader(
            CaseLink,
            ["fran_typ_id", "fran_id", "till_typ_id", "till_id", "typ", "kommentar", "skapad"],
            [
                (ls_typ, pk, typ, kalla_id, CaseLink.Typ.SKAPAD_FRAN.value, "", tid)
                for _i, (pk, _nr, tid), (typ, kalla_id, _vag) in nya
            ],
        )
        skapad_fran = CaseLink.Typ.SKAPAD_FRAN.label
        gav_upphov = CaseLink.OMVAND[CaseLink.Typ.SKAPAD_FRAN]
        rader = []
        for _i, (pk, nr, tid), (typ, kalla_id, _vag) in nya:
            text = f"{skapad_fran}: {nummer[(typ, kalla_id)]}"
            rader.append((ls_typ, pk, TimelineEntry.Typ.LANK.value, text, "", "", tid))
            rader.append(
                (typ, kalla_id, TimelineEntry.Typ.LANK.value, f"{gav_upphov}: {nr}", "", "", tid)
            )
        infoga_rader(TimelineEntry, TIDSLINJEFALT, rader)

    def _andringstext(self, diff, m2m_diff, ctx) -> str:
        """The keys of the file whose values changed, under the file's names."""
        namn = {self.modell._meta.get_field(a).name for a in diff} | set(m2m_diff)
        nycklar = ", ".join(sorted(FILNAMN.get(n, n) for n in namn - self.harledda))
        if not nycklar:
            return _("Ändrad vid import från %(fil)s") % {"fil": ctx.filnamn}
        return _("Ändrad vid import från %(fil)s: %(falt)s") % {
            "fil": ctx.filnamn,
            "falt": nycklar,
        }


def tidsfrist(falt):
    """The deadline the model's save() sets (`LexSarah.save`): the earliest target date
    of a step the file does not record as done, while the case is open; None once closed."""
    if falt["status"] not in OPPNA:
        return None
    ls = LexSarah(
        rapporterad=falt["rapporterad"],
        status=falt["status"],
        klassning=falt["klassning"],
        utredning_inledd=falt["utredning_inledd"],
        beslutad=falt["beslutad"],
        ivo_anmald=falt["ivo_anmald"],
    )
    vantande = [f.datum for f in ls.frister() if f.vantar]
    return min(vantande) if vantande else None
