"""Platform-shaped, stable identifiers and URLs for demo posts and authors.

An id is a hash of ``(seed, scope, counter)``: it never depends on when the post is dated, so
moving the week to today keeps every ``(platform, external_id)`` and loading twice stores each
post once.

Example::

    maker = IdMaker(seed=7)
    maker.post("x", scope="background", handle="jane")
    # ("1794523…", "https://x.com/jane/status/1794523…")
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

_BASE32_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz"
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _digits(value: int, alphabet: str, length: int) -> str:
    out = []
    for _ in range(length):
        value, rest = divmod(value, len(alphabet))
        out.append(alphabet[rest])
    return "".join(reversed(out))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class IdMaker:
    """Deterministic ids per seed; each scope has its own counter so storylines stay independent."""

    def __init__(self, *, seed: int) -> None:
        self._seed = seed
        self._counters: Counter[str] = Counter()

    def _number(self, scope: str) -> int:
        self._counters[scope] += 1
        digest = hashlib.blake2b(
            f"{self._seed}|{scope}|{self._counters[scope]}".encode(), digest_size=16
        ).digest()
        return int.from_bytes(digest, "big")

    def author(self, platform: str, handle: str) -> str:
        """A platform-shaped account id derived from the handle."""
        n = int.from_bytes(
            hashlib.blake2b(f"{platform}|{handle}".encode(), digest_size=12).digest()
        )
        if platform == "bluesky":
            return "did:plc:" + _digits(n, _BASE32_SORTABLE, 24)
        if platform == "reddit":
            return "t2_" + _digits(n, _BASE36, 8)
        return str(10**9 + n % 10**12)

    def post(
        self, platform: str, *, scope: str, handle: str, kind: str = "post"
    ) -> tuple[str, str]:
        """``(external_id, url)`` for a new post by ``handle`` on ``platform``."""
        n = self._number(scope)
        if platform == "x":
            ident = str(1_700_000_000_000_000_000 + n % 10**17)
            return ident, f"https://x.com/{handle}/status/{ident}"
        if platform == "bluesky":
            rkey = "3l" + _digits(n, _BASE32_SORTABLE, 11)
            did = self.author("bluesky", handle)
            return (
                f"at://{did}/app.bsky.feed.post/{rkey}",
                f"https://bsky.app/profile/{handle}/post/{rkey}",
            )
        if platform == "mastodon":
            user, _, instance = handle.partition("@")
            ident = str(110_000_000_000_000_000 + n % 10**16)
            url = f"https://{instance or 'mastodon.social'}/@{user}/{ident}"
            return url, url
        if platform == "reddit":
            body = _digits(n, _BASE36, 7)
            if kind == "comment":
                return f"t1_{body}", f"https://www.reddit.com/r/EuroTelecom/comments/{body}/"
            return f"t3_{body}", f"https://www.reddit.com/r/EuroTelecom/comments/{body}/"
        if platform == "facebook":
            page = 100_000_000_000 + n % 10**11
            item = 10**15 + (n >> 40) % 10**15
            return f"{page}_{item}", f"https://www.facebook.com/{handle}/posts/{item}"
        if platform == "instagram":
            ident = str(17_800_000_000_000_000 + n % 10**16)
            code = _digits(n >> 64, _BASE36 + "ABCDEFGHIJKLMNOPQRSTUVWXYZ_", 11)
            return ident, f"https://www.instagram.com/p/{code}/"
        ident = _digits(n, _BASE36, 12)
        return f"{platform}-{ident}", f"https://{platform}.example/{ident}"
