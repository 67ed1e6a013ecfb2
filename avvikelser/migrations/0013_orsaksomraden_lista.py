"""The cause areas' names kept as text on the avvikelse, on PostgreSQL only, for the CSV
export's COPY (kvalitet.listkolumn). Fills the column for the avvikelser there are: one
pass over the links, and one rewrite of every avvikelse that has cause areas."""

from django.db import migrations

from kvalitet.listkolumn import Listkolumn


class Migration(migrations.Migration):
    dependencies = [
        ("avvikelser", "0012_oppna_per_enhet"),
    ]

    operations = [
        Listkolumn(model_name="avvikelse", falt="orsaksomraden", ordning=("ordning", "namn")),
    ]
