"""The health of a source, as the Sources page and ``tocsin sources`` show it.

* **last success** — the last fetch or flush that committed;
* **lag** — how far behind real time the source is: for a stream, the age of its cursor
  (the newest event position stored); for a poller, the time since its last success; for a
  webhook, the age of the newest item received;
* **errors** — consecutive failures since the last success, with the last message.

Example::

    health = source_health(source, now=utcnow())
    health.status, health.lag_seconds
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from tocsin.connectors.models import Source
from tocsin.connectors.registry import UnknownSourcePlatformError, platform_spec, source_mode
from tocsin.connectors.spec import Mode
from tocsin.types import utcnow

#: ``unsupported``: no connector is installed for the source's platform (it is listed, never run).
Status = Literal["ok", "lagging", "failing", "never", "disabled", "unsupported"]
#: A stream whose cursor is older than this is lagging.
STREAM_LAG_LIMIT = 300.0


@dataclass(frozen=True)
class SourceHealth:
    source_id: int
    name: str
    platform: str
    #: None when no connector is installed for the platform.
    mode: Mode | None
    enabled: bool
    status: Status
    last_success_at: datetime | None
    lag_seconds: float | None
    error_count: int
    last_error: str | None
    last_error_at: datetime | None


def interval_of(source: Source) -> int:
    spec = platform_spec(source.platform)
    value = (source.settings or {}).get("interval_seconds")
    return (
        int(value)
        if isinstance(value, int | str) and str(value).isdigit()
        else (spec.default_interval)
    )


def source_health(source: Source, *, now: datetime | None = None) -> SourceHealth:
    now = now or utcnow()
    try:
        mode: Mode | None = source_mode(source)
    except UnknownSourcePlatformError:
        mode = None
    if mode == "poll":
        reference = source.last_success_at
    else:
        reference = source.last_item_at or source.last_success_at
    lag = (now - reference).total_seconds() if reference is not None else None
    failing = source.error_count > 0 and (
        source.last_success_at is None
        or (source.last_error_at is not None and source.last_error_at >= source.last_success_at)
    )
    limit = 3 * interval_of(source) if mode == "poll" else STREAM_LAG_LIMIT

    status: Status
    if not source.enabled:
        status = "disabled"
    elif mode is None:
        status = "unsupported"
    elif failing:
        status = "failing"
    elif source.last_success_at is None:
        status = "never"
    elif mode != "webhook" and lag is not None and lag > limit:
        status = "lagging"
    else:
        status = "ok"
    return SourceHealth(
        source_id=source.id,
        name=source.name,
        platform=source.platform,
        mode=mode,
        enabled=source.enabled,
        status=status,
        last_success_at=source.last_success_at,
        lag_seconds=lag,
        error_count=source.error_count or 0,
        last_error=source.last_error,
        last_error_at=source.last_error_at,
    )


def duration_text(seconds: float | None) -> str:
    """``"—"``, ``"42 s"``, ``"7 min"``, ``"3 h"``, ``"2 d"``."""
    if seconds is None:
        return "—"
    seconds = max(0.0, seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}"
    return f"{int(seconds)} s"
