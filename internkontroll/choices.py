"""Choices of internkontroll and egenkontroll (DOMAIN.md §4.5; codes of
docs/import-format.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Metod(models.TextChoices):
    STICKPROV = "stickprov", _("Stickprov")
    DOKUMENTKONTROLL = "dokumentkontroll", _("Dokumentkontroll")
    REGISTERUTTAG = "registeruttag", _("Registeruttag")
    INTERVJU = "intervju", _("Intervju")
    ENKAT = "enkat", _("Enkät")
    JOURNALGRANSKNING = "journalgranskning", _("Journalgranskning")
    BERAKNING = "berakning", _("Beräkning")


class Periodicitet(models.TextChoices):
    """How often a control is performed; each gives the year's occasions
    (`internkontroll.perioder`)."""

    LOPANDE = "lopande", _("Löpande")
    MANADSVIS = "manadsvis", _("Månadsvis")
    KVARTALSVIS = "kvartalsvis", _("Kvartalsvis")
    TERTIALVIS = "tertialvis", _("Tertialvis (3 ggr/år)")
    HALVARSVIS = "halvarsvis", _("Halvårsvis (2 ggr/år)")
    ARLIGEN = "arligen", _("Årligen")


class Bedomning(models.TextChoices):
    """The result of a control (DOMAIN.md §4.5): green, yellow, red – always with words."""

    UTAN_ANMARKNING = "utan_anmarkning", _("Utan anmärkning")
    MINDRE_BRISTER = "mindre_brister", _("Mindre brister")
    VASENTLIGA_BRISTER = "vasentliga_brister", _("Väsentliga brister")


# Worst first; the colour of each in pages and PDFs.
ALLVARLIGHET = {
    Bedomning.VASENTLIGA_BRISTER: 3,
    Bedomning.MINDRE_BRISTER: 2,
    Bedomning.UTAN_ANMARKNING: 1,
}
FARG = {
    Bedomning.UTAN_ANMARKNING: "gron",
    Bedomning.MINDRE_BRISTER: "gul",
    Bedomning.VASENTLIGA_BRISTER: "rod",
}


class Tillfallestatus(models.TextChoices):
    VANTAR = "vantar", _("Väntar på resultat")
    KLAR = "klar", _("Resultat registrerat")


# A control occasion stays open for actions, comments and a corrected result.
TILLFALLE_OPPNA = (Tillfallestatus.VANTAR, Tillfallestatus.KLAR)


# --- Egenkontroll ------------------------------------------------------------------------


class Egenkontrolltyp(models.TextChoices):
    """The kinds of egenkontroll DOMAIN.md §4.5 names."""

    NATIONELLA_REGISTER = "nationella_register", _("Jämförelse med nationella register")
    OPPNA_JAMFORELSER = "oppna_jamforelser", _("Öppna jämförelser")
    TIDIGARE_RESULTAT = "tidigare_resultat", _("Jämförelse med tidigare resultat")
    ENKAT = "enkat", _("Målgruppsundersökning eller enkät")
    JOURNALGRANSKNING = "journalgranskning", _("Journalgranskning")
    KOLLEGIAL_GRANSKNING = "kollegial_granskning", _("Kollegial granskning")
    REVISORER = "revisorer", _("Revisorernas synpunkter")
    PERSONALENS_ATTITYDER = "personalens_attityder", _("Personalens attityder")
    EXTERNA_UTFORARE = "externa_utforare", _("Uppföljning av externa utförare")


# The kinds that review case files against a checklist: a kollegial granskning always does.
MED_CHECKLISTA = (Egenkontrolltyp.KOLLEGIAL_GRANSKNING, Egenkontrolltyp.JOURNALGRANSKNING)


class Initiativ(models.TextChoices):
    """Why the egenkontroll is made."""

    PLANEN = "internkontrollplanen", _("Internkontrollplanen")
    EGET = "eget", _("Eget initiativ")
    ANNAN_MYNDIGHET = "annan_myndighet", _("Annan myndighet")


class Egenkontrollstatus(models.TextChoices):
    PLANERAD = "planerad", _("Planerad")
    PAGAR = "pagar", _("Pågår")
    ANALYSERAD = "analyserad", _("Analyserad")
    KLAR = "klar", _("Klar")


# Worked on: comments, files, actions. A closed (klar) one is read only.
EGENKONTROLL_OPPNA = (
    Egenkontrollstatus.PLANERAD,
    Egenkontrollstatus.PAGAR,
    Egenkontrollstatus.ANALYSERAD,
)


class Svarsvarde(models.TextChoices):
    """One answer to a checkpoint in a reviewed file."""

    JA = "ja", _("Ja")
    NEJ = "nej", _("Nej")
    DELVIS = "delvis", _("Delvis")
    EJ_AKTUELLT = "ej_aktuellt", _("Ej aktuellt")
