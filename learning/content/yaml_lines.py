"""Load YAML and remember the line of every key and list item.

Pydantic reports errors by location (``steps.2.choices.0.next``); authors need
the line in the file. This keeps a map from location to line.
"""

from __future__ import annotations

from typing import Any

import yaml

Location = tuple[str | int, ...]


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, message: str):
        self.line = line
        super().__init__(message)


def _walk(node: yaml.Node, loc: Location, lines: dict[Location, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*loc, key.value)
            lines[child] = key.start_mark.line + 1
            _walk(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*loc, index)
            lines[child] = item.start_mark.line + 1
            _walk(item, child, lines)


def load_yaml(text: str) -> tuple[Any, dict[Location, int]]:
    """Parse YAML safely; return the data and a location-to-line map."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlSyntaxError(line, f"YAML-feil: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, f"YAML-feil: {exc}") from None
    lines: dict[Location, int] = {(): 1}
    if node is not None:
        _walk(node, (), lines)
    return data, lines


def line_for(loc: Location, lines: dict[Location, int]) -> int | None:
    """The line of the longest known prefix of ``loc``."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None
