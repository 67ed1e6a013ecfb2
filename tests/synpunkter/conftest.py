"""Fixtures of the synpunkt tests: the scenario every test starts from."""

from types import SimpleNamespace

import pytest

from tests.synpunkter.hjalp import KONTAKT, KONTAKT_ANNAN


@pytest.fixture
def syn(org, personas):
    """The world of the synpunkt tests.

    - `s.syn`: a klagomål from the e-service for Ekonomiskt bistånd (under
      Myndighetsavdelningen), with contact details and an attachment, status inkommen;
    - `s.annan`: a klagomål for Kollektivet HVB (Öppenvårdsavdelningen);
    - `s.kategori`: the standard category Handläggning; `s.avv_kat` an avvikelse category.
    """
    from avvikelser.models import Kategori as AvvKategori
    from kvalitet.models import Attachment
    from synpunkter.models import Kategori
    from tests.factories import SynpunktFactory
    from tests.stod import fil, pdf_bytes

    synpunkt = SynpunktFactory(enhet=org["EB"], kontakt=dict(KONTAKT))
    annan = SynpunktFactory(enhet=org["KOLL"], kontakt=dict(KONTAKT_ANNAN))
    bilaga = Attachment.store(synpunkt, fil("brev.pdf", pdf_bytes()), "application/pdf", None)
    kategori, _ = Kategori.objects.get_or_create(namn="Handläggning")
    avv_kat, _ = AvvKategori.objects.get_or_create(namn="Handläggning")
    return SimpleNamespace(
        org=org,
        personas=personas,
        syn=synpunkt,
        annan=annan,
        bilaga=bilaga,
        kategori=kategori,
        avv_kat=avv_kat,
    )
