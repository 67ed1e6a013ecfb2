"""What the API shows of each record: fields chosen one by one, never `__all__`.

No attachment contents, no contact details of a synpunkt's submitter (the pages show
them only to those handling it, the exports never), no names of people. A lex Sarah case
shows only what its page shows the reader: its status, and the rest only to those who
see it whole (`ser_hela`), as on the page."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from avvikelser.models import Avvikelse
from kvalitet.models import Enhet
from lexsarah.models import LexSarah
from rapporter.models import Kvalitetsberattelse
from synpunkter.choices import Status as SynpunktStatus
from synpunkter.models import Synpunkt
from tillsyn.models import Tillsyn


class EnhetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enhet
        fields = ["id", "kod", "namn"]


class ArendeSerializer(serializers.ModelSerializer):
    """The fields every case type shares: its number, status, unit, dates, and the
    address of its page (for people) and of itself in the API."""

    status_namn = serializers.CharField(source="get_status_display", read_only=True)
    enhet = EnhetSerializer(read_only=True)
    sida = serializers.SerializerMethodField(help_text="Ärendets sida för personer.")

    GEMENSAMMA = ["id", "nummer", "status", "status_namn", "enhet", "tidsfrist", "avslutad"]

    @extend_schema_field(serializers.URLField())
    def get_sida(self, arende) -> str:
        return f"{settings.SITE_URL}{arende.get_absolute_url()}"


class KategoriFalt(serializers.CharField):
    """A code list entry by its name (null when none is chosen)."""

    def __init__(self, **kwargs):
        super().__init__(source="kategori.namn", read_only=True, allow_null=True, **kwargs)


class AvvikelseSerializer(ArendeSerializer):
    kategori = KategoriFalt()
    sammanfattning = serializers.CharField(read_only=True)

    class Meta:
        model = Avvikelse
        fields = [
            *ArendeSerializer.GEMENSAMMA,
            "typ",
            "rapporterad",
            "handelsedatum",
            "kategori",
            "beror_enskild",
            "sammanfattning",
            "fc_stallningstagande",
            "sida",
        ]


class AvvikelseDetaljSerializer(AvvikelseSerializer):
    orsaksomraden = serializers.SlugRelatedField(many=True, read_only=True, slug_field="namn")

    class Meta(AvvikelseSerializer.Meta):
        fields = [
            *AvvikelseSerializer.Meta.fields,
            "handelsetid",
            "upptackt_datum",
            "upptackt_hur",
            "arbetsskadeanmalan",
            "beskrivning",
            "konsekvenser",
            "omedelbara_atgarder",
            "analys",
            "orsaksomraden",
            "vidtagna_atgarder",
            "fc_datum",
        ]


class SynpunktSerializer(ArendeSerializer):
    kategori = KategoriFalt()
    sammanfattning = serializers.CharField(read_only=True)
    enhet = serializers.SerializerMethodField(help_text="Null tills registratorn fördelat den.")

    class Meta:
        model = Synpunkt
        fields = [
            *ArendeSerializer.GEMENSAMMA,
            "referens",
            "diarienummer",
            "typ",
            "kanal",
            "avsandare",
            "inkom",
            "kategori",
            "besvarad",
            "svarssatt",
            "brustit",
            "ledde_till_forbattring",
            "sammanfattning",
            "sida",
        ]

    @extend_schema_field(EnhetSerializer(allow_null=True))
    def get_enhet(self, synpunkt):
        """As the list shows it: a submission not yet routed has no unit."""
        if synpunkt.enhet_okand and synpunkt.status == SynpunktStatus.INKOMMEN:
            return None
        return EnhetSerializer(synpunkt.enhet).data


class SynpunktDetaljSerializer(SynpunktSerializer):
    class Meta(SynpunktSerializer.Meta):
        fields = [
            *SynpunktSerializer.Meta.fields,
            "beskrivning",
            "svar",
            "ivo_diarienummer",
            "ivo_skickad",
            "ivo_svar_senast",
            "ivo_besvarad",
            "delegation_status",
        ]


class LexSarahSerializer(ArendeSerializer):
    """What the list shows: the status to everyone who sees the case; the
    classification, decision and IVO dates only to those who see it whole; the summary
    to them and to its reporter (lexsarah.views.ListaView)."""

    visas_hela = serializers.SerializerMethodField(
        help_text="Falskt för den som bara ser ärendets status (rapportören, en "
        "åtgärdsansvarig): då är fälten för hela ärendet null."
    )
    HELA: tuple[str, ...] = ("klassning", "beslutad", "ivo_anmald")
    EGNA: tuple[str, ...] = ("sammanfattning",)
    sammanfattning = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = LexSarah
        fields = [
            *ArendeSerializer.GEMENSAMMA,
            "rapporterad",
            "utredning_inledd",
            "visas_hela",
            "sammanfattning",
            "klassning",
            "beslutad",
            "ivo_anmald",
            "sida",
        ]
        extra_kwargs = {f: {"allow_null": True} for f in ("klassning",)}

    def get_visas_hela(self, arende) -> bool:
        return self._hela(arende)

    def _hela(self, arende) -> bool:
        user = self.context["request"].user
        cache = self.context.setdefault("_ser_hela", {})
        if arende.pk not in cache:
            cache[arende.pk] = arende.ser_hela(user)
        return cache[arende.pk]

    def to_representation(self, arende):
        data = super().to_representation(arende)
        hela = self._hela(arende)
        egen = arende.rapporterad_av_id == self.context["request"].user.pk
        for falt in self.HELA:
            if not hela:
                data[falt] = None
        for falt in self.EGNA:
            if not (hela or egen):
                data[falt] = None
        return data


class LexSarahDetaljSerializer(LexSarahSerializer):
    """The case page's facts: for the reporter their own rapport and the feedback (the
    page lexsarah/rapportor.html); for those who see it whole the investigation's
    facts and decision, not the texts written for the nämnd or IVO."""

    HELA = (
        *LexSarahSerializer.HELA,
        "vag",
        "handelsedatum",
        "handelsedatum_ungefarligt",
        "risk_for_upprepning",
        "diarienummer",
        "utredning_klar",
        "ivo_diarienummer",
        "ivo_beslut",
        "ivo_utfall",
        "uppfoljning_senast",
        "uppfoljd",
    )
    EGNA = (*LexSarahSerializer.EGNA, "beskrivning")

    class Meta(LexSarahSerializer.Meta):
        fields = [
            *LexSarahSerializer.Meta.fields,
            "vag",
            "handelsedatum",
            "handelsedatum_ungefarligt",
            "beskrivning",
            "risk_for_upprepning",
            "diarienummer",
            "utredning_klar",
            "ivo_diarienummer",
            "ivo_beslut",
            "ivo_utfall",
            "uppfoljning_senast",
            "uppfoljd",
            "aterkoppling",
        ]


class TillsynSerializer(ArendeSerializer):
    sammanfattning = serializers.CharField(read_only=True)

    class Meta:
        model = Tillsyn
        fields = [
            *ArendeSerializer.GEMENSAMMA,
            "typ",
            "ivo_diarienummer",
            "registrerad",
            "inleddes",
            "inspektion",
            "svar_senast",
            "beslut",
            "utfall",
            "sammanfattning",
            "sida",
        ]


class TillsynDetaljSerializer(TillsynSerializer):
    class Meta(TillsynSerializer.Meta):
        fields = [*TillsynSerializer.Meta.fields, "omfattning", "krav", "beslut_text"]


class RapportSerializer(serializers.ModelSerializer):
    """A decided kvalitetsberättelse: its decision and where people download its PDF
    (the archived file, with its SHA-256 to check it by)."""

    beslut = serializers.CharField(source="beslut_text", read_only=True)
    sida = serializers.SerializerMethodField()
    pdf_sida = serializers.SerializerMethodField(
        help_text="Sidan som hämtar den arkiverade PDF:en (inloggad), eller null om den "
        "ännu inte är skapad."
    )

    class Meta:
        model = Kvalitetsberattelse
        fields = [
            "id",
            "ar",
            "version",
            "status",
            "brytdatum",
            "faststalld",
            "beslutsfattare",
            "diarienummer",
            "sammantradesdatum",
            "paragraf",
            "beslut",
            "pdf_sha256",
            "sida",
            "pdf_sida",
        ]

    @extend_schema_field(serializers.URLField())
    def get_sida(self, rapport) -> str:
        return f"{settings.SITE_URL}{rapport.get_absolute_url()}"

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_pdf_sida(self, rapport):
        if not rapport.pdf:
            return None
        return f"{settings.SITE_URL}{reverse('rapporter:pdf_hamta', args=[rapport.pk])}"


# Null where the reader does not see it (`visas_hela`), whatever the field's own type.
LexSarahDetaljSerializer.Meta.extra_kwargs = {
    f: {"allow_null": True}
    for f in (*LexSarahDetaljSerializer.HELA, *LexSarahDetaljSerializer.EGNA)
}
