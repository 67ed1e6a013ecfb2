"""Demo kvalitetsberättelse for `seed_demo`: last year's report, written and decided, so
that the nämnd's demo login has a report to read and this year's draft has last year's
focus areas to follow up.

Before it, the figures a municipality brings from its earlier system are imported like
any import file: yearly history for the years before go-live and the go-live date of
each series (`driftstart`, 1 March last year). The demo cases reach back about two
years, so without a go-live date a few cases of the year before last would hide that
year's history in the comparison (docs/siffror.md).

The report's chapter texts are written from its own figures (`demotexter`): the demo
cases are dated relative to today, so a text with fixed counts or trends would
contradict the tables beside it on some days."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kvalitet import importering
from kvalitet.demo import Demo

from .models import Kvalitetsberattelse, standard_brytdatum
from .siffror import berakna

# The chapters' text, as staben writes it after reading the year's figures. The demo
# cases are placed relative to today (the risk register and the internkontroll partly on
# fixed dates), so what last year holds – how many avvikelser, which categories, whether
# IVO had decided – changes with the day `seed_demo` runs. A text with a figure or a
# trend of its own would contradict the tables beside it on some day; so every claim
# about the year is chosen from the figures the report shows (`berakna`, the figures
# deciding freezes), and the text repeats no count the tables give.
# Every chapter is written: a report is decided only without default or instruction
# text (DOMAIN.md §5), so the demo's decided PDF shows no writing instructions.

SYFTE = (
    "Kvalitet är för förvaltningen att de som får stöd och service av socialtjänsten "
    "får det i rätt tid, på rätt sätt och enligt de krav som gäller. Ledningssystemet "
    "är verktyget för det: där planeras, genomförs, följs upp och förbättras arbetet.\n\n"
    "### Så följs arbetet upp\n\n"
    "- Varje enhet går igenom sina avvikelser och klagomål på arbetsplatsträffen.\n"
    "- Ledningsgruppen följer upp öppna åtgärder varje månad.\n"
    "- Kvalitetssamordnaren sammanställer året i denna kvalitetsberättelse."
)
FOKUS = (
    "Utifrån årets resultat prioriterar förvaltningen följande områden:\n\n"
    "1. **Säkra utskick:** färre avvikelser där handlingar skickas till fel mottagare.\n"
    "2. **Svar i tid:** klagomål besvaras inom riktlinjens {svarstid} dagar.\n"
    "3. **Utvärderade åtgärder:** varje förbättrande åtgärd får sin effekt utvärderad."
)
# The avvikelse category of the demo's letters and e-mails sent to the wrong recipient
# (avvikelser.demo), and the row the figures give cases without a category.
SEKRETESS = "Sekretess"
EJ_KATEGORISERAD = "Ej kategoriserad"
RUTINER = "Processer och rutiner"
MANADER = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip


def manad(dag: str) -> str:
    """The month of an ISO date in words: "september"."""
    return MANADER[date.fromisoformat(dag).month - 1]


def namnge(namn: list[str]) -> str:
    """Names quoted as a text quotes them: ”A”, ”A” och ”B”."""
    citerade = [f"”{n}”" for n in namn]
    return citerade[0] if len(citerade) == 1 else ", ".join(citerade[:-1]) + " och " + citerade[-1]


def vanligast(rader: list[dict]) -> list[str]:
    """The names of the rows with the largest count, if they stand out: at most two of
    them, and not every row alike. Empty when nothing stands out or nothing was counted."""
    rader = [r for r in rader if r["antal"]]
    if not rader:
        return []
    hogst = max(r["antal"] for r in rader)
    forsta = [r["namn"] for r in rader if r["antal"] == hogst]
    if len(forsta) > 2 or (len(rader) > 1 and len(forsta) == len(rader)):
        return []
    return forsta


def antal_av(rader: list[dict], varde: str) -> int:
    return sum(r["antal"] for r in rader if r["varde"] == varde)


def ental(namn: list[str], en: str, flera: str) -> str:
    return en if len(namn) == 1 else flera


def om_kategorierna(rader: list[dict], bestamd: str, obestamd: str) -> str:
    """The sentence on the most common category of the cases (`bestamd` "Avvikelserna",
    `obestamd` "avvikelser"), or on their spread; empty when none has a category. Cases
    without one are no category: if they are as many as the largest, the sentence says
    it counts those with a category."""
    kategoriserade = [r for r in rader if r["antal"] and r["namn"] != EJ_KATEGORISERAD]
    if not kategoriserade:
        return ""
    kategorier = vanligast(kategoriserade)
    if not kategorier:
        return f"{bestamd} var spridda över flera kategorier."
    ord_ = ental(kategorier, "kategorin", "kategorierna")
    hogst = max(r["antal"] for r in kategoriserade)
    if sum(r["antal"] for r in rader if r["namn"] == EJ_KATEGORISERAD) >= hogst:
        return f"Av de {obestamd} som hade en kategori gällde flest {ord_} {namnge(kategorier)}."
    return f"{bestamd} gällde oftast {ord_} {namnge(kategorier)}."


def stycken(*delar: list[str]) -> str:
    """Paragraphs, each of the sentences given (empty ones left out)."""
    return "\n\n".join(" ".join(m for m in d if m) for d in delar if any(d))


def trend_avvikelser(avv: dict) -> str:
    """The report year's avvikelser against the year before, as the chapter's comparison
    shows them: "okat", "minskat", "lika", or "" when there is nothing to compare."""
    if len(avv["over_tid"]) < 2:
        return ""
    forra, aret = avv["over_tid"][-2:]
    if forra["totalt"] is None or aret["totalt"] is None:
        return ""
    if aret["totalt"] == forra["totalt"]:
        return "lika"
    return "okat" if aret["totalt"] > forra["totalt"] else "minskat"


def text_inledning(avv: dict) -> str:
    trend = trend_avvikelser(avv)
    delar = avv["over_tid"][-1].get("delar_fran") if avv["over_tid"] else None
    if trend == "okat":
        jamforelse = [
            "Fler avvikelser rapporterades under året än året innan"
            + (f", fast ledningssystemet användes först från {manad(delar)}" if delar else "")
            + ".",
            "Vi ser det som ett tecken på att medarbetarna har blivit bättre på att "
            "rapportera, inte på att verksamheten har blivit sämre.",
        ]
    elif trend == "minskat":
        jamforelse = [
            "Färre avvikelser rapporterades under året än året innan.",
            f"Året räknas från driftstarten i {manad(delar)} och är ett delår, så "
            "jämförelsen säger ännu lite om utvecklingen."
            if delar
            else "Vi följer upp om det beror på färre händelser eller på att färre rapporterar.",
        ]
    elif trend == "lika":
        jamforelse = ["Lika många avvikelser rapporterades under året som året innan."]
    else:
        jamforelse = []
    if antal_av(avv["per_kategori"], SEKRETESS) > 1:
        jamforelse.append(
            "Flera av årets avvikelser gällde sekretess; säkra utskick är därför ett av "
            "fokusområdena för nästa år."
        )
    return stycken(
        [
            "Året präglades av arbetet med att samla förvaltningens kvalitetsarbete i ett "
            "gemensamt ledningssystem. Avvikelser, synpunkter och klagomål registreras nu "
            "på ett ställe, och förbättringsarbetet följs upp på varje ledningsgrupp."
        ],
        jamforelse,
    )


def text_synpunkter(syn: dict) -> str:
    if not syn["totalt"]:
        return (
            "Inga synpunkter eller klagomål kom in under året. E-tjänsten för synpunkter "
            "och klagomål ska bli mer känd, så att de som vill lämna en synpunkt vet hur."
        )
    if antal_av(syn["per_typ"], "klagomal"):
        klagomal = om_kategorierna(syn["klagomal_per_kategori_och_vag"], "Klagomålen", "klagomål")
    else:
        klagomal = "Inga klagomål kom in under året."
    direkt = antal_av(syn["direkt_eller_ivo"], "direkt")
    via_ivo = antal_av(syn["direkt_eller_ivo"], "via_ivo")
    if via_ivo > direkt:
        vag = (
            "Fler ärenden kom via IVO än direkt till förvaltningen. Det tyder på att många "
            "inte vet att de kan vända sig direkt till oss; e-tjänsten för synpunkter och "
            "klagomål ska därför bli mer känd."
        )
    else:
        vag = "De flesta ärenden kom direkt till förvaltningen." if direkt > via_ivo else ""
    berom = (
        "Beröm förs vidare till de medarbetare och enheter det gäller."
        if antal_av(syn["per_typ"], "berom")
        else "Inget beröm registrerades under året. Också beröm som lämnas muntligt ska "
        "registreras, så att det når de medarbetare det gäller."
    )
    svar = syn["svar"]
    if svar["ej_i_tid"]:
        i_tid = (
            f"Inte alla klagomål besvarades inom riktlinjens {svar['frist_dagar']} dagar. "
            "Varje enhet har därför fått en utsedd mottagare av klagomål, så att inget "
            "ärende blir liggande."
        )
    elif svar["forfallna"]:
        i_tid = (
            "Alla klagomål som skulle ha besvarats fick svar inom riktlinjens "
            f"{svar['frist_dagar']} dagar."
        )
    else:
        i_tid = ""
    brustit = (
        "Där verksamheten hade brustit har enheterna gått igenom vad som behöver ändras."
        if syn["utfall"]["brustit"]
        else ""
    )
    return stycken([klagomal, vag], [berom, i_tid, brustit])


def text_avvikelser(avv: dict) -> str:
    tillbud = (
        "Tillbuden redovisas för sig: de är en arbetsmiljöfråga och ingår inte i "
        "avvikelsernas antal eller trender."
        if avv["tillbud"]["totalt"]
        else ""
    )
    if not avv["totalt"]:
        return stycken(["Inga avvikelser rapporterades under året."], [tillbud])
    vad = om_kategorierna(avv["per_kategori"], "Avvikelserna", "avvikelser")
    orsaker = vanligast(avv["per_orsaksomrade"])
    if orsaker:
        ord_ = ental(orsaker, "orsaksområdet", "orsaksområdena")
        varfor = f"Utredningarna pekade oftast på {ord_} {namnge(orsaker)}" + (
            ": rutiner som saknades eller inte var kända av alla, snarare än enskilda "
            "medarbetares misstag."
            if orsaker == [RUTINER]
            else "."
        )
    else:
        varfor = ""
    return stycken([vad, varfor], [tillbud])


def text_lexsarah(ls: dict) -> str:
    if not ls["totalt"]:
        return (
            "Inga rapporter enligt lex Sarah kom in under året. Skyldigheten att rapportera "
            "missförhållanden tas upp på arbetsplatsträffarna, så att alla medarbetare "
            "känner till den."
        )
    anonymt = (
        ""
        if ls["visa_fordelningar"]
        else "Rapporterna var få och beskrivs därför inte närmare här, så att ingen "
        "enskild händelse kan kännas igen."
    )
    if ls["anmalda"]:
        ivo = "De missförhållanden som bedömdes som allvarliga anmäldes till IVO."
    else:
        ivo = "Inga av årets rapporter anmäldes till IVO." if ls["bedomda"] else ""
    uppfoljning = ls["uppfoljning"]
    if uppfoljning["sent"] or uppfoljning["ej_uppfoljda"]:
        foljt = (
            "Inte alla åtgärdsplaner följdes upp i tid; uppföljningen bevakas nu i ledningsgruppen."
        )
    elif uppfoljning["forfallna"]:
        foljt = "De åtgärdsplaner som skulle ha följts upp under året följdes upp i tid."
    else:
        foljt = ""
    return stycken(
        [
            "Rapporterna enligt lex Sarah utreds, och det utredningarna visar gås igenom i "
            "ledningsgruppen.",
            anonymt,
        ],
        [ivo, foljt],
    )


def text_tillsyn(tillsyn: dict) -> str:
    if not tillsyn["rader"]:
        return (
            "IVO inledde ingen tillsyn av förvaltningens verksamheter under året. "
            "Förvaltningen följer vad IVO:s tillsyn i andra kommuner visar."
        )
    meningar = []
    for r in tillsyn["rader"]:
        typ = r["typ"][:1].lower() + r["typ"][1:]
        meningar.append(f"IVO inledde i {manad(r['inleddes'])} en {typ} av {r['enhet']}.")
        meningar.append(
            f"IVO har beslutat i den (”{r['utfall']}”), och förvaltningen följer upp beslutet."
            if r["beslut"]
            else "IVO hade inte beslutat i den vid brytdatum; beslutet och vad det leder "
            "till redovisas när det har kommit."
        )
    return stycken(meningar)


def text_riskhantering(risk: dict) -> str:
    analyser = [
        f"{a['enhet']} gjorde en riskanalys i {manad(a['datum'])}" for a in risk["riskanalyser"]
    ]
    if risk["versioner"]:
        namnd = f"nämnden fastställde registret i {manad(risk['versioner'][-1]['datum'])}"
    else:
        namnd = "nämnden fastställde inget nytt riskregister under året"
    arbete = ", ".join([*analyser, f"och {namnd}"]) if analyser else namnd
    realiserade = [r["titel"] for r in risk["realiserade"]]
    hogsta = vanligast([{"namn": r["titel"], "antal": r["varde"]} for r in risk["hogsta"]])
    return stycken(
        [
            "Förvaltningen för ett riskregister över det som kan hända i verksamheten och "
            "vad det skulle betyda för den enskilde.",
            arbete[:1].upper() + arbete[1:] + ".",
        ],
        [
            f"Under året inträffade händelser som realiserade "
            f"{ental(realiserade, 'risken', 'riskerna')} {namnge(realiserade)}; de har "
            "kopplats till riskerna i registret, så att det syns vilka risker som faktiskt "
            "har inträffat."
            if realiserade
            else "",
            f"Högst bedömdes vid årets slut {ental(hogsta, 'risken', 'riskerna')} {namnge(hogsta)}."
            if hogsta
            else "",
        ],
    )


# At most this many names in a sentence; more are "flera", and the table names them.
HOGST_NAMNGIVNA = 3


def namnge_fa(namn: list[str]) -> str:
    """Names quoted as `namnge` does, or "" when there are more than HOGST_NAMNGIVNA."""
    return namnge(namn) if 0 < len(namn) <= HOGST_NAMNGIVNA else ""


def unika(namn) -> list[str]:
    """`namn` in order, each once."""
    return list(dict.fromkeys(namn))


# What the chapter says was done within the processes, per kind of event
# (processer.choices.Handelsetyp): the sentence with the names, and the one without.
HANDELSER = (
    (
        "kartlagd",
        "Under året kartlades arbetet inom {namn}.",
        "Under året kartlades arbetet inom flera processer; de står i tabellen nedan.",
    ),
    (
        "reviderad",
        "Revideringar gjordes inom {namn}.",
        "Revideringar gjordes inom flera processer; de står i tabellen nedan.",
    ),
    (
        "publicerad",
        "Nya versioner publicerades inom {namn}, så att medarbetarna har de gällande rutinerna.",
        "Nya versioner publicerades inom flera processer, så att medarbetarna har de "
        "gällande rutinerna.",
    ),
)


def text_processer(pr: dict) -> str:
    """Chapter 3 from its figures (`processer.statistik.processer_siffror`): the process
    map in words, the processes established and discontinued, and within which
    processes something was mapped, revised or published – named when they are few, and
    said honestly when nothing was revised."""
    if not pr["totalt"]:
        karta = [
            "Inga processer var i bruk i ledningssystemet vid årets slut. Processkartan "
            "byggs upp under nästa år, med processägare, mål och nyckeltal för varje "
            "process."
        ]
    else:
        karta = [
            "Processkartan nedan visar förvaltningens processer i bruk vid årets slut, "
            "ordnade som kärnprocesser, ledningsprocesser och stödprocesser."
        ]
    for nyckel, verb in (("inrattade", "inrättades"), ("avvecklade", "avvecklades")):
        namn = unika(p["namn"] for p in pr[nyckel])
        if namnge_fa(namn):
            ord_ = ental(namn, "Processen", "Processerna")
            karta.append(f"{ord_} {namnge(namn)} {verb} under året.")
        elif namn:
            karta.append(f"Flera processer {verb} under året; de står i tabellen nedan.")
    gjort = []
    for varde, mening, flera in HANDELSER:
        namn = unika(h["process"] for h in pr["handelser"] if h["varde"] == varde)
        if namnge_fa(namn):
            gjort.append(mening.format(namn=namnge(namn)))
        elif namn:
            gjort.append(flera)
    if not any(h["varde"] == "reviderad" for h in pr["handelser"]):
        gjort.append(
            "Ingen process och inget styrdokument reviderades under året; översynen av "
            "rutinerna fortsätter nästa år."
        )
    return stycken(karta, gjort)


def text_mal(mal: dict) -> str:
    """Chapter 10 from its figures (`processer.statistik.mal_siffror`): whether the
    measured key figures reached their targets – those that did not named when they are
    few – and honestly what was not measured or had no target."""
    summering = mal["summering"]
    if not mal["processer"]:
        return (
            "Inga processer med mål och nyckeltal fanns i ledningssystemet under året. Mål "
            "och nyckeltal sätts när processerna beskrivs."
        )
    if not summering["antal"]:
        resultat = [
            "Inget av processernas nyckeltal hade ett målvärde för året, så målen kunde "
            "inte följas upp mot nyckeltalen. Målvärden sätts för varje nyckeltal inför "
            "nästa år."
        ]
    else:
        ej_nadda = unika(
            r["namn"] for p in mal["processer"] for r in p["nyckeltal"] if r["uppnatt"] is False
        )
        if namnge_fa(ej_nadda):
            ord_ = ental(ej_nadda, "nyckeltalet", "nyckeltalen")
            resultat = [
                f"Målet nåddes inte för {ord_} {namnge(ej_nadda)}; orsakerna har analyserats "
                "med processägarna och åtgärderna följs upp i ledningsgruppen."
            ]
        elif ej_nadda:
            resultat = [
                "Flera nyckeltal nådde inte sina mål; orsakerna har analyserats med "
                "processägarna och åtgärderna följs upp i ledningsgruppen."
            ]
        elif summering["uppnadda"]:
            resultat = ["Alla nyckeltal som mättes nådde sina mål."]
        else:
            resultat = []
        if ej_nadda and summering["uppnadda"]:
            resultat.append("Övriga nyckeltal som mättes nådde sina mål.")
        if summering["ej_matta"]:
            resultat.append(
                "Inte alla nyckeltal hade mätts när siffrorna togs fram; de som saknar "
                "utfall redovisas som inte mätta."
            )
    utan_mal = (
        [
            "Nyckeltal utan målvärde för året har inte följts upp mot ett mål; de anges "
            "under respektive process och får målvärden inför nästa år."
        ]
        if summering["utan_mal"]
        else []
    )
    return stycken(resultat, utan_mal)


def andel_ja(svar: dict | None) -> float | None:
    """The share of "ja" among the applicable answers of a review area, as the table
    shows it in per cent or as "7 av 9"; None without answers."""
    if not svar or not svar["tillampliga"]:
        return None
    return svar["ja"] / svar["tillampliga"]


def text_egenkontroll(ek: dict) -> str:
    if ek["plan"] is None:
        internkontroll = ["Nämnden hade ingen fastställd internkontrollplan för året."]
    else:
        tillfallen = ek["tillfallen"]
        if tillfallen["forsenade"]:
            plan = (
                "Inte alla kontrolltillfällen i internkontrollplanen var genomförda i tid; "
                "de försenade följs upp i ledningsgruppen."
            )
        elif tillfallen["klara"]:
            plan = "Internkontrollplanens kontroller genomfördes enligt planen."
        else:
            plan = ""
        med_brister = ek["med_brister"]
        vasentliga = [
            r["kontrollmoment"] for r in med_brister if r["bedomning"] == "vasentliga_brister"
        ]
        mindre = [r["kontrollmoment"] for r in med_brister if r["bedomning"] == "mindre_brister"]
        if vasentliga:
            brister = (
                f"{ental(vasentliga, 'Kontrollen', 'Kontrollerna')} {namnge(vasentliga)} "
                "visade väsentliga brister" + ("; övriga brister var mindre." if mindre else ".")
            )
        elif mindre:
            brister = (
                f"Kontrollen {namnge(mindre)} visade mindre brister."
                if len(mindre) == 1
                else "Kontrollerna visade bara mindre brister."
            )
        else:
            brister = "Ingen kontroll visade brister." if ek["resultat_totalt"] else ""
        atgarder = sum(r["antal"] for r in ek["atgarder"])
        if atgarder:
            brister += " Resultaten ledde till " + (
                "en förbättrande åtgärd." if atgarder == 1 else "förbättrande åtgärder."
            )
        internkontroll = [plan, brister]
    granskningar = []
    for g in ek["egenkontroll"]["kollegiala_granskningar"]:
        andelar = [(o["namn"], andel_ja(o["nu"])) for o in g["omraden"]]
        andelar = [(namn, andel) for namn, andel in andelar if andel is not None]
        # The lowest share stands out as the largest share of other answers.
        svagast = (
            vanligast([{"namn": namn, "antal": 1 - andel} for namn, andel in andelar])
            if len(andelar) > 1
            else []
        )
        if not svagast:
            continue
        nu, forra = andel_ja(g["totalt"]), andel_ja(g["forra_totalt"])
        if forra is None or nu == forra:
            jamfort = ""
        else:
            jamfort = (
                f" Sammantaget var andelen {'högre' if nu > forra else 'lägre'} än förra omgången."
            )
        granskningar.append(
            f"I den kollegiala granskningen av akter inom {g['enhet']} var andelen ”ja” "
            f"lägst inom {ental(svagast, 'området', 'områdena')} {namnge(svagast)}; det "
            f"följs upp i nästa omgång.{jamfort}"
        )
    return stycken(internkontroll, granskningar)


def text_atgarder(atg: dict) -> str:
    if not atg["beslutade"]:
        arets = ["Inga förbättrande åtgärder beslutades under året."]
    else:
        typer = vanligast(atg["per_typ"])
        kallor = vanligast(atg["per_kalla"])
        if atg["utvarderade"] < atg["genomforda"]:
            utvarderade = (
                "Inte alla genomförda åtgärder har fått sin effekt utvärderad än; därför är "
                "utvärdering ett av fokusområdena för nästa år."
            )
        else:
            utvarderade = (
                "Alla genomförda åtgärder har fått sin effekt utvärderad."
                if atg["genomforda"]
                else ""
            )
        arets = [
            f"Den vanligaste typen av åtgärd var {namnge(typer)}." if len(typer) == 1 else "",
            f"Flest åtgärder kom från {ental(kallor, 'källan', 'källorna')} {namnge(kallor)}."
            if kallor
            else "",
            utvarderade,
            "Inte alla åtgärder var klara vid sitt slutdatum; de följs upp i ledningsgruppen."
            if atg["forsenade_vid_brytdatum"]
            else "",
        ]
    forra = (
        "Förra årets fokusområden, som de står nedan, har följts upp på ledningsgruppen."
        if atg["fokus_forra_aret"]
        else "Förra årets fokusområden skrevs innan ledningssystemet togs i bruk och "
        "finns inte i det; de har följts upp på ledningsgruppen."
    )
    return stycken(arets, [forra])


def demotexter(siffror: dict, *, svarstid: int) -> dict[str, str]:
    """Every chapter's text for the year of `siffror` (`berakna`), by chapter slug."""
    k = siffror["kapitel"]
    return {
        "inledning": text_inledning(k["avvikelser"]),
        "syfte": SYFTE,
        "processer": text_processer(k["processer"]),
        "synpunkter": text_synpunkter(k["synpunkter"]),
        "avvikelser": text_avvikelser(k["avvikelser"]),
        "lexsarah": text_lexsarah(k["lexsarah"]),
        "tillsyn": text_tillsyn(k["tillsyn"]),
        "riskhantering": text_riskhantering(k["riskhantering"]),
        "egenkontroll": text_egenkontroll(k["egenkontroll"]),
        "atgarder": text_atgarder(k["atgarder"]),
        "mal": text_mal(k["mal"]),
        "fokus": FOKUS.format(svarstid=svarstid),
    }


# Yearly history of the earlier system, oldest year first: avvikelser (without tillbud,
# docs/siffror.md) and synpunkter by type (klagomål, synpunkter, beröm, förslag, frågor).
HISTORIK_AVVIKELSER = (19, 21, 22, 24)
HISTORIK_SYNPUNKTER = ((9, 3, 2, 1, 1), (10, 4, 2, 1, 1), (8, 4, 3, 1, 2), (11, 3, 2, 2, 1))
SYNPUNKTSTYPER = ("klagomal", "synpunkt", "berom", "forslag", "fraga")


def demoimport(idag: date) -> dict:
    """The demo's import file: go-live on 1 March last year for avvikelser and
    synpunkter, and history for the four years before that year."""
    driftstart = date(idag.year - 1, 3, 1)
    historik = []
    for ar, antal in enumerate(HISTORIK_AVVIKELSER, start=driftstart.year - 4):
        historik += [
            {"ar": ar, "serie": "avvikelser", "dimension": "total", "antal": antal},
            {
                "ar": ar,
                "serie": "avvikelser",
                "dimension": "typ",
                "varde": "avvikelse",
                "antal": antal,
            },
        ]
    for ar, antal in enumerate(HISTORIK_SYNPUNKTER, start=driftstart.year - 4):
        historik.append(
            {"ar": ar, "serie": "synpunkter", "dimension": "total", "antal": sum(antal)}
        )
        historik += [
            {"ar": ar, "serie": "synpunkter", "dimension": "typ", "varde": typ, "antal": n}
            for typ, n in zip(SYNPUNKTSTYPER, antal, strict=True)
        ]
    return {
        "format": importering.FORMAT,
        "driftstart": [
            {"serie": serie, "fran": driftstart.isoformat()}
            for serie in ("avvikelser", "synpunkter")
        ],
        "historik": historik,
    }


def importera_demohistorik(idag: date) -> list[str]:
    """Import the demo's history and go-live dates (again: nothing changes)."""
    resultat = importering.importera(demoimport(idag), filnamn="demodata")
    nya = sum(r.nya + r.andrade for _namn, r in resultat)
    if not nya:
        return []
    return [f"Historik från tidigare system och driftstart {idag.year - 1}-03-01 importerade."]


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
        # Written from the figures deciding freezes: the same records, the same cut-off.
        # The answer time is a local rule, a setting (docs/regler.md).
        texter = demotexter(
            berakna(ar, berattelse.brytdatum), svarstid=settings.SYNPUNKT_SVARSTID_DAGAR
        )
        for kapitel, text in texter.items():
            berattelse.spara_text(kapitel, text, av=kvalitetssamordnare)
        beslut = {"diarienummer": f"SN {ar + 1}/12"}
        if settings.KVALITETSBERATTELSE_BESLUTAS_AV == "namnd":
            # The förvaltningschef records the nämnd's decision of its February meeting.
            beslut |= {
                "sammantradesdatum": min(date(ar + 1, 2, 19), timezone.localdate()),
                "paragraf": "14",
            }
        berattelse.faststall(av=forvaltningschef, kommentar="Demo", **beslut)
    return berattelse


def skapa(demo: Demo) -> list[str]:
    """The demo step of rapporter (`RapporterConfig.demodata`), after the case apps' so
    that the report's figures count their demo cases."""
    rader = importera_demohistorik(demo.idag)
    berattelse = skapa_demoberattelse(
        kvalitetssamordnare=demo.anvandare["kvalitetssamordnare"],
        forvaltningschef=demo.anvandare["forvaltningschef"],
    )
    if berattelse is None:
        return rader
    return [*rader, f"Fastställd demokvalitetsberättelse för {berattelse.ar}."]
