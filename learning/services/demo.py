"""Fictional demo data: staff across the network cities with realistic progress.

Everyone here is made up. Only a handful of demo accounts can sign in; their
passwords are random and printed once by the command line, stored nowhere in the clear.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import random
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from learning.clock import utc_now
from learning.content.catalog import ContentCatalog
from learning.content.models import Choice, Module, Quiz, ServiceArea, Step
from learning.formatting import local
from learning.municipalities import NETWORK
from learning.records import Assignment, ModuleProgress, QuizAttempt, Role, Unit, User, share_percent
from learning.services import quiz_play
from learning.services.accounts import new_user_id
from learning.services.passwords import hash_password
from learning.services.units import store_units
from learning.storage.repository import FreshLoader, Repository, StateDocs

T = TypeVar("T")

FIRST = ["Kari", "Ola", "Ingrid", "Ahmed", "Sofie", "Jonas", "Fatima", "Lars", "Nora", "Emil", "Maja", "Amir",
         "Hanne", "Sindre", "Leah", "Tobias", "Aisha", "Mats", "Ida", "Kristian", "Sara", "Per", "Zara", "Eirik"]
LAST = ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen",
        "Karlsen", "Ali", "Berg", "Haugen", "Hagen", "Johnsen", "Lund", "Nguyen", "Dahl", "Moen", "Iversen"]
UNITS = {
    ServiceArea.BARNEHAGE: ["Solsikken barnehage", "Trollskogen barnehage", "Havgløtt barnehage"],
    ServiceArea.SKOLE: ["Bjørkelia skole", "Fjordsiden skole", "Nordbyen ungdomsskole"],
    ServiceArea.BARNEVERN: ["Barnevernstjenesten Nord", "Barnevernstjenesten Sør"],
    ServiceArea.PSYKISK_HELSE: ["Helsestasjon for ungdom", "Psykisk helse barn og unge"],
}
AREAS = list(UNITS)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: Role
    description: str


DEMO_ACCOUNTS = [
    ("admin", Role.ADMIN, "0301", None, "", "Administrator"),
    ("leder.oslo", Role.MANAGER, "0301", None, "", "Leder, Oslo kommune"),
    ("leder.bergen", Role.MANAGER, "4601", None, "", "Leder, Bergen kommune"),
    ("koordinator", Role.COORDINATOR, "0301", None, "", "Nettverkskoordinator (bare samlede tall)"),
    ("forfatter.en", Role.AUTHOR, "0301", None, "", "Forfatter"),
    ("forfatter.to", Role.AUTHOR, "0301", None, "", "Forfatter (godkjenner)"),
    ("kari.demo", Role.LEARNER, "0301", ServiceArea.SKOLE, "Bjørkelia skole", "Lærer i Oslo"),
    ("ola.demo", Role.LEARNER, "4601", ServiceArea.BARNEHAGE, "Solsikken barnehage", "Barnehagelærer i Bergen"),
]


CHUNK = 5_000  # staff whose progress is made and written at a time: memory stays flat at any size
SAMPLE = 10  # people per batch whose documents are checked against the records' models


@dataclass(frozen=True)
class _Move:
    """One choice at one step, ready to record: its path entry as stored, and where it leads."""

    entry: dict
    points: int
    max_points: int
    critical: bool
    next_step: str | None  # None: the scenario ends here


@dataclass(frozen=True)
class _QuizPlan:
    """One quiz ready for simulated play: each step's choices best first, and every move's stored entry."""

    quiz: Quiz
    ranked: dict[str, list[int]]
    moves: dict[str, list[_Move]]

    @classmethod
    def of(cls, quiz: Quiz) -> _QuizPlan:
        return cls(quiz, {step.id: _best_first(step) for step in quiz.steps},
                   {step.id: [_move(step, i, choice) for i, choice in enumerate(step.choices)] for step in quiz.steps})


def _move(step: Step, index: int, choice: Choice) -> _Move:
    entry = {"step_id": step.id, "choice_index": index, "points": choice.points, "max_points": step.max_points,
             "critical": choice.critical, "at": None}
    ends = quiz_play.ends_scenario(choice) or choice.next is None
    return _Move(entry, choice.points, step.max_points, choice.critical, None if ends else choice.next)


def _best_first(step: Step) -> list[int]:
    points = [choice.points for choice in step.choices]
    return sorted(range(len(points)), key=lambda i: -points[i])


def _plan_for(content: ContentCatalog, module: Module) -> _QuizPlan | None:
    quiz = content.quiz_for(module)
    return _QuizPlan.of(quiz) if quiz is not None else None


class _Stamps:
    """Times as pydantic writes them to JSON, counted in whole minutes before ``now``: a few
    thousand distinct values cover all staff, so each is formatted once."""

    def __init__(self, now: datetime):
        self.now = now
        self.cache: dict[int, str] = {}

    def __call__(self, minutes_before: int) -> str:
        text = self.cache.get(minutes_before)
        if text is None:
            moment = self.now - timedelta(minutes=minutes_before)
            text = self.cache[minutes_before] = moment.isoformat().replace("+00:00", "Z")
        return text


DAY = 24 * 60  # minutes


def _play(plan: _QuizPlan, rng: random.Random, skill: float, start: int, stamp: _Stamps,
          module_id: str) -> tuple[dict, int, bool]:
    """Walk the quiz as ``quiz_play`` would record it; a skilled person picks the best choice more often.

    Returns the attempt as its stored JSON, its percent and whether it passed; ``start`` is in
    minutes before now. Built in one go instead of through ``quiz_play.choose``/``acknowledge``
    (which copy the attempt at every step) and without models (validating 100 000 people's
    records was most of seed-demo's time); tests/test_demo.py replays every path through
    ``quiz_play`` and validates every document. Path entries are shared between attempts:
    nothing changes them.
    """
    quiz = plan.quiz
    path: list[dict] = []
    points = max_points = 0
    critical = False
    step_id: str | None = quiz.start.id
    random_ = rng.random
    while step_id is not None:
        ranked = plan.ranked[step_id]
        move = plan.moves[step_id][ranked[0] if random_() < skill else ranked[int(random_() * len(ranked))]]
        path.append(move.entry)
        points += move.points
        max_points += move.max_points
        critical = critical or move.critical
        step_id = move.next_step
    percent = share_percent(points, max_points)
    doc = {"id": f"{rng.getrandbits(64):016x}", "quiz_id": quiz.id, "quiz_version": quiz.version,
           "module_id": module_id, "started_at": stamp(start), "finished_at": stamp(start - len(path)),
           "path": path, "feedback_pending": False, "shuffle_seed": None}
    return doc, percent, not critical and percent >= quiz.pass_percent  # finished: quiz_play.passed's rule


Plans = list[tuple[Module, _QuizPlan | None, list[str]]]  # each module, its quiz's plan and its lesson ids


def _state_for(modules: Plans, rng: random.Random,
               stamp: _Stamps) -> tuple[list[dict], list[dict]]:
    """One person's progress and attempts, as their records' JSON.

    Whole numbers from ``random()`` (``int(random() * n)``), not ``randint``: five times
    faster, and as good for made-up data.
    """
    progress: list[dict] = []
    attempts: list[dict] = []
    random_ = rng.random
    engagement = random_()
    skill = 0.3 + 0.65 * random_()
    for module, plan, ids in modules:
        if random_() > engagement:
            continue
        started = (1 + int(random_() * 120)) * DAY + int(random_() * 13) * 60
        read = ids if random_() < 0.6 else ids[:int(random_() * (len(ids) + 1))]
        view, passed, best = "lesson", False, None
        if plan and len(read) == len(ids):
            when = started - int(random_() * 11) * DAY
            for _ in range(1 + int(random_() * 3)):
                attempt, percent, passed = _play(plan, rng, skill, max(when, 0), stamp, module.id)
                attempts.append(attempt)
                best = max(best or 0, percent)
                if passed:
                    break
                when -= DAY
            view = "quiz"
        done = None
        if len(read) == len(ids) and (plan is None or passed):
            done = stamp(max(started - int(random_() * 15) * DAY, 0))
        progress.append({
            "module_id": module.id, "content_version": module.version, "lessons_read": list(read),
            "lessons_read_at": {}, "current_lesson": ids[min(len(read), len(ids) - 1)], "view": view,
            "quiz_passed": passed, "best_percent": best, "started_at": stamp(started),
            "updated_at": done or stamp(started), "completed_at": done,
            "completed_version": module.version if done else None, "earlier_completions": [], "retaking": False})
    return progress, attempts


def check_sample(state: StateDocs) -> None:
    """The first ``SAMPLE`` people's documents must be exactly what their records dump: a changed
    record model (a new field, a renamed one) stops the seed here instead of storing stale shapes."""
    for progress, attempts in itertools.islice(state.values(), SAMPLE):
        for model, docs in ((ModuleProgress, progress), (QuizAttempt, attempts)):
            for doc in docs:
                if model.model_validate(doc).model_dump(mode="json") != doc:
                    raise ValueError(f"demo {model.__name__} differs from what the model stores: {sorted(doc)}")


def as_records(state: StateDocs) -> dict[str, tuple[list[ModuleProgress], list[QuizAttempt]]]:
    """The documents validated into records (the record path ``fast=False`` takes)."""
    return {user_id: ([ModuleProgress.model_validate(p) for p in progress],
                      [QuizAttempt.model_validate(a) for a in attempts])
            for user_id, (progress, attempts) in state.items()}


@dataclass(frozen=True)
class _Batches:
    """The staff's progress, made ``CHUNK`` people at a time, each batch from its own random stream,
    so the data is the same whether batches run here or in worker processes, in any order."""

    modules: Plans
    ids: list[str]
    seed: int
    now: datetime
    load: Callable[[StateDocs], None]

    @property
    def count(self) -> int:
        return -(-len(self.ids) // CHUNK)

    def docs(self, batch: int | str, ids: list[str] | None = None) -> dict[str, tuple[list[dict], list[dict]]]:
        rng = random.Random(f"{self.seed}:{batch}")
        if ids is None:
            ids = self.ids[int(batch) * CHUNK:(int(batch) + 1) * CHUNK]
        stamp = _Stamps(self.now)
        return {user_id: _state_for(self.modules, rng, stamp) for user_id in ids}

    def run(self, batch: int) -> None:
        self.load(self.docs(batch))


_forked: _Batches | None = None  # set just before the worker processes are forked; they inherit it


def _run_forked(batch: int) -> None:
    assert _forked is not None
    _forked.run(batch)


def _run_all(batches: _Batches, workers: int, passwords: list[str], meanwhile: Callable[[], T]) -> tuple[list[str], T]:
    """Every batch made and loaded, in ``workers`` processes when more than one. Meanwhile this process
    hashes the passwords (scrypt: 128 MiB and a good part of a second each, so one at a time) and
    does ``meanwhile``; returns the hashes and what ``meanwhile`` returned."""
    global _forked
    if workers > 1:
        _forked = batches
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                done = pool.map_async(_run_forked, range(batches.count), chunksize=1)
                hashes = [hash_password(password) for password in passwords]
                made = meanwhile()
                done.get()
        finally:
            _forked = None
        return hashes, made
    with ThreadPoolExecutor(max_workers=1) as hashing:  # scrypt lets this thread run
        pending = [hashing.submit(hash_password, password) for password in passwords]
        for batch in range(batches.count):
            batches.run(batch)
        made = meanwhile()
        return [hashed.result() for hashed in pending], made


def _workers(loader: FreshLoader, batches: int) -> int:
    if not loader.forks or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(WORKERS or os.cpu_count() or 1, batches))


WORKERS = 0  # worker processes for a file store; 0: one per CPU


def _staff(ids: list[str], homes: list[str], rng: random.Random, now: datetime) -> list[User]:
    """The fictional staff's user records (learners; none can sign in)."""
    people = []
    for n, (user_id, municipality) in enumerate(zip(ids, homes, strict=True)):
        area = rng.choice(AREAS)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        people.append(User(id=user_id, username=f"demo{n:06d}", name=name, role=Role.LEARNER,
                           municipality=municipality, service_area=area, unit=rng.choice(UNITS[area]),
                           created_at=now - timedelta(days=180)))
    return people


def seed_demo(repo: Repository, content: ContentCatalog, *, staff: int = 150, seed: int = 2026,
              with_logins: bool = True, cities: list[str] | None = None, fast: bool = True) -> list[DemoLogin]:
    """Create fictional staff with progress; return the demo sign-ins created.

    ``cities`` (default: the network cities) spreads the staff; benchmarks put them all in
    one municipality, the worst case for its leader's pages. Progress is made ``CHUNK``
    staff at a time as the records' JSON, so memory does not grow with the size.

    ``fast`` (the command, benchmarks): only into a store with no data at all (raises
    ``StoreNotEmpty``), through ``Repository.fresh_load``; a sample of every batch is checked
    against the models, and on a file store the batches are made and written by one worker
    process per CPU. ``fast=False`` validates every record and writes through
    ``bulk_load_state``: the same data (tests/test_demo.py compares the two). The demo
    sign-ins' passwords are hashed meanwhile; the users are added last, in one write.
    """
    rng = random.Random(seed)
    now = utc_now()
    modules = [(module, _plan_for(content, module), module.lesson_ids()) for module in content.modules.values()]
    cities = list(cities or NETWORK)
    homes = [cities[n % len(cities)] for n in range(staff)]
    ids = [new_user_id(municipality) for municipality in homes]
    passwords = [secrets.token_urlsafe(9) for _ in DEMO_ACCOUNTS] if with_logins else []
    accounts = [new_user_id(row[2]) for row in DEMO_ACCOUNTS[:len(passwords)]]
    learners = [user_id for user_id, row in zip(accounts, DEMO_ACCOUNTS, strict=False) if row[1] == Role.LEARNER]

    def make_people() -> list[User]:
        return _staff(ids, homes, rng, now)

    if fast:
        with repo.fresh_load() as loader:
            def load(state: StateDocs) -> None:
                check_sample(state)
                loader.load(state)

            batches = _Batches(modules, ids, seed, now, load)
            hashes, people = _run_all(batches, _workers(loader, batches.count), passwords, make_people)
            load(batches.docs("accounts", learners))
    else:
        batches = _Batches(modules, ids, seed, now, lambda state: repo.bulk_load_state(as_records(state)))
        hashes, people = _run_all(batches, 1, passwords, make_people)
        batches.load(batches.docs("accounts", learners))
    logins: list[DemoLogin] = []
    users: list[User] = []
    for user_id, (username, role, municipality, placed_in, unit, description), password, hashed in zip(
            accounts, DEMO_ACCOUNTS, passwords, hashes, strict=False):
        users.append(User(id=user_id, username=username, name=description, role=role,
                          municipality=municipality, service_area=placed_in, unit=unit,
                          email=f"{username}@example.invalid", password_hash=hashed, created_at=now))
        logins.append(DemoLogin(username, password, role, description))
    repo.add_users([*users, *people])
    for municipality in cities:
        store_units(repo, municipality, [Unit(name=name, service_area=area) for area, names in UNITS.items()
                                         for name in names])
    _demo_assignments(repo, content, now)
    return logins


def _demo_assignments(repo: Repository, content: ContentCatalog, now: datetime) -> None:
    """A few mandatory modules so deadlines, overdue staff and renewal show in the demo."""
    modules = list(content.modules)
    if not modules:
        return
    today = local(now).date()
    plans = [("0301", modules[0], None, today - timedelta(days=7), None),
             ("0301", modules[-1], ServiceArea.SKOLE, today + timedelta(days=30), 12),
             ("4601", modules[min(1, len(modules) - 1)], ServiceArea.BARNEHAGE, today + timedelta(days=14), 12)]
    for municipality, module_id, area, deadline, renew in plans:
        repo.add_assignment(Assignment(id=secrets.token_hex(6), municipality=municipality, module_id=module_id,
                                       service_area=area, deadline=deadline, renew_months=renew,
                                       created_by="demo", created_at=now))
