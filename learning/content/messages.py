"""Pydantic errors as problem codes and values that name the field (words in ``problems.toml``)."""

from __future__ import annotations

import re

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from learning.content.problems import Word
from learning.content.yaml_lines import Location


def field_name(loc: Location) -> str:
    """``('steps', 2, 'next')`` -> ``steps[2].next``; the whole file is a Word."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or Word("word.whole_file")


CODES = {"string_too_short": "empty", "missing": "missing", "extra_forbidden": "unknown_field",
         "string_pattern_mismatch": "not_slug", "string_too_long": "too_long", "too_short": "too_few",
         "too_long": "too_many", "int_parsing": "not_int", "int_type": "not_int", "int_from_float": "not_int",
         "greater_than_equal": "too_small", "greater_than": "too_small", "less_than_equal": "too_big",
         "less_than": "too_big", "enum": "not_choice", "string_type": "not_text", "list_type": "not_list",
         "model_type": "not_mapping", "dict_type": "not_mapping", "model_attributes_type": "not_mapping",
         "bool_parsing": "not_bool", "bool_type": "not_bool"}
"""Pydantic's error type -> our problem code; any other type is ``invalid``."""

_CHOICE = re.compile(r"'([^']*)'")


def choices(expected: str) -> tuple[str, ...]:
    """Pydantic's English "'a', 'b' or 'c'" as («a», «b», «c»), said "«a», «b» eller «c»"."""
    found = _CHOICE.findall(expected)
    return tuple(f"«{choice}»" for choice in found) if found else (expected,)


def error_code(error: ErrorDetails) -> tuple[str, tuple[tuple[str, object], ...]]:
    """The problem's code and values: limits, the field's own name, the allowed choices."""
    ctx = error.get("ctx") or {}
    code = CODES.get(error["type"], "invalid")
    values: dict[str, object] = {
        "max": ctx.get("max_length", ctx.get("le", ctx.get("lt"))),
        "min": ctx.get("min_length", ctx.get("ge", ctx.get("gt")))}
    if code in {"missing", "unknown_field"}:
        values["name"] = str(error["loc"][-1]) if error["loc"] else ""
    if code == "not_choice":
        values["expected"] = choices(str(ctx.get("expected", "")))
    if code == "invalid":
        values["detail"] = error["msg"]
    return code, tuple((k, v) for k, v in values.items() if v is not None)


def coded_errors(exc: ValidationError) -> list[tuple[Location, str, tuple]]:
    """Each error as (location, code, values)."""
    return [(tuple(error["loc"]), *error_code(error)) for error in exc.errors()]
