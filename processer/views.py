"""Pages of the processes: the process map (a filtered list), a process with its goals,
key figures and revisions, and a new process."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvalitet.export import Kolumn
from kvalitet.models import TimelineEntry
from kvalitet.views import (
    ArendeDetailView,
    ArendeListaView,
    NyttArendeView,
    datum,
    nummerlank,
    statusmarke,
)

from . import behorighet
from .filters import ProcessFilter
from .forms import NyProcessForm
from .models import Nyckeltalsvarde, Process, siffra

# Years of a key figure shown on the process's page: this year and the earlier ones.
AR_PA_SIDAN = 4


class ListaView(ArendeListaView):
    """The process map: the processes the user sees, by group and name."""

    model = Process
    filterset_class = ProcessFilter
    relaterade = ("enhet", "handlaggare")
    template_name = "processer/lista.html"
    listkolumner = [
        (gettext_lazy("Nummer"), nummerlank),
        (gettext_lazy("Process"), lambda p: p.namn),
        (gettext_lazy("Typ"), lambda p: p.get_typ_display()),
        (gettext_lazy("Enhet"), lambda p: p.enhet.namn),
        (gettext_lazy("Processägare"), lambda p: p.handlaggare or "–"),
        (gettext_lazy("Inrättad"), datum("inrattad")),
        (gettext_lazy("Status"), statusmarke),
    ]

    def rubrik(self):
        return _("Processer")

    def exportkolumner(self):
        return [
            Kolumn(_("Nummer"), "nummer"),
            Kolumn(_("Process"), "namn"),
            Kolumn(_("Typ"), "typ"),
            Kolumn(_("Enhet"), "enhet__namn"),
            Kolumn(_("Syfte och omfattning"), "syfte"),
            Kolumn(_("Mål"), "mal"),
            Kolumn(_("Processägare"), "handlaggare"),
            Kolumn(_("Processledare"), "processledare"),
            Kolumn(_("Inrättad"), "inrattad"),
            Kolumn(_("Status"), "status"),
            Kolumn(_("Avvecklad"), "avvecklad"),
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(kan_skapa=behorighet.kan_skapa(self.request.user), **kwargs)


class DetaljView(ArendeDetailView):
    model = Process
    template_name = "processer/detalj.html"

    def get_queryset(self):
        return super().get_queryset().select_related("processledare")

    def registret(self):
        return {
            "arende_ns": "processer:",
            "listnamn": _("Processer"),
            "lista_url": "processer:lista",
        }

    def extra_context_for(self, process):
        iar = timezone.localdate().year
        # This year and the ones before it since the process was established, and next
        # year for a key figure that already has its target.
        ar = [a for a in range(iar + 1, iar - AR_PA_SIDAN, -1) if a >= process.inrattad.year]
        nyckeltal = list(
            process.nyckeltal.prefetch_related(
                Prefetch("varden", queryset=Nyckeltalsvarde.objects.filter(ar__in=ar))
            )
        )
        for n in nyckeltal:
            per_ar = {v.ar: v for v in n.varden.all()}
            for v in per_ar.values():
                v.nyckeltal = n  # the row's target text and result read its key figure
            n.rader = [{"ar": a, "varde": per_ar.get(a)} for a in ar if a <= iar or a in per_ar]
        return {
            "nyckeltal": nyckeltal,
            "ar": ar,
            # Every one: a process is mapped, revised or published a few times a year.
            "handelser": process.handelser.all(),
            "siffra": siffra,
            "lankrubrik": _("Länkar"),
            "lanktext": _("Koppla en händelse, risk eller kontroll som rör processen"),
            "lanktom": _("Inget är kopplat till processen."),
        }


class NyProcessView(NyttArendeView):
    """Add a process to the map (`/processer/ny/`): those who keep it."""

    template_name = "processer/ny.html"
    form_class = NyProcessForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not behorighet.kan_skapa(request.user):
            raise PermissionDenied(_("Processkartan hålls av staben."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        kwargs.setdefault("initial", {})["inrattad"] = timezone.localdate()
        return kwargs

    def form_valid(self, form):
        process = form.save(commit=False)
        process.skapad_av = process.uppdaterad_av = self.request.user
        with transaction.atomic():
            process._change_reason = "Tillagd"
            process.save()
            process.log(TimelineEntry.Typ.SKAPAT, av=self.request.user, till_status=process.status)
        messages.success(self.request, _("Processen %(nr)s är tillagd.") % {"nr": process})
        return redirect(process.get_absolute_url())


def egna_urls():
    """The pages before the shared ones (`arende_urls`)."""
    return [path("ny/", NyProcessView.as_view(), name="ny")]
