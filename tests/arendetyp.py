"""What the shared tests need to know of a record type with steps, and the conformance
suite every case type inherits.

A case type (avvikelse, synpunkt, lex Sarah ...) is declared once, as an `Arendeflode` in
tests/<app>/hjalp.py: its model, how to make a case of a unit in a status, who handles
it, valid input for its steps. From that declaration

- tests/test_arbetsfloden.py takes every step from every status (`FLODEN`);
- `Arendetypsprov`, subclassed in tests/<app>/test_konformitet.py, checks what every
  case type promises: not visible → 404 and visible but not allowed → 403, on the
  detail page and on the URL of every step; a refused step changes nothing; the shared
  pages answer for the handler; the list, the start page and the detail page cost as
  many queries with 30 cases (or 30 of everything on a case) as with 3.

A new case type writes its `Arendeflode`, registers its part of the snapshot
(`tests.stod.ogonblicksdel`), adds the declaration to `FLODEN` and subclasses the suite:

    class TestLexSarah(Arendetypsprov):
        typ = LEX_SARAH
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kvalitet.views import StartView
from kvalitet.workflow import next_steps, steps_of
from tests.hjalp import kraver
from tests.stod import OK, L, fil, kontrollera_svar, ogonblick, pdf_bytes


@dataclass(frozen=True, kw_only=True)
class Flode:
    """What the workflow tests need to know of one record type with steps."""

    skapa: Callable  # (world, status) -> a saved record in that status
    persona: str  # who may take the steps
    url: Callable | None = None  # (record, step) -> the step's URL
    personer: dict = field(default_factory=dict)  # step name -> persona, where another
    data: dict = field(default_factory=dict)  # step name -> (world) -> valid POST data

    def stegurl(self, obj, t):
        return self.url(obj, t)

    def stegpersona(self, t):
        """The persona who may take the step."""
        return self.personer.get(t.name, self.persona)

    def stegdata(self, t, varld):
        """Valid input for the step (nothing for a step without a form), confirmed where
        the step asks for confirmation (kvalitet.views.StepView)."""
        data = self.data[t.name](varld) if t.name in self.data else {}
        return {**data, "bekraftad": "ja"} if t.confirm else data


@dataclass(frozen=True, kw_only=True)
class Arendeflode(Flode):
    """A case type: a `Flode` whose steps and shared pages live under its app's URL
    namespace, at the case's number.

    - `skapa(varld, status=None, enhet="EB")` makes a case of the unit (a key of `org`)
      in the status (default: the model's), valid for every step from that status;
    - `persona` handles the cases of Ekonomiskt bistånd and does not see those of
      another avdelning;
    - `vantar`: a status in which a case of Ekonomiskt bistånd waits for `persona` on
      the start page; `vantar_utan`: field values that leave undone what it then waits
      for (`skapa` fills in every step's work);
    - `ser_men_far_inte`: a persona who sees every case but may take none of its steps
      nor comment, attach files, add actions or links (docs/behorighet.md: reads and
      exports only).
    """

    modell: type
    persona: str = "enhetschef"
    vantar: str
    vantar_utan: dict = field(default_factory=dict)
    ser_men_far_inte: str = "kvalitetssamordnare"

    @property
    def label(self):
        return self.modell._meta.label

    def adress(self, namn, arende=None):
        """The URL of one of the type's pages (`lista`, `detalj`, a step ...)."""
        args = [arende.nummer] if arende is not None else []
        return reverse(f"{self.modell._meta.app_label}:{namn}", args=args)

    def stegurl(self, obj, t):
        return self.adress(t.name, obj)

    def steg(self):
        return steps_of(self.modell)

    def nummer_pa(self, html):
        """The case numbers of this type linked from a page."""
        lista = re.escape(self.adress("lista"))
        prefix = re.escape(self.modell.NUMMER_PREFIX)
        return set(re.findall(rf'href="{lista}({prefix}-\d{{4}}-\d{{4}})/"', html))


# The shared pages every case type has (kvalitet.views.arende_urls), by URL name, and the
# POSTs among them: comments and attachments (for those involved with the case), actions
# and links (for its handler).
GEMENSAMMA_SIDOR = ("detalj", "lista", "export_csv", "export_xlsx")
GEMENSAMMA_POSTER = ("kommentar", "attachment", "atgard", "link")


def _text(response):
    return (b"".join(response) if response.streaming else response.content).decode("utf-8-sig")


def _csv_nummer(response):
    rader = list(csv.reader(io.StringIO(_text(response)), delimiter=";"))
    assert rader[0][0] == "Ärendenummer", rader[0]
    return {r[0] for r in rader[1:]}


def _xlsx_nummer(response):
    bok = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rader = list(bok.active.iter_rows(values_only=True))
    assert rader[0][0] == "Ärendenummer", rader[0]
    return {r[0] for r in rader[1:]}


def kontrollera(klient_for, fall):
    """Make every request (persona, method, URL, code) and list every answer that differs
    from its code."""
    fel = []
    for persona, metod, url, kod in fall:
        klient = klient_for(persona)
        response = klient.get(url) if metod == "GET" else klient.post(url, {})
        try:
            kontrollera_svar(response, kod)
        except AssertionError as exc:
            fel.append(f"{metod} {url} som {persona or 'anonym'} (väntat {kod}): {exc}")
    assert not fel, "\n".join(fel)


def _inga_fel(response):
    fel = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert not fel, fel


class Arendetypsprov:
    """The tests every case type inherits. Subclass it in tests/<app>/test_konformitet.py
    as `class Test<Typ>(Arendetypsprov)` with `typ = <its Arendeflode>`."""

    typ: Arendeflode
    annan_enhet = "KOLL"  # a unit of another avdelning than the handler's
    per_sida = 25  # cases on a page of the list

    def pytest_generate_tests(self, metafunc):
        """The tests' parameters from the declaration: one per step of the model, one per
        handler-only shared action, one per shared page."""
        typ = metafunc.cls.typ
        steg = [t.name for t in typ.steg()]
        if "steg" in metafunc.fixturenames:
            metafunc.parametrize("steg", steg)
        if "handling" in metafunc.fixturenames:
            metafunc.parametrize("handling", [*steg, *GEMENSAMMA_POSTER])
        if "postadress" in metafunc.fixturenames:
            metafunc.parametrize("postadress", [*steg, *GEMENSAMMA_POSTER])
        if "sida" in metafunc.fixturenames:
            metafunc.parametrize("sida", [*GEMENSAMMA_SIDOR, *GEMENSAMMA_POSTER])
        if "matsida" in metafunc.fixturenames:
            metafunc.parametrize("matsida", ["lista", "start", "detalj"])

    @pytest.fixture
    def varld(self, org, personas):
        return SimpleNamespace(org=org, personas=personas)

    # --- Helpers ---------------------------------------------------------------------

    def steget(self, namn):
        return next(t for t in self.typ.steg() if t.name == namn)

    def arenden(self, varld, status=None):
        """A case of the handler's unit and one of another avdelning, in `status`."""
        eget = self.typ.skapa(varld, status)
        annat = self.typ.skapa(varld, status, enhet=self.annan_enhet)
        return eget, annat

    # --- Not visible → 404, visible but not allowed → 403 -------------------------------

    def test_typen_ar_deklarerad_som_sviten_forutsatter(self, varld):
        """The declaration holds what the tests below rely on: the handler sees the case of
        their unit and not the other avdelning's; the persona who sees but may not act
        does see both and takes none of the steps."""
        typ = self.typ
        assert typ.ser_men_far_inte not in {typ.stegpersona(t) for t in typ.steg()}
        assert typ.ser_men_far_inte != typ.persona
        eget, annat = self.arenden(varld)
        hanterar = typ.modell.objects.for_user(varld.personas[typ.persona])
        ser = typ.modell.objects.for_user(varld.personas[typ.ser_men_far_inte])
        assert set(hanterar) == {eget}
        assert set(ser) == {eget, annat}

    def test_detaljsidan_404_om_arendet_inte_syns_403_for_namnden(self, varld, klient_for):
        typ = self.typ
        eget, annat = self.arenden(varld)
        okant = f"{typ.modell.NUMMER_PREFIX}-1999-9999"
        kontrollera(
            klient_for,
            [
                (typ.persona, "GET", typ.adress("detalj", eget), 200),
                (typ.ser_men_far_inte, "GET", typ.adress("detalj", eget), 200),
                (typ.ser_men_far_inte, "GET", typ.adress("detalj", annat), 200),
                (typ.persona, "GET", typ.adress("detalj", annat), 404),
                (typ.persona, "GET", typ.adress("detalj", SimpleNamespace(nummer=okant)), 404),
                ("utan_roll", "GET", typ.adress("detalj", eget), 404),
                ("namnd", "GET", typ.adress("detalj", eget), 403),
                (None, "GET", typ.adress("detalj", eget), L),
            ],
        )

    def test_handlingen_404_om_arendet_inte_syns_403_om_den_inte_ar_ens(
        self, handling, varld, klient_for
    ):
        """Every step and the shared additions (comments, attachments, actions, links):
        refused with 404 to whoever does not see the case, with 403 to whoever sees it but
        may not; the one who may is not refused."""
        typ = self.typ
        eget, annat = self.arenden(varld)
        if handling in GEMENSAMMA_POSTER:
            adress, far = typ.adress, typ.persona
        else:
            t = self.steget(handling)
            adress, far = (lambda namn, arende: typ.stegurl(arende, t)), typ.stegpersona(t)
        fall = [
            (typ.persona, "POST", adress(handling, annat), 404),
            ("utan_roll", "POST", adress(handling, eget), 404),
            (typ.ser_men_far_inte, "POST", adress(handling, eget), 403),
            ("namnd", "POST", adress(handling, eget), 403),
            (None, "POST", adress(handling, eget), L),
        ]
        if far != typ.persona:
            fall.append((typ.persona, "POST", adress(handling, eget), 403))
        kontrollera(klient_for, fall)
        # The one who may: the step runs or the form asks for more, whatever the status.
        response = klient_for(far).post(adress(handling, eget), {})
        assert response.status_code in (302, 400), response.status_code

    def test_nekat_steg_andrar_ingenting(self, steg, varld, klient_for):
        """A step refused for its access (403, 404, login) with valid input, from a status
        it may be taken from, changes nothing; the same request by the one who may is
        carried out (so the refusals are not the input's or the status's doing)."""
        typ = self.typ
        t = self.steget(steg)
        status = t.source[0] if t.source else None
        eget, annat = self.arenden(varld, status)
        data = typ.stegdata(t, varld)
        fall = [
            (typ.ser_men_far_inte, eget, 403),
            ("namnd", eget, 403),
            ("utan_roll", eget, 404),
            (typ.persona, annat, 404),
            (None, eget, L),
        ]
        if typ.stegpersona(t) != typ.persona:
            fall.append((typ.persona, eget, 403))
        for persona, arende, kod in fall:
            fore = ogonblick()
            response = klient_for(persona).post(typ.stegurl(arende, t), data)
            kontrollera_svar(response, kod)
            assert ogonblick() == fore, f"{steg} som {persona} ändrade databasen"
        fore = ogonblick()
        response = klient_for(typ.stegpersona(t)).post(typ.stegurl(eget, t), data)
        kontrollera_svar(response, OK, arende_url=eget.get_absolute_url())
        _inga_fel(response)
        assert ogonblick() != fore

    def test_adresserna_for_att_andra_tar_bara_emot_post(self, postadress, varld, klient_for):
        typ = self.typ
        eget = typ.skapa(varld)
        if postadress in GEMENSAMMA_POSTER:
            url = typ.adress(postadress, eget)
        else:
            url = typ.stegurl(eget, self.steget(postadress))
        fore = ogonblick()
        response = klient_for(typ.persona).get(url)
        assert response.status_code == 405
        assert "POST" in response.headers["Allow"]
        assert ogonblick() == fore

    # --- Lists and the start page tell the cases apart (issue 10) ------------------------

    def test_listan_och_startsidan_visar_sammanfattning_och_vad_som_vantar(self, varld, klient_for):
        """Each row says what the case is about (the beginning of its text, escaped), and
        the start page what this user is expected to do with it."""
        typ = self.typ
        arende = typ.skapa(varld, typ.vantar)
        text = "Nyckelmening <b>med</b> märkning.\nResten av texten."
        typ.modell.objects.filter(pk=arende.pk).update(
            **{typ.modell.SAMMANFATTNING: text, **typ.vantar_utan}
        )
        visad = "Nyckelmening &lt;b&gt;med&lt;/b&gt; märkning. …"
        klient = klient_for(typ.persona)
        lista = _text(klient.get(typ.adress("lista")))
        assert f'<span class="sammanfattning">{visad}</span>' in lista
        start = _text(klient.get("/"))
        rad = re.search(rf">{arende.nummer}</a>.*?</tr>", start, re.S).group(0)
        assert f'<span class="sammanfattning">{visad}</span>' in rad
        att_gora = re.search(r'<td data-label="Att göra">(.*?)</td>', rad, re.S).group(1)
        arende.refresh_from_db()
        vantat = [str(t.label) for t in next_steps(varld.personas[typ.persona], arende)]
        assert vantat and att_gora == ", ".join(vantat)

    # --- Found by IVO's case number (SOKS_MED_IVO_DIARIENUMMER) ---------------------------

    def test_hittas_med_ivos_diarienummer_hur_det_an_skrivits(self, varld, klient_for):
        """A type IVO is part of is found by IVO's case number as by its own, however it is
        typed (with or without "IVO", any case and spacing): the header's search leads to
        the case whoever may see it, and no one else; the list's search finds it, and not
        another case whose number only begins the same."""
        typ = self.typ
        if not typ.modell.SOKS_MED_IVO_DIARIENUMMER:
            pytest.skip("typen söks inte med IVO:s diarienummer")
        eget, annat = self.arenden(varld)
        typ.modell.objects.filter(pk=eget.pk).update(ivo_diarienummer="IVO 3.5.1-4242/2026")
        typ.modell.objects.filter(pk=annat.pk).update(ivo_diarienummer="3.5.1-42421/2026")
        handlaggare, ser_allt = klient_for(typ.persona), klient_for(typ.ser_men_far_inte)
        for skrivet in ("IVO 3.5.1-4242/2026", "3.5.1-4242/2026", " ivo  3.5.1-4242/2026 "):
            svar = handlaggare.get("/sok/", {"nummer": skrivet})
            assert svar.headers["Location"] == eget.get_absolute_url(), skrivet
            lista = _text(handlaggare.get(typ.adress("lista"), {"q": skrivet}))
            assert typ.nummer_pa(lista) == {eget.nummer}, skrivet
        # The other avdelning's case: found by whoever sees it, not by the handler.
        svar = ser_allt.get("/sok/", {"nummer": "IVO 3.5.1-42421/2026"})
        assert svar.headers["Location"] == annat.get_absolute_url()
        svar = handlaggare.get("/sok/", {"nummer": "IVO 3.5.1-42421/2026"})
        assert svar.headers["Location"] == reverse("start")
        assert (
            typ.nummer_pa(_text(handlaggare.get(typ.adress("lista"), {"q": "3.5.1-4242"}))) == set()
        )

    @pytest.mark.postgres
    def test_ivos_diarienummer_soks_i_ett_index(self, varld):
        """At millions of cases a search for IVO's case number must not read the table:
        with sequential scans made expensive, the header's search condition is answered
        from the type's own index (`arendeindex(..., ivo=True)`)."""
        typ = self.typ
        if not typ.modell.SOKS_MED_IVO_DIARIENUMMER:
            pytest.skip("typen söks inte med IVO:s diarienummer")
        kraver(connection.vendor == "postgresql", "planen gäller PostgreSQL")
        user = varld.personas[typ.ser_men_far_inte]
        qs = typ.modell.objects.for_user(user).filter(
            typ.modell.sokvillkor("IVO 3.5.1-1/2026", user=user)
        )
        sql, params = qs.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as c:
            c.execute("SET LOCAL enable_seqscan = off")
            c.execute("EXPLAIN " + sql, params)
            plan = "\n".join(r[0] for r in c.fetchall())
        assert f"{typ.modell._meta.model_name}_ivo_dnr_idx" in plan, plan

    # --- The shared pages answer for the handler ----------------------------------------

    def test_gemensamma_sidor_svarar_handlaggaren(self, sida, varld, klient_for):
        typ = self.typ
        eget, annat = self.arenden(varld)
        handlaggare = varld.personas[typ.persona]
        klient = klient_for(typ.persona)
        ct = ContentType.objects.get_for_model(typ.modell)
        if sida in GEMENSAMMA_SIDOR:
            url = typ.adress(sida, eget if sida == "detalj" else None)
            response = klient.get(url)
            assert response.status_code == 200, response.status_code
            if sida == "detalj":
                assert f"<title>{eget.nummer}" in _text(response)
            elif sida == "lista":
                assert typ.nummer_pa(_text(response)) == {eget.nummer}
            elif sida == "export_csv":
                assert _csv_nummer(response) == {eget.nummer}
            else:
                assert _xlsx_nummer(response) == {eget.nummer}
            return
        lankmal = typ.skapa(varld)
        data, gjort = {
            "kommentar": (
                {"text": "Konformitetens kommentar."},
                lambda: eget.timeline.filter(
                    typ="kommentar", text="Konformitetens kommentar.", anvandare=handlaggare
                ).exists(),
            ),
            "attachment": (
                {"fil": fil("underlag.pdf", pdf_bytes(), "application/pdf")},
                lambda: eget.attachments.filter(
                    filnamn="underlag.pdf", uppladdad_av=handlaggare, content_type=ct
                ).exists(),
            ),
            "atgard": (
                {
                    "titel": "Konformitetens åtgärd",
                    "typ": "information",
                    "ansvarig": handlaggare.pk,
                    "forfallodatum": (timezone.localdate() + timedelta(days=30)).isoformat(),
                },
                lambda: eget.atgarder.filter(
                    titel="Konformitetens åtgärd", skapad_av=handlaggare, ansvarig=handlaggare
                ).exists(),
            ),
            "link": (
                {"nummer": lankmal.nummer, "kommentar": "Samma sak."},
                lambda: {str(lank.till) for lank in eget.links()} == {lankmal.nummer},
            ),
        }[sida]
        fore = ogonblick()
        response = klient.post(typ.adress(sida, eget), data)
        kontrollera_svar(response, OK, arende_url=eget.get_absolute_url())
        _inga_fel(response)
        assert gjort(), f"{sida}: ingen effekt"
        assert ogonblick() != fore

    # --- Query counts -----------------------------------------------------------------

    def fyll_pa(self, varld, antal):
        """Bring the cases of the handler's unit, waiting for them, up to `antal`; every
        other one with the handler set."""
        typ = self.typ
        for i in range(typ.modell.objects.count(), antal):
            arende = typ.skapa(varld, typ.vantar)
            if i % 2:
                typ.modell.objects.filter(pk=arende.pk).update(
                    handlaggare=varld.personas[typ.persona]
                )

    def fyll_pa_arendet(self, varld, arende, antal):
        """Give the case `antal` timeline entries, actions, attachments, links and history
        rows."""
        from kvalitet.models import Attachment
        from tests.factories import AtgardFactory

        user = varld.personas[self.typ.persona]
        while arende.timeline.filter(typ="kommentar").count() < antal:
            arende.log("kommentar", av=user, text="Kommentar")
        while arende.atgarder.count() < antal:
            AtgardFactory(arende=arende, ansvarig=user)
        while arende.attachments.count() < antal:
            Attachment.store(arende, fil("underlag.pdf", pdf_bytes()), "application/pdf", user)
        while arende.links().count() < antal:
            arende.link(self.typ.skapa(varld), "liknande", av=user)
        while arende.history.count() < antal:
            arende.save()

    def visat(self, matsida, html, arende):
        """What the page shows of the cases (or of one case), to compare with 3 and 30."""
        if matsida != "detalj":
            return {"ärenden": len(self.typ.nummer_pa(html))}
        lankade = self.typ.nummer_pa(html) - {arende.nummer}
        return {
            "åtgärder": html.count('<article id="atgard-'),
            "bilagor": len(set(re.findall(r'href="/bilagor/(\d+)/"', html))),
            "länkar": len(lankade),
            "kommentarer": html.count('class="tl-kommentar"'),
        }

    def relationer(self, varld):
        """The case's optional references ({field: a value}): users (not the one who looks)
        and list entries."""
        varden = {}
        for f in self.typ.modell._meta.concrete_fields:
            if f.many_to_one and f.null:
                if f.related_model is get_user_model():
                    varden[f.name] = varld.personas["medarbetare"]
                else:
                    varden[f.name] = f.related_model._default_manager.first()
                assert varden[f.name] is not None, f"ingen {f.related_model.__name__} att peka på"
        return varden

    def test_detaljsidan_kostar_lika_manga_fragor_med_och_utan_relationer(
        self, varld, klient_for, django_assert_num_queries
    ):
        """The case's references (handler, reporter, category ...) come with the case in
        its one query: filled in, they cost the page nothing more than empty."""
        typ = self.typ
        relationer = self.relationer(varld)
        assert relationer, "typen har inga valfria relationer att prova"
        tom, full = typ.skapa(varld, typ.vantar), typ.skapa(varld, typ.vantar)
        typ.modell.objects.filter(pk=tom.pk).update(**dict.fromkeys(relationer))
        typ.modell.objects.filter(pk=full.pk).update(**relationer)
        full.refresh_from_db()
        assert all(getattr(full, namn) == varde for namn, varde in relationer.items())
        klient = klient_for(typ.persona)
        klient.get(tom.get_absolute_url())  # warm caches outside the measurement
        with CaptureQueriesContext(connection) as fragor:
            assert klient.get(tom.get_absolute_url()).status_code == 200
        with django_assert_num_queries(len(fragor)):
            response = klient.get(full.get_absolute_url())
        assert response.status_code == 200
        assert f"<title>{full.nummer}" in _text(response)

    def test_sidan_kostar_lika_manga_fragor_med_3_och_30(
        self, matsida, varld, klient_for, django_assert_num_queries, monkeypatch
    ):
        """The list, the start page and the detail page cost the same number of queries
        with 3 cases (or 3 of everything on the case) as with 30, and show them all (the
        list a page of them)."""
        typ = self.typ
        klient = klient_for(typ.persona)
        arende = None
        if matsida == "detalj":
            arende = typ.skapa(varld, typ.vantar)
            url = arende.get_absolute_url()

            def fyll(antal):
                self.fyll_pa_arendet(varld, arende, antal)

            mycket = dict.fromkeys(("åtgärder", "bilagor", "länkar", "kommentarer"), 30)
        else:
            url = typ.adress("lista") if matsida == "lista" else reverse("start")

            def fyll(antal):
                self.fyll_pa(varld, antal)

            mycket = {"ärenden": self.per_sida if matsida == "lista" else 30}
            # All 30 on the start page too (it shows the most urgent MAX_VANTAR waiting of
            # a type: tests/kvalitet/test_behorighet.py).
            monkeypatch.setattr(StartView, "MAX_VANTAR", 30)
        fyll(3)
        klient.get(url)  # warm caches (content types, templates) outside the measurement
        with CaptureQueriesContext(connection) as fragor:
            response = klient.get(url)
        assert response.status_code == 200
        assert set(self.visat(matsida, _text(response), arende).values()) == {3}
        fyll(30)
        with django_assert_num_queries(len(fragor)):
            response = klient.get(url)
        assert response.status_code == 200
        # The page really shows the larger number.
        assert self.visat(matsida, _text(response), arende) == mycket
