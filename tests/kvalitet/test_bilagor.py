"""Valid attachments are stored privately under MEDIA_ROOT and streamed only by the
permission-checked download view."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from kvalitet.forms import identifiera_fil
from kvalitet.models import Attachment, TimelineEntry
from tests.stod import fil, hamta_html, jpeg_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

TEXT = "Anteckning från mötet: åtgärden är påbörjad – se även rutin 4 §.\n".encode()

GILTIGA = [
    ("beslut.pdf", pdf_bytes(), "application/pdf"),
    ("foto.png", png_bytes(), "image/png"),
    ("foto.JPG", jpeg_bytes(), "image/jpeg"),
    ("anteckning.txt", TEXT, "text/plain"),
]


@pytest.mark.parametrize(("namn", "innehall", "typ"), [pytest.param(*g, id=g[0]) for g in GILTIGA])
def test_giltig_bilaga_sparas_privat_och_laddas_ned(
    namn, innehall, typ, scen, klient_for, settings
):
    klient = klient_for("medarbetare")
    response = klient.post(
        f"/avvikelser/{scen.avv.nummer}/bilagor/",
        {"fil": fil(namn, innehall, "application/octet-stream")},
    )
    assert response.headers["Location"] == scen.avv.get_absolute_url()
    bilaga = Attachment.objects.get(filnamn=namn)
    assert bilaga.arende == scen.avv
    assert bilaga.innehallstyp == typ  # sniffed, not the browser's claim
    assert bilaga.storlek == len(innehall)
    assert bilaga.sha256 == hashlib.sha256(innehall).hexdigest()
    assert TimelineEntry.objects.filter(object_id=scen.avv.pk, typ="bilaga", text=namn).exists()

    # Stored under MEDIA_ROOT with a random name; never under the static files.
    sokvag = Path(bilaga.fil.path).resolve()
    assert sokvag.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not sokvag.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    for static in settings.STATICFILES_DIRS:
        assert not sokvag.is_relative_to(Path(static).resolve())
    assert namn.split(".")[0] not in sokvag.name
    assert sokvag.read_bytes() == innehall
    # No public address.
    with pytest.raises(ValueError, match="Bilagor har ingen publik adress"):
        _ = bilaga.fil.url
    assert django_settings.MEDIA_URL in (None, "")

    # The case page links to the download view, and the view streams it.
    sida = hamta_html(klient, scen.avv.get_absolute_url())
    assert f'href="/bilagor/{bilaga.pk}/"' in sida
    nedladdning = klient.get(f"/bilagor/{bilaga.pk}/")
    assert nedladdning.status_code == 200
    assert b"".join(nedladdning.streaming_content) == innehall
    assert nedladdning.headers["Content-Type"] == typ
    assert nedladdning.headers["Content-Disposition"] == f'attachment; filename="{namn}"'
    assert nedladdning.headers["Cache-Control"] == "private, no-store"
    assert nedladdning.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in nedladdning.headers["Content-Security-Policy"]


def test_filnamn_med_svenska_tecken_kodas_i_nedladdningen(scen, klient_for):
    klient = klient_for("medarbetare")
    klient.post(
        f"/avvikelser/{scen.avv.nummer}/bilagor/", {"fil": fil("Åtgärdsplan höst.pdf", pdf_bytes())}
    )
    bilaga = Attachment.objects.get(filnamn="Åtgärdsplan höst.pdf")
    response = klient.get(f"/bilagor/{bilaga.pk}/")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename*=utf-8''%C3%85tg%C3%A4rdsplan%20h%C3%B6st.pdf"
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("medarbetare", 200),
        ("enhetschef", 200),
        ("kvalitetssamordnare", 200),
        ("medarbetare_annan", 404),
        ("enhetschef_annan", 404),
        ("namnd", 404),
        ("admin", 404),
    ],
)
def test_nedladdning_bara_for_den_som_ser_arendet(persona, status, scen, klient_for):
    response = klient_for(persona).get(f"/bilagor/{scen.bilaga.pk}/")
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == pdf_bytes()
    else:
        assert b"%PDF" not in response.content


def test_nedladdning_for_annat_arendes_bilaga_nekas(scen, klient_for):
    """An attachment of a case in another unit is not reachable by guessing its id."""
    annan = Attachment.store(
        scen.annan, fil("hemlig.pdf", pdf_bytes()), "application/pdf", scen.kollega
    )
    assert klient_for("enhetschef").get(f"/bilagor/{annan.pk}/").status_code == 404
    assert klient_for("enhetschef_annan").get(f"/bilagor/{annan.pk}/").status_code == 200


def test_identifiera_fil_godtar_utf8_som_delas_vid_gransen():
    """A multi-byte character cut at the 8 KiB sniffing boundary is not an encoding error."""
    text = ("a" * 8191 + "å").encode()
    assert identifiera_fil(fil("lang.txt", text)) == "text/plain"
