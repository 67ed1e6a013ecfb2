"""What documents for the nämnd share: staff named by their role, never by name
(the lex Sarah documents, the risk register)."""

from kvalitet import behorighet
from kvalitet.models import Roll, Uppdrag

# Roles that never name a person in a document (not staff, or not the role they act in).
_INTE_PERSONAL = {Roll.NAMND, Roll.ADMIN}


def roll_for(user, foredra=()) -> str:
    """A member of staff as a document names them: their title if they have one, else
    their role and unit ("Utredare, Staben"), preferring a role of `foredra`; never their
    name. An empty string when there is no one, or nothing but a name to say."""
    if user is None:
        return ""
    if user.titel.strip():
        return user.titel.strip()
    uppdrag = [u for u in behorighet.uppdrag(user) if u.roll not in _INTE_PERSONAL]
    if not uppdrag:  # an ended assignment still says which role they acted in
        uppdrag = [
            u
            for u in Uppdrag.objects.filter(anvandare=user)
            .select_related("enhet")
            .order_by("-giltig_till", "-pk")
            if u.roll not in _INTE_PERSONAL
        ]
    if not uppdrag:
        return ""
    uppdrag.sort(key=lambda u: (u.roll not in foredra, u.enhet.djup, u.pk))  # the same each time
    u = uppdrag[0]
    return f"{u.get_roll_display()}, {u.enhet.namn}"
