"""The free-text search's generated `sokvektor` column and its GIN index, on PostgreSQL
only (kvalitet.sok, docs/sok.md). The fields are the model's `FRITEXT` as of this
migration."""

from django.db import migrations

from kvalitet.sok import Sokkolumn


class Migration(migrations.Migration):
    dependencies = [
        ("synpunkter", "0005_ivo"),
    ]

    operations = [
        Sokkolumn(model_name="synpunkt", falt=("diarienummer", "beskrivning", "svar")),
    ]
