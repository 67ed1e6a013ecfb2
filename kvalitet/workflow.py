"""The workflow engine shared by every record with steps (docs/arbetsfloden.md).

Two verbs declare a guarded step as a model method:

- `@transition(source=..., target=...)` moves the status;
- `@step(...)` keeps it: a position taken, an investigation saved, a date recorded.

Calling either locks the row, checks the current status (a step may be limited to some
statuses too), the actor's permission and any condition, runs the method body (which
may validate input, set fields and queue notifications, sent only after commit), saves
with a history change reason and writes a timeline entry. A refused step raises; it
never passes silently. A step's body returns the text of its timeline entry, or None
when it changed nothing (then nothing is saved or logged).

`kvalitet.views.StepView` runs every step from its own URL, generated from these
declarations; the pages show each step's form to those who may take it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class TransitionNotAllowed(Exception):
    """The record's current status does not allow this step."""


@dataclass(frozen=True)
class Step:
    """Declaration of one guarded step: a transition (with a `target` status) or a step
    that keeps the status (`target` None)."""

    name: str
    slug: str
    label: str
    source: tuple[str, ...] | None  # statuses it may be taken from; None: any
    target: str | None
    permission: Any
    form: str | None = None
    timeline: str = "status"
    # Irreversible steps are confirmed on a page of their own once the input is valid:
    # the question, or a function (record, cleaned input) -> the question or "" for none.
    confirm: Any = ""
    style: str = field(default="primary")
    # The verb in messages ("att fastställa"), when the label is not an infinitive.
    verb: str = ""
    # A condition on the record besides its status (an avvikelse, not a tillbud), and
    # the message when it does not hold.
    condition: Callable | None = None
    condition_message: str = ""
    # What the record must have before the step (a category before closing): a function
    # (record) -> the unmet requirements as messages. The page shows them before the step
    # is tried; the engine refuses the step while any is unmet.
    requires: Callable | None = None
    # Whether the record waits for this step (the start page's "Att göra"): a function
    # (record) -> bool, for a step done once that stays open for corrections (the
    # immediate actions registered, an utredare appointed); default: a primary step waits
    # whenever it can be taken, a secondary one never.
    vantar: Callable | None = None
    # Why a user without the permission is refused; default: a general message.
    permission_message: str = ""
    # The change reason in the history; default: the label.
    reason: str = ""
    # The message after success: a format string with %(arende)s and %(atgard)s, or a
    # function of the record.
    message: Any = gettext_lazy("%(arende)s: %(atgard)s klart.")

    @property
    def changes_status(self) -> bool:
        return self.target is not None

    def vantar_pa(self, obj) -> bool:
        """Does the record wait for this step (`vantar`)?"""
        return self.vantar(obj) if self.vantar is not None else self.style != "secondary"

    def allowed_from(self, status) -> bool:
        return self.source is None or status in self.source

    def holds(self, obj) -> bool:
        return self.condition is None or bool(self.condition(obj))

    def permitted(self, user, obj) -> bool:
        return self.holds(obj) and bool(self.permission(user, obj))

    def available(self, user, obj) -> bool:
        return self.allowed_from(obj.status) and self.permitted(user, obj)

    def unmet(self, obj) -> list[str]:
        return [str(m) for m in self.requires(obj)] if self.requires else []

    def confirm_text(self, obj, data) -> str:
        return str(self.confirm(obj, data) if callable(self.confirm) else self.confirm)

    def form_class(self):
        return import_string(self.form) if self.form else None

    def make_form(self, data=None, *, obj, user, **kwargs):
        """The step's input form (an `OvergangForm`), or None if it takes none."""
        form_class = self.form_class()
        return form_class(data, arende=obj, user=user, **kwargs) if form_class else None

    def success_message(self, obj) -> str:
        if callable(self.message):
            return str(self.message(obj))
        return str(self.message) % {"arende": obj, "atgard": self.label}

    def refused_message(self, obj, status) -> str:
        field_ = obj._meta.get_field("status")
        namn = str(dict(field_.flatchoices).get(status, status)).lower()
        return _("Det går inte att %(atgard)s när status är %(status)s.") % {
            "atgard": str(self.verb or self.label).lower(),
            "status": namn,
        }


def _guarded(spec: Step, func):
    """The method that runs `func` as the guarded step `spec`."""

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
                raise TransitionNotAllowed(spec.refused_message(self, current))
            self.status = current
            if not spec.permission(av, self):
                raise PermissionDenied(
                    str(spec.permission_message or _("Du har inte behörighet att göra detta."))
                )
            if not spec.holds(self):
                raise ValidationError(str(spec.condition_message))
            if brister := spec.unmet(self):
                raise ValidationError(brister)
            fran = self.status
            result = func(self, av=av, **kwargs)
            if spec.changes_status:
                self.status = spec.target
                text = kwargs.get("kommentar", "") or ""
            elif result is None:
                return None  # the step changed nothing
            else:
                text = str(result)
            if hasattr(self, "uppdaterad_av"):
                self.uppdaterad_av = av
            self._change_reason = str(spec.reason or spec.label)
            self.save()
            self.log(
                spec.timeline,
                av=av,
                text=text,
                fran_status=fran if spec.changes_status else "",
                till_status=spec.target or "",
            )
        return result

    wrapper.step = spec
    wrapper.alters_data = True
    return wrapper


def _declare(func, *, slug, source, **spec):
    return Step(
        name=func.__name__,
        slug=slug or func.__name__.replace("_", "-"),
        source=tuple(source) if source is not None else None,
        **spec,
    )


def transition(*, source, target, label, permission, slug=None, **options):
    """Declare a model method as a guarded transition from `source` states to `target`."""

    def decorator(func):
        spec = _declare(
            func,
            slug=slug,
            source=source,
            target=target,
            label=label,
            permission=permission,
            **options,
        )
        return _guarded(spec, func)

    return decorator


def step(*, label, permission, source=None, slug=None, timeline="andring", **options):
    """Declare a model method as a guarded step that keeps the status (from any status,
    or from `source`). The body returns the timeline text, or None if nothing changed."""

    def decorator(func):
        spec = _declare(
            func,
            slug=slug,
            source=source,
            target=None,
            label=label,
            permission=permission,
            timeline=timeline,
            **options,
        )
        return _guarded(spec, func)

    return decorator


@cache
def steps_of(model) -> tuple[Step, ...]:
    """Every step declared on a model class (transitions and steps), in declaration order.
    Declared once with the class, so found once per class: the start page asks for every
    case it lists."""
    found = []
    for klass in reversed(model.__mro__):
        for attr in vars(klass).values():
            spec = getattr(attr, "step", None)
            if isinstance(spec, Step) and spec not in found:
                found.append(spec)
    return tuple(found)


def transitions_of(model) -> list[Step]:
    """The steps of a model class that move its status."""
    return [s for s in steps_of(model) if s.changes_status]


def available_steps(user, obj) -> list[Step]:
    """The steps (of either kind) this user may take on this record now."""
    return [s for s in steps_of(type(obj)) if s.available(user, obj)]


def available_transitions(user, obj) -> list[Step]:
    """The transitions this user may take on this record now."""
    return [s for s in available_steps(user, obj) if s.changes_status]


def next_steps(user, obj) -> list[Step]:
    """What this user is expected to do next on this record: the forward transitions they
    may take now and whose requirements are met, else the steps that keep the status (a
    position to take, the investigation to write before closing); only steps the record
    waits for (`Step.vantar`: never the secondary ones such as reopening, unless they say
    so; not a step done once). The start page gives it as the reason a case waits."""
    mojliga = [s for s in available_steps(user, obj) if s.vantar_pa(obj)]
    return (
        [s for s in mojliga if s.changes_status and not s.unmet(obj)]
        or [s for s in mojliga if not s.changes_status]
        or mojliga
    )


def ateroppning(*, source, target, permission, amne=None):
    """The shared "reopen with a reason" transition of every case type.

    `amne` names the case in the error message ("avvikelsen"); default "ärendet".
    """

    @transition(
        source=source,
        target=target,
        label=gettext_lazy("Återöppna"),
        permission=permission,
        form="kvalitet.forms.AteroppnaForm",
        style="secondary",
        message=gettext_lazy("%(arende)s är öppnad igen."),
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


def andra_falt(post, falt, *, exclude=None):
    """Set the fields of `falt` that differ, validate the record, and say which changed
    (the timeline text of an "Ändra" step), or None when none did."""
    andrade = [n for n, v in falt.items() if getattr(post, n) != v]
    if not andrade:
        return None
    for namn in andrade:
        setattr(post, namn, falt[namn])
    post.full_clean(exclude=exclude)
    return _("Ändrat: %s") % ", ".join(str(post._meta.get_field(n).verbose_name) for n in andrade)
