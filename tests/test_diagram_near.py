"""The editor's diagram around the step being edited stays readable however long the scenario."""

from __future__ import annotations

import pytest

from learning.content.diagram import neighbours, quiz_dot

pytestmark = pytest.mark.tinydb_only


def chain(n: int) -> dict:
    steps = []
    for i in range(n):
        nxt = f"s{i + 1}" if i + 1 < n else None
        choices = [{"text": "a", "feedback": "b", "points": 1, **({"next": nxt} if nxt else {})},
                   {"text": "c", "feedback": "d", "points": 0}]
        steps.append({"id": f"s{i}", "title": f"Steg {i}", "text": "x", "choices": choices})
    return {"id": "q", "steps": steps}


def test_only_the_step_and_its_neighbours_are_drawn():
    data = chain(10)
    assert neighbours(data, 4) == {3, 4, 5}
    dot = quiz_dot(data, 4, only_near=True)
    assert "s4 [" in dot and "s3 [" in dot and "s5 [" in dot and "s6 [" not in dot and "s0 [" not in dot
    assert "s3 -> s4" in dot and "s4 -> s5" in dot and "s4 -> end" in dot and "s3 -> end" not in dot
    assert "du er her" in dot
    whole = quiz_dot(data, 4)
    assert all(f"s{i} [" in whole for i in range(10)) and whole.count("du er her") == 1
