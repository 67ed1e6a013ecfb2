"""A session that expires while someone types (usability finding 1 of issue 10).

A session lasts eight hours. A member of staff who writes a report and sends it after
the session has expired comes to the login page, which says why; after logging in they
are back on the form, with what they wrote filled in again and a notice saying so, and
the report goes through. The text is kept only in the tab (sessionStorage): never in
localStorage, never for another user, and not after logging out.

The session is ended on the server (its row deleted), as an expiry does; the browser
still sends its cookie. Screenshots go to test-artifacts/browser/session-*.png.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from avvikelser.models import Avvikelse
from kvalitet.models import TimelineEntry
from tests.browser.conftest import LOSENORD
from tests.browser.sidor import (
    ingen_sidledes_rullning,
    kontrollera_axe,
    logga_in,
    skarmbild,
)

pytestmark = pytest.mark.browser

GICK_UT = "Du har loggats ut eftersom sessionen gick ut."
KVAR = "Det du skrev finns kvar och fylls i igen när du har loggat in."
ATERSTALLT = "Det du skrev innan du loggades ut är återställt. Kontrollera och skicka."
BESKRIVNING = (
    "Ett beslut om ekonomiskt bistånd skickades till klientens gamla adress.\n"
    "Klienten hörde av sig först när tiden för att överklaga hade gått ut."
)


def session_gar_ut():
    Session.objects.all().delete()


def utkast_i_fliken(sida):
    """The tab's drafts (sessionStorage), and whether anything is in localStorage, once
    the page's scripts have run."""
    sida.wait_for_load_state()
    return sida.evaluate(
        """() => ({
            utkast: Object.keys(sessionStorage).filter(k => k.startsWith("kvalitet-utkast:")),
            lokalt: localStorage.length,
        })"""
    )


def logga_in_igen(sida, anvandarnamn="medarbetare"):
    sida.get_by_label("Användarnamn").fill(anvandarnamn)
    sida.get_by_label("Lösenord").fill(LOSENORD)
    sida.get_by_role("button", name="Logga in").click()


def fyll_i_rapporten(sida, org, datum):
    sida.goto("/avvikelser/ny/")
    sida.get_by_role("group", name="Vad vill du rapportera?").get_by_role(
        "radio", name="Tillbud"
    ).check()
    sida.get_by_label("Enhet där det hände").select_option(str(org["TEAM"].pk))
    sida.get_by_label("När hände det?").fill(datum.isoformat())
    sida.get_by_role("group", name="Gäller det en enskild klient?").get_by_role(
        "radio", name="Ja"
    ).check()
    sida.get_by_label("Vad hände?").fill(BESKRIVNING)
    sida.get_by_label(re.compile("^Vilka konsekvenser")).fill("Klienten kan inte överklaga.")


@pytest.mark.parametrize("storlek", ["mobil", "dator"])
def test_rapporten_finns_kvar_efter_att_sessionen_gick_ut(
    ny_sida, personas, org, kodlistor, storlek
):
    igar = timezone.localdate() - timedelta(days=1)
    sida = ny_sida(storlek)
    logga_in(sida, "medarbetare")
    fyll_i_rapporten(sida, org, igar)
    # The tillbud's own question is shown (kvalitet.js), and answered.
    sida.get_by_role("group", name=re.compile("arbetsskadeanmälan")).get_by_role(
        "radio", name="Nej"
    ).check()
    assert utkast_i_fliken(sida) == {
        "utkast": [f"kvalitet-utkast:{personas['medarbetare'].pk}:/avvikelser/ny/"],
        "lokalt": 0,
    }

    session_gar_ut()
    sida.get_by_role("button", name="Skicka rapporten").click()

    # The login page says why, and that the text is kept.
    expect(sida).to_have_url(re.compile(r"/konto/logga-in/\?next=/avvikelser/ny/$"))
    varfor = sida.locator("#varfor-inloggning")
    expect(varfor).to_contain_text(GICK_UT)
    expect(varfor.get_by_text(KVAR)).to_be_visible()
    assert not Avvikelse.objects.exists()
    ingen_sidledes_rullning(sida)
    skarmbild(sida, f"session-1-inloggning-{storlek}")
    kontrollera_axe(sida, f"session-inloggning-{storlek}")

    logga_in_igen(sida)

    # Back on the form, filled in again, with a notice that has the focus.
    expect(sida).to_have_url(re.compile(r"/avvikelser/ny/$"))
    notis = sida.locator(".utkastnotis")
    expect(notis).to_contain_text(ATERSTALLT)
    expect(notis).to_be_focused()
    expect(sida.get_by_label("Vad hände?")).to_have_value(BESKRIVNING)
    expect(sida.get_by_label(re.compile("^Vilka konsekvenser"))).to_have_value(
        "Klienten kan inte överklaga."
    )
    expect(sida.get_by_label("När hände det?")).to_have_value(igar.isoformat())
    expect(sida.get_by_label("Enhet där det hände")).to_have_value(str(org["TEAM"].pk))
    expect(sida.get_by_role("radio", name="Tillbud")).to_be_checked()
    fraga = sida.get_by_role("group", name=re.compile("arbetsskadeanmälan"))
    expect(fraga).to_be_visible()
    expect(fraga.get_by_role("radio", name="Nej")).to_be_checked()
    ingen_sidledes_rullning(sida)
    skarmbild(sida, f"session-2-aterstallt-{storlek}")
    kontrollera_axe(sida, f"session-aterstallt-{storlek}")

    sida.get_by_role("button", name="Skicka rapporten").click()
    expect(sida.locator(".meddelande.success")).to_contain_text("Tack! Din rapport är registrerad")
    avvikelse = Avvikelse.objects.get()
    assert avvikelse.beskrivning.replace("\r\n", "\n") == BESKRIVNING
    assert avvikelse.typ == "tillbud" and avvikelse.enhet == org["TEAM"]
    assert avvikelse.rapporterad_av == personas["medarbetare"]
    # Sent and received: the draft is gone.
    assert utkast_i_fliken(sida) == {"utkast": [], "lokalt": 0}


def test_en_kommentar_leder_tillbaka_till_arendet(ny_sida, personas, avvikelse):
    """The comment form posts to a POST-only address; after the login the user is on the
    case's page, the comment filled in, in its section."""
    sidan = avvikelse.get_absolute_url()
    sida = ny_sida("dator")
    logga_in(sida, "medarbetare")
    sida.goto(sidan)
    kommentar = sida.get_by_label("Kommentar")
    kommentar.fill("Klienten ringde igen i dag och frågade efter beslutet.")

    session_gar_ut()
    sida.get_by_role("button", name="Spara kommentar").click()
    expect(sida).to_have_url(re.compile(rf"/konto/logga-in/\?next={re.escape(sidan)}$"))
    logga_in_igen(sida)

    expect(sida).to_have_url(re.compile(rf"{re.escape(sidan)}$"))
    expect(sida.locator(".utkastnotis")).to_contain_text(ATERSTALLT)
    expect(kommentar).to_have_value("Klienten ringde igen i dag och frågade efter beslutet.")
    skarmbild(sida, "session-3-kommentar")
    sida.get_by_role("button", name="Spara kommentar").click()
    expect(sida.locator(".meddelande.success")).to_contain_text("Kommentaren är sparad.")
    assert avvikelse.timeline.filter(
        typ=TimelineEntry.Typ.KOMMENTAR,
        text="Klienten ringde igen i dag och frågade efter beslutet.",
    ).exists()
    # The page after it has the comment form again, empty: nothing is filled in.
    expect(kommentar).to_have_value("")
    expect(sida.locator(".utkastnotis")).to_have_count(0)
    assert utkast_i_fliken(sida)["utkast"] == []


def test_nagon_annan_som_loggar_in_i_fliken_ser_inte_texten(ny_sida, personas, org, kodlistor):
    sida = ny_sida("dator")
    logga_in(sida, "medarbetare")
    fyll_i_rapporten(sida, org, timezone.localdate())
    session_gar_ut()
    sida.get_by_role("button", name="Skicka rapporten").click()
    expect(sida.locator("#varfor-inloggning")).to_contain_text(GICK_UT)

    logga_in_igen(sida, "enhetschef")  # on the way to the report form
    expect(sida).to_have_url(re.compile(r"/avvikelser/ny/$"))
    expect(sida.get_by_label("Vad hände?")).to_have_value("")
    expect(sida.locator(".utkastnotis")).to_have_count(0)
    assert utkast_i_fliken(sida) == {"utkast": [], "lokalt": 0}


def test_utloggning_tar_bort_texten(ny_sida, personas, org, kodlistor):
    sida = ny_sida("dator")
    logga_in(sida, "medarbetare")
    fyll_i_rapporten(sida, org, timezone.localdate())
    assert len(utkast_i_fliken(sida)["utkast"]) == 1
    sida.get_by_role("button", name=re.compile(r"^Logga ut")).click()
    expect(sida.get_by_role("heading", level=1, name="Logga in")).to_be_visible()
    # No reason given: the user logged out, and there is no next page.
    expect(sida.locator("#varfor-inloggning")).to_have_count(0)
    assert utkast_i_fliken(sida) == {"utkast": [], "lokalt": 0}

    logga_in(sida, "medarbetare")
    sida.goto("/avvikelser/ny/")
    expect(sida.get_by_label("Vad hände?")).to_have_value("")
    expect(sida.locator(".utkastnotis")).to_have_count(0)


def test_htmx_byter_inte_in_inloggningssidan_i_listan(ny_sida, personas, avvikelse):
    """The list's filters update the results with htmx; after the session expired the
    whole page goes to the login, which leads back to the list."""
    sida = ny_sida("dator")
    logga_in(sida, "medarbetare")
    sida.goto("/avvikelser/")
    sida.get_by_text("Filter", exact=True).click()
    session_gar_ut()
    sida.get_by_label("Status").select_option("rapporterad")
    expect(sida).to_have_url(re.compile(r"/konto/logga-in/\?next=/avvikelser/$"))
    expect(sida.get_by_role("heading", level=1)).to_have_count(1)
    expect(sida.locator("#varfor-inloggning")).to_contain_text(GICK_UT)
    logga_in_igen(sida)
    expect(sida).to_have_url(re.compile(r"/avvikelser/$"))
    expect(sida.get_by_role("heading", level=1)).to_have_text("Avvikelser")


def test_det_nagon_annan_andrat_under_tiden_skrivs_inte_over(
    ny_sida, personas, avvikelse, kodlistor
):
    """The investigation form shows what is saved. A colleague saves another analysis
    while the session is expired: the analysis shown stays theirs, the notice shows what
    the user wrote; the cause area no one else touched is filled in."""
    avvikelse.starta_utredning(av=personas["enhetschef"])
    Avvikelse.objects.filter(pk=avvikelse.pk).update(analys="Första analysen.")
    sida = ny_sida("dator")
    logga_in(sida, "enhetschef")
    sida.goto(avvikelse.get_absolute_url())
    utredning = sida.get_by_role("region", name="Utredning")
    expect(utredning.get_by_label("Orsaksanalys")).to_have_value("Första analysen.")
    utredning.get_by_label("Orsaksanalys").fill("Min analys: rutinen för adressändring saknas.")
    utredning.get_by_role("checkbox", name="Processer och rutiner").check()

    session_gar_ut()
    Avvikelse.objects.filter(pk=avvikelse.pk).update(analys="En kollegas analys.")
    utredning.get_by_role("button", name="Spara utredningen").click()
    logga_in_igen(sida, "enhetschef")

    expect(sida).to_have_url(re.compile(rf"{re.escape(avvikelse.get_absolute_url())}$"))
    notis = sida.locator(".utkastnotis")
    expect(notis).to_contain_text(ATERSTALLT)
    expect(notis).to_contain_text(
        "”Orsaksanalys” har ändrats av någon annan sedan du skrev, så det du skrev där är "
        "inte ifyllt. Det du skrev:"
    )
    expect(notis.locator("blockquote")).to_have_text(
        "Min analys: rutinen för adressändring saknas."
    )
    expect(utredning.get_by_label("Orsaksanalys")).to_have_value("En kollegas analys.")
    expect(utredning.get_by_role("checkbox", name="Processer och rutiner")).to_be_checked()
    skarmbild(sida, "session-4-andrat-under-tiden")


def test_ett_utkast_i_fliken_fylls_i_och_kan_tas_bort(ny_sida, personas, avvikelse):
    """A comment typed and not sent is there when the page is opened again in the tab;
    "Ta bort det återställda" empties the form and forgets it."""
    sida = ny_sida("mobil")
    logga_in(sida, "medarbetare")
    sida.goto(avvikelse.get_absolute_url())
    sida.get_by_label("Kommentar").fill("Ett halvfärdigt utkast.")
    sida.goto("/")
    sida.goto(avvikelse.get_absolute_url())

    notis = sida.locator(".utkastnotis")
    expect(notis).to_contain_text(
        "Det du skrev tidigare i den här fliken är återställt. Kontrollera och skicka."
    )
    expect(sida.get_by_label("Kommentar")).to_have_value("Ett halvfärdigt utkast.")
    ingen_sidledes_rullning(sida)
    notis.get_by_role("button", name="Ta bort det återställda").click()
    expect(sida.get_by_label("Kommentar")).to_have_value("")
    expect(sida.get_by_label("Kommentar")).to_be_focused()
    expect(notis).to_have_count(0)
    assert utkast_i_fliken(sida) == {"utkast": [], "lokalt": 0}


def test_ett_formular_som_inte_togs_emot_fylls_i_igen(ny_sida, personas, org, kodlistor):
    """The CSRF failure page (the form was refused, data-ej-mottaget) keeps the text too:
    its link back to the form finds it filled in."""
    sida = ny_sida("mobil")
    logga_in(sida, "medarbetare")
    fyll_i_rapporten(sida, org, timezone.localdate())
    sida.context.clear_cookies(name="csrftoken")
    sida.get_by_role("button", name="Skicka rapporten").click()
    expect(sida.get_by_role("heading", level=1)).to_have_text("Formuläret kunde inte skickas")
    sida.get_by_role("button", name="Tillbaka till sidan").click()

    expect(sida.locator(".utkastnotis")).to_contain_text(
        "Formuläret kunde inte skickas, men det du skrev är återställt. "
        "Kontrollera och skicka igen."
    )
    expect(sida.get_by_label("Vad hände?")).to_have_value(BESKRIVNING)
    sida.get_by_role("button", name="Skicka rapporten").click()
    expect(sida.locator(".meddelande.success")).to_contain_text("Tack! Din rapport är registrerad")
    assert Avvikelse.objects.get().beskrivning.replace("\r\n", "\n") == BESKRIVNING
