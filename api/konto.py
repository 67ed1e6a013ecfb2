"""The account page of one's own API keys: list, create (the key shown once), revoke.

For staff: anyone with a valid role (the nämnd too, to read the decided reports). A key
belongs to the person who made it; another person's key is not found (404)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kvalitet import behorighet

from .forms import NyckelForm
from .models import ApiNyckel


class NyckelMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not behorighet.uppdrag(request.user):
            raise PermissionDenied(_("API-nycklar är för den som har en roll i systemet."))
        return super().dispatch(request, *args, **kwargs)


class NycklarView(NyckelMixin, TemplateView):
    """GET: the person's keys and the form. POST: a new key, shown on the answer page
    once – it is stored only as a hash and cannot be shown again."""

    template_name = "api/nycklar.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", NyckelForm())
        return super().get_context_data(
            nycklar=ApiNyckel.objects.filter(anvandare=self.request.user), **kwargs
        )

    def post(self, request):
        form = NyckelForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        try:
            with transaction.atomic():
                rad, nyckel = ApiNyckel.skapa(
                    anvandare=request.user,
                    namn=data["namn"],
                    omfang=data["omfang"],
                    dagar=data["dagar"],
                    formularnyckel=data["engangsnyckel"],
                )
        except IntegrityError:
            # The same form sent again (a reload of this page, a double click): the key
            # it made cannot be shown again, and no second one is made.
            redan = ApiNyckel.objects.filter(
                formularnyckel=data["engangsnyckel"], anvandare=request.user
            ).first()
            if redan is None:  # another person's form's key: nothing to tell about it
                messages.error(request, _("Formuläret kunde inte användas. Fyll i det igen."))
                return redirect("api_nycklar")
            return self.render_to_response(self.get_context_data(redan=redan))
        svar = self.render_to_response(self.get_context_data(ny=rad, nyckel=nyckel))
        svar["Cache-Control"] = "no-store"  # the key must not stay in any cache
        return svar


class AterkallaView(NyckelMixin, View):
    """POST: revoke one of one's own keys at once."""

    http_method_names = ["post"]

    def post(self, request, pk):
        rad = get_object_or_404(ApiNyckel, pk=pk, anvandare=request.user)
        if rad.aterkallad is None:
            rad.aterkalla()
            messages.success(request, _("Nyckeln %(namn)s är återkallad.") % {"namn": rad})
        else:
            messages.info(request, _("Nyckeln %(namn)s var redan återkallad.") % {"namn": rad})
        return redirect("api_nycklar")


urlpatterns = [
    path("", NycklarView.as_view(), name="api_nycklar"),
    path("<int:pk>/aterkalla/", AterkallaView.as_view(), name="api_nyckel_aterkalla"),
]
