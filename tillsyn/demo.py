"""Demo data of IVO's tillsyn: one closed tillsyn of an HVB home from last year, with
IVO's requirements, the förvaltning's answers and IVO's decision, and one under way."""

from datetime import timedelta

from django.utils import timezone

from kvalitet.demo import Demobyggare
from kvalitet.models import TimelineEntry

from .choices import Status, Typ, Utfall
from .models import Tillsyn


class Tillsynsbyggare(Demobyggare):
    def skapa(self) -> int:
        nya = 0
        if not Tillsyn.objects.filter(extern_id="demo-tis-001").exists():
            self.avslutad()
            nya += 1
        if not Tillsyn.objects.filter(extern_id="demo-tis-002").exists():
            self.pagaende()
            nya += 1
        return nya

    def tid(self, dagar_sedan, timme=10):
        dag = self.idag - timedelta(days=dagar_sedan)
        return timezone.make_aware(
            timezone.datetime.combine(dag, timezone.datetime.min.time()).replace(hour=timme)
        )

    def ny(self, extern_id, kod, registrerad, **falt):
        av = self.anvandare["kvalitetssamordnare"]
        t = Tillsyn(
            extern_id=extern_id,
            enhet=self.enheter[kod],
            registrerad_av=av,
            skapad_av=av,
            skapad=registrerad,
            registrerad=registrerad,
            **falt,
        )
        t.full_clean()
        self.spara(t, registrerad, av, "Registrerad")
        t.log(TimelineEntry.Typ.SKAPAT, av=av, till_status=t.status, tid=registrerad)
        return t

    def avslutad(self):
        chef = self.anvandare[self.demo.enhetschef("OPPEN-KOLL")]
        start = self.tid(400)
        t = self.ny(
            "demo-tis-001",
            "OPPEN-KOLL",
            start,
            typ=Typ.PLANERAD,
            ivo_diarienummer="3.5.1-12345/2025",
            inleddes=timezone.localdate(start),
            inspektion=timezone.localdate(start) + timedelta(days=21),
            omfattning=(
                "Planerad tillsyn av HVB för ungdomar: genomförandeplaner, journalföring och "
                "hur ungdomarnas delaktighet säkerställs."
            ),
            krav=(
                "IVO begär in rutiner för genomförandeplaner och journalföring samt en "
                "redovisning av hur ungdomarna görs delaktiga i planeringen."
            ),
            svar_senast=timezone.localdate(start) + timedelta(days=45),
        )
        t.handlaggare = chef
        svar_dag = timezone.localdate(start) + timedelta(days=40)
        t.svar = [
            {
                "datum": svar_dag.isoformat(),
                "text": "Rutiner för genomförandeplaner och journalföring skickade, med en "
                "beskrivning av hur ungdomarna deltar i planeringsmöten.",
            }
        ]
        t.svar_senast = None
        self.spara(t, self.tid(400 - 40), chef, "Registrera svar till IVO")
        t.log(
            TimelineEntry.Typ.ANDRING, av=chef, text=f"Svar till IVO {svar_dag}.", tid=self.tid(360)
        )
        beslut = timezone.localdate(start) + timedelta(days=120)
        t.beslut = beslut
        t.utfall = Utfall.KRAV
        t.beslut_text = (
            "IVO kräver att genomförandeplaner upprättas inom fyra veckor från placering "
            "och följs upp var tredje månad. Redovisning senast tre månader efter beslutet."
        )
        t.aterrapport_senast = beslut + timedelta(days=90)
        self.byt(t, Status.BESLUTAD, self.tid(280), chef, "Registrera IVO:s beslut")
        redovisning = beslut + timedelta(days=80)
        t.svar = [
            *t.svar,
            {
                "datum": redovisning.isoformat(),
                "text": "Redovisning: samtliga ungdomar har aktuella genomförandeplaner; "
                "uppföljning var tredje månad är inlagd i verksamhetsplanen.",
            },
        ]
        self.spara(t, self.tid(200), chef, "Registrera svar till IVO")
        t.avslutad = self.tid(150)
        self.byt(t, Status.AVSLUTAD, self.tid(150), chef, "Avsluta")
        self.uppdatera_tid(t, self.tid(150))

    def pagaende(self):
        start = self.tid(20)
        self.ny(
            "demo-tis-002",
            "OPPEN-VALL",
            start,
            typ=Typ.HANDELSESTYRD,
            ivo_diarienummer="3.5.1-23456/2026",
            inleddes=timezone.localdate(start),
            omfattning=(
                "Händelsestyrd tillsyn efter klagomål om bemanningen nattetid på Vallmovillan HVB."
            ),
            krav="IVO begär in bemanningsschema för de senaste tre månaderna och rutinen "
            "för nattbemanning.",
            svar_senast=self.idag + timedelta(days=10),
        )


def skapa(demo) -> list[str]:
    nya = Tillsynsbyggare(demo).skapa()
    return [f"Nya demotillsyner: {nya}."] if nya else []
