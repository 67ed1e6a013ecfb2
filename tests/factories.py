"""factory_boy factories for the shared core and the case apps."""

import datetime

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from avvikelser.choices import Typ
from avvikelser.models import Avvikelse
from kvalitet.models import Atgard, Atgardstyp, Enhet, Uppdrag, User


class EnhetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enhet
        django_get_or_create = ("kod",)

    kod = factory.Sequence(lambda n: f"E{n:03d}")
    namn = factory.Sequence(lambda n: f"Enhet {n}")
    typ = "enhet"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"anvandare{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@exempelkommun.se")
    password = factory.PostGenerationMethodCall("set_password", "demo")

    @factory.post_generation
    def spara(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class UppdragFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Uppdrag

    anvandare = factory.SubFactory(UserFactory)
    roll = "medarbetare"
    enhet = factory.SubFactory(EnhetFactory)


class AvvikelseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Avvikelse

    typ = Typ.AVVIKELSE
    enhet = factory.SubFactory(EnhetFactory)
    rapporterad = factory.LazyFunction(timezone.now)
    handelsedatum = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))
    beskrivning = "Beslut skickades till en gammal adress."
    konsekvenser = "Uppgifter kunde ha röjts."
    beror_enskild = True


class AtgardFactory(factory.django.DjangoModelFactory):
    """An improvement action on a case (pass `arende=` and `ansvarig=`)."""

    class Meta:
        model = Atgard
        exclude = ["arende"]

    arende = None
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.arende))
    object_id = factory.LazyAttribute(lambda o: o.arende.pk)
    enhet = factory.LazyAttribute(lambda o: o.arende.enhet)
    titel = factory.Sequence(lambda n: f"Åtgärd {n}")
    typ = Atgardstyp.INFORMATION
    ansvarig = factory.SubFactory(UserFactory)
    forfallodatum = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class SynpunktFactory(factory.django.DjangoModelFactory):
    """A synpunkt as it arrives from the e-service (status inkommen). Pass
    `kontakt={"namn": ..., "epost": ...}` to give it contact details."""

    class Meta:
        model = "synpunkter.Synpunkt"
        skip_postgeneration_save = True

    typ = "klagomal"
    kanal = "e_tjanst"
    avsandare = "brukare"
    beskrivning = "Jag har väntat i sex veckor på ett beslut om bistånd."
    enhet = factory.SubFactory(EnhetFactory)
    inkom = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def kontakt(obj, create, extracted, **kwargs):
        if create and extracted:
            from synpunkter.models import Kontaktuppgifter

            Kontaktuppgifter.objects.create(synpunkt=obj, **extracted)


class InlamningFactory(factory.django.DjangoModelFactory):
    """A submission through the e-service, accepted and waiting to be built into a
    synpunkt (`byggd=` for one already built); its reference drawn as the model does."""

    class Meta:
        model = "synpunkter.Inlamning"

    nyckel = factory.Sequence(lambda n: f"testnyckel-{n:06d}")
    typ = "klagomal"
    beskrivning = "Ingen ringde tillbaka."
    anonym = True


class KvalitetsberattelseFactory(factory.django.DjangoModelFactory):
    """A year's kvalitetsberättelse, a draft unless `status=` says otherwise; the cut-off
    is the default one (31 January after the year)."""

    class Meta:
        model = "rapporter.Kvalitetsberattelse"

    ar = 2025
    version = 1
    status = "utkast"
    brytdatum = factory.LazyAttribute(lambda o: datetime.date(o.ar + 1, 1, 31))


class HistorikFactory(factory.django.DjangoModelFactory):
    """One imported aggregate count for a year before the product (rapporter.Historik)."""

    class Meta:
        model = "rapporter.Historik"

    ar = 2022
    serie = "avvikelser"
    dimension = "total"
    varde = ""
    antal = 1
