"""Egenkontroll's forms: every bad input – empty, too long, wrong types, another unit's
ids, markup, future dates, a personnummer in free text – answers 400 with a clear Swedish
message and changes nothing; the good input does what it says. Also the shipped
checklist, the anonymous review numbers and the checklist versions."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from internkontroll.checklistor import KOLLEGIAL_GRANSKNING_NAMN, tolka
from internkontroll.choices import Egenkontrollstatus
from internkontroll.models import (
    Checklista,
    Checklisteversion,
    Egenkontroll,
    Granskning,
    Kontrollpunkt,
)
from kvalitet.forms import ser_ut_som_personnummer
from tests.internkontroll.hjalp import checklista_kg, egenkontroll, granska
from tests.stod import ogonblick

pytestmark = pytest.mark.django_db

EK = "/internkontroll/egenkontroll/"
IDAG = timezone.localdate
PNR = "Barnet 120315-1234 har en syster."


def nekas(klient, url, data, *texter):
    """The request is refused with 400, the page says why, and nothing changed."""
    fore = ogonblick()
    svar = klient.post(url, data)
    html = svar.content.decode()
    assert svar.status_code == 400, (svar.status_code, svar.headers.get("Location"))
    for text in texter:
        assert escape(text) in html, f"{text!r} saknas"
    assert ogonblick() == fore
    return html


# --- A new egenkontroll ---------------------------------------------------------------------


def ny_data(org, personas, **andrat):
    data = {
        "enhet": org["EB"].pk,
        "typ": "kollegial_granskning",
        "initiativ": "internkontrollplanen",
        "titel": "Kollegial granskning hösten 2026",
        "syfte": "Följs lagen?",
        "metod": "Kollegial granskning.",
        "urval": "Tio akter.",
        "period_fran": "2026-09-01",
        "period_till": "2026-11-30",
        "handlaggare": personas["enhetschef"].pk,
        "checklista_version": checklista_kg().pk,
    }
    data.update(andrat)
    return data


def test_ny_egenkontroll(org, personas, klient_for):
    klient = klient_for("enhetschef")
    assert "Inga personuppgifter" in klient.get(f"{EK}ny/").content.decode()
    svar = klient.post(f"{EK}ny/", ny_data(org, personas))
    ek = Egenkontroll.objects.get()
    assert svar.headers["Location"] == ek.get_absolute_url()
    assert (ek.status, ek.skapad_av, ek.nummer) == (
        Egenkontrollstatus.PLANERAD,
        personas["enhetschef"],
        "EK-2026-0001",
    )
    assert ek.timeline.filter(typ="skapat").exists() and ek.history.count() == 1


@pytest.mark.parametrize(
    ("andrat", "text"),
    [
        ({"titel": "", "typ": "", "period_fran": ""}, "Ge egenkontrollen en titel."),
        ({"titel": "x" * 201}, "som mest 200 tecken"),
        ({"typ": "kaffe"}, "Välj ett giltigt alternativ"),
        ({"initiativ": ""}, "Välj vems initiativ egenkontrollen är."),
        ({"enhet": "KOLL"}, "Välj ett giltigt alternativ"),
        ({"enhet": "abc"}, "Välj ett giltigt alternativ"),
        ({"titel": "<script>alert(1)</script>"}, "HTML-kod"),
        ({"period_fran": "2026-13-01"}, "Fyll i ett giltigt datum"),
        ({"period_till": "2026-08-01"}, "Perioden kan inte sluta innan den börjar."),
        ({"syfte": PNR}, "ser ut att innehålla ett personnummer"),
        ({"urval": "Akt 20120315-1234"}, "ser ut att innehålla ett personnummer"),
        ({"checklista_version": ""}, "En kollegial granskning görs med en checklista."),
        ({"typ": "oppna_jamforelser"}, "Checklistor används vid kollegial granskning"),
        ({"checklista_version": "999999"}, "Välj ett giltigt alternativ"),
        ({"handlaggare": "medarbetare_annan"}, "Välj ett giltigt alternativ"),
        ({"handlaggare": ""}, "Välj vem som är ansvarig."),
    ],
)
def test_ny_egenkontroll_nekas(andrat, text, org, personas, klient_for):
    andrat = dict(andrat)
    if andrat.get("enhet") == "KOLL":
        andrat["enhet"] = org["KOLL"].pk
    if andrat.get("handlaggare") == "medarbetare_annan":
        andrat["handlaggare"] = personas["medarbetare_annan"].pk
    nekas(klient_for("enhetschef"), f"{EK}ny/", ny_data(org, personas, **andrat), text)


def test_ansvarig_utanfor_enhetens_linje_nekas(org, personas, klient_for):
    """Staben may choose anyone as owner in the list, but not someone off the unit's
    line (who would not see it as its owner)."""
    data = ny_data(org, personas, handlaggare=personas["medarbetare_annan"].pk)
    nekas(klient_for("kvalitetssamordnare"), f"{EK}ny/", data,
          "arbetar inte på Ekonomiskt bistånd eller en enhet ovanför")  # fmt: skip


def test_medarbetare_startar_ingen_egenkontroll(org, personas, klient_for):
    fore = ogonblick()
    assert klient_for("medarbetare").post(f"{EK}ny/", ny_data(org, personas)).status_code == 403
    assert ogonblick() == fore


# --- One file review ------------------------------------------------------------------------


@pytest.fixture
def ek(org, personas):
    e = egenkontroll(
        org["EB"],
        handlaggare=personas["enhetschef"],
        period_fran=date(2026, 1, 1),
        period_till=date(2026, 6, 30),
    )
    e.omrade = e.checklista_version.omraden.get(ordning=5)  # Umgängesbegränsningar, 5 frågor
    return e


def svar_data(ek, **andrat):
    data = {"omrade": ek.omrade.pk, "datum": IDAG().isoformat(), "kommentar": ""}
    for i, p in enumerate(ek.omrade.punkter.order_by("ordning")):
        data[f"punkt_{p.pk}"] = ["ja", "nej", "delvis", "ej_aktuellt", "ja"][i]
    data.update(andrat)
    return data


def test_granskningen_sparas_med_nasta_nummer(ek, personas, klient_for):
    klient = klient_for("medarbetare")
    sida = klient.get(f"{EK}{ek.nummer}/granska/").content.decode()
    assert "Umgängesbegränsningar" in sida and "?omrade=" in sida  # the areas to choose
    sida = klient.get(f"{EK}{ek.nummer}/granska/", {"omrade": ek.omrade.pk}).content.decode()
    assert "Skriv aldrig personnummer, namn eller annat" in sida
    assert sida.count('type="radio"') == 5 * 4
    for n in (1, 2):
        svar = klient.post(f"{EK}{ek.nummer}/granska/", svar_data(ek, kommentar="Tydlig akt."))
        assert svar.status_code == 302
        assert svar.headers["Location"] == f"{EK}{ek.nummer}/granska/?omrade={ek.omrade.pk}"
        g = Granskning.objects.get(egenkontroll=ek, nummer=n)
        assert (g.granskare, g.omrade, g.kommentar) == (
            personas["medarbetare"],
            ek.omrade,
            "Tydlig akt.",
        )
        assert sorted(g.svar.values_list("varde", flat=True)) == sorted(
            ["ja", "nej", "delvis", "ej_aktuellt", "ja"]
        )
    assert ek.timeline.filter(text__startswith="Granskning 2 registrerad").exists()


def test_granskningen_lagrar_ingen_identitet():
    """A review has a number, a reviewer, an area, a day and a comment: no field for
    anything about the client."""
    falt = {f.name for f in Granskning._meta.get_fields() if f.concrete}
    assert falt == {"id", "egenkontroll", "nummer", "granskare", "omrade", "datum", "kommentar",
                    "skapad"}  # fmt: skip


def _forsta(ek):
    return ek.omrade.punkter.order_by("ordning").first()


@pytest.mark.parametrize(
    ("fall", "text"),
    [
        ("obesvarad", "Svara på frågan."),
        ("fel_varde", "Välj ja, nej, delvis eller ej aktuellt."),
        ("framtid", "Datumet kan inte ligga i framtiden."),
        ("tidigt", "Granskningen kan inte vara gjord före 2025."),
        ("inget_datum", "Ange när akten granskades."),
        ("pnr", "ser ut att innehålla ett personnummer"),
        ("pnr_langt", "ser ut att innehålla ett personnummer"),
        ("samordningsnummer", "ser ut att innehålla ett personnummer"),
        ("script", "HTML-kod"),
        ("lang", "som mest 1000 tecken"),
        ("annat_omrade", "Välj ett kontrollområde i egenkontrollens checklista."),
        ("inget_omrade", "Välj kontrollområde."),
    ],
)
def test_granskning_nekas(fall, text, ek, klient_for):
    data = svar_data(ek)
    p = _forsta(ek)
    if fall == "obesvarad":
        del data[f"punkt_{p.pk}"]
    elif fall == "fel_varde":
        data[f"punkt_{p.pk}"] = "kanske"
    elif fall == "framtid":
        data["datum"] = (IDAG() + timedelta(days=1)).isoformat()
    elif fall == "tidigt":
        data["datum"] = "2024-12-31"
    elif fall == "inget_datum":
        data["datum"] = ""
    elif fall == "pnr":
        data["kommentar"] = PNR
    elif fall == "pnr_langt":
        data["kommentar"] = "Se 201203151234 i akten"
    elif fall == "samordningsnummer":
        data["kommentar"] = "120375-1234"
    elif fall == "script":
        data["kommentar"] = "<script>alert(1)</script>"
    elif fall == "lang":
        data["kommentar"] = "x" * 1001
    elif fall == "annat_omrade":
        annan = Checklisteversion.objects.create(checklista=ek.checklista_version.checklista,
                                                 version=2)  # fmt: skip
        annan.ersatt_innehall(tolka("# Annat\n9.1 Fråga?"))
        data["omrade"] = annan.omraden.get().pk
    elif fall == "inget_omrade":
        data["omrade"] = ""
    nekas(klient_for("medarbetare"), f"{EK}{ek.nummer}/granska/", data, text)


def test_okant_omrade_i_adressen(ek, klient_for):
    svar = klient_for("medarbetare").get(f"{EK}{ek.nummer}/granska/", {"omrade": "abc"})
    assert svar.status_code == 400
    assert "Välj ett kontrollområde i egenkontrollens checklista." in svar.content.decode()


@pytest.mark.parametrize(
    ("text", "ser_ut"),
    [
        ("121212-1212", True),
        ("19121212-1212", True),
        ("20121212+1212", True),
        ("121212 1212", True),
        ("1212121212", True),
        ("samordningsnummer 121272-1212", True),
        ("SN 2026/12", False),
        ("Dnr SOCN/2018:25 - 759", False),
        ("Telefon 070-123 45 67", False),
        ("Mellan 2025-01-01 och 2025-12-31", False),
        ("991399-1234", False),  # month 13: not a date
        ("Akt 7 av 10", False),
    ],
)
def test_personnummer_kanns_igen(text, ser_ut):
    assert ser_ut_som_personnummer(text) is ser_ut


# --- The steps ---------------------------------------------------------------------------------


def test_analysforum_nekas(ek, org, personas, klient_for):
    granska(ek, 5, "jjjjj", av=personas["medarbetare"])
    klient = klient_for("enhetschef")
    url = f"{EK}{ek.nummer}/analysera/"
    fram = (IDAG() + timedelta(days=1)).isoformat()
    nekas(klient, url, {"analysforum_datum": fram, "slutsatser": "Bra."}, "i framtiden")
    nekas(klient, url, {"analysforum_datum": "2025-12-01", "slutsatser": "Bra."}, "före perioden")
    nekas(klient, url, {"analysforum_datum": "2026-09-01", "slutsatser": ""},
          "Skriv analysforumets slutsatser.")  # fmt: skip
    nekas(klient, url, {"analysforum_datum": "2026-09-01", "slutsatser": PNR}, "personnummer")
    svar = klient.post(url, {"analysforum_datum": "2026-09-01", "slutsatser": "Bra."})
    assert svar.status_code == 302
    assert Egenkontroll.objects.get(pk=ek.pk).status == Egenkontrollstatus.ANALYSERAD


def test_analysforum_kraver_en_granskning(ek, klient_for):
    fore = ogonblick()
    svar = klient_for("enhetschef").post(
        f"{EK}{ek.nummer}/analysera/", {"analysforum_datum": "2026-09-01", "slutsatser": "Bra."}
    )
    assert svar.status_code == 400
    assert "Registrera minst en granskning." in svar.content.decode()
    assert ogonblick() == fore


def test_andra_nekas(ek, personas, klient_for):
    klient = klient_for("enhetschef")
    url = f"{EK}{ek.nummer}/andra/"
    data = {
        "titel": "Ny titel",
        "initiativ": "eget",
        "period_fran": "2026-01-01",
        "period_till": "2026-06-30",
        "handlaggare": personas["enhetschef"].pk,
        "checklista_version": ek.checklista_version_id,
    }
    nekas(klient, url, {**data, "period_till": "2025-12-31"}, "sluta innan den börjar")
    nekas(klient, url, {**data, "handlaggare": personas["medarbetare_annan"].pk},
          "Välj ett giltigt alternativ")  # fmt: skip
    nekas(klient, url, {**data, "titel": ""}, "Detta fält måste fyllas i")
    assert klient.post(url, data).status_code == 302
    assert Egenkontroll.objects.get(pk=ek.pk).titel == "Ny titel"
    # After the first review the checklist is no longer offered, nor changed.
    granska(ek, 5, "jjjjj", av=personas["medarbetare"])
    sida = klient.get(ek.get_absolute_url()).content.decode()
    assert 'name="checklista_version"' not in sida


# --- Checklists ------------------------------------------------------------------------------


def test_levererad_checklista():
    """The data migration's checklist: the five control areas of DOMAIN.md §4.5, each
    with 5–8 checkpoints with unique codes."""
    v = checklista_kg()
    assert v.checklista.namn == KOLLEGIAL_GRANSKNING_NAMN
    delar = v.struktur()
    assert [o.namn for o, _p in delar] == [
        "Förhandsbedömning",
        "Utredning",
        "Utredning inför placering i familjehem",
        "Omplacering",
        "Umgängesbegränsningar",
    ]
    assert all(5 <= len(p) <= 8 for _o, p in delar)
    koder = [p.kod for _o, punkter in delar for p in punkter]
    assert len(koder) == len(set(koder))
    assert "Har umgängesbegränsningen prövats minst var tredje månad?" in v.som_text()


def test_andrad_anvand_version_blir_ny_version(personas, org, klient_for):
    v1 = checklista_kg()
    lista = v1.checklista
    ek = egenkontroll(org["EB"], version=v1)
    granska(ek, 1, "jjjjjjj", av=personas["medarbetare"])
    fore = list(Kontrollpunkt.objects.filter(omrade__version=v1).values_list("kod", "text"))
    text = v1.som_text().replace(
        "1.3 Framgår barnets egen uppfattning, eller varför barnet inte har hörts?",
        "1.3 Framgår barnets egen uppfattning?",
    )
    klient = klient_for("kvalitetssamordnare")
    svar = klient.post(f"{EK}checklistor/{lista.pk}/", {"innehall": text, "kommentar": "1.3"})
    assert svar.status_code == 302
    v2 = lista.versioner.get(version=2)
    assert v2.skapad_av == personas["kvalitetssamordnare"]
    assert list(Kontrollpunkt.objects.filter(omrade__version=v1).values_list("kod", "text")) == fore
    assert "1.3 Framgår barnets egen uppfattning?\n" in v2.som_text()
    # Version 2 is unused: a change now changes it in place.
    svar = klient.post(f"{EK}checklistor/{lista.pk}/", {"innehall": "# A\n1.1 Fråga?"})
    assert svar.status_code == 302
    assert lista.versioner.count() == 2
    assert v2.som_text() == "# A\n1.1 Fråga?"
    assert Egenkontroll.objects.get(pk=ek.pk).checklista_version == v1


@pytest.mark.parametrize(
    ("text", "fel"),
    [
        ("", "Skriv checklistans kontrollområden och frågor."),
        ("1.1 Fråga utan område?", "står före det första kontrollområdet"),
        ("# A\nFråga utan kod?", "en fråga börjar med sin kod"),
        ("# A\n1.1 En?\n1.1 Två?", "koden 1.1 finns redan"),
        ("# A\n# B\n2.1 Fråga?", "Kontrollområdet ”A” har inga frågor."),
        ("#\n1.1 Fråga?", "kontrollområdet saknar namn"),
        ("# A\n1.1 " + "x" * 501, "högst 500 tecken"),
        ("# A\n1.1 <b>Fråga</b>", "HTML-kod"),
        ("# A\n1.1 Gäller 121212-1212?", "personnummer"),
    ],
)
def test_checklistan_nekas(text, fel, klient_for):
    lista = checklista_kg().checklista
    nekas(klient_for("kvalitetssamordnare"), f"{EK}checklistor/{lista.pk}/",
          {"innehall": text}, fel)  # fmt: skip


def test_ny_checklista(klient_for, personas):
    klient = klient_for("forvaltningschef")
    data = {"namn": "Journalgranskning vuxna", "innehall": "# Utredning\n1.1 Finns plan?"}
    svar = klient.post(f"{EK}checklistor/ny/", data)
    lista = Checklista.objects.get(namn="Journalgranskning vuxna")
    assert svar.headers["Location"] == lista.get_absolute_url()
    assert lista.senaste().version == 1 and lista.senaste().som_text() == data["innehall"]
    nekas(klient, f"{EK}checklistor/ny/", {**data, "namn": "journalgranskning VUXNA"},
          "Det finns redan en checklista med det namnet.")  # fmt: skip
    nekas(klient, f"{EK}checklistor/ny/", {**data, "namn": ""}, "Ge checklistan ett namn.")
