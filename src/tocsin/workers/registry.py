"""What the workers do: event subscriptions and periodic jobs contributed by each domain.

A domain module listed in :data:`CONTRIBUTORS` may define

* ``subscribe(subscribers: Subscribers, settings: Settings) -> None`` to handle events, and/or
* ``jobs(settings: Settings) -> list[Job]`` for periodic work (SLA checks, spike detection…).

Both runtimes (in-process and Redis Streams) build the same registry, so a feature behaves
the same on a laptop and on a cluster.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.events.outbox import Subscribers

#: Order matters: within one pass, batch handlers of the same event run in this order, so a
#: new post is enriched, then linked to its brands, before claims, the crisis radar and the
#: inbox look at it.
CONTRIBUTORS = (
    "tocsin.ingestion.tasks",
    "tocsin.enrichment.tasks",
    "tocsin.listening.tasks",
    "tocsin.claims.tasks",
    "tocsin.crisis.tasks",
    "tocsin.inbox.tasks",
    "tocsin.connectors.tasks",
    "tocsin.notifications.tasks",
    "tocsin.privacy.tasks",
    "tocsin.workers.planner_stats",
)


@dataclass(frozen=True)
class Job:
    """Periodic work; ``run`` gets a session factory and returns a short summary."""

    name: str
    interval_seconds: int
    run: Callable[[sessionmaker[Session], Settings], str]


def _modules() -> list[ModuleType]:
    modules = []
    for name in CONTRIBUTORS:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            missing = exc.name or ""
            if name == missing or name.startswith(missing + "."):
                continue
            raise
    return modules


def build_subscribers(settings: Settings) -> Subscribers:
    subscribers = Subscribers()
    for module in _modules():
        subscribe = getattr(module, "subscribe", None)
        if subscribe is not None:
            subscribe(subscribers, settings)
    return subscribers


def build_jobs(settings: Settings) -> list[Job]:
    jobs: list[Job] = []
    for module in _modules():
        contribute = getattr(module, "jobs", None)
        if contribute is not None:
            jobs.extend(contribute(settings))
    return jobs
