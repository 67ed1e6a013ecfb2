"""Support for the report tests: a database snapshot covering the reports, the
permission-matrix runner (the codes of tests/stod.py plus the reports' own redirects),
and reading a generated PDF's objects."""

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from tests.stod import OK, kontrollera_svar, kor_celler
from tests.stod import ogonblick as ogonblick_karna

# Outcomes beyond tests/stod.py's.
NY = "NY"  # 302 to a report the request created (a new draft or version)
TB = "TB"  # 302 back to the report with an error message: refused by its status

TILLATNA = (OK, NY)


def ogonblick():
    """The core snapshot plus everything a report request could change."""
    from rapporter.models import Kapiteltext, Kvalitetsberattelse

    return {
        **ogonblick_karna(),
        "berattelser": sorted(
            Kvalitetsberattelse.objects.values_list(
                "pk",
                "ar",
                "version",
                "status",
                "brytdatum",
                "siffror",
                "faststalld",
                "faststalld_av_id",
                "beslutsanteckning",
                "pdf",
                "pdf_sha256",
                "pdf_status",
                "pdf_jobb",
                "andrad",
            )
        ),
        "berattelsehistorik": Kvalitetsberattelse.history.count(),
        "texter": sorted(Kapiteltext.objects.values_list("berattelse_id", "kapitel", "text")),
    }


def kor_rad(rad, s, klient_for):
    """Run one matrix row (a tests.stod.Rad whose `url` is a function of the scenario)
    for every persona; each cell in a rolled-back savepoint. Lists every differing cell."""
    kor_celler(rad, klient_for, lambda persona, kod, klient: kor_cell(rad, persona, kod, s, klient))


def kor_cell(rad, persona, kod, s, klient):
    for obj in vars(s).values():
        if hasattr(obj, "refresh_from_db"):
            obj.refresh_from_db()
    if rad.forbered:
        rad.forbered(s)
    fore = ogonblick()
    user = s.personas.get(persona)
    data = rad.data(s) if rad.data else {}
    skicka = klient.get if rad.metod == "GET" else klient.post
    response = skicka(rad.url(s), data)
    location = response.headers.get("Location", "")
    mal = rad.url(s).split("/")[:3]  # "", "rapporter", pk
    rapportens = "/".join(mal) + "/"
    if kod == NY:
        assert response.status_code == 302, response.status_code
        assert location.startswith("/rapporter/"), location
        assert location != rapportens, location
    elif kod == TB:
        assert response.status_code == 302, response.status_code
        assert location == rapportens, location
    else:
        kontrollera_svar(response, kod, arende_url=rapportens)
    if kod in (200, 400) and rad.innehall:
        content = b"".join(response) if response.streaming else response.content
        assert rad.innehall in content.decode("utf-8-sig"), f"{rad.innehall!r} saknas"
    if rad.metod == "POST":
        if kod in TILLATNA:
            assert rad.gjort(s, user), "den tillåtna begäran fick ingen effekt"
            assert ogonblick() != fore
        else:
            assert ogonblick() == fore, "en nekad begäran ändrade databasen"


def objekt(reader):
    """Every object reachable from the document catalogue, each once."""
    sedda, stack = set(), [reader.trailer["/Root"]]
    while stack:
        o = stack.pop()
        if isinstance(o, IndirectObject):
            if o.idnum in sedda:
                continue
            sedda.add(o.idnum)
            o = o.get_object()
        if isinstance(o, DictionaryObject):
            yield o
            stack.extend(v for k, v in o.items() if k not in ("/Parent", "/P"))
        elif isinstance(o, ArrayObject):
            stack.extend(o)
