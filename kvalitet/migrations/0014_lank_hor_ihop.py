"""Links between records of which one is not a case (a process, an egenkontroll, a
risk and another risk) read "Hör ihop med": they had been made "Liknande händelse", or
"Realiserade risken" from a record that is no event, and the second were counted as
events realising the risk in the register and the kvalitetsberättelse."""

from django.db import migrations, models
from django.db.models import Q

# The case types (subclasses of kvalitet.models.Arende) when this was written: the
# events. Every other linkable record is not one.
ARENDEN = (
    ("avvikelser", "avvikelse"),
    ("synpunkter", "synpunkt"),
    ("lexsarah", "lexsarah"),
    ("tillsyn", "tillsyn"),
)


def hor_ihop(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    CaseLink = apps.get_model("kvalitet", "CaseLink")
    arenden = Q()
    for app_label, model in ARENDEN:
        arenden |= Q(app_label=app_label, model=model)
    fall = list(ContentType.objects.filter(arenden).values_list("pk", flat=True))
    CaseLink.objects.filter(
        Q(typ="liknande") & (~Q(fran_typ__in=fall) | ~Q(till_typ__in=fall))
        | Q(typ="realiserade") & ~Q(fran_typ__in=fall)
    ).update(typ="hor_ihop")


def tillbaka(apps, schema_editor):
    # The nearest old type: the generic one such a link was made as before (the few
    # that had been "Realiserade risken" come back as similar events).
    apps.get_model("kvalitet", "CaseLink").objects.filter(typ="hor_ihop").update(typ="liknande")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("kvalitet", "0013_oidc"),
    ]

    operations = [
        migrations.AlterField(
            model_name="caselink",
            name="typ",
            field=models.CharField(
                choices=[
                    ("liknande", "Liknande händelse"),
                    ("eskalerad", "Eskalerad till"),
                    ("skapad_fran", "Skapad från"),
                    ("realiserade", "Realiserade risken"),
                    ("ny_bedomning", "Ledde till ny bedömning av"),
                    ("hor_ihop", "Hör ihop med"),
                ],
                max_length=16,
            ),
        ),
        migrations.RunPython(hor_ihop, tillbaka),
    ]
