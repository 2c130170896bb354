"""OCOP Market settings: one module, every value read from the environment (12-factor).

Development: `make run` sets DEBUG=1 and needs nothing else (SQLite under var/, tasks inline,
console email). Production: set DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL.
"""
import secrets
import sys
import warnings
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F401,F403  (Oscar's OSCAR_* defaults, overridden below)

from shop.order import statuses as order_statuses
from shop.partner.menu import producer_menu_access

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is read when present (never committed: see .gitignore).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Management commands that only read the code (models, translation catalogues) and never sign,
# serve or store anything: they may run without SECRET_KEY (CI checks, a fresh checkout).
_CODE_ONLY_COMMANDS = {"makemigrations", "makemessages", "compilemessages"}

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and sys.argv[1:2] and sys.argv[1] in _CODE_ONLY_COMMANDS and Path(sys.argv[0]).name == "manage.py":
    SECRET_KEY = secrets.token_urlsafe(50)  # throwaway: nothing signed with it outlives the command
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG=0) refuses to start without it: "
            "export SECRET_KEY to a long random string."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_ID = 1
# The public host name, for absolute links in e-mails (see shop.apps.sync_site).
SITE_DOMAIN_FROM_ENV = "SITE_DOMAIN" in env.ENVIRON
SITE_DOMAIN = env.str("SITE_DOMAIN", default="127.0.0.1:8000")

# ---------------------------------------------------------------------------- apps
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    # Oscar, with the apps we extend forked under shop/ (same app labels as Oscar's).
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "shop.address.apps.AddressConfig",
    "shop.shipping.apps.ShippingConfig",
    "shop.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "shop.partner.apps.PartnerConfig",
    "shop.basket.apps.BasketConfig",
    "shop.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "shop.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "shop.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "shop.dashboard.orders.apps.OrdersDashboardConfig",
    "shop.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "shop.dashboard.offers.apps.OffersDashboardConfig",
    "shop.dashboard.partners.apps.PartnersDashboardConfig",
    "shop.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "shop.dashboard.ocop.apps.OcopDashboardConfig",
    "shop.dashboard.settlement.apps.SettlementDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    # OCOP Market's own capabilities.
    "catalog_ext.apps.CatalogExtConfig",
    "listing.apps.ListingConfig",
    "showrooms.apps.ShowroomsConfig",
    "pickups.apps.PickupsConfig",
    "storefront.apps.StorefrontConfig",
    "django.contrib.sitemaps",
    "pos.apps.PosConfig",
    "notifications.apps.NotificationsConfig",
    "privacy.apps.PrivacyConfig",
    "banking.apps.BankingConfig",
    "carriers.apps.CarriersConfig",
    "settlement.apps.SettlementConfig",
    "producer_portal.apps.ProducerPortalConfig",
    "demo.apps.DemoConfig",
    "auditlog",  # security: the audit log (issue 20), read-only in /admin/
    "audit.apps.AuditConfig",  # who may change rights (superusers only) and what is audited
    "shop.apps.ShopProjectConfig",
    # Security (README, "Security"). FORM_RENDERER finds Django's widget templates through django.forms.
    "django.forms",
    "csp",
    "axes",  # last, as django-axes asks
]

MIDDLEWARE = [
    "core.request_id.RequestIdMiddleware",  # resilience: first, so every response and log line has the id
    "django.middleware.security.SecurityMiddleware",
    "core.csp.CSPMiddleware",  # django-csp's, its policy built once (issue 21); right after security: its header goes on every response, cached pages' too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.language.ChosenLanguageMiddleware",  # Vietnamese unless English was chosen (?lang=, the switch)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.middleware.RightsActorMiddleware",  # security: only superusers change rights, on every path
    "auditlog.middleware.AuditlogMiddleware",  # security: the audit log records who made each change
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.basket.middleware.BasketMiddleware",  # Oscar's, keeping the offers it found (the basket page reused them)
    "privacy.access_log.StaffAccessLogMiddleware",  # staff reading customers' data, logged (Decree 13)
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "axes.middleware.AxesMiddleware",  # login lockout page; must be last
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "shop.context_processors.search_form",  # Oscar's, built only when a template reads it (issue 21)
                "oscar.apps.checkout.context_processors.checkout",
                "shop.context_processors.notifications",  # Oscar's count, read only when shown (issue 21)
                "oscar.core.context_processors.metadata",
                "csp.context_processors.nonce",  # {{ CSP_NONCE }}
            ],
            # security: `{{ text|clean_html }}` in every template without a {% load %} (core/html.py,
            # issue 20): typed rich text is printed through it, never with |safe.
            "builtins": ["core.html"],
        },
    }
]
# Widget templates from templates/ too (Oscar's image widget is overridden there for the CSP).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# ---------------------------------------------------------------------------- data
# WAL lets the server read while a command writes; a busy timeout instead of "locked". IMMEDIATE
# takes the write lock at BEGIN: with one transaction per request, two requests that read then
# write (Oscar's product-view counter, add to basket) would otherwise deadlock on the lock upgrade,
# and SQLite fails one at once instead of waiting (found by `make bench`).
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
_SUPPORTED_DATABASES = ("django.db.backends.postgresql", "django.db.backends.sqlite3")
try:
    with warnings.catch_warnings():  # environ warns, then fails below; we say it once, clearly
        warnings.simplefilter("ignore")
        DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
except Exception as exc:  # django-environ raises KeyError/ValueError on a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read ({exc!r}): use postgres://user@host:5432/name or sqlite:////abs/path") from None
if DATABASES["default"].get("ENGINE") not in _SUPPORTED_DATABASES:
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme is not supported (engine {DATABASES['default'].get('ENGINE')!r}): "
        "use postgres://user@host:5432/name or sqlite:////abs/path"
    )
# Oscar's checkout and dashboard assume one transaction per request.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Search: no JIT for this connection's queries. Page queries are short, but
    # a facet query over a search's 1,000 candidates is estimated above jit_above_cost and
    # PostgreSQL then spent 100-200 ms compiling it to run it in 40.
    # Prepared statements (listing.compiled: the cards' facts, a search's one statement) are
    # planned once per connection, with parameters the plan does not depend on: "auto" would plan
    # the search's anew at every run, its generic plan never estimated cheaper. Django's own
    # queries are never prepared (psycopg binds them client-side). The PL/pgSQL triggers' cached
    # statements (listing_searchrow, web prices) follow it too: a product's and its stock record's
    # update with their triggers took the same time either way (0.51-0.54 ms median, 400 products
    # at 100k, docs/speed.md "The afternoon").
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off -c plan_cache_mode=force_generic_plan")
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    # Reusing the connection skips the PRAGMA set-up on every request (4x on a bare page).
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# ---------------------------------------------------------------------------- cache and sessions (resilience)
# With Redis: django-redis, every failure a logged miss/no-op (core/redis_cache.py: fail fast, log once
# per outage), short timeouts, so pages keep answering while Redis is down. Sessions are cached_db:
# the database holds them (every replica sees them, a Redis failure loses none), Redis only saves the
# read, for at most SESSION_CACHE_SECONDS (core/sessions.py says why).
REDIS_URL = env.str("REDIS_URL", default="")
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.25)  # seconds; same host or LAN
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.5)
REDIS_RETRY_SECONDS = env.float("REDIS_RETRY_SECONDS", default=5.0)  # after a failure, calls skip Redis this long
if REDIS_URL:
    CACHES = {"default": {
        "BACKEND": "core.redis_cache.FailFastRedisCache",  # django-redis with a circuit breaker
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": REDIS_CONNECT_TIMEOUT,
            "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
            "IGNORE_EXCEPTIONS": True,
        },
    }}
else:
    # Cached cards and pages share it: Django's default of 300 entries would churn.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "OPTIONS": {"MAX_ENTRIES": 20000}}}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "shop.cache"
# Without Redis the cache is per process: a cached session would differ between gunicorn workers.
SESSION_ENGINE = "core.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=300)
# Whole catalogue pages for anonymous visitors (listing/page_cache.py). The test suite turns it
# off (tests/envdefaults.py): its tests read the view's context; tests/catalog_ext/speed turn it on.
OCOP_PAGE_CACHE = env.bool("OCOP_PAGE_CACHE", default=True)

# ---------------------------------------------------------------------------- auth
AUTHENTICATION_BACKENDS = (
    "shop.auth_throttle.ThrottledBackend",  # login throttling (below): first, so it sees every attempt
    # permissions only (signs nobody in): a user's permissions from the cache, never stale (issue 21)
    "shop.dashboard.permission_cache.CachedPermissionsBackend",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"
# Login throttling, django-axes 8: AXES_FAILURE_LIMIT failed logins for one username from one
# address lock that pair for AXES_COOLOFF_MINUTES, on every login form (shop, dashboard, /admin/,
# the counter's sign-in, which is the shop's). A success resets the count. The address is core.client_ip's (TRUSTED_PROXIES).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.client_ip.axes_client_ip"  # None, not a made-up value, without an address
AXES_USERNAME_CALLABLE = "shop.auth_throttle.username"  # "Khach@…" and "khach@…" count as one
AXES_LOCKOUT_CALLABLE = "shop.auth_throttle.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # the attempts are what locks; no row per successful login
AXES_VERBOSE = False

# ---------------------------------------------------------------------------- language, money
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Our own strings first, then our fill-ins for the gaps in Oscar's Vietnamese catalogue.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_oscar"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

OSCAR_DEFAULT_CURRENCY = "VND"
# VND has no minor unit; the shop shows "150.000 ₫" in every language (Vietnamese grouping).
OSCAR_CURRENCY_FORMAT = {"VND": {"format": "#,##0 ¤", "locale": "vi", "currency_digits": False}}

# ---------------------------------------------------------------------------- static, media
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Media on shared storage (resilience): with AWS_STORAGE_BUCKET_NAME, product photos and their thumbnails
# go to an S3 bucket (or an S3-compatible store: AWS_S3_ENDPOINT_URL, e.g. MinIO) that every web and
# worker replica sees; credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (read by boto3 from
# the environment, never written here). Without it, MEDIA_ROOT on local disk.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
        # Signed, expiring URLs (a private bucket) unless the bucket or its CDN is public.
        "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=True),
        "file_overwrite": False,  # two uploads of "photo.jpg" keep both
    }}
WHITENOISE_USE_FINDERS = DEBUG  # development: serve straight from static/ and the apps
WHITENOISE_AUTOREFRESH = DEBUG
# Media (product photos) is served by Django itself only when asked to: in development, and in a
# single-machine install where no object store or front proxy serves /media/.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)

# ---------------------------------------------------------------------------- Oscar
# Oscar deletes a photo's files in post_delete, before the commit: shop/thumbnails.py deletes them
# after it, so a rolled-back transaction keeps the row and its file.
OSCAR_DELETE_IMAGE_FILES = False
OSCAR_SHOP_NAME = "OCOP Sơn La"
OSCAR_SHOP_TAGLINE = _("OCOP products of Sơn La")
OSCAR_HOMEPAGE = "/"
OSCAR_ALLOW_ANON_CHECKOUT = True
# Order statuses and their moves: shop/order/statuses.py (Oscar enforces the pipeline).
OSCAR_ORDER_STATUS_PIPELINE = {status: list(moves) for status, moves in order_statuses.PIPELINE.items()}
OSCAR_ORDER_STATUS_CASCADE = {}
OSCAR_INITIAL_ORDER_STATUS = "Processing"  # the checkout sets the unpaid statuses itself
# Producers pack and ship their own lines (producer_portal/fulfilment.py).
OSCAR_LINE_STATUS_PIPELINE = {status: list(moves) for status, moves in order_statuses.LINE_PIPELINE.items()}
# An unpaid online order holds stock; past these limits shop.order.tasks.expire_unpaid_orders cancels it.
VIETQR_PAYMENT_HOURS = env.int("VIETQR_PAYMENT_HOURS", default=24)
CARD_PAYMENT_MINUTES = env.int("CARD_PAYMENT_MINUTES", default=60)  # Stripe sessions expire then too
# Days after delivery during which a shopper may ask to return a line (shop/order/lifecycle.py).
RETURN_WINDOW_DAYS = env.int("RETURN_WINDOW_DAYS", default=7)
# Showroom pick-ups (pickups/): the shopper is reminded after PICKUP_REMINDER_DAYS at the showroom,
# and an order still not collected PICKUP_HOLD_DAYS after it was ready is cancelled, its goods freed.
PICKUP_REMINDER_DAYS = env.int("PICKUP_REMINDER_DAYS", default=3)
PICKUP_HOLD_DAYS = env.int("PICKUP_HOLD_DAYS", default=7)
# A pick-up order whose goods have not all reached the showroom PICKUP_GOODS_DAYS after it was placed
# (the producer never brought them) is cancelled the same way, its units free again.
PICKUP_GOODS_DAYS = env.int("PICKUP_GOODS_DAYS", default=7)
# No postcode: few Vietnamese addresses carry one (shop/address/postcodes.py).
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line4", "country")
OSCAR_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OCOP Sơn La <no-reply@ocop-sonla.example>")
OSCAR_PRODUCTS_PER_PAGE = 24
# Standard delivery is free from this basket total (đồng; shop/shipping/methods.py).
FREE_SHIPPING_THRESHOLD = env.int("FREE_SHIPPING_THRESHOLD", default=500000)
# Producers' money (settlement/): the office's commission when no rule says otherwise (percent), who
# bears shipping ("office": the office keeps the shopper's shipping charge and pays carriers;
# "producer": each producer is credited its share, by line value) and the percent of a card-paid
# online line debited to its producer as the payment fee (0: the office bears card fees).
SETTLEMENT_DEFAULT_COMMISSION_PERCENT = env.str("SETTLEMENT_DEFAULT_COMMISSION_PERCENT", default="10")
SETTLEMENT_SHIPPING_BORNE_BY = env.str("SETTLEMENT_SHIPPING_BORNE_BY", default="office")
SETTLEMENT_PAYMENT_FEE_PERCENT = env.str("SETTLEMENT_PAYMENT_FEE_PERCENT", default="0")
# Days after delivery during which earnings are pending (not paid out): a return can still take them back.
SETTLEMENT_RETURN_WINDOW_DAYS = env.int("SETTLEMENT_RETURN_WINDOW_DAYS", default=7)
# "đ" has no decomposition: map it, or "Đồ uống" would slug to "o-uong".
OSCAR_SLUG_MAP = {"đ": "d", "Đ": "D"}
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
# Browsing and search run on the database (see shop/search); haystack stays only because Oscar's
# apps import it, and its simple backend never indexes anything.
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
# Oscar's default (RealtimeSignalProcessor) ran on every model saved, five times an order, to hand
# products to that backend's update(), which only warns "not implemented": nothing to run.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
# Oscar's rule for who sees a menu entry, with each entry's view permissions looked up once per
# process (Oscar's reverses and resolves every entry's URL on every dashboard page).
OSCAR_DASHBOARD_DEFAULT_ACCESS_FUNCTION = "shop.dashboard.nav.permitted"
# The dashboard's menu: the producer's own entries (shown to producer users only), then the OCOP
# office's (staff only), then Oscar's.
OSCAR_DASHBOARD_NAVIGATION = [{
    "label": _("My shop"),
    "icon": "fas fa-store",
    "access_fn": producer_menu_access,
    "children": [
        {"label": _("Overview"), "url_name": "dashboard:producer-home", "access_fn": producer_menu_access},
        {"label": _("Your orders"), "url_name": "dashboard:producer-orders", "access_fn": producer_menu_access},
        {"label": _("Stock and prices"), "url_name": "dashboard:producer-stock", "access_fn": producer_menu_access},
        {"label": _("Import stock (CSV)"), "url_name": "dashboard:producer-stock-import",
         "access_fn": producer_menu_access},
        {"label": _("Notices"), "url_name": "dashboard:producer-notices", "access_fn": producer_menu_access},
        {"label": _("Zalo and SMS"), "url_name": "dashboard:producer-messages", "access_fn": producer_menu_access},
        {"label": _("Revenue & payouts"), "url_name": "dashboard:producer-money", "access_fn": producer_menu_access},
    ],
}, {
    "label": "OCOP",
    "icon": "fas fa-certificate",
    "children": [
        {"label": _("Certificates"), "url_name": "dashboard:ocop-certificate-list"},
        {"label": _("Expiring certificates"), "url_name": "dashboard:ocop-certificate-expiring"},
        {"label": _("Geographical indications"), "url_name": "dashboard:ocop-gi-list"},
        {"label": _("GI licences"), "url_name": "dashboard:ocop-licence-list"},
        {"label": _("Producers"), "url_name": "dashboard:ocop-producer-list"},
        {"label": _("Import certificates"), "url_name": "dashboard:ocop-import"},
        {"label": _("Returns"), "url_name": "dashboard:order-returns"},
    ],
}, {  # the showroom counters (pos/office.py)
    "label": _("Showrooms"),
    "icon": "fas fa-cash-register",
    "children": [
        {"label": _("Counter shifts"), "url_name": "pos-office:shifts", "access_fn": lambda user, *a: user.is_staff},
        {"label": _("Sales by day"), "url_name": "pos-office:daily", "access_fn": lambda user, *a: user.is_staff},
    ],
}, {  # bank transfers and carriers (banking/, carriers/)
    "label": _("Payments and parcels"),
    "icon": "fas fa-money-check-alt",
    "children": [
        {"label": _("Unmatched transfers"), "url_name": "banking-office:unmatched",
         "access_fn": lambda user, *a: user.is_staff},
        {"label": _("COD reconciliation"), "url_name": "carriers-office:cod",
         "access_fn": lambda user, *a: user.is_staff},
    ],
}, {  # producers' money (shop/dashboard/settlement)
    "label": _("Producer payouts"),
    "icon": "fas fa-money-bill-wave",
    "children": [
        {"label": _("Payout runs"), "url_name": "dashboard:settlement-runs"},
        {"label": _("Commission rules"), "url_name": "dashboard:settlement-commission"},
        {"label": _("Settlement report"), "url_name": "dashboard:settlement-report"},
    ],
}, *OSCAR_DASHBOARD_NAVIGATION]  # noqa: F405  (Oscar's, from oscar.defaults)
THUMBNAIL_DEBUG = False
THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"
# security (image bombs, issue 20): pages only show thumbnails already made; a missing one is made
# by a Celery task while the page shows the placeholder (shop/thumbnails.py).
THUMBNAIL_BACKEND = "shop.thumbnails.AheadOfTimeBackend"
# Uploads: at most this many pixels (read from the header) and bytes (core/images.py); Pillow's
# own bomb limit is set to the same pixel count in every process.
OCOP_MAX_IMAGE_PIXELS = env.int("OCOP_MAX_IMAGE_PIXELS", default=40_000_000)
OCOP_MAX_IMAGE_BYTES = env.int("OCOP_MAX_IMAGE_BYTES", default=10 * 1024 * 1024)

# ---------------------------------------------------------------------------- email
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL

# ---------------------------------------------------------------------------- payments
# Card payment is offered only when both Stripe keys are set.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")  # tests point this at a local fake
STRIPE_ENABLED = bool(STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY)
# CARD_PAYMENT_MINUTES (above, with the order expiry settings) is also how long a Stripe Checkout
# Session stays open (Stripe allows 30 min to 24 h).
# VietQR bank transfers: The shop's receiving account for bank transfers. The defaults are a DEMO account that receives
# nothing: set these in production (README). 970436 is Vietcombank's public NAPAS BIN.
VIETQR_BANK_BIN = env.str("VIETQR_BANK_BIN", default="970436")
VIETQR_BANK_NAME = env.str("VIETQR_BANK_NAME", default="Vietcombank")
VIETQR_ACCOUNT_NUMBER = env.str("VIETQR_ACCOUNT_NUMBER", default="0000000000")
VIETQR_ACCOUNT_NAME = env.str("VIETQR_ACCOUNT_NAME", default="OCOP SON LA DEMO")

# ---------------------------------------------------------------------------- Zalo and SMS messages
# Each channel is optional: without its keys nobody is offered it and no message waits for it
# (notifications/recipients.py). Tests point the URLs at local fakes (tests/notifications/fake_*.py).
ZALO_OA_ACCESS_TOKEN = env.str("ZALO_OA_ACCESS_TOKEN", default="")
ZALO_OA_REFRESH_TOKEN = env.str("ZALO_OA_REFRESH_TOKEN", default="")
ZALO_APP_ID = env.str("ZALO_APP_ID", default="")
ZALO_APP_SECRET = env.str("ZALO_APP_SECRET", default="")
ZALO_ZNS_URL = env.str("ZALO_ZNS_URL", default="https://business.openapi.zalo.me/message/template")
ZALO_OAUTH_URL = env.str("ZALO_OAUTH_URL", default="https://oauth.zaloapp.com/v4/oa/access_token")
# The approved ZNS template of each event (notifications/events.py); an event without one goes by SMS/e-mail.
ZALO_ZNS_TEMPLATES = {
    "ORDER_PLACED": env.str("ZALO_ZNS_TEMPLATE_ORDER_CONFIRMED", default=""),
    "ORDER_SHIPPED": env.str("ZALO_ZNS_TEMPLATE_ORDER_SHIPPED", default=""),
    "ORDER_READY": env.str("ZALO_ZNS_TEMPLATE_ORDER_READY", default=""),
    "ORDER_DELIVERED": env.str("ZALO_ZNS_TEMPLATE_ORDER_DELIVERED", default=""),
    "PRODUCER_NEW_ORDER": env.str("ZALO_ZNS_TEMPLATE_PRODUCER_NEW_ORDER", default=""),
    "OCOP_CERT_EXPIRY": env.str("ZALO_ZNS_TEMPLATE_CERT_EXPIRY", default=""),
}
ESMS_API_KEY = env.str("ESMS_API_KEY", default="")
ESMS_SECRET_KEY = env.str("ESMS_SECRET_KEY", default="")
ESMS_BRANDNAME = env.str("ESMS_BRANDNAME", default="")
ESMS_SANDBOX = env.bool("ESMS_SANDBOX", default=False)
ESMS_URL = env.str("ESMS_URL", default="https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/")

# ---------------------------------------------------------------------------- personal data (Decree 13/2023/NĐ-CP)
# The notice's version, recorded with every consent: change it with the notice's text (privacy/).
PRIVACY_NOTICE_VERSION = env.str("PRIVACY_NOTICE_VERSION", default="2026-12-06")
# How long an order keeps its person's data: 10 years, accounting documents' keeping period.
PRIVACY_RETENTION_DAYS = env.int("PRIVACY_RETENTION_DAYS", default=3650)

# ---------------------------------------------------------------------------- Celery
# No broker configured: every task runs inline, in the calling process (development, tests).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only after it ran, so a worker that dies mid-task hands it back.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Publishing must not hang a web request when the broker is down: try briefly, then give up
# (whatever must not be lost is written to the database first and re-sent by beat).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {"task": "shop.tasks.clear_expired_sessions", "schedule": 24 * 3600},
    # Every morning, local time: certificate holders hear about an expiry 30 and 7 days ahead.
    "ocop-certificate-expiry-reminders": {"task": "notifications.tasks.send_certificate_expiry_reminders",
                                          "schedule": crontab(hour=7, minute=0)},
    "expire-unpaid-orders": {"task": "shop.order.tasks.expire_unpaid_orders", "schedule": 5 * 60},
    # Hourly: pick-up reminders and cancelling orders never collected (pickups/services.py).
    "remind-and-expire-pickups": {"task": "pickups.tasks.remind_and_expire_pickups", "schedule": 3600},
    # The outbox (notifications/): producer notifications and customer messages a broker outage or a
    # killed worker dropped.
    "resend-undelivered-notifications": {"task": "notifications.tasks.resend_undelivered", "schedule": 60},
    # Guests' and closed accounts' orders past PRIVACY_RETENTION_DAYS lose their personal data (privacy/).
    "anonymise-expired-personal-data": {"task": "privacy.tasks.anonymise_expired_personal_data",
                                        "schedule": crontab(hour=3, minute=30)},
}

# ---------------------------------------------------------------------------- security
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Reverse proxies in front of gunicorn that append X-Forwarded-For (0: clients connect directly).
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# ---------------------------------------------------------------------------- security: Content Security Policy
# django-csp 4. Scripts: our own files and inline scripts carrying this response's nonce, nothing
# else (no inline handlers, no eval, no CDN). Styles: 'unsafe-inline' on purpose: templates,
# Oscar's dashboard, select2 and TinyMCE write style attributes and <style> elements, and an
# injected style cannot run code once scripts are locked down (README, "Content Security Policy").
# Forms may post to ourselves and be redirected to Stripe Checkout (form-action covers redirects).
CSP_FORM_ACTION_EXTRA = env.list("CSP_FORM_ACTION_EXTRA", default=["https://checkout.stripe.com"])
CSP_IMG_SRC_EXTRA = env.list("CSP_IMG_SRC_EXTRA", default=[])  # e.g. the media bucket's origin
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", *CSP_IMG_SRC_EXTRA],  # data: the VietQR code and Oscar's SVG icons
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *CSP_FORM_ACTION_EXTRA],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# ---------------------------------------------------------------------------- security: rate limits
# django-ratelimit on the default cache (Redis in production, so every replica counts together),
# per client address (core.client_ip). "N/s|m|h" per address; 429 with Retry-After past it.
RATELIMIT_SEARCH = env.str("RATELIMIT_SEARCH", default="60/m")
RATELIMIT_SUGGEST = env.str("RATELIMIT_SUGGEST", default="120/m")
RATELIMIT_WEBHOOK = env.str("RATELIMIT_WEBHOOK", default="300/m")
# A cache that cannot count (Redis down: django-redis ignores the error) lets the request through;
# without this django-ratelimit answers every request 429 while Redis is down.
RATELIMIT_FAIL_OPEN = True

# ---------------------------------------------------------------------------- logging
# Every line carries the request id (core/request_id.py: the proxy's X-Request-ID or a new one, also in
# the tasks a request enqueues). LOG_FORMAT=json: one JSON object per line, for a log collector.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'text' or 'json', not {LOG_FORMAT!r}")
LOG_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.request_id.RequestIdFilter"},
        # django-redis logs each ignored cache failure; calls skipped while Redis is marked down are
        # not logged again (core/redis_cache.py).
        "skip_while_redis_down": {"()": "core.redis_cache.SkipWhileRedisDown"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": LOG_FIELDS,
                 "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
                 "json_ensure_ascii": False},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if LOG_FORMAT == "json" else "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "oscar": {"level": "WARNING"},
        "shop.cache": {"filters": ["skip_while_redis_down"]},
        # django-axes logs every attempt at INFO; lockouts (WARNING) are what operators need.
        "axes": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------------------- bank transfers (banking/, README)
# SePay's transaction webhook (POST /payments/webhook/sepay/) confirms VietQR orders by itself.
# SEPAY_WEBHOOK_AUTH: "apikey" (header "Authorization: Apikey <SEPAY_API_KEY>") or "hmac"
# (X-SePay-Signature over X-SePay-Timestamp and the body, with SEPAY_WEBHOOK_SECRET). Unset: the
# webhook refuses everything and the office records transfers by hand, as before.
SEPAY_WEBHOOK_AUTH = env.str("SEPAY_WEBHOOK_AUTH", default="apikey")
if SEPAY_WEBHOOK_AUTH not in ("apikey", "hmac"):
    raise ImproperlyConfigured(f"SEPAY_WEBHOOK_AUTH must be 'apikey' or 'hmac', not {SEPAY_WEBHOOK_AUTH!r}")
SEPAY_API_KEY = env.str("SEPAY_API_KEY", default="")
SEPAY_WEBHOOK_SECRET = env.str("SEPAY_WEBHOOK_SECRET", default="")
SEPAY_MAX_SKEW_SECONDS = env.int("SEPAY_MAX_SKEW_SECONDS", default=300)

# ---------------------------------------------------------------------------- carriers (carriers/, README)
# GHN and GHTK, each on when its token is set; none: producers type carrier and tracking by hand
# and shipping is priced by the zone table. Webhook secrets go in the URL registered with the
# carrier (GHN: /carriers/webhook/ghn/<secret>/, GHTK: /carriers/webhook/ghtk/?hash=<secret>).
GHN_TOKEN = env.str("GHN_TOKEN", default="")
GHN_SHOP_ID = env.str("GHN_SHOP_ID", default="")
GHN_BASE_URL = env.str("GHN_BASE_URL", default="https://online-gateway.ghn.vn/shiip/public-api")
GHN_WEBHOOK_SECRET = env.str("GHN_WEBHOOK_SECRET", default="")
GHTK_TOKEN = env.str("GHTK_TOKEN", default="")
GHTK_PARTNER_CODE = env.str("GHTK_PARTNER_CODE", default="")
GHTK_BASE_URL = env.str("GHTK_BASE_URL", default="https://services.giaohangtietkiem.vn")
GHTK_WEBHOOK_SECRET = env.str("GHTK_WEBHOOK_SECRET", default="")
# Which configured carrier quotes at checkout and takes waybills: "ghn", "ghtk" or "" (the first set).
CARRIER_DEFAULT = env.str("CARRIER_DEFAULT", default="")
# Checkout never waits longer than this for a quote (seconds), then prices by zone.
CARRIER_QUOTE_TIMEOUT = env.float("CARRIER_QUOTE_TIMEOUT", default=1.5)
CARRIER_QUOTE_CACHE_SECONDS = env.int("CARRIER_QUOTE_CACHE_SECONDS", default=600)
# Waybill creation, labels, cancelling and polling may wait longer (a producer clicked, or beat).
CARRIER_API_TIMEOUT = env.float("CARRIER_API_TIMEOUT", default=8)
# Beat asks the carrier for a shipment whose webhook has been quiet this long.
CARRIER_POLL_QUIET_MINUTES = env.int("CARRIER_POLL_QUIET_MINUTES", default=120)
CELERY_BEAT_SCHEDULE["poll-quiet-shipments"] = {"task": "carriers.tasks.poll_quiet_shipments", "schedule": 15 * 60}
