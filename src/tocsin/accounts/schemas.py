"""Request and response shapes for users and teams (beside, not inside, the ORM models).

Skills are what routing reads (:func:`tocsin.inbox.routing.skilled`), so they are checked here,
at the edge: languages are ISO 639-1 codes (what language detection stores on a case),
platforms come from :data:`tocsin.ingestion.schemas.PLATFORMS`, topics are free tags of at most
40 characters, lower-cased like case tags so that they match.

Example::

    Skills(languages=["FR", "nl"], platforms=["x"], topics=["Billing "])
    # -> Skills(languages=['fr', 'nl'], platforms=['x'], topics=['billing'])
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tocsin.accounts.passwords import MIN_PASSWORD_LENGTH
from tocsin.ingestion.schemas import PLATFORMS
from tocsin.web.i18n import SUPPORTED_LOCALES

#: Every ISO 639-1 code (two letters): what a case's ``lang`` holds when a code exists.
ISO_639_1: frozenset[str] = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu
    cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi
    ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks
    ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl
    nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl
    sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve
    vi vo wa wo xh yi yo za zh zu""".split()  # noqa: SIM905 - a compact table
)
#: Languages offered first in the team page's multi-select (others stay valid in the API).
COMMON_LANGUAGES = ("en", "fr", "es", "nl", "de", "it", "pt")
MAX_TOPIC = 40
MAX_CAPACITY = 500


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class Skills(BaseModel):
    """What an agent can handle; an empty list means "any" to routing."""

    model_config = ConfigDict(extra="forbid")

    languages: list[str] = Field(default_factory=list, max_length=50)
    platforms: list[str] = Field(default_factory=list, max_length=len(PLATFORMS))
    topics: list[str] = Field(default_factory=list, max_length=50)

    @field_validator("languages")
    @classmethod
    def _languages(cls, values: list[str]) -> list[str]:
        out = [v.strip().lower() for v in values]
        for value in out:
            if value not in ISO_639_1:
                raise ValueError(f"{value!r} is not an ISO 639-1 language code such as 'fr'")
        return _unique(out)

    @field_validator("platforms")
    @classmethod
    def _platforms(cls, values: list[str]) -> list[str]:
        out = [v.strip().lower() for v in values]
        for value in out:
            if value not in PLATFORMS:
                raise ValueError(f"unknown platform {value!r}: use one of {', '.join(PLATFORMS)}")
        return _unique(out)

    @field_validator("topics")
    @classmethod
    def _topics(cls, values: list[str]) -> list[str]:
        out = [v.strip().lower() for v in values if v.strip()]
        for value in out:
            if len(value) > MAX_TOPIC:
                raise ValueError(f"a topic has at most {MAX_TOPIC} characters: {value[:20]!r}…")
        return _unique(out)


class _UserFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("locale", check_fields=False)
    @classmethod
    def _locale(cls, value: str | None) -> str | None:
        if value is not None and value not in SUPPORTED_LOCALES:
            raise ValueError(f"locale must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value


class UserCreate(_UserFields):
    """A new account. Without ``password``, a one-time password is generated and returned."""

    email: str = Field(min_length=3, max_length=254)
    name: str = Field(default="", max_length=200)
    role: str = Field(default="agent", max_length=32)
    locale: str = "en"
    skills: Skills = Field(default_factory=Skills)
    capacity: int = Field(default=10, ge=1, le=MAX_CAPACITY)
    password: str | None = Field(default=None, min_length=MIN_PASSWORD_LENGTH, max_length=1024)


class UserUpdate(_UserFields):
    """A partial change: only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    role: str | None = Field(default=None, max_length=32)
    locale: str | None = None
    skills: Skills | None = None
    capacity: int | None = Field(default=None, ge=1, le=MAX_CAPACITY)
    is_active: bool | None = None

    def changes(self) -> dict[str, Any]:
        """The fields the caller sent (``None`` values included only if sent explicitly)."""
        return {k: getattr(self, k) for k in self.model_fields_set}


class TeamRef(BaseModel):
    id: int
    name: str
    is_lead: bool


class UserRead(BaseModel):
    id: int
    email: str
    name: str
    role: str
    locale: str
    is_active: bool
    skills: Skills
    capacity: int
    #: True until the user replaces a password someone else set (generated, or by an admin).
    password_change_required: bool
    teams: list[TeamRef]
    created_at: datetime
    last_login_at: datetime | None


class UserCreated(UserRead):
    """The new account; ``one_time_password`` is set (once) when Tocsin generated it."""

    one_time_password: str | None = None


class PasswordReset(BaseModel):
    """A new one-time password, shown once; the user's sessions were ended."""

    user_id: int
    one_time_password: str


class TeamCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=120)


class TeamUpdate(TeamCreate):
    pass


class MemberSet(BaseModel):
    """Add a member to a team, or change their lead flag (``PUT`` is idempotent)."""

    model_config = ConfigDict(extra="forbid")

    is_lead: bool = False


class TeamMemberRead(BaseModel):
    user_id: int
    email: str
    name: str
    is_active: bool
    is_lead: bool


class TeamRead(BaseModel):
    id: int
    name: str
    created_at: datetime
    members: list[TeamMemberRead]
