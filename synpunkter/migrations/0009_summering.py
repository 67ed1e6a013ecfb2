"""Synpunkter kept counted as they change, on PostgreSQL (kvalitet.summering), for the
kvalitetsberättelse's figures: per day received and type, answers and closings by day;
filled for the synpunkter there are."""

from django.db import migrations, models

from kvalitet.summering import Summering

# The local day of a moment (the project's time zone), as TruncDate reads it.
INKOMSTDAG = "(s.inkom AT TIME ZONE {tz})::date"


class Migration(migrations.Migration):
    dependencies = [
        ("synpunkter", "0008_oppna_per_enhet"),
    ]

    operations = [
        migrations.CreateModel(
            name="Svarssumma",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("antal", models.BigIntegerField(default=0)),
                ("typ", models.CharField(max_length=16)),
                ("inkomstdag", models.DateField()),
                ("svarsdag", models.DateField()),
            ],
            options={
                "abstract": False,
                "required_db_vendor": "postgresql",
                "indexes": [
                    models.Index(fields=["inkomstdag", "typ", "svarsdag"], name="svarssumma_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="Synpunktavslut",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("antal", models.BigIntegerField(default=0)),
                ("typ", models.CharField(max_length=16)),
                ("inkomstdag", models.DateField()),
                ("avslutsdag", models.DateField()),
            ],
            options={
                "abstract": False,
                "required_db_vendor": "postgresql",
                "indexes": [
                    models.Index(
                        fields=["inkomstdag", "typ", "avslutsdag"], name="synpunktavslut_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Synpunktsumma",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("antal", models.BigIntegerField(default=0)),
                ("typ", models.CharField(max_length=16)),
                ("inkomstdag", models.DateField()),
            ],
            options={
                "abstract": False,
                "required_db_vendor": "postgresql",
                "indexes": [models.Index(fields=["inkomstdag", "typ"], name="synpunktsumma_idx")],
            },
        ),
        Summering(
            model_name="synpunktsumma",
            tabeller={"s": "synpunkter.synpunkt"},
            fran="{s} s",
            nycklar={"inkomstdag": INKOMSTDAG, "typ": "s.typ"},
        ),
        Summering(
            model_name="svarssumma",
            tabeller={"s": "synpunkter.synpunkt"},
            fran="{s} s",
            nycklar={
                "inkomstdag": INKOMSTDAG,
                "typ": "s.typ",
                "svarsdag": "(s.besvarad AT TIME ZONE {tz})::date",
            },
            villkor="s.besvarad IS NOT NULL",
        ),
        Summering(
            model_name="synpunktavslut",
            tabeller={"s": "synpunkter.synpunkt"},
            fran="{s} s",
            nycklar={
                "inkomstdag": INKOMSTDAG,
                "typ": "s.typ",
                "avslutsdag": "(s.avslutad AT TIME ZONE {tz})::date",
            },
            villkor="s.avslutad IS NOT NULL",
        ),
    ]
