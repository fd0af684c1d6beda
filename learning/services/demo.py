"""Fictional demo data: staff across the network cities with realistic progress.

Everyone here is made up. Only a handful of demo accounts can sign in; their
passwords are random and printed once by the command line, stored nowhere in the clear.
"""

from __future__ import annotations

import random
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from learning.clock import utc_now
from learning.content.catalog import ContentCatalog
from learning.content.models import Module, Quiz, ServiceArea, Step
from learning.formatting import local
from learning.municipalities import NETWORK
from learning.records import Assignment, ModuleProgress, QuizAttempt, Role, Unit, User
from learning.services import quiz_play
from learning.services.accounts import new_user_id
from learning.services.passwords import hash_password
from learning.services.units import store_units
from learning.storage.repository import Repository

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


@dataclass(frozen=True)
class _QuizPlan:
    """One quiz ready for simulated play: each step's choices best first, and its most points."""

    quiz: Quiz
    ranked: dict[str, list[int]]
    max_points: dict[str, int]

    @classmethod
    def of(cls, quiz: Quiz) -> _QuizPlan:
        return cls(quiz, {step.id: _best_first(step) for step in quiz.steps},
                   {step.id: step.max_points for step in quiz.steps})


def _best_first(step: Step) -> list[int]:
    points = [choice.points for choice in step.choices]
    return sorted(range(len(points)), key=lambda i: -points[i])


def _plan_for(content: ContentCatalog, module: Module) -> _QuizPlan | None:
    quiz = content.quiz_for(module)
    return _QuizPlan.of(quiz) if quiz is not None else None


def _play(plan: _QuizPlan, rng: random.Random, skill: float, start: datetime, module_id: str) -> QuizAttempt:
    """Walk the quiz as ``quiz_play`` would record it: a skilled person picks the best choice more often.

    Built in one go instead of through ``quiz_play.choose``/``acknowledge``, which copy the
    attempt at every step (most of seed-demo's time at 100 000 staff); tests/test_demo.py
    replays each path through ``quiz_play`` to check they agree. The path is plain data
    validated once with the attempt, which pydantic does faster than building each step.
    """
    quiz = plan.quiz
    path: list[dict] = []
    step = quiz.start
    while True:
        ranked = plan.ranked[step.id]
        index = ranked[0] if rng.random() < skill else rng.choice(ranked)
        choice = step.choices[index]
        path.append({"step_id": step.id, "choice_index": index, "points": choice.points,
                     "max_points": plan.max_points[step.id], "critical": choice.critical})
        if quiz_play.ends_scenario(choice) or choice.next is None:  # (no next step ends it: for the type checker)
            break
        step = quiz.step(choice.next)
    return QuizAttempt(id=secrets.token_hex(8), quiz_id=quiz.id, quiz_version=quiz.version, module_id=module_id,
                       started_at=start, finished_at=start + timedelta(minutes=len(path)), path=path)


def _state_for(modules: list[tuple[Module, _QuizPlan | None]], rng: random.Random, now: datetime):
    progress: list[ModuleProgress] = []
    attempts: list[QuizAttempt] = []
    engagement = rng.random()
    skill = rng.uniform(0.3, 0.95)
    for module, plan in modules:
        roll = rng.random()
        if roll > engagement:
            continue
        started = now - timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 12))
        ids = module.lesson_ids()
        complete = rng.random() < 0.6
        read = ids if complete else ids[: rng.randint(0, len(ids))]
        view, passed, best = "lesson", False, None
        if plan and len(read) == len(ids):
            when = started + timedelta(days=rng.randint(0, 10))
            for _ in range(rng.randint(1, 3)):
                attempt = _play(plan, rng, skill, min(when, now), module.id)
                attempts.append(attempt)
                best = max(best or 0, attempt.percent)
                if quiz_play.passed(plan.quiz, attempt):
                    passed = True
                    break
                when += timedelta(days=1)
            view = "quiz"
        done = None
        if len(read) == len(ids) and (plan is None or passed):
            done = min(started + timedelta(days=rng.randint(0, 14)), now)
        progress.append(ModuleProgress(
            module_id=module.id, content_version=module.version, lessons_read=list(read),
            current_lesson=ids[min(len(read), len(ids) - 1)], view=view, quiz_passed=passed, best_percent=best,
            started_at=started, updated_at=done or started, completed_at=done,
            completed_version=module.version if done else None))
    return progress, attempts


def seed_demo(repo: Repository, content: ContentCatalog, *, staff: int = 150, seed: int = 2026,
              with_logins: bool = True, cities: list[str] | None = None) -> list[DemoLogin]:
    """Create fictional staff with progress; return the demo sign-ins created.

    ``cities`` (default: the network cities) spreads the staff; benchmarks put them all in
    one municipality, the worst case for its leader's pages. Progress is made and written
    ``CHUNK`` staff at a time through the repository's bulk path, so memory does not grow
    with the size; the demo sign-ins' passwords are hashed meanwhile (scrypt lets other
    threads run), and the users are added last, in one write.
    """
    rng = random.Random(seed)
    now = utc_now()
    modules = [(module, _plan_for(content, module)) for module in content.modules.values()]
    cities = list(cities or NETWORK)
    with ThreadPoolExecutor(max_workers=1) as hashing:  # one scrypt at a time: 128 MiB each
        passwords = [secrets.token_urlsafe(9) for _ in DEMO_ACCOUNTS] if with_logins else []
        hashes = [hashing.submit(hash_password, password) for password in passwords]
        people: list[User] = []
        for n in range(staff):
            municipality = cities[n % len(cities)]
            area = rng.choice(AREAS)
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            people.append(User(id=new_user_id(municipality), username=f"demo{n:06d}", name=name,
                               role=Role.LEARNER, municipality=municipality, service_area=area,
                               unit=rng.choice(UNITS[area]), created_at=now - timedelta(days=180)))
        for start in range(0, staff, CHUNK):
            repo.bulk_load_state({user.id: _state_for(modules, rng, now) for user in people[start:start + CHUNK]})
        logins: list[DemoLogin] = []
        users: list[User] = []
        for (username, role, municipality, placed_in, unit, description), password, hashed in zip(
                DEMO_ACCOUNTS, passwords, hashes, strict=False):
            users.append(User(id=new_user_id(municipality), username=username, name=description, role=role,
                              municipality=municipality, service_area=placed_in, unit=unit,
                              email=f"{username}@example.invalid", password_hash=hashed.result(),
                              created_at=now))
            logins.append(DemoLogin(username, password, role, description))
    repo.bulk_load_state({user.id: _state_for(modules, rng, now) for user in users if user.role == Role.LEARNER})
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
