"""The free-text search's generated `sokvektor` column and its GIN index, on PostgreSQL
only (kvalitet.sok, docs/sok.md). The fields are the model's `FRITEXT` as of this
migration."""

from django.db import migrations

from kvalitet.sok import Sokkolumn


class Migration(migrations.Migration):
    dependencies = [
        ("avvikelser", "0009_lex_sarah_som_stallningstagande"),
    ]

    operations = [
        Sokkolumn(model_name="avvikelse", falt=("beskrivning", "konsekvenser", "analys")),
    ]
