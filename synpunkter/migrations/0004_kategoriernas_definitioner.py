"""A definition for every default synpunkt category, shown where the registrator chooses
one. Only entries still without a definition get one."""

from django.db import migrations, models

KATEGORIER = {
    "Handläggning": (
        "Hur ärendet sköttes: väntetider, kontakt med handläggaren, att utredningen gjordes."
    ),
    "Myndighetsutövning": (
        "Ett beslut i den enskildes ärende. Ett beslut går att överklaga; svaret ska säga hur."
    ),
    "Bemötande och service": "Hur den enskilde eller en närstående blev bemött.",
    "Tillgänglighet": "Att nå verksamheten: telefontider, öppettider, lokaler, e-tjänster.",
    "Insats": "En beviljad insats: hur den utförs, dess kvalitet eller att den uteblev.",
    "Dokumentation och journal": "Vad som står i journalen eller akten, och vem som läst den.",
    "Ekonomisk ersättning": "Belopp, utbetalningar och avgifter.",
    "Information": "Information från förvaltningen som saknades, var svår att förstå eller fel.",
    "Övrigt": "Ingen annan kategori passar.",
}


def definiera(apps, schema_editor):
    Kategori = apps.get_model("synpunkter", "Kategori")
    for namn, text in KATEGORIER.items():
        Kategori.objects.filter(namn=namn, beskrivning="").update(beskrivning=text)


class Migration(migrations.Migration):
    dependencies = [("synpunkter", "0003_anvandare_skyddade")]

    operations = [
        migrations.AddField(
            model_name="kategori",
            name="beskrivning",
            field=models.CharField(blank=True, max_length=500, verbose_name="definition"),
        ),
        migrations.RunPython(definiera, migrations.RunPython.noop),
    ]
