"""What the API shows of each record: fields chosen one by one, never `__all__`.

No attachment contents, no contact details of a synpunkt's submitter (the pages show
them only to those handling it, the exports never), no names of people. A lex Sarah case
shows only what its page shows the reader: its status, and the rest only to those who
see it whole (`ser_hela`), as on the page."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from avvikelser.models import Avvikelse
from internkontroll.models import Kontroll, Kontrolltillfalle
from kvalitet.models import Enhet
from lexsarah.models import LexSarah
from processer.models import Nyckeltal, Nyckeltalsvarde, Process, Processhandelse
from rapporter.models import Kvalitetsberattelse
from riskregister.models import Bedomning, Risk
from riskregister.skala import skala
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

    IDENTITET = ["id", "nummer", "status", "status_namn", "enhet"]
    # With the case types that have an answer or investigation deadline (not risks).
    GEMENSAMMA = [*IDENTITET, "tidsfrist", "avslutad"]

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


class RiskSerializer(ArendeSerializer):
    """A risk as the register's list shows it (riskregister.filters.RiskFilter): its
    values on the list's day – the register as it stood on `datum`, default today
    (`riskregister.register.per`) – or, for proposals and removed risks, their latest;
    the step names and the level by the scale in force. No names of people (the owner,
    the proposer): their roles are on the risk's page."""

    sannolikhet = serializers.SerializerMethodField(help_text="1 = lägsta steget.")
    sannolikhet_namn = serializers.SerializerMethodField(help_text="Stegets namn på skalan.")
    konsekvens = serializers.SerializerMethodField(help_text="1 = lägsta steget.")
    konsekvens_namn = serializers.SerializerMethodField(help_text="Stegets namn på skalan.")
    riskvarde = serializers.SerializerMethodField(help_text="Sannolikhet × konsekvens.")
    niva = serializers.SerializerMethodField(
        help_text="Riskvärdets nivå på skalan (t.ex. Hög), med dess färg."
    )

    class Meta:
        model = Risk
        fields = [
            *ArendeSerializer.IDENTITET,
            "titel",
            "kategori",
            "kalla",
            "process",
            "identifierad",
            "aktiv_fran",
            "borttagen",
            "sannolikhet",
            "sannolikhet_namn",
            "konsekvens",
            "konsekvens_namn",
            "riskvarde",
            "niva",
            "strategi",
            "nasta_oversyn",
            "sida",
        ]

    def _skala(self):
        return self.context.setdefault("_skala", skala())

    @staticmethod
    def _varden(risk) -> tuple[int, int]:
        """The values on the list's day where the list gives them, else the latest."""
        if getattr(risk, "s_dag", None) is not None:
            return risk.s_dag, risk.k_dag
        return risk.sannolikhet, risk.konsekvens

    def get_sannolikhet(self, risk) -> int:
        return self._varden(risk)[0]

    def get_konsekvens(self, risk) -> int:
        return self._varden(risk)[1]

    @staticmethod
    def _stegnamn(etiketter, steg) -> str:
        """A step's name; "" for a step the scale no longer has (the scale was made
        smaller after the risk was assessed)."""
        return etiketter[steg - 1] if 1 <= steg <= len(etiketter) else ""

    def get_sannolikhet_namn(self, risk) -> str:
        return self._stegnamn(self._skala().sannolikhet, self._varden(risk)[0])

    def get_konsekvens_namn(self, risk) -> str:
        return self._stegnamn(self._skala().konsekvens, self._varden(risk)[1])

    def get_riskvarde(self, risk) -> int:
        sannolikhet, konsekvens = self._varden(risk)
        return sannolikhet * konsekvens

    @extend_schema_field(
        inline_serializer(
            "Riskniva", {"namn": serializers.CharField(), "farg": serializers.CharField()}
        )
    )
    def get_niva(self, risk):
        niva = self._skala().niva(self.get_riskvarde(risk))
        return {"namn": niva.namn, "farg": niva.fargnamn}


class BedomningSerializer(serializers.ModelSerializer):
    """One assessment of a risk (never changed): when, the values, why; not by whom."""

    class Meta:
        model = Bedomning
        fields = ["datum", "sannolikhet", "konsekvens", "riskvarde", "kommentar"]


class RiskDetaljSerializer(RiskSerializer):
    """The risk's page: its texts and every assessment, oldest first, so the register
    as it stood on any date can be read from it."""

    bedomningar = BedomningSerializer(many=True, read_only=True)

    class Meta(RiskSerializer.Meta):
        fields = [
            *RiskSerializer.Meta.fields,
            "beskrivning",
            "styrdokument",
            "indikatorer",
            "borttagen_skal",
            "bedomningar",
        ]


class KontrollSerializer(serializers.ModelSerializer):
    """The row of the decided internkontrollplan an occasion belongs to: what is checked,
    how, how often, by which unit, reported to whom; the risk it addresses by number.
    Not the performer's or the follower's name."""

    plan_ar = serializers.IntegerField(source="plan.ar", read_only=True)
    plan_version = serializers.IntegerField(source="plan.version", read_only=True)
    utforare_enhet = EnhetSerializer(read_only=True, allow_null=True)
    risk = serializers.CharField(
        source="risk.nummer",
        read_only=True,
        allow_null=True,
        help_text="Risken i riskregistret som kontrollen gäller (RISK-2026-0011), eller null.",
    )

    class Meta:
        model = Kontroll
        fields = [
            "plan_ar",
            "plan_version",
            "kod",
            "central",
            "process",
            "kontrollmoment",
            "metod",
            "omfattning",
            "periodicitet",
            "utforare_enhet",
            "rapporteras_till",
            "rapporteras_nar",
            "risk",
        ]


class KontrolltillfalleSerializer(ArendeSerializer):
    """An occasion a control of the plan is performed (IK-2026-0004): its period, when it
    is due and whether it is late, and its result – how many were checked, how many
    deviations were found, the assessment."""

    kontroll = KontrollSerializer(read_only=True)
    forsenad = serializers.BooleanField(
        source="ar_forsenat",
        read_only=True,
        help_text="Väntar på resultat efter dagen det skulle vara klart.",
    )

    class Meta:
        model = Kontrolltillfalle
        fields = [
            *ArendeSerializer.IDENTITET,
            "kontroll",
            "ordningsnummer",
            "period_fran",
            "period_till",
            "forfaller",
            "forsenad",
            "kontrollerad",
            "antal",
            "avvikelser",
            "bedomning",
            "sida",
        ]


class KontrolltillfalleDetaljSerializer(KontrolltillfalleSerializer):
    class Meta(KontrolltillfalleSerializer.Meta):
        fields = [*KontrolltillfalleSerializer.Meta.fields, "vad", "kommentar"]


class Tal(serializers.DecimalField):
    """A key figure's value as a JSON number (96.5), not a string."""

    def __init__(self, **kwargs):
        super().__init__(
            max_digits=12, decimal_places=2, coerce_to_string=False, read_only=True, **kwargs
        )


class NyckeltalsvardeSerializer(serializers.ModelSerializer):
    """A key figure's target and result for a year, and whether the target was reached
    (docs/siffror.md, "Mål och resultat"): null while the year is not measured."""

    malvarde = Tal()
    utfall = Tal(allow_null=True, help_text="Null tills året är mätt.")
    uppnatt = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="Nåddes målet? Null utan utfall."
    )

    class Meta:
        model = Nyckeltalsvarde
        fields = ["ar", "malvarde", "utfall", "uppnatt", "kommentar"]


class NyckeltalSerializer(serializers.ModelSerializer):
    """A key figure: what is measured and how it is counted, its unit, whether higher or
    lower is better, whether it is still measured, and its years, oldest first."""

    riktning_namn = serializers.CharField(source="get_riktning_display", read_only=True)
    mats = serializers.BooleanField(source="aktivt", read_only=True)
    varden = NyckeltalsvardeSerializer(many=True, read_only=True)

    class Meta:
        model = Nyckeltal
        fields = [
            "id", "namn", "definition", "matt", "riktning", "riktning_namn", "mats", "varden",
        ]  # fmt: skip


class ProcessSerializer(ArendeSerializer):
    """A process of the map as its list shows it: its group, name and unit, when it was
    established and discontinued, and its key figures with every year's target and
    result. Not the processägare's or the processledare's name."""

    typ_namn = serializers.CharField(source="get_typ_display", read_only=True)
    nyckeltal = NyckeltalSerializer(many=True, read_only=True)

    class Meta:
        model = Process
        fields = [
            *ArendeSerializer.IDENTITET,
            "namn",
            "typ",
            "typ_namn",
            "inrattad",
            "avvecklad",
            "sida",
            "nyckeltal",
        ]


class ProcesshandelseSerializer(serializers.ModelSerializer):
    """The process or one of its styrdokument mapped, revised or published on a day;
    not by whom."""

    typ_namn = serializers.CharField(source="get_typ_display", read_only=True)

    class Meta:
        model = Processhandelse
        fields = ["datum", "typ", "typ_namn", "dokument", "beskrivning"]


class ProcessDetaljSerializer(ProcessSerializer):
    """The process's page: as in the list, and its purpose and goals and what was mapped,
    revised and published, oldest first."""

    mal = serializers.ListField(
        source="mallista", child=serializers.CharField(), read_only=True, help_text="Ett per mål."
    )
    handelser = ProcesshandelseSerializer(many=True, read_only=True)

    class Meta(ProcessSerializer.Meta):
        fields = [
            *ProcessSerializer.Meta.fields,
            "syfte",
            "mal",
            "avvecklad_skal",
            "handelser",
        ]


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
