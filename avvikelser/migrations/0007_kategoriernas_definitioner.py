"""A definition for every default category and cause area, shown where they are chosen,
so that one kind of event is coded one way (issue 11: a letter to the wrong address was
coded both "Felaktigt utskickad information" and "Sekretess"). Only entries still
without a definition get one: an administrator's own wording is kept."""

from django.db import migrations, models

KATEGORIER = {
    "Brister i verksamhetssystem": (
        "Verksamhetssystemet var otillgängligt, räknade eller visade fel, eller saknade "
        "en funktion som arbetet behövde."
    ),
    "Brist i lokal eller utrustning som påverkat verksamheten": (
        "Lokal, inredning, larm eller utrustning som brast och påverkade verksamheten "
        "eller säkerheten."
    ),
    "Brist i dokumentation som lett till felaktigt utförd insats": (
        "Något var inte dokumenterat, var fel dokumenterat eller fördes inte vidare, så "
        "att en insats utfördes fel."
    ),
    "Brist i utförandet av eller kontakt med tolktjänst": (
        "Tolk uteblev, var olämplig eller tolkade fel, eller tolk gick inte att beställa."
    ),
    "Försenad eller utebliven insats": (
        "En beviljad insats, ett stöd eller en utbetalning kom för sent eller inte alls. "
        "Försenad utredning eller beslut: Handläggning."
    ),
    "Felaktigt utskickad information": (
        "Ett brev, beslut eller meddelande med fel innehåll skickades (fel belopp, fel "
        "beslut, fel mall). Till fel mottagare: Sekretess."
    ),
    "Bristande bemötande och/eller information till enskild": (
        "Den enskilde eller en närstående blev illa bemött eller fick bristfällig eller "
        "felaktig information."
    ),
    "Brist i kommunikation och information till/från annan vårdgivare/myndighet": (
        "Uppgifter som skulle lämnas till eller tas emot från en annan vårdgivare eller "
        "myndighet kom inte fram, kom för sent eller var fel."
    ),
    "Avsaknad eller brist i interna rutiner": (
        "Det saknades en rutin för situationen, eller rutinen var otydlig eller inaktuell."
    ),
    "Avsaknad av chefsstöd": (
        "En medarbetare fick inte det stöd, beslut eller den delegation från chef som "
        "situationen krävde."
    ),
    "Handläggning": (
        "Brist i utredning, bedömning eller beslut i den enskildes ärende, till exempel en "
        "förhandsbedömning, utredning eller ett yttrande som inte gjordes i tid eller inte "
        "höll måttet."
    ),
    "Sekretess": (
        "Uppgifter om en enskild lämnades, skickades eller blev synliga för någon som inte "
        "fick ta del av dem – också ett brev eller beslut till fel mottagare eller adress."
    ),
    "Övrigt": "Ingen annan kategori passar. Beskriv vad det gällde i analysen.",
}

ORSAKSOMRADEN = {
    "Processer och rutiner": "Rutinen saknades, var otydlig eller följdes inte.",
    "Information och kommunikation": (
        "Information nådde inte fram i tid eller var fel, inom verksamheten eller till den "
        "enskilde."
    ),
    "Kompetens": "Den som gjorde arbetet saknade kunskap, erfarenhet eller introduktion.",
    "Organisation och bemanning": (
        "Ansvaret var oklart, det var för få i tjänst eller delegationen saknades."
    ),
    "Teknik och verksamhetssystem": "Ett system eller teknisk utrustning brast.",
    "Lokaler och utrustning": "Lokalen, inredningen eller utrustningen bidrog till händelsen.",
    "Samverkan": "Samarbetet med en annan verksamhet, vårdgivare eller myndighet brast.",
    "Övrigt": "Inget annat orsaksområde passar. Beskriv orsaken i analysen.",
}


def definiera(apps, schema_editor):
    for modell, definitioner in (("Kategori", KATEGORIER), ("Orsaksomrade", ORSAKSOMRADEN)):
        Modell = apps.get_model("avvikelser", modell)
        for namn, text in definitioner.items():
            Modell.objects.filter(namn=namn, beskrivning="").update(beskrivning=text)


class Migration(migrations.Migration):
    dependencies = [("avvikelser", "0006_anvandare_skyddade")]

    operations = [
        migrations.AddField(
            model_name="kategori",
            name="beskrivning",
            field=models.CharField(blank=True, max_length=500, verbose_name="definition"),
        ),
        migrations.AddField(
            model_name="orsaksomrade",
            name="beskrivning",
            field=models.CharField(blank=True, max_length=500, verbose_name="definition"),
        ),
        migrations.RunPython(definiera, migrations.RunPython.noop),
    ]
