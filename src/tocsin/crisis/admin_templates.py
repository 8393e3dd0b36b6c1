"""Holding-statement and playbook templates: built-in defaults, shared overrides, brand overrides.

A statement template is looked up per language: the brand's own, else the shared one
(``default`` scope), else the built-in text of :data:`tocsin.crisis.statements.BUILTIN_TEMPLATES`.
A template may only use the placeholders ``{brand}``, ``{issue}``, ``{next_update}`` and
``{channel}``, as plain names: ``{foo}``, ``{brand.upper}``, ``{0}`` or an unmatched brace are
refused with a message naming the culprit, since they would otherwise break (or leak through) the
drafting in the war room.  A playbook template is the checklist copied into each new incident.

Example::

    check_template("Hello {foo}")        # AdminError: unknown placeholder {foo} …
    preview("{brand}: {issue}", brand_name="Lumio", values={})
    # 'Lumio: a problem'
"""

from __future__ import annotations

from string import Formatter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.crisis.admin_service import scope_of
from tocsin.crisis.incident_models import PlaybookTemplate, StatementTemplate
from tocsin.crisis.incidents import DEFAULT_PLAYBOOK
from tocsin.crisis.statements import BUILTIN_TEMPLATES, DEFAULT_VALUES, LANGUAGES
from tocsin.errors import AdminError, NotFoundError

PLACEHOLDERS = ("brand", "issue", "next_update", "channel")
TEMPLATE_NAME = "holding"
SAMPLE_BRAND = "Lumio"


def _error(field: str, message: str) -> AdminError:
    return AdminError(message, field=field)


def check_template(body: str, *, field: str = "/body") -> None:
    """Refuse a body that ``str.format`` cannot fill with the four known placeholders."""
    allowed = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    try:
        parts = list(Formatter().parse(body))
    except ValueError as exc:
        raise _error(
            field, f"the template does not parse ({exc}): write {{{{ and }}}} for a brace"
        ) from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        suffix = (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
        shown = "{" + name + suffix + "}"
        if name not in PLACEHOLDERS:
            raise _error(field, f"unknown placeholder {shown}: use {allowed}")
        if spec or conversion:
            raise _error(field, f"placeholders take no format: write {{{name}}}, not {shown}")


def preview(body: str, *, brand_name: str, values: dict[str, str]) -> str:
    """The template filled with sample values (or ``values`` where given)."""
    check_template(body)
    for key in values:
        if key not in PLACEHOLDERS or key == "brand":
            raise _error(
                f"/values/{key}", f"unknown value {key!r}: use issue, next_update, channel"
            )
    filled = {**DEFAULT_VALUES, **{k: v for k, v in values.items() if v}, "brand": brand_name}
    return body.format_map(filled)


# -- holding statements -------------------------------------------------------------------------


def _stored(session: Session, brand_id: int | None) -> dict[str, StatementTemplate]:
    where = (
        StatementTemplate.brand_id.is_(None)
        if brand_id is None
        else StatementTemplate.brand_id == brand_id
    )
    rows = session.scalars(
        select(StatementTemplate).where(where).order_by(StatementTemplate.id.desc())
    )
    return {row.lang: row for row in rows}


def statement_templates(*, session: Session, brand: Brand | None) -> list[dict[str, Any]]:
    """One entry per language: the text in force for the scope and where it comes from
    (``brand``, ``default`` or ``builtin``), plus the text it falls back to without its own."""
    shared = _stored(session, None)
    own = shared if brand is None else _stored(session, brand.id)
    out = []
    for lang in LANGUAGES:
        inherits = brand is not None and lang in shared
        fallback = shared[lang].body if inherits else BUILTIN_TEMPLATES[lang]
        row = own.get(lang)
        if row is not None:
            source = "default" if brand is None else "brand"
        else:
            source = "default" if inherits else "builtin"
        out.append(
            {
                "scope": scope_of(brand),
                "lang": lang,
                "body": row.body if row is not None else fallback,
                "source": source,
                "own": row is not None,
                "fallback": fallback,
                "builtin": BUILTIN_TEMPLATES[lang],
            }
        )
    return out


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise NotFoundError(f"statement templates exist in {', '.join(LANGUAGES)}, not {lang!r}")
    return lang


def put_statement_template(
    *, session: Session, brand: Brand | None, lang: str, body: str
) -> StatementTemplate:
    """Store the scope's template for ``lang`` (checked first)."""
    _lang(lang)
    check_template(body)
    row = _stored(session, None if brand is None else brand.id).get(lang)
    if row is None:
        row = StatementTemplate(
            brand_id=None if brand is None else brand.id, lang=lang, name=TEMPLATE_NAME, body=body
        )
        session.add(row)
    row.body = body
    session.flush()
    return row


def delete_statement_template(*, session: Session, brand: Brand | None, lang: str) -> None:
    """Go back to the shared (or built-in) text for ``lang``."""
    _lang(lang)
    where = (
        StatementTemplate.brand_id.is_(None)
        if brand is None
        else StatementTemplate.brand_id == brand.id
    )
    rows = list(
        session.scalars(select(StatementTemplate).where(where, StatementTemplate.lang == lang))
    )
    if not rows:
        raise NotFoundError(f"{scope_of(brand)} has no {lang} template of its own")
    for row in rows:
        session.delete(row)
    session.flush()


# -- playbooks ----------------------------------------------------------------------------------


def _playbook_row(session: Session, brand: Brand | None) -> PlaybookTemplate | None:
    where = (
        PlaybookTemplate.brand_id.is_(None)
        if brand is None
        else PlaybookTemplate.brand_id == brand.id
    )
    return session.scalar(select(PlaybookTemplate).where(where))


def playbook_view(*, session: Session, brand: Brand | None) -> dict[str, Any]:
    """The checklist a new incident of the scope gets, and where it comes from."""
    own = _playbook_row(session, brand)
    shared = own if brand is None else _playbook_row(session, None)
    fallback = list(DEFAULT_PLAYBOOK) if brand is None or shared is None else list(shared.items)
    if own is not None:
        items, source = list(own.items), ("default" if brand is None else "brand")
    else:
        items = fallback
        source = "builtin" if brand is None or shared is None else "default"
    return {
        "scope": scope_of(brand),
        "items": items,
        "source": source,
        "own": own is not None,
        "fallback": fallback,
        "builtin": list(DEFAULT_PLAYBOOK),
    }


def clean_items(items: list[str]) -> list[str]:
    """Stripped, blank lines dropped; every item at most 500 characters."""
    clean = []
    for index, item in enumerate(items):
        text = item.strip()
        if len(text) > 500:
            raise _error(f"/items/{index}", f"item {index + 1} is longer than 500 characters")
        if text:
            clean.append(text)
    if not clean:
        raise _error("/items", "a playbook needs at least one item")
    return clean


def put_playbook(*, session: Session, brand: Brand | None, items: list[str]) -> PlaybookTemplate:
    """Store the scope's checklist; incidents opened from now on get it."""
    clean = clean_items(items)
    row = _playbook_row(session, brand)
    if row is None:
        row = PlaybookTemplate(brand_id=None if brand is None else brand.id)
        session.add(row)
    row.items = clean
    session.flush()
    return row


def delete_playbook(*, session: Session, brand: Brand | None) -> None:
    row = _playbook_row(session, brand)
    if row is None:
        raise NotFoundError(f"{scope_of(brand)} has no playbook of its own")
    session.delete(row)
    session.flush()
