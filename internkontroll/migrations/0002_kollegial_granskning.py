"""The shipped checklist for kollegial granskning of child-welfare files
(internkontroll.checklistor)."""

from django.db import migrations


def skapa(apps, schema_editor):
    from internkontroll.checklistor import skapa_kollegial_granskning

    skapa_kollegial_granskning(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("internkontroll", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(skapa, migrations.RunPython.noop),
    ]
