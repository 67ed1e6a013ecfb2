"""Support for the avvikelse tests: the case type's declaration for the shared tests
(tests/arendetyp.py) and its part of the database snapshot."""

from datetime import timedelta

from django.utils import timezone

from avvikelser.models import Avvikelse
from tests.arendetyp import Arendeflode
from tests.factories import AvvikelseFactory
from tests.stod import ogonblicksdel

# Who reports the cases `skapa` makes, per unit.
RAPPORTORER = {"EB": "medarbetare", "KOLL": "medarbetare_annan"}


def skapa(varld, status=None, enhet="EB"):
    """An avvikelse of the unit, categorised and analysed (so it can be closed), in the
    status (test setup; bypasses the workflow)."""
    from avvikelser.models import Kategori

    kategori, _ = Kategori.objects.get_or_create(namn="Handläggning")
    rapportor = varld.personas.get(RAPPORTORER.get(enhet))
    avv = AvvikelseFactory(
        enhet=varld.org[enhet],
        rapporterad_av=rapportor,
        kategori=kategori,
        analys="Otydlig rutin.",
    )
    if status is not None:
        avslutad = timezone.now() if status == "avslutad" else None
        Avvikelse.objects.filter(pk=avv.pk).update(status=status, avslutad=avslutad)
        avv.refresh_from_db()
    return avv


def liknande_handelse(varld):
    """An earlier avvikelse of Ekonomiskt bistånd with the words of `skapa`'s cases: a
    suggestion for `lanka_liknande`."""
    return AvvikelseFactory(enhet=varld.org["EB"], rapporterad=timezone.now() - timedelta(days=400))


AVVIKELSE = Arendeflode(
    modell=Avvikelse,
    skapa=skapa,
    persona="enhetschef",
    personer={"ta_stallning": "forvaltningschef"},
    vantar="rapporterad",
    data={
        "avsluta": lambda v: {"aterkoppling": "Rutinen är förtydligad."},
        "ateroppna": lambda v: {"kommentar": "Ny information från IVO."},
        "utred": lambda v: {"analys": "Rutinen för utskick var otydlig."},
        "tilldela": lambda v: {"handlaggare": v.personas["utredare"].pk},
        "lanka_liknande": lambda v: {"arenden": [liknande_handelse(v).nummer]},
        "ta_stallning": lambda v: {
            "stallningstagande": "inte_allvarlig",
            "mottagen": timezone.localdate().isoformat(),
        },
    },
)


@ogonblicksdel("avvikelser.Avvikelse")
def ogonblick_avvikelser():
    return {
        "avvikelser": sorted(
            Avvikelse.objects.values_list(
                "pk",
                "status",
                "kategori_id",
                "analys",
                "vidtagna_atgarder",
                "atgardstext_avslut",
                "fc_stallningstagande",
                "fc_mottagen",
                "handlaggare_id",
                "avslutad",
            )
        ),
        "orsaksomraden": sorted(
            Avvikelse.orsaksomraden.through.objects.values_list("avvikelse_id", "orsaksomrade_id")
        ),
        "avvikelsehistorik": Avvikelse.history.count(),
    }
