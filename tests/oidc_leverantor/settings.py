"""Settings of the test identity provider: a tiny Django project with
django-oauth-toolkit's OpenID Connect provider, started by tests/oidc_leverantor/fixtur.py
as its own process (the product's browser tests sign in through it, as they would through
Keycloak or Entra ID). Everything comes from the environment the fixture sets: the SQLite
file, the issuer address, the RS256 key made at start."""

import os

SECRET_KEY = os.environ["LEVERANTOR_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.oidc_leverantor.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
    "tests.oidc_leverantor",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["LEVERANTOR_DB"]}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/konto/logga-in/"
# Another cookie name than the product's: the two sites run on one machine.
SESSION_COOKIE_NAME = "leverantor_session"
CSRF_COOKIE_NAME = "leverantor_csrf"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": os.environ["LEVERANTOR_RSA_NYCKEL"],
    "OIDC_ISS_ENDPOINT": os.environ["LEVERANTOR_ISSUER"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    # With the ID token as hint, the logout needs no question (like Keycloak's default).
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    # The refresh token outlives the session at the provider, as Keycloak's and Entra
    # ID's offline_access tokens do: logging out is not leaving (docs/inloggning.md).
    "OIDC_RP_INITIATED_LOGOUT_DELETE_TOKENS": False,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "Namn och grupper",
        "email": "E-postadress",
    },
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_leverantor.validator.Validator",
}
