"""X (Twitter) API v2: recent search and the filtered stream; replies with a user token.

Example::

    tocsin sources add acme-x --platform x --set "query=acme -is:retweet" \\
        --secret bearer_token=...
"""

from tocsin.connectors.spec import FieldSpec, PlatformSpec
from tocsin.connectors.x.connector import RecentSearchConnector
from tocsin.connectors.x.normalise import normalise_x
from tocsin.connectors.x.publisher import XPublisher

SPEC = PlatformSpec(
    platform="x",
    label="X (Twitter)",
    raw_platform="x",
    modes=("poll",),
    fields=(
        FieldSpec("query", "Search query", required=True, help="X search syntax"),
        FieldSpec("filtered_stream", "Also read the filtered stream", help="true or false"),
        FieldSpec("stream_seconds", "Stream window per poll (s)"),
        FieldSpec("max_pages", "Pages per poll"),
        FieldSpec("interval_seconds", "Poll interval (s)"),
        FieldSpec("api_url", "API URL", help="default https://api.x.com"),
    ),
    credentials=(
        FieldSpec("bearer_token", "App bearer token", required=True),
        FieldSpec("user_access_token", "User access token (replies)"),
    ),
    connector=RecentSearchConnector,
    publisher=XPublisher,
    reply_credentials=("user_access_token",),
    default_interval=60,
    min_interval=15,
)

__all__ = ["SPEC", "normalise_x"]
