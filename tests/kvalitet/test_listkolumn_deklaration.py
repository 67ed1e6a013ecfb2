"""One declaration of a list column's order: the related model's `Meta.ordering`. The
export reads it (kvalitet.export.listordning); the migrations' `Listkolumn`, frozen
when written, must have written the same, or the text the database keeps would differ
from the export's Python path (tests/kvalitet/test_export_copy.py compares the two on
PostgreSQL). No database needed."""

import pytest
from django.apps import apps
from django.db.migrations.loader import MigrationLoader

from kvalitet.export import Kolumn, listordning
from kvalitet.listkolumn import Listkolumn


def listkolumner_i_migreringarna():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [
        (app, op)
        for (app, _), migrering in loader.disk_migrations.items()
        for op in migrering.operations
        if isinstance(op, Listkolumn)
    ]


def test_varje_listkolumn_har_en_migrering_i_modellens_ordning():
    ops = {(app, op.model_name, op.falt): op for app, op in listkolumner_i_migreringarna()}
    deklarerade = [
        (modell, falt)
        for modell in apps.get_models()
        for falt in getattr(modell, "LISTKOLUMNER", ())
    ]
    assert deklarerade, "inga listkolumner deklarerade: testet prövar inget"
    for modell, falt in deklarerade:
        op = ops.get((modell._meta.app_label, modell._meta.model_name, falt))
        assert op is not None, f"{modell.__name__}.{falt}: ingen Listkolumn i migreringarna"
        relaterad = modell._meta.get_field(falt).related_model
        assert op.ordning == listordning(relaterad, op.namn), (
            f"{modell.__name__}.{falt}: migreringen ordnar på {op.ordning}, "
            f"modellen på {relaterad._meta.ordering}"
        )


def test_exportens_listkolumn_ordnas_som_modellen():
    from avvikelser.models import Avvikelse, Orsaksomrade

    kolumn = Kolumn("Orsaksområden", "orsaksomraden__namn").bind(Avvikelse)
    assert kolumn.typ == Kolumn.LISTA
    assert kolumn.ordning == tuple(Orsaksomrade._meta.ordering) == ("ordning", "namn")


def test_listordning_utan_egen_ordning_och_med_fallande(monkeypatch):
    from avvikelser.models import Orsaksomrade

    monkeypatch.setattr(Orsaksomrade._meta, "ordering", [])
    assert listordning(Orsaksomrade, "namn") == ("namn",)
    monkeypatch.setattr(Orsaksomrade._meta, "ordering", ["-ordning"])
    with pytest.raises(ValueError, match="fältnamn"):
        listordning(Orsaksomrade, "namn")
