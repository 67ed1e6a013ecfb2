"""Counts of avvikelser and tillbud kept as the cases change, on PostgreSQL
(kvalitet.summering), for the kvalitetsberättelse's figures: per day reported and type,
by unit and by category, closings by day and deadline, and cause areas. Fills them for
the cases there are (a pass over the avvikelser per summary, one over the cause-area
links)."""

from django.db import migrations, models

from kvalitet.summering import Summering

# The local day of a moment (the project's time zone), as TruncDate reads it.
RAPPORTDAG = "(a.rapporterad AT TIME ZONE {tz})::date"
AVSLUTSDAG = "(a.avslutad AT TIME ZONE {tz})::date"


class Migration(migrations.Migration):
    dependencies = [
        ("avvikelser", "0013_orsaksomraden_lista"),
    ]

    operations = [
        migrations.CreateModel(
            name="Avvikelseavslut",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("antal", models.BigIntegerField(default=0)),
                ("typ", models.CharField(max_length=16)),
                ("rapportdag", models.DateField()),
                ("avslutsdag", models.DateField()),
                ("i_tid", models.BooleanField()),
            ],
            options={
                "abstract": False,
                "required_db_vendor": "postgresql",
                "indexes": [
                    models.Index(
                        fields=["rapportdag", "typ", "avslutsdag", "i_tid"],
                        name="avvikelseavslut_idx",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Enhetssumma",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("antal", models.BigIntegerField(default=0)),
                ("typ", models.CharField(max_length=16)),
                ("enhet", models.BigIntegerField()),
                ("rapportdag", models.DateField()),
            ],
            options={
                "abstract": False,
                "required_db_vendor": "postgresql",
                "indexes": [
                    models.Index(fields=["rapportdag", "typ", "enhet"], name="enhetssumma_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="Kategorisumma",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("antal", models.BigIntegerField(default=0)),
                ("typ", models.CharField(max_length=16)),
                ("kategori", models.BigIntegerField(null=True)),
                ("rapportdag", models.DateField()),
            ],
            options={
                "abstract": False,
                "required_db_vendor": "postgresql",
                "indexes": [
                    models.Index(fields=["rapportdag", "typ", "kategori"], name="kategorisumma_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="Orsakssumma",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("antal", models.BigIntegerField(default=0)),
                ("typ", models.CharField(max_length=16)),
                ("orsaksomrade", models.BigIntegerField()),
                ("rapportdag", models.DateField()),
            ],
            options={
                "abstract": False,
                "required_db_vendor": "postgresql",
                "indexes": [
                    models.Index(
                        fields=["rapportdag", "typ", "orsaksomrade"], name="orsakssumma_idx"
                    )
                ],
            },
        ),
        Summering(
            model_name="enhetssumma",
            tabeller={"a": "avvikelser.avvikelse"},
            fran="{a} a",
            nycklar={"rapportdag": RAPPORTDAG, "typ": "a.typ", "enhet": "a.enhet_id"},
        ),
        Summering(
            model_name="kategorisumma",
            tabeller={"a": "avvikelser.avvikelse"},
            fran="{a} a",
            nycklar={"rapportdag": RAPPORTDAG, "typ": "a.typ", "kategori": "a.kategori_id"},
        ),
        Summering(
            model_name="avvikelseavslut",
            tabeller={"a": "avvikelser.avvikelse"},
            fran="{a} a",
            nycklar={
                "rapportdag": RAPPORTDAG,
                "typ": "a.typ",
                "avslutsdag": AVSLUTSDAG,
                # The deadline is a local calendar day; closing on that day is in time.
                "i_tid": f"coalesce({AVSLUTSDAG} <= a.tidsfrist, false)",
            },
            villkor="a.avslutad IS NOT NULL",
        ),
        Summering(
            model_name="orsakssumma",
            tabeller={"a": "avvikelser.avvikelse", "l": "avvikelser.avvikelse_orsaksomraden"},
            fran="{l} l JOIN {a} a ON a.id = l.avvikelse_id",
            nycklar={
                "rapportdag": RAPPORTDAG,
                "typ": "a.typ",
                "orsaksomrade": "l.orsaksomrade_id",
            },
        ),
    ]
