"""One contract for every Repository: the in-memory fake, TinyDB files and PostgreSQL.

Each test runs once per adapter, so a promise the services rely on (atomic
read-modify-write, one first admin, the shapes reports read) holds wherever the data lives.
The PostgreSQL runs need a cluster (``postgres_cluster`` in conftest): skipped without one,
except under CI=true.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest

from learning.content.models import ServiceArea
from learning.records import (
    Assignment,
    AuditAction,
    AuditEntry,
    LoginState,
    ModuleProgress,
    QuizAttempt,
    Role,
    StepChoice,
    User,
)
from learning.storage.errors import DamagedFile, StorageUnavailable, StoreNotEmpty
from learning.storage.memory_repo import MemoryRepository
from learning.storage.read_models import (
    DutyRule,
    FirstAttempts,
    ModuleStatus,
    StaffMember,
    StaffQuery,
    StaffScope,
    StaffSort,
)
from learning.storage.repository import DuplicateUsername, Repository
from learning.storage.tinydb_repo import TinyDBRepository

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(params=["memory", "tinydb", "postgres"])
def store(request, tmp_path) -> Repository:
    if request.param == "memory":
        yield MemoryRepository()
    elif request.param == "tinydb":
        yield TinyDBRepository(tmp_path / "data")
    else:
        from learning.storage.postgres_repo import PostgresRepository

        repo = PostgresRepository(request.getfixturevalue("postgres_url"), pool_size=20)
        yield repo
        repo.close()


def user(name: str, municipality: str = "0301", **extra) -> User:
    placed = {"service_area": ServiceArea.BARNEHAGE, "unit": "Solsikken", **extra}
    return User(id=f"{municipality}-{name}", username=name, name=name.title(), municipality=municipality,
                created_at=NOW, **placed)


def progress(module_id: str, **extra) -> ModuleProgress:
    return ModuleProgress(module_id=module_id, content_version=1, **{"started_at": NOW, "updated_at": NOW, **extra})


def attempt(attempt_id: str, started: datetime = NOW, **extra) -> QuizAttempt:
    return QuizAttempt(id=attempt_id, quiz_id="q", quiz_version=2, started_at=started, **{"module_id": "m", **extra})


def entry(at: datetime, action: AuditAction = AuditAction.SIGNED_IN, **extra) -> AuditEntry:
    return AuditEntry(at=at, actor="0301-anne", action=action, **extra)


def in_parallel(count: int, work: Callable[[int], object]) -> list:
    """Run ``work(i)`` in ``count`` threads that start together."""
    barrier = threading.Barrier(count)

    def run(i: int) -> object:
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


# --- users ---------------------------------------------------------------------------
def test_a_new_store_is_new_and_has_no_users(store):
    assert store.is_new() and not store.has_users() and store.list_users() == []
    assert store.get_user("nobody") is None and store.find_user("nobody") is None


def test_users_are_added_found_listed_and_updated(store):
    anne, kari = user("anne", role=Role.ADMIN), user("kari", "4601")
    store.add_user(anne)
    store.add_users([kari])
    assert store.get_user(anne.id) == anne and store.find_user("kari") == kari
    assert store.list_users() == [anne, kari] and store.list_users("4601") == [kari]
    assert store.has_users() and not store.is_new()
    changed = store.update_user(kari.id, lambda u: u.model_copy(update={"name": "Kari N", "municipality": "0301"}))
    assert changed.name == "Kari N" and store.get_user(kari.id) == changed
    assert [u.id for u in store.list_users("0301")] == [anne.id, kari.id] and store.list_users("4601") == []


def test_updating_a_missing_user_raises_key_error(store):
    with pytest.raises(KeyError):
        store.update_user("nobody", lambda u: u)


def test_a_taken_username_is_refused_and_nothing_of_the_batch_is_added(store):
    store.add_user(user("anne"))
    with pytest.raises(DuplicateUsername):
        store.add_users([user("ola"), user("anne", "4601")])
    with pytest.raises(DuplicateUsername):
        store.add_users([user("per"), user("per", "4601")])
    assert [u.username for u in store.list_users()] == ["anne"]


def test_the_first_user_is_added_only_to_a_new_store(store):
    assert store.add_first_user(user("anne", role=Role.ADMIN))
    assert not store.add_first_user(user("ola", role=Role.ADMIN))
    assert [u.username for u in store.list_users()] == ["anne"]


def test_data_without_users_is_damage_not_a_new_store(store):
    store.add_assignment(Assignment(id="a1", municipality="0301", module_id="m", deadline=date(2026, 6, 1),
                                    created_by="x", created_at=NOW))
    with pytest.raises(DamagedFile):
        store.is_new()


def test_an_audit_log_without_users_is_damage_too(store):
    store.append_audit(entry(NOW))
    with pytest.raises(DamagedFile):
        store.is_new()
    with pytest.raises(DamagedFile):  # no first admin beside existing data
        store.add_first_user(user("anne"))


# --- sign-in state -------------------------------------------------------------------
def test_login_state_defaults_is_set_and_updated(store):
    assert store.login_state("u") == LoginState()
    store.set_login_state("u", LoginState(failures=2))
    locked = NOW + timedelta(minutes=15)
    new = store.update_login_state("u", lambda s: s.model_copy(update={"failures": s.failures + 1,
                                                                         "locked_until": locked}))
    assert new == LoginState(failures=3, locked_until=locked) == store.login_state("u")
    assert store.login_state("other") == LoginState()


def test_session_revocation_only_moves_forward(store):
    if not hasattr(store, "revoke_sessions"):
        pytest.skip("this adapter has no session revocation yet")
    assert store.sessions_revoked_at("u") is None
    store.revoke_sessions("u", NOW)
    store.revoke_sessions("u", NOW - timedelta(hours=1))
    assert store.sessions_revoked_at("u") == NOW and store.sessions_revoked_at("v") is None


# --- progress and attempts -------------------------------------------------------------
def test_progress_is_created_changed_and_read_per_user(store):
    seen = []

    def start(old: ModuleProgress | None) -> ModuleProgress:
        seen.append(old)
        return progress("m1", lessons_read=["l1"])

    store.update_progress("u", "m1", start)
    assert seen[-1] is None
    store.update_progress("u", "m2", lambda _: progress("m2"))
    done = store.update_progress("u", "m1", lambda p: p.model_copy(update={
        "lessons_read": [*p.lessons_read, "l2"], "completed_at": NOW, "earlier_completions": [NOW]}))
    assert done.lessons_read == ["l1", "l2"]
    assert store.progress_for("u") == {"m1": done, "m2": progress("m2")}
    assert list(store.progress_for("u")) == ["m1", "m2"] and store.progress_for("v") == {}


def test_attempts_keep_every_choice_and_come_back_oldest_first(store):
    path = [StepChoice(step_id="s1", choice_index=2, points=1, max_points=2),
            StepChoice(step_id="s2", choice_index=0, points=0, max_points=2, critical=True)]
    late = store.update_attempt("u", "late", lambda _: attempt("late", NOW + timedelta(hours=1)))
    early = store.update_attempt("u", "early", lambda _: attempt("early", path=path[:1], shuffle_seed=7))
    early = store.update_attempt("u", "early", lambda a: a.model_copy(update={"path": path, "finished_at": NOW}))
    assert store.attempts_for("u") == [early, late]
    assert store.attempts_for("u")[0].path == path and store.attempts_for("u")[0].hit_critical
    assert store.attempts_for("v") == []


def report_world(store: Repository) -> None:
    """Two municipalities; staff and role accounts; progress, completions and attempts at known times."""
    oslo = [user("åse", unit="Bjørkelia", service_area=ServiceArea.SKOLE),
            user("bjørn", unit="Bjørkelia", service_area=ServiceArea.SKOLE),
            user("Zara"), user("ærlig"), user("Øystein"),
            user("sjef", role=Role.MANAGER, service_area=None, unit=""),        # a role account: never staff
            user("gammel", active=False), user("venter", pending=True)]
    store.add_users([*oslo, user("bergen1", "4601"), user("bergen2", "4601", role=Role.MUNICIPAL_ADMIN,
                                                          service_area=None)])
    early = NOW - timedelta(days=40)
    path = [StepChoice(step_id="s1", choice_index=1, points=1, max_points=2),
            StepChoice(step_id="s2", choice_index=0, points=2, max_points=2)]
    store.bulk_load_state({
        "0301-åse": ([progress("m1", completed_at=early, updated_at=early), progress("m2")],
                     [attempt("a2", NOW, path=path[:1]), attempt("a1", early, path=path, finished_at=early, module_id="m1")]),
        "0301-bjørn": ([progress("m1", completed_at=NOW, best_percent=90), progress("gone", completed_at=NOW)],
                       [attempt("b1", NOW, path=path[:1], finished_at=NOW)]),
        "0301-Zara": ([progress("m2", completed_at=NOW)], [attempt("z1", NOW)]),
        "0301-gammel": ([progress("m1", completed_at=NOW)], [attempt("g1", NOW, path=path)]),
        "4601-bergen1": ([progress("m1", completed_at=early, updated_at=early)], []),
        "4601-bergen2": ([progress("m1", completed_at=NOW)], [attempt("c1", NOW, path=path)]),  # not staff
    })


MODULES = ("m1", "m2")
OSLO_ALL = StaffScope("0301")


def test_staff_groups_and_municipalities(store):
    report_world(store)
    groups = {(g.service_area, g.unit): g.staff for g in store.staff_groups(OSLO_ALL)}
    assert groups == {(ServiceArea.SKOLE, "Bjørkelia"): 2, (ServiceArea.BARNEHAGE, "Solsikken"): 3}
    assert [g.staff for g in store.staff_groups(StaffScope("0301", ServiceArea.SKOLE))] == [2]
    assert store.municipalities() == ["0301", "4601"]


def test_completion_figures_count_staff_in_scope_with_duty_rules(store):
    report_world(store)
    counts_from = NOW - timedelta(days=30)   # åse completed m1 40 days ago: too old for this rule
    rules = [DutyRule(ServiceArea.SKOLE, "Bjørkelia", "m1", counts_from),
             DutyRule(ServiceArea.BARNEHAGE, "Solsikken", "m2", None)]
    figures = store.completion_figures(OSLO_ALL, MODULES, rules)
    assert figures.staff == {(ServiceArea.SKOLE, "Bjørkelia"): 2, (ServiceArea.BARNEHAGE, "Solsikken"): 3}
    assert figures.completed == {(ServiceArea.SKOLE, "Bjørkelia", "m1"): 2, (ServiceArea.BARNEHAGE, "Solsikken", "m2"): 1}
    assert (figures.started, figures.completed_any, figures.overdue, figures.unreadable) == (3, 3, 3, 0)
    # weeks start on Monday, Norwegian time: NOW is Monday 2 March 2026
    assert figures.weekly == {date(2026, 3, 2): 2, date(2026, 1, 19): 1}
    skole = store.completion_figures(StaffScope("0301", ServiceArea.SKOLE), MODULES, [])
    assert skole.staff == {(ServiceArea.SKOLE, "Bjørkelia"): 2} and skole.overdue == 0


def test_network_figures_per_municipality(store):
    report_world(store)
    figures = store.network_figures(MODULES)
    assert figures.staff == {"0301": 5, "4601": 1}    # bergen2 is a municipal admin without a placement
    assert figures.completed == {("0301", "m1"): 2, ("0301", "m2"): 1, ("4601", "m1"): 1}


def test_first_attempts_count_each_persons_earliest_path(store):
    report_world(store)
    firsts = store.first_attempts(OSLO_ALL)
    # åse's earliest attempt (a1, both steps) counts, not a2; bjørn has one step; Zara's path is empty
    assert set(firsts) == {"q"}
    assert firsts["q"].persons == 2 and firsts["q"].picks == {("s1", 1): 2, ("s2", 0): 1}
    assert store.first_attempts(StaffScope("4601")) == {}


def test_staff_page_searches_filters_sorts_and_pages(store):
    report_world(store)
    page = store.staff_page(OSLO_ALL, StaffQuery(modules=MODULES))
    assert [m.name for m in page.members] == ["Bjørn", "Zara", "Ærlig", "Øystein", "Åse"] and page.total == 5
    assert page.members[0] == StaffMember("0301-bjørn", "Bjørn", "Bjørkelia", ServiceArea.SKOLE, "0301")
    second = store.staff_page(OSLO_ALL, StaffQuery(offset=2, limit=2))
    assert [m.name for m in second.members] == ["Ærlig", "Øystein"] and second.total == 5
    assert [m.name for m in store.staff_page(OSLO_ALL, StaffQuery(search="ØY")).members] == ["Øystein"]
    assert store.staff_page(OSLO_ALL, StaffQuery(search="%")).total == 0
    by_unit = store.staff_page(OSLO_ALL, StaffQuery(sort=StaffSort.UNIT))
    assert [m.name for m in by_unit.members] == ["Bjørn", "Åse", "Zara", "Ærlig", "Øystein"]
    done = store.staff_page(OSLO_ALL, StaffQuery(sort=StaffSort.COMPLETED, modules=MODULES))
    assert [m.name for m in done.members][:3] == ["Bjørn", "Zara", "Åse"]
    last = store.staff_page(OSLO_ALL, StaffQuery(sort=StaffSort.LAST_ACTIVE, modules=MODULES))
    assert [m.name for m in last.members] == ["Bjørn", "Zara", "Åse", "Ærlig", "Øystein"]
    units = store.staff_page(OSLO_ALL, StaffQuery(units=("Solsikken",), areas=(ServiceArea.BARNEHAGE,)))
    assert units.total == 3
    status = {s: [m.name for m in store.staff_page(OSLO_ALL, StaffQuery(module_id="m2", status=s)).members]
              for s in (ModuleStatus.NOT_STARTED, ModuleStatus.IN_PROGRESS, ModuleStatus.COMPLETED)}
    assert status == {ModuleStatus.NOT_STARTED: ["Bjørn", "Ærlig", "Øystein"], ModuleStatus.IN_PROGRESS: ["Åse"],
                      ModuleStatus.COMPLETED: ["Zara"]}
    rules = (DutyRule(ServiceArea.SKOLE, "Bjørkelia", "m1", NOW - timedelta(days=30)),)
    late = store.staff_page(OSLO_ALL, StaffQuery(status=ModuleStatus.OVERDUE, rules=rules))
    assert [m.name for m in late.members] == ["Åse"]
    assert store.staff_page(OSLO_ALL, StaffQuery(status=ModuleStatus.OVERDUE, module_id="m2", rules=rules)).total == 0
    assert len(store.staff_page(OSLO_ALL, StaffQuery(limit=None)).members) == 5


def test_user_page_lists_every_role_by_name_and_searches_name_or_username(store):
    report_world(store)
    store.add_user(User(id="0301-ola", username="ola.n", name="Ola Nordmann", municipality="0301", created_at=NOW,
                        role=Role.MUNICIPAL_ADMIN))
    page = store.user_page("0301")
    assert [u.name for u in page.users] == ["Bjørn", "Gammel", "Ola Nordmann", "Sjef", "Venter", "Zara", "Ærlig",
                                            "Øystein", "Åse"] and page.total == 9
    assert page.users[3].role == Role.MANAGER and isinstance(page.users[0], User)
    second = store.user_page("0301", offset=2, limit=3)
    assert [u.name for u in second.users] == ["Ola Nordmann", "Sjef", "Venter"] and second.total == 9
    assert [u.username for u in store.user_page("0301", search="OLA.N").users] == ["ola.n"]  # the username
    assert [u.name for u in store.user_page("0301", search=" nordM ").users] == ["Ola Nordmann"]  # the name
    assert [u.name for u in store.user_page("0301", search="ØY").users] == ["Øystein"]
    assert store.user_page("0301", search="%").total == 0 and store.user_page("0301", search="_").total == 0
    assert store.user_page("9999").total == 0 and store.user_page("0301", offset=50).users == ()


def test_person_records_are_typed_with_real_times(store):
    report_world(store)
    records = store.person_records(["0301-åse", "0301-sjef", "nobody"], MODULES)
    assert set(records) == {"0301-åse", "0301-sjef"}
    ase = records["0301-åse"]
    m1 = ase.modules["m1"]
    assert (m1.completed_at, m1.started_at, m1.finished_attempts) == (NOW - timedelta(days=40), NOW, 1)
    assert isinstance(m1.completed_at, datetime) and ase.modules["m2"].completed_at is None
    assert ase.last_activity == NOW and list(ase.modules) == ["m1", "m2"]
    bjorn = store.person_records(["0301-bjørn"], MODULES)["0301-bjørn"]
    assert set(bjorn.modules) == {"m1"} and bjorn.modules["m1"].best_percent == 90


def test_bulk_state_gives_records_for_every_asked_user_in_stored_order(store):
    p1, p2 = progress("m2", best_percent=80, completed_at=NOW), progress("m1")
    a = attempt("a1", finished_at=NOW, path=[StepChoice(step_id="s", choice_index=1, points=1, max_points=2)])
    store.update_progress("u", "m2", lambda _: p1)
    store.update_progress("u", "m1", lambda _: p2)
    store.update_attempt("u", "a1", lambda _: a)
    assert store.bulk_state(["u", "nobody", "u"]) == {"u": ([p1, p2], [a]), "nobody": ([], [])}


def test_bulk_load_replaces_each_users_progress_and_attempts(store):
    store.update_progress("u", "old", lambda _: progress("old"))
    store.bulk_load_state({"u": ([progress("m1"), progress("m2")], [attempt("a1")]), "v": ([progress("m1")], [])})
    assert list(store.progress_for("u")) == ["m1", "m2"] and list(store.progress_for("v")) == ["m1"]
    assert [x.id for x in store.attempts_for("u")] == ["a1"]


def test_fresh_load_stores_documents_as_the_records_they_dump(store):
    path = [StepChoice(step_id="s", choice_index=1, points=1, max_points=2, critical=True)]
    p1, p2 = progress("m2", best_percent=80, completed_at=NOW), progress("m1")
    a1, a2 = attempt("a1", NOW - timedelta(days=1), path=path, finished_at=NOW), attempt("a2")
    with store.fresh_load() as loader:
        loader.load({"u": ([p1.model_dump(mode="json"), p2.model_dump(mode="json")],
                           [a1.model_dump(mode="json"), a2.model_dump(mode="json")])})
        loader.load({"v": ([p2.model_dump(mode="json")], [])})
    assert store.bulk_state(["u", "v"]) == {"u": ([p1, p2], [a1, a2]), "v": ([p2], [])}
    assert store.progress_for("u") == {"m2": p1, "m1": p2} and store.attempts_for("u") == [a1, a2]


@pytest.mark.parametrize("data", ["user", "progress only"])
def test_fresh_load_refuses_a_store_that_holds_any_data(store, data):
    if data == "user":
        store.add_user(user("anne"))
    else:
        store.update_progress("u", "m1", lambda _: progress("m1"))
    with pytest.raises(StoreNotEmpty), store.fresh_load() as loader:
        loader.load({"v": ([progress("m1").model_dump(mode="json")], [])})
    assert store.progress_for("v") == {}


def test_fresh_load_takes_back_what_it_loaded_when_the_block_fails(store):
    with pytest.raises(RuntimeError), store.fresh_load() as loader:
        loader.load({"u": ([progress("m1").model_dump(mode="json")], [attempt("a1").model_dump(mode="json")])})
        raise RuntimeError("the seed failed half-way")
    assert store.is_new() and store.progress_for("u") == {} and store.attempts_for("u") == []
    with store.fresh_load() as loader:  # so it simply runs again
        loader.load({"u": ([progress("m1").model_dump(mode="json")], [])})
    assert list(store.progress_for("u")) == ["m1"]


# --- assignments and documents -----------------------------------------------------------
def test_assignments_are_added_replaced_listed_and_deleted(store):
    def assignment(aid: str, municipality: str, module: str = "m") -> Assignment:
        return Assignment(id=aid, municipality=municipality, module_id=module, deadline=date(2026, 6, 1),
                          renew_months=12, created_by="x", created_at=NOW)

    store.add_assignment(assignment("a1", "0301"))
    store.add_assignment(assignment("a2", "4601"))
    store.add_assignment(assignment("a1", "0301", "m2"))
    assert [a.module_id for a in store.list_assignments()] == ["m2", "m"]
    assert store.list_assignments("4601") == [assignment("a2", "4601")]
    store.delete_assignment("a1")
    store.delete_assignment("never")
    assert [a.id for a in store.list_assignments()] == ["a2"]


def test_documents_are_put_updated_and_listed_in_the_order_first_written(store):
    assert store.get_doc("drafts", "k1") is None and store.list_docs("drafts") == []
    store.put_doc("drafts", "k1", {"revision": 1, "files": {"a.yaml": "x: 1"}})
    store.update_doc("drafts", "k2", lambda old: {"revision": 1 if old is None else 99})
    new = store.update_doc("drafts", "k1", lambda old: {**old, "revision": old["revision"] + 1})
    assert new["revision"] == 2 and store.get_doc("drafts", "k1") == new
    assert [d["revision"] for d in store.list_docs("drafts")] == [2, 1]
    assert store.list_docs("versions") == []
    got = store.get_doc("drafts", "k1")
    got["files"]["a.yaml"] = "changed by a caller"
    assert store.get_doc("drafts", "k1")["files"]["a.yaml"] == "x: 1"


def test_all_documents_come_back_by_collection_and_key(store):
    assert store.all_docs() == {}
    store.put_doc("units", "0301", {"units": []})
    store.put_doc("drafts", "module:a", {"revision": 1})
    store.update_doc("drafts", "module:a", lambda old: {"revision": old["revision"] + 1})
    assert store.all_docs() == {"units": {"0301": {"units": []}}, "drafts": {"module:a": {"revision": 2}}}


def test_a_persons_own_documents_are_theirs_only_updated_atomically_and_removed(store):
    store.add_user(user("kari"))
    store.add_user(user("ola"))
    assert store.user_docs("kari", "notes") == {}
    store.update_user_doc("kari", "notes", "m:l:1", lambda old: {"text": "Første", "n": 0 if old is None else 9})
    store.update_user_doc("kari", "notes", "m:l:2", lambda old: {"text": "Andre"})
    new = store.update_user_doc("kari", "notes", "m:l:1", lambda old: {**old, "text": "Endret"})
    assert new == {"text": "Endret", "n": 0}
    assert store.user_docs("kari", "notes") == {"m:l:1": {"text": "Endret", "n": 0}, "m:l:2": {"text": "Andre"}}
    assert store.user_docs("ola", "notes") == {} and store.user_docs("kari", "other") == {}
    assert store.list_docs("notes") == [] and store.all_docs() == {}     # never among the shared documents
    got = store.user_docs("kari", "notes")
    got["m:l:2"]["text"] = "changed by a caller"
    assert store.user_docs("kari", "notes")["m:l:2"]["text"] == "Andre"
    assert store.update_user_doc("kari", "notes", "m:l:1", lambda old: None) is None
    assert store.update_user_doc("kari", "notes", "absent", lambda old: None) is None
    assert list(store.user_docs("kari", "notes")) == ["m:l:2"]
    in_parallel(6, lambda _: [store.update_user_doc("ola", "c", "k", lambda d: {"n": (d or {"n": 0})["n"] + 1})
                              for _ in range(5)])
    assert store.user_docs("ola", "c") == {"k": {"n": 30}}


def test_versions_change_on_writes_only(store):
    before, docs_before = store.data_version(), store.docs_version()
    store.add_user(user("anne"))
    after = store.data_version()
    store.list_users(), store.progress_for("x"), store.list_docs("d")
    assert after != before and store.data_version() == after and store.docs_version() == docs_before
    store.update_progress("u", "m", lambda _: progress("m"))
    assert store.data_version() not in (before, after)
    store.put_doc("d", "k", {"a": 1})
    assert store.docs_version() != docs_before


def test_the_report_version_moves_with_what_reports_read_not_with_sign_ins(store):
    store.add_user(user("anne"))
    before = store.report_version()
    store.set_login_state("0301-anne", LoginState(failures=1))
    store.update_login_state("0301-anne", lambda s: LoginState())
    store.revoke_sessions("0301-anne", NOW)
    store.append_audit(entry(NOW))
    store.update_user_doc("0301-anne", "notes", "k", lambda _: {"text": "mine"})
    assert store.report_version() == before and store.data_version() != before
    seen = {before}
    for write in (lambda: store.update_progress("0301-anne", "m", lambda _: progress("m")),
                  lambda: store.update_attempt("0301-anne", "a", lambda _: attempt("a")),
                  lambda: store.bulk_load_state({"0301-anne": ([progress("m")], [])}),
                  lambda: store.update_user("0301-anne", lambda u: u.model_copy(update={"unit": "Ny"})),
                  lambda: store.add_users([user("per")]),
                  lambda: store.add_assignment(Assignment(id="x", module_id="m", municipality="0301",
                                                          deadline=NOW.date(), created_by="0301-anne",
                                                          created_at=NOW)),
                  lambda: store.put_doc("d", "k", {"a": 1})):
        write()
        assert store.report_version() not in seen
        seen.add(store.report_version())


# --- one unit of work over several documents --------------------------------------------
def test_a_unit_of_work_writes_every_document_and_returns_them(store):
    store.put_doc("drafts", "quiz:a", {"status": "review", "revision": 3})
    before, docs_before = store.data_version(), store.docs_version()
    written = store.update_docs({
        ("versions", "quiz:a:000002"): lambda old: {"version": 2, "was": old},
        ("drafts", "quiz:a"): lambda old: {**old, "status": "published", "revision": old["revision"] + 1},
    })
    assert written == {("drafts", "quiz:a"): {"status": "published", "revision": 4},
                       ("versions", "quiz:a:000002"): {"version": 2, "was": None}}
    assert store.get_doc("drafts", "quiz:a") == {"status": "published", "revision": 4}
    assert store.list_docs("versions") == [{"version": 2, "was": None}]
    assert store.data_version() != before and store.docs_version() != docs_before


def test_a_failure_in_the_middle_of_a_unit_of_work_writes_nothing(store):
    store.put_doc("drafts", "a", {"n": 1})
    store.put_doc("drafts", "c", {"n": 1})
    before, versions = store.all_docs(), (store.data_version(), store.docs_version())
    seen = []

    def refuse(old):
        seen.append(old)
        raise ValueError("stale")

    with pytest.raises(ValueError, match="stale"):  # keys run in order: a and b changed first, then c refuses
        store.update_docs({("drafts", "c"): refuse, ("drafts", "a"): lambda old: {"n": old["n"] + 1},
                           ("drafts", "b"): lambda old: {"n": 1}, ("other", "z"): lambda old: {"n": 1}})
    assert seen == [{"n": 1}]
    assert store.all_docs() == before and (store.data_version(), store.docs_version()) == versions
    store.update_doc("drafts", "a", lambda old: {"n": old["n"] + 1})  # nothing is left locked
    assert store.get_doc("drafts", "a") == {"n": 2} and store.get_doc("drafts", "b") is None


def test_parallel_units_of_work_are_never_seen_half_done(store):
    """Two documents moved together by 7 threads while one reads them: never one without the other."""
    def bump(old):
        return {"n": (old or {"n": 0})["n"] + 1}

    def work(i: int) -> int:
        if i > 0:
            for _ in range(5):
                store.update_docs({("c", "x"): bump, ("c", "y"): bump})
            return 0
        torn = 0
        for _ in range(60):
            docs = store.all_docs().get("c", {})
            torn += docs.get("x") != docs.get("y")
        return torn

    assert sum(in_parallel(8, work)) == 0
    assert store.get_doc("c", "x") == store.get_doc("c", "y") == {"n": 35}


# --- audit log -------------------------------------------------------------------------
def test_audit_entries_come_back_in_order_filtered_and_are_pruned(store):
    old, new = entry(NOW - timedelta(days=400), target="x"), entry(NOW, AuditAction.EXPORTED, municipality="0301",
                                                                  details={"rows": 3, "format": "csv"})
    store.append_audit(old)
    store.append_audit(new)
    assert store.audit_entries() == [old, new]
    assert store.audit_entries(lambda e: e.municipality == "0301") == [new]
    assert store.prune_audit(NOW - timedelta(days=365)) == 1
    assert store.audit_entries() == [new] and store.prune_audit(NOW - timedelta(days=365)) == 0


# --- concurrency: what the services rely on --------------------------------------------
def test_parallel_sign_in_attempts_are_counted_exactly(store):
    in_parallel(16, lambda _: store.update_login_state("u", lambda s: s.model_copy(update={"failures": s.failures + 1})))
    assert store.login_state("u").failures == 16


def test_parallel_first_run_set_ups_add_one_user(store):
    added = in_parallel(8, lambda i: store.add_first_user(user(f"admin{i}", role=Role.ADMIN)))
    assert added.count(True) == 1 and len(store.list_users()) == 1


def test_parallel_progress_writes_lose_nothing(store):
    def read(i: int) -> None:
        for n in range(5):
            store.update_progress("u", "shared", lambda p, i=i, n=n: progress(
                "shared", lessons_read=[*(p.lessons_read if p else []), f"{i}-{n}"]))
            store.update_progress("u", f"own-{i}", lambda p, n=n: progress(f"own-{i}", lessons_read=[str(n)]))

    in_parallel(8, read)
    state = store.progress_for("u")
    assert len(state["shared"].lessons_read) == 40 and len(set(state["shared"].lessons_read)) == 40
    assert len(state) == 9


def test_parallel_document_updates_lose_nothing(store):
    in_parallel(8, lambda _: [store.update_doc("c", "k", lambda d: {"n": (d or {"n": 0})["n"] + 1}) for _ in range(5)])
    assert store.get_doc("c", "k") == {"n": 40}


# --- PostgreSQL only --------------------------------------------------------------------
def test_an_unreachable_database_is_a_domain_error(postgres_cluster):
    from learning.storage.postgres_repo import PostgresRepository

    with pytest.raises(StorageUnavailable) as raised:
        PostgresRepository("postgresql://postgres@127.0.0.1:1/nothing?connect_timeout=1", timeout=1)
    assert "127.0.0.1:1/nothing" in str(raised.value) and raised.value.key == "database.unavailable"


def test_migrations_apply_once_and_are_recorded(postgres_url):
    import psycopg

    from learning.storage import pg_schema

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert pg_schema.migrate(conn) == [] and pg_schema.pending(conn) == []
        versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [v for v, _, _ in pg_schema.MIGRATIONS]


def test_another_process_sees_writes_through_the_change_counter(postgres_url):
    from learning.storage.postgres_repo import PostgresRepository

    one, two = PostgresRepository(postgres_url, pool_size=1), PostgresRepository(postgres_url, pool_size=1)
    try:
        before = two.data_version()
        one.update_progress("u", "m", lambda _: progress("m"))
        assert two.data_version() > before and "m" in two.progress_for("u")
    finally:
        one.close()
        two.close()


def test_report_figures_follow_changes_to_a_user_and_their_progress(store):
    report_world(store)
    store.update_user("0301-Zara", lambda u: u.model_copy(update={"active": False}))
    store.update_user("0301-bjørn", lambda u: u.model_copy(update={"unit": "Solsikken", "name": "Albert"}))
    store.update_progress("0301-Øystein", "m2", lambda _: progress("m2", completed_at=NOW))
    groups = {(g.service_area, g.unit): g.staff for g in store.staff_groups(OSLO_ALL)}
    assert groups == {(ServiceArea.SKOLE, "Bjørkelia"): 1, (ServiceArea.SKOLE, "Solsikken"): 1,
                      (ServiceArea.BARNEHAGE, "Solsikken"): 2}
    figures = store.completion_figures(OSLO_ALL, MODULES, [])
    assert figures.completed[(ServiceArea.BARNEHAGE, "Solsikken", "m2")] == 1   # Øystein, not Zara
    assert figures.completed[(ServiceArea.SKOLE, "Solsikken", "m1")] == 1    # Bjørn's completion moved with him
    assert (figures.started, figures.completed_any) == (3, 3)
    store.update_progress("0301-åse", "m1", lambda p: p.model_copy(update={"completed_at": None}))  # a restart
    again = store.completion_figures(OSLO_ALL, MODULES, [])
    assert (ServiceArea.SKOLE, "Bjørkelia", "m1") not in again.completed and again.completed_any == 2
    assert again.weekly == {date(2026, 3, 2): 2}
    assert store.network_figures(MODULES).completed[("0301", "m1")] == 1
    assert [m.name for m in store.staff_page(OSLO_ALL, StaffQuery()).members][0] == "Albert"
    store.update_attempt("0301-Øystein", "o1", lambda _: attempt("o1", path=[
        StepChoice(step_id="s9", choice_index=3, points=0, max_points=1)]))
    assert store.first_attempts(OSLO_ALL)["q"].picks[("s9", 3)] == 1


def test_last_activity_counts_only_the_modules_asked_for_on_every_page(store):
    """Activity in a module outside the list (a retired one) is the latest for Ærlig: it must not count."""
    report_world(store)
    store.bulk_load_state({"0301-ærlig": ([progress("gone", updated_at=NOW + timedelta(days=1)),
                                           progress("m1", updated_at=NOW - timedelta(days=50))], [])})
    order = ["Bjørn", "Zara", "Åse", "Ærlig", "Øystein"]
    for size in (1, 2, 5):
        pages = [store.staff_page(OSLO_ALL, StaffQuery(sort=StaffSort.LAST_ACTIVE, modules=MODULES,
                                                        offset=start, limit=size))
                 for start in range(0, 5, size)]
        assert [m.name for page in pages for m in page.members] == order and {p.total for p in pages} == {5}
    only_gone = store.staff_page(OSLO_ALL, StaffQuery(sort=StaffSort.LAST_ACTIVE, modules=("gone",), limit=2))
    assert [m.name for m in only_gone.members] == ["Ærlig", "Bjørn"]
    store.update_progress("0301-Øystein", "m2", lambda _: progress("m2", updated_at=NOW + timedelta(days=2)))
    first = store.staff_page(OSLO_ALL, StaffQuery(sort=StaffSort.LAST_ACTIVE, modules=MODULES, limit=1))
    assert [m.name for m in first.members] == ["Øystein"]


def test_first_attempts_follow_earlier_attempts_moves_and_replaced_state(store):
    report_world(store)
    other = [StepChoice(step_id="s1", choice_index=0, points=0, max_points=2)]
    # An attempt that started before åse's first (a1) becomes her first: her old picks leave the counts.
    store.update_attempt("0301-åse", "a0", lambda _: attempt("a0", NOW - timedelta(days=90), path=other))
    assert store.first_attempts(OSLO_ALL)["q"].picks == {("s1", 0): 1, ("s1", 1): 1}
    # She moves to Bergen: her first attempt goes with her; she stops counting as staff: it leaves.
    store.update_user("0301-åse", lambda u: u.model_copy(update={"municipality": "4601"}))
    assert store.first_attempts(OSLO_ALL)["q"].picks == {("s1", 1): 1}
    assert store.first_attempts(StaffScope("4601")) == {"q": FirstAttempts(1, {("s1", 0): 1})}
    store.update_user("0301-åse", lambda u: u.model_copy(update={"active": False}))
    assert store.first_attempts(StaffScope("4601")) == {}
    # Replacing bjørn's attempts (a bulk load) replaces his counted first path; a new user brings theirs.
    store.bulk_load_state({"0301-bjørn": ([], [attempt("b9", NOW, path=other)])})
    store.bulk_load_state({"0301-ny": ([], [attempt("n1", NOW, path=other)])})
    store.add_users([user("ny")])
    firsts = store.first_attempts(OSLO_ALL)["q"]
    assert (firsts.persons, firsts.picks) == (2, {("s1", 0): 2})
    skole = store.first_attempts(StaffScope("0301", ServiceArea.SKOLE))["q"]
    assert (skole.persons, skole.picks) == (1, {("s1", 0): 1})   # ny is in kindergarten (user()'s default)


def test_progress_stored_before_its_user_counts_once_the_user_arrives(store):
    """seed-demo and copy-data load progress first, then the users."""
    store.bulk_load_state({"0301-sen": ([progress("m1", completed_at=NOW), progress("m2", updated_at=NOW)], [])})
    store.add_users([user("sen"), user("tidlig")])
    figures = store.completion_figures(OSLO_ALL, MODULES, [])
    assert (figures.started, figures.completed_any) == (1, 1)
    last = store.staff_page(OSLO_ALL, StaffQuery(sort=StaffSort.LAST_ACTIVE, modules=MODULES, limit=1))
    assert [m.name for m in last.members] == ["Sen"]
