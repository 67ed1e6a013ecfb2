"""The kvalitetsberättelse cites rules from the reference table (docs/regler.md): the
default texts cite the version valid on the last day of the report year, state the
answer time as the förvaltning's own rule from settings, show a missing rule as a marker
for the writer, and a decided report keeps the text it was decided with when a rule is
changed afterwards."""

from datetime import date
from hashlib import sha256

import pytest

from kvalitet.models import Regel
from kvalitet.regler import SAKNAS_MARKOR
from rapporter import dokument
from rapporter.kapitel import KAPITEL, hamta
from rapporter.text import har_instruktion, saknade_tecken
from tests.rapporter.hjalp import skriv_alla_kapitel
from tests.stod import hamta_html

pytestmark = pytest.mark.django_db

AR = 2025


def standardtext(slug, ar=AR):
    return hamta(slug).standardtext(ar, "Testköpings kommun")


def test_standardtexterna_citerar_regler_ur_tabellen():
    synpunkter = standardtext("synpunkter")
    assert "Enligt 5 kap. 3 § SOSFS 2011:9 ska klagomål och synpunkter" in synpunkter
    syfte = standardtext("syfte")
    assert syfte.startswith(
        "Enligt Socialstyrelsens föreskrifter och allmänna råd (SOSFS 2011:9) om ledningssystem "
        "för systematiskt kvalitetsarbete ska den som bedriver socialtjänst"
    )
    # The allmänt råd recommends; it is not presented as a requirement.
    assert "allmänna råd (SOSFS 2011:9) rekommenderar dessutom att en kvalitetsberättelse" in syfte
    assert "Föreskrifterna rekommenderar" not in syfte
    assert "del av ledningssystemet enligt SOSFS 2011:9" in standardtext("avvikelser")
    for k in KAPITEL:
        text = standardtext(k.slug)
        assert SAKNAS_MARKOR not in text, k.slug
        assert not saknade_tecken(text), k.slug


def test_svarstiden_ar_en_lokal_riktlinje_ur_installningarna(settings):
    assert "Förvaltningens riktlinje är att klagomål besvaras inom 14 dagar" in standardtext(
        "synpunkter"
    )
    settings.SYNPUNKT_SVARSTID_DAGAR = 10
    settings.AVVIKELSE_UTREDNINGSTID_DAGAR = 21
    text = standardtext("synpunkter")
    assert "Förvaltningens riktlinje är att klagomål besvaras inom 10 dagar" in text
    assert "14" not in text
    assert "riktlinje är att en avvikelse är utredd inom 21 dagar" in standardtext("avvikelser")


def test_regeln_som_gallde_vid_arets_slut_citeras():
    klagomal = Regel.objects.get(nyckel="sosfs-2011-9-klagomal")
    klagomal.giltig_till = date(2025, 12, 31)
    klagomal.save()
    Regel.objects.create(
        nyckel="sosfs-2011-9-klagomal",
        typ=klagomal.typ,
        kortnamn="9 kap. 1 § NYFS 2026:1",
        citat="9 kap. 1 § Nya föreskrifter (NYFS 2026:1)",
        giltig_fran=date(2026, 1, 1),
    )
    assert "Enligt 5 kap. 3 § SOSFS 2011:9 ska" in standardtext("synpunkter", 2025)
    assert "Enligt 9 kap. 1 § NYFS 2026:1 ska" in standardtext("synpunkter", 2026)


def test_utkastet_visar_en_markering_dar_en_regel_saknas(utkast, klient_for):
    Regel.objects.filter(nyckel="sosfs-2011-9-klagomal").delete()
    text = standardtext("synpunkter")
    assert "Enligt [[Regel saknas: sosfs-2011-9-klagomal – lägg till den under" in text
    assert not saknade_tecken(text)
    # It is a writing instruction: a chapter with it left cannot be decided.
    utan_instruktioner = text.split("\n\n")[0]
    assert har_instruktion(utan_instruktioner)
    # The chapter page answers (no error page) and shows the marker to the writer.
    sida = hamta_html(
        klient_for("kvalitetssamordnare"), f"/rapporter/{utkast.pk}/kapitel/synpunkter/"
    )
    assert "[[Regel saknas: sosfs-2011-9-klagomal" in sida


def test_fastslagen_berattelse_behaller_texten_nar_en_regel_andras(
    utkast, personas, settings, klient_for, django_capture_on_commit_callbacks
):
    samordnare = personas["kvalitetssamordnare"]
    # The writer starts from the default text (the citation resolved) and adds to it.
    forsta_stycket = standardtext("synpunkter").split("\n\n")[0]
    assert "5 kap. 3 § SOSFS 2011:9" in forsta_stycket
    utkast.spara_text("synpunkter", forsta_stycket + "\n\nÅrets analys.", av=samordnare)
    b = skriv_alla_kapitel(utkast, samordnare)
    with django_capture_on_commit_callbacks(execute=True):
        b.faststall(av=personas["forvaltningschef"], diarienummer="SN 2026/12")
    b.refresh_from_db()
    assert b.ar_beslutad and b.pdf
    lagrad = b.text_for("synpunkter").text
    pdf_fore = b.pdf.read()
    b.pdf.close()
    html_fore = {k["slug"]: k["text"] for k in dokument.kontext(b)["kapitel"]}
    assert "5 kap. 3 § SOSFS 2011:9" in html_fore["synpunkter"]

    # Afterwards the rule is renumbered, and the answer time changed.
    Regel.objects.filter(nyckel="sosfs-2011-9-klagomal").update(kortnamn="7 kap. 2 § SOSFS 2011:9")
    settings.SYNPUNKT_SVARSTID_DAGAR = 10
    assert "7 kap. 2 § SOSFS 2011:9" in standardtext("synpunkter")

    b.refresh_from_db()
    assert b.text_for("synpunkter").text == lagrad
    assert {k["slug"]: k["text"] for k in dokument.kontext(b)["kapitel"]} == html_fore
    assert sha256(b.pdf.read()).hexdigest() == b.pdf_sha256 == sha256(pdf_fore).hexdigest()
    b.pdf.close()
    sida = hamta_html(klient_for("kvalitetssamordnare"), f"/rapporter/{b.pk}/forhandsvisning/")
    assert "5 kap. 3 § SOSFS 2011:9" in sida
    assert "7 kap. 2 § SOSFS 2011:9" not in sida


def test_en_sida_laser_regeltabellen_en_gang(utkast, klient_for):
    """The preview renders every unwritten chapter's default text (four citations): one
    read of the rule table for the whole page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    klient = klient_for("kvalitetssamordnare")
    with CaptureQueriesContext(connection) as fragor:
        sida = hamta_html(klient, f"/rapporter/{utkast.pk}/forhandsvisning/")
    assert "Enligt 5 kap. 3 § SOSFS 2011:9 ska" in sida
    assert len([f for f in fragor if '"kvalitet_regel"' in f["sql"]]) == 1
    # A change saved afterwards shows on the next page.
    klagomal = Regel.objects.get(nyckel="sosfs-2011-9-klagomal")
    klagomal.kortnamn = "6 kap. 1 § SOSFS 2011:9"
    klagomal.save()
    sida = hamta_html(klient, f"/rapporter/{utkast.pk}/forhandsvisning/")
    assert "Enligt 6 kap. 1 § SOSFS 2011:9 ska" in sida
