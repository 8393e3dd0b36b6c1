"""Brand-voice checks on a reply draft: banned words, required disclaimers, tone, length.

Problems come back as :class:`VoiceIssue` values: ``error`` ones block sending (a banned word,
a missing disclaimer, a text too long for the platform), ``warning`` ones are shown and may be
accepted (shouting in capitals, a row of exclamation marks).

Example::

    check_voice(text="WE ARE SORRY!!!", platform="x", lang="en", profile=None)
    # -> [VoiceIssue("tone_caps", "warning", …), VoiceIssue("tone_exclamation", "warning", …)]
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.inbox.reply_models import VoiceProfile

#: Characters a platform accepts in one reply.
PLATFORM_LIMITS = {
    "x": 280,
    "bluesky": 300,
    "mastodon": 500,
    "threads": 500,
    "tiktok": 150,
    "linkedin": 1250,
    "instagram": 2200,
    "facebook": 8000,
    "reddit": 10000,
    "youtube": 10000,
    "review": 4000,
}
_EXCLAMATIONS = re.compile(r"!{2,}")
_LETTERS = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class VoiceIssue:
    code: str
    severity: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def profile_for(*, session: Session, brand_id: int | None) -> VoiceProfile | None:
    """The brand's voice profile, else the shared one (``brand_id`` None)."""
    if brand_id is not None:
        own = session.scalar(select(VoiceProfile).where(VoiceProfile.brand_id == brand_id))
        if own is not None:
            return own
    return session.scalar(select(VoiceProfile).where(VoiceProfile.brand_id.is_(None)))


def _contains_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word.casefold())}(?!\w)", text.casefold()) is not None


def check_voice(
    *, text: str, platform: str, lang: str | None, profile: VoiceProfile | None
) -> list[VoiceIssue]:
    issues: list[VoiceIssue] = []
    if not text.strip():
        return [VoiceIssue("empty", "error", "The reply is empty.")]
    limits = dict(PLATFORM_LIMITS)
    if profile is not None:
        limits.update(profile.max_lengths)
        for word in profile.banned_words:
            if word and _contains_word(text, word):
                issues.append(
                    VoiceIssue("banned_word", "error", f'"{word}" is not in the brand\'s voice.')
                )
        required = profile.required.get(lang or "", [])
        if required and not any(p.casefold() in text.casefold() for p in required):
            issues.append(
                VoiceIssue(
                    "missing_disclaimer",
                    "error",
                    f'Add the required phrase for {lang}: "{required[0]}".',
                )
            )
    limit = limits.get(platform)
    if limit is not None and len(text) > limit:
        issues.append(
            VoiceIssue("too_long", "error", f"{len(text)} characters; {platform} allows {limit}.")
        )
    letters = _LETTERS.findall(text)
    upper = sum(1 for ch in letters if ch.isupper())
    if len(letters) >= 12 and upper / len(letters) > 0.6:
        issues.append(
            VoiceIssue("tone_caps", "warning", "Mostly capital letters read as shouting.")
        )
    if _EXCLAMATIONS.search(text):
        issues.append(
            VoiceIssue("tone_exclamation", "warning", "Several exclamation marks in a row.")
        )
    return issues
