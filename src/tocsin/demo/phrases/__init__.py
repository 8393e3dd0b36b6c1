"""Phrase banks: the words the demo generator builds posts from, one module per language.

Every language offers the same keys (see :data:`REQUIRED_KEYS`) so a scenario can ask for
``core.complaint.outage`` in any of them.  Templates use ``{slot}`` placeholders that
:mod:`tocsin.demo.text` fills (``{brand}``, ``{order}``, ``{phone}``…); every sentence here was
written for this demo.

Example::

    bank = phrases_for("fr")
    bank.bank["core.complaint.outage"][0]   # "Plus d'internet depuis {hours}h chez {mention}…"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LANGUAGES = ("en", "fr", "es", "nl")

QUESTION_TOPICS = ("billing", "roaming", "coverage", "cancel", "esim", "moving")
COMPLAINT_TOPICS = (
    "outage",
    "slow_fibre",
    "billing_error",
    "rude_support",
    "router_delivery",
    "mobile_signal",
)
PRAISE_TOPICS = ("install", "support", "speed", "app")
NEUTRAL_TOPICS = ("ad", "switching", "store", "chatter")
REQUEST_TOPICS = ("refund", "cancellation")
SPAM_TOPICS = ("crypto", "follow")
KINDS = ("question", "complaint", "praise", "neutral", "request")

REQUIRED_KEYS: tuple[str, ...] = (
    *(f"opener.{k}" for k in KINDS),
    *(f"closer.{k}" for k in KINDS),
    *(f"core.question.{t}" for t in QUESTION_TOPICS),
    *(f"detail.question.{t}" for t in QUESTION_TOPICS),
    *(f"core.complaint.{t}" for t in COMPLAINT_TOPICS),
    *(f"detail.complaint.{t}" for t in COMPLAINT_TOPICS),
    *(f"core.praise.{t}" for t in PRAISE_TOPICS),
    *(f"core.neutral.{t}" for t in NEUTRAL_TOPICS),
    *(f"core.request.{t}" for t in REQUEST_TOPICS),
    *(f"detail.request.{t}" for t in REQUEST_TOPICS),
    *(f"core.spam.{t}" for t in SPAM_TOPICS),
    "core.legal_threat",
    "core.blackmail",
    "core.safety",
    "detail.safety",
    "pii.phone",
    "pii.email",
    "pii.order",
    "pii.iban",
    "core.rumour.data",
    "core.rumour.plans",
    "core.rumour.doubt",
    "core.rumour.debunk",
    "core.crisis.outage",
    "core.crisis.question",
    "core.crisis.joke",
    "core.crisis.aftermath",
    "brand.crisis.aware",
    "brand.crisis.update",
    "brand.crisis.restored",
    "brand.statement.rumour",
    "brand.post",
    "reply.complaint",
    *(f"reply.question.{t}" for t in QUESTION_TOPICS),
    "reply.request",
    "reply.pii",
    "reply.safety",
    "reply.legal_threat",
    "reply.blackmail",
    "reply.rumour.data",
    "reply.rumour.plans",
    "reply.praise",
    "reply.follow_up",
    "followup.dm_sent",
    "followup.still_waiting",
    "followup.thanks",
    "followup.angry",
    "poach",
    "review.title.positive",
    "review.title.negative",
    "news.title.business",
    "news.body.business",
    "news.title.crisis",
    "news.body.crisis",
    "news.title.rumour",
    "news.body.rumour",
)


@dataclass(frozen=True)
class Phrases:
    """Everything language-specific the generator needs.

    ``phone_formats`` use ``#`` for a random digit; ``slang`` pairs are whole-word
    substitutions applied to informal posts; ``money`` is a format with ``{amount}`` (already
    written with the language's decimal separator).
    """

    lang: str
    bank: Mapping[str, tuple[str, ...]]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    handle_words: tuple[str, ...]
    cities: tuple[str, ...]
    countries: tuple[str, ...]
    plans: tuple[str, ...]
    agents: tuple[str, ...]
    offers: tuple[str, ...]
    slang: tuple[tuple[str, str], ...]
    crisis_hashtags: tuple[str, ...]
    mastodon_instances: tuple[str, ...]
    phone_formats: tuple[str, ...]
    email_domains: tuple[str, ...]
    iban_country: str
    decimal_comma: bool
    money: str
    clock_24h: bool
    outlets: tuple[str, ...]


def phrases_for(lang: str) -> Phrases:
    """The phrase bank of ``lang`` (one of :data:`LANGUAGES`)."""
    if lang == "en":
        from tocsin.demo.phrases.en import PHRASES
    elif lang == "fr":
        from tocsin.demo.phrases.fr import PHRASES
    elif lang == "es":
        from tocsin.demo.phrases.es import PHRASES
    elif lang == "nl":
        from tocsin.demo.phrases.nl import PHRASES
    else:
        raise ValueError(f"no demo phrases for {lang!r}: use one of {', '.join(LANGUAGES)}")
    return PHRASES
