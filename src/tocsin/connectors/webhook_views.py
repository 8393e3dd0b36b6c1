"""Webhook routes: public (platforms call them) but signed, and refused loudly when not.

* ``GET /webhooks/meta`` — Meta's subscription check (``hub.challenge`` echoed);
* ``POST /webhooks/meta`` — Facebook Page and Instagram deliveries (``X-Hub-Signature-256``);
* ``POST /webhooks/inbound/{source_id}`` — the generic webhook (``X-Tocsin-Signature``).

A refused delivery answers 401 (problem+json), is logged with the reason and recorded in the
audit log.  An accepted one is archived raw and committed before answering; ingestion runs
right after the response (and the ``connectors.ingest`` job catches anything left), then, for
Meta, the text of new Instagram mentions is read (a short try that never delays the answer;
the ``connectors.instagram_mentions`` job retries what it could not read).

Example::

    curl -X POST "$BASE/webhooks/inbound/3" -H "X-Tocsin-Signature: t=...,v1=..." -d @posts.json
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, BackgroundTasks, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.connectors.meta.mentions import hydrate_mentions
from tocsin.connectors.meta.webhook import SIGNATURE_HEADER as META_SIGNATURE
from tocsin.connectors.meta.webhook import accept_delivery, verify_subscription
from tocsin.connectors.models import Source
from tocsin.connectors.service import ingest_pending
from tocsin.connectors.webhook.inbound import SIGNATURE_HEADER, accept_inbound
from tocsin.privacy.audit import record
from tocsin.web.deps import AppSettings, DbSession
from tocsin.web.problems import problem_response
from tocsin.web.security import client_ip

log = logging.getLogger(__name__)

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
#: After a Meta delivery: at most this many new mentions read, each call this many seconds.
MENTIONS_AFTER_DELIVERY = 10
MENTION_TIMEOUT = 5.0


def _meta_sources(session: Session) -> list[Source]:
    stmt = select(Source).where(Source.platform == "meta", Source.enabled.is_(True))
    return list(session.scalars(stmt.order_by(Source.id)))


def _refuse(
    request: Request, session: Session, *, provider: str, reason: str, source_id: int | None
) -> Response:
    """401, a warning in the log and an audit entry (in its own transaction)."""
    session.rollback()
    ip = client_ip(request)
    log.warning("%s webhook refused from %s: %s", provider, ip, reason)
    record(
        session,
        action="webhook.refused",
        actor_label=provider,
        target_type="source",
        target_id=source_id or "",
        detail={"reason": reason, "path": request.url.path},
        ip=ip,
    )
    session.commit()
    return problem_response(request, status=401, detail=f"webhook refused: {reason}")


def _ingest_later(request: Request) -> None:
    factory: sessionmaker[Session] = request.app.state.session_factory
    try:
        ingest_pending(session_factory=factory)
    except Exception:
        log.exception("ingesting webhook payloads failed; the connectors.ingest job will retry")


def _read_mentions_later(request: Request) -> None:
    factory: sessionmaker[Session] = request.app.state.session_factory
    try:
        hydrate_mentions(
            session_factory=factory,
            settings=request.app.state.settings,
            fresh_only=True,
            limit=MENTIONS_AFTER_DELIVERY,
            timeout=MENTION_TIMEOUT,
        )
    except Exception:
        log.exception("reading Instagram mentions failed; the mentions job will retry")


@router.get("/meta", include_in_schema=False)
def meta_subscribe(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    mode: str = Query("", alias="hub.mode", max_length=40),
    token: str = Query("", alias="hub.verify_token", max_length=500),
    challenge: str = Query("", alias="hub.challenge", max_length=500),
) -> Response:
    answer = verify_subscription(
        sources=_meta_sources(session),
        settings=settings,
        mode=mode,
        token=token,
        challenge=challenge,
    )
    if answer is None:
        return _refuse(request, session, provider="meta", reason="bad verify token", source_id=None)
    return PlainTextResponse(answer)


@router.post("/meta", include_in_schema=False)
async def meta_delivery(
    request: Request, session: DbSession, settings: AppSettings, background: BackgroundTasks
) -> Response:
    body = await request.body()
    outcome = accept_delivery(
        session=session,
        sources=_meta_sources(session),
        settings=settings,
        body=body,
        signature=request.headers.get(META_SIGNATURE),
    )
    if not outcome.accepted:
        return _refuse(
            request, session, provider="meta", reason=outcome.reason, source_id=outcome.source_id
        )
    session.commit()
    background.add_task(_ingest_later, request)
    background.add_task(_read_mentions_later, request)
    return JSONResponse({"status": "accepted"}, status_code=200)


@router.post("/inbound/{source_id}", include_in_schema=False)
async def inbound_delivery(
    source_id: int,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    background: BackgroundTasks,
) -> Response:
    body = await request.body()
    outcome = accept_inbound(
        session=session,
        source=session.get(Source, source_id),
        settings=settings,
        body=body,
        signature=request.headers.get(SIGNATURE_HEADER),
    )
    if outcome.status == 401:
        return _refuse(
            request, session, provider="inbound", reason=outcome.reason, source_id=source_id
        )
    if outcome.status != 202:
        session.rollback()
        return problem_response(request, status=outcome.status, detail=outcome.reason)
    session.commit()
    background.add_task(_ingest_later, request)
    return JSONResponse({"status": "accepted", "posts": outcome.posts}, status_code=202)
