"""Configuration from the environment: Development (demo), Test and Production."""
from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("LMS_INSTANCE_DIR", BASE_DIR / "instance"))


def _instance_secret() -> str:
    """A random key kept in instance/ so development sessions survive restarts; never used in production."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    """Settings shared by every environment."""

    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'lms.sqlite3'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # PostgreSQL limits, so a gone or hung database answers 503 instead of holding a worker until gunicorn kills it.
    DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))  # seconds
    DB_STATEMENT_TIMEOUT_MS = int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "20000"))
    DB_POOL_TIMEOUT = int(os.environ.get("DB_POOL_TIMEOUT", "10"))  # seconds waiting for a pooled connection
    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(BASE_DIR / "content" / "modules"))
    DEMO_MODE = False

    # Sessions: the CSRF token lives as long as the session, so a long case answer never loses its token.
    WTF_CSRF_TIME_LIMIT = None
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "12")))
    SESSION_COOKIE_HTTPONLY = True
    # The signed-in session's cookie slides forward once an hour of activity (lms.auth.access.slide_session), not
    # on every response: 430 bytes fewer on each page and static file.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_SLIDE_SECONDS = 3600
    # A learner's home and progress pages are kept in each worker under a fingerprint of their rows, at most this
    # many pages, each for the minute it was made in at most (lms.grades.fingerprint).
    LEARNER_PAGE_CACHE_SIZE = 2048
    LEARNER_PAGE_SECONDS = 60
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024

    # Sign-in throttling, shared by every worker through the database: an account from one address, the
    # account from anywhere, one address over every account (high: a classroom shares one NAT address).
    LOGIN_WINDOW_MINUTES = 15
    LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS = 5
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 20
    LOGIN_MAX_FAILURES_PER_ADDRESS = 300

    # argon2id parameters; None keeps the library's recommended values.
    ARGON2_TIME_COST: int | None = None
    ARGON2_MEMORY_COST: int | None = None

    # Transcripts and certificates: who issues them, who signs, where they are verified.
    # Printed on documents and in their QR codes. Unset (development), the address that served the request.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or None
    SIGNING_KEYS_DIR = os.environ.get("SIGNING_KEYS_DIR", str(INSTANCE_DIR / "signing-keys"))
    ESSAY_UPLOAD_DIR = os.environ.get("ESSAY_UPLOAD_DIR", str(INSTANCE_DIR / "essays"))  # outside the web root
    BACKUP_DIR = os.environ.get("BACKUP_DIR", str(INSTANCE_DIR / "backups"))  # where `flask backup` writes
    GENERATE_SIGNING_KEY = True  # create the first key on demand; production must provision keys explicitly
    DOCUMENTS = {
        "institution_name": os.environ.get("INSTITUTION_NAME", "TRƯỜNG ĐÀO TẠO CÁN BỘ LÊ HỒNG PHONG"),
        "parent_body": os.environ.get("INSTITUTION_PARENT", "THÀNH ỦY HÀ NỘI"),
        "institution_url": os.environ.get("INSTITUTION_URL", "https://lehongphong.edu.vn"),
        "course_title": os.environ.get("COURSE_TITLE", "Bồi dưỡng, nâng cao năng lực lãnh đạo, quản lý cho "
                                                       "Bí thư Đảng ủy xã, phường"),
        "place": os.environ.get("DOCUMENT_PLACE", "Hà Nội"),
        "signatories": json.loads(os.environ.get("DOCUMENT_SIGNATORIES", '[["HIỆU TRƯỞNG", ""]]')),
    }
    # Background jobs (huey): a SQLite file for one machine, Redis when several processes share the queue.
    JOBS_URL = os.environ.get("JOBS_URL", f"sqlite:///{INSTANCE_DIR / 'jobs.sqlite3'}")
    JOBS_QUEUE_NAME = os.environ.get("JOBS_QUEUE_NAME", "lms")
    JOB_RETRIES = 3  # then the job is failed and shown to administrators with its error
    JOB_RETRY_DELAY = 30  # seconds before the first retry, doubled before each next one
    JOB_RESEND_AFTER_MINUTES = int(os.environ.get("JOB_RESEND_AFTER_MINUTES", "10"))  # still queued this long: sent again
    JOB_STALE_MINUTES = int(os.environ.get("JOB_STALE_MINUTES", "30"))  # running this long: its worker died, run again
    JOB_FILES_DIR = os.environ.get("JOB_FILES_DIR", str(INSTANCE_DIR / "job-files"))
    JOB_FILE_HOURS = int(os.environ.get("JOB_FILE_HOURS", "72"))  # how long a ZIP or password list is kept

    # E-mail (SMTP). Development sends to the local sink that `make run` starts (messages kept in instance/mail/).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "8025"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "") == "1"
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "20"))  # seconds
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Lớp bồi dưỡng Bí thư xã, phường <no-reply@localhost>")
    MAIL_SINK_DIR = os.environ.get("MAIL_SINK_DIR", str(INSTANCE_DIR / "mail"))

    # Addresses or networks of the proxies in front that set X-Forwarded-* (comma-separated); others are ignored.
    TRUSTED_PROXIES = os.environ.get("TRUSTED_PROXIES", "")
    VERIFY_RATE_LIMIT = int(os.environ.get("VERIFY_RATE_LIMIT", "30"))  # look-ups per minute per address
    API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "120"))  # calls per minute per API token (all workers)

    # Case discussions: posts per person per window (counted in the database, across workers), the minutes an
    # author may edit a post, and how many learners must have submitted before the class's choices show.
    DISCUSSION_RATE_LIMIT = int(os.environ.get("DISCUSSION_RATE_LIMIT", "6"))
    DISCUSSION_RATE_WINDOW_SECONDS = int(os.environ.get("DISCUSSION_RATE_WINDOW_SECONDS", "600"))
    DISCUSSION_EDIT_MINUTES = int(os.environ.get("DISCUSSION_EDIT_MINUTES", "30"))
    DISCUSSION_MIN_CLASS = int(os.environ.get("DISCUSSION_MIN_CLASS", "5"))

    # Cues that give a question's key away (the best option far the longest ...) warn in the browser editors;
    # CUEING_STRICT=1 makes them refuse publication, as `flask content check --strict` does.
    CUEING_STRICT = os.environ.get("CUEING_STRICT", "") == "1"

    # Learning records (xAPI 1.0.3): statements are always kept (`flask xapi export`); with XAPI_LRS_URL set, the
    # worker sends them to that learning record store in batches. Accounts and activities are named under
    # XAPI_HOMEPAGE (default PUBLIC_BASE_URL). XAPI_LRS_KEY / XAPI_LRS_SECRET: the store's key and secret (Basic).
    XAPI_HOMEPAGE = os.environ.get("XAPI_HOMEPAGE") or None
    XAPI_LRS_URL = os.environ.get("XAPI_LRS_URL") or None  # the endpoint, e.g. https://lrs.example.vn/xapi
    XAPI_LRS_KEY = os.environ.get("XAPI_LRS_KEY") or None
    XAPI_LRS_SECRET = os.environ.get("XAPI_LRS_SECRET") or None
    XAPI_LRS_TIMEOUT = float(os.environ.get("XAPI_LRS_TIMEOUT", "10"))  # seconds per POST
    XAPI_BATCH_SIZE = int(os.environ.get("XAPI_BATCH_SIZE", "50"))  # statements per POST
    XAPI_CLAIM_MINUTES = 5  # a sender's hold on a batch; a sender that died gives it back after this

    # Minimum module grade of each classification: Xuất sắc, Giỏi, Khá, Trung bình (below: Không đạt).
    GRADE_BANDS = json.loads(os.environ.get("GRADE_BANDS", '{"excellent": 9, "good": 8, "fair": 7, "average": 5}'))

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    PAGE_SIZE = 25

    @classmethod
    def check(cls) -> None:
        """Raise if the environment is unusable for this configuration."""


class ConfigurationError(RuntimeError):
    """The environment does not configure the app: the message names what is missing, in one line."""


class ContentToolsConfig(Config):
    """For `flask content check` without a configured environment: it reads files and touches no database."""

    SECRET_KEY = "content-tools-only"
    SQLALCHEMY_DATABASE_URI = "sqlite://"


class DevelopmentConfig(Config):
    """Local demo on embedded SQLite: what `make run` uses."""

    DEMO_MODE = True
    SECRET_KEY = Config.SECRET_KEY or _instance_secret()


class TestConfig(Config):
    """Used by the test suite; the database URL is set by the fixtures."""

    TESTING = True
    SECRET_KEY = "test-only-key-not-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SESSION_COOKIE_SECURE = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8 * 1024  # cheap hashing keeps the suite fast; production uses the defaults
    JOBS_URL = "immediate"  # jobs run right after the request commits; the queue tests start real workers


class ProductionConfig(Config):
    """PostgreSQL behind gunicorn; refuses to start without SECRET_KEY and DATABASE_URL."""

    GENERATE_SIGNING_KEY = False
    TRUSTED_PROXIES = os.environ.get("TRUSTED_PROXIES", "127.0.0.1, ::1")  # a proxy on the same machine
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    JOBS_URL = os.environ.get("JOBS_URL", "redis://127.0.0.1:6379/0")  # shared by every gunicorn worker

    @classmethod
    def check(cls) -> None:
        """Refuse to start with an insecure or missing setting."""
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL") if not os.environ.get(name)]
        if missing:
            raise ConfigurationError(f"the production configuration needs the environment variables {', '.join(missing)} "
                                     "(README: Production; LMS_CONFIG=development runs a local trial instead)")
        if len(os.environ["SECRET_KEY"]) < 32:
            raise ConfigurationError("SECRET_KEY must be at least 32 characters long")


CONFIGS = {"development": DevelopmentConfig, "test": TestConfig, "production": ProductionConfig}


def config_from_env() -> type[Config]:
    """The configuration class named by LMS_CONFIG (default: production, the safe choice)."""
    name = os.environ.get("LMS_CONFIG", "production")
    if name not in CONFIGS:
        raise RuntimeError(f"LMS_CONFIG must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
