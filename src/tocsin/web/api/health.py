"""``GET /api/v1/health``: public liveness and database check for load balancers."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tocsin.web.api.schemas import Health
from tocsin.web.deps import DbSession

router = APIRouter(prefix="/api/v1", tags=["health"])


def _version() -> str:
    try:
        return version("tocsin")
    except PackageNotFoundError:
        return "unknown"


@router.get(
    "/health",
    summary="Service health",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database is unreachable."}},
)
def health(session: DbSession) -> JSONResponse:
    """``200 {"status": "ok"}`` when the database answers, ``503`` otherwise."""
    try:
        session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        database = "unavailable"
    body = Health(
        status="ok" if database == "ok" else "degraded",
        database=database,
        version=_version(),
    )
    return JSONResponse(body.model_dump(), status_code=200 if database == "ok" else 503)
