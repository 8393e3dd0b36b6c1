"""Narratives cluster paraphrases across languages; reports render HTML and a PDF."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from tests.listening.factories import NOW, brands, hours, post
from tocsin.listening.dashboard import DashboardFilters, build_dashboard
from tocsin.listening.narratives import (
    assign_narratives,
    narrative_for_posts,
    narrative_volume,
    top_narratives,
)
from tocsin.listening.reports import digest_html, report_pdf
from tocsin.listening.rollups import rollup_posts


def test_paraphrases_in_several_languages_form_one_narrative(session: Session) -> None:
    ours, _ = brands(session)
    outage = [
        post(session, "The Lumio app has been down all morning, nothing loads", at=NOW - hours(3)),
        post(
            session,
            "L'application Lumio est en panne depuis ce matin, rien ne charge",
            lang="fr",
            at=NOW - hours(2),
        ),
        post(
            session,
            "La app de Lumio lleva caída toda la mañana, no carga nada",
            lang="es",
            at=NOW - hours(1),
        ),
        post(session, "Lumio app down since this morning? Nothing loads for me", at=NOW - hours(1)),
    ]
    other = post(session, "Lumio bulbs make a lovely warm light in the living room")
    placed = assign_narratives(session=session, post_ids=[p.id for p in [*outage, other]], now=NOW)
    assert placed == 5
    assert assign_narratives(session=session, post_ids=[outage[0].id], now=NOW) == 0
    links = narrative_for_posts(session=session, post_ids=[p.id for p in [*outage, other]])
    assert len({links[p.id][0] for p in outage}) == 1
    assert links[other.id][0] != links[outage[0].id][0]
    views = top_narratives(
        session=session, brand_id=ours.id, since=NOW - timedelta(days=1), until=NOW + hours(1)
    )
    assert len(views) == 1 and views[0].size == 4
    assert set(views[0].languages) == {"en", "fr", "es"}
    assert views[0].representatives and views[0].label
    assert (
        narrative_volume(session=session, narrative_id=views[0].id, since=NOW - hours(2), until=NOW)
        == 3
    )


def test_digest_html_escapes_and_pdf_is_a_pdf(session: Session) -> None:
    ours, _ = brands(session)
    ids = [post(session, "<script>alert(1)</script> Lumio #evil", sentiment="negative").id]
    rollup_posts(session=session, post_ids=ids, now=NOW)
    board = build_dashboard(
        session=session,
        filters=DashboardFilters(
            brand_id=ours.id, since=NOW - timedelta(days=1), until=NOW + hours(1)
        ),
    )
    html = digest_html(board, narratives=[], base_url="https://tocsin.example")
    assert "<script>" not in html and "Lumio" in html and "#evil" in html
    pdf = report_pdf(board)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1500
