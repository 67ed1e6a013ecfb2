"""The change history every audited model keeps (django-simple-history), and the rule
that a person who appears in the audit trail is never deleted (docs/behorighet.md).

People are deactivated, not deleted, once they have touched a record: the foreign keys
to a user are PROTECT, and so is the history's "who" (`history_user`, which
simple-history would otherwise set to NULL, turning the person into "System"). The
history tables' copies of user fields and the admin's log are not foreign keys Django
protects; `skydda_anvandarens_spar` refuses the delete for them.
"""

from django.conf import settings
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.encoding import smart_str
from django.utils.text import format_lazy
from simple_history.models import HistoricalRecords


class ProtectedHistoricalRecords(HistoricalRecords):
    """`HistoricalRecords` whose `history_user` is PROTECT instead of SET_NULL, and whose
    history tables are named in Swedish ("ändringshistorik för enhet") where the admin
    shows the name."""

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        if not self.user_set_verbose_name:
            meta["verbose_name"] = format_lazy(
                "ändringshistorik för {}", smart_str(model._meta.verbose_name)
            )
        if not self.user_set_verbose_name_plural:
            meta["verbose_name_plural"] = format_lazy(
                "ändringshistorik för {}", smart_str(model._meta.verbose_name_plural)
            )
        return meta

    def _get_history_user_fields(self):
        falt = super()._get_history_user_fields()
        fk = falt.get("history_user")
        if isinstance(fk, models.ForeignKey):
            falt["history_user"] = models.ForeignKey(
                fk.remote_field.model,
                null=True,
                related_name=self.user_related_name,
                on_delete=models.PROTECT,
                db_constraint=self.user_db_constraint,
            )
        return falt


def _referenser_utan_skydd(user_model):
    """The relations to users that Django's own PROTECT does not cover: the history tables'
    copies of user fields (DO_NOTHING, no database constraint) and the admin's log
    (CASCADE). Memberships of groups (many-to-many tables) are not part of the trail."""
    for falt in user_model._meta.get_fields(include_hidden=True):
        if (
            falt.one_to_many
            and not falt.related_model._meta.auto_created
            and falt.field.remote_field.on_delete is not models.PROTECT
        ):
            yield falt.related_model, falt.field.name


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def skydda_anvandarens_spar(sender, instance, **kwargs):
    """Refuse to delete a user who appears anywhere in the audit trail."""
    for modell, namn in _referenser_utan_skydd(sender):
        poster = modell._default_manager.filter(**{namn: instance.pk})
        if poster.exists():
            raise models.ProtectedError(
                f"{instance} finns i {modell._meta.verbose_name_plural} och kan inte tas bort; "
                "inaktivera kontot i stället.",
                set(poster[:10]),
            )
