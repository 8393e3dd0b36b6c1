"""Reddit: new posts and comments in subreddits, site-wide search, replies (OAuth JSON API).

Example::

    tocsin sources add acme-reddit --platform reddit --set subreddits=acme,acmehelp \\
        --secret client_id=... --secret client_secret=...
"""

from tocsin.connectors.reddit.connector import RedditConnector
from tocsin.connectors.reddit.normalise import normalise_reddit
from tocsin.connectors.reddit.publisher import RedditPublisher
from tocsin.connectors.spec import FieldSpec, PlatformSpec

SPEC = PlatformSpec(
    platform="reddit",
    label="Reddit",
    raw_platform="reddit",
    modes=("poll",),
    fields=(
        FieldSpec("subreddits", "Subreddits", help="comma-separated, without r/", is_list=True),
        FieldSpec("search", "Site-wide search"),
        FieldSpec("comments", "Include comments", help="true or false"),
        FieldSpec("interval_seconds", "Poll interval (s)"),
        FieldSpec("api_url", "API URL"),
        FieldSpec("token_url", "Token URL"),
    ),
    credentials=(
        FieldSpec("client_id", "Client id", required=True),
        FieldSpec("client_secret", "Client secret", required=True),
        FieldSpec("username", "Username (replies)"),
        FieldSpec("password", "Password (replies)"),
    ),
    connector=RedditConnector,
    publisher=RedditPublisher,
    reply_credentials=("client_id", "client_secret", "username", "password"),
    default_interval=120,
)

__all__ = ["SPEC", "normalise_reddit"]
