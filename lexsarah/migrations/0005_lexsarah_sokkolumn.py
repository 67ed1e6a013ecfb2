"""The free-text search's column takes the kommun's diarienummer too (`LexSarah.FRITEXT`):
found by the list's search as a synpunkt's is. Rewrites the lex Sarah table once, under
an exclusive lock (kvalitet.sok.Sokkolumn); the table holds few rows."""

from django.db import migrations

from kvalitet.sok import Sokkolumn


class Migration(migrations.Migration):
    dependencies = [
        ("lexsarah", "0004_ivo_diarienummer_index"),
    ]

    operations = [
        Sokkolumn(
            model_name="lexsarah",
            falt=("beskrivning", "bakgrund", "orsaker", "bedomning", "diarienummer"),
            tidigare=("beskrivning", "bakgrund", "orsaker", "bedomning"),
        ),
    ]
