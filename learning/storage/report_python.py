"""The report read models computed in Python, for the stores that keep records as JSON documents.

The TinyDB and in-memory adapters hand over each person in scope with their stored progress
and attempt documents (``None`` when the person's data cannot be read); these functions
turn them into the same read models PostgreSQL computes in SQL. The contract suite holds
all three to the same answers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta

from learning.formatting import local
from learning.records import ModuleProgress, QuizAttempt, User, counts_as_staff
from learning.storage.read_models import (
    CompletionFigures,
    DutyRule,
    FirstAttempts,
    ModuleRecord,
    ModuleStatus,
    NetworkFigures,
    PersonRecord,
    StaffGroup,
    StaffMember,
    StaffPage,
    StaffQuery,
    StaffScope,
    StaffSort,
    name_key,
)

State = tuple[list[dict], list[dict]]   # progress documents, attempt documents, as stored
Person = tuple[User, State | None]       # None: the person's data cannot be read


def _bare(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if not k.startswith("_")}  # an adapter's own keys


def in_scope(user: User, scope: StaffScope) -> bool:
    return (counts_as_staff(user)
            and (scope.municipality is None or user.municipality == scope.municipality)
            and (scope.service_area is None or user.service_area == scope.service_area))


def member(user: User) -> StaffMember:
    return StaffMember(user.id, user.name, user.unit, user.service_area, user.municipality)


def _stamp(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _week(stamp: str) -> date:
    day = local(datetime.fromisoformat(stamp)).date()
    return day - timedelta(days=day.weekday())


def _latest(progress: list[dict], modules: frozenset[str] | set[str]) -> dict[str, dict]:
    return {doc["module_id"]: doc for doc in progress if doc["module_id"] in modules}


def _done_since(doc: dict | None, rule: DutyRule) -> bool:
    if doc is None or not doc.get("completed_at"):
        return False
    return rule.counts_from is None or datetime.fromisoformat(doc["completed_at"]) >= rule.counts_from


def _rules_by_group(rules: Iterable[DutyRule]) -> dict[tuple, list[DutyRule]]:
    out: dict[tuple, list[DutyRule]] = defaultdict(list)
    for rule in rules:
        out[(rule.service_area, rule.unit)].append(rule)
    return out


def _overdue(user: User, docs: dict[str, dict], rules: dict[tuple, list[DutyRule]]) -> list[str]:
    return [r.module_id for r in rules.get((user.service_area, user.unit), ())
            if not _done_since(docs.get(r.module_id), r)]


def staff_groups(users: Iterable[User]) -> list[StaffGroup]:
    counts = Counter((u.service_area, u.unit) for u in users)
    return [StaffGroup(area, unit, n) for (area, unit), n in counts.items()]


def completion_figures(people: Iterable[Person], modules: Sequence[str], rules: Sequence[DutyRule]
                       ) -> CompletionFigures:
    wanted = set(modules)
    by_group = _rules_by_group(rules)
    staff: Counter[tuple] = Counter()
    completed: Counter[tuple] = Counter()
    weekly: Counter[date] = Counter()
    started = completed_any = overdue = unreadable = 0
    for user, state in people:
        if state is None:
            unreadable += 1
            continue
        docs = _latest(state[0], wanted)
        staff[(user.service_area, user.unit)] += 1
        started += bool(docs)
        any_done = False
        for module_id, doc in docs.items():
            if doc.get("completed_at"):
                any_done = True
                completed[(user.service_area, user.unit, module_id)] += 1
                weekly[_week(doc["completed_at"])] += 1
        completed_any += any_done
        overdue += bool(_overdue(user, docs, by_group))
    return CompletionFigures(dict(staff), dict(completed), started, completed_any, overdue, dict(weekly),
                             unreadable)


def network_figures(people: Iterable[Person], modules: Sequence[str]) -> NetworkFigures:
    wanted = set(modules)
    staff: Counter[str] = Counter()
    completed: Counter[tuple[str, str]] = Counter()
    unreadable = 0
    for user, state in people:
        if state is None:
            unreadable += 1
            staff[user.municipality] += 0  # the municipality is still listed
            continue
        staff[user.municipality] += 1
        for module_id, doc in _latest(state[0], wanted).items():
            if doc.get("completed_at"):
                completed[(user.municipality, module_id)] += 1
    return NetworkFigures(dict(staff), dict(completed), unreadable)


def first_attempts(people: Iterable[Person]) -> dict[str, FirstAttempts]:
    """Per scenario: each person's earliest attempt (by start), counted by the choices in its path."""
    persons: Counter[str] = Counter()
    picks: dict[str, Counter[tuple[str, int]]] = defaultdict(Counter)
    for _, state in people:
        if state is None:
            continue
        earliest: dict[str, dict] = {}
        for doc in state[1]:
            known = earliest.get(doc["quiz_id"])
            if known is None or datetime.fromisoformat(doc["started_at"]) < datetime.fromisoformat(known["started_at"]):
                earliest[doc["quiz_id"]] = doc
        for quiz_id, doc in earliest.items():
            if doc.get("path"):
                persons[quiz_id] += 1
                picks[quiz_id].update((entry["step_id"], entry["choice_index"]) for entry in doc["path"])
    return {quiz_id: FirstAttempts(n, dict(picks[quiz_id])) for quiz_id, n in persons.items()}


def person_record(user: User, state: State, modules: Sequence[str]) -> PersonRecord:
    wanted = set(modules)
    finished: Counter[str] = Counter(doc["module_id"] for doc in state[1] if doc.get("finished_at"))
    records = {}
    for module_id, doc in _latest(state[0], wanted).items():
        records[module_id] = ModuleRecord(module_id, datetime.fromisoformat(doc["started_at"]),
                                          datetime.fromisoformat(doc["updated_at"]), _stamp(doc.get("completed_at")),
                                          doc.get("best_percent"), finished[module_id])
    return PersonRecord(member(user), {m: records[m] for m in modules if m in records})


def _status(doc: dict | None) -> ModuleStatus:
    if doc is None:
        return ModuleStatus.NOT_STARTED
    return ModuleStatus.COMPLETED if doc.get("completed_at") else ModuleStatus.IN_PROGRESS


def _matches(user: User, state: State, query: StaffQuery, search: str, rules: dict[tuple, list[DutyRule]]) -> bool:
    if search and search not in name_key(user.name):
        return False
    if query.areas and user.service_area not in query.areas:
        return False
    if query.units and user.unit not in query.units:
        return False
    if query.status is None:
        return True
    docs = {doc["module_id"]: doc for doc in state[0]}
    if query.status == ModuleStatus.OVERDUE:
        owed = _overdue(user, docs, rules)
        return bool(owed) if query.module_id is None else query.module_id in owed
    return query.module_id is None or _status(docs.get(query.module_id)) == query.status


def _sort_key(query: StaffQuery) -> Callable[[tuple[User, State]], tuple]:
    wanted = set(query.modules)

    def key(item: tuple[User, State]) -> tuple:
        user, state = item
        base = (name_key(user.name), user.id)
        if query.sort == StaffSort.NAME:
            return base
        if query.sort == StaffSort.UNIT:
            return (name_key(user.unit), *base)
        docs = _latest(state[0], wanted)
        if query.sort == StaffSort.COMPLETED:
            return (-sum(1 for d in docs.values() if d.get("completed_at")), *base)
        last = max((datetime.fromisoformat(d["updated_at"]) for d in docs.values()), default=None)
        return (last is None, -last.timestamp() if last else 0, *base)
    return key


def staff_page(people: Iterable[Person], query: StaffQuery) -> StaffPage:
    search = name_key(query.search.strip())
    rules = _rules_by_group(query.rules)
    found = [(user, state) for user, state in people
             if state is not None and _matches(user, state, query, search, rules)]
    found.sort(key=_sort_key(query))
    end = None if query.limit is None else query.offset + query.limit
    return StaffPage(tuple(member(user) for user, _ in found[query.offset:end]), len(found))


class PythonReports:
    """The report methods of the Repository, for adapters that give users and per-person documents."""

    def _report_users(self) -> Iterable[User]:
        raise NotImplementedError

    def _report_state(self, user_id: str) -> State | None:
        """The person's progress and attempt documents; None when they cannot be read."""
        raise NotImplementedError

    def _people(self, scope: StaffScope) -> Iterator[Person]:
        for user in self._report_users():
            if in_scope(user, scope):
                yield user, self._report_state(user.id)

    def municipalities(self) -> list[str]:
        return sorted({user.municipality for user in self._report_users()})

    def staff_groups(self, scope: StaffScope) -> list[StaffGroup]:
        return staff_groups(u for u in self._report_users() if in_scope(u, scope))

    def completion_figures(self, scope: StaffScope, modules: Sequence[str],
                           rules: Sequence[DutyRule]) -> CompletionFigures:
        return completion_figures(self._people(scope), modules, rules)

    def network_figures(self, modules: Sequence[str]) -> NetworkFigures:
        return network_figures(self._people(StaffScope(None)), modules)

    def first_attempts(self, scope: StaffScope) -> dict[str, FirstAttempts]:
        return first_attempts(self._people(scope))

    def staff_page(self, scope: StaffScope, query: StaffQuery) -> StaffPage:
        return staff_page(self._people(scope), query)

    def bulk_state(self, user_ids: Iterable[str]) -> dict[str, tuple[list[ModuleProgress], list[QuizAttempt]]]:
        out = {}
        for user_id in dict.fromkeys(user_ids):
            state = self._report_state(user_id)
            if state is not None:
                out[user_id] = ([ModuleProgress.model_validate(_bare(d)) for d in state[0]],
                                [QuizAttempt.model_validate(_bare(d)) for d in state[1]])
        return out

    def person_records(self, user_ids: Sequence[str], modules: Sequence[str]) -> dict[str, PersonRecord]:
        out = {}
        for user_id in dict.fromkeys(user_ids):
            user = self.get_user(user_id)  # type: ignore[attr-defined]
            state = self._report_state(user_id) if user else None
            if user is not None and state is not None:
                out[user_id] = person_record(user, state, modules)
        return out
