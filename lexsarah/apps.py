from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvalitet import delar
from kvalitet.lib.datum import iso


def _kan_rapportera(user):
    from kvalitet import behorighet

    return behorighet.kan_rapportera(user)


def _kan_se_diarium(user):
    from . import behorighet

    return behorighet.kan_se_diarium(user)


def _ar_namnd(user):
    """The nämnd finds its lex Sarah documents in the menu, after its reports (its start
    page); those who prepare its meetings reach them from the cases."""
    from kvalitet.behorighet import har_roll
    from kvalitet.models import Roll

    return har_roll(user, Roll.NAMND)


class LexSarahConfig(delar.Del):
    name = "lexsarah"
    verbose_name = gettext_lazy("Lex Sarah")
    startknappar = (
        delar.Lank(gettext_lazy("Rapportera enligt lex Sarah"), "lexsarah:ny", _kan_rapportera, 60),
    )
    meny = (
        delar.Lank(gettext_lazy("Lex Sarah-diarium"), "lexsarah:diarium", _kan_se_diarium, 60),
        delar.Lank(gettext_lazy("Lex Sarah – nämndhandlingar"), "lexsarah:namnd", _ar_namnd, 92),
    )
    importsektioner = ("lexsarah.importering.LexSarahImport",)
    # After avvikelser (10) and synpunkter (20): two lex Sarah cases come from avvikelser.
    demodata = "lexsarah.demo.skapa"
    demoordning = 30

    def ready(self):
        super().ready()
        from kvalitet.signaler import lex_sarah_aktuell, lex_sarah_oppnat

        from .mottagare import oppna_lex_sarah, oppnat_fran

        lex_sarah_aktuell.connect(oppna_lex_sarah, dispatch_uid="lexsarah.oppna")
        lex_sarah_oppnat.connect(oppnat_fran, dispatch_uid="lexsarah.oppnat")

    def ivo(self, user):
        """The lex Sarah anmälningar to IVO the user may see, the latest first."""
        from .models import LexSarah

        synliga = LexSarah.objects.for_user(user)
        if (hela := synliga.hela_villkor(user)) is not None:
            synliga = synliga.filter(hela)  # not the ones they only see the status of
        anmalda = (
            synliga.filter(ivo_anmald__isnull=False)
            .select_related("enhet")
            .order_by("-ivo_anmald", "-pk")[:100]
        )
        rader = tuple(
            {
                "url": ls.get_absolute_url(),
                "celler": [
                    ls.nummer,
                    ls.enhet.namn,
                    ls.get_klassning_display(),
                    iso(ls.ivo_anmald),
                    ls.ivo_diarienummer,
                    f"{iso(ls.ivo_beslut)} {ls.get_ivo_utfall_display()}"
                    if ls.ivo_beslut
                    else _("Väntar på IVO:s beslut"),
                ],
            }
            for ls in anmalda
        )
        return [
            delar.Ivosektion(
                _("Anmälningar enligt lex Sarah"),
                _("Det nämnden har anmält till IVO, och IVO:s beslut."),
                (
                    _("Ärende"),
                    _("Enhet"),
                    _("Klassning"),
                    _("Anmäld"),
                    _("IVO:s dnr"),
                    _("IVO:s beslut"),
                ),
                rader,
                ordning=10,
            )
        ]

    def handlingar_pa(self, user, arende):
        """From a case of another type: the förvaltningschef opens the lex Sarah case of a
        marked avvikelse whose case is missing (the signal's fallback); whoever handles
        a case may start a lex Sarah rapport from it (a klagomål where the service
        failed)."""
        from kvalitet import behorighet

        from . import behorighet as regler
        from .models import LexSarah

        if isinstance(arende, LexSarah):
            return []
        handlingar = []
        if getattr(arende, "lex_sarah_aktuell", False) and regler.kan_besluta(user, arende):
            if not LexSarah.objects.filter(
                kalla_typ=arende.content_type, kalla_id=arende.pk
            ).exists():
                handlingar.append(
                    delar.Handling(
                        _("Öppna lex Sarah-ärendet"),
                        reverse("lexsarah:fran", args=[arende.nummer]),
                        post=True,
                        forklaring=_(
                            "Ställningstagandet gör händelsen till ett lex Sarah-ärende, men "
                            "inget lex Sarah-ärende är öppnat för den ännu."
                        ),
                    )
                )
        elif behorighet.kan_hantera(user, arende):
            handlingar.append(
                delar.Handling(
                    _("Rapportera enligt lex Sarah"),
                    f"{reverse('lexsarah:ny')}?fran={arende.nummer}",
                    forklaring=_(
                        "Visar ärendet ett missförhållande eller en påtaglig risk för ett? "
                        "Rapporten länkas hit."
                    ),
                )
            )
        return handlingar
