"""Mastodon: the streaming API (public, local, hashtag, user), timelines and search, replies.

Example::

    tocsin sources add fedi --platform mastodon --set instance=https://mastodon.social \\
        --set stream=hashtag --set tag=acme
"""

from tocsin.connectors.mastodon.normalise import normalise_mastodon
from tocsin.connectors.mastodon.poll import MastodonPoller
from tocsin.connectors.mastodon.publisher import MastodonPublisher
from tocsin.connectors.mastodon.streaming import MastodonStreamAdapter
from tocsin.connectors.spec import FieldSpec, PlatformSpec

SPEC = PlatformSpec(
    platform="mastodon",
    label="Mastodon",
    raw_platform="mastodon",
    modes=("stream", "poll"),
    fields=(
        FieldSpec("instance", "Instance URL", required=True, help="https://mastodon.social"),
        FieldSpec("mode", "Mode", help="stream or poll"),
        FieldSpec("stream", "Timeline", help="public, public:local, hashtag or user"),
        FieldSpec("tag", "Hashtag", help="for the hashtag timeline, without #"),
        FieldSpec("search", "Search terms", help="poll mode: full-text search instead"),
        FieldSpec("query", "Listening query", help="Overrides the brand queries for the filter"),
        FieldSpec("filter_by_brands", "Filter by brand queries"),
        FieldSpec("streaming_url", "Streaming URL", help="if the instance streams elsewhere"),
        FieldSpec("interval_seconds", "Poll interval (s)"),
    ),
    credentials=(FieldSpec("access_token", "Access token", help="Preferences → Development"),),
    connector=MastodonPoller,
    stream=MastodonStreamAdapter,
    publisher=MastodonPublisher,
    reply_credentials=("access_token",),
    default_interval=120,
)

__all__ = ["SPEC", "normalise_mastodon"]
