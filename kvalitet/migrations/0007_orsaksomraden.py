"""Cause areas become a list of the core, shared by every case type (the table keeps its
name: only the model's place in the code moves)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("kvalitet", "0006_verksamhetsomraden"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Orsaksomrade",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "namn",
                            models.CharField(max_length=200, unique=True, verbose_name="namn"),
                        ),
                        (
                            "beskrivning",
                            models.CharField(blank=True, max_length=500, verbose_name="definition"),
                        ),
                        ("aktiv", models.BooleanField(default=True, verbose_name="aktiv")),
                        (
                            "ordning",
                            models.PositiveSmallIntegerField(default=100, verbose_name="ordning"),
                        ),
                    ],
                    options={
                        "verbose_name": "orsaksområde",
                        "verbose_name_plural": "orsaksområden",
                        "db_table": "avvikelser_orsaksomrade",
                        "ordering": ["ordning", "namn"],
                        "abstract": False,
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
