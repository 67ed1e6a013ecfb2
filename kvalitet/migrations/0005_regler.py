"""The reference table of legal references and local rules (DOMAIN.md §4.8,
docs/regler.md), with the rules a new installation starts from.

The rows are written here as they stood when the table was introduced (frozen: the list
in kvalitet.regler may change later without changing what this migration did), each
with a first history row.
"""

from datetime import date

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

ORSAK = "Standardregel när regeltabellen infördes"

_SOSFS_2011_9 = (
    "Socialstyrelsens föreskrifter och allmänna råd (SOSFS 2011:9) om ledningssystem för "
    "systematiskt kvalitetsarbete"
)

# (nyckel, typ, kortnamn, citat, giltig_fran, giltig_till)
REGLER = [
    ("sosfs-2011-9-ledningssystem", "foreskrift", "SOSFS 2011:9", _SOSFS_2011_9,
     date(2012, 1, 1), None),
    ("sosfs-2011-9-klagomal", "foreskrift", "5 kap. 3 § SOSFS 2011:9",
     f"5 kap. 3 § {_SOSFS_2011_9}", date(2012, 1, 1), None),
    ("sosfs-2011-9-avvikelser", "foreskrift", "SOSFS 2011:9", _SOSFS_2011_9,
     date(2012, 1, 1), None),
    ("sosfs-2011-9-kvalitetsberattelse", "allmant_rad", "SOSFS 2011:9",
     f"Allmänna råd i {_SOSFS_2011_9}", date(2012, 1, 1), None),
    ("sol-lex-sarah-rapportering", "lag", "14 kap. 3–7 §§ socialtjänstlagen (2001:453)",
     "14 kap. 3–7 §§ socialtjänstlagen (2001:453)", date(2011, 7, 1), date(2025, 6, 30)),
    ("sol-lex-sarah-rapportering", "lag", "socialtjänstlagen (2025:400)",
     "Socialtjänstlagen (2025:400), bestämmelserna om lex Sarah", date(2025, 7, 1), None),
    ("sosfs-2011-5-lex-sarah", "foreskrift", "SOSFS 2011:5",
     "Socialstyrelsens föreskrifter och allmänna råd (SOSFS 2011:5) om lex Sarah",
     date(2011, 7, 1), None),
]  # fmt: skip


def standardregler(apps, schema_editor):
    Regel = apps.get_model("kvalitet", "Regel")
    HistoricalRegel = apps.get_model("kvalitet", "HistoricalRegel")
    nu = timezone.now()
    for nyckel, typ, kortnamn, citat, fran, till in REGLER:
        rad, skapad = Regel.objects.get_or_create(
            nyckel=nyckel,
            giltig_fran=fran,
            defaults={"typ": typ, "kortnamn": kortnamn, "citat": citat, "giltig_till": till},
        )
        if skapad:
            HistoricalRegel.objects.create(
                id=rad.pk,
                nyckel=nyckel,
                typ=typ,
                kortnamn=kortnamn,
                citat=citat,
                url="",
                giltig_fran=fran,
                giltig_till=till,
                history_date=nu,
                history_type="+",
                history_change_reason=ORSAK,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("kvalitet", "0004_historikens_utgangslage"),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalRegel",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "nyckel",
                    models.SlugField(
                        help_text="Namnet som texterna använder, t.ex. sosfs-2011-9-klagomal. Samma nyckel för alla versioner av regeln.",
                        max_length=80,
                        verbose_name="nyckel",
                    ),
                ),
                (
                    "typ",
                    models.CharField(
                        choices=[
                            ("lag", "Lag"),
                            ("forordning", "Förordning"),
                            ("foreskrift", "Föreskrift"),
                            ("allmant_rad", "Allmänt råd"),
                            ("lokal", "Lokal regel eller beslut"),
                        ],
                        max_length=16,
                        verbose_name="typ",
                    ),
                ),
                (
                    "kortnamn",
                    models.CharField(
                        help_text="Som den skrivs i löpande text, t.ex. ”SOSFS 2011:9”.",
                        max_length=200,
                        verbose_name="kort hänvisning",
                    ),
                ),
                (
                    "citat",
                    models.CharField(
                        help_text="T.ex. ”Socialstyrelsens föreskrifter och allmänna råd (SOSFS 2011:9) om ledningssystem för systematiskt kvalitetsarbete”.",
                        max_length=1000,
                        verbose_name="fullständig hänvisning",
                    ),
                ),
                ("url", models.URLField(blank=True, max_length=500, verbose_name="länk")),
                ("giltig_fran", models.DateField(verbose_name="giltig från")),
                (
                    "giltig_till",
                    models.DateField(
                        blank=True,
                        help_text="Tomt om regeln gäller tills vidare.",
                        null=True,
                        verbose_name="giltig till och med",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "ändringshistorik för regel",
                "verbose_name_plural": "ändringshistorik för regler och rättskällor",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Regel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "nyckel",
                    models.SlugField(
                        help_text="Namnet som texterna använder, t.ex. sosfs-2011-9-klagomal. Samma nyckel för alla versioner av regeln.",
                        max_length=80,
                        verbose_name="nyckel",
                    ),
                ),
                (
                    "typ",
                    models.CharField(
                        choices=[
                            ("lag", "Lag"),
                            ("forordning", "Förordning"),
                            ("foreskrift", "Föreskrift"),
                            ("allmant_rad", "Allmänt råd"),
                            ("lokal", "Lokal regel eller beslut"),
                        ],
                        max_length=16,
                        verbose_name="typ",
                    ),
                ),
                (
                    "kortnamn",
                    models.CharField(
                        help_text="Som den skrivs i löpande text, t.ex. ”SOSFS 2011:9”.",
                        max_length=200,
                        verbose_name="kort hänvisning",
                    ),
                ),
                (
                    "citat",
                    models.CharField(
                        help_text="T.ex. ”Socialstyrelsens föreskrifter och allmänna råd (SOSFS 2011:9) om ledningssystem för systematiskt kvalitetsarbete”.",
                        max_length=1000,
                        verbose_name="fullständig hänvisning",
                    ),
                ),
                ("url", models.URLField(blank=True, max_length=500, verbose_name="länk")),
                ("giltig_fran", models.DateField(verbose_name="giltig från")),
                (
                    "giltig_till",
                    models.DateField(
                        blank=True,
                        help_text="Tomt om regeln gäller tills vidare.",
                        null=True,
                        verbose_name="giltig till och med",
                    ),
                ),
            ],
            options={
                "verbose_name": "regel",
                "verbose_name_plural": "regler och rättskällor",
                "ordering": ["nyckel", "-giltig_fran"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("nyckel", "giltig_fran"), name="regel_version_unik"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("giltig_till__isnull", True),
                            ("giltig_till__gte", models.F("giltig_fran")),
                            _connector="OR",
                        ),
                        name="regel_giltig_till_efter_fran",
                    ),
                ],
            },
        ),
        migrations.RunPython(standardregler, migrations.RunPython.noop),
    ]
