"""zhijia settings: one file, every value from the environment through small typed helpers.

Environment:
  ZHIJIA_DATA_DIR   data directory (SQLite database, uploads, generated keys); default ./var
  DATABASE_URL      postgres://user:pass@host:port/db switches to PostgreSQL
  ZHIJIA_SECRET_KEY Django secret key; generated into the data directory when unset
  ZHIJIA_DEBUG      1 for development
  ZHIJIA_ALLOWED_HOSTS  comma-separated; default localhost names
  ZHIJIA_HTTPS      1 when served over HTTPS (secure cookies, redirect, HSTS, proxy header)
  ZHIJIA_SMTP_HOST/PORT/USER/PASSWORD/TLS, ZHIJIA_MAIL_FROM  e-mail delivery
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DATA_DIR = Path(env_str("ZHIJIA_DATA_DIR", "var")).resolve()


def _owner_only(path: Path, mode: int) -> None:
    """Give `path` (ours) exactly `mode` when it allows more: an installation made before the
    data directory was private is tightened at the next start."""
    info = path.stat()
    if info.st_uid == os.getuid() and info.st_mode & 0o777 & ~mode:
        path.chmod(mode)


# The data directory holds the database, the uploads and the keys: the service's user alone
# reads it (0700), whatever the umask (docs/security.md, "Deployment hardening").
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
_owner_only(DATA_DIR, 0o700)


def _private_database(path: Path) -> None:
    """Create the SQLite database file 0600 before SQLite does (SQLite would create it 0644
    less the umask). SQLite gives its -wal and -shm files the database file's mode, so all
    three are the service user's alone; zhijia.core.apps re-asserts it on every connection."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    _owner_only(path, 0o600)


def _key_file(name: str, make) -> str:
    """Read a key kept in the data directory, creating it (mode 600) on first use."""
    path = DATA_DIR / name
    if not path.exists():
        # Written aside and linked into place: processes starting together (the test workers)
        # never read a half-written key, and the first one's key wins.
        tmp = DATA_DIR / f".{name}.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(make())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


SECRET_KEY = env_str("ZHIJIA_SECRET_KEY") or _key_file(
    "secret_key", lambda: secrets.token_urlsafe(50)
)
# Keys for field encryption (身份证号, later counseling notes). Comma-separated, newest first,
# so old keys can be rotated out. Kept apart from SECRET_KEY: leaking one does not leak both.
FIELD_ENCRYPTION_KEYS = env_list("ZHIJIA_FIELD_KEYS", []) or [
    _key_file("field_key", lambda: secrets.token_urlsafe(32))
]

DEBUG = env_bool("ZHIJIA_DEBUG", False)
# Under pytest, pages render without a collected static manifest.
TESTING = "pytest" in sys.modules
ALLOWED_HOSTS = env_list("ZHIJIA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("ZHIJIA_CSRF_TRUSTED_ORIGINS", [])
# A form sent from a page open too long: the site's page saying to reload and send again.
CSRF_FAILURE_VIEW = "zhijia.core.views_errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "zhijia.core.staticfiles.StaticFiles",  # django.contrib.staticfiles (API docs tuning)
    "django.contrib.humanize",
    "django_htmx",
    # Only for its templates and static files: the API's docs page is then served from here
    # (no CDN, no inline script), within the Content-Security-Policy below.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "zhijia.core",
    "zhijia.accounts",
    "zhijia.org",
    "zhijia.voting",
    "zhijia.congress",
    "zhijia.cases",
    "zhijia.services",
    "zhijia.safety",
    "zhijia.disclosure",
    "zhijia.assistance",
    "zhijia.notices",
    "zhijia.bargaining",
    "zhijia.women",
    "zhijia.homes",
    "zhijia.dashboard",
]
# Under pytest only: concrete test models for the shared mechanisms (zhijia/core/tests/testapp).
if TESTING:
    INSTALLED_APPS.append("zhijia.core.tests.testapp")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhijia.accounts.middleware.AnonymousPathsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "zhijia.accounts.middleware.IdleTimeoutMiddleware",
    "zhijia.accounts.middleware.RequireTwoFactorMiddleware",
    "zhijia.accounts.middleware.RequirePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhijia.urls"
WSGI_APPLICATION = "zhijia.wsgi.application"

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
                "zhijia.core.context_processors.navigation",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT: PostgreSQL compiles a plan's expressions (30-40 ms) once its estimated cost is
    # high, which the global search's capped plans reach over a million entries; the site's
    # queries are short, the compilation is never repaid.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c jit=off".strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "zhijia.sqlite3"),
            # Persistent connections: closing the last connection makes SQLite checkpoint the
            # WAL, which costs ~14 ms a write on this machine when done after every request.
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=10000;"
                ),
                "timeout": 10,
                # Writers take the lock at BEGIN, so two writers never deadlock on upgrade.
                "transaction_mode": "IMMEDIATE",
            },
            "TEST": {"NAME": DATA_DIR / "test.sqlite3"},
        }
    }
    _private_database(DATA_DIR / "zhijia.sqlite3")
DB_IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "zhijia.accounts.backends.LoginBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Minimum lengths by role are applied in zhijia.accounts.passwords (12 cadres/admins, 8 members).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zhijia.accounts.passwords.RoleMinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zhijia.accounts.passwords.PersonalDataValidator"},
]
ZHIJIA_PASSWORD_MIN_MEMBER = env_int("ZHIJIA_PASSWORD_MIN_MEMBER", 8)
ZHIJIA_PASSWORD_MIN_STAFF = env_int("ZHIJIA_PASSWORD_MIN_STAFF", 12)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout (zhijia.accounts.lockout, docs/security.md "Sign-in lockout"): 5 failures lock the
# account for the client that made them (address from core.throttle.client_address) for 30
# min; ACCOUNT_FAILURES from all clients together lock it for every client without a
# trusted-device cookie (a browser that signed in before), so nobody locks the owner out.
AXES_FAILURE_LIMIT = env_int("ZHIJIA_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ZHIJIA_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "zhijia.core.throttle.axes_client_ip"
AXES_HANDLER = "zhijia.accounts.lockout.LockoutHandler"
ZHIJIA_LOCKOUT_ACCOUNT_FAILURES = env_int("ZHIJIA_LOCKOUT_ACCOUNT_FAILURES", 50)
AXES_USERNAME_CALLABLE = "zhijia.accounts.backends.axes_username"
AXES_LOCKOUT_CALLABLE = "zhijia.accounts.views.signin.locked_out"
AXES_RESET_ON_SUCCESS = True
# Attempts refused during a lockout do not push its end back: "retry after 14:35" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# axes.W006 looks for a bare "ip_address" parameter; ours is combined with the username (a bare
# address would lock a whole factory behind one NAT address out of every account).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Activation and forgotten passwords (zhijia.accounts.actions.activation): one-time codes by SMS
# (minutes) or printed on an activation slip (days); wrong tries lock the account key after
# ACTIVATION_FAILURES and the client address after ACTIVATION_IP_FAILURES, for LOCK_MINUTES.
ZHIJIA_ACTIVATION_SMS_MINUTES = env_int("ZHIJIA_ACTIVATION_SMS_MINUTES", 10)
ZHIJIA_ACTIVATION_SLIP_DAYS = env_int("ZHIJIA_ACTIVATION_SLIP_DAYS", 30)
ZHIJIA_ACTIVATION_FAILURES = env_int("ZHIJIA_ACTIVATION_FAILURES", 5)
ZHIJIA_ACTIVATION_IP_FAILURES = env_int("ZHIJIA_ACTIVATION_IP_FAILURES", 30)
ZHIJIA_ACTIVATION_LOCK_MINUTES = env_int("ZHIJIA_ACTIVATION_LOCK_MINUTES", 30)
# A member may ask for a new SMS code once per interval, and for at most SMS_PER_DAY a day.
ZHIJIA_ACTIVATION_SMS_INTERVAL_SECONDS = env_int("ZHIJIA_ACTIVATION_SMS_INTERVAL_SECONDS", 60)
ZHIJIA_ACTIVATION_SMS_PER_DAY = env_int("ZHIJIA_ACTIVATION_SMS_PER_DAY", 10)

# Idle timeouts in minutes by the strongest role a user holds.
ZHIJIA_IDLE_MINUTES = {
    "admin": env_int("ZHIJIA_IDLE_MINUTES_ADMIN", 15),
    "cadre": env_int("ZHIJIA_IDLE_MINUTES_CADRE", 30),
    # Staff who read sensitive files (cases, counseling, department answers) time out like cadres.
    "handler": env_int("ZHIJIA_IDLE_MINUTES_CADRE", 30),
    "mediator": env_int("ZHIJIA_IDLE_MINUTES_CADRE", 30),
    "counselor": env_int("ZHIJIA_IDLE_MINUTES_CADRE", 30),
    "viewer": env_int("ZHIJIA_IDLE_MINUTES_CADRE", 30),
    "member": env_int("ZHIJIA_IDLE_MINUTES_MEMBER", 60 * 24 * 7),
}
# Pages and API endpoints of the anonymous channels (the grievance box, anonymous counseling
# questions, joining): the session is read-only there (accounts.middleware.
# AnonymousPathsMiddleware), so the visitor's session row is not touched at the moment they
# write anonymously. Prefixes; an entry ending in "$" is matched exactly.
ZHIJIA_ANONYMOUS_PATHS = [
    "/cases/box/",
    "/services/counseling/ask/",
    "/services/counseling/follow/",
    "/org/join/$",
    "/org/join/status/",
    "/api/v1/cases/box",
    "/api/v1/services/counseling/questions",
    "/api/v1/org/join$",
    "/api/v1/org/join/status",
]
# Roles that must sign in with a second factor: the administrator, and the counselor, who reads
# counseling notes (a password alone, which an administrator can reset, must not open them),
# and the women workers' committee, who reads pregnancy and birth registrations (health data).
ZHIJIA_REQUIRE_2FA_ROLES = env_list(
    "ZHIJIA_REQUIRE_2FA_ROLES", ["admin", "counselor", "women_committee"]
)
# An administrator's reset of the password of an account holding one of these roles takes
# effect only when a second, different administrator approves it (the admin console). "none"
# (a role nobody holds) switches it off; an empty value means the default. Cadres are in it
# because they review hardship files: with a password she set, an administrator could enrol
# her own authenticator on the cadre's account and pass the second factor those files need
# (zhijia.core.permissions, two_factor codes).
ZHIJIA_RESET_APPROVAL_ROLES = env_list(
    "ZHIJIA_RESET_APPROVAL_ROLES", ["counselor", "women_committee", "cadre"]
)
OTP_TOTP_ISSUER = "zhijia"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# ZHIJIA_HTTPS=1: the site is reached over HTTPS only, through a reverse proxy that terminates
# TLS (`zhijia serve` speaks plain HTTP on loopback). Then cookies are sent over HTTPS only,
# plain HTTP is redirected to HTTPS, browsers are told to use HTTPS for a year (HSTS, with
# subdomains and preload consent: a union's site has no plain-HTTP subdomain to keep), and the
# proxy's X-Forwarded-Proto tells Django that a request came over HTTPS. The proxy must set
# that header itself (overwriting any a client sent); name another header, or none when TLS
# reaches gunicorn directly, with ZHIJIA_PROXY_SSL_HEADER. `zhijia manage check --deploy`
# reports nothing under these settings (tests/test_deploy_hardening.py).
HTTPS = env_bool("ZHIJIA_HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("ZHIJIA_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("ZHIJIA_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ZHIJIA_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("ZHIJIA_HSTS_PRELOAD", True)
_PROXY_SSL_HEADER = env_str("ZHIJIA_PROXY_SSL_HEADER", "X-Forwarded-Proto" if HTTPS else "")
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy on every response (django-csp): scripts, styles, images, fonts and
# connections from this site only, no inline <script>/<style>/style=""/on*="" (templates are
# checked by scripts/check_rules.py), no plugins, no framing, forms post back here only. QR
# codes are inline <svg> elements; data: images are allowed for the API docs page. Responses
# that set their own policy keep it (attachments: sandbox); PDFs shown inline carry none (the
# browser's PDF viewer is a page of its own that inline styles and a plugin make).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- static and uploads -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Uploads live outside the web root and are only served through permission checks.
        "OPTIONS": {"location": str(DATA_DIR / "uploads"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING or env_bool("ZHIJIA_PLAIN_STATIC", False)
            else "zhijia.core.staticfiles.Storage"  # WhiteNoise's compressed manifest storage
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded files (grievance evidence, hardship documents) are the service user's alone.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
ZHIJIA_ATTACHMENT_MAX_BYTES = env_int("ZHIJIA_ATTACHMENT_MAX_MB", 20) * 1024 * 1024

# --- background tasks and notifications -------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("ZHIJIA_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = env_int("ZHIJIA_SMTP_PORT", 25)
EMAIL_HOST_USER = env_str("ZHIJIA_SMTP_USER")
EMAIL_HOST_PASSWORD = env_str("ZHIJIA_SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("ZHIJIA_SMTP_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("ZHIJIA_MAIL_FROM", "zhijia@localhost")
# Channels beyond the in-app inbox: "console" (development), "email", "webhook", "sms",
# "wecom", "dingtalk" (group robots).
ZHIJIA_NOTIFY_CHANNELS = env_list("ZHIJIA_NOTIFY_CHANNELS", ["console"])
# core.notify: a worker's claim on a delivery (longer than any send), retries, and the URL each
# of the channels posts to: webhook/sms a JSON relay the union runs, wecom/dingtalk the group
# robot's webhook (企业微信 ...webhook/send?key=..., 钉钉 ...robot/send?access_token=...).
ZHIJIA_NOTIFY_LEASE_SECONDS = env_int("ZHIJIA_NOTIFY_LEASE_SECONDS", 300)
ZHIJIA_NOTIFY_MAX_ATTEMPTS = env_int("ZHIJIA_NOTIFY_MAX_ATTEMPTS", 6)
ZHIJIA_NOTIFY_WEBHOOK_URLS = {
    ch: env_str(f"ZHIJIA_NOTIFY_WEBHOOK_{ch.upper()}")
    for ch in ("webhook", "sms", "wecom", "dingtalk")
    if env_str(f"ZHIJIA_NOTIFY_WEBHOOK_{ch.upper()}")
}
# 钉钉 robot with "加签" security: its secret ("SEC..."), which signs every request.
ZHIJIA_NOTIFY_DINGTALK_SECRET = env_str("ZHIJIA_NOTIFY_DINGTALK_SECRET")
# Kinds of notification the group robots post (prefixes, e.g. "disclosure.,congress."). A robot
# speaks to a whole group, so nothing is posted there unless listed: most notifications are
# personal ("您的诉求已受理") and must not reach a group. Empty: the robots post nothing.
ZHIJIA_NOTIFY_ROBOT_KINDS = env_list("ZHIJIA_NOTIFY_ROBOT_KINDS", [])
# The notification channel that carries SMS (activation codes): "sms" (the JSON relay of
# ZHIJIA_NOTIFY_WEBHOOK_SMS) when that relay is configured, else "console" (development).
ZHIJIA_SMS_CHANNEL = env_str(
    "ZHIJIA_SMS_CHANNEL", "sms" if "sms" in ZHIJIA_NOTIFY_WEBHOOK_URLS else "console"
)
# Prefix for links in e-mails and webhooks, e.g. https://zhijia.example.org (no trailing /).
ZHIJIA_SITE_URL = env_str("ZHIJIA_SITE_URL")

# --- online joining (网上入会) -------------------------------------------------------------------
ZHIJIA_JOIN_REVIEW_WORKDAYS = env_int("ZHIJIA_JOIN_REVIEW_WORKDAYS", 10)  # 分工会审核期限（工作日）
# Applications one client address may submit per hour (spam brake; a dormitory NAT shares one).
ZHIJIA_JOIN_SUBMITS_PER_HOUR = env_int("ZHIJIA_JOIN_SUBMITS_PER_HOUR", 20)
# Refused applications are deleted this many days after the answer (the notice promises it).
ZHIJIA_JOIN_REFUSED_KEEP_DAYS = env_int("ZHIJIA_JOIN_REFUSED_KEEP_DAYS", 365)
# 审计日志保存天数: the worker purges audit events older than this, oldest first, and records the
# purge as an event of the chain (zhijia.core.audit.purge_expired). Never less than 180 days
# (等保 2.0 asks for six months; a smaller value counts as 180); 0 keeps the log forever.
ZHIJIA_AUDIT_RETENTION_DAYS = env_int("ZHIJIA_AUDIT_RETENTION_DAYS", 3 * 365)

# --- congress proposals (提案) and inspection tours; deadlines in working days ------------------
ZHIJIA_PROPOSAL_MIN_COSIGNERS = env_int("ZHIJIA_PROPOSAL_MIN_COSIGNERS", 1)  # 附议人数下限
ZHIJIA_PROPOSAL_REVIEW_WORKDAYS = env_int("ZHIJIA_PROPOSAL_REVIEW_WORKDAYS", 10)  # 审查期限
ZHIJIA_PROPOSAL_HANDLING_WORKDAYS = env_int("ZHIJIA_PROPOSAL_HANDLING_WORKDAYS", 30)  # 办理期限
ZHIJIA_PROPOSAL_REOPEN_WORKDAYS = env_int("ZHIJIA_PROPOSAL_REOPEN_WORKDAYS", 15)  # 不满意重办
ZHIJIA_PROPOSAL_SUPERVISE_WORKDAYS = env_int("ZHIJIA_PROPOSAL_SUPERVISE_WORKDAYS", 5)  # 督办期限
ZHIJIA_PROPOSAL_MAX_SUPERVISION = env_int("ZHIJIA_PROPOSAL_MAX_SUPERVISION", 5)
ZHIJIA_PROPOSAL_REMIND_WORKDAYS = env_int("ZHIJIA_PROPOSAL_REMIND_WORKDAYS", 3)
ZHIJIA_RECTIFICATION_WORKDAYS = env_int("ZHIJIA_RECTIFICATION_WORKDAYS", 20)  # 巡视整改期限
# 基层职工监督员反映情况的答复期限（工作日）
ZHIJIA_OBSERVATION_ANSWER_WORKDAYS = env_int("ZHIJIA_OBSERVATION_ANSWER_WORKDAYS", 10)
# 每年的巡视和检查至少为一至两次: the yearly minimum of inspection tours per term year; the
# congress office is reminded in the last month of a year that has fewer.
ZHIJIA_CONGRESS_MIN_TOURS_PER_YEAR = env_int("ZHIJIA_CONGRESS_MIN_TOURS_PER_YEAR", 1)
# 领导接待日: the working days a tracked item of a reception (an outcome needing action) has.
ZHIJIA_CONGRESS_RECEPTION_ITEM_WORKDAYS = env_int("ZHIJIA_CONGRESS_RECEPTION_ITEM_WORKDAYS", 15)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("ZHIJIA_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- receipt codes of anonymous submissions (zhijia.core.receipts) -----------------------------
# Wrong codes allowed per client address and scope in one window; past them that client is
# refused (right codes included) until the window ends.
ZHIJIA_RECEIPT_FAILURES = env_int("ZHIJIA_RECEIPT_FAILURES", 10)
ZHIJIA_RECEIPT_WINDOW_SECONDS = env_int("ZHIJIA_RECEIPT_WINDOW_SECONDS", 15 * 60)
# Where the brakes count (zhijia.core.throttle): "database" (core.ThrottleWindow, shared by all
# processes, kept across restarts) or a CACHES alias with an atomic incr (Redis).
ZHIJIA_RECEIPT_CACHE = env_str("ZHIJIA_RECEIPT_CACHE", "database")
# Wrong codes from all clients together per window and scope: past them the union is under a
# spread-out guessing run, and each client is allowed only RECEIPT_FAILURES_UNDER_ATTACK wrong
# codes a window. A right code is never refused for it (a client over its own limit is).
ZHIJIA_RECEIPT_GLOBAL_FAILURES = env_int("ZHIJIA_RECEIPT_GLOBAL_FAILURES", 200)
ZHIJIA_RECEIPT_FAILURES_UNDER_ATTACK = env_int("ZHIJIA_RECEIPT_FAILURES_UNDER_ATTACK", 2)
# Wrong tries of one code (joining: the code with a wrong phone ending) per window, from any
# clients: past them that code is refused until the window ends.
ZHIJIA_RECEIPT_CODE_FAILURES = env_int("ZHIJIA_RECEIPT_CODE_FAILURES", 10)

# --- who the client is (zhijia.core.throttle.client_address) -----------------------------------
# Behind a reverse proxy: the header it writes the client address into ("X-Forwarded-For",
# "X-Real-IP") and how many proxies of ours append to it. Unset: REMOTE_ADDR only (never trust
# the header when no proxy of ours strips what the client sent).
ZHIJIA_TRUSTED_PROXY_HEADER = env_str("ZHIJIA_TRUSTED_PROXY_HEADER")
ZHIJIA_TRUSTED_PROXY_HOPS = env_int("ZHIJIA_TRUSTED_PROXY_HOPS", 1)
# cases: working days a grievance's next level gets after an escalation, days the worker has
# to rate an answer (then it closes itself), and how early the deadline reminder goes out.
ZHIJIA_CASE_ESCALATION_WORKDAYS = env_int("ZHIJIA_CASE_ESCALATION_WORKDAYS", 5)
ZHIJIA_CASE_RATING_WORKDAYS = env_int("ZHIJIA_CASE_RATING_WORKDAYS", 10)
ZHIJIA_CASE_REMIND_WORKDAYS = env_int("ZHIJIA_CASE_REMIND_WORKDAYS", 1)

# --- counseling (services) and hazards (safety) -------------------------------------------------
# A worker may cancel a booking until this many hours before it starts; reminders go out this
# many hours before; a worker holds at most this many upcoming individual appointments.
ZHIJIA_COUNSELING_CANCEL_HOURS = env_int("ZHIJIA_COUNSELING_CANCEL_HOURS", 2)
ZHIJIA_COUNSELING_REMIND_HOURS = env_int("ZHIJIA_COUNSELING_REMIND_HOURS", 24)
ZHIJIA_COUNSELING_MAX_UPCOMING = env_int("ZHIJIA_COUNSELING_MAX_UPCOMING", 2)
# Working days to assign a reported hazard, default days to rectify it, and to verify the fix.
ZHIJIA_HAZARD_ASSIGN_WORKDAYS = env_int("ZHIJIA_HAZARD_ASSIGN_WORKDAYS", 2)
ZHIJIA_HAZARD_RECTIFY_WORKDAYS = env_int("ZHIJIA_HAZARD_RECTIFY_WORKDAYS", 10)
ZHIJIA_HAZARD_VERIFY_WORKDAYS = env_int("ZHIJIA_HAZARD_VERIFY_WORKDAYS", 3)

# --- satisfaction ---------------------------------------------------------------------------------
# Working days the unit's cadres have to call back a worker who rated a service 不满意.
ZHIJIA_FOLLOW_UP_WORKDAYS = env_int("ZHIJIA_FOLLOW_UP_WORKDAYS", 5)

# --- affairs disclosure ---------------------------------------------------------------------------
# Working days to answer a worker's question, and the extra days the next level gets after an
# unanswered question escalates.
ZHIJIA_DISCLOSURE_ANSWER_WORKDAYS = env_int("ZHIJIA_DISCLOSURE_ANSWER_WORKDAYS", 5)
ZHIJIA_DISCLOSURE_ESCALATION_WORKDAYS = env_int("ZHIJIA_DISCLOSURE_ESCALATION_WORKDAYS", 3)
