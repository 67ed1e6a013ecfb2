"""The workflow engine shared by every case type.

A transition is a method on the model, decorated with `transition(...)`. Calling it
locks the row, checks the current status and the actor's permission, runs the
method body (which may validate input and set fields), sets the new status, saves
with a history change reason, writes a timeline entry and lets the body queue
notifications, which are sent only after the transaction commits. A refused
transition raises; it never passes silently.
"""

from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


class TransitionNotAllowed(Exception):
    """The case's current status does not allow this transition."""


@dataclass(frozen=True)
class Transition:
    """Declaration of one guarded state change."""

    name: str
    slug: str
    label: str
    source: tuple[str, ...]
    target: str
    permission: Any
    form: str | None = None
    timeline: str = "status"
    confirm: str = ""
    style: str = field(default="primary")
    # The verb in messages ("att fastställa"), when the label is not an infinitive.
    verb: str = ""

    def allowed_from(self, status) -> bool:
        return status in self.source

    def permitted(self, user, obj) -> bool:
        return bool(self.permission(user, obj))

    def available(self, user, obj) -> bool:
        return self.allowed_from(obj.status) and self.permitted(user, obj)

    def form_class(self):
        return import_string(self.form) if self.form else None

    def make_form(self, data=None, *, obj, user):
        """The transition's input form (an `OvergangForm`), or None if it takes none."""
        form_class = self.form_class()
        return form_class(data, arende=obj, user=user) if form_class else None


def transition(
    *,
    source,
    target,
    label,
    permission,
    slug=None,
    form=None,
    timeline="status",
    confirm="",
    style="primary",
    verb="",
):
    """Declare a model method as a guarded transition from `source` states to `target`."""

    def decorator(func):
        spec = Transition(
            name=func.__name__,
            slug=slug or func.__name__.replace("_", "-"),
            label=label,
            source=tuple(source),
            target=target,
            permission=permission,
            form=form,
            timeline=timeline,
            confirm=confirm,
            style=style,
            verb=verb,
        )

        @wraps(func)
        def wrapper(self, *, av, **kwargs):
            with transaction.atomic():
                current = (
                    type(self)
                    ._default_manager.select_for_update()
                    .values_list("status", flat=True)
                    .get(pk=self.pk)
                )
                if not spec.allowed_from(current):
                    raise TransitionNotAllowed(
                        _("Det går inte att %(atgard)s när status är %(status)s.")
                        % {
                            "atgard": str(spec.verb or spec.label).lower(),
                            "status": _status_label(self, current),
                        }
                    )
                self.status = current
                if not spec.permitted(av, self):
                    raise PermissionDenied(_("Du har inte behörighet att göra detta."))
                fran = self.status
                result = func(self, av=av, **kwargs)
                self.status = target
                if hasattr(self, "uppdaterad_av"):
                    self.uppdaterad_av = av
                self._change_reason = str(spec.label)
                self.save()
                self.logga(
                    spec.timeline,
                    av=av,
                    text=kwargs.get("kommentar", "") or "",
                    fran_status=fran,
                    till_status=target,
                )
            return result

        wrapper.transition = spec
        wrapper.alters_data = True
        return wrapper

    return decorator


def _status_label(obj, value):
    field_ = obj._meta.get_field("status")
    return str(dict(field_.flatchoices).get(value, value)).lower()


def transitions_of(model):
    """All transitions declared on a model class, in declaration order."""
    found = []
    for klass in reversed(model.__mro__):
        for attr in vars(klass).values():
            spec = getattr(attr, "transition", None)
            if isinstance(spec, Transition) and spec not in found:
                found.append(spec)
    return found


def available_transitions(user, obj):
    """The transitions this user may take on this object now."""
    return [t for t in transitions_of(type(obj)) if t.available(user, obj)]


def ateroppning(*, source, target, permission, amne=None):
    """The shared "reopen with a reason" transition of every case type.

    `amne` names the case in the error message ("avvikelsen"); default "ärendet".
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext_lazy

    @transition(
        source=source,
        target=target,
        label=gettext_lazy("Återöppna"),
        permission=permission,
        form="kvalitet.forms.AteroppnaForm",
        style="secondary",
    )
    def ateroppna(self, *, av, kommentar):
        """Reopen a closed case; the reason goes on the timeline."""
        if not kommentar.strip():
            raise ValidationError(
                {
                    "kommentar": _("Ange varför %(amne)s öppnas igen.")
                    % {"amne": amne or _("ärendet")}
                }
            )
        self.avslutad = None

    return ateroppna
