from django.conf import settings

from kvalitet import arendetyper, behorighet, delar


def kvalitet(request):
    """Municipality name and the navigation the user's roles allow: the case types for
    staff, then what the other parts offer this user (kvalitet.delar)."""
    user = getattr(request, "user", None)
    inloggad = bool(user and user.is_authenticated)
    meny = []
    if inloggad:
        if behorighet.kan_rapportera(user):
            meny += [{"namn": t.namn, "url": t.lista_url, "namespace": t.namespace}
                     for t in arendetyper.alla() if t.i_menyn(user)]  # fmt: skip
        meny += [{"namn": p.namn, "url": p.url, "namespace": p.namespace}
                 for p in delar.menyposter(user)]  # fmt: skip
    return {
        "KOMMUN_NAMN": settings.KOMMUN_NAMN,
        "NAMND_NAMN": settings.NAMND_NAMN,
        "nav_meny": meny,
        "nav_admin": inloggad and behorighet.ar_administrator(user),
        "nav_arenden": inloggad and not behorighet.ser_inga_arenden(user),
    }
