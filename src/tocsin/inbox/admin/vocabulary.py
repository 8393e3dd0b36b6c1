"""What the rule builder offers, read from the automation engine so the two cannot drift.

Fields come from :data:`tocsin.inbox.automation.conditions.FIELDS`, operators from its ``Op``
literal, actions and their parameters from :data:`tocsin.inbox.automation.actions.ACTIONS`
(each parameter's kind from the pydantic model's JSON schema).  Labels come from the i18n
catalogue (``inbox.admin.field.post.lang``…) and fall back to the raw name, so a field added
to the engine shows up in the builder at once, untranslated until its key is added.

Example::

    vocabulary(t, choices={"policy_id": [{"value": 3, "label": "VIP"}]})["actions"][1]
    # -> {"name": "tag", "label": "Add tags",
    #     "params": [{"name": "tags", "kind": "texts", "required": True, "label": "Tags", …}]}
"""

from __future__ import annotations

from typing import Any, get_args

from tocsin.inbox.automation.actions import ACTIONS
from tocsin.inbox.automation.conditions import FIELDS, Op
from tocsin.inbox.automation.rules import RULE_EVENTS
from tocsin.web.i18n import Translator, catalogue

OPERATORS: tuple[str, ...] = get_args(Op)
#: Operators whose value is a list (typed comma-separated in the builder).
LIST_OPERATORS = ("in", "not_in")
_KINDS = {"integer": "int", "number": "number", "boolean": "bool", "string": "text"}
_BUILDER_TEXTS = (
    "conditions",
    "actions",
    "field",
    "operator",
    "action",
    "all",
    "any",
    "match",
    "add_condition",
    "add_action",
    "remove",
    "value",
    "list_hint",
    "complex",
    "none",
)


def _label(t: Translator, key: str, fallback: str) -> str:
    return t(key) if key in catalogue("en") else fallback


def param_kind(prop: dict[str, Any]) -> str:
    """``int``, ``number``, ``bool``, ``text``, or ``ints``/``texts`` for lists."""
    options = [o for o in prop.get("anyOf", [prop]) if o.get("type") != "null"]
    first = options[0] if options else {}
    if first.get("type") == "array":
        return _KINDS.get(first.get("items", {}).get("type", "string"), "text") + "s"
    return _KINDS.get(first.get("type", "string"), "text")


def action_params(t: Translator, name: str) -> list[dict[str, Any]]:
    schema = ACTIONS[name].params.model_json_schema()
    required = set(schema.get("required", []))
    return [
        {
            "name": param,
            "label": _label(t, f"inbox.admin.param.{param}", param),
            "kind": param_kind(prop),
            "required": param in required,
            "default": prop.get("default"),
            "min": prop.get("minimum"),
            "max": prop.get("maximum"),
            "max_length": prop.get("maxLength"),
        }
        for param, prop in schema.get("properties", {}).items()
    ]


def vocabulary(
    t: Translator, *, choices: dict[str, list[dict[str, Any]]] | None = None
) -> dict[str, Any]:
    """Everything the builder script needs, as JSON-ready data.

    ``choices`` offers a select instead of a number input for a parameter naming a row
    (``policy_id`` → the SLA policies, ``user_id`` → the agents).
    """
    return {
        "events": list(RULE_EVENTS),
        "fields": [{"name": f, "label": _label(t, f"inbox.admin.field.{f}", f)} for f in FIELDS],
        "operators": [
            {"name": o, "label": _label(t, f"inbox.admin.op.{o}", o), "list": o in LIST_OPERATORS}
            for o in OPERATORS
        ],
        "actions": [
            {
                "name": name,
                "label": _label(t, f"inbox.admin.action.{name}", name),
                "params": action_params(t, name),
            }
            for name in ACTIONS
        ],
        "choices": choices or {},
        "texts": {key: t(f"inbox.admin.builder.{key}") for key in _BUILDER_TEXTS},
    }
