from django.conf import settings

from kvalitet import arendetyper, behorighet


def kvalitet(request):
    """Municipality name and the navigation the user's roles allow."""
    user = getattr(request, "user", None)
    inloggad = bool(user and user.is_authenticated)
    return {
        "KOMMUN_NAMN": settings.KOMMUN_NAMN,
        "nav_arendetyper": arendetyper.alla()
        if inloggad and behorighet.kan_rapportera(user)
        else [],
        "nav_admin": inloggad and behorighet.ar_administrator(user),
        "nav_rapporter": inloggad and behorighet.kan_se_rapporter(user),
        "nav_arenden": inloggad and not behorighet.ser_bara_rapporter(user),
        "NAMND_NAMN": settings.NAMND_NAMN,
    }
