"""The change history of units, users and role assignments starts here: one row per
existing record records how it stood when the history was introduced, so the first later
change can be compared with something."""

from django.db import migrations
from django.utils import timezone

ORSAK = "Utgångsläge när ändringshistoriken infördes"


def utgangslage(apps, schema_editor):
    nu = timezone.now()
    for modell, historisk in (
        ("Enhet", "HistoricalEnhet"),
        ("User", "HistoricalUser"),
        ("Uppdrag", "HistoricalUppdrag"),
    ):
        Modell = apps.get_model("kvalitet", modell)
        Historisk = apps.get_model("kvalitet", historisk)
        falt = [
            f.attname for f in Historisk._meta.concrete_fields if not f.name.startswith("history_")
        ]
        Historisk.objects.bulk_create(
            [
                Historisk(
                    **{f: getattr(rad, f) for f in falt},
                    history_date=nu,
                    history_type="+",
                    history_change_reason=ORSAK,
                )
                for rad in Modell.objects.iterator()
            ],
            batch_size=500,
        )


class Migration(migrations.Migration):
    dependencies = [("kvalitet", "0003_spar_och_historik")]

    operations = [migrations.RunPython(utgangslage, migrations.RunPython.noop)]
