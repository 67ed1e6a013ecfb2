"""The cause-area list moved to the core (kvalitet.Orsaksomrade, same table)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("avvikelser", "0007_kategoriernas_definitioner"),
        ("kvalitet", "0007_orsaksomraden"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="avvikelse",
                    name="orsaksomraden",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="kvalitet.orsaksomrade",
                        verbose_name="orsaksområden",
                    ),
                ),
                migrations.DeleteModel(name="Orsaksomrade"),
            ],
            database_operations=[],
        ),
    ]
