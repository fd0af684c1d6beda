"""Turn pydantic errors into short Norwegian messages that name the field."""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from learning.content.yaml_lines import Location


def field_name(loc: Location) -> str:
    """``('steps', 2, 'next')`` -> ``steps[2].next``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(hele filen)"


def _describe(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    field = error["loc"][-1] if error["loc"] else ""
    if kind == "missing":
        return f"mangler feltet «{field}»"
    if kind == "extra_forbidden":
        return f"ukjent felt «{field}»"
    if kind == "string_pattern_mismatch":
        return "må være en id med små bokstaver a–z, tall og bindestrek (for eksempel «steg-2»)"
    if kind == "string_too_short":
        return "kan ikke være tom"
    if kind == "string_too_long":
        return f"er for lang (høyst {ctx.get('max_length')} tegn)"
    if kind == "too_short":
        return f"må ha minst {ctx.get('min_length')} element(er)"
    if kind == "too_long":
        return f"kan ha høyst {ctx.get('max_length')} element(er)"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "må være et heltall"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"må være minst {ctx.get('ge', ctx.get('gt'))}"
    if kind in {"less_than_equal", "less_than"}:
        return f"kan være høyst {ctx.get('le', ctx.get('lt'))}"
    if kind == "enum":
        return f"må være en av: {ctx.get('expected')}"
    if kind in {"string_type"}:
        return "må være tekst"
    if kind in {"list_type"}:
        return "må være en liste"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return "må være en gruppe med felter (nøkkel: verdi)"
    return error["msg"]


CODES = {"string_too_short": "empty", "missing": "missing", "extra_forbidden": "unknown_field",
         "string_pattern_mismatch": "not_slug", "string_too_long": "too_long", "too_short": "too_few",
         "too_long": "too_many", "int_parsing": "not_int", "int_type": "not_int", "int_from_float": "not_int",
         "greater_than_equal": "too_small", "greater_than": "too_small", "less_than_equal": "too_big",
         "less_than": "too_big", "enum": "not_choice"}


def error_code(error: ErrorDetails) -> tuple[str, tuple[tuple[str, object], ...]]:
    """The problem's code and values, for an editor to phrase in the author's language."""
    ctx = error.get("ctx") or {}
    code = CODES.get(error["type"], "invalid")
    values = {"max": ctx.get("max_length", ctx.get("le", ctx.get("lt"))),
              "min": ctx.get("min_length", ctx.get("ge", ctx.get("gt")))}
    return code, tuple((k, v) for k, v in values.items() if v is not None)


def describe_errors(exc: ValidationError) -> list[tuple[Location, str]]:
    """Each error as (location, 'field: message')."""
    out = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        out.append((loc, f"{field_name(loc)}: {_describe(error)}"))
    return out


def coded_errors(exc: ValidationError) -> list[tuple[Location, str, str, tuple]]:
    """Each error as (location, 'field: message', code, values)."""
    return [(tuple(error["loc"]), f"{field_name(tuple(error['loc']))}: {_describe(error)}", *error_code(error))
            for error in exc.errors()]
