"""E-mail that could not be delivered: the kvalitetssamordnare's (and the
administrator's) view of the outbox rows given up, with "Försök igen".

Messages carry a case number and a link only (kvalitet.notifieringar), so showing the
recipient, the subject and the mail server's reply reveals nothing of a case."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kvalitet import behorighet
from kvalitet.models import Utskick

MAX_RADER = 200


class UtskickKrav(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not behorighet.ser_misslyckade_utskick(request.user):
            raise PermissionDenied(_("Sidan är för kvalitetssamordnare och administratörer."))
        return super().dispatch(request, *args, **kwargs)


class MisslyckadeView(UtskickKrav, TemplateView):
    """The messages given up, newest first."""

    template_name = "kvalitet/utskick/misslyckade.html"

    def get_context_data(self, **kwargs):
        qs = Utskick.objects.misslyckade()
        return super().get_context_data(
            utskick=list(qs.order_by("-skapad", "-pk")[:MAX_RADER]),
            antal=qs.count(),
            max_rader=MAX_RADER,
            **kwargs,
        )


class ForsokIgenView(UtskickKrav, View):
    """POST: a new round of attempts for one message given up."""

    http_method_names = ["post"]

    def post(self, request, pk):
        from kvalitet.tasks import forsok_igen

        rad = get_object_or_404(Utskick, pk=pk)
        if forsok_igen(rad):
            messages.success(
                request,
                _("Mejlet till %(till)s skickas igen.") % {"till": rad.mottagare},
            )
        else:
            messages.info(
                request,
                _("Mejlet till %(till)s är redan skickat eller väntar redan på ett nytt försök.")
                % {"till": rad.mottagare},
            )
        return redirect("utskick:misslyckade")


urls = [
    path("", MisslyckadeView.as_view(), name="misslyckade"),
    path("<int:pk>/forsok-igen/", ForsokIgenView.as_view(), name="forsok_igen"),
]
