"""The web application: the yente-compatible matching API (``/match``, ``/search``,
``/entities``), with its OpenAPI description at ``/openapi.json`` and ``/docs``, and the
web pages for analysts (redthread.web.pages)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from importlib.resources import files
from typing import Annotated, Any, Literal, get_args

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from redthread import __version__
from redthread.config import Settings
from redthread.match.index import ALGORITHMS, DEFAULT_ALGORITHM, Candidate, MatchIndex
from redthread.model import ListVersion
from redthread.store import Store
from redthread.web import pages
from redthread.web.accounts import Authenticator, User
from redthread.web.case import CaseCache
from redthread.web.security import Forbidden, LoginRequired
from redthread.web.service import (
    ListService,
    NoListLoaded,
    RunRecorder,
    UnknownDataset,
    best_candidates,
    search_queries,
)
from redthread.web.yente import (
    EntityMatchResponse,
    EntityResponse,
    MatchRequest,
    QueryError,
    SearchResponse,
    Total,
    explanations,
    queries_for,
)

#: yente's algorithm names that mean "the default one" here.
DEFAULT_ALIASES = ("best", "default")
#: The algorithms a request may name (as in yente, another name is refused: 422).
Algorithm = Literal["redthread", "ofac", "best", "default"]
assert set(get_args(Algorithm)) == {*ALGORITHMS, *DEFAULT_ALIASES}
MAX_LIMIT = 100
#: The errors every endpoint may answer, for the OpenAPI description.
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "a token is needed: the server has users (redthread users)"}
}
DATASET_ERRORS: dict[int | str, dict[str, Any]] = {
    **AUTH_ERRORS,
    404: {"description": "an unknown dataset"},
    503: {"description": "no list is loaded"},
}
CYTOSCAPE = (files("redthread.report") / "static" / "cytoscape.min.js").read_bytes()
STATIC_HEADERS = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}

DESCRIPTION = """\
Screening against the loaded sanctions lists, with the request and response JSON of
OpenSanctions' yente: existing yente clients work unchanged. The dataset `default` is
every loaded list; a list's name (`ofac`) is that list alone. A result's `id` is the
list's name and the list's own id (`ofac-46431`); `explanations` gives the score part
by part (the name's score, then what the country, birth date or identifiers changed).
Every `/match` call is counted in a recorded screening run (list versions, algorithm,
threshold; written every few seconds), so that a result can be reproduced later.
"""


async def _lists_service(request: Request) -> ListService:
    # async, as every dependency of /match: a plain function would run in a thread
    service: ListService = request.app.state.lists
    return service


async def _caller(request: Request) -> User | None:
    """Who is asking: the user of the request's token, where the server has accounts
    (``Authorization: Bearer <token>``, or yente's ``ApiKey <token>``); without
    accounts nobody is asked (the server then listens on this machine only)."""
    auth: Authenticator = request.app.state.auth
    if not auth.required():
        return None
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() not in ("bearer", "apikey") or not token.strip():
        raise HTTPException(
            401,
            "this server needs an API token: Authorization: Bearer <token> "
            "(redthread users token NAME makes one)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    user = auth.user(token.strip())
    if user is None:
        raise HTTPException(
            401, "unknown or revoked token, or the user is disabled", {"WWW-Authenticate": "Bearer"}
        )
    return user


Lists = Annotated[ListService, Depends(_lists_service)]
Caller = Annotated[User | None, Depends(_caller)]
Dataset = Annotated[
    str,
    Path(description="default (every loaded list) or the name of one loaded list, e.g. ofac"),
]


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """The application over ``store`` (default: the one the settings name)."""
    store = store or Store.open(settings.database)
    recorder = RunRecorder(store)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        recorder.close()  # the runs counted since the last write

    app = FastAPI(
        title="redthread", version=__version__, description=DESCRIPTION, lifespan=lifespan
    )
    app.state.settings = settings
    app.state.store = store
    app.state.lists = ListService(store, settings.data_dir)
    app.state.recorder = recorder
    app.state.auth = Authenticator(store)
    app.state.cases = CaseCache(store)
    app.state.diffs = {}
    app.include_router(pages.router)
    app.add_exception_handler(StarletteHTTPException, pages.handle_http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Forbidden, pages.handle_forbidden)  # type: ignore[arg-type]
    app.add_exception_handler(LoginRequired, pages.handle_login_required)
    app.mount("/static", StaticFiles(directory=str(files("redthread.web") / "static")), "static")

    @app.get("/vendor/cytoscape.min.js", include_in_schema=False)
    def cytoscape() -> Response:
        """Cytoscape.js, bundled with the package (from npm; MIT licence beside it)."""
        return Response(CYTOSCAPE, media_type="text/javascript", headers=STATIC_HEADERS)

    @app.get("/healthz", tags=["system"])
    def healthz() -> dict[str, str]:
        """The server is up."""
        return {"status": "ok"}

    @app.post(
        "/match/{dataset}",
        response_model=EntityMatchResponse,
        response_model_by_alias=True,
        tags=["matching"],
        responses=DATASET_ERRORS,
    )
    async def match(
        request: Request,
        request_body: MatchRequest,
        dataset: Dataset,
        service: Lists,
        caller: Caller,
        threshold: Annotated[
            float | None,
            Query(ge=0.0, le=1.0, description="Match threshold (default: the server's setting)."),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Results per query.")] = 5,
        algorithm: Annotated[
            Algorithm, Query(description="redthread (the default; also 'best') or ofac.")
        ] = "redthread",
    ) -> JSONResponse:
        """Screen entities (yente's /match): for each query, the listed parties that may
        be the same, best first, with scores and explanations."""
        # async: the work is short and bound to the CPU, so it runs on the event loop
        # instead of being handed to a thread (which cost as much as the screening)
        chosen = _algorithm(algorithm)
        index, versions, names = _lists(service, dataset)
        cutoff = threshold if threshold is not None else _default_threshold(settings, chosen)
        # plain dicts, as EntityMatchResponse describes them (schemathesis checks they
        # conform): building the models and validating them again doubled a request's cost
        responses: dict[str, dict[str, Any]] = {}
        for query_id, example in request_body.queries.items():
            echo = example.model_dump(by_alias=True)
            try:
                queries = queries_for(example)
            except QueryError as exc:
                responses[query_id] = _matches([], echo, status=400, detail=str(exc))
                continue
            candidates = best_candidates(index, queries, cutoff, limit, names, chosen)
            found = service.entities([c.entity_id for c in candidates])
            responses[query_id] = _matches([_scored(found, c) for c in candidates], echo)
        recorder: RunRecorder = request.app.state.recorder
        recorder.add(
            versions,
            cutoff,
            limit,
            names,
            len(request_body.queries),
            f"api: /match/{dataset}" + (f" by {caller.name}" if caller else ""),
            chosen,
        )
        return JSONResponse({"responses": responses, "limit": limit})

    @app.get(
        "/search/{dataset}",
        response_model=SearchResponse,
        response_model_by_alias=True,
        tags=["matching"],
        responses=DATASET_ERRORS,
    )
    def search(
        dataset: Dataset,
        service: Lists,
        _caller: Caller,
        q: Annotated[str, Query(min_length=1, max_length=500, description="A name.")],
        schema: Annotated[
            str | None,
            Query(
                description="Only entities of this FtM schema (Person, Company, Organization, "
                "LegalEntity, Vessel, Airplane); default: all."
            ),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
        offset: Annotated[int, Query(ge=0, le=1000)] = 0,
    ) -> SearchResponse:
        """Find listed entities by name (yente's /search): any script, typos tolerated."""
        index, _, names = _lists(service, dataset)
        try:
            queries = search_queries(q, schema)
        except QueryError as exc:
            raise HTTPException(400, str(exc)) from exc
        found = best_candidates(index, queries, 1.0, offset + limit, names, DEFAULT_ALGORITHM)
        results = [_entity_response(service, c.entity_id) for c in found[offset:]]
        return SearchResponse(
            results=[r for r in results if r is not None],
            total=Total(value=len(found), relation="eq" if len(found) < offset + limit else "gte"),
            limit=limit,
            offset=offset,
        )

    @app.get(
        "/entities/{entity_id}",
        response_model=EntityResponse,
        response_model_by_alias=True,
        tags=["data"],
        responses={**AUTH_ERRORS, 404: {"description": "no listed entity with this id"}},
    )
    def entity(
        entity_id: Annotated[str, Path(description="e.g. ofac-46431")],
        service: Lists,
        _caller: Caller,
    ) -> EntityResponse:
        """A listed entity by its id (yente's /entities): its FtM properties."""
        try:
            found = _entity_response(service, entity_id)
        except NoListLoaded as exc:
            raise HTTPException(404, str(exc)) from exc
        if found is None:
            raise HTTPException(404, f"no listed entity {entity_id!r} in the active lists")
        return found

    return app


def _algorithm(name: str) -> str:
    return DEFAULT_ALGORITHM if name in DEFAULT_ALIASES else name


def _default_threshold(settings: Settings, algorithm: str) -> float:
    return settings.ofac_threshold if algorithm == "ofac" else settings.match_threshold


def _lists(
    service: ListService, dataset: str
) -> tuple[MatchIndex, list[ListVersion], list[str] | None]:
    try:
        return service.lists_for(dataset)
    except UnknownDataset as exc:
        raise HTTPException(404, str(exc)) from exc
    except NoListLoaded as exc:
        raise HTTPException(503, str(exc)) from exc


def _matches(
    results: list[dict[str, Any]],
    query: dict[str, Any],
    status: int = 200,
    detail: str | None = None,
) -> dict[str, Any]:
    """One query's part of a /match response (:class:`EntityMatches`)."""
    return {
        "status": status,
        "results": results,
        "total": {"value": len(results), "relation": "eq"},
        "query": query,
        "detail": detail,
    }


def _entity_response(service: ListService, entity_id: str) -> EntityResponse | None:
    found = service.entity(entity_id)
    return None if found is None else EntityResponse(**found)


def _scored(entities: dict[str, dict[str, Any]], candidate: Candidate) -> dict[str, Any]:
    """A candidate as the API gives it (:class:`ScoredEntityResponse`)."""
    found = entities.get(candidate.entity_id)
    if found is not None:
        data = dict(found)
    else:  # the index knows it, the store no longer does: what the index has
        data = {
            "id": candidate.entity_id,
            "caption": candidate.caption,
            "schema": candidate.schema,
            "properties": {"name": [candidate.caption]},
            "datasets": [candidate.list],
            "referents": [],
            "target": True,
            "first_seen": None,
            "last_seen": None,
            "last_change": None,
        }
    data["score"] = candidate.score
    data["match"] = candidate.match
    data["explanations"] = explanations(candidate)
    return data


def app_from_environment() -> FastAPI:
    """The application with the settings of the environment (for ``serve --workers``:
    each server process builds its own)."""
    from redthread.config import load_settings

    return create_app(load_settings())
