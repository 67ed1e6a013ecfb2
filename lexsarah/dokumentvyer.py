"""The lex Sarah documents in the browser: the case's two documents for the people who
see the whole case (the live draft, the frozen version once decided), and the nämnd's
page of decided documents (the nämnd sees no case records, only what was written for
it). Every download is logged (`Atkomstlogg`)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kvalitet.lib.sidor import BegransadPaginator
from kvalitet.models import Atkomstlogg
from kvalitet.views import ArendeAtkomstMixin

from . import behorighet as regler
from . import dokument
from .models import Dokument, LexSarah

TYPER = {t.value for t in Dokument.Typ}


def pdf_svar(arende, typ, innehall: bytes, *, bilaga: bool) -> HttpResponse:
    response = HttpResponse(innehall, content_type="application/pdf")
    namn = dokument.filnamn(arende, typ)
    response["Content-Disposition"] = f'{"attachment" if bilaga else "inline"}; filename="{namn}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _typ(typ: str) -> str:
    if typ not in TYPER:
        raise Http404
    return typ


class DokumentView(ArendeAtkomstMixin, View):
    """`<nummer>/dokument/<typ>.pdf`: the investigation or the tjänsteskrivelse of a case
    the user sees whole – the draft as the case reads now, the stored version once
    decided. `?visa` shows it in the browser instead of downloading it. A page of the
    case record: the nämnd is refused as on the case's other pages, and reads the
    decided documents on its own page (`NamndDokumentView`)."""

    def get(self, request, nummer, typ):
        typ = _typ(typ)
        ls = get_object_or_404(
            LexSarah.objects.for_user(request.user).select_related("enhet", "handlaggare"),
            nummer=nummer.upper()[:30],
        )
        if not regler.ser_hela(request.user, ls):
            raise PermissionDenied(_("Dokumenten visas för dem som arbetar med ärendet."))
        innehall = dokument.pdf_for(ls, typ)
        Atkomstlogg.logga(
            request.user, [ls], Atkomstlogg.Handelse.DOKUMENT, Dokument.Typ(typ).label
        )
        return pdf_svar(ls, typ, innehall, bilaga="visa" not in request.GET)


class NamndMixin(LoginRequiredMixin):
    """The nämnd's pages: the nämnd and those who prepare its meetings; no case record
    is shown, so these pages do not refuse the nämnd as `ArendeAtkomstMixin` does."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not regler.kan_lasa_namndhandlingar(request.user):
            raise PermissionDenied(
                _(
                    "Nämndhandlingarna läses av nämnden, kvalitetssamordnaren och "
                    "förvaltningschefen."
                )
            )
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def beslutade():
        """The cases whose decided documents are stored."""
        return LexSarah.objects.filter(
            Exists(Dokument.objects.filter(arende=OuterRef("pk"))), beslutad__isnull=False
        )


class NamndListaView(NamndMixin, TemplateView):
    """`namnden/`: the decided lex Sarah cases and their documents, newest first."""

    template_name = "lexsarah/namnd.html"
    per_sida = 50

    def get_context_data(self, **kwargs):
        qs = (
            self.beslutade()
            .select_related("enhet")
            .only(
                "nummer",
                "enhet__namn",
                "beslutad",
                "diarienummer",
                "beslutsfattare",
                "sammantradesdatum",
                "paragraf",
                "klassning",
                "ivo_anmald",
            )
            .order_by("-beslutad", "-pk")
        )
        sida = BegransadPaginator(qs, self.per_sida).get_page(self.request.GET.get("sida"))
        return super().get_context_data(sida=sida, **kwargs)


class NamndDokumentView(NamndMixin, View):
    """`namnden/<nummer>/<typ>.pdf`: the newest stored document of a decided case."""

    def get(self, request, nummer, typ):
        typ = _typ(typ)
        ls = get_object_or_404(self.beslutade().only("pk", "nummer"), nummer=nummer.upper()[:30])
        dok = dokument.senaste(ls, typ)
        if dok is None:
            raise Http404
        innehall = dokument.las(dok)
        Atkomstlogg.logga(
            request.user, [ls], Atkomstlogg.Handelse.DOKUMENT, Dokument.Typ(typ).label
        )
        response = pdf_svar(ls, typ, innehall, bilaga="visa" not in request.GET)
        response["X-Content-SHA256"] = dok.sha256
        return response
