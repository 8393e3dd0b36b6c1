"""The post-incident report, in HTML and PDF, with the timeline and the volume/sentiment chart.

Both formats are built from the same :class:`ReportData`; the HTML one draws the chart as
inline SVG (no script, so it prints and archives as is), the PDF one with reportlab graphics.

Example::

    data = report_data(session=s, incident=incident)
    html = render_html(data)        # str
    pdf = render_pdf(data)          # bytes, starts with b"%PDF"
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from jinja2 import Environment, FileSystemLoader, select_autoescape
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.crisis.incident_models import HoldingStatement, Incident, IncidentEvent, PlaybookItem
from tocsin.crisis.incidents import playbook, timeline
from tocsin.crisis.models import Alert
from tocsin.crisis.series import chart_series
from tocsin.crisis.statements import statements
from tocsin.types import as_utc, utcnow

TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates"


@dataclass
class ReportData:
    incident: Incident
    alerts: list[Alert]
    events: list[IncidentEvent]
    statements: list[HoldingStatement]
    playbook: list[PlaybookItem]
    times: list[datetime] = field(default_factory=list)
    volume: list[float] = field(default_factory=list)
    negative_share: list[float] = field(default_factory=list)
    generated_at: datetime = field(default_factory=utcnow)


def chart_window(incident: Incident, alerts: list[Alert]) -> tuple[datetime, datetime]:
    """Six hours before the first alert (or the opening) to two hours after the last one."""
    if alerts:
        start = min(as_utc(a.window_start) for a in alerts)
        end = max(as_utc(a.window_end) for a in alerts)
    else:
        start = as_utc(incident.opened_at)
        end = as_utc(incident.resolved_at or utcnow())
    return start - timedelta(hours=6), end + timedelta(hours=2)


def report_data(*, session: Session, incident: Incident) -> ReportData:
    alerts = list(
        session.scalars(select(Alert).where(Alert.incident_id == incident.id).order_by(Alert.id))
    )
    start, end = chart_window(incident, alerts)
    series = chart_series(
        session=session,
        brand_id=incident.brand_id,
        start=start,
        end=end,
        metrics=("volume", "negative_share"),
    )
    return ReportData(
        incident=incident,
        alerts=alerts,
        events=timeline(session=session, incident_id=incident.id),
        statements=statements(session=session, incident_id=incident.id),
        playbook=playbook(session=session, incident_id=incident.id),
        times=[datetime.fromtimestamp(t, tz=start.tzinfo) for t in series["t"]],
        volume=list(series["volume"]),
        negative_share=list(series["negative_share"]),
    )


def svg_chart(data: ReportData, width: int = 760, height: int = 220) -> dict[str, Any]:
    """Polyline points for the volume (left scale) and negative share (0–100 %) lines."""
    n = len(data.volume)
    if n < 2:
        return {"width": width, "height": height, "volume": "", "negative": "", "peak": 0}
    peak = max(data.volume) or 1.0

    def x(i: int) -> float:
        return round(40 + (width - 50) * i / (n - 1), 1)

    def y(fraction: float) -> float:
        return round(height - 20 - (height - 30) * fraction, 1)

    volume = " ".join(f"{x(i)},{y(v / peak)}" for i, v in enumerate(data.volume))
    negative = " ".join(f"{x(i)},{y(min(1.0, s))}" for i, s in enumerate(data.negative_share))
    return {
        "width": width,
        "height": height,
        "volume": volume,
        "negative": negative,
        "peak": int(peak),
        "first": data.times[0],
        "last": data.times[-1],
    }


def render_html(data: ReportData) -> str:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True)
    )
    return env.get_template("crisis/report.html").render(data=data, chart=svg_chart(data))


def _chart_drawing(data: ReportData) -> Drawing:
    drawing = Drawing(17 * cm, 6.5 * cm)
    if len(data.volume) < 2:
        drawing.add(String(10, 80, "No series for this period."))
        return drawing
    start = data.times[0].timestamp()
    hours = [(t.timestamp() - start) / 3600 for t in data.times]
    peak = max(data.volume) or 1.0
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 40, 30, 16 * cm - 40, 5 * cm
    plot.data = [
        list(zip(hours, data.volume, strict=True)),
        list(zip(hours, [s * peak for s in data.negative_share], strict=True)),
    ]
    plot.lines[0].strokeColor = colors.HexColor("#1f5fbf")
    plot.lines[1].strokeColor = colors.HexColor("#c0392b")
    plot.lines[1].strokeDashArray = [3, 2]
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, hours[-1]
    plot.yValueAxis.valueMin = 0
    drawing.add(plot)
    drawing.add(
        String(
            40,
            8,
            f"hours after {data.times[0]:%Y-%m-%d %H:%M} UTC — "
            "blue: mentions per 5 min; red (dashed): negative share, "
            "scaled to the peak",
            fontSize=7,
        )
    )
    return drawing


def render_pdf(data: ReportData) -> bytes:
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=f"Post-incident report — {data.incident.title}"
    )
    incident = data.incident
    story: list[Any] = [
        Paragraph(escape(f"Post-incident report: {incident.title}"), styles["Title"]),
        Paragraph(
            escape(
                f"{incident.brand.name} · severity {incident.severity} · "
                f"status {incident.status} · "
                f"opened {incident.opened_at:%Y-%m-%d %H:%M} UTC"
                + (
                    f" · resolved {incident.resolved_at:%Y-%m-%d %H:%M} UTC"
                    if incident.resolved_at
                    else ""
                )
            ),
            styles["Normal"],
        ),
        Spacer(1, 8),
    ]
    for alert in data.alerts:
        story.append(Paragraph(escape(f"Alert #{alert.id}: {alert.title}"), styles["Heading3"]))
        story.append(Paragraph(escape(alert.summary), styles["Normal"]))
    story += [
        Spacer(1, 8),
        Paragraph("Volume and sentiment", styles["Heading2"]),
        _chart_drawing(data),
    ]
    published = [s for s in data.statements if s.status == "published"]
    if published:
        story.append(Paragraph("Official statements", styles["Heading2"]))
        story += [Paragraph(escape(f"[{s.lang}] {s.text}"), styles["Normal"]) for s in published]
    story.append(Paragraph("Timeline", styles["Heading2"]))
    rows = [["When (UTC)", "What", ""]] + [
        [f"{e.at:%m-%d %H:%M}", e.kind, Paragraph(escape(e.text[:600]), styles["BodyText"])]
        for e in data.events
    ]
    table = Table(rows, colWidths=[2.6 * cm, 2.2 * cm, 12 * cm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
            ]
        )
    )
    story.append(table)
    story.append(Paragraph("Playbook", styles["Heading2"]))
    story += [
        Paragraph(escape(("[x] " if i.done_at else "[ ] ") + i.text), styles["Normal"])
        for i in data.playbook
    ]
    doc.build(story)
    return buffer.getvalue()
