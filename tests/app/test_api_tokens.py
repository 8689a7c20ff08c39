"""Personal API tokens in the web app: the account page, the administrators' list, the command
line, and what the API makes of a token (live, revoked, expired, a disabled user's)."""

from __future__ import annotations

import datetime as dt
import http.client
import logging
import re
import threading

import pytest
from flask import Blueprint, Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from app.api.auth import api_roles, api_user
from inventory.enums import Role
from inventory.models import ApiToken
from inventory.operations.api_tokens import create_token, token_hash
from inventory.operations.users import disable_user
from tests.app.html_reading import table_rows
from tests.factories import make_site, make_user

pytestmark = pytest.mark.fresh_app  # the test API's routes are added to the app

WHOAMI = "/api/v1/_test/whoami"
STAFF_ONLY = "/api/v1/_test/staff-only"


def add_test_api(app: Flask) -> None:
    """A tiny API for the tests (before the app's first request): who the token acts for."""
    blueprint = Blueprint("api_test", __name__, url_prefix="/api/v1/_test")

    @blueprint.route("/whoami")
    @api_roles(*Role)
    def whoami() -> dict:
        return {"user": api_user().username}

    @blueprint.route("/staff-only")
    @api_roles(Role.STAFF)
    def staff_only() -> dict:
        return {"user": api_user().username}

    app.register_blueprint(blueprint)


@pytest.fixture
def api(app: Flask) -> Flask:
    """The app with the test API."""
    add_test_api(app)
    return app


def bearer(token: str) -> dict[str, str]:
    """The header that carries a token."""
    return {"Authorization": f"Bearer {token}"}


def _make_token(client, name: str = "Network monitoring", **data: str) -> tuple[str, str]:
    """Make a token on the account page: the page shown, and the token read from it."""
    response = client.post("/account/tokens", data={"name": name, **data})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    match = re.search(r'data-testid="api-token">(rlt_[A-Za-z0-9_-]+)<', page)
    assert match, page
    return page, match.group(1)


# The account page ----------------------------------------------------------------------------


def test_the_account_page_shows_who_the_user_is(client, session, login_as) -> None:
    site = make_site(session, code="LIN01", name="Lincoln Elementary")
    principal = make_user(session, Role.SITE_ADMIN, username="principal", sites=[site])
    session.commit()
    login_as(None)
    from tests.conftest import sign_in

    sign_in(client, principal)
    page = client.get("/account/").get_data(as_text=True)
    assert "principal" in page and "Site administrator" in page
    assert "LIN01 - Lincoln Elementary" in page
    assert 'data-testid="no-tokens"' in page
    assert 'href="/account/"' in page  # the navigation's link


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(client, session, login_as) -> None:
    login_as(Role.STAFF)
    page, token = _make_token(client, expires_at="2099-12-31")

    assert "shown <strong>only now</strong>" in page
    assert f'curl -H "Authorization: Bearer {token}" http://localhost/api/v1/sites' in page
    with client.session_transaction() as cookie_session:
        assert token not in str(dict(cookie_session))  # never flashed into the cookie

    row = session.scalars(select(ApiToken)).one()
    assert row.token_hash == token_hash(token) and row.prefix == token[:12]
    columns = {str(getattr(row, c.key)) for c in ApiToken.__table__.columns}
    assert token not in columns

    listing = client.get("/account/").get_data(as_text=True)
    assert token not in listing
    made = row.created_at.strftime("%Y-%m-%d")
    ((name, *cells),) = table_rows(listing, "tokens")
    assert cells == [f"{token[:12]}…", made, "never", "2099-12-31", "live", "Revoke"]
    # On a phone the details fold under the name.
    assert name == (
        f"Network monitoring {token[:12]}… made {made} · last used never · expires 2099-12-31"
    )


def test_a_token_needs_a_name_and_a_future_expiry(client, session, login_as) -> None:
    login_as(Role.PMO)
    page = client.post("/account/tokens", data={"name": " "}).get_data(as_text=True)
    assert "Give the token a name" in page and "rlt_" not in page
    page = client.post(
        "/account/tokens", data={"name": "Late", "expires_at": "2020-01-01"}
    ).get_data(as_text=True)
    assert "The expiry date must be in the future." in page
    page = client.post(
        "/account/tokens", data={"name": "Odd", "expires_at": "31/12/2099"}
    ).get_data(as_text=True)
    assert "Not a valid date value." in page
    assert session.scalars(select(ApiToken)).all() == []


def test_the_owner_revokes_their_own_token_but_not_anyone_elses(
    client, session, users, login_as
) -> None:
    mine, _ = create_token(session, users[Role.PLANNER], name="Mine")
    theirs, _ = create_token(session, users[Role.STAFF], name="Theirs")
    session.commit()
    login_as(Role.PLANNER)

    assert client.post(f"/account/tokens/{theirs.id}/revoke").status_code == 404
    response = client.post(f"/account/tokens/{mine.id}/revoke", follow_redirects=True)
    assert "Token “Mine” revoked" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(ApiToken, mine.id).revoked_by_id == users[Role.PLANNER].id
    assert session.get(ApiToken, theirs.id).revoked_at is None
    rows = table_rows(response.get_data(as_text=True), "tokens")
    assert rows[0][5].startswith("revoked") and rows[0][6] == ""  # no Revoke button now


class TestWithCsrf:
    """CSRF is on in real use: making and revoking a token need the form's token."""

    @pytest.fixture
    def app_overrides(self) -> dict:
        return {"WTF_CSRF_ENABLED": True}

    def test_forms_need_their_csrf_token(self, client, session, login_as) -> None:
        login_as(Role.STAFF)
        assert client.post("/account/tokens", data={"name": "No CSRF"}).status_code == 400
        page = client.get("/account/").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        _page, _token = _make_token(client, "With CSRF", csrf_token=csrf)
        row = session.scalars(select(ApiToken)).one()
        assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 400
        response = client.post(f"/account/tokens/{row.id}/revoke", data={"csrf_token": csrf})
        assert response.status_code == 302


# The administrators' list ------------------------------------------------------------------


def test_administrators_list_filter_and_revoke_anyones_tokens(
    client, session, users, login_as
) -> None:
    staff, _ = create_token(session, users[Role.STAFF], name="Monitoring")
    create_token(session, users[Role.PMO], name="Dashboard")
    session.commit()
    login_as(Role.ADMIN)

    assert 'href="/admin/tokens"' in client.get("/admin/users").get_data(as_text=True)
    listing = client.get("/admin/tokens").get_data(as_text=True)
    names = sorted(row[1].split()[0] for row in table_rows(listing, "tokens"))
    assert names == ["Dashboard", "Monitoring"]
    one_user = client.get(f"/admin/tokens?user={users[Role.STAFF].id}").get_data(as_text=True)
    ((owner, name, *_cells),) = table_rows(one_user, "tokens")
    assert owner == "staff Test Infrastructure staff" and name.startswith("Monitoring staff ·")

    response = client.post(
        f"/admin/tokens/{staff.id}/revoke", data={"user": str(users[Role.STAFF].id)}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/tokens?user={users[Role.STAFF].id}")
    session.expire_all()
    assert session.get(ApiToken, staff.id).revoked_by_id == users[Role.ADMIN].id
    page = client.get("/admin/tokens").get_data(as_text=True)
    assert "revoked" in page and "by admin" in page
    assert client.post("/admin/tokens/999999/revoke").status_code == 404


@pytest.mark.parametrize("role", [Role.STAFF, Role.PLANNER, Role.PMO, Role.SITE_ADMIN])
def test_other_roles_cannot_see_everyones_tokens(client, users, login_as, role) -> None:
    login_as(role)
    assert client.get("/admin/tokens").status_code == 403


# The API: which tokens work ----------------------------------------------------------------


def test_a_live_token_acts_as_its_user_with_their_role(api, client, session, users) -> None:
    _row, token = create_token(session, users[Role.PLANNER], name="Reports")
    session.commit()
    response = client.get(WHOAMI, headers=bearer(token))
    assert response.status_code == 200 and response.json == {"user": "planner"}
    refused = client.get(STAFF_ONLY, headers=bearer(token))
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"


@pytest.mark.parametrize("case", ["revoked", "expired", "disabled user", "no header", "query"])
def test_tokens_that_do_not_work(api, client, session, users, case) -> None:
    user = users[Role.STAFF]
    expires_at = None
    if case == "expired":
        expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    row, token = create_token(session, user, name="Script", expires_at=expires_at)
    if case == "revoked":
        row.revoked_at = dt.datetime.now(dt.UTC)
    if case == "expired":
        row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    if case == "disabled user":
        disable_user(session, user, by=None)
    session.commit()
    if case == "no header":
        response = client.get(WHOAMI)
    elif case == "query":
        response = client.get(f"{WHOAMI}?access_token={token}&token={token}")
    else:
        response = client.get(WHOAMI, headers=bearer(token))
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert token not in response.get_data(as_text=True)


def test_the_token_never_reaches_a_log(api, session, users, caplog) -> None:
    """A real server's request log (werkzeug's, as in development) prints the path only, and
    nothing else the app logs at DEBUG carries the token, for a working or a refused one."""
    _good, token = create_token(session, users[Role.STAFF], name="Logged?")
    _revoked, revoked_token = create_token(session, users[Role.STAFF], name="Revoked")
    _revoked.revoked_at = dt.datetime.now(dt.UTC)
    session.commit()
    caplog.set_level(logging.DEBUG)
    # The browser tests quieten werkzeug's request log; this test reads it (restored after).
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for secret, status in ((token, 200), (revoked_token, 401)):
            connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            connection.request("GET", WHOAMI, headers=bearer(secret))
            assert connection.getresponse().status == status
            connection.close()
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
    assert f"GET {WHOAMI} HTTP/1.1" in caplog.text  # the request log was captured
    assert token not in caplog.text and revoked_token not in caplog.text
    assert token[12:] not in caplog.text


# The command line --------------------------------------------------------------------------


def _cli(app, *args: str):
    return app.test_cli_runner().invoke(args=["users", "token", *args])


def test_the_command_line_makes_lists_and_revokes_tokens(app, session, users) -> None:
    made = _cli(app, "create", "staff", "--name", "Nightly export", "--expires", "2099-01-31")
    assert made.exit_code == 0, made.output
    token = made.stdout.splitlines()[-1]
    assert made.stdout == token + "\n"  # the token alone on stdout (the note is on stderr)
    assert "shown only now" in made.stderr
    row = session.scalars(select(ApiToken)).one()
    assert row.token_hash == token_hash(token) and row.expires_at is not None

    listing = _cli(app, "list")
    assert listing.exit_code == 0
    assert f"{row.id}\tstaff\t{token[:12]}…\tlive\tNightly export" in listing.stdout
    assert "expires 2099-01-31" in listing.stdout and token not in listing.stdout
    assert _cli(app, "list", "planner").stdout == "No API tokens.\n"

    revoked = _cli(app, "revoke", str(row.id))
    assert revoked.exit_code == 0 and "revoked" in revoked.stdout
    session.expire_all()
    assert session.get(ApiToken, row.id).revoked_at is not None
    assert "\trevoked\t" in _cli(app, "list", "staff").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "nobody", "--name", "X"), "There is no user named nobody."),
        (("create", "leaver", "--name", "X"), "leaver is disabled"),
        (("create", "staff", "--name", "  "), "Give the token a name"),
        (("create", "staff", "--name", "X", "--expires", "2020-01-01"), "in the future"),
        (("create", "staff", "--name", "X", "--expires", "31/01/2099"), "YYYY-MM-DD"),
        (("list", "nobody"), "There is no user named nobody."),
        (("revoke", "999999"), "There is no token 999999"),
        (("revoke", "abc"), "not a token id"),
        (("revoke", "99999999999999999999"), "not a token id"),
    ],
)
def test_the_command_line_refuses_bad_input_in_one_line(app, session, users, args, message):
    disable_user(session, make_user(session, Role.PMO, username="leaver"), by=None)
    session.commit()
    result = _cli(app, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.output and result.stdout == ""
    assert session.scalars(select(ApiToken)).all() == []
