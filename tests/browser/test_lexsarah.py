"""A lex Sarah case through the real pages, across the roles, on a laptop screen.

A member of staff reads the reporting duty and files a rapport (the form is also
checked on a phone); the enhetschef registers the immediate actions; the
förvaltningschef decides the investigation; the avdelningschef appoints the utredare,
who investigates, classifies the case "Allvarligt missförhållande" (the page then asks
for an anmälan to IVO) and writes the tjänsteskrivelse; the förvaltningschef notifies
IVO before the decision; the avdelningschef hands in the proposal; the förvaltningschef
registers the nämnd's decision. The nämnd downloads the frozen documents – which hold
nothing of the rapport and no one's name – and is refused the case page; the
kvalitetssamordnare sees every reading in the access log. Screenshots go to
test-artifacts/browser/lexsarah-*.png, the nämnd's PDFs to lexsarah-namnd-*.pdf.
"""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTEFAKTER, LOSENORD
from tests.browser.sidor import huvudmeny, ingen_sidledes_rullning, logga_in, logga_ut, skarmbild

pytestmark = pytest.mark.browser

NUMMER = re.compile(r"LS-\d{4}-\d{4}")

# Sentinels planted in what only the people in the flow may read: none of them may
# reach the nämnd's documents.
BESKRIVNING = (
    "HEMLIG-BESKRIVNING ungdomen Kalle Sentinelsson fick ett sekretessbelagt beslut om "
    "ekonomiskt bistånd skickat till en gammal adress."
)
KALLA = "HEMLIG-KALLA"
DIREKT = "HEMLIG-DIREKT: beslutet skickades på nytt till rätt adress."
INFO_HUR = "HEMLIG-INFO telefonsamtal"
HEMLIGT = (
    "HEMLIG",
    "HEMLIG-BESKRIVNING",
    "Kalle Sentinelsson",
    "Sentinelsson",
    KALLA,
    "HEMLIG-DIREKT",
    "HEMLIG-INFO",
)
FORNAMN = "Sentinella"
EFTERNAMN = "Rapportsdotter"

# Written for the nämnd, without names.
SAMMANFATTNING = (
    "Ett sekretessbelagt beslut om ekonomiskt bistånd till en ungdom skickades till en "
    "inaktuell adress. Orsaken var ett mänskligt misstag och en otydlig rutin för "
    "adressuppgifter."
)
FORSLAG = "Nämnden lägger utredningen till handlingarna och godkänner åtgärdsplanen."
PARAGRAF = "47"
DIARIENUMMER = "SOCN/2026:25"


def _steg(sida: Page, namn: str):
    """Every step: nothing sticks out to the right, and a screenshot is kept."""
    ingen_sidledes_rullning(sida, tabeller_far_rulla=True)
    skarmbild(sida, f"lexsarah-{namn}")


def _oppna_steg(sida: Page, namn: str):
    """Open a step's form behind its <summary> button; return the form."""
    form = sida.locator("form.overgang").filter(
        has=sida.locator("summary", has_text=re.compile(f"^{re.escape(namn)}$"))
    )
    expect(form).to_have_count(1)
    form.locator("summary[role=button]").click()
    return form


def _skicka(form):
    """Press the form's own submit button (the <summary> carries the same name)."""
    form.locator("button[type=submit]").click()


def _lyckades(sida: Page, text: str):
    expect(sida.locator(".meddelande.success")).to_contain_text(text)


def _till_atkomstloggen(sida: Page):
    """The access log is reached from the lex Sarah list (for the kvalitetssamordnare)."""
    huvudmeny(sida).get_by_role("link", name="Lex Sarah-ärenden").click()
    sida.get_by_role("button", name="Åtkomstlogg").click()


def _status(sida: Page, text: str):
    expect(sida.locator(".rubrikrad .status")).to_have_text(text)


def _till_arendet(sida: Page, nummer: str):
    """From the start page, open the case as a person would: its link."""
    sida.get_by_role("link", name=nummer).first.click()
    expect(sida.get_by_role("heading", level=1)).to_contain_text(nummer)


def _logga_in_namnd(sida: Page):
    """The nämnd has no start page: logging in lands on the reports."""
    sida.goto("/konto/logga-in/")
    sida.get_by_label("Användarnamn").fill("namnd")
    sida.get_by_label("Lösenord").fill(LOSENORD)
    sida.get_by_role("button", name="Logga in").click()
    expect(sida.get_by_role("heading", level=1, name="Kvalitetsberättelser")).to_be_visible()


def _ladda_ner(sida: Page, lank, nummer: str, typ: str) -> bytes:
    with sida.expect_download() as hamtning:
        lank.click()
    fil = hamtning.value
    assert fil.suggested_filename == f"{nummer}-{typ}.pdf", fil.suggested_filename
    innehall = Path(fil.path()).read_bytes()
    ARTEFAKTER.mkdir(parents=True, exist_ok=True)
    (ARTEFAKTER / f"lexsarah-namnd-{typ}.pdf").write_bytes(innehall)  # for a human to read
    return innehall


def _pdf_text(innehall: bytes) -> str:
    """Every page's text, whitespace collapsed (lines break inside sentences)."""
    from pypdf import PdfReader

    assert innehall.startswith(b"%PDF"), innehall[:20]
    sidor = PdfReader(io.BytesIO(innehall)).pages
    return " ".join(" ".join((s.extract_text() or "").split()) for s in sidor)


def _utan_blanksteg(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_lex_sarah_fran_rapport_till_namndens_handlingar(ny_sida, personas, org, kodlistor, regler):
    medarbetare = personas["medarbetare"]
    medarbetare.first_name, medarbetare.last_name = FORNAMN, EFTERNAMN
    medarbetare.save()
    idag = timezone.localdate()
    igar = idag - timedelta(days=1)

    # --- 0. The rapport form on a phone -----------------------------------------------
    mobil = ny_sida("mobil")
    logga_in(mobil, "medarbetare")
    mobil.get_by_role("button", name="Rapportera enligt lex Sarah").click()
    expect(
        mobil.get_by_role("heading", level=1, name="Rapportera enligt lex Sarah")
    ).to_be_visible()
    ingen_sidledes_rullning(mobil)
    skarmbild(mobil, "lexsarah-00-rapport-mobil")
    # Sent empty, the form says what is missing and stays on the phone's width.
    mobil.get_by_role("button", name="Skicka rapporten").click()
    expect(mobil.locator(".faltfel").first).to_be_visible()
    ingen_sidledes_rullning(mobil)
    skarmbild(mobil, "lexsarah-00b-rapport-mobil-fel")
    logga_ut(mobil)

    # --- 1. The member of staff reports -----------------------------------------------
    sida = ny_sida("dator")
    logga_in(sida, "medarbetare")
    _steg(sida, "01-start-medarbetare")
    sida.get_by_role("button", name="Rapportera enligt lex Sarah").click()
    expect(sida.get_by_role("heading", level=1, name="Rapportera enligt lex Sarah")).to_be_visible()
    plikt = sida.get_by_role("region", name="Din skyldighet att rapportera")
    expect(plikt).to_contain_text("genast")
    expect(plikt).to_contain_text("Ingen får straffas för att ha rapporterat.")

    enhet = sida.get_by_label("Enhet där det hände")
    expect(enhet).to_have_value(str(org["EB"].pk))  # the reporter's own unit
    enhet.select_option(str(org["EB"].pk))
    datum = sida.get_by_label(re.compile("^När hände det"))
    expect(datum).to_have_value("")  # unknown: left empty
    expect(sida.get_by_label("Datumet är ungefärligt")).not_to_be_checked()
    sida.get_by_label(re.compile("^Vad har hänt, eller vad kan hända")).fill(BESKRIVNING)
    sida.get_by_role("group", name=re.compile("^Var kommer uppgifterna från")).get_by_role(
        "radio", name="Jag har själv sett eller varit med om det"
    ).check()
    sida.get_by_label(re.compile("^Vem lämnade uppgifterna")).fill(KALLA)
    sida.get_by_label(re.compile("^Vad har gjorts redan")).fill(DIREKT)
    _steg(sida, "02-rapport-ifylld")
    sida.get_by_role("button", name="Skicka rapporten").click()

    kvitto = sida.locator(".meddelande.success")
    expect(kvitto).to_contain_text("Tack! Din rapport är registrerad som LS-")
    expect(kvitto).to_contain_text("Enhetschefen och förvaltningschefen har fått ett meddelande.")
    nummer = NUMMER.search(kvitto.inner_text()).group(0)
    arende_url = f"/lexsarah/{nummer}/"
    expect(sida).to_have_url(re.compile(f"{re.escape(arende_url)}$"))
    _status(sida, "Rapporterad")
    # The reporter sees the status and their own rapport, not the investigation.
    expect(sida.get_by_role("region", name="Status")).to_contain_text("Ekonomiskt bistånd")
    egen = sida.get_by_role("heading", name="Din rapport")
    expect(egen).to_be_visible()
    expect(sida.get_by_text("HEMLIG-BESKRIVNING ungdomen Kalle Sentinelsson")).to_be_visible()
    for rubrik in ("Bedömning", "Utredning", "Omedelbara åtgärder", "Tidsfrister", "IVO"):
        expect(sida.get_by_role("heading", name=rubrik, exact=True)).to_have_count(0)
    expect(sida.locator("form.overgang")).to_have_count(0)
    _steg(sida, "03-kvitto-medarbetare")
    logga_ut(sida)

    # --- 2. The enhetschef registers the immediate actions ----------------------------
    sida = ny_sida("dator")
    logga_in(sida, "enhetschef")
    _steg(sida, "04-start-enhetschef")
    _till_arendet(sida, nummer)
    _status(sida, "Rapporterad")
    rapport = sida.get_by_role("region", name="Rapporten")
    expect(rapport).to_contain_text("Okänt datum")
    expect(rapport).to_contain_text(f"{FORNAMN} {EFTERNAMN}")
    expect(rapport).to_contain_text(KALLA)
    # The förvaltningschef decides the investigation; the enhetschef is not offered it.
    expect(sida.get_by_role("button", name="Besluta om utredning")).to_have_count(0)
    expect(sida.get_by_role("button", name="Utse utredare")).to_have_count(0)

    form = _oppna_steg(sida, "Registrera omedelbara åtgärder")
    form.get_by_label(re.compile("^Vad har gjorts för den enskilde")).fill(
        "Beslutet skickades på nytt till rätt adress och handläggaren kontaktade ungdomen."
    )
    form.get_by_label(re.compile("^Vilket stöd har personalen fått")).fill(
        "Samtal med enhetschefen."
    )
    form.get_by_role(
        "group", name=re.compile("^Har den enskilde eller företrädaren informerats")
    ).get_by_role("radio", name="Ja").check()
    form.get_by_label(re.compile("^När informerades hen")).fill(igar.isoformat())
    form.get_by_label(re.compile(r"^Hur\?")).fill(INFO_HUR)
    _steg(sida, "05-omedelbara-ifyllda")
    _skicka(form)
    _lyckades(sida, "De omedelbara åtgärderna är registrerade.")
    omedelbara = sida.get_by_role("region", name="Omedelbara åtgärder")
    expect(omedelbara).to_contain_text(f"Ja, {igar.isoformat()}")
    _steg(sida, "06-omedelbara-registrerade")
    logga_ut(sida)

    # --- 3. The förvaltningschef decides the investigation ----------------------------
    sida = ny_sida("dator")
    logga_in(sida, "forvaltningschef")
    _till_arendet(sida, nummer)
    form = _oppna_steg(sida, "Besluta om utredning")
    _steg(sida, "07-besluta-om-utredning")
    _skicka(form)
    _lyckades(sida, f"Beslutet om utredning av {nummer} är registrerat.")
    _status(sida, "Under utredning")
    expect(sida.get_by_role("region", name="Utredning")).to_contain_text(
        f"Beslut om utredning {idag.isoformat()}."
    )
    logga_ut(sida)

    # --- 4. The avdelningschef appoints the utredare ----------------------------------
    sida = ny_sida("dator")
    logga_in(sida, "avdelningschef")
    _till_arendet(sida, nummer)
    form = _oppna_steg(sida, "Utse utredare")
    form.get_by_label("Utredare").select_option(str(personas["utredare"].pk))
    _steg(sida, "08-utse-utredare")
    _skicka(form)
    expect(sida.locator(".meddelande.success")).to_be_visible()
    expect(sida.get_by_role("region", name="Rapporten")).to_contain_text(str(personas["utredare"]))
    logga_ut(sida)

    # --- 5. The utredare investigates, classifies and writes to the nämnd -------------
    sida = ny_sida("dator")
    logga_in(sida, "utredare")
    _steg(sida, "09-start-utredare")
    _till_arendet(sida, nummer)
    # Not the utredare's steps: the immediate actions and the proposal.
    expect(sida.get_by_role("button", name="Registrera omedelbara åtgärder")).to_have_count(0)
    expect(sida.get_by_role("button", name="Lämna förslag till beslut")).to_have_count(0)

    form = _oppna_steg(sida, "Spara utredningen")
    form.get_by_label("Bakgrund", exact=True).fill(
        "Ungdomen har ekonomiskt bistånd. Ett beslut skulle skickas till ungdomen."
    )
    form.get_by_role("textbox", name="Metod", exact=True).fill(
        "Genomgång av journalen och samtal med handläggaren och enhetschefen."
    )
    form.get_by_role(
        "group", name=re.compile("^Har den enskilde fått komma till tals")
    ).get_by_role("radio", name="Ja").check()
    form.get_by_label("Händelseförlopp").fill(
        f"{(idag - timedelta(days=3)).isoformat()} Beslutet fattades.\n"
        f"{(idag - timedelta(days=2)).isoformat()} Beslutet skickades till en gammal adress."
    )
    form.get_by_label("Bakomliggande orsaker").fill(
        "Mänskligt misstag, en otydlig rutin och inaktuella adressuppgifter."
    )
    form.get_by_role("checkbox", name="Processer och rutiner").check()
    form.get_by_label(re.compile("^Vidtagna åtgärder")).fill(
        f"{igar.isoformat()} Rutinen gicks igenom på arbetsplatsträffen."
    )
    _steg(sida, "10-utredning-ifylld")
    _skicka(form)
    _lyckades(sida, "Utredningen är sparad.")
    utredning = sida.get_by_role("region", name="Utredning")
    expect(utredning.locator("ol.forlopp li")).to_have_count(2)
    expect(utredning).to_contain_text("Processer och rutiner")

    form = _oppna_steg(sida, "Gör bedömningen")
    form.get_by_role("group", name=re.compile("^Klassning")).get_by_role(
        "radio", name="Allvarligt missförhållande", exact=True
    ).check()
    form.get_by_role("group", name=re.compile("^Risk för upprepning")).get_by_role(
        "radio", name="Liten"
    ).check()
    form.get_by_role("group", name=re.compile("^Krävs en åtgärdsplan")).get_by_role(
        "radio", name="Ja"
    ).check()
    form.get_by_role("textbox", name="Bedömning", exact=True).fill(
        "Ungdomens uppgifter röjdes för obehöriga: ett allvarligt missförhållande."
    )
    _steg(sida, "11-bedomning-ifylld")
    _skicka(form)
    _lyckades(sida, "Allvarligt missförhållande ska anmälas till IVO snarast")
    varning = sida.locator(".meddelande.warning", has_text="Anmälan till IVO:")
    expect(varning).to_contain_text("ska anmälas till IVO snarast")
    expect(sida.get_by_role("region", name="IVO")).to_contain_text("Ska anmälas till IVO.")
    _steg(sida, "12-bedomning-ivo-varning")

    form = _oppna_steg(sida, "Skriv tjänsteskrivelsen")
    form.get_by_label("Sammanfattning av ärendet").fill(SAMMANFATTNING)
    form.get_by_label("Förslag till beslut").fill(FORSLAG)
    form.get_by_label("Ärendets handlingar").fill(
        "Utredning enligt lex Sarah\nHandlingsplan för adressuppgifter"
    )
    form.get_by_label("Beslutet skickas till").fill("IVO\nAvdelningschefen")
    _steg(sida, "13-tjansteskrivelse-ifylld")
    _skicka(form)
    _lyckades(sida, "Tjänsteskrivelsen är sparad.")
    expect(sida.get_by_role("region", name="Tjänsteskrivelse till nämnden")).to_contain_text(
        FORSLAG
    )
    _steg(sida, "14-utredare-klar")
    logga_ut(sida)

    # --- 6. The förvaltningschef notifies IVO, before the decision --------------------
    sida = ny_sida("dator")
    logga_in(sida, "forvaltningschef")
    _till_arendet(sida, nummer)
    expect(sida.locator(".meddelande.warning", has_text="Anmälan till IVO:")).to_be_visible()
    form = _oppna_steg(sida, "Registrera anmälan till IVO")
    expect(form.get_by_label("Anmäld till IVO")).to_have_value(idag.isoformat())
    form.get_by_label(re.compile("^IVO:s diarienummer")).fill("3.5.1-12345/2026")
    form.get_by_label("Anmälan som den skickades").fill(
        "Anmälan enligt lex Sarah om ett allvarligt missförhållande."
    )
    _skicka(form)
    _lyckades(sida, "Anmälan till IVO är registrerad.")
    expect(sida.locator(".meddelande.warning", has_text="Anmälan till IVO:")).to_have_count(0)
    expect(sida.get_by_role("region", name="IVO")).to_contain_text("3.5.1-12345/2026")
    # The investigation is the utredare's and the avdelningschef's, not the deciding one's.
    for steg in ("Spara utredningen", "Gör bedömningen", "Skriv tjänsteskrivelsen"):
        expect(sida.get_by_role("button", name=steg)).to_have_count(0)
    _steg(sida, "15-anmalan-ivo-registrerad")
    logga_ut(sida)

    # --- 7. The avdelningschef hands in the proposal ----------------------------------
    sida = ny_sida("dator")
    logga_in(sida, "avdelningschef")
    _till_arendet(sida, nummer)
    # The bedömning requires an action plan: the proposal waits for it.
    expect(sida.get_by_text("Bedömningen kräver en åtgärdsplan")).to_be_visible()
    atgarder = sida.get_by_role("region", name="Förbättrande åtgärder")
    atgarder.get_by_text("Lägg till åtgärd", exact=True).click()
    ny = atgarder.locator("#ny-atgard")
    ny.get_by_label("Titel").fill("Försättsblad med mottagare och adress vid utskick")
    ny.get_by_label("Typ av åtgärd").select_option("rutin")
    ny.get_by_label("Ansvarig").select_option(str(personas["enhetschef"].pk))
    ny.get_by_label("Klart senast").fill((idag + timedelta(days=60)).isoformat())
    ny.get_by_role("button", name="Lägg till åtgärden").click()
    _lyckades(sida, "Åtgärden är tillagd.")
    sida.get_by_role("button", name="Lämna förslag till beslut").click()
    expect(sida.get_by_role("heading", level=1)).to_have_text(
        f"Lämna förslag till beslut: {nummer}"
    )
    expect(sida.get_by_text("Utredningen låses tills beslutsfattaren")).to_be_visible()
    _steg(sida, "16-lamna-forslag-bekrafta")
    sida.get_by_role("button", name="Ja, lämna förslag till beslut").click()
    _lyckades(sida, f"Förslaget till beslut i {nummer} är lämnat.")
    _status(sida, "Förslag till beslut")
    logga_ut(sida)

    # --- 8. The förvaltningschef registers the nämnd's decision -----------------------
    sida = ny_sida("dator")
    logga_in(sida, "forvaltningschef")
    _till_arendet(sida, nummer)
    _status(sida, "Förslag till beslut")
    form = _oppna_steg(sida, "Registrera beslut")
    form.get_by_role("group", name=re.compile("^Vem beslutade")).get_by_role(
        "radio", name="Nämnden"
    ).check()
    expect(form.get_by_label("Beslutsdatum")).to_have_value(idag.isoformat())
    expect(form.get_by_role("textbox", name="Beslut", exact=True)).to_have_value(FORSLAG)
    form.get_by_label("Diarienummer").fill(DIARIENUMMER)
    form.get_by_label("Nämndens sammanträde").fill(idag.isoformat())
    form.get_by_label("Paragraf (§)").fill(f"§ {PARAGRAF}")
    _steg(sida, "17-beslut-ifyllt")
    _skicka(form)
    expect(sida.get_by_role("heading", level=1)).to_have_text(f"Registrera beslut: {nummer}")
    expect(sida.locator("dl.fakta")).to_contain_text("Nämnden")
    expect(sida.locator("dl.fakta")).to_contain_text(DIARIENUMMER)
    _steg(sida, "18-beslut-bekrafta")
    sida.get_by_role("button", name="Ja, registrera beslut").click()
    _lyckades(sida, "Beslutet är registrerat.")
    _status(sida, "Beslutad")
    beslut = sida.get_by_role("region", name="Beslut", exact=True)
    expect(beslut).to_contain_text(f"Nämnden, sammanträde {idag.isoformat()} §")
    # The paragraph typed as "§ 47" (the label says "Paragraf (§)") is stored as "47".
    assert f"§ {PARAGRAF}" in beslut.inner_text() and "§ §" not in beslut.inner_text()
    expect(sida.locator(".dokumentlankar")).to_contain_text("Beslutade dokument")
    _steg(sida, "19-beslutad-forvaltningschef")
    logga_ut(sida)

    # --- 9. The nämnd reads its documents, and nothing else ---------------------------
    sida = ny_sida("dator")
    _logga_in_namnd(sida)
    _steg(sida, "20-start-namnd")
    huvudmeny(sida).get_by_role("link", name="Lex Sarah – nämndhandlingar").click()
    expect(sida.get_by_role("heading", level=1, name="Lex Sarah – nämndhandlingar")).to_be_visible()
    rad = sida.get_by_role("row", name=re.compile(nummer))
    expect(rad).to_contain_text(DIARIENUMMER)
    expect(rad).to_contain_text(f"§ {PARAGRAF}")
    _steg(sida, "21-namndhandlingar")
    tjansteskrivelse = _pdf_text(
        _ladda_ner(
            sida,
            rad.get_by_role("link", name=f"Tjänsteskrivelse {nummer} (PDF)"),
            nummer,
            "tjansteskrivelse",
        )
    )
    utredningen = _pdf_text(
        _ladda_ner(
            sida, rad.get_by_role("link", name=f"Utredning {nummer} (PDF)"), nummer, "utredning"
        )
    )
    for namn, text in (("tjänsteskrivelsen", tjansteskrivelse), ("utredningen", utredningen)):
        platt = _utan_blanksteg(text).lower()
        for hemligt in (*HEMLIGT, FORNAMN, EFTERNAMN, medarbetare.username):
            assert _utan_blanksteg(hemligt).lower() not in platt, (
                f"{hemligt!r} står i {namn}: {text}"
            )
        assert "Utkast" not in text, f"{namn} är beslutad, inte ett utkast: {text}"
    assert FORSLAG in tjansteskrivelse, tjansteskrivelse
    assert SAMMANFATTNING in tjansteskrivelse, tjansteskrivelse
    assert re.search(rf"§\s*{PARAGRAF}\b", tjansteskrivelse), tjansteskrivelse
    assert DIARIENUMMER in tjansteskrivelse, tjansteskrivelse
    for rubrik in ("Bakgrund", "Metod", "Resultat", "Åtgärdsplan", "Bedömning"):
        assert rubrik in utredningen, (rubrik, utredningen)
    assert "Allvarligt missförhållande" in utredningen, utredningen
    assert "Beslutet skickades till en gammal adress." in utredningen, utredningen

    # The case page is not the nämnd's.
    svar = sida.goto(arende_url)
    assert svar.status == 403, svar.status
    _steg(sida, "22-namnd-arende-nekat")
    logga_ut(sida)

    # --- 10. The kvalitetssamordnare reads the access log -----------------------------
    sida = ny_sida("dator")
    logga_in(sida, "kvalitetssamordnare")
    _till_atkomstloggen(sida)
    expect(
        sida.get_by_role("heading", level=1, name="Åtkomstlogg för lex Sarah-ärenden")
    ).to_be_visible()
    sida.get_by_role("textbox", name="Ärendenummer", exact=True).fill(nummer)
    sida.get_by_role("button", name="Visa").click()
    rader = sida.locator("tbody tr")
    expect(rader.filter(has_text="Visade ärendet").first).to_be_visible()
    namnd_namn = personas["namnd"].get_full_name() or "namnd"
    hamtat = rader.filter(has_text="Hämtade ett dokument").filter(has_text=namnd_namn)
    expect(hamtat).to_have_count(2)
    expect(rader.filter(has_text=f"{FORNAMN} {EFTERNAMN}").first).to_be_visible()
    # The log names the document as the nämnd's page does, not by its address.
    vad = sorted(t.strip() for t in hamtat.locator("td:last-child").all_inner_texts())
    assert vad == ["Tjänsteskrivelse", "Utredning enligt lex Sarah"]
    _steg(sida, "23-atkomstlogg")

    # The kvalitetssamordnare reads the whole case and takes no step; the reading is logged.
    huvudmeny(sida).get_by_role("link", name="Mina ärenden").click()
    sida.get_by_role("searchbox", name=re.compile("^Sök ärende")).fill(nummer)
    sida.get_by_role("button", name="Sök").click()
    expect(sida.get_by_role("heading", level=1)).to_contain_text(nummer)
    _status(sida, "Beslutad")
    expect(sida.get_by_role("region", name="Bedömning")).to_contain_text(
        "Allvarligt missförhållande"
    )
    expect(sida.locator("form.overgang")).to_have_count(0)
    _steg(sida, "24-arende-kvalitetssamordnare")
    _till_atkomstloggen(sida)
    expect(
        sida.locator("tbody tr")
        .filter(has_text="Visade ärendet")
        .filter(has_text=personas["kvalitetssamordnare"].get_full_name())
    ).to_have_count(1)
