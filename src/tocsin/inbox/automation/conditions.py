"""Rule conditions: an AND/OR/NOT tree over the facts of a post, its author, case and time.

Stored as JSON and validated with pydantic before it is saved::

    {"all": [
        {"field": "enrichment.sentiment", "op": "eq", "value": "negative"},
        {"any": [
            {"field": "author.followers", "op": "gte", "value": 10000},
            {"field": "enrichment.intents", "op": "contains", "value": "threat"}
        ]},
        {"not": {"field": "time.business_hours", "op": "eq", "value": true}}
    ]}

An empty tree (``{}``) matches everything.  Fields come from a fixed table
(:data:`FIELDS`), never from attribute names typed by a user.

Example::

    tree = parse_conditions({"field": "post.platform", "op": "in", "value": ["x"]})
    evaluate(tree, {"post.platform": "x"})   # -> True
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal, Union, cast

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator
from sqlalchemy.orm import Session

from tocsin.enrichment.models import PostEnrichment
from tocsin.inbox.models import Case
from tocsin.inbox.sla.calendar import Hours
from tocsin.ingestion.models import Post

FIELDS = (
    "post.platform",
    "post.text",
    "post.lang",
    "post.kind",
    "post.likes",
    "post.reposts",
    "post.is_automatic",
    "enrichment.sentiment",
    "enrichment.sentiment_score",
    "enrichment.intents",
    "enrichment.complaint",
    "enrichment.needs_reply",
    "enrichment.priority",
    "enrichment.lang",
    "author.handle",
    "author.followers",
    "author.verified",
    "author.is_automated",
    "case.status",
    "case.priority",
    "case.tags",
    "case.assignee_id",
    "case.lang",
    "case.platform",
    "time.business_hours",
    "time.weekday",
    "time.hour",
)
Op = Literal["eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "contains", "matches", "exists"]


class Leaf(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str
    op: Op = "eq"
    value: Any = None

    @field_validator("field")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in FIELDS:
            raise ValueError(f"unknown field {value!r}: use one of {', '.join(FIELDS)}")
        return value


class All(BaseModel):
    model_config = ConfigDict(extra="forbid")
    all: list[Condition] = Field(min_length=1)


class AnyOf(BaseModel):
    model_config = ConfigDict(extra="forbid")
    any: list[Condition] = Field(min_length=1)


class Not(BaseModel):
    model_config = ConfigDict(extra="forbid")
    not_: Condition = Field(alias="not")


class Always(BaseModel):
    model_config = ConfigDict(extra="forbid")


Condition = Annotated[Union[All, AnyOf, Not, Leaf, Always], Field(union_mode="left_to_right")]  # noqa: UP007
All.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()
# An Annotated union is not a ``type`` to mypy, though pydantic takes it: hence the cast.
_ADAPTER: TypeAdapter[Condition] = TypeAdapter(cast(Any, Condition))


def parse_conditions(data: dict[str, Any]) -> Condition:
    """Validate a stored tree; raise ``pydantic.ValidationError`` naming the bad part."""
    return _ADAPTER.validate_python(data)


def _compare(actual: Any, op: str, expected: Any) -> bool:
    if op == "exists":
        return (actual is not None and actual != []) == bool(
            expected if expected is not None else True
        )
    if actual is None:
        return op == "ne" and expected is not None
    try:
        if op == "eq":
            return bool(actual == expected)
        if op == "ne":
            return bool(actual != expected)
        if op == "in":
            return actual in (expected or [])
        if op == "not_in":
            return actual not in (expected or [])
        if op == "gt":
            return bool(actual > expected)
        if op == "gte":
            return bool(actual >= expected)
        if op == "lt":
            return bool(actual < expected)
        if op == "lte":
            return bool(actual <= expected)
        if op == "contains":
            if isinstance(actual, str):
                return str(expected).casefold() in actual.casefold()
            return expected in actual
        if op == "matches":
            return re.search(str(expected), str(actual), re.IGNORECASE) is not None
    except TypeError:
        return False
    return False


def evaluate(tree: Condition, facts: dict[str, Any]) -> bool:
    if isinstance(tree, All):
        return all(evaluate(c, facts) for c in tree.all)
    if isinstance(tree, AnyOf):
        return any(evaluate(c, facts) for c in tree.any)
    if isinstance(tree, Not):
        return not evaluate(tree.not_, facts)
    if isinstance(tree, Leaf):
        return _compare(facts.get(tree.field), tree.op, tree.value)
    return True


def facts_for(
    *,
    session: Session,
    post: Post | None,
    case: Case | None,
    now: datetime,
    hours: Hours,
) -> dict[str, Any]:
    """The values of :data:`FIELDS` for one event (None where unknown)."""
    facts: dict[str, Any] = {}
    if post is not None:
        facts.update(
            {
                "post.platform": post.platform,
                "post.text": post.text,
                "post.lang": post.lang,
                "post.kind": post.kind,
                "post.likes": post.likes,
                "post.reposts": post.reposts,
                "post.is_automatic": post.is_automatic,
            }
        )
        enrichment = session.get(PostEnrichment, post.id)
        if enrichment is not None:
            facts.update(
                {
                    "enrichment.sentiment": enrichment.sentiment,
                    "enrichment.sentiment_score": enrichment.sentiment_score,
                    "enrichment.intents": enrichment.intent_names,
                    "enrichment.complaint": enrichment.complaint,
                    "enrichment.needs_reply": enrichment.needs_reply,
                    "enrichment.priority": enrichment.priority,
                    "enrichment.lang": enrichment.lang,
                }
            )
    author = post.author if post is not None else (case.author if case is not None else None)
    if author is not None:
        facts.update(
            {
                "author.handle": author.handle,
                "author.followers": author.followers,
                "author.verified": author.verified,
                "author.is_automated": author.is_automated,
            }
        )
    if case is not None:
        facts.update(
            {
                "case.status": case.status,
                "case.priority": case.priority,
                "case.tags": list(case.tags),
                "case.assignee_id": case.assignee_id,
                "case.lang": case.lang,
                "case.platform": case.platform,
            }
        )
    local = now.astimezone(hours_zone(hours))
    facts.update(
        {
            "time.business_hours": hours.is_open(now),
            "time.weekday": local.weekday(),
            "time.hour": local.hour,
        }
    )
    return facts


def hours_zone(hours: Hours) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(hours.zone)
