"""The one settings module of Open Maatwerk.

Everything that differs between machines comes from the environment. Development gets safe
defaults (SQLite, DEBUG on, 2FA optional); production (``MAATWERK_ENV=production``) refuses to
start on an insecure configuration instead of silently running with one.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from maatwerk.core import holidays as _holidays
from maatwerk.core import small_numbers as _small_numbers

SRC_DIR = Path(__file__).resolve().parent.parent  # src/maatwerk
BASE_DIR = SRC_DIR.parent.parent  # repository root

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def _cache_from_url(url: str) -> dict:
    scheme, _sep, rest = url.partition("://")
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": rest or "maatwerk_cache",
        }
    if scheme == "file":
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": rest}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    raise ImproperlyConfigured("CACHE_URL: redis://, db://, file:// or locmem://")


ENVIRONMENT = env("MAATWERK_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("MAATWERK_ENV must be 'development' or 'production'")
IS_PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=not IS_PRODUCTION)
SECRET_KEY = env("SECRET_KEY", "" if IS_PRODUCTION else _DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if IS_PRODUCTION else "localhost,127.0.0.1,[::1],testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Two-factor login for every role that can see personal data. Production always requires it;
# development may switch it off to make demos quick.
REQUIRE_2FA = env_bool("MAATWERK_REQUIRE_2FA", default=IS_PRODUCTION)

# Staff login through the organisation's OpenID Connect provider (accounts.oidc; docs/oidc.md).
# Off unless MAATWERK_OIDC_ISSUER is set; then the client and the provider's endpoints must be
# set too. Roles come from the claim mappings of MAATWERK_OIDC_ORGANISATION (its name).
MAATWERK_OIDC_ISSUER = env("MAATWERK_OIDC_ISSUER").rstrip("/")
MAATWERK_OIDC_ENABLED = bool(MAATWERK_OIDC_ISSUER)
MAATWERK_OIDC_ORGANISATION = env("MAATWERK_OIDC_ORGANISATION")
OIDC_RP_CLIENT_ID = env("MAATWERK_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("MAATWERK_OIDC_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("MAATWERK_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("MAATWERK_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("MAATWERK_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("MAATWERK_OIDC_JWKS_ENDPOINT")
OIDC_RP_SIGN_ALGO = env("MAATWERK_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("MAATWERK_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
# The provider's second factor counts only when the token says so: an `acr` among these values,
# or an `amr` that holds one of these methods (RFC 8176: "mfa" = more than one factor).
# Otherwise the local TOTP is asked as after a password.
MAATWERK_OIDC_MFA_ACR = env_list("MAATWERK_OIDC_MFA_ACR")
MAATWERK_OIDC_MFA_AMR = env_list("MAATWERK_OIDC_MFA_AMR", "mfa")
# The local username and password form: for development and as a fallback. Production can
# switch it off once everyone logs in through the provider.
MAATWERK_LOCAL_LOGIN = env_bool("MAATWERK_LOCAL_LOGIN", default=True)
_oidc_missing = [
    name
    for name, value in [
        ("MAATWERK_OIDC_CLIENT_ID", OIDC_RP_CLIENT_ID),
        ("MAATWERK_OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
        ("MAATWERK_OIDC_AUTHORIZATION_ENDPOINT", OIDC_OP_AUTHORIZATION_ENDPOINT),
        ("MAATWERK_OIDC_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT),
        ("MAATWERK_OIDC_USERINFO_ENDPOINT", OIDC_OP_USER_ENDPOINT),
        ("MAATWERK_OIDC_JWKS_ENDPOINT", OIDC_OP_JWKS_ENDPOINT),
        ("MAATWERK_OIDC_ORGANISATION", MAATWERK_OIDC_ORGANISATION),
    ]
    if not value
]
if MAATWERK_OIDC_ENABLED and _oidc_missing:
    raise ImproperlyConfigured("MAATWERK_OIDC_ISSUER is set, but not " + ", ".join(_oidc_missing))
if not MAATWERK_LOCAL_LOGIN and not MAATWERK_OIDC_ENABLED:
    raise ImproperlyConfigured("MAATWERK_LOCAL_LOGIN is off and OIDC is not configured: no login")

# Key for BSN encryption and lookup hashes (maatwerk.cases.bsn). Development derives one from
# SECRET_KEY; production must have its own (changing it makes stored BSNs unreadable).
MAATWERK_BSN_KEY = env("MAATWERK_BSN_KEY", "" if IS_PRODUCTION else "bsn-dev:" + SECRET_KEY)

if IS_PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG is on")
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY is missing, the development default or shorter than 50 chars")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty")
    if not REQUIRE_2FA:
        problems.append("MAATWERK_REQUIRE_2FA is off")
    if len(MAATWERK_BSN_KEY) < 32 or MAATWERK_BSN_KEY == SECRET_KEY:
        problems.append("MAATWERK_BSN_KEY is missing, shorter than 32 chars or equal to SECRET_KEY")
    if MAATWERK_OIDC_ENABLED:
        _oidc_urls = [
            MAATWERK_OIDC_ISSUER,
            OIDC_OP_AUTHORIZATION_ENDPOINT,
            OIDC_OP_TOKEN_ENDPOINT,
            OIDC_OP_USER_ENDPOINT,
            OIDC_OP_JWKS_ENDPOINT,
        ]
        if not all(url.startswith("https://") for url in _oidc_urls):
            problems.append("MAATWERK_OIDC_ISSUER and the OIDC endpoints must be https://")
        if len(OIDC_RP_CLIENT_SECRET) < 16:
            problems.append("MAATWERK_OIDC_CLIENT_SECRET is shorter than 16 chars")
        if not OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")):
            problems.append("MAATWERK_OIDC_SIGN_ALGO must be an asymmetric algorithm (RS/ES)")
        if not (MAATWERK_OIDC_MFA_ACR or MAATWERK_OIDC_MFA_AMR):
            problems.append("no MAATWERK_OIDC_MFA_ACR or _AMR: say which logins count as 2FA")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems) + ".")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "maatwerk.core",
    "maatwerk.accounts",
    "maatwerk.audit",
    "maatwerk.cases",
    "maatwerk.costs",
    "maatwerk.legal",
    "maatwerk.plans",
    "maatwerk.decisions",
    "maatwerk.cooperation",
    "maatwerk.followup",
    "maatwerk.signals",
    "maatwerk.library",
    "maatwerk.partners",
    "maatwerk.api",
    "maatwerk.workspace",
    "maatwerk.privacy",
    "maatwerk.demo",
]

MIDDLEWARE = [
    "maatwerk.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "maatwerk.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "maatwerk.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "maatwerk.core.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "maatwerk.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "maatwerk.core.overflow.OverflowAsNotFoundMiddleware",
]

ROOT_URLCONF = "maatwerk.conf.urls"
WSGI_APPLICATION = "maatwerk.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "maatwerk.workspace.context_processors.navigation",
            ],
        },
    }
]
# The cache (CACHE_URL): shared by every worker process when it is Redis (redis://host:6379/0,
# Django's own backend, which needs the `redis` package) or the database (db://table, after
# `manage.py createcachetable`); locmem:// (the default) is per process, fine for one process
# in development and tests. The partner API's rate limit counts in it, so with several worker
# processes it must be shared (docs/partners.md); `check --deploy` warns otherwise.
CACHES = {"default": _cache_from_url(env("CACHE_URL", "locmem://"))}
# Every select's empty choice reads "Kies …", not Django's "---------" (core/forms.py).
FORM_RENDERER = "maatwerk.core.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        # A kept connection may have been dropped (database restart, failover, idle timeout):
        # check it before a request's first query and reconnect, instead of answering 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a command writes; a busy timeout avoids "locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # The signal report's covering index (cases.Obstacle) carries non-key columns on
    # PostgreSQL; SQLite keeps the index on its key columns, which is all it needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, unless MAATWERK_LOCAL_LOGIN is off.
    "maatwerk.accounts.oidc.LocalPasswordBackend",
    # Does nothing unless MAATWERK_OIDC_ISSUER is set.
    "maatwerk.accounts.oidc.OIDCBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failures (django-axes): per username and address.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Open Maatwerk"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "build" / "staticfiles"
# Uploaded files (an organisation's logo). They are read by the server (embedded in the plan
# document), never served from a URL.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STATICFILES_DIRS = [SRC_DIR / "static", BASE_DIR / "build" / "vendor"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Security headers. Production is HTTPS-only; development stays on plain http://127.0.0.1.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=IS_PRODUCTION)
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_HSTS_SECONDS = 31536000 if IS_PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_HSTS_PRELOAD = IS_PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "maatwerk.core.views.csrf_failure"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Content-Security-Policy: no inline scripts anywhere (see core.middleware).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated call gets 401 with a WWW-Authenticate header.
        "maatwerk.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["maatwerk.api.permissions.PersonOrScopedClient"],
    "DEFAULT_SCHEMA_CLASS": "maatwerk.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "maatwerk.api.pagination.BoundedLimitOffsetPagination",
    "DEFAULT_PARSER_CLASSES": [
        "maatwerk.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "maatwerk.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Open Maatwerk API",
    "DESCRIPTION": "API of Open Maatwerk. Same access rules as the pages: need-to-know per team.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the npm package swagger-ui-dist, copied to build/vendor/swagger-ui
    # (Makefile) and served as our own static files: the CSP blocks any CDN. The page's
    # template (api/swagger_ui.html) names the files itself; these keep drf-spectacular's own
    # views off the CDN too. No Redoc view is served.
    "SWAGGER_UI_DIST": STATIC_URL + "swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": STATIC_URL + "swagger-ui/favicon-32x32.png",
    # No deep links: they put a link inside each operation's toggle button (nested controls
    # that a keyboard and screen reader cannot tell apart; axe "nested-interactive").
    # No separate "Schemas" list at the bottom either: each operation shows its own schema,
    # and the collapsed list's titles overlap their toggles on a phone (axe cannot tell their
    # contrast there).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "defaultModelsExpandDepth": -1},
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets used by several serializers get one stable name each.
    "ENUM_NAME_OVERRIDES": {
        "LifeDomainEnum": "maatwerk.core.domains.LifeDomain",
        "OrganisationTypeEnum": "maatwerk.cases.models.OrganisationType",
        "ApplierEnum": "maatwerk.legal.models.Applier",
        "CaseStatusEnum": "maatwerk.cases.models.Case.Status",
        "PlanStatusEnum": "maatwerk.plans.models.Plan.Status",
        # A request and its escalation share one set of statuses (draft, sent, answered, …).
        "CooperationStatusEnum": "maatwerk.cooperation.models.RequestStatus",
        # Follow-up: why not measured (other apps have a "reason" of their own).
        "NotMeasuredReasonEnum": "maatwerk.followup.models.FollowUp.Reason",
        # A signal's status, also its history's from/to status.
        "SignalStatusEnum": "maatwerk.signals.models.Status",
        # Follow-up outcomes, also an example's outcome in the library.
        "OutcomeCodeEnum": "maatwerk.followup.models.Outcome.Code",
        "ExampleStatusEnum": "maatwerk.library.models.Example.Status",
        # A plan's cost line and an example's cost line: cost or forgone income.
        "CostLineKindEnum": "maatwerk.plans.models.LineKind",
    },
}

LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "maatwerk.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "maatwerk.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django logs full request lines with query strings on 4xx/5xx; those can carry
        # search terms with names. Our own request logger records the path only.
        "django.request": {"handlers": [], "level": "ERROR", "propagate": True},
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
        "axes": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@openmaatwerk.invalid")
# Where people reach the application: e-mails link to it with absolute addresses.
MAATWERK_BASE_URL = env("MAATWERK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Deadlines in working days (a decision step's deadline) skip weekends and the Dutch public
# holidays, which are computed (maatwerk.core.holidays; docs/decisions.md, "Deadlines").
# MAATWERK_HOLIDAYS adds the organisation's own days off: comma-separated ISO dates, e.g.
# "2026-12-24,2026-12-31". MAATWERK_LIBERATION_DAY says whether 5 May is a day off every year
# ("yearly", the default: the Algemene termijnenwet and the municipal collective agreement) or
# only in lustrum years ("lustrum": 2025, 2030, ...).
try:
    MAATWERK_HOLIDAYS = sorted(_holidays.parse_dates(env_list("MAATWERK_HOLIDAYS")))
except ValueError as e:
    raise ImproperlyConfigured(f"MAATWERK_HOLIDAYS: {e}") from None
MAATWERK_LIBERATION_DAY = env("MAATWERK_LIBERATION_DAY", _holidays.YEARLY)
if MAATWERK_LIBERATION_DAY not in _holidays.LIBERATION_DAY_CHOICES:
    raise ImproperlyConfigured("MAATWERK_LIBERATION_DAY must be 'yearly' or 'lustrum'")

# Development and tests serve static files straight from the source folders.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION

# Follow-up (maatwerk.followup): the +6 and +12 moments lie this many months after the end of a
# plan's action, e.g. MAATWERK_FOLLOWUP_OFFSETS="6,12" (the default). The default of every
# organisation whose functional administrator set none (followup.OrganisationSettings).
try:
    MAATWERK_FOLLOWUP_OFFSETS = tuple(int(v) for v in env_list("MAATWERK_FOLLOWUP_OFFSETS", "6,12"))
except ValueError:
    raise ImproperlyConfigured("MAATWERK_FOLLOWUP_OFFSETS: two whole numbers of months") from None
if len(MAATWERK_FOLLOWUP_OFFSETS) != 2 or not 0 < MAATWERK_FOLLOWUP_OFFSETS[0] < 600:
    raise ImproperlyConfigured("MAATWERK_FOLLOWUP_OFFSETS: two whole numbers of months")
# A follow-up still not recorded this many days after it came due appears on the task list of
# the team lead of the case's team too (the default, as the offsets above).
try:
    MAATWERK_FOLLOWUP_GRACE_DAYS = int(env("MAATWERK_FOLLOWUP_GRACE_DAYS", "14"))
except ValueError:
    raise ImproperlyConfigured("MAATWERK_FOLLOWUP_GRACE_DAYS: a whole number of days") from None

# Small-number suppression (maatwerk.core.small_numbers; docs/signals.md): inside the
# organisation a cell shows from MAATWERK_SMALL_NUMBER_INSIDE distinct households (default 5);
# outside it (public page, national export) from MAATWERK_SMALL_NUMBER_OUTSIDE (default 10),
# with euro sums only when no household holds more than MAATWERK_DOMINANCE_PERCENT % (default
# 30). Values may be stricter, never laxer: below the floors the site refuses to start.
try:
    MAATWERK_SMALL_NUMBER_INSIDE = int(
        env("MAATWERK_SMALL_NUMBER_INSIDE", str(_small_numbers.INSIDE_DEFAULT))
    )
    MAATWERK_SMALL_NUMBER_OUTSIDE = int(
        env("MAATWERK_SMALL_NUMBER_OUTSIDE", str(_small_numbers.OUTSIDE_DEFAULT))
    )
    MAATWERK_DOMINANCE_PERCENT = int(
        env("MAATWERK_DOMINANCE_PERCENT", str(_small_numbers.DOMINANCE_DEFAULT))
    )
except ValueError:
    raise ImproperlyConfigured(
        "MAATWERK_SMALL_NUMBER_*, MAATWERK_DOMINANCE_PERCENT: whole numbers"
    ) from None
_small_problems = _small_numbers.check_thresholds(
    inside=MAATWERK_SMALL_NUMBER_INSIDE,
    outside=MAATWERK_SMALL_NUMBER_OUTSIDE,
    dominance_percent=MAATWERK_DOMINANCE_PERCENT,
)
if _small_problems:
    raise ImproperlyConfigured("Small-number thresholds: " + "; ".join(_small_problems) + ".")

# Partner signals (maatwerk.partners; docs/partners.md). A signal from the same partner about
# the same person within this many months of an earlier handled one, whose amount has not
# risen, is closed as "herhaalde melding" (default 3). Each partner API client may make
# MAATWERK_PARTNER_RATE requests (a batch is one request; DRF rate syntax, default 120/min);
# the counter lives in the cache (CACHES: configure a shared one for several processes).
try:
    MAATWERK_EARLY_SIGNAL_REPEAT_MONTHS = int(env("MAATWERK_EARLY_SIGNAL_REPEAT_MONTHS", "3"))
except ValueError:
    raise ImproperlyConfigured("MAATWERK_EARLY_SIGNAL_REPEAT_MONTHS: a whole number") from None
if not 0 <= MAATWERK_EARLY_SIGNAL_REPEAT_MONTHS <= 24:
    raise ImproperlyConfigured("MAATWERK_EARLY_SIGNAL_REPEAT_MONTHS: 0 to 24 months")
MAATWERK_PARTNER_RATE = env("MAATWERK_PARTNER_RATE", "120/min")
MAATWERK_EARLY_SIGNAL_BATCH_MAX = 1000
# Triage: crisis and end-of-supply signals are due within 3 working days; others within this
# many weeks of arrival (default 4).
try:
    MAATWERK_EARLY_SIGNAL_TRIAGE_WEEKS = int(env("MAATWERK_EARLY_SIGNAL_TRIAGE_WEEKS", "4"))
except ValueError:
    raise ImproperlyConfigured("MAATWERK_EARLY_SIGNAL_TRIAGE_WEEKS: a whole number") from None
if not 1 <= MAATWERK_EARLY_SIGNAL_TRIAGE_WEEKS <= 26:
    raise ImproperlyConfigured("MAATWERK_EARLY_SIGNAL_TRIAGE_WEEKS: 1 to 26 weeks")

# Unusual reads of personal data (maatwerk.privacy; docs/privacy.md): the privacy officer's
# report names a user who, within the last MAATWERK_PRIVACY_DAYS days, read at least
# MAATWERK_PRIVACY_OUTSIDE_CASES distinct cases of teams they are not in, or made at least
# MAATWERK_PRIVACY_NIGHT_READS reads between the hours MAATWERK_PRIVACY_NIGHT ("22-6", local time).
try:
    _night_start, _night_end = (int(v) for v in env("MAATWERK_PRIVACY_NIGHT", "22-6").split("-"))
    MAATWERK_PRIVACY_THRESHOLDS = {
        "days": int(env("MAATWERK_PRIVACY_DAYS", "30")),
        "outside_cases": int(env("MAATWERK_PRIVACY_OUTSIDE_CASES", "20")),
        "night_start": _night_start,
        "night_end": _night_end,
        "night_reads": int(env("MAATWERK_PRIVACY_NIGHT_READS", "5")),
    }
except ValueError:
    raise ImproperlyConfigured(
        "MAATWERK_PRIVACY_*: whole numbers; MAATWERK_PRIVACY_NIGHT as two hours, e.g. 22-6"
    ) from None
# The answer to a request for access (AVG art. 15) lists who viewed the person's data by date
# and role; with MAATWERK_ACCESS_EXPORT_NAMES=true also by name (the organisation's choice).
MAATWERK_ACCESS_EXPORT_NAMES = env_bool("MAATWERK_ACCESS_EXPORT_NAMES", False)
# Destruction: the person data of a signal never picked up is destroyed this many months after
# it arrived (`manage.py destroy_expired_signals`, default 6); an anonymous tombstone stays.
try:
    MAATWERK_EARLY_SIGNAL_RETENTION_MONTHS = int(env("MAATWERK_EARLY_SIGNAL_RETENTION_MONTHS", "6"))
except ValueError:
    raise ImproperlyConfigured("MAATWERK_EARLY_SIGNAL_RETENTION_MONTHS: a whole number") from None
if not 1 <= MAATWERK_EARLY_SIGNAL_RETENTION_MONTHS <= 24:
    raise ImproperlyConfigured("MAATWERK_EARLY_SIGNAL_RETENTION_MONTHS: 1 to 24 months")
