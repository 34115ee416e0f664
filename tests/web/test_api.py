"""The yente-compatible API: the contract yente's clients read, scores with explanations,
datasets, errors; every /match recorded as a screening run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from fastapi.testclient import TestClient

from redthread.config import Settings
from redthread.store import Store
from redthread.web.app import create_app

CONTRACT = json.loads((Path(__file__).parent / "yente_match_response.schema.json").read_text())


def _match(
    client: TestClient, queries: dict[str, Any], path: str = "/match/default", **params: Any
) -> Any:
    response = client.post(path, json={"queries": queries}, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    jsonschema.validate(body, CONTRACT)
    return body


def test_a_yente_request_gets_a_yente_response(client: TestClient) -> None:
    body = _match(
        client,
        {
            "putin": {
                "schema": "Person",
                "properties": {"name": ["Vladimir Putin"], "birthDate": ["1952-10-07"]},
            },
            "rosoboron": {
                "schema": "Company",
                "properties": {"name": ["Rosoboronexport"], "country": ["ru"]},
            },
        },
    )
    assert body["limit"] == 5
    putin = body["responses"]["putin"]
    top = putin["results"][0]
    assert (top["id"], top["schema"], top["match"], top["datasets"]) == (
        "ofac-35096",
        "Person",
        True,
        ["ofac"],
    )
    assert "PUTIN" in top["caption"] and "1952-10-07" in top["properties"]["birthDate"]
    assert top["last_change"] == "2024-05-03"  # the list's publication date
    features = top["explanations"]
    assert set(features) >= {"name", "birth_date"}
    assert features["birth_date"]["detail"] == "birth date 1952-10-07 agrees"
    assert features["name"]["score"] >= 0.9 and "VLADIMIR" in features["name"]["detail"]
    assert putin["total"] == {"value": len(putin["results"]), "relation": "eq"}
    assert putin["query"]["schema"] == "Person"
    assert putin["query"]["properties"]["name"] == ["Vladimir Putin"]
    rosoboron = body["responses"]["rosoboron"]["results"][0]
    assert (rosoboron["id"], rosoboron["match"]) == ("ofac-18782", True)
    assert set(rosoboron["explanations"]) == {"name"}  # the listed entry has no country


def test_names_in_several_properties(client: TestClient) -> None:
    body = _match(
        client,
        {
            "parts": {
                "schema": "Person",
                "properties": {"firstName": ["Vladimir"], "lastName": ["Putin"]},
            },
            "aliases": {
                "schema": "Company",
                "properties": {"name": ["Zzyzx Qwvvt"], "alias": ["Rosoboroneksport"]},
            },
        },
    )
    assert body["responses"]["parts"]["results"][0]["id"] == "ofac-35096"
    assert body["responses"]["aliases"]["results"][0]["id"] == "ofac-18782"


def test_a_query_that_cannot_be_screened_says_why(client: TestClient) -> None:
    body = _match(
        client,
        {
            "nameless": {"schema": "Company", "properties": {"country": ["ru"]}},
            "fine": {"schema": "Company", "properties": {"name": ["Rosoboronexport"]}},
        },
    )
    nameless = body["responses"]["nameless"]
    assert nameless["status"] == 400 and nameless["results"] == []
    assert "no name" in nameless["detail"]
    assert body["responses"]["fine"]["status"] == 200


def test_parameters_datasets_and_algorithms(client: TestClient) -> None:
    query = {"q": {"schema": "Company", "properties": {"name": ["Rosoboronexport"]}}}
    body = _match(client, query, "/match/ofac", limit=1, threshold=0.99)
    (only,) = body["responses"]["q"]["results"]
    assert body["limit"] == 1 and only["match"] is (only["score"] >= 0.99)
    ofac = _match(client, query, algorithm="ofac")["responses"]["q"]["results"][0]
    assert set(ofac["explanations"]) == {"ofac_name"}
    assert client.post("/match/eu", json={"queries": query}).status_code == 404
    bad = client.post("/match/default", json={"queries": query}, params={"algorithm": "logic-v9"})
    assert bad.status_code == 422 and "redthread" in bad.text  # as yente: an enum
    unknown_schema = {"q": {"schema": "Spaceship", "properties": {"name": ["Kupol"]}}}
    assert _match(client, unknown_schema)["responses"]["q"]["status"] == 400
    assert client.post("/match/default", json={"queries": "no"}).status_code == 422
    many = {f"q{n}": query["q"] for n in range(101)}
    too_many = client.post("/match/default", json={"queries": many})
    assert too_many.status_code == 422 and "at most 100" in too_many.text


def test_search_and_entities(client: TestClient) -> None:
    found = client.get("/search/default", params={"q": "rosoboroneksport", "limit": 3}).json()
    assert found["results"][0]["id"] == "ofac-18782"
    assert found["limit"] == 3 and found["offset"] == 0 and len(found["results"]) <= 3
    entity = client.get("/entities/ofac-35096").json()
    assert entity["schema"] == "Person" and "Vladimir" in " ".join(
        entity["properties"]["firstName"]
    )
    missing = client.get("/entities/ofac-0")
    assert missing.status_code == 404 and "no listed entity" in missing.json()["detail"]


def test_every_match_is_recorded(client: TestClient, ofac_store: tuple[Store, Path]) -> None:
    store, _ = ofac_store
    recorder = client.app.state.recorder  # type: ignore[attr-defined]
    recorder.flush()  # what the earlier tests screened
    before = len(store.screening_runs())
    query = {"q": {"schema": "Company", "properties": {"name": ["Kupol"]}}}
    _match(client, query, "/match/ofac")
    _match(client, {**query, "r": query["q"]}, "/match/ofac")
    assert recorder.flush() == 1
    runs = store.screening_runs()
    assert len(runs) == before + 1
    run = runs[0]
    assert run["source"].startswith("api: /match/ofac (2 requests, ")
    assert run["query_count"] == 3
    assert run["threshold"] == 0.7 and run["algorithm"] == "redthread"


def test_without_a_list_the_api_says_so(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'rt.db'}")
    client = TestClient(create_app(settings))
    query = {"q": {"schema": "Company", "properties": {"name": ["Kupol"]}}}
    response = client.post("/match/default", json={"queries": query})
    assert response.status_code == 503 and "no list is loaded" in response.json()["detail"]
    assert client.get("/healthz").json() == {"status": "ok"}


def test_the_openapi_description(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/match/{dataset}", "/search/{dataset}", "/entities/{entity_id}"} <= set(spec["paths"])
    assert "yente" in spec["info"]["description"]
    assert client.get("/docs").status_code == 200
