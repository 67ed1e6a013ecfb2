"""The list's free-text search column in PostgreSQL (docs/sok.md)."""

from django.db import migrations

from kvalitet.sok import Sokkolumn


class Migration(migrations.Migration):
    dependencies = [
        ("processer", "0001_initial"),
    ]

    operations = [
        Sokkolumn(model_name="process", falt=("namn", "syfte", "mal")),
    ]
