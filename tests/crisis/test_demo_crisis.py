"""The demo week's outage (day 5) raises an explained alert early in its build-up and an incident.

The whole generated week is loaded through ingestion, enriched with the real language and
sentiment stages, then dispatched in time order through listening and the radar — the same
path the live product takes, only faster.  The product's detector is used when installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.crisis.conftest import ThresholdDetector
from tocsin import enrichment
from tocsin.config import Settings
from tocsin.crisis import radar
from tocsin.crisis import tasks as crisis_tasks
from tocsin.crisis.incident_models import Incident
from tocsin.crisis.models import Alert
from tocsin.demo.generator import generate
from tocsin.demo.loader import load_demo
from tocsin.enrichment.pipeline import EnrichmentPipeline, PipelineConfig
from tocsin.enrichment.service import enrich_posts
from tocsin.events.outbox import Subscribers
from tocsin.ingestion.models import Post
from tocsin.listening import tasks as listening_tasks
from tocsin.workers.inprocess import InProcessWorkers

pytestmark = pytest.mark.slow
#: The alert must come while the outage is still building (it peaks two hours in).
WITHIN = timedelta(minutes=40)
#: The sentiment stage needs its trained artifact; without it the radar sees volumes only.
HAS_SENTIMENT = (Path(enrichment.__file__).parent / "models" / "sentiment.npz").exists()
STAGES = ("language", "sentiment") if HAS_SENTIMENT else ("language",)


@pytest.fixture
def product_detector(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    try:
        import tocsin.crisis.detectors  # noqa: F401

        yield "product"
    except ModuleNotFoundError:
        monkeypatch.setattr(
            radar, "detector_factory", lambda metric, state: ThresholdDetector(state)
        )
        yield "threshold"


def test_the_demo_outage_raises_an_early_explained_alert_and_an_incident(
    settings: Settings, session_factory: sessionmaker[Session], product_detector: str
) -> None:
    week = generate(seed=7)
    crisis_start = week.milestones["crisis_start"]
    with session_factory() as s:
        load_demo(session=s, dataset=week, batch_size=1000)
        ids = list(s.scalars(select(Post.id).order_by(Post.id)))
        pipeline = EnrichmentPipeline.from_config(PipelineConfig(enrichers=STAGES))
        enrich_posts(session=s, post_ids=ids, pipeline=pipeline)
        s.commit()
    subscribers = Subscribers()
    listening_tasks.subscribe(subscribers, settings)
    crisis_tasks.subscribe(subscribers, settings)
    InProcessWorkers(settings, session_factory, subscribers=subscribers, jobs=[]).run_once()

    with session_factory() as s:
        alerts = list(s.scalars(select(Alert).order_by(Alert.window_end)))
        lumio = [a for a in alerts if a.brand.slug == "lumio"]
        during = [
            a
            for a in lumio
            if a.trigger_at is not None
            and crisis_start - timedelta(minutes=30)
            <= a.trigger_at
            <= crisis_start + timedelta(hours=6)
        ]
        assert len(during) == 1, [(a.trigger_at, a.title) for a in lumio]
        alert = during[0]
        delay = alert.trigger_at - crisis_start  # type: ignore[operator]
        print(
            f"{product_detector} detector: alert {delay} after the crisis start; "
            f"{len(alerts)} alerts in the week"
        )
        assert timedelta(0) <= delay <= WITHIN, delay
        facts = alert.explanation
        assert facts["new_author_share"] > 0.5
        assert {item["name"] for item in facts["languages"][:2]} == {"fr", "nl"}
        assert facts["hashtags"] and facts["top_terms"], facts
        if not HAS_SENTIMENT:
            pytest.skip("sentiment artifact missing: negative share and incident not checked")
        assert facts["negative_share"] > facts["usual_negative_share"] + 0.1
        incident = s.get(Incident, alert.incident_id) if alert.incident_id else None
        assert incident is not None and incident.brand.slug == "lumio"
