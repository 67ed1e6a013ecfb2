"""Demo egenkontroller for `seed_demo` (DOMAIN.md §4.5), called from internkontroll's
demo step:

- Bistånd barn, unga och vuxna holds a yearly kollegial granskning of its child-welfare
  files with the shipped checklist: last year's round (ten files, discussed in the
  analysis forum, closed, an improvement action that has since been carried out) and
  this year's (ten files, analysed; the conclusions compare with last year, a new
  action planned). The reviewers are the unit's socialsekreterare and its chef.
- Ekonomiskt bistånd compared itself with Öppna jämförelser (closed, with conclusions).
- Kollektivet HVB runs a brukarenkät among its youths (under way).

Dates count back from today. The records are keyed by `extern_id` ("demo-ek-…"): once
they exist nothing is written, so a second run changes nothing. No review holds
anything about a client: only a review number, the area and the answers.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from kvalitet.demo import SLUMPFRO, Atgardsmall, Demo, Demobyggare
from kvalitet.models import Atgardstyp, TimelineEntry

from .checklistor import KOLLEGIAL_GRANSKNING_NAMN, skapa_kollegial_granskning
from .choices import Egenkontrollstatus, Egenkontrolltyp, Initiativ, Svarsvarde
from .models import Checklista, Egenkontroll, Granskning, Svar

ENHET_KG = "MYN-BUV"
GRANSKARE = ("sara.nilsson", "chef.buv")

# The chance of "ja" per checkpoint code in each round (the rest nej or delvis, and
# "ej aktuellt" where a question often does not apply); the weak points of last year
# improved after its action, a new one shows this year.
SANNOLIKHET_JA = {
    "forra": {"1.1": 0.7, "1.3": 0.5, "2.2": 0.6, "2.3": 0.5, "2.4": 0.6, "3.5": 0.5},
    "denna": {"1.1": 0.9, "1.3": 0.8, "2.2": 0.7, "2.3": 0.8, "2.4": 0.85, "3.5": 0.4},
}
OFTA_EJ_AKTUELLT = {"1.5", "3.4", "4.6", "5.4"}
# Files per area in each round (ten files).
AKTER_PER_OMRADE = (3, 3, 2, 1, 1)

SLUTSATSER_FORRA = (
    "Tio akter granskades. Förhandsbedömningarna görs oftast inom 14 dagar, men barnets "
    "egen uppfattning framgår bara i ungefär hälften av akterna, och i utredningarna "
    "saknas ofta information till barnet anpassad efter ålder och mognad. Vårdplan och "
    "genomförandeplan saknades i flera placeringsärenden.\n\n"
    "Analysforumet beslutade att ta fram en mall för hur barnets uppfattning och given "
    "information dokumenteras, och att följa upp vid nästa års granskning."
)
SLUTSATSER_DENNA = (
    "Tio akter granskades. Jämfört med förra året dokumenteras barnets egen uppfattning "
    "och informationen till barnet betydligt oftare – mallen från förra årets granskning "
    "används. Utredningstiden på fyra månader hålls bättre men inte alltid. Vårdplan och "
    "genomförandeplan vid placering är fortfarande en svag punkt och blir årets åtgärd.\n\n"
    "Resultatet redovisas i kvalitetsberättelsen under egenkontroll."
)

MALL_FORRA = Atgardsmall(
    "Mall för barnets uppfattning och information till barnet",
    Atgardstyp.RUTIN,
    "En mall i verksamhetssystemet med rubriker för barnets egen uppfattning och för hur "
    "barnet informerats, gås igenom på arbetsplatsträff.",
    "Barnets uppfattning framgår i minst nio av tio akter vid nästa granskning.",
    "Mallen används i alla nya utredningar sedan januari.",
    "Vid årets granskning framgick barnets uppfattning betydligt oftare.",
)
MALL_DENNA = Atgardsmall(
    "Kontroll av vårdplan och genomförandeplan vid placering",
    Atgardstyp.RUTIN,
    "Enhetschefen kontrollerar vid beslut om placering att vårdplan och genomförandeplan "
    "finns; checklistan för placeringar kompletteras.",
    "Vårdplan och genomförandeplan finns i alla placeringsärenden.",
    "",
)


class Demoegenkontroll(Demobyggare):
    def __init__(self, demo: Demo):
        super().__init__(demo)
        self.rng = random.Random(SLUMPFRO + 45)

    def user(self, username):
        return self.anvandare.get(username)

    def chef(self, kod):
        return self.user(self.demo.enhetschef(kod))

    def ny(self, extern_id, *, enhet, status, av, tid, **falt):
        ek = Egenkontroll(
            extern_id=extern_id,
            enhet=self.enheter[enhet],
            status=Egenkontrollstatus.PLANERAD,
            handlaggare=av,
            skapad=tid,
            skapad_av=av,
            **falt,
        )
        ek.full_clean()
        self.spara(ek, tid, av, "Planerad")
        ek.log(TimelineEntry.Typ.SKAPAT, av=av, till_status=ek.status, tid=tid)
        return ek

    def kollegial_granskning(self, nyckel, *, version, fran: date, forum: date, klar: bool):
        chef = self.chef(ENHET_KG)
        ar = fran.year
        ek = self.ny(
            f"demo-ek-kg-{nyckel}",
            enhet=ENHET_KG,
            status=Egenkontrollstatus.PLANERAD,
            av=chef,
            tid=self.kl(fran - timedelta(days=30), self.rng),
            typ=Egenkontrolltyp.KOLLEGIAL_GRANSKNING,
            initiativ=Initiativ.EGET,
            titel=f"Kollegial granskning av akter inom barn och unga {ar}",
            syfte=(
                "Att se om handläggningen av barnavårdsärenden följer lagstiftningen och "
                "enhetens rutiner, och jämföra med förra årets granskning."
            ),
            metod=(
                "Socialsekreterarna granskar varandras akter med IVO:s checklista och egna "
                "kontrollpunkter. Resultatet sammanställs och diskuteras i analysforum."
            ),
            urval="Tio akter, slumpvis valda bland ärenden avslutade under perioden, "
            "fördelade på de fem kontrollområdena.",
            period_fran=fran,
            period_till=fran + timedelta(days=60),
            checklista_version=version,
        )
        start = self.kl(fran, self.rng)
        self.byt(ek, Egenkontrollstatus.PAGAR, start, chef, "Starta egenkontrollen")
        odds = SANNOLIKHET_JA[nyckel]
        nummer = 0
        for (omrade, punkter), antal in zip(version.struktur(), AKTER_PER_OMRADE, strict=True):
            for _ in range(antal):
                nummer += 1
                dag = fran + timedelta(days=self.rng.randint(5, 55))
                granskare = self.user(GRANSKARE[nummer % len(GRANSKARE)]) or chef
                g = Granskning(
                    egenkontroll=ek,
                    nummer=nummer,
                    granskare=granskare,
                    omrade=omrade,
                    datum=dag,
                    skapad=self.kl(dag, self.rng),
                )
                self.spara(g, g.skapad, granskare, "Registrerad")
                Svar.objects.bulk_create(
                    Svar(granskning=g, punkt=p, varde=self.svar(p.kod, odds)) for p in punkter
                )
                ek.log(
                    TimelineEntry.Typ.ANDRING,
                    av=granskare,
                    text=f"Granskning {nummer} registrerad ({omrade.namn}).",
                    tid=g.skapad,
                )
        ek.analysforum_datum = forum
        ek.slutsatser = SLUTSATSER_FORRA if nyckel == "forra" else SLUTSATSER_DENNA
        t = self.kl(forum, self.rng)
        self.byt(ek, Egenkontrollstatus.ANALYSERAD, t, chef, "Registrera analysforum")
        mall = MALL_FORRA if nyckel == "forra" else MALL_DENNA
        self.skapa_atgard(
            ek,
            mall,
            t + timedelta(hours=1),
            av=chef,
            ansvarig=chef,
            rng=self.rng,
            oppet=not klar,
        )
        if klar:
            slut = self.kl(forum + timedelta(days=14), self.rng)
            self.byt(ek, Egenkontrollstatus.KLAR, slut, chef, "Avsluta egenkontrollen")
        self.uppdatera_tid(ek, timezone.now() if not klar else slut)
        return ek

    def svar(self, kod, odds):
        r = self.rng.random()
        if kod in OFTA_EJ_AKTUELLT and r < 0.4:
            return Svarsvarde.EJ_AKTUELLT
        ja = odds.get(kod, 0.88)
        r = self.rng.random()
        if r < ja:
            return Svarsvarde.JA
        return Svarsvarde.DELVIS if r < ja + (1 - ja) / 2 else Svarsvarde.NEJ

    def oppna_jamforelser(self):
        chef = self.chef("MYN-EKB")
        fran = date(self.idag.year - 1, 1, 1)
        ek = self.ny(
            "demo-ek-oj",
            enhet="MYN-EKB",
            status=Egenkontrollstatus.PLANERAD,
            av=chef,
            tid=self.kl(self.idag - timedelta(days=200), self.rng),
            typ=Egenkontrolltyp.OPPNA_JAMFORELSER,
            initiativ=Initiativ.EGET,
            titel="Öppna jämförelser – ekonomiskt bistånd",
            syfte="Jämföra enhetens resultat med riket och liknande kommuner.",
            metod="Socialstyrelsens Öppna jämförelser för ekonomiskt bistånd, senaste året.",
            urval="Alla indikatorer för handläggning och uppföljning.",
            period_fran=fran,
            period_till=date(fran.year, 12, 31),
        )
        t = self.kl(self.idag - timedelta(days=190), self.rng)
        self.byt(ek, Egenkontrollstatus.PAGAR, t, chef, "Starta egenkontrollen")
        forum = self.idag - timedelta(days=150)
        ek.analysforum_datum = forum
        ek.slutsatser = (
            "Enheten ligger i nivå med riket för väntetid till nybesök men under riket för "
            "andelen med planerad uppföljning av insatsen. Uppföljningen tas in i "
            "internkontrollplanen nästa år."
        )
        self.byt(ek, Egenkontrollstatus.ANALYSERAD, self.kl(forum, self.rng), chef,
                 "Registrera analysforum")  # fmt: skip
        slut = self.kl(forum + timedelta(days=10), self.rng)
        self.byt(ek, Egenkontrollstatus.KLAR, slut, chef, "Avsluta egenkontrollen")
        self.uppdatera_tid(ek, slut)
        return ek

    def brukarenkat(self):
        chef = self.chef("OPPEN-KOLL")
        fran = self.idag - timedelta(days=40)
        ek = self.ny(
            "demo-ek-enkat",
            enhet="OPPEN-KOLL",
            status=Egenkontrollstatus.PLANERAD,
            av=chef,
            tid=self.kl(fran - timedelta(days=20), self.rng),
            typ=Egenkontrolltyp.ENKAT,
            initiativ=Initiativ.EGET,
            titel="Brukarenkät bland ungdomarna på Kollektivet",
            syfte="Ungdomarnas upplevelse av trygghet, bemötande och delaktighet.",
            metod="Anonym enkät på papper, tolv frågor; resultat under fem svar visas inte.",
            urval="Alla placerade ungdomar under perioden.",
            period_fran=fran,
            period_till=fran + timedelta(days=60),
        )
        self.byt(ek, Egenkontrollstatus.PAGAR, self.kl(fran, self.rng), chef,
                 "Starta egenkontrollen")  # fmt: skip
        return ek

    def skapa(self) -> int:
        if Egenkontroll.objects.filter(extern_id__startswith="demo-ek-").exists():
            return 0
        skapa_kollegial_granskning()
        version = Checklista.objects.get(namn=KOLLEGIAL_GRANSKNING_NAMN).senaste()
        denna_fran = self.idag - timedelta(days=110)
        forra_fran = denna_fran - timedelta(days=365)
        self.kollegial_granskning(
            "forra",
            version=version,
            fran=forra_fran,
            forum=forra_fran + timedelta(days=75),
            klar=True,
        )
        self.kollegial_granskning(
            "denna",
            version=version,
            fran=denna_fran,
            forum=min(denna_fran + timedelta(days=75), self.idag - timedelta(days=7)),
            klar=False,
        )
        self.oppna_jamforelser()
        self.brukarenkat()
        return 4


def skapa_egenkontroll(demo: Demo) -> list[str]:
    """The egenkontroll part of internkontroll's demo step: returns the lines to print."""
    nya = Demoegenkontroll(demo).skapa()
    demo.nya.append(f"Nya demoegenkontroller: {nya}.")
    if not nya:
        return []
    return [
        "Egenkontroll: kollegial granskning av barnavårdsakter två år i rad (Bistånd barn, "
        "unga och vuxna), Öppna jämförelser (Ekonomiskt bistånd), brukarenkät (Kollektivet "
        "HVB)."
    ]
