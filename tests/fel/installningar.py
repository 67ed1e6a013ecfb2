"""Production settings for the app processes the fault tests start (gunicorn), with one
difference: static files without the collected manifest (collectstatic would take half
a minute per test run; the pages' asset URLs play no part in these faults)."""

from kvalitet.settings import *  # noqa: F403
from kvalitet.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
