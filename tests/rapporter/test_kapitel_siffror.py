"""Issue 11: the chapter editor shows the figures the chapter's text is about, the same
part of the report the preview and the PDF show, computed now for a draft."""

import pytest
from django.template.loader import render_to_string

from rapporter.kapitel import KAPITEL
from rapporter.siffror import berakna
from tests.rapporter.conftest import AR, BRYTDATUM
from tests.stod import har_text


def detalj(b):
    return f"/rapporter/{b.pk}/"


@pytest.mark.parametrize("slug", [k.slug for k in KAPITEL if k.mall])
def test_kapitelsidan_visar_kapitlets_siffror_som_rapporten(ar2025, utkast, klient_for, slug):
    kapitel = next(k for k in KAPITEL if k.slug == slug)
    response = klient_for("kvalitetssamordnare").get(f"{detalj(utkast)}kapitel/{slug}/")
    har_text(response, "Siffrorna som texten handlar om", 200)
    siffror = berakna(AR, BRYTDATUM)["kapitel"][slug]
    del_ = render_to_string(kapitel.mall, {"s": siffror, "ar": AR})
    assert del_.strip() and del_ in response.content.decode()


def test_kapitel_utan_siffror_visar_inga(utkast, klient_for):
    response = klient_for("kvalitetssamordnare").get(f"{detalj(utkast)}kapitel/inledning/")
    assert "Siffrorna som texten handlar om" not in response.content.decode()
