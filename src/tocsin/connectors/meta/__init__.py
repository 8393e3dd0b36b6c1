"""Meta: Facebook Page comments and Instagram comments/mentions by webhook; Graph API replies.

Instagram mentions arrive as bare ids; :mod:`.mentions` reads their text from the Graph API.

Example::

    tocsin sources add acme-meta --platform meta --secret app_secret=... \\
        --secret verify_token=... --secret page_access_token=...
"""

from tocsin.connectors.meta.normalise import normalise_meta
from tocsin.connectors.meta.publisher import MetaPublisher
from tocsin.connectors.spec import FieldSpec, PlatformSpec

SPEC = PlatformSpec(
    platform="meta",
    label="Facebook & Instagram (Meta)",
    raw_platform="meta",
    modes=("webhook",),
    fields=(
        FieldSpec("max_age_seconds", "Refuse deliveries older than (s)"),
        FieldSpec("graph_version", "Graph API version", help="e.g. v21.0"),
        FieldSpec("graph_url", "Graph API URL", help="default https://graph.facebook.com"),
        FieldSpec(
            "mention_calls_per_hour",
            "Instagram mention reads per hour",
            help="per account; default 150 (Instagram allows 200 calls an hour)",
        ),
    ),
    credentials=(
        FieldSpec("app_secret", "App secret", required=True, help="App Dashboard → Basic"),
        FieldSpec("verify_token", "Verify token", required=True, help="any random string"),
        FieldSpec("page_access_token", "Page access token"),
        FieldSpec("instagram_access_token", "Instagram access token"),
    ),
    post_platforms=("facebook", "instagram"),
    publisher=MetaPublisher,
    reply_credentials=("page_access_token",),
)

__all__ = ["SPEC", "normalise_meta"]
