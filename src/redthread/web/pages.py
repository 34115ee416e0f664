"""The web pages: search, cases and their entities, documents, the graph explorer,
screening, review and the lists. Server-rendered (Jinja2, every value escaped); each page
has a JSON twin: the same URL with ``?format=json`` (or ``Accept: application/json``).

The pages only read what the stages wrote (a case's findings, the lists, the audit log)
and call the stages' functions (screening, recording a decision): no logic lives here.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from importlib.resources import files
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from redthread.investigate import reassess
from redthread.lists.diff import diff_lists
from redthread.match.batch import (
    CANDIDATE_COLUMNS,
    BatchInputError,
    make_query,
    read_queries,
    screen_row,
)
from redthread.match.index import DEFAULT_ALGORITHM
from redthread.match.screen import record_run
from redthread.report.findings import save_findings
from redthread.review import (
    CONFIRMED,
    DECISIONS,
    KINDS,
    MATCH,
    ReviewBook,
    ReviewError,
    name_key,
    record_decision,
)
from redthread.store import Store
from redthread.web.accounts import User, login, new_token, revoke_session
from redthread.web.case import CaseCache, CaseView
from redthread.web.security import (
    CSRF_FIELD,
    GRAPH_POLICY,
    SESSION_COOKIE,
    SESSION_LABEL,
    SESSION_SECONDS,
    Forbidden,
    check_csrf,
    csrf_token,
    finish,
    page_user,
    require_role,
    safe_next,
    set_session,
)
from redthread.web.service import ListService, NoListLoaded, best_candidates, search_queries
from redthread.web.yente import QueryError

TEMPLATES = Jinja2Templates(directory=str(files("redthread.web") / "templates"))
#: At most this many rows of an uploaded CSV are screened on the page.
MAX_UPLOAD_ROWS = 5_000
MAX_UPLOAD_BYTES = 5 * 2**20
SCHEMAS = ("LegalEntity", "Company", "Organization", "Person", "Vessel", "Airplane")

router = APIRouter(include_in_schema=False)
PageUser = Annotated[User, Depends(page_user)]


def wants_json(request: Request) -> bool:
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return accept.startswith("application/json")


def render(
    request: Request,
    template: str,
    data: dict[str, Any],
    user: User,
    status: int = 200,
    policy: str | None = None,
) -> Response:
    """The page, or its JSON twin (``data`` as JSON); ``policy``: the page's own CSP."""
    if wants_json(request):
        return finish(request, JSONResponse(jsonable_encoder(data), status_code=status))
    context = {
        **data,
        "user": user,
        "accounts": request.app.state.auth.required(),
        "csrf": csrf_token(request),
        "csrf_field": CSRF_FIELD,
        "path": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    }
    response = TEMPLATES.TemplateResponse(request, template, context, status_code=status)
    return finish(request, response, policy)


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _cases(request: Request) -> CaseCache:
    cases: CaseCache = request.app.state.cases
    return cases


def _lists(request: Request) -> ListService:
    service: ListService = request.app.state.lists
    return service


def _case(request: Request, case: str) -> CaseView:
    view = _cases(request).get(case)
    if view is None:
        raise HTTPException(
            404,
            f"no investigated case {case!r}: run redthread investigate ... --case {case}",
        )
    return view


def _versions(request: Request) -> list[Any]:
    try:
        return _lists(request).current()[1]
    except NoListLoaded:
        return []


# -- home, login ------------------------------------------------------------------------


@router.get("/")
def home(request: Request, user: PageUser) -> Response:
    store = _store(request)
    investigated = _cases(request).cases()
    cases = [
        {"name": name, "documents": count, "investigated_at": investigated.get(name)}
        for name, count in store.cases()
    ]
    data = {
        "cases": cases,
        "lists": [_version_row(request, v) for v in _versions(request)],
        "reviews": store.reviews(limit=10),
    }
    return render(request, "home.html", data, user)


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    data = {"next": safe_next(next), "error": None}
    return render(request, "login.html", data, User("", "viewer"))


@router.post("/login")
def login_submit(
    request: Request,
    name: Annotated[str, Form(max_length=128)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token_: Annotated[str, Form(alias=CSRF_FIELD)] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_csrf(request, csrf_token_)
    store = _store(request)
    user = login(store, name, password)
    if user is None:
        data = {"next": safe_next(next), "error": "wrong name or password"}
        return render(request, "login.html", data, User("", "viewer"), status=401)
    token = new_token(store, user.name, SESSION_LABEL, timedelta(seconds=SESSION_SECONDS))
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session(request, response, token)
    return finish(request, response)


@router.post("/logout")
def logout(request: Request, csrf_token_: Annotated[str, Form(alias=CSRF_FIELD)] = "") -> Response:
    check_csrf(request, csrf_token_)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        revoke_session(_store(request), token)
        request.app.state.auth.forget(token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return finish(request, response)


# -- search -----------------------------------------------------------------------------


@router.get("/search")
def search(
    request: Request,
    user: PageUser,
    q: Annotated[str, Query(max_length=500)] = "",
    case: str | None = None,
) -> Response:
    """Parties of the investigated cases, documents, and listed parties, by name."""
    q = q.strip()
    entities: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    listed: list[dict[str, Any]] = []
    if q:
        views = [_case(request, case)] if case else _cases(request).all()
        for view in views:
            for score, entity in view.search(q)[:50]:
                entities.append(
                    {
                        "case": view.name,
                        "id": entity["id"],
                        "schema": entity["schema"],
                        "names": entity["names"],
                        "score": round(score, 3),
                        "exposure": entity["exposure"]["level"],
                    }
                )
        entities.sort(key=lambda e: -e["score"])
        documents = _search_documents(request, q, case, entities)
        listed = _search_lists(request, q)
    data = {"q": q, "case": case, "entities": entities, "documents": documents, "listed": listed}
    return render(request, "search.html", data, user)


def _search_documents(
    request: Request, q: str, case: str | None, entities: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Documents whose title or text has every word of the query, and documents that
    mention a party found by name (so a typo still finds them)."""
    words = name_key(q).split()
    found: dict[str, dict[str, Any]] = {}
    for document in _store(request).documents(case):
        haystack = name_key(f"{document.title or ''} {document.text}")
        if words and all(w in haystack for w in words):
            position = haystack.find(words[0])
            found[document.id] = {
                "id": document.id,
                "title": document.title or document.source,
                "source": document.source,
                "published": document.published,
                "why": "the text has the words",
                "snippet": haystack[max(0, position - 80) : position + 160],
            }
    for entity in entities[:20]:
        view = _cases(request).get(entity["case"])
        if view is None:
            continue
        for mentioning in view.documents_of(entity["id"]):
            found.setdefault(
                mentioning["id"],
                {
                    "id": mentioning["id"],
                    "title": mentioning["title"] or mentioning["source"],
                    "source": mentioning["source"],
                    "published": mentioning["published"],
                    "why": f"mentions {entity['names'][0]}",
                    "snippet": "",
                },
            )
    return list(found.values())[:50]


def _search_lists(request: Request, q: str) -> list[dict[str, Any]]:
    """Listed parties by name, as the API's /search finds them."""
    try:
        queries = search_queries(q)
        index, _ = _lists(request).current()
    except (QueryError, NoListLoaded):
        return []
    ranked = best_candidates(index, queries, 1.0, 10, None, DEFAULT_ALGORITHM)
    return [
        {
            "id": c.entity_id,
            "caption": c.caption,
            "schema": c.schema,
            "list": c.list,
            "score": c.score,
            "explanation": c.explanation,
        }
        for c in ranked
    ]


# -- cases, entities, documents, graph ----------------------------------------------------


@router.get("/cases/{case}")
def case_page(request: Request, case: str, user: PageUser) -> Response:
    view = _case(request, case)
    entities = sorted(
        view.findings["entities"],
        key=lambda e: (e["exposure"]["level"] == "none", e["schema"], e["names"][0]),
    )
    data = {
        "case": case,
        "investigated_at": view.investigated_at,
        "lists": view.findings["lists"],
        "threshold": view.findings["threshold"],
        "entities": [
            {
                "id": e["id"],
                "schema": e["schema"],
                "names": e["names"],
                "exposure": e["exposure"]["level"],
                "matches": sum(1 for c in e["sanctions"] if c["match"]),
            }
            for e in entities
        ],
        "documents": view.findings["documents"],
        "not_processed": view.findings["not_processed"],
        "not_extracted": view.findings["not_extracted"],
    }
    return render(request, "case.html", data, user)


@router.get("/cases/{case}/entities/{entity_id}")
def entity_page(request: Request, case: str, entity_id: str, user: PageUser) -> Response:
    view = _case(request, case)
    entity = view.entities.get(entity_id)
    if entity is None:
        other = view.others.get(entity_id)
        if other is None:
            raise HTTPException(404, f"no entity {entity_id!r} in case {case!r}")
        entity = {
            "id": other["id"],
            "schema": "LegalEntity",
            "names": [other["caption"]],
            "identifiers": {},
            "mentions": [],
            "sanctions": [],
            "exposure": {**other["exposure"], "paths": [], "contested_paths": []},
            "ownership": other.get("ownership"),
        }
    book = ReviewBook.load(_store(request), _versions(request))
    sanctions = []
    for candidate in entity["sanctions"]:
        decision = book.decision_for(
            entity_id, entity["names"], candidate["list"], candidate["entity_id"]
        )
        reviewed = dict(candidate)
        if decision is not None:  # decided since the investigation: the decision stands
            reviewed["review"] = decision.note()
            reviewed["match"] = decision.decision == CONFIRMED
        sanctions.append(reviewed)
    relations = [
        {
            **r,
            "source_name": view.caption(r["source"]),
            "target_name": view.caption(r["target"]),
        }
        for r in view.relations_of(entity_id)
    ]
    data = {
        "case": case,
        "entity": {**entity, "sanctions": sanctions},
        "relations": relations,
        "documents": view.documents_of(entity_id),
        "timeline": view.timeline_of(entity_id),
        "merges": view.merges_of(entity_id),
        "names": {n: view.caption(n) for n in _path_nodes(entity)},
        "reviews": [r for r in _store(request).reviews(case=case) if r["party"] == entity_id],
        "can_review": user.can("analyst"),
    }
    return render(request, "entity.html", data, user)


def _path_nodes(entity: dict[str, Any]) -> set[str]:
    nodes: set[str] = set()
    exposure = entity["exposure"]
    for path in [*exposure.get("paths", []), *exposure.get("contested_paths", [])]:
        nodes.update(path["via"])
        nodes.add(path["to"])
        for edge in path["edges"]:
            nodes.update((edge["source"], edge["target"]))
    return nodes


@router.get("/documents/{document_id}")
def document_page(
    request: Request, document_id: str, user: PageUser, case: str | None = None
) -> Response:
    """A document's text with its parties' mentions marked and linked, and the relations
    it states."""
    document = _store(request).get_document(document_id)
    if document is None:
        raise HTTPException(404, f"no document {document_id!r}")
    view: CaseView | None = None
    if case:
        view = _case(request, case)
    else:
        view = next((v for v in _cases(request).all() if document_id in v.documents), None)
    segments: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    if view is not None:
        position = 0
        for start, end, entity_id in view.mentions_in(document_id):
            if start > position:
                segments.append({"text": document.text[position:start], "entity": None})
            segments.append(
                {
                    "text": document.text[start:end],
                    "entity": entity_id,
                    "level": view.level(entity_id),
                }
            )
            position = end
        relations = [
            {
                **r,
                "source_name": view.caption(r["source"]),
                "target_name": view.caption(r["target"]),
                "evidence": [e for e in r["evidence"] if e["document"] == document_id],
            }
            for r in view.relations_in(document_id)
        ]
    else:
        position = 0
    if position < len(document.text):
        segments.append({"text": document.text[position:], "entity": None})
    data = {
        "case": view.name if view else None,
        "document": {
            "id": document.id,
            "title": document.title,
            "source": document.source,
            "media_type": document.media_type,
            "published": document.published,
            "language": document.language,
            "status": document.status.value,
            "note": document.note,
        },
        "segments": segments,
        "relations": relations,
    }
    return render(request, "document.html", data, user)


@router.get("/cases/{case}/graph")
def graph_page(request: Request, case: str, user: PageUser, entity: str | None = None) -> Response:
    """The graph explorer; its JSON twin is the chosen entity's neighbourhood."""
    view = _case(request, case)
    start = entity
    if start is None or (start not in view.entities and start not in view.others):
        exposed = [e for e in view.findings["entities"] if e["exposure"]["level"] != "none"]
        pool = exposed or view.findings["entities"]
        start = pool[0]["id"] if pool else None
    data = {
        "case": case,
        "entity": start,
        "types": sorted({e["type"] for e in view.edges()}),
        "stances": sorted({e.get("stance") or "asserted" for e in view.edges()}),
        **(view.neighbourhood(start) if start else {"nodes": [], "edges": []}),
    }
    return render(request, "graph.html", data, user, policy=GRAPH_POLICY)


@router.get("/cases/{case}/neighbours")
def neighbours(request: Request, case: str, entity: str, user: PageUser) -> Response:
    """An entity's neighbours and the edges to them (JSON, for the graph explorer)."""
    view = _case(request, case)
    if entity not in view.entities and entity not in view.others:
        raise HTTPException(404, f"no entity {entity!r} in case {case!r}")
    return finish(request, JSONResponse(view.neighbourhood(entity)))


@router.get("/listed/{entity_id}")
def listed_page(request: Request, entity_id: str, user: PageUser) -> Response:
    """A listed party as its list gives it."""
    try:
        found = _lists(request).entity(entity_id)
    except NoListLoaded as exc:
        raise HTTPException(404, str(exc)) from exc
    if found is None:
        raise HTTPException(404, f"no listed entity {entity_id!r} in the active lists")
    return render(request, "listed.html", {"entity": found}, user)


# -- screening --------------------------------------------------------------------------


@router.get("/screen")
def screen_page(request: Request, user: PageUser) -> Response:
    data = {"schemas": SCHEMAS, "results": None, "error": None, "name": "", "schema": "LegalEntity"}
    return render(request, "screen.html", data, user)


@router.post("/screen")
async def screen_submit(
    request: Request,
    user: PageUser,
    csrf_token_: Annotated[str, Form(alias=CSRF_FIELD)] = "",
    name: Annotated[str, Form(max_length=500)] = "",
    schema_: Annotated[str, Form(alias="schema", max_length=64)] = "LegalEntity",
    country: Annotated[str, Form(max_length=200)] = "",
    file: Annotated[UploadFile | None, File()] = None,
    output: Annotated[str, Form()] = "page",
) -> Response:
    """Screen one name, or each row of an uploaded CSV (a ``name`` column; ``schema``,
    ``country``, ``birth_date``, ``identifier`` optional); ``output=csv`` downloads."""
    check_csrf(request, csrf_token_)
    settings = request.app.state.settings
    page = {"schemas": SCHEMAS, "name": name, "schema": schema_, "results": None, "error": None}
    try:
        index, versions = _lists(request).current()
    except NoListLoaded as exc:
        return render(request, "screen.html", {**page, "error": str(exc)}, user, status=503)
    if file is not None and file.filename:
        raw = await file.read(MAX_UPLOAD_BYTES + 1)
        if len(raw) > MAX_UPLOAD_BYTES:
            error = (
                f"the file is over {MAX_UPLOAD_BYTES // 2**20} MB: screen it with redthread match"
            )
            return render(request, "screen.html", {**page, "error": error}, user, status=400)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        source = f"web: screening page, file {file.filename}"
        try:
            rows = list(read_queries(io.StringIO(text), "csv"))
        except (BatchInputError, csv.Error) as exc:
            return render(request, "screen.html", {**page, "error": str(exc)}, user, status=400)
        if len(rows) > MAX_UPLOAD_ROWS:
            error = (
                f"the file has {len(rows)} rows; the page screens at most {MAX_UPLOAD_ROWS} "
                "(use redthread match --input for more)"
            )
            return render(request, "screen.html", {**page, "error": error}, user, status=400)
    else:
        if not name.strip():
            error = "give a name, or choose a CSV file"
            return render(request, "screen.html", {**page, "error": error}, user, status=400)
        rows = [make_query("1", {"name": name, "schema": schema_, "country": country})]
        source = "web: screening page"
    book = ReviewBook.load(_store(request), versions)
    threshold = settings.match_threshold
    results = []
    for row in rows:
        candidates, problem = screen_row(
            index, row, threshold=threshold, limit=5, lists=None, algorithm=DEFAULT_ALGORITHM
        )
        query_name = row.query.name if row.query else ""
        party = f"name:{name_key(query_name)}"
        if row.query is not None:
            candidates = book.review(party, [query_name], candidates)
        results.append(
            {
                "query_id": row.query_id,
                "name": query_name,
                "party": party,
                "schema": row.query.schema if row.query else "",
                "error": problem,
                "candidates": [c.to_dict() for c in candidates],
            }
        )
    record_run(
        _store(request),
        versions,
        threshold,
        5,
        None,
        len(rows),
        f"{source} by {user.name}",
    )
    if output == "csv":
        return finish(request, _results_csv(results))
    return render(request, "screen.html", {**page, "results": results}, user)


def _results_csv(results: list[dict[str, Any]]) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["query_id", "name", "error", *CANDIDATE_COLUMNS, "review", "reviewer", "review_reason"]
    )
    for result in results:
        head = [result["query_id"], result["name"], result["error"] or ""]
        if not result["candidates"]:
            writer.writerow([*head, *[""] * (len(CANDIDATE_COLUMNS) + 3)])
        for candidate in result["candidates"]:
            review = candidate.get("review") or {}
            cells = [candidate[c] for c in CANDIDATE_COLUMNS]
            writer.writerow(
                [
                    *head,
                    *cells,
                    review.get("decision", ""),
                    review.get("reviewer", ""),
                    review.get("reason", ""),
                ]
            )
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="screening.csv"'},
    )


# -- review -----------------------------------------------------------------------------


@router.get("/review")
def review_log(
    request: Request,
    user: PageUser,
    case: str | None = None,
    kind: str | None = None,
) -> Response:
    """The audit log: every decision, newest first."""
    store = _store(request)
    book = ReviewBook.load(store, _versions(request))
    lapsed = {d.id for d in book.lapsed}
    reviews = [
        {**r, "lapsed": r["id"] in lapsed}
        for r in store.reviews(case=case, kind=kind if kind in KINDS else None)
    ]
    return render(request, "review.html", {"reviews": reviews, "case": case}, user)


@router.post("/review")
def review_submit(
    request: Request,
    user: PageUser,
    kind: Annotated[str, Form()],
    decision: Annotated[str, Form()],
    party: Annotated[str, Form(max_length=255)],
    reason: Annotated[str, Form(max_length=4000)] = "",
    names: Annotated[list[str] | None, Form()] = None,
    members: Annotated[list[str] | None, Form()] = None,
    case: Annotated[str | None, Form(max_length=255)] = None,
    entity_id: Annotated[str | None, Form(max_length=255)] = None,
    next: Annotated[str, Form()] = "/review",
    csrf_token_: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """Record a decision on a match or a merge (analysts and admins)."""
    check_csrf(request, csrf_token_)
    require_role(user, "analyst")
    if kind not in KINDS or decision not in DECISIONS:
        raise HTTPException(400, "kind is match or merge; decision is confirmed or dismissed")
    try:
        review_id = record_decision(
            _store(request),
            _versions(request),
            reviewer=user.name,
            kind=kind,
            decision=decision,
            reason=reason,
            party=party,
            names=names or [],
            case=case or None,
            entity_id=entity_id if kind == MATCH else None,
            members=members or [],
        )
    except ReviewError as exc:
        raise HTTPException(400, str(exc)) from exc
    if wants_json(request):
        return finish(request, JSONResponse({"id": review_id}, status_code=201))
    return finish(request, RedirectResponse(safe_next(next), status_code=303))


@router.post("/cases/{case}/reassess")
def reassess_case(
    request: Request,
    case: str,
    user: PageUser,
    next: Annotated[str, Form()] = "",
    csrf_token_: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """Assess the case again (analysts): its parties screened against the lists as they
    are now, with the decisions as they are now; exposure and ownership rebuilt. Nothing
    is read or extracted again."""
    check_csrf(request, csrf_token_)
    require_role(user, "analyst")
    view = _case(request, case)
    store = _store(request)
    try:
        index, versions = _lists(request).current()
    except NoListLoaded as exc:
        raise HTTPException(503, str(exc)) from exc
    findings = reassess(
        store,
        case,
        index=index,
        lists=versions,
        threshold=float(view.findings["threshold"]),
        max_hops=request.app.state.settings.exposure_max_hops,
        list_links=[link for v in versions for link in store.list_links(v)],
    )
    save_findings(store, findings)
    if wants_json(request):
        return finish(request, JSONResponse({"case": case}, status_code=201))
    return finish(request, RedirectResponse(safe_next(next or f"/cases/{quote(case)}"), 303))


# -- lists ------------------------------------------------------------------------------


def _version_row(request: Request, version: Any) -> dict[str, Any]:
    settings = request.app.state.settings
    age = version.age_days(date.today())
    return {
        "id": version.id,
        "name": version.name,
        "active": version.active,
        "published": version.published,
        "loaded_at": version.loaded_at,
        "parties": version.entity_count,
        "rows": version.row_count,
        "issues": version.issue_count,
        "sha256": version.sha256,
        "source": version.source,
        "age_days": age,
        "stale": bool(version.active and age is not None and age > settings.list_max_age_days),
    }


@router.get("/lists")
def lists_page(request: Request, user: PageUser) -> Response:
    versions = _store(request).list_versions()
    data = {
        "versions": [_version_row(request, v) for v in versions],
        "max_age_days": request.app.state.settings.list_max_age_days,
    }
    return render(request, "lists.html", data, user)


@router.get("/lists/diff")
def lists_diff_page(
    request: Request, user: PageUser, old: int, new: int, limit: int = 500
) -> Response:
    """What changed between two loaded versions: parties added, removed and changed."""
    store = _store(request)
    before, after = store.get_list_version(old), store.get_list_version(new)
    if before is None or after is None:
        raise HTTPException(404, f"no list version {old if before is None else new}")
    cache: dict[tuple[int, int], Any] = request.app.state.diffs
    diff = cache.get((old, new))
    if diff is None:
        diff = diff_lists(
            store.list_entities(before),
            store.list_entities(after),
            old_name=before.name,
            new_name=after.name,
            old_label=f"{before.name} version {before.id}",
            new_label=f"{after.name} version {after.id}",
        )
        cache[(old, new)] = diff
    counts = {kind: len(diff.parties(kind)) for kind in ("added", "removed", "changed")}
    data = {
        "old": _version_row(request, before),
        "new": _version_row(request, after),
        "counts": counts,
        "limit": limit,
        **{kind: [c.to_dict() for c in diff.parties(kind)[:limit]] for kind in counts},
    }
    return render(request, "lists_diff.html", data, user)


#: Paths of the API, whose errors stay JSON as yente's clients expect.
API_PREFIXES = ("/match/", "/search/", "/entities/", "/healthz", "/docs", "/openapi.json")


async def handle_http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """A page's error as a page; the API's and the JSON twins' as JSON."""
    if wants_json(request) or request.url.path.startswith(API_PREFIXES):
        return await http_exception_handler(request, exc)
    data = {"title": f"Error {exc.status_code}", "message": str(exc.detail)}
    return render(request, "error.html", data, User("", "viewer"), status=exc.status_code)


def handle_forbidden(request: Request, exc: Forbidden) -> Response:
    if wants_json(request):
        return finish(request, JSONResponse({"detail": str(exc)}, status_code=403))
    data = {"title": "Not allowed", "message": str(exc)}
    return render(request, "error.html", data, User("", "viewer"), status=403)


def handle_login_required(request: Request, _exc: Exception) -> Response:
    if wants_json(request):
        return JSONResponse(
            {"detail": "sign in first, or send an API token (Authorization: Bearer ...)"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
