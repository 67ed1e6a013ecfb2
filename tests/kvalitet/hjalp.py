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


@ogonblicksdel("django_otp.Device")
def ogonblick_tvastegs():
    """The second factor: apps (with the time step a right code uses up) and recovery
    codes. The pause after a wrong code is left out: a refused code is recorded there
    (and in the lockout's count), as a wrong password is."""
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return {
        "tvastegsappar": sorted(
            TOTPDevice.objects.values_list("pk", "user_id", "confirmed", "last_t")
        ),
        "reservkoder": sorted(StaticToken.objects.values_list("pk", "device__user_id")),
    }


@ogonblicksdel("kvalitet.Gruppmappning")
def ogonblick_oidc():
    """Sign-in with the municipality's account (kvalitet.oidc): the group mappings and
    their history, and the people's identities at the provider."""
    from kvalitet.models import ExternIdentitet, Gruppmappning

    return {
        "gruppmappningar": sorted(
            Gruppmappning.objects.values_list("pk", "grupp", "roll", "enhet_id")
        ),
        "gruppmappningshistorik": Gruppmappning.history.count(),
        "externa_identiteter": sorted(
            ExternIdentitet.objects.values_list("pk", "user_id", "subjekt")
        ),
    }
