"""Load YAML and remember the line of every key and list item.

Pydantic reports errors by location (``steps.2.choices.0.next``); authors need
the line in the file. This keeps a map from location to line.
"""

from __future__ import annotations

from typing import Any

import yaml

Location = tuple[str | int, ...]
MAX_DEPTH = 50  # nesting of lists and groups; real content files use under 10



class YamlSyntaxError(Exception):
    """Why the YAML cannot be read: a problem code (``problems.toml``) and its values."""

    def __init__(self, line: int | None, code: str, **values: object):
        self.line = line
        self.code = code
        self.values = values
        super().__init__(f"{code} {values}" if values else code)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases and limits nesting.

    An alias lets a few hundred bytes stand for billions of nodes (an "alias bomb") once
    anything walks the data; content files never need one. The depth check runs before
    PyYAML's recursive composer descends, so deep input cannot raise RecursionError.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self.depth = 0

    # ``index`` is the key node under a mapping and a position in a sequence (the stubs say int).
    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise YamlSyntaxError(line, "yaml_alias")
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            if self.depth >= MAX_DEPTH:
                raise YamlSyntaxError(line, "yaml_depth", max=MAX_DEPTH)
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1
        return super().compose_node(parent, index)


def _walk(node: yaml.Node, loc: Location, lines: dict[Location, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark)
            child = (*loc, name)
            lines[child] = key.start_mark.line + 1
            _walk(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*loc, index)
            lines[child] = item.start_mark.line + 1
            _walk(item, child, lines)


def load_yaml(text: str) -> tuple[Any, dict[Location, int]]:
    """Parse YAML safely; return the data and a location-to-line map.

    Every failure is a YamlSyntaxError with a problem code: no anchors or aliases,
    at most MAX_DEPTH levels, and values PyYAML cannot build (an integer of 5 000
    digits, the date 2026-13-45) are errors too, not exceptions of other kinds.
    """
    loader: _StrictLoader | None = None
    try:
        loader = _StrictLoader(text)  # the reader rejects control characters here already
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlSyntaxError(line, "yaml_syntax", detail=exc.problem or exc.context) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, "yaml_syntax", detail=str(exc)) from None
    except (ValueError, TypeError, OverflowError, RecursionError):
        raise YamlSyntaxError(None, "yaml_value") from None
    finally:
        if loader is not None:
            loader.dispose()
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
