"""The reference table of legal references and local rules (DOMAIN.md §4.8,
docs/regler.md): versions of a rule never overlap, a text cites the version valid on its
date, a missing rule shows as a marker in a draft instead of an error, local rules come
from settings, and no default text or e-mail hard-codes a section number or the 14 days.
"""

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone

from kvalitet import regler
from kvalitet.models import Regel, RegelSaknas, Regeltyp, regel

pytestmark = pytest.mark.django_db

LEX_SARAH = "sol-lex-sarah-rapportering"


def ny(nyckel="test-regel", fran=date(2020, 1, 1), till=None, **falt):
    falt = {
        "typ": Regeltyp.FORESKRIFT,
        "kortnamn": "Testregel",
        "citat": "Testregeln i sin helhet",
        **falt,
    }
    return Regel(nyckel=nyckel, giltig_fran=fran, giltig_till=till, **falt)


def spara(rad):
    rad.full_clean()
    rad.save()
    return rad


def rendera(mall, **kontext):
    return Template("{% load regler %}" + mall).render(Context(kontext))


# --- Validation --------------------------------------------------------------------------


def test_overlappande_versioner_nekas_med_svenskt_meddelande():
    spara(ny(fran=date(2020, 1, 1), till=date(2022, 12, 31)))
    for fran, till in [
        (date(2022, 6, 1), None),  # starts inside
        (date(2019, 1, 1), date(2020, 1, 1)),  # ends on its first day
        (date(2019, 1, 1), None),  # open-ended from before
        (date(2021, 1, 1), date(2021, 2, 1)),  # wholly inside
    ]:
        with pytest.raises(ValidationError) as fel:
            ny(fran=fran, till=till).full_clean()
        text = " ".join(fel.value.messages)
        assert "överlappar en annan version av ”test-regel” (2020-01-01–2022-12-31)" in text
    # The day after the old version ends, and the day before it starts, are free.
    spara(ny(fran=date(2023, 1, 1), kortnamn="Nya testregeln"))
    spara(ny(fran=date(2015, 1, 1), till=date(2019, 12, 31)))
    assert Regel.objects.filter(nyckel="test-regel").count() == 3


def test_en_oppen_version_krockar_med_en_senare():
    spara(ny(fran=date(2020, 1, 1)))
    with pytest.raises(ValidationError, match="överlappar"):
        ny(fran=date(2030, 1, 1)).full_clean()


def test_en_version_kan_andras_utan_att_krocka_med_sig_sjalv():
    rad = spara(ny(fran=date(2020, 1, 1)))
    rad.giltig_till = date(2024, 12, 31)
    rad.full_clean()


def test_andra_nycklar_far_overlappa():
    spara(ny(nyckel="a", fran=date(2020, 1, 1)))
    spara(ny(nyckel="b", fran=date(2020, 1, 1)))


def test_giltig_till_fore_giltig_fran_nekas():
    with pytest.raises(ValidationError) as fel:
        ny(fran=date(2020, 1, 1), till=date(2019, 12, 31)).full_clean()
    assert fel.value.message_dict == {
        "giltig_till": ["Giltig till kan inte ligga före giltig från."]
    }


def test_datum_utanfor_produktens_granser_nekas():
    with pytest.raises(ValidationError) as fel:
        ny(fran=date(1, 1, 1), till=date(9999, 12, 31)).full_clean()
    assert set(fel.value.message_dict) == {"giltig_fran", "giltig_till"}
    assert "Ange ett datum mellan 1900-01-01 och 2100-12-31." in fel.value.messages


def test_samma_nyckel_och_startdag_nekas():
    spara(ny(fran=date(2020, 1, 1), till=date(2020, 6, 30)))
    with pytest.raises(ValidationError):
        ny(fran=date(2020, 1, 1), till=date(2020, 6, 30)).full_clean()


def test_andringar_har_historik(personas):
    rad = ny()
    rad._history_user = personas["admin"]
    spara(rad)
    rad.kortnamn = "Ändrad"
    rad.save()
    assert [h.kortnamn for h in rad.history.order_by("history_id")] == ["Testregel", "Ändrad"]
    assert rad.history.earliest().history_user == personas["admin"]


# --- Lookup by date ----------------------------------------------------------------------


def test_uppslag_ger_versionen_som_galler_pa_dagen():
    """The seeded lex Sarah rule: the old act up to 2025-06-30, the new from 2025-07-01."""
    gammal = regel(LEX_SARAH, date(2025, 6, 30))
    assert gammal.kortnamn == "14 kap. 3–7 §§ socialtjänstlagen (2001:453)"
    assert regel(LEX_SARAH, date(2011, 7, 1)) == gammal
    ny_lag = regel(LEX_SARAH, date(2025, 7, 1))
    assert ny_lag.kortnamn == "socialtjänstlagen (2025:400)"
    assert regel(LEX_SARAH, date(2099, 1, 1)) == ny_lag
    # A moment counts by its Swedish date: 00:30 on 1 July is still 30 June in UTC.
    assert regel(LEX_SARAH, timezone.make_aware(datetime(2025, 7, 1, 0, 30))) == ny_lag
    assert regel(LEX_SARAH, timezone.make_aware(datetime(2025, 6, 30, 23, 30))) == gammal


def test_dagen_fore_den_nya_versionen_ger_den_aldre():
    spara(ny(fran=date(2020, 1, 1), till=date(2023, 12, 31), kortnamn="Äldre"))
    spara(ny(fran=date(2024, 1, 1), kortnamn="Nyare"))
    assert regel("test-regel", date(2023, 12, 31)).kortnamn == "Äldre"
    assert regel("test-regel", date(2024, 1, 1)).kortnamn == "Nyare"


def test_utan_datum_galler_dagens_regel():
    spara(ny(fran=date(2020, 1, 1), till=timezone.localdate(), kortnamn="I dag"))
    assert regel("test-regel").kortnamn == "I dag"


def test_saknad_regel_ger_ett_tydligt_fel():
    spara(ny(fran=date(2020, 1, 1)))
    with pytest.raises(RegelSaknas) as fel:
        regel("test-regel", date(2019, 12, 31))
    assert str(fel.value) == (
        "Ingen regel med nyckeln ”test-regel” gäller 2019-12-31. Lägg till den under "
        "Administration › Regler och rättskällor."
    )
    with pytest.raises(RegelSaknas):
        regel("finns-inte")


# --- The standard rules ------------------------------------------------------------------


def test_migreringen_lade_in_standardreglerna():
    for s in regler.STANDARDREGLER:
        rad = Regel.objects.get(nyckel=s.nyckel, giltig_fran=s.giltig_fran)
        assert (rad.typ, rad.kortnamn, rad.citat, rad.giltig_till) == (
            s.typ,
            s.kortnamn,
            s.citat,
            s.giltig_till,
        )
        rad.full_clean()
        assert rad.history.filter(history_type="+").exists()
    assert Regel.objects.count() == len(regler.STANDARDREGLER)
    assert regel("sosfs-2011-9-klagomal", date(2025, 12, 31)).kortnamn == (
        "5 kap. 3 § SOSFS 2011:9"
    )
    assert regel("sosfs-2011-9-kvalitetsberattelse").typ == Regeltyp.ALLMANT_RAD


def test_standardreglerna_laggs_till_om_de_saknas_men_krockar_inte():
    assert regler.se_till_standardregler() == 0
    Regel.objects.filter(nyckel="sosfs-2011-9-klagomal").delete()
    # The administrator ended the old lex Sarah version earlier and started their own.
    Regel.objects.filter(nyckel=LEX_SARAH).delete()
    spara(ny(nyckel=LEX_SARAH, fran=date(2011, 1, 1), kortnamn="Egen"))
    assert regler.se_till_standardregler(orsak="Test") == 1
    ny_rad = Regel.objects.get(nyckel="sosfs-2011-9-klagomal")
    assert ny_rad.history.get().history_change_reason == "Test"
    assert list(Regel.objects.filter(nyckel=LEX_SARAH).values_list("kortnamn", flat=True)) == [
        "Egen"
    ]


# --- In templates ------------------------------------------------------------------------


def test_taggen_citerar_regeln_som_gallde_pa_datumet():
    mall = '{% regel "sol-lex-sarah-rapportering" datum %}'
    assert rendera(mall, datum=date(2024, 3, 1)) == "14 kap. 3–7 §§ socialtjänstlagen (2001:453)"
    assert rendera(mall, datum=date(2025, 9, 1)) == "socialtjänstlagen (2025:400)"
    assert rendera('{% regel "sosfs-2011-9-klagomal" datum fullstandig=True %}', datum=None) == (
        "5 kap. 3 § Socialstyrelsens föreskrifter och allmänna råd (SOSFS 2011:9) om "
        "ledningssystem för systematiskt kvalitetsarbete"
    )


def test_en_saknad_regel_blir_en_synlig_markering():
    text = rendera('Enligt {% regel "finns-inte" datum %} gäller.', datum=date(2025, 1, 1))
    assert text == (
        "Enligt [[Regel saknas: finns-inte – lägg till den under Administration › Regler och "
        "rättskällor]] gäller."
    )
    assert regler.SAKNAS_MARKOR in text


def test_lokala_regler_kommer_fran_installningarna(settings):
    settings.SYNPUNKT_SVARSTID_DAGAR = 10
    settings.AVVIKELSE_UTREDNINGSTID_DAGAR = 45
    assert rendera('{% lokal_regel "svarstid" %}/{% lokal_regel "utredningstid" %}') == "10/45"
    with pytest.raises(KeyError, match="Okänd lokal regel"):
        regler.lokal_regel("gallring")


# --- No section number or answer time in the texts -----------------------------------------

MALLAR = Path(django_settings.BASE_DIR) / "templates"


def texter_att_granska():
    """The default chapter texts, every e-mail and the e-service's receipt."""
    return [
        *sorted((MALLAR / "rapporter" / "standardtext").glob("*.md")),
        *sorted(MALLAR.glob("*/mejl/*.txt")),
        MALLAR / "synpunkter" / "kvitto.html",
    ]


def test_texterna_har_inga_paragrafer_eller_hardkodade_fjorton_dagar():
    filer = texter_att_granska()
    assert len(filer) > 15
    fel = []
    for fil in filer:
        text = fil.read_text(encoding="utf-8")
        for monster in (r"§", r"\b14\b", r"två veckor", r"\bkap\.", r"SOSFS \d", r"ska enligt lag"):
            if re.search(monster, text):
                fel.append(f"{fil.relative_to(MALLAR)}: {monster}")
    assert not fel, "hårdkodat i texterna: " + ", ".join(fel)
    # The rule tags are what cite: every rule a template names is in the table.
    for fil in filer:
        for nyckel in re.findall(r'{% regel "([^"]+)"', fil.read_text(encoding="utf-8")):
            assert Regel.objects.filter(nyckel=nyckel).exists(), (fil, nyckel)


# --- In the administration ---------------------------------------------------------------

ADMIN_LAGG_TILL = "/admin/kvalitet/regel/add/"


def formular(**falt):
    return {
        "nyckel": "sosfs-2011-9-klagomal",
        "typ": Regeltyp.FORESKRIFT,
        "kortnamn": "7 kap. 2 § SOSFS 2011:9",
        "citat": "7 kap. 2 § Socialstyrelsens föreskrifter (SOSFS 2011:9)",
        "url": "",
        "giltig_fran": "2026-01-01",
        "giltig_till": "",
        **falt,
    }


def test_administratoren_lagger_till_en_ny_version(klient_for, personas):
    klient = klient_for("admin")
    # Overlapping the open-ended standard version: refused, with the reason, nothing saved.
    svar = klient.post(ADMIN_LAGG_TILL, formular())
    assert svar.status_code == 200
    assert (
        "överlappar en annan version av ”sosfs-2011-9-klagomal” (från 2012-01-01, tills vidare)"
        in (svar.content.decode())
    )
    assert Regel.objects.filter(nyckel="sosfs-2011-9-klagomal").count() == 1
    # End the old version the day before, then the new one fits.
    gammal = Regel.objects.get(nyckel="sosfs-2011-9-klagomal")
    andra = klient.get(f"/admin/kvalitet/regel/{gammal.pk}/change/")
    assert andra.status_code == 200
    svar = klient.post(
        f"/admin/kvalitet/regel/{gammal.pk}/change/",
        formular(
            kortnamn=gammal.kortnamn,
            citat=gammal.citat,
            giltig_fran="2012-01-01",
            giltig_till="2025-12-31",
        ),
    )
    assert svar.status_code == 302, svar.content.decode()[:2000]
    svar = klient.post(ADMIN_LAGG_TILL, formular())
    assert svar.status_code == 302
    assert regel("sosfs-2011-9-klagomal", date(2025, 12, 31)).kortnamn == (
        "5 kap. 3 § SOSFS 2011:9"
    )
    ny_version = regel("sosfs-2011-9-klagomal", date(2026, 1, 1))
    assert ny_version.kortnamn == "7 kap. 2 § SOSFS 2011:9"
    assert ny_version.history.get().history_user == personas["admin"]


def test_andra_an_administratoren_kan_inte_andra_reglerna(klient_for):
    for persona in ("kvalitetssamordnare", "forvaltningschef", "registrator"):
        svar = klient_for(persona).post(ADMIN_LAGG_TILL, formular(giltig_fran="2030-01-01"))
        assert svar.status_code in (302, 403), persona
    assert not Regel.objects.filter(giltig_fran=date(2030, 1, 1)).exists()
