"""The application factory."""
from __future__ import annotations

import logging
import os
import sys
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from config import Config, ConfigurationError, ContentToolsConfig, config_from_env
from lms.extensions import babel, csrf, db, login_manager, migrate
from lms.pagination import DB_INT_MAX
from lms.proxies import TrustedProxies, parse_networks


class DatabaseInteger(IntegerConverter):
    """`<int:...>` in routes, bounded by the databases' 32-bit integer: a larger number matches no route (404)
    instead of reaching the database and failing there (SQLite OverflowError, PostgreSQL out of range)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _checked(config: type[Config]) -> type[Config]:
    """The configuration if the environment sets it up. On the `flask` command line a missing setting is one line
    on stderr (exit status 1), not a traceback, and `flask content check`, which needs no setting, still runs."""
    try:
        config.check()
    except ConfigurationError as error:
        if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
            raise
        words = [word for word in sys.argv[1:] if not word.startswith("-")]
        if "content" in words and words[words.index("content") + 1:words.index("content") + 2] == ["check"]:
            return ContentToolsConfig
        raise SystemExit(f"Error: {error}") from None
    return config


def create_app(config: type[Config] | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error pages and CLI."""
    config = _checked(config or config_from_env())
    app = Flask(__name__, instance_relative_config=False)
    app.url_map.converters["int"] = DatabaseInteger  # an id past the database's integer is simply not found
    app.config.from_object(config)
    if overrides:
        app.config.update(overrides)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter on every PDF

    proxies = parse_networks(app.config.get("TRUSTED_PROXIES") or "")
    if proxies:
        app.wsgi_app = TrustedProxies(app.wsgi_app, proxies)
    _init_extensions(app)
    _register_blueprints(app)

    from lms import (
        assets,
        cli,
        errors,
        i18n,
        navigation,
        security,
        template_labels,
        unit_of_work,
    )
    from lms.auth import access
    from lms.notifications import receivers
    from lms.transcripts import issuer
    from lms.xapi import receivers as learning_records

    unit_of_work.register(app)
    assets.register(app)
    app.before_request(access.slide_session)
    app.before_request(access.password_change_first)  # reads the user: after the unit of work's hook
    errors.register(app)
    security.register(app)
    i18n.register(app)
    navigation.register(app)
    template_labels.register(app)
    issuer.register(app)
    receivers.register(app)
    learning_records.register(app)
    cli.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    from lms import models  # noqa: F401  (registers every table on the metadata)
    from lms.auth import access, passwords
    from lms.database import configure_engine, engine_options
    from lms.i18n import select_locale

    passwords.register(app)
    from lms.domain.scoring import make_bands

    app.config["CLASSIFICATION_BANDS"] = make_bands(app.config["GRADE_BANDS"])  # refuses bad bands at start-up
    cfg = app.config
    cfg["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(cfg["SQLALCHEMY_DATABASE_URI"], cfg["SQLALCHEMY_ENGINE_OPTIONS"],
                                                      cfg["DB_CONNECT_TIMEOUT"], cfg["DB_STATEMENT_TIMEOUT_MS"],
                                                      cfg["DB_POOL_TIMEOUT"])
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.normpath(os.path.join(app.root_path, "..", "migrations")), compare_type=True,
                     render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(app.root_path + "/translations"))
    access.init_login(app, login_manager)
    from lms import jobs, mail

    jobs.init_app(app)
    mail.init_app(app)
    from lms.catalog import outline

    outline.install(app)
    with app.app_context():
        configure_engine(db.engine)


def _register_blueprints(app: Flask) -> None:
    from lms.account.routes import bp as account_bp
    from lms.admin.audit_routes import bp as audit_log_bp
    from lms.admin.job_routes import bp as jobs_bp
    from lms.admin.routes import bp as admin_bp
    from lms.admin.schedule_routes import bp as schedule_bp
    from lms.api import record_routes, routes, write_routes  # noqa: F401  (their operations join the API blueprint)
    from lms.api.blueprint import bp as api_bp
    from lms.api.token_routes import bp as api_tokens_bp
    from lms.auth.routes import bp as auth_bp
    from lms.authoring.routes import bp as authoring_bp
    from lms.calendar.routes import bp as calendar_bp
    from lms.cases.routes import bp as cases_bp
    from lms.discussions.moderation_routes import bp as moderation_bp
    from lms.discussions.routes import bp as discussions_bp
    from lms.essays.routes import bp as essays_bp
    from lms.feedback.routes import bp as feedback_bp
    from lms.grades.item_routes import bp as items_bp
    from lms.grades.routes import bp as grades_bp
    from lms.inbox.announcement_routes import bp as announcements_bp
    from lms.inbox.routes import bp as inbox_bp
    from lms.instructor.routes import bp as instructor_bp
    from lms.lessons.routes import bp as lessons_bp
    from lms.offline.routes import bp as offline_bp
    from lms.pages.routes import bp as pages_bp
    from lms.progress.routes import bp as progress_bp
    from lms.reviews.routes import bp as reviews_bp
    from lms.transcripts.cohort_routes import bp as cohort_documents_bp
    from lms.transcripts.routes import bp as transcripts_bp

    for bp in (pages_bp, auth_bp, admin_bp, instructor_bp, lessons_bp, cases_bp, progress_bp, grades_bp, items_bp,
               reviews_bp, essays_bp, transcripts_bp, cohort_documents_bp, authoring_bp, jobs_bp, calendar_bp, schedule_bp,
               inbox_bp, announcements_bp, discussions_bp, moderation_bp, offline_bp,
               api_bp, api_tokens_bp, audit_log_bp, account_bp, feedback_bp):
        app.register_blueprint(bp)
    from lms.extensions import csrf

    csrf.exempt(api_bp)  # token-only: a session cookie authorizes nothing there, so there is nothing to forge
