"""Settings shared by every environment. Safe by default: no debug, no secret in the repo."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from celery.schedules import crontab

from ops.logs import logging_config

from .env import (
    BASE_DIR,
    database_settings,
    email_settings,
    env_bool,
    env_int,
    env_list,
    env_str,
    load_dotenv_file,
)

load_dotenv_file()

VAR_DIR = BASE_DIR / "var"
SITE_DIR = BASE_DIR / "site"

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
# The site's public address: every absolute URL it emits (pages, sitemap, feeds, robots.txt,
# calendar files, emails) starts with it, and the default Wagtail Site record follows it (a
# migration, load_demo and preflight set its host and port). WAGTAILADMIN_BASE_URL, which
# named it before, is still read when SITE_URL is not set.
SITE_URL = (
    env_str("SITE_URL") or env_str("WAGTAILADMIN_BASE_URL") or "http://127.0.0.1:8000"
).rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Project apps first so that their templates and translations win.
    "core",
    "ops",
    "mailing",
    "home",
    "programs",
    "members",
    "news",
    "legal",
    "subscriptions",
    "newsletters",
    "reminders",
    "registrations",
    "pagecache",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    # After wagtail.admin, whose English moderation emails its ready() disconnects, and before
    # wagtail, whose publish_scheduled command it wraps.
    "editorial",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "anymail",
    "csp",
    "axes",
    "django_ratelimit",
    "django_guid",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "ops.middleware.RequestIdMiddleware",
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "ops.middleware.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Right after static files: a cached page skips sessions, CSRF and authentication.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "editorial.middleware.ActingUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Wagtail's, asked only when a redirect starts from the path (no query for other 404s).
    "pagecache.redirects.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": database_settings(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` writes to one file from three processes (web server, Celery worker, beat).
    # WAL lets readers go on while one connection writes; the timeout makes a writer wait for
    # the lock instead of failing; IMMEDIATE takes the write lock when a transaction begins,
    # because a deferred one that has read and then writes while another process holds the
    # lock fails at once ("database is locked"), whatever the timeout. Options given in the
    # URL's query string win.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: in-process unless CACHE_URL points at Redis.
_cache_url = env_str("CACHE_URL")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "pagecache.redis.ReusingRedisCache", "LOCATION": _cache_url}
        if _cache_url.startswith(("redis://", "rediss://", "unix://"))
        # Large enough that the page cache's tag times are never culled (see pagecache.tags).
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    )
}

# Wagtail keeps rendition URLs in the "renditions" cache, else in "default" for its five minutes:
# the renditions made ahead at upload, publication and load_demo (core.images) would be gone by
# the first visit, which would then read them from the database, image by image. The same store,
# with a month's expiry: under memory pressure the eviction policy drops them as any entry.
RENDITIONS_CACHE_TIMEOUT = 30 * 24 * 60 * 60
CACHES["renditions"] = {**CACHES["default"], "TIMEOUT": RENDITIONS_CACHE_TIMEOUT}

# django-ratelimit counts in the default cache (ops.ratelimit) and checks that it suits.
# pagecache.redis.ReusingRedisCache is Django's RedisCache, whose incr is Redis's atomic INCR,
# which its check does not know (W001). In-process memory counts per process (E003): enough
# for a local run; production refuses to start without a Redis CACHE_URL.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003"]
# A cache that does not answer lets the request through, as before django-ratelimit: a Redis
# restart must not turn every sign-up away (the limits are a brake on abuse, not a lock).
RATELIMIT_FAIL_OPEN = True

# --- Full-page cache for anonymous visitors (see pagecache/), invalidated by tags, never stale.
PAGECACHE_ENABLED = env_bool("PAGECACHE_ENABLED", True)
PAGECACHE_TIMEOUT = env_int("PAGECACHE_TIMEOUT", 24 * 60 * 60)
# Pieces of pages (header, footer, home page sections) kept by the same tags, so that a page
# the cache cannot serve (a visitor with a session, a new query string, just after a change
# elsewhere) is rendered faster; independent of PAGECACHE_ENABLED.
PAGECACHE_FRAGMENTS = env_bool("PAGECACHE_FRAGMENTS", True)
# The query parameters pages read, each of which makes its own cached variant of a page:
# pagination everywhere, the residents' directory filters (members.forms.MemberFilterForm),
# the news tag (news.forms.ArticleFilterForm) and the programme kind (ProgramIndexPage).
# Any other parameter bypasses the cache, except the tracking ones below, which it ignores.
PAGECACHE_QUERY_PARAMETERS = env_list(
    "PAGECACHE_QUERY_PARAMETERS", "page,trade,space,artisan,tag,type"
)
PAGECACHE_IGNORED_PARAMETERS = env_list(
    "PAGECACHE_IGNORED_PARAMETERS",
    "utm_*,fbclid,gclid,gbraid,wbraid,dclid,msclkid,yclid,twclid,ttclid,igshid,"
    "mc_cid,mc_eid,_ga,_gl,mtm_*,pk_*",
)
# Query variants of one page kept at a time (a page without query string always is).
PAGECACHE_MAX_VARIANTS = env_int("PAGECACHE_MAX_VARIANTS", 50)
# A deploy sets it to its version; empty means a fingerprint of the code and templates.
PAGECACHE_RELEASE = env_str("PAGECACHE_RELEASE")
# A CDN in front of the site is purged through Wagtail's frontend cache (off by default): set
# WAGTAILFRONTENDCACHE to its JSON configuration, e.g. {"cdn": {"BACKEND": "...", ...}}.
WAGTAILFRONTENDCACHE = json.loads(env_str("WAGTAILFRONTENDCACHE") or "{}")
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
# How long a purged CDN may keep a page (pages that only mention a changed page are not purged).
PAGECACHE_CDN_MAX_AGE = env_int("PAGECACHE_CDN_MAX_AGE", 300 if WAGTAILFRONTENDCACHE else 0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- French everywhere a person reads.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Both are read before the apps' catalogues. site/locale holds the project's own strings
# (`make makemessages` rewrites it); site/wagtail_locale corrects Wagtail's French by hand.
LOCALE_PATHS = [SITE_DIR / "locale", SITE_DIR / "wagtail_locale"]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"

# --- Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / env_str("STATIC_ROOT", "var/static")
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / env_str("MEDIA_ROOT", "var/media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Email: a file outbox under var/outbox/ unless EMAIL_URL names a server.
globals().update(email_settings(env_str("EMAIL_URL"), VAR_DIR / "outbox"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Le Carburateur <bonjour@lecarburateur.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: an embedded filesystem broker under var/ unless CELERY_BROKER_URL names Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Without this, kombu writes its broadcast (control) files into the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # A message is invisible to other workers for this long after delivery; it must exceed
    # the longest task, or Redis hands the same message to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY", 3600)}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connection before and after every task unless this
# is set: each outbox email paid a new PostgreSQL connection (a server process forked, the
# login, the session set up). Kept across this many tasks; config/celery.py still closes one
# that failed or outlived CONN_MAX_AGE before each task, as Django does between requests.
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# When the broker connection drops (Redis restarted), running tasks go on to their end instead
# of being cancelled (Celery 6's announced default): a newsletter chunk cancelled between the
# SMTP server's 250 and its ledger write would send that message twice. Their messages come
# back and run again harmlessly; the database, not the queue, says what is left to send.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Wagtail's go-live and expiry dates, without cron.
    "publish-scheduled": {
        "task": "home.tasks.publish_scheduled_pages",
        "schedule": 60.0,
    },
    # The outbox's safety net: emails whose drain task never came (broker down, message lost
    # with a killed worker) or whose attempt failed (mailing.tasks, registered under its first
    # name so that running schedules keep working).
    "newsletters-drain-outbox": {
        "task": "newsletters.tasks.drain_outbox",
        "schedule": float(env_int("NEWSLETTERS_OUTBOX_DRAIN_SECONDS", 60)),
    },
    # Contest-vote reminders: due slots are handed out within this many seconds of their time.
    "newsletters-contest-reminders": {
        "task": "newsletters.reminders.dispatch_contest_reminders",
        "schedule": float(env_int("NEWSLETTERS_REMINDERS_SECONDS", 180)),
    },
    # Reminders of the events people registered for (the day before, the morning of).
    "reminders-event-reminders": {
        "task": "reminders.dispatch_event_reminders",
        "schedule": float(env_int("REMINDERS_EVENTS_SECONDS", 180)),
    },
    # Weekday mornings (CELERY_TIMEZONE is Europe/Paris): what has waited over a day.
    "editorial-chamber-digest": {
        "task": "editorial.tasks.send_chamber_digest",
        "schedule": crontab(hour=8, minute=30, day_of_week="mon-fri"),
    },
    # Starts scheduled newsletter sends and picks up any whose chunk messages were lost.
    "newsletters-tick-sends": {
        "task": "newsletters.tasks.tick_sends",
        "schedule": float(env_int("NEWSLETTERS_TICK_SECONDS", 15)),
    },
    # Subscriber imports whose task never reached the broker are queued again.
    "subscriptions-requeue-stalled-imports": {
        "task": "subscriptions.tasks.requeue_stalled_imports",
        "schedule": float(env_int("SUBSCRIPTIONS_REQUEUE_IMPORTS_SECONDS", 60)),
    },
    # Nightly (Europe/Paris): sign-ups never confirmed are forgotten after a while.
    "newsletters-purge-unconfirmed": {
        "task": "newsletters.tasks.purge_unconfirmed_signups",
        "schedule": crontab(hour=4, minute=15),
    },
    # Organisers' messages to an event's registrants whose task never ran or died half-way
    # are finished (their ledger mails nobody twice).
    "registrations-resume-messages": {
        "task": "registrations.messages.resume_registrant_messages",
        "schedule": float(env_int("REGISTRATIONS_RESUME_MESSAGES_SECONDS", 300)),
    },
    # Nightly (Europe/Paris): attendees of events past REGISTRATIONS_RETENTION_MONTHS are
    # anonymised (registrations.privacy).
    "registrations-anonymise": {
        "task": "registrations.tasks.anonymise_past_registrations",
        "schedule": crontab(hour=4, minute=30),
    },
    # A worker records it (in the cache, or the database when the cache is in-process);
    # /readyz reads it to know beat and workers are alive.
    "ops-heartbeat": {
        "task": "ops.tasks.heartbeat",
        "schedule": float(env_int("OPS_HEARTBEAT_SECONDS", 30)),
    },
}
# Task modules autodiscovery (``<app>.tasks``) does not find.
CELERY_IMPORTS = ("registrations.messages",)
CELERY_BEAT_SCHEDULE_FILENAME = env_str(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(VAR_DIR / "celerybeat-schedule")
)

# --- Wagtail's own background tasks (search index updates, renditions, cache purges)
# run through Celery too, by way of a small django-tasks backend.
TASKS = {"default": {"BACKEND": "home.task_backend.CeleryBackend"}}

# --- Wagtail.
WAGTAIL_SITE_NAME = "Le Carburateur"
# The admin's address in emails to editors; SITE_URL unless the admin has a host of its own.
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL") or SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "avif", "bmp": "webp", "webp": "webp"}
# Every image's renditions are made ahead of the first visit (core.images): by a task when an
# image is saved or a page published, and by load_demo before it returns. The tests turn it
# off where they do not look at renditions: it costs seconds of AVIF encoding an image.
RENDITIONS_AHEAD = env_bool("RENDITIONS_AHEAD", True)
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Avatars come from uploads only: nothing in the admin is loaded from another host.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_COMMENTS_ENABLED = True
# Editorial chain (editorial/): a workflow publishes the revision it approved, an edit after an
# approval needs approving again, and the moderation emails are the app's own, in French.
WAGTAIL_FINISH_WORKFLOW_ACTION = "editorial.workflows.publish_approved_revision"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
EDITORIAL_DIGEST_AFTER_HOURS = env_int("EDITORIAL_DIGEST_AFTER_HOURS", 24)
# The page type a joint page names as its partner (editorial.mixins.JointContentMixin): named
# here so that the editorial app, below the page apps, does not import them.
EDITORIAL_PARTNER_PAGE_TYPE = "programs.PartnerPage"
# The organisation told to search engines (core.structured_data): its address and contacts are
# site settings, owned by the home app above the page apps that mention it.
STRUCTURED_DATA_ORGANIZATION = "home.structured_data.organization"

# --- Registrations for events.
# Months after an event's end before its attendees' details (name, address, phone, answers) are
# anonymised by the nightly task; the counts and check-ins stay. The privacy page shows it.
REGISTRATIONS_RETENTION_MONTHS = env_int("REGISTRATIONS_RETENTION_MONTHS", 12)

# --- Newsletters.
# Key for the hashes that identify addresses in the suppression list and consent ledger. Set it
# in production and never change it: a new key would make every erased address mailable again.
# Empty means "derive from SECRET_KEY".
NEWSLETTERS_HASH_KEY = env_str("NEWSLETTERS_HASH_KEY")
# Where the public links in emails point (confirmation, preferences, one-click unsubscribe);
# empty means SITE_URL, which should be the case: set it only to send readers elsewhere.
NEWSLETTERS_BASE_URL = env_str("NEWSLETTERS_BASE_URL")
# A sign-up not confirmed within this many days is deleted, with its emails (nightly task).
NEWSLETTERS_PURGE_UNCONFIRMED_DAYS = env_int("NEWSLETTERS_PURGE_UNCONFIRMED_DAYS", 30)
# Sign-up attempts allowed per client address and per email address, in a window of seconds.
NEWSLETTERS_RATE_LIMITS = {
    "ip": (env_int("NEWSLETTERS_RATE_LIMIT_IP", 20), 3600),
    "email": (env_int("NEWSLETTERS_RATE_LIMIT_EMAIL", 3), 3600),
}
# Uploaded CSV files wait here until the import task has read them.
NEWSLETTERS_IMPORT_DIR = VAR_DIR / "imports"
# "Envoyer un test" also goes to these addresses (comma-separated in the environment).
NEWSLETTERS_TEST_ADDRESSES = env_list("NEWSLETTERS_TEST_ADDRESSES")
# Sending a newsletter issue: messages a second across all workers (0 = no limit), recipients
# per Celery task, and what to do with refusals.
NEWSLETTERS_SEND_RATE = env_int("NEWSLETTERS_SEND_RATE", 20)
NEWSLETTERS_CHUNK_SIZE = env_int("NEWSLETTERS_CHUNK_SIZE", 250)
NEWSLETTERS_MAX_ATTEMPTS = env_int("NEWSLETTERS_MAX_ATTEMPTS", 6)
NEWSLETTERS_RETRY_BASE_SECONDS = env_int("NEWSLETTERS_RETRY_BASE_SECONDS", 60)
NEWSLETTERS_SUPPRESS_AFTER_FAILURES = env_int("NEWSLETTERS_SUPPRESS_AFTER_FAILURES", 2)
# A worker owns the deliveries it claimed for this long (renewed while it works); the rows of
# a worker that died are sent again once it runs out. Must exceed EMAIL_TIMEOUT by far.
NEWSLETTERS_DELIVERY_LEASE_SECONDS = env_int("NEWSLETTERS_DELIVERY_LEASE_SECONDS", 300)
# The same for an outbox email (mailing.models.claim_duration).
NEWSLETTERS_OUTBOX_CLAIM_SECONDS = env_int("NEWSLETTERS_OUTBOX_CLAIM_SECONDS", 600)
# A running send whose workers have been silent this long gets its chunks dispatched again.
NEWSLETTERS_STALL_SECONDS = env_int("NEWSLETTERS_STALL_SECONDS", 120)
# The throttle is shared by every worker through this Redis; empty means the broker when it is
# Redis, else the database.
NEWSLETTERS_THROTTLE_REDIS_URL = env_str("NEWSLETTERS_THROTTLE_REDIS_URL")
# The List-Id header names each topic under this domain (RFC 2919).
NEWSLETTERS_LIST_ID_DOMAIN = env_str("NEWSLETTERS_LIST_ID_DOMAIN", "lettres.lecarburateur.fr")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# --- Reminders (contest votes, registered events: see docs/reminders.md).
# A worker that dies while sending a reminder slot frees it after this many seconds.
REMINDERS_RUN_LEASE_SECONDS = env_int("REMINDERS_RUN_LEASE_SECONDS", 300)
# Event reminders, Marseille time: the day before at this hour, and (when the event page asks
# for it) the morning of at this hour, if the event starts after it.
REMINDERS_EVENT_EVE_TIME = env_str("REMINDERS_EVENT_EVE_TIME", "18:00")
REMINDERS_EVENT_MORNING_TIME = env_str("REMINDERS_EVENT_MORNING_TIME", "08:00")

# --- Bounce and complaint webhooks of the sending services (django-anymail), at /anymail/.
ANYMAIL = {"WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET")}
# The services whose webhooks are routed (anymail names: postmark, mailgun, amazon_ses...);
# empty means none. Each needs ANYMAIL_WEBHOOK_SECRET: calls without it are refused.
NEWSLETTERS_ESP_WEBHOOKS = env_list("NEWSLETTERS_ESP_WEBHOOKS")

# --- Health: /readyz fails when the last heartbeat is older than this.
OPS_HEARTBEAT_STALE_SECONDS = env_int(
    "OPS_HEARTBEAT_STALE_SECONDS", 4 * env_int("OPS_HEARTBEAT_SECONDS", 30)
)

# --- Content-Security-Policy (django-csp). The public pages load only their own files.
# Embedded videos (EmbedBlock) are the one exception: their frames come from the video host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": [
            "'self'",
            *env_list(
                "CSP_FRAME_SRC",
                "https://www.youtube.com,https://www.youtube-nocookie.com,https://player.vimeo.com",
            ),
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The Wagtail admin is not CSP-ready yet (inline scripts and styles, eval in some choosers,
# blob: previews of uploads, its own preview in a frame): it gets this looser policy instead
# (ops.middleware.SiteCSPMiddleware), still limited to the site's own host.
CSP_ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")
CSP_ADMIN_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", *CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"][1:]],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}

# --- Admin login throttling (django-axes): five failures for one username from one address
# lock that pair out for a quarter of an hour; the lockout page is in French.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "ops/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # failures are kept; a log of every successful login is not
# Admin password resets (each sends an email) allowed an hour per client address and per
# email address; past them the same page answers and nothing is sent (ops.accounts).
PASSWORD_RESET_RATE_LIMITS = {
    "ip": (env_int("PASSWORD_RESET_RATE_LIMIT_IP", 10), 3600),
    "email": (env_int("PASSWORD_RESET_RATE_LIMIT_EMAIL", 2), 3600),
}

# --- Registrations for events (registrations app).
# A seat freed by a cancellation goes to the first person waiting, who is emailed, until this
# many hours before the start; later nobody could count on being told in time, so the seat is
# simply free for whoever registers next.
REGISTRATIONS_PROMOTION_CUTOFF_HOURS = env_int("REGISTRATIONS_PROMOTION_CUTOFF_HOURS", 24)
# Registration attempts allowed an hour per client address (each one may send an email), as
# the newsletter sign-up's limit; past it the visitor gets the "too many attempts" page.
REGISTRATIONS_RATE_LIMIT_IP = env_int("REGISTRATIONS_RATE_LIMIT_IP", 20)

# --- Request ids (django-guid): the proxy's X-Request-ID, else a new 32-hex one, returned in
# the response. Not checked as a UUID: proxies send other ids, and ops.middleware drops any
# that could break a log line before django-guid reads it.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": False,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
}

# --- Logs: JSON lines when LOG_FORMAT=json (production's default); addresses always masked.
LOGGING = logging_config(env_str("LOG_LEVEL", "INFO"), env_str("LOG_FORMAT", "text") == "json")
