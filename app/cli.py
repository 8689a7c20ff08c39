"""Command-line tools: `flask users ...`, `flask demo load`, `flask db-upgrade`, `flask worker`."""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.db import get_session, session_factory
from app.import_cli import import_command
from app.inventory_cli import export_cli
from app.jobs.worker import run_worker
from app.migrate import downgrade_database, upgrade_database
from app.planning.demo_plans import load_published_demo
from app.planning.sep_cli import sep_cli
from inventory.base import utcnow
from inventory.demo import DemoOptions, demo_password, load_demo
from inventory.enums import Role
from inventory.errors import DomainError, NotFound
from inventory.models import ApiToken, User
from inventory.operations.api_tokens import (
    create_token,
    expiry_at_end_of,
    revoke_token,
    user_tokens,
)
from inventory.operations.users import (
    create_user,
    disable_user,
    require_user,
    set_password,
    sites_by_codes,
)

users_cli = AppGroup("users", help="Manage user accounts.")
token_cli = AppGroup("token", help="Personal API tokens (for scripts using the REST API).")
users_cli.add_command(token_cli)
demo_cli = AppGroup("demo", help="The demo district.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(export_cli)
    app.cli.add_command(db_upgrade)
    app.cli.add_command(db_downgrade)
    app.cli.add_command(worker)
    app.cli.add_command(import_command)
    app.cli.add_command(sep_cli)


def _fail(error: DomainError) -> None:
    """Print a domain error as one line and exit 1, without a traceback."""
    click.echo(f"Error: {error.message}", err=True)
    sys.exit(1)


def _refuse(message: str) -> NoReturn:
    """Refuse bad input in one line and exit 2, without a traceback."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


@users_cli.command("create")
@click.argument("username")
@click.option(
    "--role", type=click.Choice([role.value for role in Role]), required=True, help="The role."
)
@click.option("--full-name", default="", help="The person's name.")
@click.option("--email", default=None, help="E-mail address.")
@click.option("--site", "site_codes", multiple=True, help="Site code (site administrators).")
@click.password_option(help="Asked for when omitted.")
def users_create(
    username: str,
    role: str,
    full_name: str,
    email: str | None,
    site_codes: tuple[str, ...],
    password: str,
) -> None:
    """Create a user account."""
    session = get_session()
    try:
        user = create_user(
            session,
            by=None,
            username=username,
            password=password,
            role=Role(role),
            full_name=full_name,
            email=email,
            sites=sites_by_codes(session, site_codes),
        )
    except DomainError as error:
        _fail(error)
    session.commit()
    click.echo(f"Created {user.username} ({user.role.label}).")


@users_cli.command("set-password")
@click.argument("username")
@click.password_option(help="Asked for when omitted.")
def users_set_password(username: str, password: str) -> None:
    """Set a user's password (and sign them out everywhere)."""
    session = get_session()
    try:
        set_password(session, require_user(session, username), by=None, password=password)
    except DomainError as error:
        _fail(error)
    session.commit()
    click.echo(f"Password of {username} changed.")


@users_cli.command("disable")
@click.argument("username")
def users_disable(username: str) -> None:
    """Stop a user from signing in."""
    session = get_session()
    try:
        disable_user(session, require_user(session, username), by=None)
    except DomainError as error:
        _fail(error)
    session.commit()
    click.echo(f"{username} can no longer sign in.")


@token_cli.command("create")
@click.argument("username")
@click.option("--name", required=True, help="What will use the token.")
@click.option("--expires", default=None, metavar="YYYY-MM-DD", help="Last day it works (UTC).")
def token_create(username: str, name: str, expires: str | None) -> None:
    """Make a token for USER; it is printed once, on the last line."""
    session = get_session()
    expires_at = expiry_at_end_of(_day(expires)) if expires else None
    try:
        row, token = create_token(
            session, require_user(session, username), name=name, expires_at=expires_at
        )
    except DomainError as error:
        _refuse(error.message)
    session.commit()
    click.echo(f"Token {row.id} ({row.name}) for {username}; shown only now, copy it:", err=True)
    click.echo(token)


@token_cli.command("list")
@click.argument("username", required=False)
def token_list(username: str | None) -> None:
    """List everyone's tokens, or USER's."""
    session = get_session()
    try:
        user_id = require_user(session, username).id if username else None
    except DomainError as error:
        _refuse(error.message)
    rows = user_tokens(session, user_id)
    if not rows:
        click.echo("No API tokens.")
    now = utcnow()
    for row in rows:
        click.echo(_token_line(row, now))


@token_cli.command("revoke")
@click.argument("token_id", metavar="ID")
def token_revoke(token_id: str) -> None:
    """Revoke the token with this ID (see `flask users token list`)."""
    session = get_session()
    if not (token_id.isascii() and token_id.isdigit() and 0 < int(token_id) < 2**31):
        _refuse(f"{token_id!r} is not a token id; see `flask users token list`.")
    try:
        row = revoke_token(session, int(token_id), by=None)
    except NotFound:
        _refuse(f"There is no token {token_id}; see `flask users token list`.")
    session.commit()
    click.echo(f"Token {row.id} ({row.name}) of {row.user.username} revoked.")


def _day(text: str) -> dt.date:
    """A YYYY-MM-DD date, or a one-line refusal."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        _refuse(f"--expires must be a date as YYYY-MM-DD, not {text!r}.")


def _token_line(row: ApiToken, now: dt.datetime) -> str:
    """One token as `list` prints it."""
    used = row.last_used_at.strftime("%Y-%m-%d %H:%M") if row.last_used_at else "never"
    expires = row.expires_at.strftime("%Y-%m-%d") if row.expires_at else "never"
    return (
        f"{row.id}\t{row.user.username}\t{row.prefix}…\t{row.status(now)}\t{row.name}\t"
        f"made {row.created_at:%Y-%m-%d}, last used {used}, expires {expires}"
    )


@demo_cli.command("load")
@click.option("--sites", default=150, show_default=True, help="How many sites.")
@click.option("--seed", default=2026, show_default=True, help="Random seed.")
@click.option("--if-empty", is_flag=True, help="Do nothing if there are users already.")
@click.option("--replace", is_flag=True, help="Wipe the database first (demo databases only).")
@click.option(
    "--published/--no-published", default=True, show_default=True,
    help="Also plan and publish the year under way twice (a few seconds of optimiser time).",
)  # fmt: skip
def demo_load(sites: int, seed: int, if_empty: bool, replace: bool, published: bool) -> None:
    """Build a realistic demo district in an empty database."""
    session = get_session()
    if if_empty and session.query(User.id).first() is not None:
        click.echo("The database has data already; demo not loaded.")
        return
    password, from_env = demo_password(os.environ)
    try:
        summary = load_demo(
            session,
            DemoOptions(
                sites=sites, seed=seed, password=password, replace=replace,
                fiscal_year_start_month=int(current_app.config["FISCAL_YEAR_START_MONTH"]),
            ),
        )  # fmt: skip
    except DomainError as error:
        _fail(error)
    session.commit()
    click.echo(summary.describe())
    if published:
        _publish_demo()
    if not from_env:
        click.secho(
            f"Warning: DEMO_PASSWORD is not set; the demo users' password is {password!r}.",
            fg="yellow",
            err=True,
        )


def _publish_demo() -> None:
    """The demo's published plans for the year under way (app/planning/demo_plans.py)."""
    start_month = int(current_app.config["FISCAL_YEAR_START_MONTH"])
    try:
        result = load_published_demo(session_factory(), today=dt.date.today(),
                                     start_month=start_month)  # fmt: skip
    except DomainError as error:
        _fail(error)
    if result is not None:
        click.echo(result.describe())


@click.command("db-upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to the newest schema (or to REVISION)."""
    upgrade_database(get_session().get_bind().url.render_as_string(False), revision)
    click.echo(f"Database migrated to {revision}.")


@click.command("db-downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database back to REVISION (for example: base)."""
    downgrade_database(get_session().get_bind().url.render_as_string(False), revision)
    click.echo(f"Database migrated down to {revision}.")


@click.command("worker")
@click.option("--once", is_flag=True, help="Run the queued jobs, then stop.")
def worker(once: bool) -> None:
    """Run background jobs (optimiser runs, big imports) until stopped."""
    run_worker(once=once)
