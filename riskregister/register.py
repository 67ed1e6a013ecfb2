"""The register as it stood on a date, its matrix, and the content of a version for the
nämnd (docs/riskregister.md).

Definitions, which the pages, the PDF, the export, the report chapter and the tests
all follow:

- A risk is *in the register on a day* D (a local date) when it entered it on or before
  D (`aktiv_fran`: the nämnd's meeting that decided it, or for imported risks the first
  assessment) and was not removed on or before D (`borttagen`). Proposals are not in it.
- Its *values on D* are those of its latest assessment dated on or before D (by date,
  then by the order they were recorded); the risk value is sannolikhet × konsekvens.
- The *matrix on D* counts the risks in the register on D per cell of their values on D.
- The *changes* of a version are counted against the last decided version before it:
  new (in this one, not in that), removed (in that, not in this, with the reason),
  raised and lowered (a higher or lower risk value than in that).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone
from django.utils.http import urlencode

from kvalitet.dokument import roll_for
from kvalitet.models import Atgard, CaseLink, Uppdrag

from .choices import Status, Versionsstatus
from .models import Bedomning, Risk
from .skala import Skala, skala


def per(qs, dag):
    """The risks of `qs` in the register on `dag`, each with its values on that day:
    `s_dag`, `k_dag` and `varde_dag` – one query, whatever the number of risks."""
    senaste = Bedomning.objects.filter(risk=OuterRef("pk"), datum__lte=dag).order_by(
        "-datum", "-pk"
    )
    return (
        qs.i_registret(dag)
        .annotate(
            s_dag=Subquery(senaste.values("sannolikhet")[:1]),
            k_dag=Subquery(senaste.values("konsekvens")[:1]),
        )
        .filter(s_dag__isnull=False)
        .annotate(varde_dag=F("s_dag") * F("k_dag"))
    )


def antal_per_cell(qs_per) -> dict[tuple[int, int], int]:
    """{(sannolikhet, konsekvens): number of risks} of a `per` queryset, one query."""
    return {
        (s, k): n
        for s, k, n in qs_per.order_by()
        .values_list("s_dag", "k_dag")
        .annotate(n=Count("pk", distinct=True))
    }


def matris(antal: dict, s: Skala, *, lank=None) -> dict:
    """The matrix as a table: rows from the highest sannolikhet down, columns konsekvens
    from the lowest; each cell its value, level and count, and – with `lank(s, k)` – the
    address of the list of its risks."""
    rader = []
    for sannolikhet in range(len(s.sannolikhet), 0, -1):
        celler = []
        for konsekvens in range(1, len(s.konsekvens) + 1):
            varde = sannolikhet * konsekvens
            n = antal.get((sannolikhet, konsekvens), 0)
            celler.append(
                {
                    "sannolikhet": sannolikhet,
                    "konsekvens": konsekvens,
                    "varde": varde,
                    "niva": s.niva(varde),
                    "antal": n,
                    "url": lank(sannolikhet, konsekvens) if (lank and n) else "",
                }
            )
        rader.append(
            {"steg": sannolikhet, "namn": s.sannolikhet[sannolikhet - 1], "celler": celler}
        )
    kolumner = [{"steg": k, "namn": s.konsekvens[k - 1]} for k in range(1, len(s.konsekvens) + 1)]
    per_niva = {}
    for (sannolikhet, konsekvens), n in antal.items():
        niva = s.niva(sannolikhet * konsekvens)
        per_niva[niva.namn] = per_niva.get(niva.namn, 0) + n
    return {
        "rader": rader,
        "kolumner": kolumner,
        "totalt": sum(antal.values()),
        "per_niva": [{"niva": n, "antal": per_niva.get(n.namn, 0)} for n in s.nivaer],
    }


def listlank(bas, **params):
    """The register list's address with the given filters (a matrix cell's link)."""
    return f"{bas}?{urlencode({k: v for k, v in params.items() if v not in (None, '')})}"


def matris_per(qs, dag, *, bas=None) -> dict:
    """The matrix of the risks of `qs` on `dag`, with links into the list (`bas`)."""
    idag = timezone.localdate()
    lank = None
    if bas:

        def lank(s, k):
            return listlank(
                bas, datum=dag.isoformat() if dag != idag else "", sannolikhet=s, konsekvens=k
            )

    return matris(antal_per_cell(per(qs, dag)), skala(), lank=lank)


# --- A version's content ----------------------------------------------------------------


def _atgardsstatus(risk_ids) -> dict[int, dict]:
    """Per risk: its improvement actions' count per status, and the actions themselves
    (title, status, due date), in one query."""
    ct = ContentType.objects.get_for_model(Risk)
    ut = {}
    for a in Atgard.objects.filter(content_type=ct, object_id__in=risk_ids).order_by(
        "forfallodatum", "pk"
    ):
        rad = ut.setdefault(a.object_id, {"antal": {}, "lista": []})
        rad["antal"][a.status] = rad["antal"].get(a.status, 0) + 1
        rad["lista"].append(
            {
                "titel": a.titel,
                "status": str(a.get_status_display()),
                "klart": a.forfallodatum.isoformat(),
            }
        )
    return ut


def _handelser(risk_ids) -> dict[int, int]:
    """Per risk: the number of events linked as realising it."""
    ct = ContentType.objects.get_for_model(Risk)
    return dict(
        CaseLink.objects.filter(till_typ=ct, till_id__in=risk_ids, typ=CaseLink.Typ.REALISERADE)
        .values_list("till_id")
        .annotate(n=Count("pk"))
    )


def _las_uppdrag(personer):
    """Load the owners' valid assignments in one query (`behorighet.uppdrag` reads them
    from the user), so naming them by role costs the same for any number of risks."""
    per_person = {p.pk: [] for p in personer}
    for u in (
        Uppdrag.objects.giltiga()
        .filter(anvandare__in=per_person, enhet__aktiv=True)
        .select_related("enhet")
    ):
        per_person[u.anvandare_id].append(u)
    for p in personer:
        p._kvalitet_uppdrag = per_person[p.pk]


def _rad(risk, s, k, atgarder, handelser, *, foreslagen=False) -> dict:
    return {
        "nummer": risk.nummer,
        "titel": risk.titel,
        "beskrivning": risk.beskrivning,
        "enhet": risk.enhet.namn,
        "kategori": str(risk.get_kategori_display()),
        "sannolikhet": s,
        "konsekvens": k,
        "varde": s * k,
        "strategi": str(risk.get_strategi_display()) if risk.strategi else "",
        # By role, never by name: the register is a public document of the nämnd.
        "agare": roll_for(risk.handlaggare),
        "atgarder": atgarder.get(risk.pk, {"antal": {}, "lista": []}),
        "handelser": handelser.get(risk.pk, 0),
        "foreslagen": foreslagen,
    }


def innehall(dag, *, version=None, med_forslag=None) -> dict:
    """What a version of the register says: the register on `dag` (with the proposals
    waiting for the nämnd while the version is a draft, `med_forslag`), the scale, and
    the changes since the last decided version before it. JSON, so a decided version
    stores it."""
    if med_forslag is None:
        med_forslag = version is None or version.ar_utkast
    i_registret = list(
        per(Risk.objects.all(), dag)
        .select_related("enhet", "handlaggare")
        .order_by("-varde_dag", "nummer")
    )
    foreslagna = []
    if med_forslag:
        foreslagna = list(
            Risk.objects.filter(status=Status.FORESLAGEN)
            .select_related("enhet", "handlaggare")
            .order_by("-riskvarde", "nummer")
        )
    ids = [r.pk for r in i_registret] + [r.pk for r in foreslagna]
    _las_uppdrag([r.handlaggare for r in (*i_registret, *foreslagna) if r.handlaggare])
    atgarder, handelser = _atgardsstatus(ids), _handelser(ids)
    risker = [_rad(r, r.s_dag, r.k_dag, atgarder, handelser) for r in i_registret]
    risker += [
        _rad(r, r.sannolikhet, r.konsekvens, atgarder, handelser, foreslagen=True)
        for r in foreslagna
    ]
    risker.sort(key=lambda r: (-r["varde"], r["nummer"]))
    from .models import Registerversion

    tidigare = Registerversion.objects.beslutade().order_by("-version")
    if version is not None:
        tidigare = tidigare.filter(version__lt=version.version)
    forra = tidigare.first()
    return {
        "datum": dag.isoformat(),
        "version": version.version if version else None,
        "skala": skala().som_data(),
        "risker": risker,
        "jamfort_med": forra.version if forra else None,
        "andringar": andringar(forra.innehall["risker"] if forra else [], risker),
    }


def andringar(fore: list[dict], efter: list[dict]) -> dict:
    """New, removed, raised and lowered risks between two versions' risk lists."""
    fore_per = {r["nummer"]: r for r in fore}
    efter_per = {r["nummer"]: r for r in efter}
    borttagna = [r for n, r in fore_per.items() if n not in efter_per]
    skal = dict(
        Risk.objects.filter(nummer__in=[r["nummer"] for r in borttagna]).values_list(
            "nummer", "borttagen_skal"
        )
    )
    hojda, sankta = [], []
    for n, r in efter_per.items():
        if n in fore_per and r["varde"] != fore_per[n]["varde"]:
            fran = fore_per[n]["varde"]
            rad = {"nummer": n, "titel": r["titel"], "fran": fran, "till": r["varde"]}
            (hojda if r["varde"] > fore_per[n]["varde"] else sankta).append(rad)
    return {
        "nya": [
            {"nummer": n, "titel": r["titel"], "varde": r["varde"]}
            for n, r in efter_per.items()
            if n not in fore_per
        ],
        "borttagna": [
            {"nummer": r["nummer"], "titel": r["titel"], "skal": skal.get(r["nummer"], "")}
            for r in borttagna
        ],
        "hojda": hojda,
        "sankta": sankta,
    }


def version_innehall(version) -> dict:
    """A decided version's frozen content; a draft's as the register stands today."""
    if version.ar_beslutad:
        return version.innehall
    return innehall(timezone.localdate(), version=version)


def for_datum(dag):
    """What the register PDF for `dag` shows: the decided version in force then, else
    the current draft, else None (`python manage.py riskregister`)."""
    from .models import Registerversion

    beslutad = Registerversion.objects.i_kraft(dag)
    if beslutad is not None:
        return beslutad
    return Registerversion.objects.filter(status=Versionsstatus.UTKAST).first()


def version_matris(innehall_) -> dict:
    """The matrix of a version's content (its own scale): the risks in the register, the
    proposals apart."""
    s = Skala.fran_data(innehall_["skala"])
    antal = {}
    for r in innehall_["risker"]:
        if not r["foreslagen"]:
            antal[(r["sannolikhet"], r["konsekvens"])] = (
                antal.get((r["sannolikhet"], r["konsekvens"]), 0) + 1
            )
    return matris(antal, s)
