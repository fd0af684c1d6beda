"""Structural checks of a scenario's step graph."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from learning.content.models import Choice, Quiz, Step
from learning.records import share_percent


class BranchChoice(Protocol):
    @property
    def next(self) -> str | None: ...


class BranchStep(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def choices(self) -> Sequence[BranchChoice]: ...


class Branches(Protocol):
    """What the branch checks read: step ids and where each choice leads.

    A validated ``Quiz`` has it, and so has ``bundle.branch_shape`` of a half-written one.
    """

    @property
    def steps(self) -> Sequence[BranchStep]: ...


@dataclass
class GraphReport:
    """What is wrong with a scenario's branches, by step location."""

    duplicate_ids: list[tuple[int, str]] = field(default_factory=list)
    unknown_targets: list[tuple[int, int, str]] = field(default_factory=list)
    unreachable: list[tuple[int, str]] = field(default_factory=list)
    endless: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.duplicate_ids or self.unknown_targets or self.unreachable or self.endless)


def edges(quiz: Branches) -> dict[str, list[str]]:
    known = {step.id for step in quiz.steps}
    return {
        step.id: [c.next for c in step.choices if c.next is not None and c.next in known]
        for step in quiz.steps
    }


def reachable_ids(quiz: Branches) -> set[str]:
    graph = edges(quiz)
    seen: set[str] = set()
    todo = [quiz.steps[0].id]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(graph.get(current, []))
    return seen


def _on_cycle(graph: dict[str, list[str]]) -> set[str]:
    """Steps that lie on a loop: a learner could go round for ever."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    looping: set[str] = set()

    def visit(node: str, stack: list[str]) -> None:
        colour[node] = grey
        stack.append(node)
        for nxt in graph[node]:
            if colour[nxt] == grey:
                looping.update(stack[stack.index(nxt):])
            elif colour[nxt] == white:
                visit(nxt, stack)
        stack.pop()
        colour[node] = black

    for node in graph:
        if colour[node] == white:
            visit(node, [])
    return looping


def analyse(quiz: Branches) -> GraphReport:
    report = GraphReport()
    counts = Counter(step.id for step in quiz.steps)
    seen_dupe: set[str] = set()
    for index, step in enumerate(quiz.steps):
        if counts[step.id] > 1 and step.id in seen_dupe:
            report.duplicate_ids.append((index, step.id))
        seen_dupe.add(step.id)
    known = set(counts)
    for s_index, step in enumerate(quiz.steps):
        for c_index, choice in enumerate(step.choices):
            if choice.next is not None and choice.next not in known:
                report.unknown_targets.append((s_index, c_index, choice.next))
    reach = reachable_ids(quiz)
    looping = _on_cycle(edges(quiz))
    for index, step in enumerate(quiz.steps):
        if step.id not in reach:
            report.unreachable.append((index, step.id))
        elif step.id in looping:
            report.endless.append((index, step.id))
    return report


def paths(quiz: Quiz) -> Iterator[list[tuple[Step, Choice]]]:
    """Every way through the scenario, as (step, choice) pairs, ending where the engine ends it.

    A safety-critical mistake ends the scenario, as in play. Call only on a quiz whose
    graph is sound (``analyse(quiz).ok``): a loop would never end.
    """
    def walk(step: Step, prefix: list[tuple[Step, Choice]]) -> Iterator[list[tuple[Step, Choice]]]:
        for choice in step.choices:
            here = [*prefix, (step, choice)]
            if choice.next is None or choice.critical:
                yield here
            else:
                yield from walk(quiz.step(choice.next), here)

    if analyse(quiz).ok:
        yield from walk(quiz.start, [])


def path_passes(quiz: Quiz, path: list[tuple[Step, Choice]]) -> bool:
    """The same rule as play: no critical mistake and at least ``pass_percent`` of the points on the path."""
    if any(choice.critical for _, choice in path):
        return False
    best = sum(step.max_points for step, _ in path)
    got = sum(choice.points for _, choice in path)
    return best > 0 and share_percent(got, best) >= quiz.pass_percent
