"""The administrator's pages for people and their roles, in the product's own look
(`/administration/personer/`): the list of people with their valid assignments, a
person's page (assignments now and ended, their history, ending one, deactivating and
reactivating the account) and adding a person with a first assignment.

Only administrators (`behorighet.ar_administrator`) reach these pages; everyone else is
refused (403), an anonymous visitor is sent to the login. Every change is saved with the
acting administrator as the history's user and a change reason; people are never
deleted, only deactivated (docs/behorighet.md). A new person gets no password: the
password-reset mail, queued in the outbox like the one the login page sends, lets them
choose their own. An administrator who gives themselves a role is reported exactly as
in the admin (`kvalitet.admin.anmal_egna_uppdrag`).
"""

from datetime import date, timedelta

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from kvalitet import behorighet, tvastegs
from kvalitet.admin import anmal_egna_uppdrag
from kvalitet.filters import FilterForm
from kvalitet.forms import Form
from kvalitet.konto import PasswordResetForm
from kvalitet.lib.sidor import BegransadPaginator
from kvalitet.models import Enhet, ExternIdentitet, Roll, Uppdrag, User
from kvalitet.views import show_again

# Dates an administrator may give an assignment: from the turn of the millennium to ten
# years ahead. Anything outside is a typing mistake (a year 20260 or 1026).
FORSTA_DAG = date(2000, 1, 1)
DAGAR_FRAMAT = 3652  # ten years

# Change reasons in the history (what the person page's history column shows).
ORSAK_UPPLAGD = "Person upplagd"
ORSAK_TILLDELAT = "Uppdrag tilldelat"
ORSAK_ATERUPPTAGET = "Uppdrag återupptaget"
ORSAK_AVSLUTAT = "Uppdrag avslutat"
ORSAK_AVSLUTAT_INNAN_START = "Uppdrag avslutat innan det började gälla"
ORSAK_AKTIVERAD = "Aktiverad igen"
ORSAK_TVASTEGS_ATERSTALLD = "Tvåstegsverifiering återställd"


def senaste_dag():
    return timezone.localdate() + timedelta(days=DAGAR_FRAMAT)


def rimligt_datum(value):
    """A date within FORSTA_DAG … ten years ahead."""
    if value is not None and not FORSTA_DAG <= value <= senaste_dag():
        raise ValidationError(
            _("Välj ett datum mellan %(forsta)s och %(sista)s.")
            % {"forsta": f"{FORSTA_DAG:%Y-%m-%d}", "sista": f"{senaste_dag():%Y-%m-%d}"},
            code="datum",
        )


def ar_avslutat(uppdrag, dag=None) -> bool:
    """The assignment's last day has passed."""
    dag = dag or timezone.localdate()
    return uppdrag.giltig_till is not None and uppdrag.giltig_till < dag


def namn(user) -> str:
    return user.get_full_name() or user.username


def eget_administratorsuppdrag(uppdrag, user) -> bool:
    """The administrator's own admin role: not ended from here (as an administrator does
    not deactivate themselves), or they would lock themselves out at once."""
    return uppdrag.anvandare_id == user.pk and uppdrag.roll == Roll.ADMIN


# --- Fields --------------------------------------------------------------------------------


def rollfalt(**kwargs):
    return forms.ChoiceField(
        label=gettext_lazy("Roll"),
        choices=[("", gettext_lazy("Välj roll …")), *Roll.choices],
        error_messages={
            "required": gettext_lazy("Välj en roll."),
            "invalid_choice": gettext_lazy("Välj en av rollerna i listan."),
        },
        **kwargs,
    )


class EnhetFalt(forms.ModelChoiceField):
    """An active unit, shown indented in the tree."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Enhet.objects.aktiva(),
            label=gettext_lazy("Enhet"),
            empty_label=gettext_lazy("Välj enhet …"),
            help_text=gettext_lazy("Rollen gäller enheten och alla enheter under den."),
            error_messages={
                "required": gettext_lazy("Välj en enhet."),
                "invalid_choice": gettext_lazy(
                    "Välj en av de aktiva enheterna i listan; den valda enheten finns inte "
                    "eller är inaktiverad."
                ),
            },
            **kwargs,
        )

    def label_from_instance(self, obj):
        return obj.indenterat_namn


def datumfalt(label, help_text=""):
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        validators=[rimligt_datum],
        error_messages={"invalid": gettext_lazy("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )


# --- Forms ---------------------------------------------------------------------------------


class NyttUppdragForm(Form):
    """A role for a unit, optionally time-limited, for `person`.

    The same role for the same unit is held once (the assignment is unique per person,
    role and unit): while it holds or is still to come it is refused; once ended, the
    ended assignment is taken up again with the new dates (the earlier period stays in
    its history)."""

    roll = rollfalt()
    enhet = EnhetFalt()
    giltig_fran = datumfalt(gettext_lazy("Gäller från"), gettext_lazy("Tomt: från i dag."))
    giltig_till = datumfalt(
        gettext_lazy("Gäller till och med"), gettext_lazy("Tomt: tills vidare.")
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.tidigare = None  # an ended assignment of the same role and unit

    def clean(self):
        data = super().clean()
        fran, till = data.get("giltig_fran"), data.get("giltig_till")
        if fran and till and till < fran:
            self.add_error("giltig_till", _("Slutdatum kan inte ligga före startdatum."))
        elif till and till < timezone.localdate():
            self.add_error(
                "giltig_till",
                _("Slutdatumet har redan passerat: uppdraget skulle aldrig gälla."),
            )
        roll, enhet = data.get("roll"), data.get("enhet")
        if roll and enhet:
            befintligt = self.person.uppdrag.filter(roll=roll, enhet=enhet).first()
            if befintligt is not None and not ar_avslutat(befintligt):
                raise ValidationError(
                    _("%(namn)s har redan uppdraget %(uppdrag)s.")
                    % {"namn": namn(self.person), "uppdrag": befintligt},
                    code="dubblett",
                )
            self.tidigare = befintligt
        return data

    def spara(self, *, av):
        """Save the assignment with `av` in its history; returns it."""
        data = self.cleaned_data
        uppdrag = self.tidigare or Uppdrag(anvandare=self.person, roll=data["roll"])
        uppdrag.enhet = data["enhet"]
        uppdrag.giltig_fran = data["giltig_fran"]
        uppdrag.giltig_till = data["giltig_till"]
        uppdrag._history_user = av
        uppdrag._change_reason = ORSAK_ATERUPPTAGET if self.tidigare else ORSAK_TILLDELAT
        uppdrag.save()
        return uppdrag


class AvslutaUppdragForm(Form):
    """End an assignment that still holds or is to come: now (its access ends at once),
    or after a chosen last day (never later than an end it already has)."""

    sista_dag = datumfalt(
        gettext_lazy("Sista dag uppdraget gäller"),
        gettext_lazy(
            "Lämna tomt för att avsluta uppdraget nu: behörigheten upphör direkt. "
            "Med ett datum gäller uppdraget till och med den dagen."
        ),
    )

    def __init__(self, *args, uppdrag, **kwargs):
        kwargs.setdefault("auto_id", f"avsluta-{uppdrag.pk}-%s")
        super().__init__(*args, **kwargs)
        self.uppdrag = uppdrag

    def clean(self):
        data = super().clean()
        uppdrag = self.uppdrag
        dag = data.get("sista_dag")
        if dag and uppdrag.giltig_fran and dag < uppdrag.giltig_fran:
            self.add_error(
                "sista_dag",
                _("Slutdatum kan inte ligga före startdatum (%(fran)s).")
                % {"fran": f"{uppdrag.giltig_fran:%Y-%m-%d}"},
            )
        elif dag and uppdrag.giltig_till and dag > uppdrag.giltig_till:
            self.add_error(
                "sista_dag",
                _("Uppdraget slutar redan %(till)s. Välj det datumet eller ett tidigare.")
                % {"till": f"{uppdrag.giltig_till:%Y-%m-%d}"},
            )
        return data

    def spara(self, *, av):
        """End the assignment, with `av` in its history. Ended now, it ended yesterday (an
        assignment holds through its last day); one that had not begun before today is
        removed instead (it never gave access; the history keeps it). Returns whether it
        is kept."""
        uppdrag = self.uppdrag
        dag = self.cleaned_data.get("sista_dag")
        idag = timezone.localdate()
        uppdrag._history_user = av
        if dag is None:
            if uppdrag.giltig_fran and uppdrag.giltig_fran >= idag:
                uppdrag._change_reason = ORSAK_AVSLUTAT_INNAN_START
                uppdrag.delete()
                return False
            dag = idag - timedelta(days=1)
        uppdrag._change_reason = ORSAK_AVSLUTAT
        uppdrag.giltig_till = dag
        uppdrag.save(update_fields=["giltig_till"])
        return True


class NyPersonForm(Form):
    """A new person: name, user name, e-mail, title and a first role for a unit. No
    password (they choose it through the mail) and no superuser or staff flags."""

    first_name = forms.CharField(
        label=gettext_lazy("Förnamn"),
        max_length=150,
        error_messages={"required": gettext_lazy("Skriv förnamnet.")},
    )
    last_name = forms.CharField(
        label=gettext_lazy("Efternamn"),
        max_length=150,
        error_messages={"required": gettext_lazy("Skriv efternamnet.")},
    )
    username = forms.CharField(
        label=gettext_lazy("Användarnamn"),
        max_length=150,
        help_text=gettext_lazy("Det hen loggar in med. Bokstäver, siffror och @ . + - _"),
        validators=[
            UnicodeUsernameValidator(
                message=gettext_lazy(
                    "Användarnamnet får bara innehålla bokstäver, siffror och tecknen "
                    "@ . + - _ (inga mellanslag)."
                )
            )
        ],
        error_messages={"required": gettext_lazy("Skriv ett användarnamn.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-post"),
        max_length=254,
        help_text=gettext_lazy("Hit skickas länken där hen väljer sitt lösenord."),
        error_messages={
            "required": gettext_lazy("Skriv en e-postadress."),
            "invalid": gettext_lazy("Skriv en giltig e-postadress, t.ex. namn@kommun.se."),
        },
    )
    titel = forms.CharField(label=gettext_lazy("Titel"), max_length=100, required=False)
    roll = rollfalt(
        help_text=gettext_lazy("Det första uppdraget; fler läggs till på personens sida.")
    )
    enhet = EnhetFalt()

    def clean_username(self):
        anvandarnamn = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=anvandarnamn).exists():
            raise ValidationError(
                _("Användarnamnet %(namn)s används redan. Välj ett annat.")
                % {"namn": anvandarnamn},
                code="dubblett",
            )
        return anvandarnamn

    def clean_email(self):
        adress = User.objects.normalize_email(self.cleaned_data["email"])
        annan = User.objects.filter(email__iexact=adress).first()
        if annan is not None:
            raise ValidationError(
                _("E-postadressen används redan av %(namn)s (%(anvandarnamn)s).")
                % {"namn": namn(annan), "anvandarnamn": annan.username},
                code="dubblett",
            )
        return adress

    def spara(self, *, av):
        """Create the person without a usable password and their first assignment, each
        with `av` in the history; returns the person."""
        data = self.cleaned_data
        person = User(
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            titel=data["titel"],
        )
        person.set_unusable_password()
        person._history_user = av
        person._change_reason = ORSAK_UPPLAGD
        person.save()
        uppdrag = Uppdrag(anvandare=person, roll=data["roll"], enhet=data["enhet"])
        uppdrag._history_user = av
        uppdrag._change_reason = ORSAK_TILLDELAT
        uppdrag.save()
        return person


class Losenordslank(PasswordResetForm):
    """The login page's password-reset mail (`kvalitet.konto.PasswordResetForm`: through
    the outbox), sent to one given person whatever their password – a new person has
    none yet, and the ordinary reset skips such accounts."""

    def __init__(self, person):
        super().__init__(data={"email": person.email})
        self.person = person

    def get_users(self, email):
        return [self.person]


def skicka_losenordslank(request, person):
    """Queue the mail with a link where `person` chooses a password (the outbox)."""
    form = Losenordslank(person)
    if not form.is_valid():
        raise ValidationError(form.errors["email"])
    form.save(
        request=request,
        use_https=request.is_secure(),
        subject_template_name="kvalitet/mejl/losenordslank_amne.txt",
        email_template_name="kvalitet/mejl/losenordslank.txt",
        extra_email_context={
            "av": request.user,
            "giltig_dagar": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
    )


# --- The list's filter -------------------------------------------------------------------


class PersonFilter(django_filters.FilterSet):
    """Free text over name, user name and e-mail (every word must match); role and unit
    (with its subtree) of a valid assignment – both of the same one when both are chosen;
    active or not. An invalid filter shows nobody rather than everybody."""

    q = django_filters.CharFilter(
        label=gettext_lazy("Sök namn, användarnamn eller e-post"),
        method="fritext",
        max_length=200,
    )
    roll = django_filters.ChoiceFilter(
        label=gettext_lazy("Roll"),
        choices=Roll.choices,
        empty_label=gettext_lazy("Alla"),
        method="uppdragsfilter",
    )
    enhet = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Enhet (med underenheter)"),
        queryset=Enhet.objects.all(),
        empty_label=gettext_lazy("Alla"),
        method="uppdragsfilter",
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Konto"),
        choices=[("aktiva", gettext_lazy("Aktiva")), ("inaktiva", gettext_lazy("Inaktiva"))],
        empty_label=gettext_lazy("Alla"),
        method="kontostatus",
    )

    class Meta:
        model = User
        fields = []
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["enhet"].label_from_instance = lambda e: e.indenterat_namn

    def fritext(self, queryset, name, value):
        for ord_ in value.split()[:10]:
            queryset = queryset.filter(
                Q(first_name__icontains=ord_)
                | Q(last_name__icontains=ord_)
                | Q(username__icontains=ord_)
                | Q(email__icontains=ord_)
            )
        return queryset

    def uppdragsfilter(self, queryset, name, value):
        return queryset  # both at once, in filter_queryset

    def kontostatus(self, queryset, name, value):
        return queryset.filter(is_active=value == "aktiva")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        villkor = {}
        if roll := self.form.cleaned_data.get("roll"):
            villkor["roll"] = roll
        if enhet := self.form.cleaned_data.get("enhet"):
            villkor["enhet__sokvag__startswith"] = enhet.sokvag
        if villkor:
            uppdrag = Uppdrag.objects.giltiga().filter(**villkor)
            queryset = queryset.filter(pk__in=uppdrag.values("anvandare"))
        return queryset

    @property
    def qs(self):
        if self.is_bound and not self.form.is_valid():
            return self.queryset.none()
        return super().qs


def personer():
    """Everyone, in name order, each with their valid assignments (`giltiga_uppdrag`)
    loaded in one query for the whole page."""
    giltiga = Uppdrag.objects.giltiga().select_related("enhet").order_by("enhet__sokvag", "roll")
    return User.objects.order_by("first_name", "last_name", "username", "pk").prefetch_related(
        Prefetch("uppdrag", queryset=giltiga, to_attr="giltiga_uppdrag")
    )


# --- The history of a person ---------------------------------------------------------------

UPPDRAGSFALT = ("roll", "enhet", "giltig_fran", "giltig_till")
KONTOFALT = ("username", "first_name", "last_name", "email", "titel", "is_active", "is_superuser")


def _varde(rad, falt, enheter):
    varde = getattr(rad, falt if falt != "enhet" else "enhet_id")
    if falt == "enhet":
        enhet = enheter.get(varde)
        return enhet.namn if enhet else "–"
    if falt == "roll":
        return Roll(varde).label if varde in Roll.values else varde
    if isinstance(varde, bool):
        return _("ja") if varde else _("nej")
    if isinstance(varde, date):
        return f"{varde:%Y-%m-%d}"
    return varde or "–"


def _etikett(modell, falt):
    return str(modell._meta.get_field(falt).verbose_name).capitalize()


def historik(person):
    """The history of the person's account and assignments, newest first: when, who,
    what (the change reason), which assignment, and the fields that changed (from → to)."""
    konto = list(person.history.select_related("history_user"))
    uppdrag = list(Uppdrag.history.filter(anvandare_id=person.pk).select_related("history_user"))
    enheter = Enhet.objects.in_bulk({r.enhet_id for r in uppdrag})
    rader = []
    for versioner, falt, modell in ((konto, KONTOFALT, User), (uppdrag, UPPDRAGSFALT, Uppdrag)):
        forra = {}
        for rad in sorted(versioner, key=lambda r: (r.history_date, r.history_id)):
            fore = forra.get(rad.id)
            andringar = []
            if rad.history_type == "~" and fore is not None:
                for f in falt:
                    fran, till = _varde(fore, f, enheter), _varde(rad, f, enheter)
                    if fran != till:
                        andringar.append(f"{_etikett(modell, f)}: {fran} → {till}")
            gaeller = _("Kontot")
            if modell is Uppdrag:
                gaeller = f"{_varde(rad, 'roll', enheter)}, {_varde(rad, 'enhet', enheter)}"
                if rad.history_type == "+":
                    andringar = [
                        f"{_etikett(modell, f)}: {_varde(rad, f, enheter)}"
                        for f in ("giltig_fran", "giltig_till")
                        if getattr(rad, f)
                    ]
            vad = rad.history_change_reason or {"+": _("Skapad"), "-": _("Borttagen")}.get(
                rad.history_type, _("Ändrad")
            )
            rader.append({"rad": rad, "vad": vad, "galler": gaeller, "andringar": andringar})
            forra[rad.id] = rad
    rader.sort(key=lambda r: (r["rad"].history_date, r["rad"].history_id), reverse=True)
    return rader


# --- Views ---------------------------------------------------------------------------------


class AdministratorKrav(LoginRequiredMixin):
    """Administrators only (the access module); anyone else 403, anonymous to the login."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not behorighet.ar_administrator(request.user):
            raise PermissionDenied(
                _("Bara administratörer kan administrera personer och deras uppdrag.")
            )
        return super().dispatch(request, *args, **kwargs)


def person_url(person):
    return reverse("administration:person", args=[person.pk])


class PersonListaView(AdministratorKrav, TemplateView):
    """Everyone, with their valid assignments; search and filters (htmx swaps only the
    results), paginated like the case lists. The queries do not grow with the list."""

    template_name = "kvalitet/administration/personer.html"
    resultat_mall = "kvalitet/administration/_personer.html"
    PER_SIDA = 25

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "resultat":
            return [self.resultat_mall]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        filtret = PersonFilter(self.request.GET or None, queryset=personer())
        sida = BegransadPaginator(filtret.qs, self.PER_SIDA).get_page(self.request.GET.get("sida"))
        params = self.request.GET.copy()
        params.pop("sida", None)
        return super().get_context_data(
            filter=filtret,
            sida=sida,
            params=params.urlencode(),
            fler_filter=any(self.request.GET.get(f) for f in ("roll", "enhet", "status")),
            resultat_mall=self.resultat_mall,
            **kwargs,
        )


class NyPersonView(AdministratorKrav, FormView):
    """Add a person with a first assignment; they get the mail to choose a password."""

    template_name = "kvalitet/administration/ny_person.html"
    form_class = NyPersonForm

    def form_valid(self, form):
        try:
            with transaction.atomic():
                person = form.spara(av=self.request.user)
                skicka_losenordslank(self.request, person)
        except IntegrityError:
            # Taken by someone saving at the same moment: as if it had been there.
            form.add_error("username", _("Användarnamnet används redan. Välj ett annat."))
            return self.form_invalid(form)
        uppdrag = person.uppdrag.get()
        messages.success(
            self.request,
            _(
                "%(namn)s är upplagd med uppdraget %(uppdrag)s. En länk för att välja "
                "lösenord skickas till %(epost)s."
            )
            % {"namn": namn(person), "uppdrag": uppdrag, "epost": person.email},
        )
        return redirect(person_url(person))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PersonView(AdministratorKrav, TemplateView):
    """A person: details, the municipality's account they sign in with, assignments now
    and coming (each can be ended), ended ones, the history of the account and the
    assignments, and the account's actions. After a
    refused request the page is shown again (`show_again`) with the bound form."""

    template_name = "kvalitet/administration/person.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **overrides):
        person = get_object_or_404(User, pk=self.kwargs["pk"])
        idag = timezone.localdate()
        alla = list(
            person.uppdrag.select_related("enhet")
            .med_sjalvtilldelat()
            .order_by("enhet__sokvag", "roll")
        )
        avsluta = overrides.pop("avsluta_form", None)
        aktuella = [u for u in alla if not ar_avslutat(u, idag)]
        for u in aktuella:
            u.kommande = bool(u.giltig_fran and u.giltig_fran > idag)
            u.eget_admin = eget_administratorsuppdrag(u, self.request.user)
            if avsluta is not None and avsluta.uppdrag.pk == u.pk:
                u.avsluta_form = avsluta
            else:
                u.avsluta_form = AvslutaUppdragForm(uppdrag=u)
        avslutade = sorted(
            (u for u in alla if ar_avslutat(u, idag)), key=lambda u: u.giltig_till, reverse=True
        )
        context = {
            "person": person,
            "namn": namn(person),
            "aktuella": aktuella,
            "avslutade": avslutade,
            "historik": historik(person),
            "uppdrag_form": NyttUppdragForm(person=person, auto_id="nytt-%s"),
            "ar_jag": person.pk == self.request.user.pk,
            "tvastegs_app": tvastegs.totp_enhet(person),
            "tvastegs_reservkoder": tvastegs.reservkoder_kvar(person),
            "tvastegs_kravs": behorighet.kraver_tvastegs(person),
            # Signs in with the municipality's account: which one, and since when.
            "extern": ExternIdentitet.objects.filter(user=person).first(),
            **overrides,
        }
        return super().get_context_data(**context)


class PersonPost(AdministratorKrav, View):
    """A POST from a person's page: the person (404 if there is none) locked for the
    change; back to the page with a message, or the page again with the form's errors
    (nothing was changed: the form is checked before anything is saved)."""

    http_method_names = ["post"]

    def post(self, request, pk, **kwargs):
        with transaction.atomic():
            person = get_object_or_404(User.objects.select_for_update(), pk=pk)
            svar = self.gor(person, **kwargs)
        return svar

    def gor(self, person, **kwargs):
        raise NotImplementedError

    def tillbaka(self, person, meddelande, niva=messages.SUCCESS):
        messages.add_message(self.request, niva, meddelande)
        return redirect(person_url(person))

    def igen(self, person, **bound):
        return show_again(self.request, person_url(person), **bound)


class NyttUppdragView(PersonPost):
    def gor(self, person):
        if not person.is_active:
            return self.tillbaka(
                person,
                _("%(namn)s är inaktiverad. Aktivera kontot igen innan du lägger till uppdrag.")
                % {"namn": namn(person)},
                messages.ERROR,
            )
        form = NyttUppdragForm(self.request.POST, person=person, auto_id="nytt-%s")
        if not form.is_valid():
            return self.igen(person, uppdrag_form=form)
        ateruppt = form.tidigare is not None
        uppdrag = form.spara(av=self.request.user)
        anmal_egna_uppdrag(self.request, [uppdrag])
        if ateruppt:
            text = _(
                "%(namn)s har uppdraget %(uppdrag)s igen. Den tidigare perioden finns i historiken."
            )
        else:
            text = _("%(namn)s har fått uppdraget %(uppdrag)s.")
        return self.tillbaka(person, text % {"namn": namn(person), "uppdrag": uppdrag})


EGET_ADMINUPPDRAG = gettext_lazy(
    "Du kan inte avsluta ditt eget administratörsuppdrag; be en annan administratör."
)


class AvslutaUppdragView(PersonPost):
    def gor(self, person, uppdrag):
        uppdrag = get_object_or_404(person.uppdrag.select_related("enhet"), pk=uppdrag)
        if ar_avslutat(uppdrag):
            return self.tillbaka(
                person,
                _("Uppdraget är redan avslutat (sista dag %(dag)s).")
                % {"dag": f"{uppdrag.giltig_till:%Y-%m-%d}"},
                messages.ERROR,
            )
        if eget_administratorsuppdrag(uppdrag, self.request.user):
            return self.tillbaka(person, EGET_ADMINUPPDRAG, messages.ERROR)
        form = AvslutaUppdragForm(self.request.POST, uppdrag=uppdrag)
        if not form.is_valid():
            return self.igen(person, avsluta_form=form)
        if not form.spara(av=self.request.user):
            text = _(
                "Uppdraget %(uppdrag)s hade inte börjat gälla och är borttaget. Det finns "
                "kvar i historiken."
            )
        elif uppdrag.giltig_till < timezone.localdate():
            text = _("Uppdraget %(uppdrag)s är avslutat; behörigheten har upphört.")
        else:
            text = _("Uppdraget %(uppdrag)s gäller till och med %(dag)s.")
        dag = f"{uppdrag.giltig_till:%Y-%m-%d}" if uppdrag.giltig_till else ""
        return self.tillbaka(person, text % {"uppdrag": uppdrag, "dag": dag})


class InaktiveraView(PersonPost):
    def gor(self, person):
        if person.pk == self.request.user.pk:
            return self.tillbaka(person, _("Du kan inte inaktivera dig själv."), messages.ERROR)
        if not person.is_active:
            return self.tillbaka(
                person, _("%(namn)s är redan inaktiverad.") % {"namn": namn(person)}, messages.ERROR
            )
        person.inaktivera(av=self.request.user)
        return self.tillbaka(
            person,
            _("%(namn)s är inaktiverad. Pågående uppdrag avslutades i dag och kommande togs bort.")
            % {"namn": namn(person)},
        )


class AktiveraView(PersonPost):
    def gor(self, person):
        if person.is_active:
            return self.tillbaka(
                person, _("%(namn)s är redan aktiv.") % {"namn": namn(person)}, messages.ERROR
            )
        person.is_active = True
        person._history_user = self.request.user
        person._change_reason = ORSAK_AKTIVERAD
        person.save(update_fields=["is_active"])
        return self.tillbaka(
            person,
            _(
                "%(namn)s är aktiv igen. Uppdragen avslutades när kontot inaktiverades: lägg "
                "till de uppdrag hen ska ha nu."
            )
            % {"namn": namn(person)},
        )


class LosenordslankView(PersonPost):
    def gor(self, person):
        if not person.is_active:
            return self.tillbaka(
                person,
                _("Kontot är inaktiverat. Aktivera det igen innan du skickar en länk."),
                messages.ERROR,
            )
        if not person.email:
            return self.tillbaka(
                person,
                _("%(namn)s har ingen e-postadress att skicka länken till.")
                % {"namn": namn(person)},
                messages.ERROR,
            )
        try:
            skicka_losenordslank(self.request, person)
        except ValidationError:
            return self.tillbaka(
                person,
                _("E-postadressen %(epost)s är inte giltig. Rätta den först.")
                % {"epost": person.email},
                messages.ERROR,
            )
        return self.tillbaka(
            person,
            _("En länk för att välja lösenord skickas till %(epost)s.") % {"epost": person.email},
        )


class AterstallTvastegsView(PersonPost):
    """A person who lost their phone (and their recovery codes): their app and recovery
    codes are removed, and the reset is recorded in the person's history
    (`ORSAK_TVASTEGS_ATERSTALLD`, with the administrator). A session the removed app
    verified is no longer verified. Not the administrator's own: another one does it,
    as with their own admin role."""

    def gor(self, person):
        if person.pk == self.request.user.pk:
            return self.tillbaka(
                person,
                _(
                    "Du kan inte återställa din egen tvåstegsverifiering; be en annan "
                    "administratör."
                ),
                messages.ERROR,
            )
        if not tvastegs.ta_bort(person):
            return self.tillbaka(
                person,
                _("%(namn)s har ingen tvåstegsverifiering att återställa.")
                % {"namn": namn(person)},
                messages.ERROR,
            )
        # The account row is saved unchanged: its history gets the reset as a version
        # with the reason and the administrator, beside the person's other changes.
        person._history_user = self.request.user
        person._change_reason = ORSAK_TVASTEGS_ATERSTALLD
        person.save(update_fields=["is_active"])
        return self.tillbaka(
            person,
            _(
                "Tvåstegsverifieringen för %(namn)s är återställd. Appen och reservkoderna "
                "gäller inte längre."
            )
            % {"namn": namn(person)},
        )


urls = [
    path("personer/", PersonListaView.as_view(), name="personer"),
    path("personer/ny/", NyPersonView.as_view(), name="ny_person"),
    path("personer/<int:pk>/", PersonView.as_view(), name="person"),
    path("personer/<int:pk>/uppdrag/", NyttUppdragView.as_view(), name="nytt_uppdrag"),
    path(
        "personer/<int:pk>/uppdrag/<int:uppdrag>/avsluta/",
        AvslutaUppdragView.as_view(),
        name="avsluta_uppdrag",
    ),
    path("personer/<int:pk>/inaktivera/", InaktiveraView.as_view(), name="inaktivera"),
    path("personer/<int:pk>/aktivera/", AktiveraView.as_view(), name="aktivera"),
    path("personer/<int:pk>/losenordslank/", LosenordslankView.as_view(), name="losenordslank"),
    path(
        "personer/<int:pk>/tvastegs/aterstall/",
        AterstallTvastegsView.as_view(),
        name="aterstall_tvastegs",
    ),
]
