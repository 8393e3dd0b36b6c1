"""Bluesky: the Jetstream firehose (stream), ``searchPosts`` (poll/backfill), app-password replies.

Example::

    tocsin sources add acme-bsky --platform bluesky --set mode=stream
"""

from tocsin.connectors.bluesky.jetstream import JetstreamAdapter
from tocsin.connectors.bluesky.normalise import normalise_bluesky
from tocsin.connectors.bluesky.publisher import BlueskyPublisher
from tocsin.connectors.bluesky.search import SearchPostsConnector
from tocsin.connectors.spec import FieldSpec, PlatformSpec

SPEC = PlatformSpec(
    platform="bluesky",
    label="Bluesky",
    raw_platform="bluesky",
    modes=("stream", "poll"),
    fields=(
        FieldSpec("mode", "Mode", help="stream (Jetstream firehose) or poll (searchPosts)"),
        FieldSpec("query", "Listening query", help="Overrides the brand queries for the filter"),
        FieldSpec("search", "Search terms", help="searchPosts q= (poll mode)"),
        FieldSpec("endpoint", "Jetstream URL"),
        FieldSpec("pds", "PDS URL", help="default https://bsky.social"),
        FieldSpec(
            "appview",
            "AppView URL",
            help="resolves authors' handles; default TOCSIN_BLUESKY_APPVIEW_URL",
        ),
        FieldSpec("interval_seconds", "Poll interval (s)"),
        FieldSpec("max_pages", "Pages per poll"),
    ),
    credentials=(
        FieldSpec("handle", "Handle", help="e.g. acme.bsky.social"),
        FieldSpec("app_password", "App password", help="Settings → Privacy → App passwords"),
    ),
    connector=SearchPostsConnector,
    stream=JetstreamAdapter,
    publisher=BlueskyPublisher,
    reply_credentials=("handle", "app_password"),
    default_interval=120,
    setting_defaults=lambda settings: {"appview": settings.bluesky_appview_url},
)

__all__ = ["SPEC", "normalise_bluesky"]
