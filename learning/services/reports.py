"""Manager reports: one municipality's dashboard, its staff page, the network view and quiz insight.

Every method checks the caller's role and municipality first, then asks the repository for
typed read models (``storage/read_models.py``): counts computed where the data lives (GROUP BY
on PostgreSQL, Python over cached files on TinyDB), and people only one page at a time. The
domain rules stay here and go to the store as data: who is in scope, and which groups owe
which module now (``DutyRule``s from the binding assignments).
"""

from __future__ import annotations

import gc
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from learning.content.models import Quiz, ServiceArea, Step, Tag
from learning.errors import UserError
from learning.formatting import OSLO, unique_labels
from learning.records import Assignment, AuditAction, Role, User, counts_as_staff
from learning.services.assignments import Duty, binding, due_date, duty, months_before
from learning.services.audit import record
from learning.services.authz import LEADER_ROLES, PermissionDenied, require_municipality, require_role
from learning.services.base import ContentService
from learning.services.privacy import Cell, apply_primary, derived, hide, partition, primary, total
from learning.services.quiz_play import ends_scenario
from learning.storage.read_models import (
    NO_UNIT,
    DutyRule,
    FirstAttempts,
    ModuleStatus,
    PersonRecord,
    StaffQuery,
    StaffScope,
    StaffSort,
)

NOT_STARTED, IN_PROGRESS, COMPLETED = "not_started", "in_progress", "completed"
TREND_WEEKS = 26
PAGE_SIZE = 50
EXPORT_BATCH = 500   # people per read while an export streams every staff row


@dataclass
class ModuleState:
    status: str
    started_at: datetime | None = None
    completed_at: datetime | None = None
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
    last_activity: datetime | None

    def count(self, status: str) -> int:
        return sum(1 for m in self.modules.values() if m.status == status)

    @property
    def overdue(self) -> int:
        return sum(1 for m in self.modules.values() if m.duty == Duty.OVERDUE)


@dataclass
class StaffPage:
    """One page of the staff table: its rows, and how many match in all pages."""

    rows: list[StaffRow]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


@dataclass
class Headline:
    staff: int
    started: int
    completed: int
    completion_rate: int
    overdue: int
    required_staff: int = 0   # staff with at least one mandatory module
    required_done: int = 0    # of them: every mandatory module completed, and the completion still counts


@dataclass
class MatrixCell:
    completed: int
    staff: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.completed / self.staff) if self.staff else None


@dataclass
class Dashboard:
    """A scope's figures; no person in it (the staff page and exports read people page by page)."""

    municipality: str
    service_area: ServiceArea | None
    headline: Headline
    by_area: dict[str, dict[str, MatrixCell]]   # module id -> area -> cell
    by_unit: dict[str, dict[str, MatrixCell]]   # module id -> unit -> cell
    trend: list[tuple[date, int, int]]          # week start, completions, cumulative
    module_titles: dict[str, str] = field(default_factory=dict)  # module id -> label (title; id added if repeated)
    unreadable: int = 0                         # staff whose data could not be read: left out of every figure
    areas: list[ServiceArea] = field(default_factory=list)  # the scope's service areas and units (filters)
    units: list[str] = field(default_factory=list)


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

    With tens of thousands of cached records alive (the embedded store), each collection
    walks them all: that was half of a 20 000-staff dashboard. Reference counting still
    frees memory; collection resumes when the last concurrent report finishes.
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


def counts_from(renew_months: int | None, today: date) -> datetime | None:
    """The earliest completion that still counts today: ``assignments.completion_counts`` as a moment.

    A completion counts when its Norwegian date is after ``months_before(today, renew)``, that is
    from the next day's local midnight; None: every completion counts. Stores compare against it.
    """
    if renew_months is None:
        return None
    return datetime.combine(months_before(today, renew_months) + timedelta(days=1), time(), tzinfo=OSLO)


def in_scope(user: User, scope: StaffScope) -> bool:
    return (counts_as_staff(user) and (scope.municipality is None or user.municipality == scope.municipality)
            and (scope.service_area is None or user.service_area == scope.service_area))


Bindings = dict[tuple[ServiceArea | None, str], dict[str, Assignment]]   # (area, unit) -> module -> assignment


class ReportService(ContentService):
    # --- scope and duties --------------------------------------------------
    def checked_scope(self, actor: User | None, municipality: str) -> StaffScope:
        """Whose figures the caller may see for ``municipality``, checked as every report checks it.

        Pages that share computed figures between sessions key them on this (never on the
        municipality asked for alone), so a leader is only ever served their own scope's figures.
        """
        return self._scope(actor, municipality)

    def _scope(self, actor: User | None, municipality: str) -> StaffScope:
        actor = require_role(actor, *LEADER_ROLES)
        require_municipality(actor, municipality)
        return StaffScope(municipality, actor.manager_area if actor.role == Role.MANAGER else None)

    def _bindings(self, municipality: str, groups: Sequence[tuple[ServiceArea | None, str]]) -> Bindings:
        """The binding assignment per module for each group: ``assignments.binding`` needs only the placement."""
        assignments = self.repo.list_assignments(municipality)
        out: Bindings = {}
        for area, unit in groups:
            placed = User.model_construct(  # type: ignore[call-arg]  # a placement only: all binding() reads
                municipality=municipality, service_area=area, unit=unit)
            out[(area, unit)] = {m: a for m, a in binding(placed, assignments).items() if m in self.content.modules}
        return out

    def _rules(self, bindings: Bindings) -> list[DutyRule]:
        """Who owes what now: a group's binding assignment whose deadline has passed (``duty`` is OVERDUE
        exactly then, unless a completion saves the person).

        An expired completion still saves them during the renewal's own deadline
        (``renew_deadline_days`` after expiry: ``Duty.RENEW``), so the moment compared against is
        the earliest completion that still counted ``renew_deadline_days + 1`` days ago.
        """
        today = self.today()
        return [DutyRule(area, unit, module_id, counts_from(
                    a.renew_months, today - timedelta(days=a.renew_deadline_days + 1)
                    if a.renew_months is not None else today))
                for (area, unit), modules in bindings.items() for module_id, a in modules.items() if a.deadline < today]

    def _groups(self, scope: StaffScope) -> tuple[list[tuple[ServiceArea | None, str]], Bindings]:
        assert scope.municipality is not None
        groups = [(g.service_area, g.unit) for g in self.repo.staff_groups(scope)]
        return groups, self._bindings(scope.municipality, groups)

    def _row(self, person: PersonRecord, required: dict[str, Assignment], today: date) -> StaffRow:
        modules: dict[str, ModuleState] = {}
        for module_id in self.content.modules:
            found = person.modules.get(module_id)
            state = ModuleState(NOT_STARTED) if found is None else ModuleState(
                COMPLETED if found.completed_at else IN_PROGRESS, started_at=found.started_at,
                completed_at=found.completed_at, best_percent=found.best_percent, attempts=found.finished_attempts)
            assignment = required.get(module_id)
            if assignment is not None:
                state.deadline = due_date(assignment, state.completed_at)
                state.duty = duty(assignment, state.completed_at, today)
            modules[module_id] = state
        m = person.member
        return StaffRow(m.user_id, m.name, m.unit, m.service_area, modules, person.last_activity)

    def _rows(self, user_ids: Sequence[str], municipality: str, bindings: Bindings) -> list[StaffRow]:
        """Rows for these people, in this order; one read for all of them (left out: unreadable)."""
        people = self.repo.person_records(user_ids, list(self.content.modules))
        today = self.today()
        rows = []
        for user_id in user_ids:
            person = people.get(user_id)
            if person is None:
                continue
            group = (person.member.service_area, person.member.unit)
            if group not in bindings:  # placed after the groups were read
                bindings.update(self._bindings(municipality, [group]))
            rows.append(self._row(person, bindings[group], today))
        return rows

    # --- the staff page and exports ------------------------------------------
    def staff_options(self, actor: User | None, municipality: str) -> tuple[list[ServiceArea], list[str]]:
        """The service areas and units the scope's staff are in (the staff page's filters)."""
        groups = self.repo.staff_groups(self._scope(actor, municipality))
        return (sorted({g.service_area for g in groups if g.service_area}, key=list(ServiceArea).index),
                sorted({g.unit for g in groups if g.unit != NO_UNIT}))

    def staff_page(self, actor: User | None, municipality: str, *, search: str = "",
                   areas: Sequence[ServiceArea] = (), units: Sequence[str] = (), module_id: str | None = None,
                   status: ModuleStatus | str | None = None, sort: StaffSort | str = StaffSort.NAME,
                   page: int = 0, size: int = PAGE_SIZE) -> StaffPage:
        """One page of the staff table, searched, filtered and sorted by the store.

        ``status`` applies to ``module_id``; ``overdue`` without a module: overdue on any.
        """
        scope = self._scope(actor, municipality)
        groups, bindings = self._groups(scope)
        size = max(1, size)
        query = StaffQuery(search=search, areas=tuple(areas), units=tuple(units), module_id=module_id,
                           status=ModuleStatus(status) if status else None, rules=tuple(self._rules(bindings)),
                           modules=tuple(self.content.modules), sort=StaffSort(sort), offset=max(0, page) * size,
                           limit=size)
        found = self.repo.staff_page(scope, query)
        rows = self._rows([m.user_id for m in found.members], municipality, bindings)
        return StaffPage(rows, found.total, max(0, page), size)

    def staff_rows(self, actor: User | None, municipality: str) -> Iterator[StaffRow]:
        """Every staff row of the scope by unit and name, read a batch at a time (exports).

        The scope is checked at once, before the first row is asked for.
        """
        scope = self._scope(actor, municipality)
        groups, bindings = self._groups(scope)
        members = self.repo.staff_page(scope, StaffQuery(sort=StaffSort.UNIT, limit=None)).members

        def rows() -> Iterator[StaffRow]:
            for start in range(0, len(members), EXPORT_BATCH):
                batch = [m.user_id for m in members[start:start + EXPORT_BATCH]]
                yield from self._rows(batch, municipality, bindings)
        return rows()

    # --- the dashboard ---------------------------------------------------
    @paused_gc()
    def dashboard(self, actor: User | None, municipality: str) -> Dashboard:
        scope = self._scope(actor, municipality)
        groups, bindings = self._groups(scope)
        modules = list(self.content.modules)
        figures = self.repo.completion_figures(scope, modules, self._rules(bindings))
        for_area = {m.id: {a for a in ServiceArea if m.meta.is_for(a)} for m in self.content.modules.values()}
        relevant = done = required_staff = 0
        by_area: dict[str, dict[str, MatrixCell]] = {m: {} for m in modules}
        by_unit: dict[str, dict[str, MatrixCell]] = {m: {} for m in modules}
        for (area, unit), staff in figures.staff.items():
            if (area, unit) not in bindings:
                bindings.update(self._bindings(municipality, [(area, unit)]))
            required = bindings[(area, unit)]
            required_staff += staff if required else 0
            for module_id in modules:
                completed = figures.completed.get((area, unit, module_id), 0)
                if module_id in required or area in for_area[module_id]:
                    relevant += staff
                    done += completed
                for table, key in ((by_area[module_id], area.value if area else "none"),
                                   (by_unit[module_id], unit or "–")):
                    cell = table.setdefault(key, MatrixCell(0, 0))
                    cell.staff += staff
                    cell.completed += completed
        # Who still owes a mandatory module (due, overdue or renewal): the same rules with every binding
        # assignment and today's cut, counted by the store (a second pass only when anything is mandatory).
        today = self.today()
        owing = self.repo.completion_figures(scope, modules, [
            DutyRule(area, unit, module_id, counts_from(a.renew_months, today))
            for (area, unit), required in bindings.items() for module_id, a in required.items()
        ]).overdue if required_staff else 0
        headline = Headline(staff=sum(figures.staff.values()), started=figures.started,
                            completed=figures.completed_any,
                            completion_rate=round(100 * done / relevant) if relevant else 0, overdue=figures.overdue,
                            required_staff=required_staff, required_done=required_staff - owing)
        weekly = Counter(figures.weekly)
        return Dashboard(municipality, scope.service_area, headline, by_area, by_unit, self._trend(weekly),
                         unique_labels({m.id: m.meta.title for m in self.content.modules.values()}),
                         unreadable=figures.unreadable,
                         areas=sorted({a for a, _ in groups if a}, key=list(ServiceArea).index),
                         units=sorted({u for _, u in groups if u != NO_UNIT}))

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

    def staff_among(self, actor: User | None, municipality: str, user_ids: Iterable[str]) -> dict[str, User]:
        """Which of these people are staff in the caller's scope, by id (a few: team-session attendees)."""
        scope = self._scope(actor, municipality)
        found = {}
        for user_id in set(user_ids):
            user = self.repo.get_user(user_id)
            if user is not None and in_scope(user, scope):
                found[user_id] = user
        return found

    def person(self, actor: User | None, municipality: str, user_id: str) -> tuple[User, StaffRow]:
        """One person's modules, dates and quiz scores, for the drill-down."""
        scope = self._scope(actor, municipality)
        user = self.repo.get_user(user_id)
        if user is None or not in_scope(user, scope):
            raise PermissionDenied
        group = (user.service_area, user.unit)
        rows = self._rows([user.id], municipality, self._bindings(municipality, [group]))
        if not rows:
            raise UserError("storage.person_unreadable")
        record(self.repo, actor, AuditAction.PERSON_VIEWED, at=self.clock(), target=user.id, municipality=municipality)
        return user, rows[0]

    def municipalities(self, actor: User | None) -> list[str]:
        """Municipalities with users, for an admin's choice of dashboard."""
        require_role(actor, Role.ADMIN)
        return self.repo.municipalities()

    # --- across municipalities -------------------------------------------
    @paused_gc()
    def network(self, actor: User | None) -> NetworkView:
        """Completion per municipality and module, small groups suppressed; no names, no units."""
        require_role(actor, Role.COORDINATOR, *LEADER_ROLES)
        module_ids = list(self.content.modules)
        figures = self.repo.network_figures(module_ids)
        municipalities = sorted(figures.staff)
        grid = [[figures.completed.get((number, m), 0) for m in module_ids] for number in municipalities]
        readable = [figures.staff[number] for number in municipalities]
        staff_cells, cells, row_totals, column_totals = network_figures(readable, grid, len(module_ids))
        return NetworkView(municipalities, module_ids, staff_cells, cells, row_totals, column_totals,
                           unreadable=figures.unreadable)

    @paused_gc()
    def quiz_insight(self, actor: User | None, municipality: str | None) -> list[QuizInsight]:
        """First-attempt choices per step and per competence tag, small groups suppressed.

        A manager sees their own municipality; a coordinator sees the whole network.
        """
        actor = require_role(actor, Role.COORDINATOR, *LEADER_ROLES)
        if municipality is None:
            if actor.role not in (Role.COORDINATOR, Role.ADMIN):
                raise PermissionDenied
            scope = StaffScope(None)
        else:
            if actor.role == Role.COORDINATOR:
                raise PermissionDenied
            scope = self._scope(actor, municipality)
        firsts = self.repo.first_attempts(scope)
        return [self._insight(quiz, firsts.get(quiz.id)) for quiz in self.content.quizzes.values()]

    @staticmethod
    def _insight(quiz: Quiz, firsts: FirstAttempts | list[list[dict]] | None) -> QuizInsight:
        """The insight for the counts of first attempts (or first paths as choice lists, as the privacy
        tests build them): the suppression sees the same figures either way."""
        if isinstance(firsts, list):
            firsts = first_attempts_of(firsts)
        picks: dict[str, Counter[int]] = defaultdict(Counter)
        tag_counts: Counter[Tag] = Counter()
        choices_made = 0
        known_steps = {s.id: s for s in quiz.steps}
        for (step_id, index), n in (firsts.picks if firsts else {}).items():
            step = known_steps.get(step_id)
            if step is None or not 0 <= index < len(step.choices):
                continue  # an older version's step
            picks[step.id][index] += n
            choices_made += n
            for tag in step.choices[index].tags:
                tag_counts[tag] += n
        persons = firsts.persons if firsts else 0
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
                           derived(sum(c.count for c in critical), persons, critical))


def first_attempts_of(paths: list[list[dict]]) -> FirstAttempts:
    """First-attempt paths (``{"step_id", "choice_index"}`` per choice) as the counts the stores return."""
    picks: Counter[tuple[str, int]] = Counter()
    for path in paths:
        picks.update((entry["step_id"], entry["choice_index"]) for entry in path)
    return FirstAttempts(len(paths), dict(picks))


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
            if choice.next is not None and not ends_scenario(choice):
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
            after[(step.id, index)] = (frozenset() if choice.next is None or ends_scenario(choice)
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

