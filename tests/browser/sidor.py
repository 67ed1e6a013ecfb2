"""Helpers for the browser tests: logging in and out, screenshots, layout and axe checks."""

import json
import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTEFAKTER, LOSENORD

ALLVARLIGA = ("serious", "critical")


def huvudmeny(sida: Page):
    """The main menu, opened first where it is folded behind its button (below 1024 px),
    as a person on a phone opens it. After the page's scripts (they run before
    DOMContentLoaded): before them the button is hidden and the menu open."""
    sida.wait_for_load_state("domcontentloaded")
    knapp = sida.locator(".menyknapp")
    if knapp.is_visible() and knapp.get_attribute("aria-expanded") == "false":
        knapp.click()
        expect(knapp).to_have_attribute("aria-expanded", "true")
    return sida.get_by_role("navigation", name="Huvudmeny")


def logga_in(sida: Page, anvandarnamn: str, losenord: str = LOSENORD):
    """Log in through the login form, as a person would, and wait for the start page.
    A person with a second factor types the app's code (`appkod`); one who must have it
    and has none (an administrator) sets the app up first (`aktivera_appen`)."""
    sida.goto("/konto/logga-in/")
    sida.get_by_label("Användarnamn").fill(anvandarnamn)
    sida.get_by_label("Lösenord").fill(losenord)
    # Exact: with OIDC on, "Logga in med kommunens konto" is a button too.
    sida.get_by_role("button", name="Logga in", exact=True).click()
    rubrik = sida.get_by_role("heading", level=1)
    expect(rubrik).to_have_text(
        re.compile("^(Mina ärenden|Tvåstegsverifiering|Slå på tvåstegsverifiering)$")
    )
    if rubrik.inner_text() == "Tvåstegsverifiering":
        sida.get_by_role("textbox", name="Kod", exact=True).fill(appkod(anvandarnamn))
        sida.get_by_role("button", name="Fortsätt").click()
    elif rubrik.inner_text() == "Slå på tvåstegsverifiering":
        aktivera_appen(sida)
        sida.get_by_role("button", name=re.compile("Jag har sparat koderna")).click()
    expect(sida.get_by_role("heading", level=1, name="Mina ärenden")).to_be_visible()


def totp_kod(nyckel: bytes, t: int) -> str:
    """The six digits of an app with the key at time step `t`."""
    from django_otp.oath import TOTP

    totp = TOTP(nyckel)
    totp.time = t * 30
    return f"{totp.token():06d}"


def appkod(anvandarnamn: str) -> str:
    """The code the person's app shows: the current time step's, or the next one's when
    the current code was used already (a second login within the same 30 seconds)."""
    import time

    from django_otp.plugins.otp_totp.models import TOTPDevice

    app = TOTPDevice.objects.get(user__username=anvandarnamn, confirmed=True)
    return totp_kod(app.bin_key, max(int(time.time()) // 30, app.last_t + 1))


def aktivera_appen(sida: Page) -> list[str]:
    """On the enrolment page: read the secret as a person types it into the app, type
    the app's code; returns the recovery codes shown."""
    import time
    from base64 import b32decode

    hemlighet = sida.locator("[data-hemlighet]").inner_text().replace(" ", "")
    nyckel = b32decode(hemlighet + "=" * (-len(hemlighet) % 8))
    sida.get_by_role("textbox", name="Kod", exact=True).fill(
        totp_kod(nyckel, int(time.time()) // 30)
    )
    sida.get_by_role("button", name="Slå på").click()
    expect(sida.get_by_role("heading", level=1)).to_have_text("Klart! Spara dina reservkoder")
    return [k.strip() for k in sida.locator(".reservkoder code").all_inner_texts()]


def logga_ut(sida: Page):
    """Log out with the header's button and wait for the login page."""
    sida.get_by_role("button", name=re.compile(r"^Logga ut")).click()
    expect(sida.get_by_role("heading", level=1, name="Logga in")).to_be_visible()


def skarmbild(sida: Page, namn: str):
    """Full-page screenshot into test-artifacts/browser/<namn>.png."""
    ARTEFAKTER.mkdir(parents=True, exist_ok=True)
    sokvag = ARTEFAKTER / f"{namn}.png"
    sida.screenshot(path=str(sokvag), full_page=True)
    return sokvag


def ingen_sidledes_rullning(sida: Page, tabeller_far_rulla: bool = False):
    """Nothing sticks out to the right: on a phone that means sideways scrolling, or
    content (a table's last columns) that nobody finds.

    With `tabeller_far_rulla`, wide tables may scroll inside their own `.tabell` box.
    The header's menu wraps on a phone: none of its parts is past the edge either.
    """
    bredast = sida.evaluate(
        """(tabeller) => {
            const vy = document.documentElement.clientWidth;
            // Clipped away (visually hidden), or scrolling inside its own box.
            const dold = (el) => {
                for (let a = el.parentElement; a; a = a.parentElement) {
                    const cs = getComputedStyle(a);
                    if (cs.clip !== "auto" || cs.clipPath !== "none") return true;
                    const inom = a.getBoundingClientRect().right <= vy + 1;
                    if (["hidden", "clip"].includes(cs.overflowX) && inom) return true;
                    if (tabeller && ["auto", "scroll"].includes(cs.overflowX) && inom) return true;
                }
                return false;
            };
            const utanfor = [];
            for (const el of document.querySelectorAll("body *")) {
                const r = el.getBoundingClientRect();
                if (r.width && r.right > vy + 1 && !dold(el)) {
                    const id = el.id ? "#" + el.id : "";
                    const cls = el.className && typeof el.className === "string"
                        ? "." + el.className.trim().split(/\\s+/).join(".") : "";
                    utanfor.push(el.tagName.toLowerCase() + id + cls + " (höger kant "
                        + Math.round(r.right) + " px)");
                }
            }
            return {
                vy: vy,
                dokument: document.documentElement.scrollWidth,
                utanfor: utanfor.slice(0, 10),
            };
        }""",
        tabeller_far_rulla,
    )
    assert bredast["dokument"] <= bredast["vy"] and not bredast["utanfor"], (
        f"{sida.url}: innehåll utanför skärmens högerkant (dokumentet {bredast['dokument']} px, "
        f"skärmen {bredast['vy']} px): {bredast['utanfor']}"
    )


def axe_fel(sida: Page, namn: str):
    """Run axe-core on the page; return the serious and critical violations.

    Every violation (of any impact) is written to test-artifacts/browser/axe-<namn>.json
    for the record.
    """
    from axe_playwright_python.sync_playwright import Axe

    resultat = Axe().run(sida)
    overtradelser = resultat.response["violations"]
    ARTEFAKTER.mkdir(parents=True, exist_ok=True)
    (ARTEFAKTER / f"axe-{namn}.json").write_text(
        json.dumps(
            [
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "help": v["help"],
                    "targets": [n["target"] for n in v["nodes"]],
                }
                for v in overtradelser
            ],
            ensure_ascii=False,
            indent=2,
        )
    )
    return [v for v in overtradelser if v.get("impact") in ALLVARLIGA]


def beskriv(overtradelser, url=""):
    """A readable report: id, impact, help, and each offending node's target and summary."""
    rader = [f"{len(overtradelser)} allvarliga axe-fel på {url}:"]
    for v in overtradelser:
        rader.append(f"- {v['id']} ({v['impact']}): {v['help']}  [{v['helpUrl']}]")
        for nod in v["nodes"]:
            rader.append(f"    {', '.join(map(str, nod['target']))}: {nod['html'][:160]}")
            sammanfattning = (nod.get("failureSummary") or "").replace("\n", " ")
            if sammanfattning:
                rader.append(f"      {sammanfattning[:300]}")
    return "\n".join(rader)


def kontrollera_axe(sida: Page, namn: str):
    """Assert no serious or critical axe-core violations on the current page."""
    fel = axe_fel(sida, namn)
    assert not fel, beskriv(fel, sida.url)
