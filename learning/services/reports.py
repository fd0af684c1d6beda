"""Manager reports: one municipality's dashboard, the network view and quiz insight.

Reads raw stored rows (no per-record validation) so a dashboard for tens of
thousands of staff stays well under a second once files are cached. Every
method checks the caller's role and municipality first.
"""

from __future__ import annotations

import gc
import threading
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from learning.content.models import Quiz, ServiceArea, Step, Tag
from learning.errors import UserError
from learning.formatting import local, unique_labels
from learning.records import Assignment, AuditAction, Role, User, counts_as_staff
from learning.services.assignments import Duty, binding, due_date, duty
from learning.services.audit import record
from learning.services.authz import LEADER_ROLES, PermissionDenied, require_municipality, require_role
from learning.services.base import ContentService
from learning.services.privacy import Cell, apply_primary, derived, hide, partition, primary, total
from learning.services.quiz_play import ends_scenario

NOT_STARTED, IN_PROGRESS, COMPLETED = "not_started", "in_progress", "completed"
TREND_WEEKS = 26


@dataclass
class ModuleState:
    status: str
    started_at: str | None = None
    completed_at: str | None = None
    best_percent: int | None = None
    attempts: int = 0
    deadline: date | None = None
    duty: Duty | None = None


@dataclass
class StaffRow:
    user_id: str
    name: str
    unit: str
    service_area: ServiceArea | None
    modules: dict[str, ModuleState]
    last_activity: str | None

    def count(self, status: str) -> int:
        return sum(1 for m in self.modules.values() if m.status == status)

    @property
    def overdue(self) -> int:
        return sum(1 for m in self.modules.values() if m.duty == Duty.OVERDUE)


@dataclass
class Headline:
    staff: int
    started: int
    completed: int
    completion_rate: int
    overdue: int


@dataclass
class MatrixCell:
    completed: int
    staff: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.completed / self.staff) if self.staff else None


@dataclass
class Dashboard:
    municipality: str
    service_area: ServiceArea | None
    headline: Headline
    by_area: dict[str, dict[str, MatrixCell]]   # module id -> area -> cell
    by_unit: dict[str, dict[str, MatrixCell]]   # module id -> unit -> cell
    trend: list[tuple[date, int, int]]          # week start, completions, cumulative
    rows: list[StaffRow]
    module_titles: dict[str, str] = field(default_factory=dict)  # module id -> label (title; id added if repeated)
    unreadable: int = 0                         # staff whose data could not be read: left out of every figure


@dataclass
class NetworkView:
    municipalities: list[str]
    modules: list[str]
    staff: list[Cell]                 # per municipality: count == base == staff
    grid: list[list[Cell]]            # municipality x module: completed of staff
    row_totals: list[Cell]
    column_totals: list[Cell]
    unreadable: int = 0               # staff whose data could not be read: left out of every figure


@dataclass
class StepInsight:
    step_id: str
    text: str
    reached: Cell                     # persons whose first attempt reached the step
    options: list[tuple[str, list[Tag], bool, Cell]]   # text, tags, safety-critical, share


@dataclass
class QuizInsight:
    quiz_id: str
    title: str
    steps: list[StepInsight]
    tags: list[tuple[Tag, Cell]]      # first-attempt choices carrying the tag, of all first-attempt choices
    critical: Cell                    # persons whose first attempt hit a safety-critical choice, of all first attempts


_gc_guard = threading.Lock()
_gc_users = 0


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while a report builds many small objects.

    With tens of thousands of cached records alive, each collection walks them all:
    that was half of a 20 000-staff dashboard. Reference counting still frees
    memory; collection resumes when the last concurrent report finishes.
    """
    global _gc_users
    with _gc_guard:
        _gc_users += 1
        if _gc_users == 1:
            gc.disable()
    try:
        yield
    finally:
        with _gc_guard:
            _gc_users -= 1
            if _gc_users == 0:
                gc.enable()


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _local_day(stamp: str) -> date:
    return local(datetime.fromisoformat(stamp)).date()


class ReportService(ContentService):
    # --- scope -----------------------------------------------------------
    def _staff(self, actor: User | None, municipality: str) -> tuple[list[User], ServiceArea | None]:
        actor = require_role(actor, *LEADER_ROLES)
        require_municipality(actor, municipality)
        area = actor.manager_area if actor.role == Role.MANAGER else None
        staff = [u for u in self.repo.list_users(municipality)
                 if counts_as_staff(u) and (area is None or u.service_area == area)]
        return staff, area

    # --- the dataset -----------------------------------------------------
    @paused_gc()
    def _rows(self, staff: list[User], assignments: list[Assignment]) -> list[StaffRow]:
        today = self.today()
        state = self.repo.raw_state(u.id for u in staff)
        module_ids = list(self.content.modules)
        rows = []
        for user in staff:
            if user.id not in state:
                continue  # their file cannot be read (the store logged it): the caller counts them
            progress_docs, attempt_docs = state[user.id]
            by_module = {doc["module_id"]: doc for doc in progress_docs}
            attempts: dict[str, int] = {}  # plain dict: Counter() costs ~30 µs a person here
            for doc in attempt_docs:
                if doc.get("finished_at"):
                    attempts[doc["module_id"]] = attempts.get(doc["module_id"], 0) + 1
            required = binding(user, assignments)
            modules: dict[str, ModuleState] = {}
            last = None
            for module_id in module_ids:
                doc = by_module.get(module_id)
                if doc is None:
                    state_ = ModuleState(NOT_STARTED)
                else:
                    state_ = ModuleState(COMPLETED if doc.get("completed_at") else IN_PROGRESS,
                                         started_at=doc["started_at"], completed_at=doc.get("completed_at"),
                                         best_percent=doc.get("best_percent"), attempts=attempts.get(module_id, 0))
                    last = max(last or doc["updated_at"], doc["updated_at"])
                assignment = required.get(module_id)
                if assignment is not None:
                    state_.deadline = due_date(assignment, state_.completed_at)
                    state_.duty = duty(assignment, state_.completed_at, today)
                modules[module_id] = state_
            rows.append(StaffRow(user.id, user.name, user.unit, user.service_area, modules, last))
        return rows

    def staff_rows(self, actor: User | None, municipality: str) -> list[StaffRow]:
        staff, _ = self._staff(actor, municipality)
        return self._rows(staff, self.repo.list_assignments(municipality))

    # --- the dashboard ---------------------------------------------------
    @paused_gc()
    def dashboard(self, actor: User | None, municipality: str) -> Dashboard:
        staff, area = self._staff(actor, municipality)
        rows = self._rows(staff, self.repo.list_assignments(municipality))
        relevant = done = 0
        by_area: dict[str, dict[str, MatrixCell]] = {m: {} for m in self.content.modules}
        by_unit: dict[str, dict[str, MatrixCell]] = {m: {} for m in self.content.modules}
        for_area = {m.id: {a for a in ServiceArea if m.meta.is_for(a)} for m in self.content.modules.values()}
        weekly: Counter[date] = Counter()
        for row in rows:
            area_key = row.service_area.value if row.service_area else "none"
            unit_key = row.unit or "–"
            for module_id, state in row.modules.items():
                is_done = state.status == COMPLETED
                if state.duty is not None or row.service_area in for_area[module_id]:
                    relevant += 1
                    done += is_done
                for table, key in ((by_area[module_id], area_key), (by_unit[module_id], unit_key)):
                    cell = table.get(key)
                    if cell is None:
                        cell = table[key] = MatrixCell(0, 0)
                    cell.staff += 1
                    cell.completed += is_done
                if state.completed_at:
                    weekly[_week_start(_local_day(state.completed_at))] += 1
        headline = Headline(
            staff=len(rows),
            started=sum(1 for r in rows if any(m.status != NOT_STARTED for m in r.modules.values())),
            completed=sum(1 for r in rows if r.count(COMPLETED)),
            completion_rate=round(100 * done / relevant) if relevant else 0,
            overdue=sum(1 for r in rows if r.overdue),
        )
        return Dashboard(municipality, area, headline, by_area, by_unit, self._trend(weekly), rows,
                         unique_labels({m.id: m.meta.title for m in self.content.modules.values()}),
                         unreadable=len(staff) - len(rows))

    def _trend(self, weekly: Counter[date]) -> list[tuple[date, int, int]]:
        this_week = _week_start(self.today())
        first = this_week - timedelta(weeks=TREND_WEEKS - 1)
        cumulative = sum(n for week, n in weekly.items() if week < first)
        out = []
        for k in range(TREND_WEEKS):
            week = first + timedelta(weeks=k)
            cumulative += weekly.get(week, 0)
            out.append((week, weekly.get(week, 0), cumulative))
        return out

    def person(self, actor: User | None, municipality: str, user_id: str) -> tuple[User, StaffRow]:
        """One person's modules, dates and quiz scores, for the drill-down."""
        staff, _ = self._staff(actor, municipality)
        user = next((u for u in staff if u.id == user_id), None)
        if user is None:
            raise PermissionDenied
        rows = self._rows([user], self.repo.list_assignments(municipality))
        if not rows:
            raise UserError("storage.person_unreadable")
        record(self.repo, actor, AuditAction.PERSON_VIEWED, at=self.clock(), target=user.id, municipality=municipality)
        return user, rows[0]

    # --- across municipalities -------------------------------------------
    @paused_gc()
    def network(self, actor: User | None) -> NetworkView:
        """Completion per municipality and module, small groups suppressed; no names, no units."""
        require_role(actor, Role.COORDINATOR, *LEADER_ROLES)
        module_ids = list(self.content.modules)
        by_municipality: dict[str, list[User]] = defaultdict(list)
        for user in self.repo.list_users():
            if counts_as_staff(user):
                by_municipality[user.municipality].append(user)
        municipalities = sorted(by_municipality)
        grid: list[list[int]] = []        # completions, municipality x module
        readable: list[int] = []  # staff whose data could be read, per municipality
        for number in municipalities:
            state = self.repo.raw_state(u.id for u in by_municipality[number])
            completed = Counter(doc["module_id"] for progress, _ in state.values() for doc in progress
                                if doc.get("completed_at"))
            grid.append([completed[m] for m in module_ids])
            readable.append(len(state))
        staff_cells, cells, row_totals, column_totals = network_figures(readable, grid, len(module_ids))
        return NetworkView(municipalities, module_ids, staff_cells, cells, row_totals, column_totals,
                           unreadable=sum(len(by_municipality[n]) for n in municipalities) - sum(readable))

    @paused_gc()
    def quiz_insight(self, actor: User | None, municipality: str | None) -> list[QuizInsight]:
        """First-attempt choices per step and per competence tag, small groups suppressed.

        A manager sees their own municipality; a coordinator sees the whole network.
        """
        actor = require_role(actor, Role.COORDINATOR, *LEADER_ROLES)
        if municipality is None:
            if actor.role not in (Role.COORDINATOR, Role.ADMIN):
                raise PermissionDenied
            staff = [u for u in self.repo.list_users() if counts_as_staff(u)]
        else:
            if actor.role == Role.COORDINATOR:
                raise PermissionDenied
            staff, _ = self._staff(actor, municipality)
        first: dict[str, list[list[dict]]] = defaultdict(list)  # quiz id -> each person's first path
        for _, attempts in self.repo.raw_state(u.id for u in staff).values():
            earliest: dict[str, dict] = {}
            for doc in attempts:
                known = earliest.get(doc["quiz_id"])
                if known is None or doc["started_at"] < known["started_at"]:
                    earliest[doc["quiz_id"]] = doc
            for quiz_id, doc in earliest.items():
                if doc.get("path"):
                    first[quiz_id].append(doc["path"])
        return [self._insight(quiz, first.get(quiz.id, [])) for quiz in self.content.quizzes.values()]

    @staticmethod
    def _insight(quiz: Quiz, paths: list[list[dict]]) -> QuizInsight:
        picks: dict[str, Counter[int]] = defaultdict(Counter)
        tag_counts: Counter[Tag] = Counter()
        choices_made = 0
        known_steps = {s.id: s for s in quiz.steps}
        for path in paths:
            for entry in path:
                step = known_steps.get(entry["step_id"])
                if step is None or entry["choice_index"] >= len(step.choices):
                    continue  # an older version's step
                picks[step.id][entry["choice_index"]] += 1
                choices_made += 1
                tag_counts.update(step.choices[entry["choice_index"]].tags)
        rows = {step.id: [Cell(picks[step.id][i], sum(picks[step.id].values())) for i in range(len(step.choices))]
                for step in quiz.steps}
        reached = {step.id: Cell(sum(picks[step.id].values()), sum(picks[step.id].values())) for step in quiz.steps}
        made = [(choice, cell) for step in quiz.steps for choice, cell in zip(step.choices, rows[step.id], strict=True)]
        _suppress_scenario(quiz, rows, reached)
        steps = [StepInsight(step.id, step.text, reached[step.id],
                             [(c.text, c.tags, c.critical, cell)
                              for c, cell in zip(step.choices, rows[step.id], strict=True)])
                 for step in quiz.steps]
        every_step = list(reached.values())  # the base, all choices made, adds up every step's count
        tags = [(tag, derived(tag_counts[tag], choices_made,
                              [*every_step, *(cell for choice, cell in made if tag in choice.tags)]))
                for tag in Tag]
        # A critical choice ends the scenario, so each person counts once: the figure is their sum.
        critical = [cell for choice, cell in made if choice.critical]
        return QuizInsight(quiz.id, quiz.title, steps, tags,
                           derived(sum(c.count for c in critical), len(paths), critical))


def _suppress_scenario(quiz: Quiz, rows: dict[str, list[Cell]], reached: dict[str, Cell]) -> None:
    """The small-group rule along a scenario's branches, upstream steps first.

    The hidden choices of a step whose count is shown form a group: its size is known, its split
    is not. A step is shown only when the number of persons coming in is known: every way in is
    shown, or every group with a way in leads wholly through the step (every path from its choices
    passes it), so its size is part of the step's count. Otherwise the step's count would pin
    the split, and all its figures are «skjult».
    """
    order = _upstream_first(quiz)
    after = _passes(quiz, order)
    ways_in: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for step in quiz.steps:
        for index, choice in enumerate(step.choices):
            if not ends_scenario(choice):
                ways_in[choice.next].append((step.id, index))
    for step in quiz.steps:  # nothing is shown until the step's turn (a step on a loop never gets one)
        hide([reached[step.id], *rows[step.id]])
    through: list[frozenset[str]] = []        # per group: the steps all of it passes (none: size unknown)
    group_of: dict[tuple[str, int], int] = {}  # a hidden choice of a shown step -> its group
    entering: dict[str, set[int]] = {}         # a hidden step -> the groups that flow into it
    for step in order:
        groups: set[int] = set()
        for source, index in ways_in[step.id]:
            if not rows[source][index].shown:
                groups |= {group_of[(source, index)]} if (source, index) in group_of else entering[source]
        if not all(step.id in through[g] for g in groups):
            entering[step.id] = groups
            continue
        cells = rows[step.id]
        reached[step.id].hidden = primary(reached[step.id])
        partition(cells, prefer=_partner_cost(quiz, step, cells, after))
        hidden = [i for i, cell in enumerate(cells) if not cell.shown]
        if hidden:
            passes = frozenset.intersection(*(after[(step.id, i)] for i in hidden))
            through.append(passes if reached[step.id].shown else frozenset())
            group_of.update({(step.id, i): len(through) - 1 for i in hidden})


def _upstream_first(quiz: Quiz) -> list[Step]:
    """Steps in an order where every step comes after all steps with a way into it.

    Steps on a loop (which content checks refuse), and those after one, are left out.
    """
    into = {step.id: 0 for step in quiz.steps}
    for step in quiz.steps:
        for choice in step.choices:
            if not ends_scenario(choice) and choice.next in into:
                into[choice.next] += 1
    by_id = {step.id: step for step in quiz.steps}
    ready = [step for step in quiz.steps if not into[step.id]]
    order: list[Step] = []
    while ready:
        step = ready.pop(0)
        order.append(step)
        for choice in step.choices:
            if not ends_scenario(choice) and choice.next in into:
                into[choice.next] -= 1
                if not into[choice.next]:
                    ready.append(by_id[choice.next])
    return order


def _passes(quiz: Quiz, order: list[Step]) -> dict[tuple[str, int], frozenset[str]]:
    """For each choice, the steps that every path starting with it passes (post-dominators)."""
    at_step: dict[str, frozenset[str]] = {}
    after: dict[tuple[str, int], frozenset[str]] = {}
    for step in [*reversed(order), *(s for s in quiz.steps if s not in order)]:
        for index, choice in enumerate(step.choices):
            after[(step.id, index)] = (frozenset() if ends_scenario(choice)
                                       else frozenset({choice.next}) | at_step.get(choice.next, frozenset()))
        at_step[step.id] = frozenset.intersection(*(after[(step.id, i)] for i in range(len(step.choices))))
    return after


def _partner_cost(quiz: Quiz, step: Step, cells: list[Cell], after: dict[tuple[str, int], frozenset[str]]):
    """How much hiding a choice beside the small ones costs: the steps the group would hide after it
    (none when the group still leads wholly into one step), then whether it is a critical choice."""
    by_id = {s.id: s for s in quiz.steps}

    def cost(index: int) -> tuple:
        hidden = [i for i, cell in enumerate(cells) if not cell.shown] + [index]
        passes = frozenset.intersection(*(after[(step.id, i)] for i in hidden))
        todo = [step.choices[i].next for i in hidden if not ends_scenario(step.choices[i])]
        seen: set[str] = set()
        while todo:
            current = todo.pop()
            if current in seen or current in passes or current not in by_id:
                continue
            seen.add(current)
            todo += [c.next for c in by_id[current].choices if not ends_scenario(c)]
        return (len(seen), step.choices[index].critical)
    return cost


def network_figures(staff: list[int], completed: list[list[int]], modules: int
                    ) -> tuple[list[Cell], list[list[Cell]], list[Cell], list[Cell]]:
    """The network table as shown: staff, completed-of-staff cells and both totals, suppressed.

    A pure function of the counts, so the privacy tests can attack exactly what is shown.
    """
    grid = [[Cell(done, n) for done in row] for n, row in zip(staff, completed, strict=True)]
    for row in grid:
        apply_primary(row)
    staff_cells = [Cell(n, n) for n in staff]
    apply_primary(staff_cells)
    row_totals = [total(row) for row in grid]   # shown only where every cell of the line is
    column_totals = [total([row[i] for row in grid]) for i in range(modules)]
    return staff_cells, grid, row_totals, column_totals

