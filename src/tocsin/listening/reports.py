"""Reports: the scheduled e-mail digest (HTML) and the downloadable PDF with charts.

Both are built from the same :class:`~tocsin.listening.dashboard.Dashboard`, so they show what
the dashboard shows.  Digests go out over SMTP (``TOCSIN_SMTP_*``) from the
``listening.digests`` job, once per period per schedule (``last_sent_at`` is a row).

Example::

    html = digest_html(board, narratives=[])
    pdf_bytes = report_pdf(board)
    run_digests(session_factory, settings)   # from the worker
"""

from __future__ import annotations

import io
import logging
import smtplib
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tocsin.config import Settings
from tocsin.listening.dashboard import Dashboard, DashboardFilters, build_dashboard
from tocsin.listening.narratives import NarrativeView, top_narratives
from tocsin.listening.tracking_models import DigestSchedule
from tocsin.types import utcnow

log = logging.getLogger(__name__)
PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def digest_html(board: Dashboard, *, narratives: list[NarrativeView], base_url: str = "") -> str:
    """The digest e-mail body (all values escaped by the template)."""
    from tocsin.web.templating import make_environment

    template = make_environment().get_template("listening/digest_email.html")
    return template.render(board=board, narratives=narratives, base_url=base_url.rstrip("/"))


def digest_text(board: Dashboard) -> str:
    lines = [
        f"{board.brand_name}: {board.total} posts from {board.filters.since:%Y-%m-%d %H:%M} "
        f"to {board.filters.until:%Y-%m-%d %H:%M} UTC",
        "Sentiment: " + ", ".join(f"{k} {v}" for k, v in board.sentiment.items() if v),
        "Share of voice: " + ", ".join(f"{s.name} {s.share:.0%}" for s in board.share_of_voice),
        "Top terms: " + ", ".join(t.value for t in board.top_terms[:8]),
    ]
    return "\n".join(lines)


def due(schedule: DigestSchedule, now: datetime) -> bool:
    """Whether a schedule's digest should go now (its hour has come, not yet sent this period)."""
    if now.hour < schedule.hour:
        return False
    if schedule.frequency == "weekly" and now.weekday() != 0:
        return False
    if schedule.last_sent_at is None:
        return True
    return now - schedule.last_sent_at >= PERIODS[schedule.frequency] - timedelta(hours=1)


def send_digest(
    *, session: Session, schedule: DigestSchedule, settings: Settings, now: datetime
) -> None:
    """Build and send one digest over SMTP; records ``last_sent_at`` (or ``last_error``)."""
    period = PERIODS[schedule.frequency]
    board = build_dashboard(
        session=session,
        filters=DashboardFilters(brand_id=schedule.brand_id, since=now - period, until=now),
    )
    narratives = top_narratives(
        session=session, brand_id=schedule.brand_id, since=now - period, until=now, limit=5
    )
    message = EmailMessage()
    message["Subject"] = f"Tocsin {schedule.frequency} digest: {board.brand_name}"
    message["From"] = settings.smtp_sender
    message["To"] = ", ".join(schedule.recipients)
    message.set_content(digest_text(board))
    message.add_alternative(
        digest_html(board, narratives=narratives, base_url=settings.base_url), subtype="html"
    )
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        schedule.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        log.warning("digest %s failed: %s", schedule.id, exc)
        return
    schedule.last_sent_at = now
    schedule.last_error = None


def run_digests(factory: sessionmaker[Session], settings: Settings) -> str:
    now = utcnow()
    sent = 0
    with factory() as session:
        for schedule in session.scalars(select(DigestSchedule)):
            if schedule.recipients and due(schedule, now):
                send_digest(session=session, schedule=schedule, settings=settings, now=now)
                sent += schedule.last_sent_at == now
                session.commit()
    return f"{sent} digests sent"


def report_pdf(board: Dashboard, *, narratives: Sequence[NarrativeView] = ()) -> bytes:
    """A PDF report: key figures, volume and sentiment chart, share of voice, top lists."""
    from xml.sax.saxutils import escape

    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"Tocsin report: {board.brand_name}")
    story: list[object] = [
        Paragraph(escape(f"Listening report: {board.brand_name}"), styles["Title"]),
        Paragraph(
            escape(
                f"{board.filters.since:%Y-%m-%d %H:%M} – {board.filters.until:%Y-%m-%d %H:%M} UTC"
                f" · {board.total} posts · reach {board.reach} · {board.complaints} complaints"
            ),
            styles["Normal"],
        ),
        Spacer(1, 12),
        Paragraph("Volume and sentiment", styles["Heading2"]),
    ]
    chart_drawing = Drawing(480, 180)
    line = HorizontalLineChart()
    line.x, line.y, line.width, line.height = 40, 20, 420, 140
    series = board.series or []
    line.data = [
        [p.posts for p in series] or [0],
        [p.by_sentiment.get("negative", 0) for p in series] or [0],
        [p.by_sentiment.get("positive", 0) for p in series] or [0],
    ]
    line.lines[0].strokeColor = colors.HexColor("#2563eb")
    line.lines[1].strokeColor = colors.HexColor("#dc2626")
    line.lines[2].strokeColor = colors.HexColor("#16a34a")
    step = max(1, len(series) // 8)
    fmt = "%H:%M" if board.granularity == "hour" else "%m-%d"
    line.categoryAxis.categoryNames = [
        p.at.strftime(fmt) if i % step == 0 else "" for i, p in enumerate(series)
    ] or [""]
    line.valueAxis.valueMin = 0
    chart_drawing.add(line)
    story += [chart_drawing, Paragraph("Share of voice", styles["Heading2"])]
    bars = Drawing(480, 30 + 24 * max(1, len(board.share_of_voice)))
    bar = HorizontalBarChart()
    bar.x, bar.y, bar.width = 110, 10, 340
    bar.height = 24 * max(1, len(board.share_of_voice))
    bar.data = [[round(s.share * 100, 1) for s in board.share_of_voice] or [0]]
    bar.categoryAxis.categoryNames = [s.name[:20] for s in board.share_of_voice] or [""]
    bar.valueAxis.valueMin = 0
    bar.bars[0].fillColor = colors.HexColor("#2563eb")
    bars.add(bar)
    story.append(bars)
    rows = [["Brand", "Posts", "Share", "Positive", "Negative", "Net"]] + [
        [
            s.name,
            s.posts,
            f"{s.share:.0%}",
            f"{s.positive:.0%}",
            f"{s.negative:.0%}",
            f"{s.net_sentiment:+.2f}",
        ]
        for s in board.share_of_voice
    ]
    story += [Table(rows), Spacer(1, 12), Paragraph("Top terms and hashtags", styles["Heading2"])]
    top: list[list[object]] = [["Term", "Posts", "Hashtag", "Posts", "Author", "Reach"]]
    for i in range(max(len(board.top_terms), len(board.top_hashtags), len(board.top_authors))):
        cells: list[object] = []
        for items in (board.top_terms, board.top_hashtags, board.top_authors):
            item = items[i] if i < len(items) else None
            value = (item.reach if items is board.top_authors else item.count) if item else ""
            cells += [item.value[:40] if item else "", value]
        top.append(cells)
    story.append(Table(top))
    if narratives:
        story.append(Paragraph("Narratives", styles["Heading2"]))
        for n in narratives:
            story.append(
                Paragraph(escape(f"{', '.join(n.label)} — {n.size} posts"), styles["Normal"])
            )
    doc.build(story)
    return buffer.getvalue()
