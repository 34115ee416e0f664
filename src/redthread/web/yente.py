"""The request and response JSON of OpenSanctions' yente (``/match``, ``/search``,
``/entities``), so that yente's clients work unchanged against redthread.

A yente query is an FtM entity example: a schema and properties. It becomes one
redthread :class:`~redthread.match.index.Query` per name (``name``, ``alias``, or
first/middle/last names joined), with the countries, the birth or incorporation date
and the identifiers (every property of FtM's identifier type) as qualifiers; a listed
party's score is its best over the query's names.
"""

from __future__ import annotations

from typing import Any, Literal

from followthemoney import model
from followthemoney.statement import StatementEntity
from followthemoney.types import registry
from pydantic import BaseModel, Field

from redthread.match.batch import make_query
from redthread.match.index import Candidate, Query
from redthread.model import ListVersion

COUNTRY_PROPS = (
    "country",
    "nationality",
    "citizenship",
    "jurisdiction",
    "mainCountry",
    "registrationCountry",
)
DATE_PROPS = ("birthDate", "incorporationDate", "buildDate")
NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")


class EntityExample(BaseModel):
    """One query: an FtM entity as far as it is known."""

    id: str | None = Field(default=None, description="The client's id of the query entity.")
    schema_: str = Field(
        alias="schema", description="An FtM schema: Person, Company, Organization, Vessel..."
    )
    properties: dict[str, list[str]] = Field(
        default_factory=dict,
        description="FtM properties, each a list of values: name, alias, country, "
        "birthDate, registrationNumber, imoNumber...",
    )

    model_config = {"populate_by_name": True}


#: Queries in one /match request: a request runs on the server's event loop, so a
#: larger batch would hold up every other client (files: redthread match --input).
MAX_QUERIES = 100


class MatchRequest(BaseModel):
    """A batch of queries, by the client's query ids."""

    queries: dict[str, EntityExample] = Field(
        max_length=MAX_QUERIES,
        description=f"At most {MAX_QUERIES} queries; larger batches in several requests.",
    )
    weights: dict[str, float] = Field(
        default_factory=dict,
        description="Accepted for yente's clients; redthread's score "
        "has no tunable weights, so they are ignored.",
    )
    config: dict[str, Any] = Field(
        default_factory=dict, description="Accepted for yente's clients; ignored."
    )


class Total(BaseModel):
    value: int
    relation: Literal["eq", "gte"] = "eq"


class FeatureExplanation(BaseModel):
    """One part of a score: the name's score, or what a qualifier added or took away."""

    score: float
    detail: str


class EntityResponse(BaseModel):
    """A listed entity: the FtM entity, and where and when it was seen."""

    id: str = Field(description="<list name>-<the list's own id>, e.g. ofac-46431")
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[Any]]
    datasets: list[str]
    referents: list[str]
    target: bool
    first_seen: str | None
    last_seen: str | None
    last_change: str | None

    model_config = {"populate_by_name": True}


class ScoredEntityResponse(EntityResponse):
    """A candidate for a query: the listed entity, its score, and why."""

    score: float
    match: bool
    explanations: dict[str, FeatureExplanation]


class EntityMatches(BaseModel):
    """The candidates for one query."""

    status: int = 200
    results: list[ScoredEntityResponse]
    total: Total
    query: dict[str, Any]
    detail: str | None = Field(default=None, description="Why a query could not be screened.")


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    limit: int


class SearchResponse(BaseModel):
    results: list[EntityResponse]
    total: Total
    limit: int
    offset: int
    facets: dict[str, Any] = Field(default_factory=dict)


class QueryError(ValueError):
    """A query that cannot be screened (no name, an unknown schema...)."""


def queries_for(example: EntityExample) -> list[Query]:
    """The redthread queries of one yente query: one per name, with the same qualifiers."""
    schema = model.get(example.schema_)
    if schema is None:
        raise QueryError(f"unknown schema {example.schema_!r}")
    props = example.properties
    names = [v for p in ("name", "alias", "previousName", "weakAlias") for v in props.get(p, [])]
    parts = [v for p in NAME_PARTS for v in props.get(p, [])[:1]]
    if parts:
        names.append(" ".join(parts))
    names = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    if not names:
        raise QueryError("the query has no name (properties name, alias, or firstName/lastName)")
    countries = [
        code
        for prop in COUNTRY_PROPS
        for value in props.get(prop, [])
        if (code := registry.country.clean(value))
    ]
    dates = [v for p in DATE_PROPS for v in props.get(p, [])]
    identifiers = [
        value
        for prop, values in props.items()
        if prop in schema.properties and schema.properties[prop].type == registry.identifier
        for value in values
    ]
    queries: list[Query] = []
    for name in names:
        row = make_query(
            example.id or "",
            {
                "name": name,
                "schema": schema.name,
                "country": countries,
                "birth_date": dates[0] if dates else None,
                "identifier": identifiers,
            },
        )
        if row.query is None:
            raise QueryError(row.error or "the query cannot be screened")
        queries.append(row.query)
    return queries


def explanations(candidate: Candidate) -> dict[str, dict[str, Any]]:
    """A candidate's score, part by part (each a :class:`FeatureExplanation`)."""
    return {f.name: {"score": f.score, "detail": f.detail} for f in candidate.features}


def entity_data(entity: StatementEntity, version: ListVersion) -> dict[str, Any]:
    """A listed entity as the API gives it (:class:`EntityResponse`)."""
    seen = version.loaded_at.isoformat(timespec="seconds") if version.loaded_at else None
    changed = version.published.isoformat() if version.published else seen
    return {
        "id": entity.id or "",
        "caption": entity.caption,
        "schema": entity.schema.name,
        "properties": {prop: list(values) for prop, values in entity.properties.items()},
        "datasets": [version.name],
        "referents": [],
        "target": True,
        "first_seen": seen,
        "last_seen": seen,
        "last_change": changed,
    }
