"""The `synpunkter` section of the import format (docs/import-format.md)."""

from django.utils.translation import gettext as _

from kvalitet.importering import (
    UPPSLAG,
    ArendeSektion,
    Datum,
    EnhetFalt,
    Kod,
    Namn,
    Namnregister,
    Text,
    Tidpunkt,
    bitar,
    inte_fore,
    lokal_dag,
)

from .choices import Avsandare, Kanal, Status, Typ
from .models import Kategori, Synpunkt, ny_referens

# Statuses of a synpunkt that has been answered: answered, closed, or reopened after
# an answer (a reopened synpunkt keeps its first answer date).
KAN_VARA_BESVARAD = (Status.UNDER_HANDLAGGNING, Status.BESVARAD, Status.AVSLUTAD)

IVO_FALT = ("ivo_diarienummer", "ivo_skickad", "ivo_svar_senast", "ivo_besvarad")


class SynpunkterImport(ArendeSektion):
    """Synpunkter keyed by `extern_id`, numbered SYN-<year received>-NNNN. Imported
    synpunkter have no contact details; those still in status `inkommen` are
    unregistered, the others count as registered when they came in."""

    namn = "synpunkter"
    ordning = 30
    modell = Synpunkt
    historik_dimensioner = {"typ": Typ, "kanal": Kanal, "kategori": Kategori}
    harledda = frozenset({"skapad", "tidsfrist", "anonym", "registrerad"})

    def __init__(self, ctx):
        super().__init__(ctx)
        self.kategorier = Namnregister(Kategori, okand=_("okänd kategori"), plural=_("kategorier"))
        self.referenser["kategori"] = self.kategorier

    def schema(self):
        return {
            "extern_id": Text(obligatorisk=True),
            "typ": Kod(Typ, obligatorisk=True),
            "kanal": Kod(Kanal, obligatorisk=True),
            "avsandare": Kod(Avsandare, obligatorisk=True),
            "inkom": Tidpunkt(obligatorisk=True),
            "enhet": EnhetFalt(obligatorisk=True),
            "kategori": Namn(self.kategorier),
            "beskrivning": Text(obligatorisk=True),
            "status": Kod(Status, obligatorisk=True),
            "besvarad": Tidpunkt(),
            "avslutad": Tidpunkt(),
            "diarienummer": Text(),
            "svar": Text(),
            # A klagomål forwarded by IVO (kanal via_ivo only).
            "ivo_diarienummer": Text(),
            "ivo_skickad": Datum(),
            "ivo_svar_senast": Datum(framtid=True),
            "ivo_besvarad": Datum(),
        }

    def bygg(self, v, felaktiga, path, ctx):
        """Cross-field rules of an imported synpunkt, and its derived fields."""
        inkom, status = v.get("inkom"), v.get("status")
        besvarad, avslutad = v.get("besvarad"), v.get("avslutad")
        anonym = v.get("avsandare") == Avsandare.ANONYM
        if "status" not in felaktiga:
            if "avslutad" not in felaktiga:
                if status == Status.AVSLUTAD and avslutad is None:
                    ctx.fel_vid(f"{path}.avslutad", _("saknas; en avslutad synpunkt har ett datum"))
                elif status != Status.AVSLUTAD and avslutad is not None:
                    ctx.fel_vid(
                        f"{path}.avslutad",
                        _('anges bara när status är "avslutad" (här "%s")') % status,
                    )
            if "besvarad" not in felaktiga:
                # An anonymous sender cannot be answered, so a closed anonymous synpunkt
                # may lack an answer date; every other closed one was answered first.
                if besvarad is None and (
                    status == Status.BESVARAD
                    or (status == Status.AVSLUTAD and not anonym and "avsandare" not in felaktiga)
                ):
                    ctx.fel_vid(
                        f"{path}.besvarad",
                        _('saknas; en synpunkt med status "%s" har ett svarsdatum') % status,
                    )
                elif besvarad is not None and status not in KAN_VARA_BESVARAD:
                    ctx.fel_vid(
                        f"{path}.besvarad",
                        _('anges inte när status är "%s" (synpunkten är inte besvarad)') % status,
                    )
        if inkom and besvarad and lokal_dag(besvarad) < lokal_dag(inkom):
            ctx.fel_vid(f"{path}.besvarad", _("Synpunkten kan inte ha besvarats innan den kom in."))
        if inkom and avslutad and lokal_dag(avslutad) < lokal_dag(inkom):
            ctx.fel_vid(f"{path}.avslutad", _("Synpunkten kan inte ha avslutats innan den kom in."))
        elif besvarad and avslutad and lokal_dag(avslutad) < lokal_dag(besvarad):
            ctx.fel_vid(
                f"{path}.avslutad", _("Synpunkten kan inte ha avslutats innan den besvarades.")
            )

        # The IVO fields' own rules (via IVO only, dates in order) are the model's
        # (Synpunkt.clean), run on every record by `modellfel`.
        ivo = {f: v.get(f) for f in IVO_FALT}
        skickad = ivo["ivo_skickad"]

        falt = {
            "typ": v.get("typ"),
            "kanal": v.get("kanal"),
            "avsandare": v.get("avsandare"),
            "anonym": anonym,
            "inkom": inkom,
            "skapad": inkom,
            "enhet": v.get("enhet"),
            "kategori": v.get("kategori"),
            "beskrivning": v.get("beskrivning"),
            "status": status,
            "registrerad": inkom if status != Status.INKOMMEN else None,
            "besvarad": inte_fore(besvarad, inkom),
            "avslutad": (
                inte_fore(inte_fore(avslutad, inkom), inte_fore(besvarad, inkom))
                if status == Status.AVSLUTAD
                else None
            ),
            "diarienummer": v.get("diarienummer", ""),
            "svar": v.get("svar", ""),
            "ivo_diarienummer": ivo["ivo_diarienummer"] or "",
            "ivo_skickad": skickad,
            "ivo_svar_senast": ivo["ivo_svar_senast"],
            "ivo_besvarad": ivo["ivo_besvarad"],
        }
        falt["tidsfrist"] = self.frist(falt) if inkom else None
        validerade = {
            "typ",
            "kanal",
            "avsandare",
            "inkom",
            "beskrivning",
            "status",
            "besvarad",
            "avslutad",
            "diarienummer",
            "svar",
            *IVO_FALT,
        } - felaktiga
        return falt, {}, validerade

    def forbered_nya(self, objs, ctx):
        """Public reference codes unique within the file and against the database."""
        anvanda = set()
        for obj in objs:
            while obj.referens in anvanda:
                obj.referens = ny_referens()
            anvanda.add(obj.referens)
        while True:
            krockar = set()
            for bit in bitar([o.referens for o in objs], UPPSLAG):
                krockar.update(
                    Synpunkt.objects.filter(referens__in=bit).values_list("referens", flat=True)
                )
            if not krockar:
                return
            for obj in objs:
                if obj.referens in krockar:
                    while obj.referens in anvanda:
                        obj.referens = ny_referens()
                    anvanda.add(obj.referens)
