"""The pages of the second factor (kvalitet.tvastegs): the second step of the login, the
enrolment of an authenticator app with the recovery codes, and the account page where a
person sees their status, makes new recovery codes or turns the second factor off.

A code is checked under the login's rules (`kontrollerad_kod`): while the user name is
locked from this address (django-axes) or the address has had too many failed logins
(kvalitet.begransning) no code is checked at all; a wrong code counts as a failed login
for the user name and the address, and the failure that reaches the limit logs the
session out and answers with the lockout page, as a wrong password does."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_login_failed
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from kvalitet import begransning, behorighet, tvastegs
from kvalitet.forms import Form
from kvalitet.konto import MISSLYCKADE_INLOGGNINGAR, TIMME
from kvalitet.tvastegs import Provning, Steg

KOD_FEL = gettext_lazy("Koden stämmer inte. Försök igen med en ny kod från appen.")
FOR_MANGA_FRAN_ADRESSEN = gettext_lazy(
    "För många misslyckade inloggningar från din adress. Vänta en stund "
    "(högst en timme) och försök igen."
)


class KodForm(Form):
    """A code: six digits from the app, or (where `reservkod`) a recovery code of ten
    characters; spaces and hyphens are ignored."""

    kod = forms.CharField(
        label=gettext_lazy("Kod"),
        max_length=40,
        error_messages={
            "required": gettext_lazy("Skriv koden."),
            "max_length": gettext_lazy(
                "Koden är för lång: skriv de sex siffrorna från appen eller en reservkod."
            ),
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, reservkod=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.reservkod = reservkod
        if reservkod:
            self.fields["kod"].help_text = gettext_lazy(
                "Sex siffror från autentiseringsappen, eller en av dina reservkoder "
                "(tio tecken, t.ex. abcde-fgh23)."
            )
        else:
            self.fields["kod"].help_text = gettext_lazy("De sex siffror som appen visar just nu.")
            self.fields["kod"].widget.attrs["inputmode"] = "numeric"

    def clean_kod(self):
        kod = tvastegs.normaliserad(self.cleaned_data["kod"])
        if tvastegs.ar_appkod(kod) or (self.reservkod and tvastegs.ar_reservkod(kod)):
            return kod
        if self.reservkod:
            raise forms.ValidationError(
                _(
                    "Skriv de sex siffrorna från autentiseringsappen, eller en reservkod "
                    "med tio bokstäver och siffror."
                ),
                code="form",
            )
        raise forms.ValidationError(
            _("Skriv de sex siffrorna som appen visar, utan bokstäver."), code="form"
        )


def nasta_sida(request) -> str:
    """The page to go on to (`next`, a page of this site), else the start page."""
    nasta = request.POST.get("next") or request.GET.get("next") or ""
    if nasta and url_has_allowed_host_and_scheme(
        nasta, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nasta
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def sparrad(request, credentials):
    """The login's lockout page (django-axes' template), after logging the session out:
    a half-logged-in session does not outlive the lockout."""
    logout(request)
    return get_lockout_response(request, None, credentials)


def kontrollerad_kod(request, form):
    """Check the form's code for the logged-in user under the login's rules. Returns
    (device, None) for a right code; (None, response) when the answer is a lockout page;
    (None, None) with the reason added to the form otherwise. Only a code that was
    checked and wrong counts as a failed login."""
    user = request.user
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return None, sparrad(request, credentials)
    if begransning.overskriden(
        request, MISSLYCKADE_INLOGGNINGAR, settings.INLOGGNING_MISSLYCKADE_PER_TIMME, TIMME
    ):
        form.add_error(None, FOR_MANGA_FRAN_ADRESSEN)
        form.status = 429
        return None, None
    if not form.is_valid():
        return None, None
    resultat, enhet, vanta = tvastegs.prova(user, form.cleaned_data["kod"])
    if resultat is Provning.RATT:
        return enhet, None
    if resultat is Provning.VANTA:
        form.add_error(
            "kod",
            _("För många felaktiga koder i rad. Vänta %(s)s sekunder och försök igen.")
            % {"s": vanta},
        )
        form.status = 429
        return None, None
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    begransning.registrera(request, MISSLYCKADE_INLOGGNINGAR)
    if getattr(request, "axes_locked_out", False):
        return None, sparrad(request, credentials)
    form.add_error("kod", KOD_FEL)
    return None, None


class StegView(LoginRequiredMixin, TemplateView):
    """The second step of the login: a code from the app or a recovery code. Reached by
    a session that owes it; anyone else is sent on (to the enrolment when that is what
    is owed)."""

    template_name = "registration/tvastegs.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            steg = tvastegs.aterstaende_steg(request)
            if steg is Steg.AKTIVERA:
                return redirect(tvastegs.steg_url(steg, request.GET.get("next", "")))
            if steg is None:
                return redirect(nasta_sida(request))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", KodForm())
        return super().get_context_data(
            nasta=nasta_sida(self.request), tvastegs_aterstar=True, **kwargs
        )

    def post(self, request, *args, **kwargs):
        form = KodForm(request.POST)
        form.status = 400
        enhet, svar = kontrollerad_kod(request, form)
        if svar is not None:
            return svar
        if enhet is None:
            return self.render_to_response(self.get_context_data(form=form), status=form.status)
        user = request.user
        tvastegs.inloggningen_fullbordad(request, user, enhet)
        if enhet.persistent_id.startswith("otp_static."):
            kvar = tvastegs.reservkoder_kvar(user)
            messages.warning(
                request,
                _(
                    "Du loggade in med en reservkod; den kan inte användas igen. Du har "
                    "%(kvar)s kvar. Skapa nya reservkoder på sidan Tvåstegsverifiering."
                )
                % {"kvar": kvar},
            )
        return redirect(nasta_sida(request))


def _visa_reservkoder(request, koder, rubrik):
    """The recovery codes, shown this once (the response is not stored: no-store)."""
    return TemplateResponse(
        request,
        "registration/tvastegs_reservkoder.html",
        {"koder": koder, "rubrik": rubrik, "nasta": nasta_sida(request)},
    )


class AktiveraView(LoginRequiredMixin, TemplateView):
    """Setting up the authenticator app: the secret as a QR code and as text; the app's
    first code confirms it, and then the recovery codes are shown once. Required for
    some (kvalitet.tvastegs), open to everyone logged in. The secret lives in the session
    until confirmed, so looking at the page saves nothing."""

    template_name = "registration/tvastegs_aktivera.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and tvastegs.totp_enhet(request.user) is not None:
            if tvastegs.aterstaende_steg(request) is Steg.VERIFIERA:
                return redirect(tvastegs.steg_url(Steg.VERIFIERA, request.GET.get("next", "")))
            messages.info(request, _("Tvåstegsverifieringen är redan påslagen."))
            return redirect("tvastegs_hantera")
        return super().dispatch(request, *args, **kwargs)

    def hemlighet(self):
        session = self.request.session
        if not session.get(tvastegs.SESSION_NY_HEMLIGHET):
            session[tvastegs.SESSION_NY_HEMLIGHET] = tvastegs.ny_hemlighet()
        return session[tvastegs.SESSION_NY_HEMLIGHET]

    def get_context_data(self, **kwargs):
        hemlighet = self.hemlighet()
        user = self.request.user
        kwargs.setdefault("form", KodForm(reservkod=False))
        return super().get_context_data(
            qr=tvastegs.qr_svg(user, hemlighet),
            hemlighet=tvastegs.hemlighet_att_skriva(hemlighet),
            kravs=behorighet.kraver_tvastegs(user),
            # The menu and the links of base.html are left out while the step is owed.
            tvastegs_aterstar=tvastegs.aterstaende_steg(self.request) is Steg.AKTIVERA,
            nasta=nasta_sida(self.request),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = KodForm(request.POST, reservkod=False)
        hemlighet = request.session.get(tvastegs.SESSION_NY_HEMLIGHET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if not hemlighet:
            # The session expired or was replaced since the page was shown: a new secret.
            form.add_error(
                None,
                _(
                    "Sidan hade blivit för gammal. Lägg in den nya QR-koden nedan i appen och "
                    "skriv koden den visar."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=400)
        user = request.user
        enhet = tvastegs.bekrafta_ny_app(user, hemlighet, form.cleaned_data["kod"])
        if enhet is None:
            form.add_error(
                "kod",
                _(
                    "Koden stämmer inte. Kontrollera att du har lagt in QR-koden på den här "
                    "sidan och att klockan i telefonen går rätt, och skriv den kod appen "
                    "visar nu."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=400)
        del request.session[tvastegs.SESSION_NY_HEMLIGHET]
        koder = tvastegs.nya_reservkoder(user)
        # The first code from the app is also this session's second factor.
        tvastegs.inloggningen_fullbordad(request, user, enhet)
        return _visa_reservkoder(request, koder, _("Klart! Spara dina reservkoder"))


class HanteraView(LoginRequiredMixin, TemplateView):
    """The account page of the second factor: whether it is on (and whether it must be),
    when the app was last used, how many recovery codes are left; new recovery codes and
    turning it off, each confirmed with a current code."""

    template_name = "registration/tvastegs_hantera.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        kwargs.setdefault("reservkodsform", KodForm(auto_id="reserv-%s"))
        kwargs.setdefault("avstangningsform", KodForm(auto_id="av-%s"))
        for falt in ("reservkodsform", "avstangningsform"):
            kwargs[falt].fields["kod"].widget.attrs.pop("autofocus", None)
        return super().get_context_data(
            app=tvastegs.totp_enhet(user),
            reservkoder_kvar=tvastegs.reservkoder_kvar(user),
            kravs=behorighet.kraver_tvastegs(user),
            losenordsinloggning=tvastegs.inloggad_med_losenord(self.request),
            **kwargs,
        )


class HanteraPost(LoginRequiredMixin, TemplateView):
    """A POST from the account page, confirmed with a current code; refused requests
    show the page again with the reason and change nothing."""

    template_name = HanteraView.template_name
    http_method_names = ["post"]
    formnamn = ""

    def igen(self, form):
        vy = HanteraView()
        vy.setup(self.request)
        return vy.render_to_response(
            vy.get_context_data(**{self.formnamn: form}), status=getattr(form, "status", 400)
        )

    def post(self, request, *args, **kwargs):
        user = request.user
        if tvastegs.totp_enhet(user) is None:
            messages.error(request, _("Tvåstegsverifieringen är inte påslagen."))
            return redirect("tvastegs_hantera")
        if (vagran := self.vagran(user)) is not None:
            messages.error(request, vagran)
            return redirect("tvastegs_hantera")
        prefix = "reserv" if self.formnamn == "reservkodsform" else "av"
        form = KodForm(request.POST, auto_id=f"{prefix}-%s")
        form.status = 400
        enhet, svar = kontrollerad_kod(request, form)
        if svar is not None:
            return svar
        if enhet is None:
            return self.igen(form)
        return self.gor(user)

    def vagran(self, user):
        return None


class NyaReservkoderView(HanteraPost):
    formnamn = "reservkodsform"

    def gor(self, user):
        koder = tvastegs.nya_reservkoder(user)
        return _visa_reservkoder(
            self.request, koder, _("Nya reservkoder – de gamla gäller inte längre")
        )


class StangAvView(HanteraPost):
    formnamn = "avstangningsform"

    def vagran(self, user):
        if behorighet.kraver_tvastegs(user):
            return _(
                "Tvåstegsverifieringen kan inte stängas av: den krävs för ditt konto. Har du "
                "tappat telefonen, logga in med en reservkod eller be en administratör "
                "återställa den."
            )
        return None

    def gor(self, user):
        tvastegs.ta_bort(user)
        tvastegs.glom_verifieringen(self.request)
        messages.success(self.request, _("Tvåstegsverifieringen är avstängd."))
        return redirect("tvastegs_hantera")


urls = [
    path("tvastegs/", StegView.as_view(), name="tvastegs"),
    path("tvastegs/aktivera/", AktiveraView.as_view(), name="tvastegs_aktivera"),
    path("tvastegs/hantera/", HanteraView.as_view(), name="tvastegs_hantera"),
    path("tvastegs/reservkoder/", NyaReservkoderView.as_view(), name="tvastegs_reservkoder"),
    path("tvastegs/stang-av/", StangAvView.as_view(), name="tvastegs_stang_av"),
]
