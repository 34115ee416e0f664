"""The pages of a server with accounts: sign in, roles, tokens for the JSON twins, sign out."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from redthread.web.accounts import add_user, new_token
from redthread.web.app import create_app
from tests.web.conftest import CaseServer

PASSWORD = "correct horse battery"


@pytest.fixture
def server(case_server: CaseServer) -> TestClient:
    store = case_server.store
    if store.user("ana") is None:
        add_user(store, "ana", PASSWORD, "analyst")
        add_user(store, "vic", PASSWORD, "viewer")
    return TestClient(create_app(case_server.settings, store))


def sign_in(client: TestClient, name: str, next_page: str = "/") -> str:
    client.get("/login")
    response = client.post(
        "/login",
        data={
            "name": name,
            "password": PASSWORD,
            "next": next_page,
            "csrf_token": client.cookies.get("rt_csrf"),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert "httponly" in response.headers["set-cookie"].lower()
    return str(response.headers["location"])


def test_pages_need_a_signed_in_user(server: TestClient) -> None:
    page = server.get("/cases/Garpiya", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/cases/Garpiya"
    twin = server.get("/cases/Garpiya", params={"format": "json"})
    assert twin.status_code == 401
    login_page = server.get("/login")
    assert login_page.status_code == 200 and 'type="password"' in login_page.text
    server.get("/login")
    wrong = server.post(
        "/login",
        data={"name": "ana", "password": "wrong", "csrf_token": server.cookies.get("rt_csrf")},
    )
    assert wrong.status_code == 401 and "wrong name or password" in wrong.text
    assert "rt_session" not in server.cookies


def test_sign_in_review_and_sign_out(server: TestClient) -> None:
    assert sign_in(server, "ana", "/cases/Garpiya") == "/cases/Garpiya"
    page = server.get("/cases/Garpiya")
    assert page.status_code == 200 and "ana (analyst)" in page.text
    refused = server.post(
        "/review",
        data={"kind": "match", "decision": "dismissed", "party": "x", "reason": "r",
              "entity_id": "nope", "csrf_token": server.cookies.get("rt_csrf")},
    )  # fmt: skip
    assert refused.status_code == 400  # allowed to decide; the entity is unknown
    server.post("/logout", data={"csrf_token": server.cookies.get("rt_csrf")})
    assert server.get("/", follow_redirects=False).status_code == 303


def test_a_viewer_reads_but_does_not_decide(server: TestClient) -> None:
    sign_in(server, "vic")
    assert server.get("/review").status_code == 200
    entity_pages = server.get("/cases/Garpiya", params={"format": "json"}).json()["entities"]
    page = server.get(f"/cases/Garpiya/entities/{entity_pages[0]['id']}")
    assert 'value="dismissed"' not in page.text  # no review form for a viewer
    refused = server.post(
        "/review",
        data={"kind": "match", "decision": "dismissed", "party": "x", "reason": "r",
              "csrf_token": server.cookies.get("rt_csrf")},
    )  # fmt: skip
    assert refused.status_code == 403 and "needs the role analyst" in refused.text


def test_json_twins_take_an_api_token(server: TestClient, case_server: CaseServer) -> None:
    token = new_token(case_server.store, "vic", "script")
    twin = server.get(
        "/lists", params={"format": "json"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert twin.status_code == 200 and twin.json()["versions"]


def test_after_sign_in_only_this_site(server: TestClient) -> None:
    assert sign_in(server, "ana", "//evil.example/x") == "/"
    assert sign_in(server, "ana", "https://evil.example/") == "/"
