"""The avvikelse workflow: rapporterad → under utredning → avslutad → (återöppna) under
utredning, who may take each step, what each step requires, and the förvaltningschef's
position with its lex Sarah signal."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from avvikelser.models import Avvikelse, markerad_for_lex_sarah
from kvalitet.models import TimelineEntry, Utskick
from kvalitet.workflow import TransitionNotAllowed, available_transitions
from tests.conftest import PERSONAS
from tests.factories import AvvikelseFactory
from tests.stod import forebild, hamta_html, har_text, meddelanden, ogonblick, satt_status

pytestmark = pytest.mark.django_db


def _statusrader(avv):
    return list(
        TimelineEntry.objects.filter(object_id=avv.pk, typ="status")
        .order_by("pk")
        .values_list("fran_status", "till_status")
    )


def test_hela_flodet_genom_vyerna(scen, klient_for):
    avv = scen.avv
    chef = klient_for("enhetschef")
    enhetschef = scen.personas["enhetschef"]
    bas = f"/avvikelser/{avv.nummer}"

    response = chef.post(f"{bas}/starta-utredning/")
    assert response.headers["Location"] == avv.get_absolute_url()
    assert meddelanden(response)[-1] == f"Utredningen av {avv.nummer} är startad."
    avv.refresh_from_db()
    assert avv.status == "under_utredning"
    assert avv.handlaggare == enhetschef
    assert avv.history.first().history_change_reason == "Starta utredning"

    response = chef.post(
        f"{bas}/utredning/",
        {
            "kategori": scen.kategori.pk,
            "orsaksomraden": [scen.orsak.pk],
            "analys": "Adressen hämtades ur ett gammalt register.",
            "vidtagna_atgarder": "",
        },
    )
    assert meddelanden(response)[-1] == "Utredningen är sparad."
    andring = TimelineEntry.objects.get(object_id=avv.pk, typ="andring")
    assert andring.text == (
        "Utredningen uppdaterad: kategori, orsaksområden, orsaksanalys\n"
        "Orsaksområden: inga → Processer och rutiner"
    )

    # Closing is confirmed on a page of its own once the input is valid; nothing is done
    # before that.
    data = {"aterkoppling": "Rutinen är förtydligad."}
    response = chef.post(f"{bas}/avsluta/", data)
    assert response.status_code == 200
    sida = response.content.decode()
    assert "Avsluta avvikelsen? Den som rapporterade får ett meddelande." in sida
    assert '<input type="hidden" name="bekraftad" value="ja">' in sida
    assert '<input type="hidden" name="aterkoppling" value="Rutinen är förtydligad.">' in sida
    avv.refresh_from_db()
    assert avv.status == "under_utredning"
    response = chef.post(f"{bas}/avsluta/", {**data, "bekraftad": "ja"})
    assert meddelanden(response)[-1] == f"{avv.nummer} är avslutad."
    avv.refresh_from_db()
    assert avv.status == "avslutad"
    assert avv.avslutad is not None
    assert avv.atgardstext_avslut == "Rutinen är förtydligad."

    response = chef.post(f"{bas}/ateroppna/", {"kommentar": "Ny uppgift från IVO."})
    assert meddelanden(response)[-1] == f"{avv.nummer} är öppnad igen."
    avv.refresh_from_db()
    assert avv.status == "under_utredning"
    assert avv.avslutad is None
    assert TimelineEntry.objects.filter(
        object_id=avv.pk, typ="status", text="Ny uppgift från IVO.", anvandare=enhetschef
    ).exists()

    chef.post(f"{bas}/avsluta/", {"aterkoppling": "", "bekraftad": "ja"})
    avv.refresh_from_db()
    assert avv.status == "avslutad"
    assert _statusrader(avv) == [
        ("rapporterad", "under_utredning"),
        ("under_utredning", "avslutad"),
        ("avslutad", "under_utredning"),
        ("under_utredning", "avslutad"),
    ]
    orsaker = list(
        avv.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert orsaker[-4:] == ["Utredning uppdaterad", "Avsluta", "Återöppna", "Avsluta"]


def test_omsparad_utredning_bevarar_tidigare_och_nya_orsaksomraden(scen, klient_for):
    """Re-saving the investigation with other cause areas keeps what they were: the
    timeline entry of the step names the cause areas before and after (the change history
    does not hold the many-to-many)."""
    from avvikelser.models import Orsaksomrade

    satt_status(scen.avv, "under_utredning", kategori=scen.kategori, analys="Otydlig rutin.")
    bemanning = Orsaksomrade.objects.get_or_create(namn="Bemanning")[0]
    kommunikation = Orsaksomrade.objects.get_or_create(namn="Kommunikation")[0]
    chef = klient_for("enhetschef")

    def spara(*orsaker):
        return chef.post(
            f"/avvikelser/{scen.avv.nummer}/utredning/",
            {
                "kategori": scen.kategori.pk,
                "orsaksomraden": [o.pk for o in orsaker],
                "analys": "Otydlig rutin.",
                "vidtagna_atgarder": "",
            },
        )

    spara(scen.orsak, bemanning)
    spara(kommunikation)
    spara()
    texter = list(
        TimelineEntry.objects.filter(object_id=scen.avv.pk, typ="andring")
        .order_by("pk")
        .values_list("text", flat=True)
    )
    namn = {o.pk: o.namn for o in (scen.orsak, bemanning, kommunikation)}
    forsta = ", ".join(
        namn[o.pk] for o in Orsaksomrade.objects.filter(pk__in=[scen.orsak.pk, bemanning.pk])
    )
    assert texter == [
        f"Utredningen uppdaterad: orsaksområden\nOrsaksområden: inga → {forsta}",
        f"Utredningen uppdaterad: orsaksområden\nOrsaksområden: {forsta} → Kommunikation",
        "Utredningen uppdaterad: orsaksområden\nOrsaksområden: Kommunikation → inga",
    ]
    # The case page shows them on its timeline.
    html = hamta_html(chef, scen.avv.get_absolute_url())
    assert f"Orsaksområden: {forsta} → Kommunikation" in html


# Every (transition, status) pair the transition does not start from.
FEL_STATUS = [
    ("starta-utredning", "under_utredning", "starta utredning", "under utredning"),
    ("starta-utredning", "avslutad", "starta utredning", "avslutad"),
    ("avsluta", "rapporterad", "avsluta", "rapporterad"),
    ("avsluta", "avslutad", "avsluta", "avslutad"),
    ("ateroppna", "rapporterad", "återöppna", "rapporterad"),
    ("ateroppna", "under_utredning", "återöppna", "under utredning"),
]


@pytest.mark.parametrize(("slug", "status", "atgard", "statusnamn"), FEL_STATUS)
def test_overgang_fran_fel_status_nekas_pa_svenska(
    slug, status, atgard, statusnamn, scen, klient_for
):
    satt_status(scen.avv, status, kategori=scen.kategori, analys="Otydlig rutin.")
    fore = ogonblick()
    response = klient_for("avdelningschef").post(
        f"/avvikelser/{scen.avv.nummer}/{slug}/",
        {"kommentar": "Ny information.", "aterkoppling": ""},
        follow=True,
    )
    assert response.status_code == 200
    har_text(response, f"Det går inte att {atgard} när status är {statusnamn}.")
    assert ogonblick() == fore


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_overgangarna_pa_modellen_per_roll(persona, scen):
    """Allowed: the unit's enhetschef and the avdelningschef above it. Everyone else is
    refused with PermissionDenied and nothing changes."""
    user = scen.personas[persona]
    tillatet = forebild(persona) in ("enhetschef", "avdelningschef")
    steg = [
        ("starta_utredning", "rapporterad", {}, "under_utredning"),
        ("avsluta", "under_utredning", {"aterkoppling": ""}, "avslutad"),
        ("ateroppna", "avslutad", {"kommentar": "Fel kategori."}, "under_utredning"),
    ]
    for namn, fran, kwargs, till in steg:
        avv = satt_status(scen.avv, fran, kategori=scen.kategori, analys="Otydlig rutin.")
        assert (namn in [t.name for t in available_transitions(user, avv)]) is tillatet
        if tillatet:
            getattr(avv, namn)(av=user, **kwargs)
            assert Avvikelse.objects.get(pk=avv.pk).status == till
        else:
            fore = ogonblick()
            with pytest.raises(PermissionDenied):
                getattr(avv, namn)(av=user, **kwargs)
            assert ogonblick() == fore


@pytest.mark.parametrize(
    ("enhet", "persona", "tillatet"),
    [
        ("TEAM", "enhetschef", True),  # the team is below the chef's unit
        ("TEAM", "avdelningschef", True),
        ("BUV", "enhetschef", False),  # a sibling unit
        ("BUV", "avdelningschef", True),
        ("KOLL", "avdelningschef", False),
        ("KOLL", "avdelningschef_annan", True),
        ("MYN", "enhetschef", False),  # a unit above the chef's
    ],
)
def test_chefen_hanterar_sin_enhet_och_enheterna_under(enhet, persona, tillatet, scen):
    avv = AvvikelseFactory(enhet=scen.org[enhet])
    user = scen.personas[persona]
    if tillatet:
        avv.starta_utredning(av=user)
        assert Avvikelse.objects.get(pk=avv.pk).status == "under_utredning"
    else:
        with pytest.raises(PermissionDenied):
            avv.starta_utredning(av=user)
        assert Avvikelse.objects.get(pk=avv.pk).status == "rapporterad"


def test_fel_status_ar_ett_fel_aven_pa_modellen(scen):
    with pytest.raises(TransitionNotAllowed, match="Det går inte att avsluta när status är"):
        scen.avv.avsluta(av=scen.personas["enhetschef"])
    assert Avvikelse.objects.get(pk=scen.avv.pk).status == "rapporterad"


def test_en_inaktuell_kopia_kan_inte_ga_forbi_status(scen):
    """The engine reads the status under a row lock, not from the (stale) instance."""
    enhetschef = scen.personas["enhetschef"]
    gammal = Avvikelse.objects.get(pk=scen.avv.pk)
    scen.avv.starta_utredning(av=enhetschef)
    with pytest.raises(TransitionNotAllowed):
        gammal.starta_utredning(av=enhetschef)
    assert TimelineEntry.objects.filter(object_id=scen.avv.pk, typ="status").count() == 1


# --- What closing and reopening require -----------------------------------------------------


@pytest.mark.parametrize(
    ("kategori", "analys", "meddelanden_"),
    [
        (False, "Otydlig rutin.", ["Välj en kategori innan avvikelsen avslutas."]),
        (True, "", ["Skriv en orsaksanalys innan avvikelsen avslutas."]),
        (True, "   ", ["Skriv en orsaksanalys innan avvikelsen avslutas."]),
        (
            False,
            "",
            [
                "Välj en kategori innan avvikelsen avslutas.",
                "Skriv en orsaksanalys innan avvikelsen avslutas.",
            ],
        ),
    ],
)
def test_avsluta_kraver_kategori_och_analys(kategori, analys, meddelanden_, scen, klient_for):
    satt_status(
        scen.avv, "under_utredning", kategori=scen.kategori if kategori else None, analys=analys
    )
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        f"/avvikelser/{scen.avv.nummer}/avsluta/", {"aterkoppling": "Tack."}
    )
    assert response.status_code == 400
    for text in meddelanden_:
        har_text(response, text)
    assert ogonblick() == fore
    assert Utskick.objects.count() == 0


def test_sidan_visar_vad_avslutet_kraver_innan_det_provas(scen, klient_for):
    """What closing requires is on the page before anyone tries: no closing form, the
    missing pieces named; once they are there the form is offered."""
    satt_status(scen.avv, "under_utredning", kategori=None, analys="")
    klient = klient_for("enhetschef")
    sida = hamta_html(klient, scen.avv.get_absolute_url())
    krav = sida[sida.index('<div class="overgang steg-krav"') :]
    krav = krav[: krav.index("</div>")]
    assert "<strong>Avsluta</strong> går när:" in krav
    assert "<li>Välj en kategori innan avvikelsen avslutas.</li>" in krav
    assert "<li>Skriv en orsaksanalys innan avvikelsen avslutas.</li>" in krav
    assert f'action="/avvikelser/{scen.avv.nummer}/avsluta/"' not in sida
    satt_status(scen.avv, "under_utredning", kategori=scen.kategori, analys="Otydlig rutin.")
    sida = hamta_html(klient, scen.avv.get_absolute_url())
    assert "steg-krav" not in sida
    assert f'action="/avvikelser/{scen.avv.nummer}/avsluta/"' in sida


def test_bekraftelsen_kommer_efter_kontrollen(scen, klient_for):
    """An unfinished investigation is refused with its messages, not asked to be
    confirmed; a confirmed request that no longer holds is refused the same way."""
    satt_status(scen.avv, "under_utredning", kategori=None, analys="")
    fore = ogonblick()
    klient = klient_for("enhetschef")
    for data in ({"aterkoppling": ""}, {"aterkoppling": "", "bekraftad": "ja"}):
        response = klient.post(f"/avvikelser/{scen.avv.nummer}/avsluta/", data)
        assert response.status_code == 400
        har_text(response, "Välj en kategori innan avvikelsen avslutas.")
        assert "Avsluta avvikelsen?" not in response.content.decode()
        assert ogonblick() == fore


@pytest.mark.parametrize("kommentar", ["", "   "])
def test_ateroppna_kraver_en_anledning(kommentar, scen, klient_for):
    satt_status(scen.avv, "avslutad", kategori=scen.kategori, analys="Otydlig rutin.")
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        f"/avvikelser/{scen.avv.nummer}/ateroppna/", {"kommentar": kommentar}
    )
    har_text(response, "Detta fält måste fyllas i.", status=400)
    assert ogonblick() == fore

    # The model refuses it too, for callers other than the form.
    with pytest.raises(ValidationError) as fel:
        scen.avv.ateroppna(av=scen.personas["enhetschef"], kommentar=kommentar)
    assert fel.value.message_dict == {"kommentar": ["Ange varför avvikelsen öppnas igen."]}
    assert ogonblick() == fore


# --- The förvaltningschef's position ----------------------------------------------------------


@pytest.fixture
def lex_sarah_signal():
    """Records every `markerad_for_lex_sarah` signal."""
    mottaget = []

    def mottagare(sender, **kwargs):
        mottaget.append(kwargs)

    markerad_for_lex_sarah.connect(mottagare, weak=False)
    yield mottaget
    markerad_for_lex_sarah.disconnect(mottagare)


def _stallning(klient, avv, varde, mottagen=None, kommentar=""):
    return klient.post(
        f"/avvikelser/{avv.nummer}/stallningstagande/",
        {
            "stallningstagande": varde,
            "mottagen": (mottagen or timezone.localdate()).isoformat(),
            "kommentar": kommentar,
        },
    )


@pytest.mark.parametrize(
    "varde,etikett",
    [
        ("allvarligt", "Allvarligt missförhållande – utreds enligt lex Sarah och anmäls till IVO."),
        ("lex_sarah", "Utredning enligt lex Sarah ska inledas."),
    ],
)
def test_lex_sarah_stallning_markerar_och_signalerar_en_gang_efter_commit(
    varde, etikett, scen, klient_for, lex_sarah_signal, django_capture_on_commit_callbacks
):
    fc = scen.personas["forvaltningschef"]
    klient = klient_for("forvaltningschef")
    satt_status(scen.avv, "under_utredning")
    with django_capture_on_commit_callbacks(execute=True):
        response = _stallning(klient, scen.avv, varde, kommentar="Ska utredas.")
        assert lex_sarah_signal == [], "signalen får skickas först efter commit"
    assert lex_sarah_signal == [
        {"signal": markerad_for_lex_sarah, "avvikelse_id": scen.avv.pk, "av": fc, "andrat": False}
    ]
    assert meddelanden(response) == [
        "Ställningstagandet är registrerat. Avvikelsen utreds enligt lex Sarah: ett lex "
        "Sarah-ärende öppnas och länkas hit."
    ]
    scen.avv.refresh_from_db()
    assert scen.avv.lex_sarah_aktuell
    assert scen.avv.fc_av == fc
    assert scen.avv.fc_datum == timezone.localdate()
    beslut = TimelineEntry.objects.get(object_id=scen.avv.pk, typ="beslut")
    assert beslut.text.startswith(etikett)
    sida = hamta_html(klient, scen.avv.get_absolute_url())
    assert "<strong>Lex Sarah:</strong>" in sida

    # The same position again changes nothing and does not signal again; a corrected
    # comment is signalled as a change (noted in the lex Sarah case), not a new case.
    with django_capture_on_commit_callbacks(execute=True):
        _stallning(klient, scen.avv, varde, kommentar="Ska utredas.")
    assert len(lex_sarah_signal) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _stallning(klient, scen.avv, varde, kommentar="Kompletterad.")
    assert lex_sarah_signal[1:] == [
        {"signal": markerad_for_lex_sarah, "avvikelse_id": scen.avv.pk, "av": fc, "andrat": True}
    ]


@pytest.mark.parametrize("varde", ["sarskilda_atgarder", "inte_allvarlig"])
def test_andra_stallningstaganden_signalerar_inte(
    varde, scen, klient_for, lex_sarah_signal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _stallning(klient_for("forvaltningschef"), scen.avv, varde)
    assert meddelanden(response) == ["Ställningstagandet är registrerat."]
    scen.avv.refresh_from_db()
    assert scen.avv.fc_stallningstagande == varde
    assert not scen.avv.lex_sarah_aktuell
    assert lex_sarah_signal == []


def test_stallningstagande_for_tillbud_nekas(
    scen, klient_for, lex_sarah_signal, django_capture_on_commit_callbacks
):
    Avvikelse.objects.filter(pk=scen.avv.pk).update(typ="tillbud")
    scen.avv.refresh_from_db()
    fore = ogonblick()
    with django_capture_on_commit_callbacks(execute=True):
        response = _stallning(klient_for("forvaltningschef"), scen.avv, "allvarligt")
    assert response.status_code == 403
    assert ogonblick() == fore
    with pytest.raises(
        ValidationError, match="Ställningstagande görs för avvikelser, inte tillbud."
    ):
        scen.avv.ta_stallning(
            av=scen.personas["forvaltningschef"],
            stallningstagande="allvarligt",
            mottagen=timezone.localdate(),
        )
    assert ogonblick() == fore
    assert lex_sarah_signal == []
    sida = hamta_html(klient_for("forvaltningschef"), scen.avv.get_absolute_url())
    assert "Förvaltningschefens ställningstagande" not in sida


@pytest.mark.parametrize("persona", [p for p in PERSONAS if forebild(p) != "forvaltningschef"])
def test_bara_forvaltningschefen_tar_stallning(persona, scen, lex_sarah_signal):
    fore = ogonblick()
    with pytest.raises(PermissionDenied, match="Endast förvaltningschefen tar ställning."):
        scen.avv.ta_stallning(
            av=scen.personas[persona],
            stallningstagande="allvarligt",
            mottagen=timezone.localdate(),
        )
    assert ogonblick() == fore
    assert lex_sarah_signal == []


def test_stallningstagandets_datum_kontrolleras_pa_modellen(scen):
    fc = scen.personas["forvaltningschef"]
    imorgon = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as fel:
        scen.avv.ta_stallning(av=fc, stallningstagande="inte_allvarlig", mottagen=imorgon)
    assert fel.value.message_dict == {"fc_mottagen": ["Datumet kan inte ligga i framtiden."]}
    igar = timezone.localdate(scen.avv.rapporterad) - timedelta(days=1)
    with pytest.raises(ValidationError) as fel:
        scen.avv.ta_stallning(av=fc, stallningstagande="inte_allvarlig", mottagen=igar)
    assert fel.value.message_dict == {
        "fc_mottagen": ["Avvikelsen kan inte ha tagits emot innan den rapporterades."]
    }
    assert Avvikelse.objects.get(pk=scen.avv.pk).fc_stallningstagande == ""


# --- Giving a case to a handler (issue 10) ---------------------------------------------


def test_chefen_tilldelar_en_utredare_som_sedan_utreder_och_avslutar(scen, klient_for):
    """From the case page: the unit's chef gives the case to an utredare of staben, who is
    told by e-mail, finds it on the start page with what to do, and may investigate and
    close it like the chef."""
    avv = scen.avv
    utredare = scen.personas["utredare"]
    bas = f"/avvikelser/{avv.nummer}"
    chef = klient_for("enhetschef")
    sida = hamta_html(chef, avv.get_absolute_url())
    assert f'action="{bas}/tilldela/"' in sida
    assert f'<option value="{utredare.pk}">{utredare}</option>' in sida
    assert "Tilldela handläggare" not in hamta_html(klient_for("medarbetare"), bas + "/")

    response = chef.post(f"{bas}/tilldela/", {"handlaggare": utredare.pk})
    assert response.headers["Location"] == avv.get_absolute_url()
    assert meddelanden(response)[-1] == f"{avv.nummer} handläggs nu av {utredare}."
    avv.refresh_from_db()
    assert (avv.handlaggare, avv.status) == (utredare, "rapporterad")
    assert avv.timeline.get(typ="andring").text == f"Handläggare: ingen → {utredare}"
    mejl = Utskick.objects.get(mottagare=utredare.email)
    assert mejl.amne == f"Du är handläggare för {avv.nummer}"
    assert avv.beskrivning not in mejl.text  # never case details by e-mail

    klient = klient_for("utredare")
    start = hamta_html(klient, "/")
    assert avv.nummer in start and "Starta utredning" in start
    assert klient.post(f"{bas}/starta-utredning/").status_code == 302
    data = {"kategori": scen.kategori.pk, "analys": "Fel i rutinen.", "vidtagna_atgarder": ""}
    assert klient.post(f"{bas}/utredning/", data).status_code == 302
    svar = klient.post(f"{bas}/avsluta/", {"aterkoppling": "", "bekraftad": "ja"})
    assert svar.status_code == 302, svar.content.decode()[:2000]
    avv.refresh_from_db()
    assert (avv.status, avv.handlaggare, avv.analys) == ("avslutad", utredare, "Fel i rutinen.")

    # Closed, the case cannot be given to anyone (open statuses only).
    response = chef.post(f"{bas}/tilldela/", {"handlaggare": scen.personas["enhetschef"].pk})
    assert response.status_code == 302
    assert "Det går inte att tilldela en handläggare när status är avslutad." in meddelanden(
        response
    )


@pytest.mark.parametrize(
    ("varde", "meddelande"),
    [
        ("", "Handläggare: Detta fält måste fyllas i."),
        (lambda s: s.personas["medarbetare_annan"].pk, "Välj ett giltigt alternativ."),
        (lambda s: s.personas["namnd"].pk, "Välj ett giltigt alternativ."),
        ("999999", "Välj ett giltigt alternativ."),
        ("<script>alert(1)</script>", "Välj ett giltigt alternativ."),
    ],
    ids=["tom", "annan-avdelning", "inte-personal", "finns-inte", "script"],
)
def test_tilldela_nekar_den_som_inte_kan_handlagga_arendet(varde, meddelande, scen, klient_for):
    """Only those who would see the case as its handler are offered and accepted."""
    varde = varde(scen) if callable(varde) else varde
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        f"/avvikelser/{scen.avv.nummer}/tilldela/", {"handlaggare": varde}
    )
    har_text(response, meddelande, status=400)
    assert ogonblick() == fore


def test_tilldela_pa_modellen_provar_mottagaren_och_samma_ar_ingen_andring(scen):
    avv = scen.avv
    chef = scen.personas["enhetschef"]
    fore = ogonblick()
    with pytest.raises(ValidationError, match="kan inte handlägga ärenden för Ekonomiskt"):
        avv.tilldela(av=chef, handlaggare=scen.personas["medarbetare_annan"])
    assert ogonblick() == fore
    avv.tilldela(av=chef, handlaggare=scen.personas["medarbetare"])
    efter = ogonblick()
    assert avv.tilldela(av=chef, handlaggare=scen.personas["medarbetare"]) is None
    assert ogonblick() == efter
    with pytest.raises(PermissionDenied):
        avv.tilldela(av=scen.personas["kvalitetssamordnare"], handlaggare=chef)


def test_den_vars_uppdrag_har_upphort_kan_inte_tilldelas(scen):
    """The same rule as seeing the case as its handler: a valid staff assignment on the
    case's line (docs/behorighet.md)."""
    from kvalitet import behorighet
    from kvalitet.models import Roll
    from tests.factories import UppdragFactory, UserFactory

    slutat = UserFactory(username="slutat")
    igar = timezone.localdate() - timedelta(days=1)
    UppdragFactory(anvandare=slutat, roll=Roll.MEDARBETARE, enhet=scen.org["EB"], giltig_till=igar)
    mojliga = set(behorighet.mojliga_handlaggare(scen.avv.enhet))
    assert slutat not in mojliga
    assert {scen.personas[p] for p in ("medarbetare", "enhetschef", "utredare")} <= mojliga
    assert scen.personas["medarbetare_annan"] not in mojliga
    with pytest.raises(ValidationError):
        scen.avv.tilldela(av=scen.personas["enhetschef"], handlaggare=slutat)


def test_tillbud_namns_tillbud_och_sidan_sager_vad_som_svarades(scen, klient_for):
    """A tillbud is closed as a tillbud, not "Avsluta avvikelsen?"; its page gives the
    form's own answer "Ej aktuellt" for no work-injury report, and says who discovered
    it as the reader sees it ("av den som rapporterade", not the reporter's "jag")."""
    tillbud = AvvikelseFactory(
        typ="tillbud",
        enhet=scen.org["EB"],
        rapporterad_av=scen.personas["medarbetare"],
        kategori=scen.kategori,
        analys="Golvet var vått.",
        upptackt_hur="egen",
        arbetsskadeanmalan=None,
    )
    satt_status(tillbud, "under_utredning")
    chef = klient_for("enhetschef")
    sida = hamta_html(chef, tillbud.get_absolute_url())
    assert "<dt>Arbetsskadeanmälan</dt><dd>Ej aktuellt</dd>" in sida
    assert "(av den som rapporterade)" in sida
    assert "jag upptäckte" not in sida.lower()
    response = chef.post(f"/avvikelser/{tillbud.nummer}/avsluta/", {"aterkoppling": "Ny matta."})
    assert response.status_code == 200
    sida = response.content.decode()
    assert "Avsluta tillbudet? Den som rapporterade får ett meddelande." in sida
    assert "Avsluta avvikelsen?" not in sida
