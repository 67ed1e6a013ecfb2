"""The account pages that need more than Django's own views: the login (failed logins
are also limited per client address), and the password reset (the link goes through
the outbox, requests are limited per client address, and a new password lifts the
user's login lockout)."""

from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from kvalitet import begransning, tvastegs
from kvalitet.forms import KvalitetFormMixin
from kvalitet.middleware import sessionen_gick_ut
from kvalitet.notifieringar import koa_utskick

TIMME = timedelta(hours=1)
MISSLYCKADE_INLOGGNINGAR = "inloggning-misslyckad"
ATERSTALLNINGAR = "losenord-aterstallning"


def avvisad(form, meddelande):
    """An unbound form (nothing in it was checked or tried) showing only `meddelande`."""
    form.full_clean()  # no errors, nothing cleaned: the form is not bound
    form.cleaned_data = {}
    form.add_error(None, meddelande)
    return form


class LoginView(auth_views.LoginView):
    """Django's login, with django-axes locking a user name from an address after
    AXES_FAILURE_LIMIT failures; and beyond that, a client address with
    INLOGGNING_MISSLYCKADE_PER_TIMME failed logins within an hour, whatever the user
    names, may not try again until the hour has passed (password spraying). That limit
    locks no account: the same user logs in from another address."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if begransning.overskriden(
            request, MISSLYCKADE_INLOGGNINGAR, settings.INLOGGNING_MISSLYCKADE_PER_TIMME, TIMME
        ):
            # Not even a right password is tried, so the answer tells nothing about it.
            form = avvisad(
                self.get_form_class()(
                    request, initial={"username": request.POST.get("username", "")[:150]}
                ),
                _(
                    "För många misslyckade inloggningar från din adress. Vänta en stund "
                    "(högst en timme) och försök igen."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        begransning.registrera(self.request, MISSLYCKADE_INLOGGNINGAR)
        return super().form_invalid(form)

    def form_valid(self, form):
        """The password was right. A person with a second factor, or who must have one,
        goes on to that step (kvalitet.tvastegs) and is not fully logged in until it is
        done; the failed logins are forgiven only when the login is complete."""
        response = super().form_valid(form)
        steg = tvastegs.aterstaende_steg(self.request)
        if steg is not None:
            return redirect(tvastegs.steg_url(steg, self.get_success_url()))
        tvastegs.inloggningen_fullbordad(self.request, form.get_user())
        return response

    def get_context_data(self, **kwargs):
        """With a page to go on to, the page says why the user is here: the session
        expired (the browser was logged in and did not log out), or the page needs a
        login. Whether what was typed is kept only the browser knows (the tab's
        sessionStorage): the template's `data-utkast-kvar` line is shown by
        static/js/utkast.js when it is."""
        context = super().get_context_data(**kwargs)
        if context.get(self.redirect_field_name):
            context["sessionen_gick_ut"] = sessionen_gick_ut(self.request)
        return context


class PasswordResetForm(KvalitetFormMixin, auth_forms.PasswordResetForm):
    """The reset link is written to the outbox and delivered after commit (Celery),
    never sent during the request: a known address is answered as fast as an unknown
    one, whatever the mail server does."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        amne = "".join(render_to_string(subject_template_name, context).splitlines())
        koa_utskick(to_email, amne, render_to_string(email_template_name, context))


class PasswordResetView(auth_views.PasswordResetView):
    """Asking for a reset link: at most ATERSTALLNING_PER_TIMME requests per client
    address and hour; the same answer whether the address is known or not."""

    form_class = PasswordResetForm

    def post(self, request, *args, **kwargs):
        if not begransning.tillat(
            request, ATERSTALLNINGAR, settings.ATERSTALLNING_PER_TIMME, TIMME
        ):
            form = avvisad(
                self.get_form_class()(initial={"email": request.POST.get("email", "")[:254]}),
                _(
                    "För många begäranden om nytt lösenord från din adress. Vänta en stund "
                    "(högst en timme) och försök igen."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # The outbox row commits here, and its delivery is queued only then.
        with transaction.atomic():
            return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing the new password through the link; it lifts every login lockout of the
    user, from every address (whoever caused it, the user has proved to own the
    account's e-mail address)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response
