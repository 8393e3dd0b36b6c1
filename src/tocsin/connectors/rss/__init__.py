"""RSS and Atom feeds: news, blogs, review sites and alert feeds (conditional GET).

Example::

    tocsin sources add acme-press --platform rss --set url=https://news.example/acme.xml \\
        --set kind=news
"""

from tocsin.connectors.rss.connector import FeedConnector
from tocsin.connectors.rss.normalise import normalise_feed_entry
from tocsin.connectors.spec import FieldSpec, PlatformSpec

SPEC = PlatformSpec(
    platform="rss",
    label="RSS / Atom feed",
    raw_platform="rss",
    modes=("poll",),
    fields=(
        FieldSpec("url", "Feed URL", required=True),
        FieldSpec("kind", "Kind", help="news, blog, review or alert"),
        FieldSpec("interval_seconds", "Poll interval (s)"),
    ),
    post_platforms=("news", "blog", "review", "rss"),
    connector=FeedConnector,
    default_interval=900,
    min_interval=60,
)

__all__ = ["SPEC", "normalise_feed_entry"]
