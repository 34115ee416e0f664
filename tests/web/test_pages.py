"""The web pages over an investigated case, on SQLite and PostgreSQL: each page, its JSON
twin, hostile documents shown as text, CSRF, reviews recorded and respected."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from redthread.web.app import create_app
from tests.web.conftest import CaseServer

CASE = "/cases/Garpiya"


@pytest.fixture
def client(case_server: CaseServer) -> TestClient:
    return TestClient(create_app(case_server.settings, case_server.store))


def csrf(client: TestClient) -> str:
    """The CSRF token a page gave the browser (any page sets the cookie)."""
    client.get("/screen")
    token = client.cookies.get("rt_csrf")
    assert token
    return token


def case_entity(client: TestClient, name: str) -> dict[str, Any]:
    entities = client.get(CASE, params={"format": "json"}).json()["entities"]
    (found,) = [e for e in entities if name in e["names"]]
    return found  # type: ignore[no-any-return]


class PageParser(HTMLParser):
    """What a page would run or follow: script elements, event attributes, links."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script":
            self.scripts.append(dict(attrs))
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("href", "src", "action") and value is not None:
                self.links.append(value)


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


PAGES = [
    "/",
    CASE,
    f"{CASE}/graph",
    "/search?q=Redlepus",
    "/screen",
    "/review",
    "/lists",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_and_has_a_json_twin(client: TestClient, url: str) -> None:
    page = client.get(url)
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert parse(page.text).handlers == []  # no inline event handler anywhere
    twin = client.get(url + ("&" if "?" in url else "?") + "format=json")
    assert twin.status_code == 200 and twin.headers["content-type"] == "application/json"
    assert isinstance(twin.json(), dict)
    accept = client.get(url, headers={"Accept": "application/json"})
    assert accept.json() == twin.json()


def test_search_finds_parties_in_any_script_and_with_typos(client: TestClient) -> None:
    typo = client.get("/search", params={"q": "Redlepos", "format": "json"}).json()
    names = [e["names"][0] for e in typo["entities"]]
    assert names[0] == "Redlepus Vector Industry Shenzhen Co Ltd"
    assert typo["entities"][0]["exposure"] == "sanctioned"
    # the documents that mention the party are found although the word is misspelt
    assert any("mentions Redlepus" in d["why"] for d in typo["documents"])
    cyrillic = client.get("/search", params={"q": "Купол", "format": "json"}).json()
    assert "IEMZ Kupol" in [e["names"][0] for e in cyrillic["entities"]]
    words = client.get("/search", params={"q": "Garpiya-3 drones", "format": "json"}).json()
    assert any(d["why"] == "the text has the words" for d in words["documents"])
    listed = client.get("/search", params={"q": "Redlepus", "format": "json"}).json()["listed"]
    assert listed[0]["id"] == "sdn-excerpt-51265" and listed[0]["explanation"]
    empty = client.get("/search", params={"q": "Zzyzx Qwerty", "format": "json"}).json()
    assert empty["entities"] == [] and empty["documents"] == []


def test_the_entity_page_shows_hits_paths_relations_documents(client: TestClient) -> None:
    redlepus = case_entity(client, "Redlepus Vector Industry Shenzhen Co Ltd")
    url = f"{CASE}/entities/{redlepus['id']}"
    data = client.get(url, params={"format": "json"}).json()
    entity = data["entity"]
    (hit,) = [c for c in entity["sanctions"] if c["list_entity_id"] == "51265"]
    assert hit["match"] and "'REDLEPUS' equal" in hit["explanation"]
    assert entity["exposure"]["level"] == "sanctioned"
    assert data["relations"] and all(r["evidence"] or r.get("sources") for r in data["relations"])
    assert {r["stance"] for r in data["relations"]} >= {"asserted"}
    assert len(data["documents"]) == 3  # the seed, the follow-up and the hostile page
    assert data["merges"] and len(data["merges"][0]["members"]) >= 2
    page = client.get(url).text
    assert "REDLEPUS VECTOR INDUSTRY SHENZHEN CO LTD" in page
    assert 'name="decision" value="dismissed"' in page  # the local user may review
    # a party that is exposed through a path shows the path with its sentences
    kupol = case_entity(client, "IEMZ Kupol")
    exposed = client.get(f"{CASE}/entities/{kupol['id']}", params={"format": "json"}).json()
    paths = exposed["entity"]["exposure"]["paths"]
    assert paths and paths[0]["edges"][0]["evidence"][0]["text"]
    missing = client.get(f"{CASE}/entities/nope")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "no entity &#39;nope&#39; in case &#39;Garpiya&#39;" in missing.text


def test_a_party_described_without_a_name_is_shown_as_such(client: TestClient) -> None:
    firm = case_entity(client, "unnamed Russian firm")
    page = client.get(f"{CASE}/entities/{firm['id']}").text
    assert "a Russian firm that acts as an intermediary with Chinese suppliers" in page
    assert "Not screened: the documents describe this party without naming it." in page


def test_the_document_page_links_mentions_and_lists_its_relations(
    client: TestClient, case_server: CaseServer
) -> None:
    document_id = case_server.case_documents["seed-article.txt"]
    data = client.get(f"/documents/{document_id}", params={"format": "json"}).json()
    mentioned = [s for s in data["segments"] if s["entity"]]
    assert len(mentioned) > 10
    assert "".join(s["text"] for s in data["segments"]).startswith(data["segments"][0]["text"])
    assert data["relations"] and all(r["evidence"] for r in data["relations"])
    page = client.get(f"/documents/{document_id}").text
    assert f'href="{CASE}/entities/' in page


def test_a_hostile_document_shows_as_text(client: TestClient, case_server: CaseServer) -> None:
    document_id = case_server.case_documents["hostile.html"]
    for url in (f"/documents/{document_id}", f"/documents/{document_id}?case=Garpiya"):
        page = client.get(url)
        assert page.status_code == 200
        parsed = parse(page.text)
        assert parsed.scripts == []  # the document page runs no script at all
        assert parsed.handlers == []
        assert "img" not in parsed.tags and "b" not in parsed.tags
        assert all(link.startswith("/") for link in parsed.links), parsed.links
        assert "&lt;img src=x onerror=alert(&#39;img&#39;)&gt;" in page.text
        assert "javascript:alert" not in [link[:16] for link in parsed.links]
    # its parties are still found and linked
    data = client.get(f"/documents/{document_id}", params={"format": "json"}).json()
    assert [s["text"] for s in data["segments"] if s["entity"]][:2] == [
        "Nova Drone Parts Ltd",
        "Redlepus Vector Industry Shenzhen Co Ltd",
    ]


def test_the_graph_expands_from_an_entity(client: TestClient) -> None:
    redlepus = case_entity(client, "Redlepus Vector Industry Shenzhen Co Ltd")
    page = client.get(f"{CASE}/graph", params={"entity": redlepus["id"]})
    scripts = [s.get("src") for s in parse(page.text).scripts]
    assert scripts == ["/vendor/cytoscape.min.js", "/static/graph.js"]
    assert client.get("/vendor/cytoscape.min.js").text.startswith("/**")
    assert "redthreadGraph" in client.get("/static/graph.js").text
    first = client.get(f"{CASE}/neighbours", params={"entity": redlepus["id"]}).json()
    ids = {n["id"] for n in first["nodes"]}
    assert redlepus["id"] in ids and len(ids) > 2
    assert any(n["sanctioned"] for n in first["nodes"])
    assert {e["type"] for e in first["edges"]} and all(e["stance"] for e in first["edges"])
    other = next(n["id"] for n in first["nodes"] if n["id"] != redlepus["id"])
    second = client.get(f"{CASE}/neighbours", params={"entity": other}).json()
    assert other in {n["id"] for n in second["nodes"]}
    assert client.get(f"{CASE}/neighbours", params={"entity": "nope"}).status_code == 404


def test_forms_need_the_csrf_token_and_this_site(client: TestClient) -> None:
    form = {"kind": "match", "decision": "dismissed", "party": "x", "reason": "r"}
    assert client.post("/review", data=form).status_code == 403
    assert client.post("/review", data={**form, "csrf_token": "forged"}).status_code == 403
    token = csrf(client)
    other_site = client.post(
        "/review",
        data={**form, "csrf_token": token},
        headers={"Origin": "https://evil.example"},
    )
    assert other_site.status_code == 403
    assert client.post("/screen", data={"name": "Kupol"}).status_code == 403


def test_a_dismissed_match_is_logged_and_shown(client: TestClient) -> None:
    limbach = case_entity(client, "Xiamen Limbach Aircraft Engine Co")
    url = f"{CASE}/entities/{limbach['id']}"
    (hit,) = [c for c in client.get(url, params={"format": "json"}).json()["entity"]["sanctions"]]
    missing_reason = client.post(
        "/review",
        data={
            "csrf_token": csrf(client),
            "kind": "match",
            "decision": "dismissed",
            "party": limbach["id"],
            "entity_id": hit["entity_id"],
            "reason": " ",
        },
    )
    assert missing_reason.status_code == 400 and "reason" in missing_reason.text
    done = client.post(
        "/review",
        data={
            "csrf_token": csrf(client),
            "kind": "match",
            "decision": "dismissed",
            "party": limbach["id"],
            "names": limbach["names"],
            "case": "Garpiya",
            "entity_id": hit["entity_id"],
            "reason": "another Limbach: the address differs",
            "next": url,
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == url
    log = client.get("/review", params={"format": "json"}).json()["reviews"]
    entry = next(r for r in log if r["party"] == limbach["id"])
    assert entry["reviewer"].startswith("local:") and entry["decision"] == "dismissed"
    assert entry["list"] == "sdn_excerpt" and entry["list_version"] and entry["entry_sha256"]
    shown = client.get(url, params={"format": "json"}).json()["entity"]["sanctions"][0]
    assert shown["match"] is False and shown["review"]["reason"].startswith("another Limbach")
    assert "another Limbach" in client.get("/review").text


def test_screening_one_name_and_a_csv(client: TestClient) -> None:
    token = csrf(client)
    one = client.post(
        "/screen",
        data={
            "csrf_token": token,
            "name": "Redlepus Vector Industry Shenzhen",
            "schema": "Company",
        },
        params={"format": "json"},
    ).json()
    (result,) = one["results"]
    assert result["candidates"][0]["list_entity_id"] == "51265"
    assert result["candidates"][0]["explanation"]
    upload = (
        b"id,name,country\nq1,Redlepus Vector Industry Shenzhen,cn\nq2,Nobody Known Here,\nq3,,\n"
    )
    page = client.post(
        "/screen",
        data={"csrf_token": token, "output": "page"},
        files={"file": ("parties.csv", upload, "text/csv")},
    )
    assert page.status_code == 200 and "the name is empty" in page.text
    download = client.post(
        "/screen",
        data={"csrf_token": token, "output": "csv"},
        files={"file": ("parties.csv", upload, "text/csv")},
    )
    assert download.headers["content-disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert [r["query_id"] for r in rows][:1] == ["q1"] and rows[0]["match"] == "True"
    assert {r["query_id"] for r in rows} == {"q1", "q2", "q3"}
    assert next(r for r in rows if r["query_id"] == "q3")["error"] == "the name is empty"
    no_name = client.post(
        "/screen",
        data={"csrf_token": token},
        files={"file": ("x.csv", b"company\nKupol\n", "text/csv")},
    )
    assert no_name.status_code == 400 and "needs a &#39;name&#39; column" in no_name.text
    nothing = client.post("/screen", data={"csrf_token": token})
    assert nothing.status_code == 400


def test_lists_page_and_listed_entity(client: TestClient) -> None:
    lists = client.get("/lists", params={"format": "json"}).json()
    (version,) = [v for v in lists["versions"] if v["name"] == "sdn_excerpt"]
    assert version["parties"] > 0 and version["sha256"]
    listed = client.get("/listed/sdn-excerpt-51265")
    assert listed.status_code == 200 and "REDLEPUS" in listed.text
    same = client.get("/lists/diff", params={"old": version["id"], "new": version["id"]})
    assert same.status_code == 200 and "0 added, 0 removed, 0 changed" in same.text
    assert client.get("/lists/diff", params={"old": 999, "new": 1}).status_code == 404


def test_the_api_keeps_json_errors(client: TestClient) -> None:
    missing = client.get("/entities/nope", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and missing.json()["detail"]


def test_assessing_again_applies_decisions_to_exposure(
    client: TestClient, case_server: CaseServer
) -> None:
    """Reassessing changes nothing but what decisions and lists change: a dismissed
    match stops making the party sanctioned; confirmed again, it is sanctioned again."""
    store = case_server.store
    before = store.latest_findings("Garpiya")
    assert before is not None
    redlepus = case_entity(client, "Redlepus Vector Industry Shenzhen Co Ltd")

    def decide(decision: str) -> None:
        response = client.post(
            "/review",
            data={"csrf_token": csrf(client), "kind": "match", "decision": decision,
                  "party": redlepus["id"], "names": redlepus["names"], "case": "Garpiya",
                  "entity_id": "sdn-excerpt-51265", "reason": f"{decision} in a test"},
        )  # fmt: skip
        assert response.status_code == 200  # followed to the review log

    def reassessed() -> dict[str, Any]:
        done = client.post(
            f"{CASE}/reassess", data={"csrf_token": csrf(client)}, follow_redirects=False
        )
        assert done.status_code == 303 and done.headers["location"] == CASE
        latest = store.latest_findings("Garpiya")
        assert latest is not None
        return latest[1]

    baseline = reassessed()  # with the decisions of the tests before this one
    decide("dismissed")
    dismissed = reassessed()
    entity = next(e for e in dismissed["entities"] if e["id"] == redlepus["id"])
    (hit,) = [c for c in entity["sanctions"] if c["list_entity_id"] == "51265"]
    assert hit["match"] is False and hit["review"]["decision"] == "dismissed"
    assert entity["exposure"]["level"] != "sanctioned"
    decide("confirmed")
    confirmed = reassessed()
    entity = next(e for e in confirmed["entities"] if e["id"] == redlepus["id"])
    assert entity["exposure"]["level"] == "sanctioned"
    # the parties, relations and documents are those of the investigation
    for key in ("relations", "documents", "merges", "not_processed", "links"):
        assert confirmed[key] == before[1][key], key
    assert [e["id"] for e in confirmed["entities"]] == [e["id"] for e in before[1]["entities"]]
    assert [e["mentions"] for e in confirmed["entities"]] == [
        e["mentions"] for e in before[1]["entities"]
    ]
    for key in ("exposure", "ownership"):  # as before the dismissal; the review is new
        assert [e[key] for e in confirmed["entities"]] == [e[key] for e in baseline["entities"]]
    assert confirmed["timeline"] == baseline["timeline"] == before[1]["timeline"]
