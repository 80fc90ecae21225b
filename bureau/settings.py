"""Settings for the bureau's online-public-opinion office.

Everything comes from the environment (see .env.example). ``DEBUG`` says which of three ways:

- unset (``make run``, the tests): the office on one machine. Users see the office's own error
  pages; plain HTTP cookies, the demo app. With no ``DATABASE_URL`` it is the embedded office:
  SQLite and a filesystem Celery broker under var/, e-mail printed to the console, and a secret
  key generated once into var/secret_key.
- ``DEBUG=1``: the same, plus Django's debug pages, for a developer who asks for them.
- ``DEBUG=0`` (docker compose sets it): production. HTTPS-only cookies, HSTS, the SSL redirect,
  compressed static files, and a ``SECRET_KEY`` that must be given.
"""

import os
import secrets
from datetime import date, timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

# Debug pages only when a developer asks for them (DEBUG=1): the embedded default is used by the
# office too, and must show its own Chinese error pages, never a traceback or the URL list.
DEBUG = env.bool("DEBUG", default=False)
# Production is asked for explicitly (DEBUG=0); anything else is one machine over plain HTTP.
LOCAL = env.str("DEBUG", default="") == "" or DEBUG
# No database named: the embedded office (SQLite under var/).
EMBEDDED = not env.str("DATABASE_URL", default="")


def _embedded_secret_key() -> str:
    """The embedded office's key: made once, kept in var/ (readable by its owner only), so sessions
    survive a restart and no two installations share a key."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process (worker, beat) made it first
            pass
        else:
            with os.fdopen(descriptor, "w") as key_file:
                key_file.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


_DEV_SECRET_KEY = "development-key-not-for-production"  # noqa: S105 - one machine only; production demands a real one
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if LOCAL and EMBEDDED and not DEBUG:
        SECRET_KEY = _embedded_secret_key()
    elif LOCAL:
        SECRET_KEY = _DEV_SECRET_KEY
    else:
        raise environ.ImproperlyConfigured("SECRET_KEY must be set in production (DEBUG=0).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_celery_beat",
    "bureau",
    "archive",
    "proofing",
    "opinions",
    "publicity",
    "assignments",
    "events",
    "alerts",
    "reports",
]

# The demo office and the load generators (seed_demo, generate_load): on in the embedded default,
# off in production unless asked for (a training copy of the office, say).
DEMO_APP = env.bool("DEMO_APP", default=LOCAL)
if DEMO_APP:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bureau.middleware.SessionMaximumAgeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "bureau.middleware.LoginRequiredMiddleware",
    "bureau.middleware.LoginThrottleMiddleware",
    "bureau.middleware.NoCacheForUsersMiddleware",
    # Axes last, as its documentation asks: it answers locked-out logins itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bureau.urls"
WSGI_APPLICATION = "bureau.wsgi.application"

# Widgets are rendered with the project's templates, so templates/django/forms/widgets/ may
# override one (the select's empty choice reads （请选择）, not "---------").
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bureau.context_processors.office",
                "reports.context_processors.todo",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'office.sqlite3'}"),
}
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=30_000)
DB_LOCK_TIMEOUT_MS = env.int("DB_LOCK_TIMEOUT_MS", default=10_000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": env.int("DB_CONNECT_TIMEOUT", default=5),
            # A runaway query or a stuck lock fails with an error page instead of hanging a worker.
            "options": f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS} -c lock_timeout={DB_LOCK_TIMEOUT_MS}",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # SQLite, the embedded office used by several people at once, with the worker writing too.
    # WAL lets pages read while someone writes; IMMEDIATE takes the write lock when a transaction
    # starts, so a second writer waits for the busy timeout instead of failing at once with
    # "database is locked" when it tries to upgrade a read lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        }
    )
    # The tests' database is a file too, not Django's default in-memory one: that one is shared
    # between threads through SQLite's shared cache, whose table locks fail at once with "database
    # table is locked" instead of waiting for the busy timeout, so the tests of two people acting
    # at once (threads) failed there while the office itself would have made the second one wait.
    # On a file they take the office's own locks (WAL, IMMEDIATE, busy timeout). It sits beside the
    # office's, named as PostgreSQL's test database is (var/test_office.sqlite3); pytest-django adds
    # the xdist process's name (test_office.sqlite3_gw0, _gw1: one file each); each run makes it
    # afresh and Django deletes it at the end (tests/conftest.py, ``django_db_keepdb``).
    office_file = Path(DATABASES["default"]["NAME"])
    if office_file.name and str(office_file) != ":memory:":
        DATABASES["default"]["TEST"] = {"NAME": str(office_file.with_name(f"test_{office_file.name}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each process's own memory: what is kept there (the menu badge, the dashboard's sums over the
# stored daily rows) is keyed by the state it was computed in (the archive's head, the refresh
# that wrote the rows), so a process that has not seen a key computes it, and no process can
# serve another's stale value. Nothing needs a shared cache.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "office",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

# --- Authentication -------------------------------------------------------------------------------
AUTH_USER_MODEL = "bureau.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Paths reachable without logging in; everything else redirects to the login page.
LOGIN_EXEMPT_PATHS = ["/accounts/login/", "/healthz", "/i18n/setlang/", "/static/", "/favicon.ico"]
if DEMO_APP:
    LOGIN_EXEMPT_PATHS.append("/demo/feeds/")  # read by the office's own poller, which has no login
    LOGIN_EXEMPT_PATHS.append("/demo/robot/")  # the demo chat robot: the alerts outbox posts to it

# Lock-out: per username *at one client address*. Five wrong passwords for a name from one machine
# lock that name on that machine for 15 minutes (guessing stops), while its owner at their own
# machine still logs in with the right password (nobody can lock a colleague out from elsewhere).
# The address is REMOTE_ADDR (bureau.auth.client_ip), never a forgeable header; where the whole
# office reaches us through one NAT address, this is the per-username lock-out it was before.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "bureau.auth.client_ip"
AXES_VERBOSE = False
# Throttle per client address, whatever the names (bureau/auth.py): after 30 failed logins from one
# address within 15 minutes, logins from that address are refused until the oldest of them leave the
# window. High enough that an office behind one NAT address is never shut out by people mistyping
# (each name locks itself at 5, so 30 takes six people locked at once, or someone trying many
# names); low enough that guessing random names stays at 2 tries a minute. 0 turns it off.
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=30)
LOGIN_ADDRESS_WINDOW_MINUTES = env.int("LOGIN_ADDRESS_WINDOW_MINUTES", default=15)

SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
# The idle timeout counts from the last request, but the session is not rewritten on every one:
# bureau.middleware.SessionMaximumAgeMiddleware renews it at most once per SESSION_RENEW_SECONDS.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=60)
SESSION_MAXIMUM_AGE_SECONDS = env.int("SESSION_MAXIMUM_AGE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

OFFICE_NAME = env.str("OFFICE_NAME", default="")  # empty: the translated default name
# The bureau as it signs documents (the 落款 of the annual summary); empty: the translated default.
BUREAU_NAME = env.str("BUREAU_NAME", default="")
# The first day the office keeps records for: earlier dates are refused (bureau/bounds.py).
OFFICE_RECORDS_SINCE = date.fromisoformat(env.str("OFFICE_RECORDS_SINCE", default="2015-01-01"))

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if LOCAL
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# On one machine WhiteNoise serves static files straight from the source folders (no collectstatic),
# also when DEBUG is off and runserver serves none.
WHITENOISE_USE_FINDERS = LOCAL
WHITENOISE_AUTOREFRESH = DEBUG
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "bureau.files.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# A filter's empty choice means "any": it reads 全部, not "---------".
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security headers ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not LOCAL)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not LOCAL)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not LOCAL)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if LOCAL else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not LOCAL)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not LOCAL)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Archive ------------------------------------------------------------------------------------
# The nightly chain check writes the chain's head (newest record, its hash, the count) here, outside
# the database, and the next check compares: deleting the newest records is then seen. Put it on
# another volume than the database's (the backup volume). Empty: no file.
ARCHIVE_ANCHOR_PATH = env.str("ARCHIVE_ANCHOR_PATH", default=str(VAR_DIR / "archive-head.txt"))

# --- Feeds -------------------------------------------------------------------------------------
# Hosts inside the network that feeds may be fetched from (a county intranet forum): every other
# feed address that resolves to a loopback, private or link-local address is refused, at every
# redirect (opinions/intake/fetch.py). Names or addresses, comma-separated. Default: none.
# The demo office's feeds are served by the office itself on this machine: allowed explicitly.
OPINIONS_FEED_ALLOWED_HOSTS = env.list("OPINIONS_FEED_ALLOWED_HOSTS", default=["127.0.0.1"] if DEMO_APP else [])
# Each fetch of a feed: seconds to connect, between two reads, and for the whole download (the
# shortest poll interval is 60 s, so a stuck server never holds the feed worker past the next poll);
# the largest download and the most redirects followed (each hop checked against private addresses).
OPINIONS_FEED_CONNECT_TIMEOUT = env.float("OPINIONS_FEED_CONNECT_TIMEOUT", default=5.0)
OPINIONS_FEED_READ_TIMEOUT = env.float("OPINIONS_FEED_READ_TIMEOUT", default=10.0)
OPINIONS_FEED_TOTAL_TIMEOUT = env.float("OPINIONS_FEED_TOTAL_TIMEOUT", default=30.0)
OPINIONS_FEED_MAX_BYTES = env.int("OPINIONS_FEED_MAX_BYTES", default=20 * 1024 * 1024)
OPINIONS_FEED_MAX_REDIRECTS = env.int("OPINIONS_FEED_MAX_REDIRECTS", default=3)
# Where the demo channels find those feeds: the address `make run` serves on.
DEMO_FEED_BASE = env.str("DEMO_FEED_BASE", default="http://127.0.0.1:8000")

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="opinion-office@bureau.local")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# A worker that claimed an e-mail and died is taken over after this long (bureau.notifications).
NOTIFICATION_CLAIM_SECONDS = env.int("NOTIFICATION_CLAIM_SECONDS", default=300)
# Alerts (预警): the address the messages link to (the phone page), and the SMS gateway adapter.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
ALERTS_SMS_ADAPTER = env.str("ALERTS_SMS_ADAPTER", default="alerts.senders.ConsoleSmsAdapter")
# The county's HTTP SMS gateway, with ALERTS_SMS_ADAPTER=alerts.senders.HttpSmsGateway (README
# "Alerts"): its address, the office's account and secret (never logged), the body as a JSON object
# whose strings may name {account} {secret} {phone} {text} {key} {timestamp}, sent as "json" or
# "form"; extra headers the same way; a header to carry the hex HMAC-SHA256 of the body keyed with
# the secret (empty: no signature); the answer's success and rate-limit codes as path=value[,value];
# seconds to wait; hosts inside the network the gateway may be on (others must be public).
ALERTS_SMS_GATEWAY_URL = env.str("ALERTS_SMS_GATEWAY_URL", default="")
ALERTS_SMS_GATEWAY_ACCOUNT = env.str("ALERTS_SMS_GATEWAY_ACCOUNT", default="")
ALERTS_SMS_GATEWAY_SECRET = env.str("ALERTS_SMS_GATEWAY_SECRET", default="")
ALERTS_SMS_GATEWAY_BODY = env.str(
    "ALERTS_SMS_GATEWAY_BODY",
    default=(
        '{"account": "{account}", "password": "{secret}", "mobile": "{phone}", "content": "{text}", "msgid": "{key}"}'
    ),
)
ALERTS_SMS_GATEWAY_FORMAT = env.str("ALERTS_SMS_GATEWAY_FORMAT", default="json")
ALERTS_SMS_GATEWAY_HEADERS = env.str("ALERTS_SMS_GATEWAY_HEADERS", default="{}")
ALERTS_SMS_GATEWAY_SIGN_HEADER = env.str("ALERTS_SMS_GATEWAY_SIGN_HEADER", default="")
ALERTS_SMS_GATEWAY_SUCCESS = env.str("ALERTS_SMS_GATEWAY_SUCCESS", default="code=0")
ALERTS_SMS_GATEWAY_RATE_LIMITED = env.str("ALERTS_SMS_GATEWAY_RATE_LIMITED", default="")
ALERTS_SMS_GATEWAY_TIMEOUT = env.float("ALERTS_SMS_GATEWAY_TIMEOUT", default=10.0)
ALERTS_SMS_GATEWAY_ALLOWED_HOSTS = env.list("ALERTS_SMS_GATEWAY_ALLOWED_HOSTS", default=[])

# --- Celery -------------------------------------------------------------------------------------
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost/")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
    }
else:
    # The broker must never hold a page up. Publishing happens in on_commit hooks of web requests
    # (notification_create), and a failed publish costs nothing: the outbox sweep sends the e-mail.
    # So a publish to a dead Redis gives up within about 2 seconds (measured with kombu 5.7):
    # - connection refused (Redis stopped): fails at once, ~0.1 s;
    # - no answer to the connect (host gone, packets dropped): socket_connect_timeout per attempt,
    #   and CELERY_BROKER_CONNECTION_TIMEOUT caps all attempts together at 2 s;
    # - connected but no reply (Redis hung, half-open connection): socket_timeout, 2 s.
    # Without socket_timeout redis-py waits forever on a hung server. Workers and beat are not
    # hurt by these short timeouts: BRPOP waits through kombu's poller, not a blocking read, and a
    # worker that loses the connection reconnects (acks_late + visibility_timeout redeliver).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 1,
        "socket_timeout": 2,
        "max_retries": 1,
        # A task taken by a worker that was killed comes back after this; just over the hard time
        # limit, so interrupted work (a poll, the annual workbook) is redone within minutes, and a
        # task still running is never delivered twice (it is killed at CELERY_TASK_TIME_LIMIT).
        # The margin covers a slow acknowledgement after the limit; a minute unless set.
        "visibility_timeout": env.int("CELERY_TASK_TIME_LIMIT", default=300)
        + env.int("CELERY_REDELIVERY_MARGIN", default=60),
        # Workers look for such tasks every 10 s unless set (kombu's default looks only every 10th
        # time, so ~100 s); one small sorted-set query each time.
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": 1,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# One immediate retry covers a stale pooled connection after a Redis restart; more would only
# make a page wait longer when Redis is really down.
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Feed polls wait on other people's servers: they run on their own queue and worker ("feeds"), so
# a slow or hostile feed never holds up notices, deadline sweeps or the annual workbook (the
# default queue, "celery"). `make run` and docker compose start one worker for each.
CELERY_TASK_ROUTES = {"opinions.tasks.channel_poll_task": {"queue": "feeds"}}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Logging: one line per event ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"forbidden_without_traceback": {"()": "bureau.log_filters.ForbiddenWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # A 403 logs its WARNING line without the PermissionDenied traceback (on the logger, so
        # every handler, and a test's log capture, sees the record already cleared).
        "django.request": {"filters": ["forbidden_without_traceback"]},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# The office reaches us from one shared public address, so lock-out counts per username on
# purpose; counting per IP address would lock the whole office out at once.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The daily aggregates' unique keys treat an empty department or category as one value (NULLS
    # NOT DISTINCT), which SQLite cannot declare. Nothing relies on it there: the rows are only
    # ever written by one locked delete-and-insert per day.
    SILENCED_SYSTEM_CHECKS.append("models.W047")
