"""`flask api-tokens create|list|revoke`: the administrators' token page on the command line, same service."""
from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from lms.api import tokens
from lms.database import utcnow
from lms.extensions import db
from lms.models import API_SCOPES, User

api_tokens_cli = AppGroup("api-tokens", help="Personal API tokens: create, list, revoke.")


@api_tokens_cli.command("create")
@click.option("--owner", required=True, help="Username of the administrator the token acts for.")
@click.option("--name", required=True, help="What the token is for.")
@click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice(API_SCOPES))
@click.option("--days", default=90, show_default=True, help=f"Days until it expires (at most {tokens.MAX_DAYS}).")
@with_appcontext
def create(owner: str, name: str, scopes: tuple[str, ...], days: int) -> None:
    """Make a token and print it once."""
    user = db.session.scalar(select(User).where(User.username == owner.lower()))
    if user is None or not user.is_admin:
        raise click.ClickException(f"{owner} is not an administrator's username")
    now = utcnow()
    try:
        token, text = tokens.create_token(user, name, list(scopes), now + timedelta(days=days), now)
    except tokens.TokenError as error:
        raise click.ClickException(f"refused: {error.code}") from None
    db.session.commit()
    click.echo(f"{token.prefix}\t{token.name}\t{' '.join(token.scope_list)}\texpires {token.expires_at:%Y-%m-%d}")
    click.echo(f"token (shown once, keep it safe): {text}")


@api_tokens_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Every token: prefix, name, scopes, owner, expiry, state."""
    now = utcnow()
    for t in tokens.list_tokens():
        state = "revoked" if t.revoked_at else "expired" if t.expires_at <= now else "active"
        click.echo(f"{t.prefix}\t{t.name}\t{' '.join(t.scope_list)}\t{t.user.username}\t"
                   f"expires {t.expires_at:%Y-%m-%d}\t{state}")


@api_tokens_cli.command("revoke")
@click.argument("prefix")
@with_appcontext
def revoke(prefix: str) -> None:
    """Revoke the token with this prefix at once."""
    token = tokens.get_by_prefix(prefix)
    if token is None:
        raise click.ClickException(f"no token {prefix}")
    if tokens.revoke_token(token, None, utcnow()):
        db.session.commit()
    click.echo(f"{token.prefix} revoked")
