"""Verksamhetsområden on units (issue 11): the list, the unit's field (and its history's),
and the default områden with their definitions; administrators edit them later. The
rows are written here as they stood when the list was introduced."""

import django.db.models.deletion
from django.db import migrations, models

# (namn, definition), in the order shown.
OMRADEN = [
    (
        "Barn och unga",
        "Insatser och utredningar för barn och unga och deras familjer, "
        "även familjehem och HVB för barn och unga.",
    ),
    (
        "Ekonomiskt bistånd",
        "Försörjningsstöd och annat ekonomiskt bistånd enligt 4 kap. "
        "1 § socialtjänstlagen, med budget- och skuldrådgivning.",
    ),
    (
        "Missbruk och beroende",
        "Stöd, behandling och utredningar för vuxna med missbruk eller beroende, även enligt LVM.",
    ),
    (
        "Boende och hemlöshet",
        "Sociala kontrakt, boendestöd och andra insatser för den som "
        "saknar eller riskerar att förlora sin bostad.",
    ),
    ("Våld i nära relationer", "Stöd till våldsutsatta, barn som bevittnat våld och våldsutövare."),
    ("Familjerätt", "Vårdnad, boende och umgänge, faderskap och föräldraskap samt adoption."),
    (
        "Funktionsnedsättning",
        "Insatser för personer med funktionsnedsättning enligt socialtjänstlagen eller LSS.",
    ),
    ("Övrigt", "Det som inte hör till något annat område, till exempel stab och administration."),
]


def skapa(apps, schema_editor):
    Verksamhetsomrade = apps.get_model("kvalitet", "Verksamhetsomrade")
    for i, (namn, beskrivning) in enumerate(OMRADEN, start=1):
        Verksamhetsomrade.objects.get_or_create(
            namn=namn, defaults={"beskrivning": beskrivning, "ordning": i * 10}
        )


def ta_bort(apps, schema_editor):
    apps.get_model("kvalitet", "Verksamhetsomrade").objects.filter(
        namn__in=[n for n, _b in OMRADEN], enheter__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kvalitet", "0005_regler"),
    ]

    operations = [
        migrations.CreateModel(
            name="Verksamhetsomrade",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("namn", models.CharField(max_length=200, unique=True, verbose_name="namn")),
                (
                    "beskrivning",
                    models.CharField(blank=True, max_length=500, verbose_name="definition"),
                ),
                ("aktiv", models.BooleanField(default=True, verbose_name="aktiv")),
                ("ordning", models.PositiveSmallIntegerField(default=100, verbose_name="ordning")),
            ],
            options={
                "verbose_name": "verksamhetsområde",
                "verbose_name_plural": "verksamhetsområden",
                "ordering": ["ordning", "namn"],
                "abstract": False,
            },
        ),
        migrations.AddField(
            model_name="enhet",
            name="verksamhetsomrade",
            field=models.ForeignKey(
                blank=True,
                help_text="Lämnas tomt om enheten har samma område som enheten ovanför.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="enheter",
                to="kvalitet.verksamhetsomrade",
                verbose_name="verksamhetsområde",
            ),
        ),
        migrations.AddField(
            model_name="historicalenhet",
            name="verksamhetsomrade",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Lämnas tomt om enheten har samma område som enheten ovanför.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="kvalitet.verksamhetsomrade",
                verbose_name="verksamhetsområde",
            ),
        ),
        migrations.RunPython(skapa, ta_bort),
    ]
