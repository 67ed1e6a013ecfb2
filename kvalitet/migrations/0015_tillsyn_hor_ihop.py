"""A tillsyn is IVO's supervision, not an event (`AR_HANDELSE`): its links to cases and
risks read "Hör ihop med". They had been made "Liknande händelse" to a case, and
"Realiserade risken" to a risk – counted then as an event realising the risk in the
register and the kvalitetsberättelse."""

from django.db import migrations
from django.db.models import Q


def hor_ihop(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    CaseLink = apps.get_model("kvalitet", "CaseLink")
    tillsyn = ContentType.objects.filter(app_label="tillsyn", model="tillsyn").first()
    if tillsyn is None:
        return
    CaseLink.objects.filter(
        Q(typ__in=["liknande", "realiserade"]) & (Q(fran_typ=tillsyn) | Q(till_typ=tillsyn))
    ).update(typ="hor_ihop")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("kvalitet", "0014_lank_hor_ihop"),
    ]

    # Backwards the links stay "Hör ihop med", a type the schema before knows too.
    operations = [migrations.RunPython(hor_ihop, migrations.RunPython.noop)]
