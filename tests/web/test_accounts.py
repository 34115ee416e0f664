"""Users, roles and tokens: passwords hashed, tokens shown once, every request of a
server with users needs a token, and a server without users stays on this machine."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from redthread import cli
from redthread.config import Settings
from redthread.lists import load_list, read_list
from redthread.store import Store
from redthread.web import accounts
from redthread.web.accounts import AccountError, add_user, change_user, login, new_token
from redthread.web.app import create_app
from tests.conftest import SHARED_DATA

LATE = SHARED_DATA / "sanctions" / "ofac-late-2025"
QUERY = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Redlepus TSK Vector"]}}}}


@pytest.fixture
def store(db_url: str) -> Store:
    store = Store.open(db_url)
    load_list(store, read_list([LATE / "sdn-excerpt.csv", LATE / "alt.csv"], name="ofac"))
    return store


def test_users_and_passwords(store: Store) -> None:
    add_user(store, "alice", "correct horse battery", "analyst")
    stored = store.user("alice")
    assert stored is not None and stored["password_hash"].startswith("$argon2id$")
    assert "correct horse" not in stored["password_hash"]
    user = login(store, "alice", "correct horse battery")
    assert user is not None and user.can("viewer") and user.can("analyst") and not user.can("admin")
    assert login(store, "alice", "wrong password!!") is None
    assert login(store, "nobody", "correct horse battery") is None
    for name, password, role, message in [
        ("alice", "another long password", "viewer", "already a user"),
        ("bob", "short", "viewer", "at least 12"),
        ("bob", "a long enough password", "superuser", "unknown role"),
        ("bob smith", "a long enough password", "viewer", "a user name is"),
    ]:
        with pytest.raises(AccountError, match=message):
            add_user(store, name, password, role)
    change_user(store, "alice", disabled=True)
    assert login(store, "alice", "correct horse battery") is None
    with pytest.raises(AccountError, match="no user"):
        change_user(store, "carol", role="admin")


def test_a_server_with_users_needs_a_token(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts, "AUTH_CACHE_SECONDS", 0.0)
    client = TestClient(create_app(Settings(data_dir=tmp_path), store))
    assert client.post("/match/default", json=QUERY).status_code == 200  # no users yet
    add_user(store, "alice", "correct horse battery", "viewer")
    token = new_token(store, "alice", "screening job")
    assert token.startswith("rt_") and len(token) > 40
    refused = client.post("/match/default", json=QUERY)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert "needs an API token" in refused.json()["detail"]
    wrong = client.post("/match/default", json=QUERY, headers={"Authorization": "Bearer rt_x"})
    assert wrong.status_code == 401
    for scheme in ("Bearer", "ApiKey"):  # yente's clients send ApiKey
        answered = client.post(
            "/match/default", json=QUERY, headers={"Authorization": f"{scheme} {token}"}
        )
        assert answered.status_code == 200
        assert answered.json()["responses"]["q"]["results"][0]["id"] == "ofac-51265"
    assert client.get("/entities/ofac-51265").status_code == 401
    assert (
        client.get("/entities/ofac-51265", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )
    client.app.state.recorder.flush()  # type: ignore[attr-defined]
    assert store.screening_runs()[0]["source"].startswith("api: /match/default by alice (")
    (listed,) = store.tokens("alice")
    assert listed["label"] == "screening job" and token not in str(listed)
    accounts.revoke_token(store, listed["id"])
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/match/default", json=QUERY, headers=headers).status_code == 401


def test_the_users_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path)]
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.append(options))

    refused = runner.invoke(cli.app, [*data, "serve", "--host", "0.0.0.0"])
    assert refused.exit_code == 2 and "has no users" in refused.output
    assert "no users" in runner.invoke(cli.app, [*data, "users"]).output

    added = runner.invoke(
        cli.app,
        [*data, "users", "add", "alice", "--role", "admin", "--password-stdin"],
        input="correct horse battery\n",
    )
    assert added.exit_code == 0, added.output
    short = runner.invoke(
        cli.app, [*data, "users", "add", "bob", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 2 and "at least 12" in short.output
    made = runner.invoke(cli.app, [*data, "users", "token", "alice", "--label", "ci"])
    assert made.exit_code == 0 and made.stdout.strip().startswith("rt_")
    listed = runner.invoke(cli.app, [*data, "users"]).output
    assert "alice  admin  1 token(s)" in listed and "token 1 ci" in listed
    assert made.stdout.strip() not in listed

    served = runner.invoke(cli.app, [*data, "serve", "--host", "0.0.0.0", "--port", "8123"])
    assert served.exit_code == 0, served.output
    assert started == [{"host": "0.0.0.0", "port": 8123, "log_level": "warning"}]

    assert runner.invoke(cli.app, [*data, "users", "revoke", "1"]).exit_code == 0
    assert "0 token(s)" in runner.invoke(cli.app, [*data, "users"]).output
    assert runner.invoke(cli.app, [*data, "users", "revoke", "9"]).exit_code == 2
    disabled = runner.invoke(cli.app, [*data, "users", "set", "alice", "--disable"])
    assert disabled.exit_code == 0
    assert "alice  admin  disabled" in runner.invoke(cli.app, [*data, "users"]).output


def test_a_session_token_ends(sqlite_url: str) -> None:
    """A web session's token has an end; an API token lasts until it is revoked."""
    store = Store.open(sqlite_url)
    add_user(store, "ana", "correct horse battery", "analyst")
    ended = new_token(store, "ana", "web session", timedelta(seconds=-1))
    running = new_token(store, "ana", "web session", timedelta(hours=12))
    api = new_token(store, "ana", "script")
    auth = accounts.Authenticator(store)
    assert auth.user(ended) is None
    assert auth.user(running) is not None and auth.user(api) is not None
