"""Default categories and cause areas; administrators edit them later."""

from django.db import migrations

KATEGORIER = [
    "Brister i verksamhetssystem",
    "Brist i lokal eller utrustning som påverkat verksamheten",
    "Brist i dokumentation som lett till felaktigt utförd insats",
    "Brist i utförandet av eller kontakt med tolktjänst",
    "Försenad eller utebliven insats",
    "Felaktigt utskickad information",
    "Bristande bemötande och/eller information till enskild",
    "Brist i kommunikation och information till/från annan vårdgivare/myndighet",
    "Avsaknad eller brist i interna rutiner",
    "Avsaknad av chefsstöd",
    "Handläggning",
    "Sekretess",
    "Övrigt",
]

ORSAKSOMRADEN = [
    "Processer och rutiner",
    "Information och kommunikation",
    "Kompetens",
    "Organisation och bemanning",
    "Teknik och verksamhetssystem",
    "Lokaler och utrustning",
    "Samverkan",
    "Övrigt",
]


def skapa(apps, schema_editor):
    for modell, namn in (("Kategori", KATEGORIER), ("Orsaksomrade", ORSAKSOMRADEN)):
        Modell = apps.get_model("avvikelser", modell)
        for i, n in enumerate(namn, start=1):
            Modell.objects.get_or_create(namn=n, defaults={"ordning": i * 10})


def ta_bort(apps, schema_editor):
    for modell, namn in (("Kategori", KATEGORIER), ("Orsaksomrade", ORSAKSOMRADEN)):
        apps.get_model("avvikelser", modell).objects.filter(namn__in=namn).delete()


class Migration(migrations.Migration):
    dependencies = [("avvikelser", "0002_initial")]

    operations = [migrations.RunPython(skapa, ta_bort)]
