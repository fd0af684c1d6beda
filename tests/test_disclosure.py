"""No hidden figure can be worked out from what a coordinator or manager is shown.

Property tests: random data sets go through the same functions the pages show
(``network_figures`` for the network table, ``ReportService._insight`` for scenario
insight); the attacker in ``tests/disclosure.py`` gets exactly the displayed figures and
every equality a reader knows, and tries to pin each hidden one. The deterministic tests
below are the counterexamples it found in the earlier suppression.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.content.models import Choice, Quiz, Step, Tag
from learning.services.privacy import Cell, Hidden
from learning.services.reports import QuizInsight, ReportService, network_figures

from .disclosure import HIDDEN, SMALL, Attack

PROPERTY = settings(max_examples=200, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def seen(cell: Cell) -> tuple[int | None, str | None]:
    """What the page shows for a figure: its count, or the label in its place."""
    if cell.shown:
        return cell.count, None
    return None, SMALL if cell.hidden == Hidden.SMALL else HIDDEN


# --- the network table ----------------------------------------------------------------

def attack_network(staff: list[int], completed: list[list[int]], modules: int,
                   shown: tuple | None = None) -> tuple[Attack, dict[str, int]]:
    """The attacker's view of the network table (``shown``: another display of the same counts)."""
    staff_cells, grid, row_totals, column_totals = shown or network_figures(staff, completed, modules)
    attack, truth = Attack(), {}
    for m, (n, row) in enumerate(zip(staff, completed, strict=True)):
        truth[f"staff{m}"] = n
        attack.figure(f"staff{m}", *seen(staff_cells[m]))
        for k, (done, cell) in enumerate(zip(row, grid[m], strict=True)):
            truth[f"done{m},{k}"], truth[f"rest{m},{k}"] = done, n - done
            attack.figure(f"done{m},{k}", *seen(cell), base_shown=staff_cells[m].shown)
            if cell.shown:                                       # a share tells its base
                attack.figure(f"staff{m}", cell.base)
            attack.variable(f"rest{m},{k}")                      # those who did not: at least 0
            attack.equal({f"done{m},{k}": 1, f"rest{m},{k}": 1, f"staff{m}": -1})
        truth[f"row{m}"] = sum(row)
        attack.figure(f"row{m}", *seen(row_totals[m]))
        attack.equal({f"row{m}": 1, **{f"done{m},{k}": -1 for k in range(modules)}})
        if row_totals[m].shown:
            attack.equal({f"staff{m}": modules}, row_totals[m].base)
    for k in range(modules):
        truth[f"column{k}"] = sum(row[k] for row in completed)
        attack.figure(f"column{k}", *seen(column_totals[k]))
        attack.equal({f"column{k}": 1, **{f"done{m},{k}": -1 for m in range(len(staff))}})
        if column_totals[k].shown:
            attack.equal({f"staff{m}": 1 for m in range(len(staff))}, column_totals[k].base)
    return attack, truth


@st.composite
def networks(draw) -> tuple[list[int], list[list[int]], int]:
    modules = draw(st.integers(1, 4))
    staff = draw(st.lists(st.integers(0, 40), min_size=1, max_size=5))
    staff = [n for n in staff if n] or [1]    # a municipality without staff has no line in the table
    completed = [[draw(st.one_of(st.integers(0, min(n, 6)), st.integers(max(0, n - 6), n), st.integers(0, n)))
                  for _ in range(modules)] for n in staff]
    return staff, completed, modules


@PROPERTY
@given(networks())
def test_no_hidden_network_figure_can_be_worked_out(data):
    staff, completed, modules = data
    attack, truth = attack_network(staff, completed, modules)
    assert attack.pinned(truth) == {}


# --- scenario insight -------------------------------------------------------------------

TAGS = [Tag.APNER, Tag.LYTTER, Tag.LUKKER]


def ends(choice: Choice) -> bool:
    return choice.next is None or choice.critical


@st.composite
def scenarios(draw) -> Quiz:
    """A small branching scenario, no loops (a choice leads only to a later step); unreachable steps dropped."""
    count = draw(st.integers(1, 5))
    ids = [f"s{k}" for k in range(count)]
    raw: list[list[dict]] = []
    for k in range(count):
        choices = []
        for _ in range(draw(st.integers(2, 4))):
            critical = draw(st.integers(0, 5)) == 0
            target = draw(st.one_of(st.none(), st.sampled_from(ids[k + 1:]))) if k + 1 < count else None
            choices.append({"next": None if critical else target, "critical": critical,
                            "tags": draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True))})
        raw.append(choices)
    reachable = {ids[0]}
    for k in range(count):
        if ids[k] in reachable:
            reachable |= {c["next"] for c in raw[k] if c["next"]}
    steps = [Step(id=ids[k], text="Tekst.", choices=[
        Choice(text="Valg.", feedback="Svar.", points=1, next=c["next"], tags=c["tags"], critical=c["critical"],
               critical_reason="Regel." if c["critical"] else None) for c in choices])
        for k, choices in enumerate(raw) if ids[k] in reachable]
    return Quiz(id="q", title="Q", intro="Intro.", setting="skole", pass_percent=50, steps=steps)


def walk(quiz: Quiz, picks: list[int]) -> list[dict]:
    """One person's first attempt, run to its end: a choice without a next step or a critical one ends it."""
    path, step = [], quiz.start
    for pick in picks:
        index = pick % len(step.choices)
        path.append({"step_id": step.id, "choice_index": index})
        choice = step.choices[index]
        if ends(choice):
            return path
        step = quiz.step(choice.next)
    raise AssertionError("a path longer than the scenario")


@st.composite
def insight_data(draw) -> tuple[Quiz, list[list[dict]]]:
    quiz = draw(scenarios())
    # Skewed picks make small groups (and groups just short of everyone) common.
    pick = st.one_of(st.just(0), st.just(1), st.integers(0, 3))
    people = draw(st.lists(st.lists(pick, min_size=len(quiz.steps), max_size=len(quiz.steps)), max_size=30))
    return quiz, [walk(quiz, picks) for picks in people]


def attack_insight(quiz: Quiz, paths: list[list[dict]],
                   shown: QuizInsight | None = None) -> tuple[Attack, dict[str, int], set[str]]:
    """The attacker's view of one scenario's insight; returns it, the true figures and the cell names."""
    shown = shown or ReportService._insight(quiz, paths)
    attack, truth, cells = Attack(), {}, set()
    chose = {(s.id, i): 0 for s in quiz.steps for i in range(len(s.choices))}
    for path in paths:
        for entry in path:
            chose[(entry["step_id"], entry["choice_index"])] += 1
    everything = {}
    for step, view in zip(quiz.steps, shown.steps, strict=True):
        reached = f"reached:{step.id}"
        truth[reached] = sum(chose[(step.id, i)] for i in range(len(step.choices)))
        attack.figure(reached, *seen(view.reached))
        names = {}
        for i, (_, _, _, cell) in enumerate(view.options):
            name = names[i] = f"chose:{step.id}:{i}"
            cells.add(name)
            truth[name] = chose[(step.id, i)]
            attack.figure(name, *seen(cell), base_shown=view.reached.shown)
            if cell.shown:
                attack.figure(reached, cell.base)
        everything.update({(step.id, i): n for i, n in names.items()})
        attack.equal({reached: 1, **{n: -1 for n in names.values()}})       # a row adds up
    for step in quiz.steps:                                               # persons flow along the choices
        into = {f"chose:{s.id}:{i}": -1 for s in quiz.steps for i, c in enumerate(s.choices)
                if c.next == step.id and not ends(c)}
        if step is quiz.start:
            attack.equal({f"reached:{step.id}": 1, "attempts": -1})
        else:
            attack.equal({f"reached:{step.id}": 1, **into})
    truth["attempts"] = len(paths)
    truth["choices"] = sum(chose.values())
    attack.variable("choices")
    attack.equal({"choices": 1, **{n: -1 for n in everything.values()}})
    tags_base_shown = any(cell.shown for _, cell in shown.tags)
    for tag, cell in shown.tags:
        name = f"tag:{tag.value}"
        carrying = {everything[(s.id, i)]: -1 for s in quiz.steps for i, c in enumerate(s.choices) if tag in c.tags}
        truth[name] = -sum(truth[n] * k for n, k in carrying.items())
        attack.figure(name, *seen(cell), base_shown=tags_base_shown)
        if cell.shown:
            attack.figure("choices", cell.base)
        attack.equal({name: 1, **carrying})
    truth["critical"] = sum(truth[everything[(s.id, i)]] for s in quiz.steps for i, c in enumerate(s.choices)
                            if c.critical)
    attack.variable("attempts")
    attack.figure("critical", *seen(shown.critical), base_shown=shown.steps[0].reached.shown)
    if shown.critical.shown:
        attack.figure("attempts", shown.critical.base)
    attack.equal({"critical": 1, **{everything[(s.id, i)]: -1 for s in quiz.steps
                                    for i, c in enumerate(s.choices) if c.critical}})
    return attack, truth, cells


def assert_nothing_disclosed(attack: Attack, truth: dict[str, int], cells: set[str]) -> None:
    """No hidden cell is pinned. A hidden figure that adds up cells (a step's reach, a tag, the critical
    total) may follow from the shown ones, say when it adds up all the hidden cells of one step; then it
    and its rest must be no small group: 0 or at least 5."""
    pinned = attack.pinned(truth)
    assert not {name: v for name, v in pinned.items() if name in cells}
    assert all(v == 0 or v >= 5 for v in pinned.values()), pinned
    for name, value in pinned.items():
        base = "attempts" if name == "critical" else "choices" if name.startswith("tag:") else None
        if base is not None and (base in attack.known or base in pinned):
            rest = attack.known.get(base, pinned.get(base)) - value
            assert rest == 0 or rest >= 5, (name, value, rest)


@PROPERTY
@given(insight_data())
def test_no_hidden_insight_figure_can_be_worked_out(data):
    quiz, paths = data
    assert_nothing_disclosed(*attack_insight(quiz, paths))


# --- the counterexamples found in the earlier suppression --------------------------------
# Each is checked twice: the attacker pins a hidden figure in what the earlier code showed
# (written out here as it was), and pins nothing in what is shown now.

def earlier_network(staff, completed, small_cells, rows_shown, columns_shown):
    """The network table as the earlier code showed it: hidden cells «<5», a hidden total «<5»."""
    staff_cells = [Cell(n, n, Hidden.SHOWN if n >= 5 else Hidden.SMALL) for n in staff]
    grid = [[Cell(done, n, Hidden.SMALL if (m, k) in small_cells else Hidden.SHOWN) for k, done in enumerate(row)]
            for m, (n, row) in enumerate(zip(staff, completed, strict=True))]
    rows = [Cell(sum(row), n * len(row), Hidden.SHOWN if ok else Hidden.SMALL)
            for n, row, ok in zip(staff, completed, rows_shown, strict=True)]
    columns = [Cell(sum(col), sum(staff), Hidden.SHOWN if ok else Hidden.SMALL)
               for col, ok in zip(zip(*completed, strict=True), columns_shown, strict=True)]
    return staff_cells, grid, rows, columns


NETWORK_CASES = {
    # Four lines' totals together: h01 + h11 = 4 - (h03 + h13) = 2 and column 1 adds up to 8, so the
    # third municipality's one completion in module 2 follows from linear algebra alone (with the
    # «<5» ranges, every hidden cell does).
    "rows and columns": ([10, 10, 10, 10], [[5, 1, 5, 1], [5, 1, 5, 1], [1, 1, 1, 5], [1, 5, 1, 5]],
                         {(0, 1), (0, 3), (1, 1), (1, 3), (2, 0), (2, 1), (2, 2), (3, 0), (3, 2)},
                         [True] * 4, [True] * 4, {"done2,1": 1}),
    # «<5» on both column totals caps the grid at 8, the shown row total 6 leaves at most 2 for the
    # other row, whose two «<5» cells are at least 1 each: every cell follows.
    "ranges of totals": ([5, 6], [[1, 1], [3, 3]], {(0, 0), (0, 1), (1, 0), (1, 1)}, [False, True], [False, False],
                         {"done0,0": 1, "done0,1": 1, "done1,0": 3, "done1,1": 3}),
    # A shown total of 0 over hidden cells: nobody in either small municipality completed.
    "a total of 0": ([1, 4], [[0], [0]], {(0, 0), (1, 0)}, [False, False], [True], {"done0,0": 0, "done1,0": 0}),
}


def test_the_attacker_finds_what_the_earlier_network_table_gave_away():
    for name, (staff, completed, small_cells, rows, columns, expected) in NETWORK_CASES.items():
        earlier = earlier_network(staff, completed, small_cells, rows, columns)
        attack, truth = attack_network(staff, completed, len(completed[0]), shown=earlier)
        assert expected.items() <= attack.pinned(truth).items(), name
    # The first needs no ranges at all: exact linear algebra on the shown totals pins the cell.
    staff, completed, small_cells, rows, columns, expected = NETWORK_CASES["rows and columns"]
    attack, truth = attack_network(staff, completed, 4, shown=earlier_network(staff, completed, small_cells,
                                                                              rows, columns))
    attack.bounds = dict.fromkeys(attack.bounds, (0, None))
    assert {k: v for k, v in attack.pinned(truth).items() if k.startswith("done")} == expected


def test_the_network_table_now_gives_nothing_away_in_those_cases():
    for name, (staff, completed, *_) in NETWORK_CASES.items():
        attack, truth = attack_network(staff, completed, len(completed[0]))
        assert attack.pinned(truth) == {}, name
    _, grid, rows, columns = network_figures([5, 6], [[1, 1], [3, 3]], 2)
    assert not rows[1].shown and rows[1].hidden == Hidden.PROTECTED   # 6 of 12 adds up hidden cells


def choice(next_step: str | None = None, critical: bool = False) -> Choice:
    return Choice(text="Valg.", feedback="Svar.", points=1, next=next_step, critical=critical,
                  critical_reason="Regel." if critical else None)


def branching() -> tuple[Quiz, list[list[dict]]]:
    """One person ends at once with a critical choice; five go on to the second step."""
    quiz = Quiz(id="q", title="Q", intro="Intro.", setting="skole", pass_percent=50, steps=[
        Step(id="s0", text="Tekst.", choices=[choice(critical=True), choice("s1")]),
        Step(id="s1", text="Tekst.", choices=[choice(critical=True), choice(critical=True)])])
    paths = [[{"step_id": "s0", "choice_index": 0}]] + \
        [[{"step_id": "s0", "choice_index": 1}, {"step_id": "s1", "choice_index": 0}]] * 5
    return quiz, paths


def test_a_step_behind_a_hidden_choice_gave_it_away_and_now_shows_nothing():
    quiz, paths = branching()
    insight = ReportService._insight(quiz, paths)
    first, second = insight.steps
    assert [cell.hidden for *_, cell in first.options] == [Hidden.SMALL, Hidden.PROTECTED]
    assert not second.reached.shown and not any(cell.shown for *_, cell in second.options)
    _, _, cells = attack_insight(quiz, paths)
    assert_nothing_disclosed(*attack_insight(quiz, paths))
    # The earlier code showed the second step (reached by 5: all of them chose the way in) and the tags.
    second.reached.hidden = Hidden.SHOWN
    for *_, cell in second.options:
        cell.hidden = Hidden.SHOWN
    for _, cell in insight.tags:
        cell.hidden = Hidden.SHOWN
    attack, truth, _ = attack_insight(quiz, paths, shown=insight)
    assert {k: v for k, v in attack.pinned(truth).items() if k in cells} == {"chose:s0:0": 1, "chose:s0:1": 5}


def test_two_small_choices_that_make_up_a_step_are_not_both_small():
    quiz = Quiz(id="q", title="Q", intro="Intro.", setting="skole", pass_percent=50, steps=[
        Step(id="s0", text="Tekst.", choices=[choice(), choice()])])
    paths = [[{"step_id": "s0", "choice_index": n % 2}] for n in range(8)]   # 4 and 4 of 8
    insight = ReportService._insight(quiz, paths)
    assert [cell.hidden for *_, cell in insight.steps[0].options] == [Hidden.PROTECTED, Hidden.SMALL]
    assert_nothing_disclosed(*attack_insight(quiz, paths))
    insight.steps[0].options[0][3].hidden = Hidden.SMALL          # as the earlier code showed it: «<5», «<5» of 8
    attack, truth, cells = attack_insight(quiz, paths, shown=insight)
    assert {k: v for k, v in attack.pinned(truth).items() if k in cells} == {"chose:s0:0": 4, "chose:s0:1": 4}
