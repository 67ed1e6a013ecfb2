"""Settings, read from environment variables.

Defaults are for development on a laptop (SQLite, console e-mail, tasks run
eagerly); production sets DEBUG=false and must then give SECRET_KEY and
ALLOWED_HOSTS. A malformed value fails loudly instead of falling back.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def _secret(name: str) -> str | None:
    """Read a secret from NAME or from the file named by NAME_FILE (containers)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text().strip()
    return env.str(name, default="") or None


def _bool(name: str, default: bool) -> bool:
    """A boolean from the environment; anything but a clear yes/no is an error, because
    django-environ would read a typo such as "ture" as False without a word."""
    raw = env.str(name, default="").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "y", "on", "ok"):
        return True
    if raw in ("0", "false", "no", "n", "off"):
        return False
    raise ImproperlyConfigured(f"{name} måste vara true eller false, inte {raw!r}.")


def _heltal(name: str, default: int, minst: int) -> int:
    """An integer from the environment, at least `minst`; a smaller one is an error."""
    varde = env.int(name, default=default)
    if varde < minst:
        raise ImproperlyConfigured(f"{name} måste vara minst {minst}, inte {varde}.")
    return varde


DEBUG = _bool("DEBUG", default=False)


def _svag_nyckel(nyckel: str) -> str | None:
    """Why a secret key must not be used in production, or None. The placeholder of
    .env.example (CHANGE-ME) by name; otherwise the rule of Django's own deploy check
    (security.W009): at least 50 characters, 5 different, not Django's "insecure" kind."""
    if "changeme" in nyckel.lower().replace("-", "").replace("_", ""):
        return "är platshållaren från .env.example (CHANGE-ME)"
    if len(nyckel) < SECRET_KEY_MIN_LENGTH:
        return f"är för kort ({len(nyckel)} tecken, minst {SECRET_KEY_MIN_LENGTH})"
    if len(set(nyckel)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return f"har för få olika tecken (minst {SECRET_KEY_MIN_UNIQUE_CHARACTERS})"
    if nyckel.startswith(SECRET_KEY_INSECURE_PREFIX):
        return f"börjar med {SECRET_KEY_INSECURE_PREFIX!r}, Djangos nyckel för utveckling"
    return None


SECRET_KEY = _secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY måste anges när DEBUG är avstängt.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105
elif not DEBUG and (_varfor := _svag_nyckel(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"SECRET_KEY {_varfor}. Skapa en ny nyckel med "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(64))' "
        "och lägg den i .env (SECRET_KEY) eller i filen som SECRET_KEY_FILE pekar på."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The refusal page in the product's look, with a way back to the page the form was on.
CSRF_FAILURE_VIEW = "kvalitet.views.csrf_fel"
# The address users reach the application at: a host name, or a path on one
# (https://intranat.example.se/kvalitet). SITE_URL keeps the scheme and host only; every
# link appends a reversed path, which begins with the path (FORCE_SCRIPT_NAME) in the web
# server's requests and in the Celery worker alike. Cookies are scoped to the path.
_plats = urlsplit(env.str("SITE_URL", default="http://127.0.0.1:8000"))
if _plats.scheme not in ("http", "https") or not _plats.netloc or _plats.query or _plats.fragment:
    raise ImproperlyConfigured(
        "SITE_URL ska vara en adress som https://kvalitet.example.se eller "
        "https://intranat.example.se/kvalitet (utan ? och #)."
    )
SITE_URL = f"{_plats.scheme}://{_plats.netloc}"
FORCE_SCRIPT_NAME = _plats.path.rstrip("/") or None
SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = LANGUAGE_COOKIE_PATH = f"{FORCE_SCRIPT_NAME or ''}/"

INSTALLED_APPS = [
    "kvalitet",
    "avvikelser",
    "synpunkter",
    "lexsarah",
    "tillsyn",
    "riskregister",
    "internkontroll",
    "processer",
    "rapporter",
    "api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_filters",
    "simple_history",
    "axes",
    # The second factor of local accounts (kvalitet.tvastegs): TOTP devices and the
    # single-use recovery codes, with their own migrations.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The API's schema generator (its `spectacular` command). Django REST framework itself
    # is deliberately not an installed app: the API renders JSON only (no templates or
    # static files of its own), and as an app its Swedish catalogue would override
    # Django's own form messages across the product ("Det här fältet är obligatoriskt."
    # for "Detta fält måste fyllas i."); the API's messages are our own (api.fel).
    "drf_spectacular",
]

MIDDLEWARE = [
    # First: refuses a request body larger than REQUEST_MAX_BYTES before anything reads it.
    "kvalitet.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kvalitet.middleware.SecurityHeadersMiddleware",
    # Inside the security headers: a page for an action's address opened as a page.
    "kvalitet.middleware.SidaFor405Middleware",
    # After authentication and htmx, inside the security headers: where a request that
    # needs a login is sent (htmx too), and the marker that tells the login page a
    # session expired.
    "kvalitet.middleware.InloggningMiddleware",
    # The device that verified the session (django-otp), then our guard: a session signed
    # in with a local password that still owes its second factor reaches only the second
    # step, the enrolment and the logout (kvalitet.tvastegs).
    "django_otp.middleware.OTPMiddleware",
    "kvalitet.tvastegs.TvastegsMiddleware",
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Static files under gunicorn; in development runserver serves them itself.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "kvalitet.urls"
FORM_RENDERER = "kvalitet.forms.Renderer"
WSGI_APPLICATION = "kvalitet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kvalitet.context_processors.kvalitet",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A persistent connection broken by a database restart is noticed at the start of the
# next request and replaced, instead of failing that request too (docs/drift.md).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent writers (runserver threads, gunicorn workers, the eager task runner) wait
    # for each other instead of failing with "database is locked": every transaction
    # takes the write lock when it begins (a deferred one that reads first and then
    # writes cannot wait for a concurrent writer: SQLite refuses it at once), waits up
    # to `timeout` seconds for it, and WAL lets readers go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "kvalitet.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute-force protection of the login: a username is locked for a while from an
# address after repeated failures (only from that address: someone elsewhere cannot
# lock a user out). A completed password reset lifts the user's locks (kvalitet.konto).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures are reset when a login is complete (kvalitet.tvastegs.inloggningen_fullbordad):
# after the password when no second factor follows, else after the right code. Not by
# axes at the password: a wrong code counts as a failed login, and a right password
# would otherwise wipe the count before each new round of guessed codes.
AXES_RESET_ON_SUCCESS = False
# The code of the second step is never written to axes' record of the attempt.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "kod"]
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/sparrad.html"
# Trusted reverse proxies in front of the app: the client's address is then read from
# X-Forwarded-For (login lockout, rate limits). The one derivation of the address is
# kvalitet.begransning.klientadress; axes uses it too (without this, axes 8 would use
# REMOTE_ADDR, the proxy's address, unless django-ipware were installed).
PROXY_COUNT = _heltal("PROXY_COUNT", default=0, minst=0)
AXES_CLIENT_IP_CALLABLE = "kvalitet.begransning.klientadress"
# Password spraying (one password tried on many user names) is not caught by the lockout
# per user name: failed logins per client address and hour, whatever the user name,
# above which the address may not try to log in for a while (0 turns it off). Higher than
# AXES_FAILURE_LIMIT, so that an office behind one NAT address is not stopped by a few
# mistyped passwords. Counted in the database (kvalitet.begransning); locks no account.
INLOGGNING_MISSLYCKADE_PER_TIMME = _heltal("INLOGGNING_MISSLYCKADE_PER_TIMME", default=50, minst=0)
# Requests for a password-reset link per client address and hour (0 turns it off).
ATERSTALLNING_PER_TIMME = _heltal("ATERSTALLNING_PER_TIMME", default=10, minst=0)

# The second factor of local accounts (docs/inloggning.md, "Tvåstegsverifiering"): who
# must use it when logging in with a password. `admin`: the administrators (the admin
# role or a superuser); `alla`: every local account. Anyone else may turn it on from the
# account page. There is no `ingen`: an administrator always needs it. Sign-in through
# the municipality's account (OIDC) has its second factor at the provider.
MFA_KRAVS_FOR = env.str("MFA_KRAVS_FOR", default="").strip().lower() or "admin"
if MFA_KRAVS_FOR not in ("admin", "alla"):
    raise ImproperlyConfigured(
        "MFA_KRAVS_FOR måste vara admin eller alla (administratörer måste alltid ha "
        f"tvåstegsverifiering), inte {MFA_KRAVS_FOR!r}."
    )
# The name an authenticator app shows beside the account.
OTP_TOTP_ISSUER = "Kvalitet"

# Sign-in with the municipality's account: OpenID Connect through mozilla-django-oidc
# (kvalitet.oidc, docs/inloggning.md). Off unless OIDC_ISSUER is set; local accounts keep
# working beside it. The provider's endpoints and keys are read from
# <OIDC_ISSUER>/.well-known/openid-configuration at the first sign-in (then cached), so
# only the issuer, the client and the claims are configured here. A person is matched
# on OIDC_ANVANDARCLAIM (a stable claim, never the e-mail address); with
# OIDC_ROLLER_FRAN_GRUPPER their roles follow the group claim OIDC_GRUPPCLAIM through the
# administrator's group mappings.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").strip().rstrip("/")
OIDC_KNAPPTEXT = env.str("OIDC_KNAPPTEXT", default="").strip() or "Logga in med kommunens konto"
OIDC_ANVANDARCLAIM = env.str("OIDC_ANVANDARCLAIM", default="").strip() or "sub"
OIDC_GRUPPCLAIM = env.str("OIDC_GRUPPCLAIM", default="").strip() or "groups"
OIDC_ROLLER_FRAN_GRUPPER = _bool("OIDC_ROLLER_FRAN_GRUPPER", default=False)
OIDC_RP_SCOPES = " ".join(env.str("OIDC_SCOPES", default="openid profile email").split())
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="").strip()
OIDC_RP_CLIENT_SECRET = _secret("OIDC_CLIENT_SECRET")
if OIDC_ISSUER:
    if not OIDC_ISSUER.startswith("https://") and not (DEBUG and OIDC_ISSUER.startswith("http://")):
        raise ImproperlyConfigured(
            f"OIDC_ISSUER måste vara en https-adress (http bara med DEBUG), inte {OIDC_ISSUER!r}."
        )
    if not OIDC_RP_CLIENT_ID or not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured(
            "Med OIDC_ISSUER måste också OIDC_CLIENT_ID och OIDC_CLIENT_SECRET "
            "(eller OIDC_CLIENT_SECRET_FILE) anges."
        )
    if "openid" not in OIDC_RP_SCOPES.split():
        raise ImproperlyConfigured(f"OIDC_SCOPES måste innehålla openid, inte {OIDC_RP_SCOPES!r}.")
    AUTHENTICATION_BACKENDS.append("kvalitet.oidc.Inloggning")
# A failed sign-in through the provider has no user name: django-axes would count it
# against "no user name" from the address and, after AXES_FAILURE_LIMIT of them (five
# deactivated people behind one NAT address), lock every OIDC sign-in from there. The
# provider guards its own passwords; axes leaves these sign-ins alone.
AXES_WHITELIST_CALLABLE = "kvalitet.oidc.axes_undantag"
# The library's own settings: the ID token is signed with RS256 (key from the provider's
# JWKS), state, nonce and PKCE are checked, the ID token is kept in the session for the
# logout at the provider, and a failed sign-in goes back to the login page, which says why.
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_svar"
LOGIN_REDIRECT_URL_FAILURE = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# Under the path the application is served at. Written out: a relative STATIC_URL would
# take the script prefix of whenever it is first read, which in a WSGI process is before
# the first request has set it.
STATIC_URL = f"{FORCE_SCRIPT_NAME or ''}/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Attachments are confidential: they live under MEDIA_ROOT, which is never served
# by URL; they are only streamed by a permission-checked view.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = None

BILAGA_MAX_MB = _heltal("BILAGA_MAX_MB", default=10, minst=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The largest request body accepted at all: one attachment plus 3 MB for the other fields
# (Django takes at most DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB, of them) and the multipart
# framing. Larger bodies are refused with 413 before they are read
# (kvalitet.middleware.RequestSizeLimitMiddleware); the reverse proxy's limit
# (nginx client_max_body_size) should be the same, BILAGA_MAX_MB + 3 MB (README).
REQUEST_MAX_BYTES = (BILAGA_MAX_MB + 3) * 1024 * 1024
# First: stops reading an uploaded file as soon as it is larger than an attachment may be.
FILE_UPLOAD_HANDLERS = [
    "kvalitet.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# E-mail: console by default, e.g. smtp+tls://user:pass@host:587 in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kvalitet@exempelkommun.se")
EMAIL_SUBJECT_PREFIX = "[Kvalitet] "
EMAIL_TIMEOUT = 20

# Celery. Without a broker, tasks run eagerly in the calling process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a request when Redis is down: the outbox row is already
# committed and the periodic task delivers it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# A task's message is acknowledged when the task has finished, not when a worker takes
# it: a worker killed in the middle (OOM, deploy, power) leaves the message to be run
# again by the next worker. Every task is idempotent (the outbox's row lock, the PDF's
# job token and stored checksum). A prefork child killed mid-task is re-queued at once
# (`reject_on_worker_lost`); a whole worker killed leaves its unacknowledged messages in
# Redis, which restores them after the visibility timeout. It must exceed the longest
# task (a PDF renders in seconds) and every countdown/ETA used (none is).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": _heltal("CELERY_VISIBILITY_TIMEOUT", default=900, minst=1),
}
# Seconds between runs of the periodic delivery of pending outbox rows.
UTSKICK_INTERVALL_SEKUNDER = env.int("UTSKICK_INTERVALL_SEKUNDER", default=60)
if UTSKICK_INTERVALL_SEKUNDER < 1:
    raise ImproperlyConfigured(
        f"UTSKICK_INTERVALL_SEKUNDER måste vara minst 1, inte {UTSKICK_INTERVALL_SEKUNDER}."
    )
# Seconds the start page keeps the förvaltning-wide figures of those who see every case
# (kvalitet.delar.startfigurer); 0 counts on every visit.
STARTFIGURER_SEKUNDER = _heltal("STARTFIGURER_SEKUNDER", default=300, minst=0)
# Exports (kvalitet.exporter): a list export of more rows than EXPORT_DIREKT_MAX runs as a
# background job; its file is kept EXPORT_GALLRAS_TIMMAR hours for the one who asked.
EXPORT_DIREKT_MAX = _heltal("EXPORT_DIREKT_MAX", default=5000, minst=0)
EXPORT_GALLRAS_TIMMAR = _heltal("EXPORT_GALLRAS_TIMMAR", default=24, minst=1)
CELERY_BEAT_SCHEDULE = {
    "leverera-utkorg": {
        "task": "kvalitet.tasks.leverera_vantande",
        "schedule": float(UTSKICK_INTERVALL_SEKUNDER),
    },
    "gallra-exporter": {
        "task": "kvalitet.tasks.gallra_exporter",
        "schedule": crontab(minute=10),
    },
    # Does nothing unless OIDC_ISSUER is set (kvalitet.oidc.kontrollera_alla).
    "kontrollera-oidc": {
        "task": "kvalitet.tasks.kontrollera_oidc",
        "schedule": crontab(minute=40),
    },
    "gallra-utkorg-och-begransningar": {
        "task": "kvalitet.tasks.gallra",
        "schedule": crontab(hour=2, minute=15),
    },
    # The e-service's submissions a lost wake-up or a broker outage left unbuilt
    # (synpunkter.tasks.vacka); normally they are built within a second.
    "synpunkter-inlamningar": {
        "task": "synpunkter.tasks.bygg_inlamningar",
        "schedule": 30.0,
    },
    "synpunkter-paminnelser": {
        "task": "synpunkter.tasks.paminn",
        "schedule": crontab(hour=7, minute=0),
    },
    "lexsarah-paminnelser": {
        "task": "lexsarah.tasks.paminn",
        "schedule": crontab(hour=7, minute=5),
    },
    "lexsarah-beslutade-dokument": {
        "task": "lexsarah.tasks.frys_saknade",
        "schedule": crontab(minute="*/10"),
    },
    "riskregister-oversyn": {
        "task": "riskregister.tasks.paminn",
        "schedule": crontab(hour=7, minute=10),
    },
    "internkontroll-paminnelser": {
        "task": "internkontroll.tasks.paminn",
        "schedule": crontab(hour=7, minute=15),
    },
    "beslutade-handlingar-pdf": {
        "task": "kvalitet.tasks.arkivera_saknade",
        "schedule": crontab(minute="*/10"),
    },
    "summor-komprimera": {
        "task": "kvalitet.tasks.komprimera_summor",
        "schedule": crontab(minute="5-59/10"),
    },
    "synpunkter-gallra-kontaktuppgifter": {
        "task": "synpunkter.tasks.gallra_kontaktuppgifter",
        "schedule": crontab(hour=2, minute=30),
    },
}

# Domain settings: configurable, never hard-coded (README, "Configuration").
KOMMUN_NAMN = env.str("KOMMUN_NAMN", default="Exempelkommun")
# The municipality's logo on the report cover: a path among the static files (SVG or PNG),
# e.g. a file added to static/ when building the image.
KOMMUN_LOGGA = env.str("KOMMUN_LOGGA", default="rapporter/logga.svg")
NAMND_NAMN = env.str("NAMND_NAMN", default="Socialnämnden")
# Who decides the kvalitetsberättelse: the förvaltningschef, or the nämnd (then the
# förvaltningschef records the nämnd's decision: meeting date and §). Local rule, not law.
KVALITETSBERATTELSE_BESLUTAS_AV = (
    env.str("KVALITETSBERATTELSE_BESLUTAS_AV", default="forvaltningschef").strip().lower()
)
if KVALITETSBERATTELSE_BESLUTAS_AV not in ("forvaltningschef", "namnd"):
    raise ImproperlyConfigured(
        "KVALITETSBERATTELSE_BESLUTAS_AV måste vara forvaltningschef eller namnd, "
        f"inte {KVALITETSBERATTELSE_BESLUTAS_AV!r}."
    )
AVVIKELSE_UTREDNINGSTID_DAGAR = env.int("AVVIKELSE_UTREDNINGSTID_DAGAR", default=30)
# Lex Sarah (DOMAIN.md §4.3). Who decides a case and its anmälan to IVO: the
# förvaltningschef, or the nämnd (then the förvaltningschef records the nämnd's decision).
# The law says only genast / utan dröjsmål / snarast: the target days per step are the
# förvaltning's own rules, counted from the rapport (the IVO anmälan from the bedömning,
# the follow-up from the decision). Local rules, not law.
LEXSARAH_BESLUTAS_AV = env.str("LEXSARAH_BESLUTAS_AV", default="forvaltningschef").strip().lower()
if LEXSARAH_BESLUTAS_AV not in ("forvaltningschef", "namnd"):
    raise ImproperlyConfigured(
        "LEXSARAH_BESLUTAS_AV måste vara forvaltningschef eller namnd, "
        f"inte {LEXSARAH_BESLUTAS_AV!r}."
    )
LEXSARAH_FRIST_OMEDELBARA_DAGAR = _heltal("LEXSARAH_FRIST_OMEDELBARA_DAGAR", 1, 0)
LEXSARAH_FRIST_UTREDNINGSBESLUT_DAGAR = _heltal("LEXSARAH_FRIST_UTREDNINGSBESLUT_DAGAR", 7, 0)
LEXSARAH_FRIST_BESLUT_DAGAR = _heltal("LEXSARAH_FRIST_BESLUT_DAGAR", 60, 1)
LEXSARAH_FRIST_IVO_DAGAR = _heltal("LEXSARAH_FRIST_IVO_DAGAR", 14, 0)
LEXSARAH_UPPFOLJNING_MANADER = _heltal("LEXSARAH_UPPFOLJNING_MANADER", 6, 1)
SYNPUNKT_SVARSTID_DAGAR = env.int("SYNPUNKT_SVARSTID_DAGAR", default=14)

# The REST API (api/, docs/api.md). Calls per key and minute, counted in the database
# like the other limits (kvalitet.begransning), so the limit holds across workers without
# Redis; 0 turns it off. A key is valid at most API_NYCKEL_MAX_DAGAR days.
API_ANROP_PER_MINUT = _heltal("API_ANROP_PER_MINUT", default=120, minst=0)
API_NYCKEL_MAX_DAGAR = _heltal("API_NYCKEL_MAX_DAGAR", default=365, minst=1)
API_NYCKEL_STANDARD_DAGAR = min(90, API_NYCKEL_MAX_DAGAR)
REST_FRAMEWORK = {
    # Keys only: no session authentication, so no cookie can drive a write (and no CSRF
    # question arises); a browser signed in to the pages reaches no data here.
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.NyckelAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.HarRoll"],
    "DEFAULT_THROTTLE_CLASSES": ["api.begransning.NyckelBegransning"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.sidor.Markorsidor",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.fel.felsvar",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kvalitet API",
    "DESCRIPTION": "Läsa ärenden, årets siffror och beslutade kvalitetsberättelser, och "
    "lämna avvikelser och synpunkter från andra system (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The schema's paths begin at the application's root: the server is the address
    # with the path it is served under.
    "SERVERS": [{"url": f"{SITE_URL}{FORCE_SCRIPT_NAME or ''}"}],
    "COMPONENT_SPLIT_REQUEST": True,
    # Each case type's own status and type lists, by the type's name (several share a
    # field name: status, typ).
    "ENUM_NAME_OVERRIDES": {
        "AvvikelseStatus": "avvikelser.choices.Status",
        "AvvikelseTyp": "avvikelser.choices.Typ",
        "SynpunktStatus": "synpunkter.choices.Status",
        "SynpunktTyp": "synpunkter.choices.Typ",
        "SynpunktKanal": "synpunkter.choices.Kanal",
        "LexSarahStatus": "lexsarah.choices.Status",
        "TillsynStatus": "tillsyn.choices.Status",
        "TillsynTyp": "tillsyn.choices.Typ",
        "TillsynUtfall": "tillsyn.choices.Utfall",
        "RapportStatus": "rapporter.choices.Status",
        "RiskStatus": "riskregister.choices.Status",
        "RiskKategori": "riskregister.choices.Kategori",
        "RiskStrategi": "riskregister.choices.Strategi",
        "RiskKalla": "riskregister.choices.Kalla",
        "KontrolltillfalleStatus": "internkontroll.choices.Tillfallestatus",
        "KontrollBedomning": "internkontroll.choices.Bedomning",
        "KontrollMetod": "internkontroll.choices.Metod",
        "KontrollPeriodicitet": "internkontroll.choices.Periodicitet",
        "ProcessStatus": "processer.choices.Status",
        "ProcessTyp": "processer.choices.Processtyp",
        "NyckeltalRiktning": "processer.choices.Riktning",
        "ProcesshandelseTyp": "processer.choices.Handelsetyp",
    },
}


def _risknivaer(sannolikhet, konsekvens) -> list[tuple[int, str]]:
    """RISK_NIVAER: the levels of the risk value, "highest value:name" lowest first."""
    raw = env.str("RISK_NIVAER", default="3:Låg,6:Måttlig,9:Hög,16:Mycket hög")
    nivaer = []
    for del_ in raw.split(","):
        tak, _sep, namn = del_.partition(":")
        if not tak.strip().isdigit() or not namn.strip():
            raise ImproperlyConfigured(
                f"RISK_NIVAER skrivs som 3:Låg,6:Måttlig,9:Hög,16:Mycket hög, inte {raw!r}."
            )
        nivaer.append((int(tak), namn.strip()))
    tak = [t for t, _n in nivaer]
    if not 2 <= len(nivaer) <= 4 or tak != sorted(set(tak)) or tak[-1] < sannolikhet * konsekvens:
        raise ImproperlyConfigured(
            "RISK_NIVAER ska ha 2–4 nivåer med stigande högsta värden, den sista minst "
            f"{sannolikhet * konsekvens} (skalans största riskvärde), inte {raw!r}."
        )
    return nivaer


def _riskskala(name: str, default: str) -> list[str]:
    steg = [s.strip() for s in env.str(name, default=default).split(",") if s.strip()]
    if not 2 <= len(steg) <= 10:
        raise ImproperlyConfigured(f"{name} ska ha 2–10 steg, kommaseparerade.")
    return steg


# The risk register's scale (DOMAIN.md §4.4): it lives in local manuals, not in the
# sources, so it is a setting. The steps of sannolikhet and of konsekvens, lowest first;
# the levels of the risk value (their product), coloured green, yellow, orange, red (two
# levels: green and red; three: green, yellow and red); and the value from which a risk
# is shown to the nämnd with its strategy and actions in the register's PDF.
RISK_SANNOLIKHET = _riskskala("RISK_SANNOLIKHET", "Osannolik,Mindre sannolik,Möjlig,Sannolik")
RISK_KONSEKVENS = _riskskala("RISK_KONSEKVENS", "Försumbar,Lindrig,Kännbar,Allvarlig")
RISK_NIVAER = _risknivaer(len(RISK_SANNOLIKHET), len(RISK_KONSEKVENS))
RISK_NAMND_FRAN = _heltal("RISK_NAMND_FRAN", 8, 1)


def _manad_dag(name: str, default: str) -> tuple[int, int]:
    """A day of the year as MM-DD (for a yearly due date), checked against a leap year."""
    from datetime import date

    raw = env.str(name, default=default).strip()
    try:
        manad, dag = (int(d) for d in raw.split("-"))
        date(2028, manad, dag)
    except ValueError:
        raise ImproperlyConfigured(f"{name} skrivs som MM-DD, t.ex. 02-28, inte {raw!r}.") from None
    if (manad, dag) == (2, 29):
        raise ImproperlyConfigured(f"{name} kan inte vara 02-29 (finns inte varje år).")
    return manad, dag


# Internkontroll (DOMAIN.md §4.5): the day of the following year by which the year's
# internkontrollredovisning is due to the nämnd (real practice: in February), and how
# many days before an occasion is due its performer is reminded.
INTERNKONTROLL_REDOVISNING_SENAST = _manad_dag("INTERNKONTROLL_REDOVISNING_SENAST", "02-28")
INTERNKONTROLL_PAMINNELSE_DAGAR_FORE = _heltal("INTERNKONTROLL_PAMINNELSE_DAGAR_FORE", 14, 0)
# The id of the nämnd's own controls in its plan ("SN 3"; a central one is "CENT 1").
INTERNKONTROLL_ID_PREFIX = env.str("INTERNKONTROLL_ID_PREFIX", default="SN").strip() or "SN"

# Days before a risk's next review date that its owner is reminded.
RISK_PAMINNELSE_DAGAR_FORE = _heltal("RISK_PAMINNELSE_DAGAR_FORE", 14, 0)
# The synpunkt types whose answer time the report measures ("answered within N days",
# docs/siffror.md): codes of synpunkter.choices.Typ, comma separated.
_SYNPUNKT_TYPER = ("klagomal", "synpunkt", "berom", "forslag", "fraga")
SYNPUNKT_SVARSTID_TYPER = [
    t.strip()
    for t in env.str("SYNPUNKT_SVARSTID_TYPER", default="klagomal").split(",")
    if t.strip()
]
if not SYNPUNKT_SVARSTID_TYPER or set(SYNPUNKT_SVARSTID_TYPER) - set(_SYNPUNKT_TYPER):
    raise ImproperlyConfigured(
        "SYNPUNKT_SVARSTID_TYPER måste vara en eller flera av "
        f"{', '.join(_SYNPUNKT_TYPER)} (kommaseparerade), inte {SYNPUNKT_SVARSTID_TYPER!r}."
    )
# Reminder to the handler this many days before the answer deadline.
SYNPUNKT_PAMINNELSE_DAGAR_FORE = env.int("SYNPUNKT_PAMINNELSE_DAGAR_FORE", default=3)
# Contact details of a closed synpunkt are removed after this many days.
SYNPUNKT_KONTAKT_GALLRAS_DAGAR = env.int("SYNPUNKT_KONTAKT_GALLRAS_DAGAR", default=90)
# Public e-service: submissions per client address and hour (0 turns the limit off).
SYNPUNKT_GRANS_PER_TIMME = env.int("SYNPUNKT_GRANS_PER_TIMME", default=10)
# Sent e-mails (they may hold a citizen's address and answer) are deleted after this many days.
UTSKICK_GALLRAS_DAGAR = env.int("UTSKICK_GALLRAS_DAGAR", default=30)

# Security. Production defaults are strict; DEBUG relaxes the transport ones only.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = _bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if _bool("BEHIND_PROXY", default=False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The covering indexes' INCLUDE columns serve PostgreSQL's index-only scans at millions
    # of cases (bench/RESULTS.md); SQLite builds the same indexes without them.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # PDF rendering reports every step and font table at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
