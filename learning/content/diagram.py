"""A scenario's branches as a Graphviz DOT diagram, for authors.

Works on the editor's fields even when they do not validate yet, and uses the
validator's own graph checks (``graph.analyse``). Problems are shown by words in
the box and by line style and shape, with colour only as an extra cue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from learning.content.bundle import branch_shape
from learning.content.graph import analyse
from learning.i18n import t

MAX_LABEL = 32


@dataclass
class StepMarks:
    """What the diagram says about each step (by position)."""

    unreachable: set[int] = field(default_factory=set)
    looping: set[int] = field(default_factory=set)
    duplicate: set[int] = field(default_factory=set)
    unknown_targets: list[tuple[int, int, str]] = field(default_factory=list)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _steps(data: dict) -> list[dict]:
    steps = data.get("steps")
    return [s for s in steps if isinstance(s, dict)] if isinstance(steps, list) else []


def _choices(step: dict) -> list[dict]:
    choices = step.get("choices")
    return [c for c in choices if isinstance(c, dict)] if isinstance(choices, list) else []


def marks(data: dict) -> StepMarks:
    shape = branch_shape(data)
    if shape is None:
        return StepMarks()
    report = analyse(shape)
    return StepMarks(unreachable={i for i, _ in report.unreachable}, looping={i for i, _ in report.endless},
                     duplicate={i for i, _ in report.duplicate_ids}, unknown_targets=report.unknown_targets)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _quote(*lines: str) -> str:
    """A DOT string; each argument on its own line."""
    return '"' + "\\n".join(_escape(line) for line in lines) + '"'


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _target(choice: dict) -> str | None:
    return choice.get("next") if isinstance(choice.get("next"), str) and choice.get("next") else None


def neighbours(data: dict, focus: int) -> set[int]:
    """The step at ``focus`` and the steps one choice away from it, before and after."""
    steps = _steps(data)
    if not 0 <= focus < len(steps):
        return set()
    index: dict[str, int] = {}
    for n, step in enumerate(steps):
        index.setdefault(_text(step.get("id")), n)
    near = {focus}
    near |= {index[t] for c in _choices(steps[focus]) if (t := _target(c)) in index and c.get("critical") is not True}
    own = _text(steps[focus].get("id"))
    near |= {n for n, step in enumerate(steps)
             if any(_target(c) == own and c.get("critical") is not True for c in _choices(step))}
    return near


def quiz_dot(data: dict, focus: int | None = None, *, only_near: bool = False) -> str:
    """DOT source: one box per step, an arrow per choice labelled with its number and points.

    ``focus`` marks the step being edited (thick frame, «du er her»); with ``only_near``
    the diagram shows just that step and the steps one choice away, so it stays readable
    however long the scenario is.
    """
    steps = _steps(data)
    found = marks(data)
    shown = neighbours(data, focus) if only_near and focus is not None else set(range(len(steps)))
    first_index: dict[str, int] = {}
    for index, step in enumerate(steps):
        first_index.setdefault(_text(step.get("id")), index)
    lines = ["digraph scenario {", "  rankdir=TB;", '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", '
             'fontname="sans-serif", fontsize=14];', '  edge [fontname="sans-serif", fontsize=12];']
    for index, step in enumerate(steps):
        if index not in shown:
            continue
        name = _text(step.get("title")).strip() or _text(step.get("id")) or "?"
        label = [("▶ " + t("diagram.start") + ": " if index == 0 else "") + f"{index + 1}. " + _short(name)]
        if _text(step.get("text")).strip():
            label.append(_short(_text(step.get("text"))))
        attrs = []
        if index in found.unreachable:
            label.append("⚠ " + t("diagram.unreachable"))
            attrs += ['style="rounded,dashed,filled"', 'fillcolor="#eeeeee"', 'color="#555555"']
        if index in found.looping:
            label.append("⚠ " + t("diagram.loop"))
            attrs += ["shape=octagon", 'fillcolor="#fde2e1"', 'color="#b3261e"', "penwidth=2"]
        if index in found.duplicate:
            label.append("⚠ " + t("diagram.duplicate"))
            attrs += ['fillcolor="#fde2e1"', 'color="#b3261e"', "penwidth=2"]
        if index == 0:
            attrs.append("penwidth=2")
        if index == focus:
            label.append("◆ " + t("diagram.here"))
            attrs += ["penwidth=4", 'color="#1f1f1f"']
        lines.append(f"  s{index} [label={_quote(*label)}"
                     + "".join(f", {a}" for a in attrs) + "];")
    unknown = {target for s_index, _, target in found.unknown_targets
               if s_index in shown and (not only_near or s_index == focus)}
    for n, missing in enumerate(sorted(unknown)):
        note = "⚠ " + t("diagram.unknown", target=_short(missing))
        lines.append(f'  u{n} [label={_quote(note)}, shape=note, style="dashed,filled", fillcolor="#fde2e1", '
                     'color="#b3261e"];')
    unknown_node = {missing: f"u{n}" for n, missing in enumerate(sorted(unknown))}
    ends = critical_end = False
    near_only = only_near and focus is not None
    focus_id = _text(steps[focus].get("id")) if focus is not None and near_only and 0 <= focus < len(steps) else None
    for index, step in enumerate(steps):
        if index not in shown:
            continue
        for c_index, choice in enumerate(_choices(step)):
            target = _target(choice)
            if near_only and index != focus and (target != focus_id or choice.get("critical") is True):
                continue  # around the step being edited: only the ways into it
            points = choice.get("points") if isinstance(choice.get("points"), int) else "?"
            edge = _quote(t("diagram.choice", n=c_index + 1, points=points))
            if choice.get("critical") is True:  # ends the scenario whatever ``next`` says
                critical_end = True
                edge = _quote(t("diagram.critical_choice", n=c_index + 1))
                lines.append(f'  s{index} -> critical [label={edge}, style=bold, color="#b3261e", penwidth=2];')
            elif target is None:
                ends = True
                lines.append(f"  s{index} -> end [label={edge}];")
            elif target in first_index:
                lines.append(f"  s{index} -> s{first_index[target]} [label={edge}];")
            else:
                lines.append(f'  s{index} -> {unknown_node[target]} [label={edge}, style=dashed, color="#b3261e"];')
    if ends:
        lines.append(f'  end [label={_quote(t("diagram.end"))}, shape=doublecircle, fillcolor="#e6f4ea"];')
    if critical_end:
        lines.append(f'  critical [label={_quote(t("diagram.critical_end"))}, shape=box, style="filled,bold,rounded", '
                     'fillcolor="#fde2e1", color="#b3261e", penwidth=2];')
    lines.append("}")
    return "\n".join(lines)
