"""Support for the shared core's tests: its part of the database snapshot – people,
their role assignments and the history of both – so that a refused request to the
people administration is proved to have changed nothing."""

from kvalitet.models import Uppdrag, User
from tests.stod import ogonblicksdel


@ogonblicksdel("kvalitet.User")
def ogonblick_personer():
    return {
        "anvandare": sorted(
            User.objects.values_list(
                "pk",
                "username",
                "first_name",
                "last_name",
                "email",
                "titel",
                "is_active",
                "is_superuser",
                "is_staff",
            )
        ),
        "anvandarhistorik": User.history.count(),
        "uppdrag": sorted(
            Uppdrag.objects.values_list(
                "pk", "anvandare_id", "roll", "enhet_id", "giltig_fran", "giltig_till"
            ),
            key=str,
        ),
        "uppdragshistorik": Uppdrag.history.count(),
    }
