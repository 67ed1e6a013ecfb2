"""Default categories; administrators edit them later."""

from django.db import migrations

KATEGORIER = [
    "Handläggning",
    "Myndighetsutövning",
    "Bemötande och service",
    "Tillgänglighet",
    "Insats",
    "Dokumentation och journal",
    "Ekonomisk ersättning",
    "Information",
    "Övrigt",
]


def skapa(apps, schema_editor):
    Kategori = apps.get_model("synpunkter", "Kategori")
    for i, namn in enumerate(KATEGORIER, start=1):
        Kategori.objects.get_or_create(namn=namn, defaults={"ordning": i * 10})


def ta_bort(apps, schema_editor):
    apps.get_model("synpunkter", "Kategori").objects.filter(namn__in=KATEGORIER).delete()


class Migration(migrations.Migration):
    dependencies = [("synpunkter", "0001_initial")]

    operations = [migrations.RunPython(skapa, ta_bort)]
