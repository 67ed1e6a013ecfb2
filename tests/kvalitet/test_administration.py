"""The administration and the audit trail around people (issue 10): users are deactivated,
never deleted, once they have touched a record; role assignments, users and units have a
change history visible in the admin; an administrator who grants themselves a role is
recorded and reported."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import PROTECT, ProtectedError
from django.forms import CheckboxInput
from django.utils import timezone

from avvikelser.models import Avvikelse
from kvalitet.models import Attachment, CaseLink, Enhet, Roll, TimelineEntry, Uppdrag, User, Utskick
from tests.factories import AvvikelseFactory, UppdragFactory, UserFactory
from tests.stod import fil, hamta_html, meddelanden, pdf_bytes

pytestmark = pytest.mark.django_db

IDAG = timezone.localdate()


def formulardata(response):
    """The POST body of an admin change page as it stands (the form and its inlines)."""
    data = {}

    def lagg_till(form):
        for falt in form:
            if falt.field.disabled:
                continue
            varde = falt.value()
            if isinstance(falt.field.widget, CheckboxInput):
                if varde:
                    data[falt.html_name] = "on"
            elif isinstance(varde, list | tuple):
                data[falt.html_name] = [str(v) for v in varde]
            else:
                data[falt.html_name] = "" if varde is None else str(varde)

    lagg_till(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        lagg_till(formset.management_form)
        for form in formset.forms:
            lagg_till(form)
    return data


# --- Users are deactivated, never deleted --------------------------------------------------


def test_administrationen_erbjuder_ingen_borttagning_av_anvandare(scen, klient_for):
    admin = klient_for("admin")
    medarbetare = scen.personas["medarbetare"]
    url = f"/admin/kvalitet/user/{medarbetare.pk}/delete/"
    assert admin.get(url).status_code == 403
    assert admin.post(url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=medarbetare.pk).exists()
    lista = admin.get("/admin/kvalitet/user/")
    atgarder = dict(lista.context["action_form"].fields["action"].choices)
    assert "delete_selected" not in atgarder
    assert atgarder["inaktivera"] == "Inaktivera"
    # Nor through the bulk action, posted anyway.
    svar = admin.post(
        "/admin/kvalitet/user/",
        {"action": "delete_selected", "_selected_action": [medarbetare.pk], "post": "yes"},
    )
    assert svar.status_code in (200, 302, 403)
    assert User.objects.filter(pk=medarbetare.pk).exists()


def test_inaktivera_stanger_kontot_och_avslutar_uppdragen_i_dag(scen, klient_for):
    medarbetare = scen.personas["medarbetare"]
    pagaende = Uppdrag.objects.get(anvandare=medarbetare)
    avslutat = UppdragFactory(
        anvandare=medarbetare,
        roll=Roll.MEDARBETARE,
        enhet=scen.org["KOLL"],
        giltig_till=IDAG - timedelta(days=30),
    )
    framtida = UppdragFactory(
        anvandare=medarbetare,
        roll=Roll.UTREDARE,
        enhet=scen.org["STAB"],
        giltig_fran=IDAG + timedelta(days=10),
    )
    svar = klient_for("admin").post(
        "/admin/kvalitet/user/", {"action": "inaktivera", "_selected_action": [medarbetare.pk]}
    )
    assert svar.status_code == 302
    assert meddelanden(svar) == [
        "1 användare inaktiverad. Pågående uppdrag avslutades i dag och kommande togs bort."
    ]
    medarbetare.refresh_from_db()
    assert medarbetare.is_active is False
    pagaende.refresh_from_db()
    assert pagaende.giltig_till == IDAG
    avslutat.refresh_from_db()
    assert avslutat.giltig_till == IDAG - timedelta(days=30)  # already ended: left as it was
    assert not Uppdrag.objects.filter(pk=framtida.pk).exists()  # never began: removed
    # Recorded, with who did it.
    admin = scen.personas["admin"]
    senaste = medarbetare.history.latest("history_id")
    assert (senaste.is_active, senaste.history_user) == (False, admin)
    assert pagaende.history.latest("history_id").history_user == admin
    borttaget = Uppdrag.history.get(id=framtida.pk, history_type="-")
    assert borttaget.history_user == admin
    # The records they touched keep them.
    scen.avv.refresh_from_db()
    assert scen.avv.rapporterad_av == medarbetare


def test_administratoren_inaktiverar_inte_sig_sjalv(scen, klient_for):
    admin = scen.personas["admin"]
    svar = klient_for("admin").post(
        "/admin/kvalitet/user/", {"action": "inaktivera", "_selected_action": [admin.pk]}
    )
    assert meddelanden(svar) == ["Du kan inte inaktivera dig själv."]
    admin.refresh_from_db()
    assert admin.is_active
    assert Uppdrag.objects.get(anvandare=admin).giltig_till is None


def test_avbockat_aktiv_i_formularet_avslutar_ocksa_uppdragen(scen, klient_for):
    medarbetare = scen.personas["medarbetare"]
    klient = klient_for("admin")
    url = f"/admin/kvalitet/user/{medarbetare.pk}/change/"
    data = formulardata(klient.get(url))
    del data["is_active"]
    svar = klient.post(url, data)
    assert svar.status_code == 302, svar.context["errors"] if svar.context else svar
    medarbetare.refresh_from_db()
    assert not medarbetare.is_active
    assert Uppdrag.objects.get(anvandare=medarbetare).giltig_till == IDAG


def _rapporterat(s, user):
    AvvikelseFactory(enhet=s.org["EB"], rapporterad_av=user)


def _kommenterat(s, user):
    s.avv.log(TimelineEntry.Typ.KOMMENTAR, av=user, text="Jag var där.")


def _bifogat(s, user):
    Attachment.store(s.avv, fil("a.pdf", pdf_bytes()), "application/pdf", user)


def _lankat(s, user):
    s.avv.link(s.team_fall, CaseLink.Typ.LIKNANDE, av=user)


def _handlagt(s, user):
    Avvikelse.objects.filter(pk=s.avv.pk).update(handlaggare=user)


def _andrat(s, user):
    s.avv._history_user = user
    s.avv.save()


def _var_handlaggare_en_gang(s, user):
    """Only in the change history: handler once, then another took over."""
    s.avv.handlaggare = user
    s.avv.save()
    s.avv.handlaggare = s.personas["enhetschef"]
    s.avv.save()


def _administrerat(s, user):
    """Only in the admin's log."""
    LogEntry.objects.log_actions(user.pk, [s.org["EB"]], 2, change_message="Ändrade namn")


SPAR = {
    "rapporterat": _rapporterat,
    "kommenterat": _kommenterat,
    "bifogat": _bifogat,
    "lankat": _lankat,
    "handlagt": _handlagt,
    "andrat": _andrat,
    "var_handlaggare_en_gang": _var_handlaggare_en_gang,
    "administrerat": _administrerat,
}


@pytest.mark.parametrize("spar", list(SPAR))
def test_den_som_rort_en_post_kan_inte_tas_bort_ens_i_skalet(spar, scen):
    """Deleted anyway (the shell, a script): refused, and the trail is intact."""
    user = UserFactory(username="spar")
    SPAR[spar](scen, user)
    fore = {
        "tidslinje": list(TimelineEntry.objects.values_list("pk", "anvandare")),
        "historik": list(
            Avvikelse.history.values_list("history_id", "history_user", "handlaggare")
        ),
        "avvikelser": list(Avvikelse.objects.values_list("pk", "rapporterad_av", "handlaggare")),
        "logg": list(LogEntry.objects.values_list("pk", "user")),
    }
    # Each in its own transaction, as in the shell: a refused delete rolls it back.
    with pytest.raises(ProtectedError), transaction.atomic():
        user.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        User.objects.filter(pk=user.pk).delete()
    assert User.objects.filter(pk=user.pk).exists()
    assert fore == {
        "tidslinje": list(TimelineEntry.objects.values_list("pk", "anvandare")),
        "historik": list(
            Avvikelse.history.values_list("history_id", "history_user", "handlaggare")
        ),
        "avvikelser": list(Avvikelse.objects.values_list("pk", "rapporterad_av", "handlaggare")),
        "logg": list(LogEntry.objects.values_list("pk", "user")),
    }


def test_ett_konto_som_aldrig_rort_nagot_kan_tas_bort_i_skalet(scen):
    user = UserFactory(username="felskapad")
    user.delete()
    assert not User.objects.filter(username="felskapad").exists()


def test_varje_referens_till_en_anvandare_skyddar_spaaret():
    """Every foreign key to a user is PROTECT (the change history's `history_user` too);
    the historical tables' copies keep the id and are guarded when a user is deleted."""
    from django.apps import apps

    oskyddade = []
    for modell in apps.get_models():
        for falt in modell._meta.get_fields():
            if not (falt.is_relation and falt.many_to_one and falt.related_model is User):
                continue
            historisk = modell.__name__.startswith("Historical")
            if historisk and falt.name != "history_user":
                continue  # a copy of the live field (DO_NOTHING), guarded on delete
            if modell is LogEntry:
                continue  # Django's own (CASCADE): guarded on delete, see above
            if modell._meta.app_label in ("otp_totp", "otp_static"):
                continue  # django-otp's (CASCADE): a person's second factor, no trail
            if falt.remote_field.on_delete is not PROTECT:
                oskyddade.append(f"{modell._meta.label}.{falt.name}")
    assert oskyddade == []


# --- Change history of assignments, users and units ------------------------------------------


def test_uppdrag_anvandare_och_enheter_har_andringshistorik_med_vem(scen, klient_for):
    admin = scen.personas["admin"]
    klient = klient_for("admin")
    medarbetare = scen.personas["medarbetare"]
    # An assignment, through the assignment list.
    svar = klient.post(
        "/admin/kvalitet/uppdrag/add/",
        {"anvandare": medarbetare.pk, "roll": Roll.UTREDARE, "enhet": scen.org["STAB"].pk},
    )
    assert svar.status_code == 302
    uppdrag = Uppdrag.objects.get(anvandare=medarbetare, roll=Roll.UTREDARE)
    assert uppdrag.history.get().history_user == admin
    # A user.
    url = f"/admin/kvalitet/user/{medarbetare.pk}/change/"
    data = formulardata(klient.get(url))
    data["titel"] = "Socialsekreterare"
    assert klient.post(url, data).status_code == 302
    rad = medarbetare.history.latest("history_id")
    assert (rad.titel, rad.history_user) == ("Socialsekreterare", admin)
    # A unit.
    eb = scen.org["EB"]
    url = f"/admin/kvalitet/enhet/{eb.pk}/change/"
    svar = klient.post(
        url,
        {
            "namn": "Ekonomiskt bistånd vuxna",
            "kod": eb.kod,
            "typ": eb.typ,
            "overordnad": eb.overordnad_id,
            "aktiv": "on",
        },
    )
    assert svar.status_code == 302
    rad = Enhet.history.filter(id=eb.pk).latest("history_id")
    assert (rad.namn, rad.history_user) == ("Ekonomiskt bistånd vuxna", admin)
    # Visible in the admin: each object's history page lists the change and who made it.
    for url, text in [
        (f"/admin/kvalitet/uppdrag/{uppdrag.pk}/history/", "Admin"),
        (f"/admin/kvalitet/user/{medarbetare.pk}/history/", "Socialsekreterare"),
        (f"/admin/kvalitet/enhet/{eb.pk}/history/", "Ekonomiskt bistånd vuxna"),
    ]:
        assert text in hamta_html(klient, url), url


def test_anvandarens_historik_saknar_losenord_och_senaste_inloggning(scen, client):
    medarbetare = scen.personas["medarbetare"]
    falt = {f.name for f in medarbetare.history.model._meta.fields}
    assert "password" not in falt
    assert "last_login" not in falt
    fore = medarbetare.history.count()
    # Logging in (which sets last_login) writes no history row.
    svar = client.post("/konto/logga-in/", {"username": "medarbetare", "password": "demo"})
    assert svar.status_code == 302
    assert medarbetare.history.count() == fore


def test_historiken_i_administrationen_kan_inte_aterstalla_en_version(scen, klient_for):
    medarbetare = scen.personas["medarbetare"]
    medarbetare.titel = "Ny titel"
    medarbetare.save()
    aldre = medarbetare.history.earliest("history_id")
    url = f"/admin/kvalitet/user/{medarbetare.pk}/history/{aldre.history_id}/"
    klient = klient_for("admin")
    assert klient.get(url).status_code == 200
    assert klient.post(url, {"username": "medarbetare"}).status_code == 403
    medarbetare.refresh_from_db()
    assert medarbetare.titel == "Ny titel"


# --- An administrator granting themselves a role ----------------------------------------------


@pytest.fixture
def admin2(org):
    user = UserFactory(username="admin2", email="admin2@exempelkommun.se")
    UppdragFactory(anvandare=user, roll=Roll.ADMIN, enhet=org["SOC"])
    return user


def _mottagare():
    return sorted(Utskick.objects.values_list("mottagare", flat=True))


def test_eget_uppdrag_via_uppdragslistan_anmals_och_markeras(scen, admin2, klient_for):
    admin = scen.personas["admin"]
    klient = klient_for("admin")
    svar = klient.post(
        "/admin/kvalitet/uppdrag/add/",
        {"anvandare": admin.pk, "roll": Roll.REGISTRATOR, "enhet": scen.org["STAB"].pk},
    )
    assert svar.status_code == 302
    eget = Uppdrag.objects.get(anvandare=admin, roll=Roll.REGISTRATOR)
    assert eget.history.get().history_user == admin
    # The other administrators and the förvaltningschef are told; not the one who did it.
    assert _mottagare() == [
        "admin2@exempelkommun.se",
        scen.personas["forvaltningschef"].email,
    ]
    text = Utskick.objects.first().text
    assert "Registrator, Staben" in text
    assert admin.get_full_name() in text
    # Marked in the assignment list, and found by its filter.
    filtrerad = klient.get("/admin/kvalitet/uppdrag/", {"sjalvtilldelat": "ja"})
    assert list(filtrerad.context["cl"].result_list) == [eget]
    alla = klient.get("/admin/kvalitet/uppdrag/")
    assert "Tilldelat sig själv" in alla.content.decode()


def test_eget_uppdrag_via_anvandarsidan_anmals(scen, admin2, klient_for):
    admin = scen.personas["admin"]
    klient = klient_for("admin")
    url = f"/admin/kvalitet/user/{admin.pk}/change/"
    data = formulardata(klient.get(url))
    ny = data["uppdrag-INITIAL_FORMS"]
    data.update(
        {
            f"uppdrag-{ny}-roll": Roll.KVALITETSSAMORDNARE,
            f"uppdrag-{ny}-enhet": str(scen.org["STAB"].pk),
        }
    )
    svar = klient.post(url, data)
    assert svar.status_code == 302, svar.context["errors"] if svar.context else svar
    assert Uppdrag.objects.filter(anvandare=admin, roll=Roll.KVALITETSSAMORDNARE).exists()
    assert _mottagare() == [
        "admin2@exempelkommun.se",
        scen.personas["forvaltningschef"].email,
    ]
    assert "Kvalitetssamordnare, Staben" in Utskick.objects.first().text


def test_uppdrag_at_nagon_annan_anmals_inte(scen, admin2, klient_for):
    klient = klient_for("admin")
    svar = klient.post(
        "/admin/kvalitet/uppdrag/add/",
        {
            "anvandare": scen.personas["medarbetare"].pk,
            "roll": Roll.REGISTRATOR,
            "enhet": scen.org["STAB"].pk,
        },
    )
    assert svar.status_code == 302
    assert _mottagare() == []
    filtrerad = klient.get("/admin/kvalitet/uppdrag/", {"sjalvtilldelat": "ja"})
    assert list(filtrerad.context["cl"].result_list) == []


def test_historiken_for_ett_borttaget_uppdrag_finns_kvar(scen, klient_for):
    uppdrag = Uppdrag.objects.get(anvandare=scen.personas["medarbetare"])
    svar = klient_for("admin").post(
        f"/admin/kvalitet/uppdrag/{uppdrag.pk}/delete/", {"post": "yes"}
    )
    assert svar.status_code == 302
    rad = Uppdrag.history.get(id=uppdrag.pk, history_type="-")
    assert (rad.roll, rad.enhet_id, rad.history_user) == (
        Roll.MEDARBETARE,
        scen.org["EB"].pk,
        scen.personas["admin"],
    )


def test_migreringen_ger_befintliga_poster_ett_utgangslage_i_historiken(scen):
    """Records that existed before the history was introduced get one row each, so the
    first later change has something to be compared with."""
    import importlib

    from django.apps import apps

    migrering = importlib.import_module("kvalitet.migrations.0004_historikens_utgangslage")
    for modell in (Enhet, User, Uppdrag):
        modell.history.all().delete()
    migrering.utgangslage(apps, None)
    for modell in (Enhet, User, Uppdrag):
        rader = modell.history.all()
        assert rader.count() == modell.objects.count() > 0, modell
        assert set(rader.values_list("history_type", "history_change_reason")) == {
            ("+", migrering.ORSAK)
        }
    medarbetare = User.history.get(id=scen.personas["medarbetare"].pk)
    assert (medarbetare.username, medarbetare.is_active) == ("medarbetare", True)
