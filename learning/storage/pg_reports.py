"""The report read models on PostgreSQL: GROUP BY queries over the report columns (migrations 3-5).

The dashboard and the network view read summary tables (completions per place, module and
week; staff per place) that triggers keep in the same transaction as each write (migration 6),
and quiz insight reads first attempts counted per place, step and choice (migration 8),
so their cost follows the number of units and weeks, not of staff; nothing is sent to the app
process per person except the one page of people it shows. Each report runs
in one REPEATABLE READ transaction, so its queries see one snapshot. The domain rules
arrive as data: the scope (``users.staff`` is ``counts_as_staff`` written beside each user)
and the duty rules the service worked out from the assignments.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from learning.content.models import ServiceArea
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

# A person of a rule's group owes its module unless they completed it at or after counts_from.
_OWES = """r.service_area IS NOT DISTINCT FROM u.service_area AND r.unit = u.unit
    AND NOT EXISTS (SELECT 1 FROM progress d WHERE d.user_id = u.id AND d.module_id = r.module_id
                    AND d.completed_at IS NOT NULL AND (r.counts_from IS NULL OR d.completed_at >= r.counts_from))"""
_RULES = ("rules AS (SELECT * FROM unnest(%(r_area)s::text[], %(r_unit)s::text[], %(r_module)s::text[], "
          "%(r_from)s::timestamptz[]) AS r(service_area, unit, module_id, counts_from))")
_ORDER = {
    StaffSort.NAME: 'u.name_key, u.id COLLATE "C"',
    StaffSort.UNIT: 'u.unit_key, u.name_key, u.id COLLATE "C"',
    StaffSort.COMPLETED: 's.done DESC, u.name_key, u.id COLLATE "C"',
    StaffSort.LAST_ACTIVE: 's.last DESC NULLS LAST, u.name_key, u.id COLLATE "C"',
}


def _area(value: str | None) -> ServiceArea | None:
    return ServiceArea(value) if value else None


def _where(scope: StaffScope, params: dict[str, Any], prefix: str, first: str) -> str:
    where = [first]
    if scope.municipality is not None:
        where.append(f"{prefix}municipality = %(municipality)s")
        params["municipality"] = scope.municipality
    if scope.service_area is not None:
        where.append(f"{prefix}service_area = %(scope_area)s")
        params["scope_area"] = scope.service_area.value
    return " AND ".join(where)


def _scope(scope: StaffScope, params: dict[str, Any]) -> str:
    """The scope on ``users u``: staff only."""
    return _where(scope, params, "u.", "u.staff")


def _summary(scope: StaffScope, params: dict[str, Any]) -> str:
    """The scope on a summary table (staff only by construction; '' is no service area)."""
    return _where(scope, params, "", "true")


def _rule_params(rules: Sequence[DutyRule], params: dict[str, Any]) -> None:
    params.update(r_area=[r.service_area.value if r.service_area else None for r in rules],
                  r_unit=[r.unit for r in rules], r_module=[r.module_id for r in rules],
                  r_from=[r.counts_from for r in rules])


def like_pattern(text: str) -> str:
    """``text`` anywhere, for LIKE: its own %, _ and \\ taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_WALK_LIMIT = 5000  # rows read along users.last_active before the page is sorted by a full scan instead


def _walk_last_active(conn: psycopg.Connection, select: str, condition: str, params: dict[str, Any],
                      wanted: int) -> list[tuple] | None:
    """The first ``wanted`` rows by last activity in ``modules``, read along the index on ``users.last_active``.

    ``last_active`` is the latest update in ANY module (migration 8), so a person's activity in the
    modules counted is never later: read in ``last_active`` order, every row not yet read sorts after
    the last row read, and a row read whose own key sorts at or before that row's is in its final
    place. Usually (no progress outside the catalog) every row read is; else more rows are read, and
    past ``_WALK_LIMIT`` the caller sorts by a full scan (None).
    """
    walk = max(wanted, 1)
    while walk <= _WALK_LIMIT:
        found = conn.execute(f"""{select} u.id, u.doc->>'name', u.unit, u.service_area, u.municipality,
                u.last_active, s.last, u.name_key, u.id
            FROM users u LEFT JOIN LATERAL (SELECT max(p.updated_at) AS last FROM progress p
                                            WHERE p.user_id = u.id AND p.module_id = ANY(%(modules)s)) s ON true
            WHERE {condition} ORDER BY u.last_active DESC NULLS LAST, u.name_key, u.id COLLATE "C"
            LIMIT %(walk)s""", {**params, "walk": walk}).fetchall()
        ordered = sorted(found, key=lambda row: _recent_first(row[6], row[7], row[8]))
        if len(found) < walk:  # every match was read
            return [row[:5] for row in ordered]
        bound = _recent_first(found[-1][5], found[-1][7], found[-1][8])
        settled = [row[:5] for row in ordered if _recent_first(row[6], row[7], row[8]) <= bound]
        if len(settled) >= wanted:
            return settled
        walk *= 4
    return None


def _recent_first(last: datetime | None, name: str, user_id: str) -> tuple:
    """The sort key of ``StaffSort.LAST_ACTIVE`` in Python: most recent first, never active last, then by
    name key and id (compared by code point, as PostgreSQL's "C" collation compares UTF-8 bytes)."""
    return (1, 0, name, user_id) if last is None else (0, -((last - _EPOCH) // _MICROSECOND), name, user_id)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class PostgresReports:
    """Mixed into ``PostgresRepository`` (which gives ``_conn``)."""

    def _conn(self) -> Any:
        raise NotImplementedError

    @contextmanager
    def _snapshot(self) -> Iterator[psycopg.Connection]:
        with self._conn() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            conn.execute("SET LOCAL jit = off")  # compiling costs more than these short queries take
            yield conn

    def municipalities(self) -> list[str]:
        with self._snapshot() as conn:
            return sorted(m for (m,) in conn.execute("SELECT DISTINCT municipality FROM users"))

    def staff_groups(self, scope: StaffScope) -> list[StaffGroup]:
        params: dict[str, Any] = {}
        query = f"SELECT service_area, unit, n FROM staff_counts WHERE {_summary(scope, params)} AND n > 0"
        with self._snapshot() as conn:
            return [StaffGroup(_area(area), unit, n) for area, unit, n in conn.execute(query, params)]

    def completion_figures(self, scope: StaffScope, modules: Sequence[str],
                           rules: Sequence[DutyRule]) -> CompletionFigures:
        """Read from the summary tables (migration 6), plus one index-only pass for who started."""
        params: dict[str, Any] = {"modules": list(modules)}
        summary = _summary(scope, params)
        where = _scope(scope, params)
        with self._snapshot() as conn:
            staff = {(_area(a), unit): n for a, unit, n in conn.execute(
                f"SELECT service_area, unit, n FROM staff_counts WHERE {summary} AND n > 0", params)}
            completed: dict[tuple, int] = {}
            weekly: dict[date, int] = {}
            for area, unit, module_id, week, by_week, n in conn.execute(f"""
                    SELECT service_area, unit, module_id, week, GROUPING(module_id), sum(n)::bigint
                    FROM completion_counts WHERE {summary} AND module_id = ANY(%(modules)s)
                    GROUP BY GROUPING SETS ((service_area, unit, module_id), (week)) HAVING sum(n) <> 0""", params):
                if by_week:
                    weekly[week] = n
                else:
                    completed[(_area(area), unit, module_id)] = n
            started, completed_any = conn.execute(f"""
                SELECT count(*) FILTER (WHERE u.started && %(modules)s::text[]),
                       count(*) FILTER (WHERE u.completed && %(modules)s::text[])
                FROM users u WHERE {where}""", params).fetchone() or (0, 0)  # an aggregate: always one row
            overdue = 0
            if rules:
                _rule_params(rules, params)
                overdue = conn.execute(f"""WITH {_RULES}
                    SELECT count(*) FROM users u WHERE {where} AND EXISTS (SELECT 1 FROM rules r WHERE {_OWES})""",
                    params).fetchall()[0][0]
        return CompletionFigures(staff, completed, started, completed_any, overdue, weekly)

    def network_figures(self, modules: Sequence[str]) -> NetworkFigures:
        with self._snapshot() as conn:
            staff = dict(conn.execute(
                "SELECT municipality, sum(n)::bigint FROM staff_counts GROUP BY 1 HAVING sum(n) > 0").fetchall())
            completed = {(m, module_id): n for m, module_id, n in conn.execute("""
                SELECT municipality, module_id, sum(n)::bigint FROM completion_counts WHERE module_id = ANY(%s)
                GROUP BY 1, 2 HAVING sum(n) <> 0""", (list(modules),))}
        return NetworkFigures(staff, completed)

    def first_attempts(self, scope: StaffScope) -> dict[str, FirstAttempts]:
        """Read from the first-attempt summary (migration 8): step '' with choice -1 counts the persons."""
        params: dict[str, Any] = {}
        persons: dict[str, int] = {}
        picks: dict[str, dict[tuple[str, int], int]] = {}
        with self._snapshot() as conn:
            for quiz_id, step, choice, n in conn.execute(f"""
                    SELECT quiz_id, step, choice, sum(n)::bigint FROM first_choice_counts
                    WHERE {_summary(scope, params)} GROUP BY 1, 2, 3 HAVING sum(n) <> 0""", params):
                if choice < 0:
                    persons[quiz_id] = n
                else:
                    picks.setdefault(quiz_id, {})[(step, choice)] = n
        return {quiz_id: FirstAttempts(n, picks.get(quiz_id, {})) for quiz_id, n in persons.items()}

    def staff_page(self, scope: StaffScope, query: StaffQuery) -> StaffPage:
        params: dict[str, Any] = {"modules": list(query.modules), "module": query.module_id}
        where = [_scope(scope, params)]
        search = name_key(query.search.strip())
        if search:
            where.append("u.name_key LIKE %(search)s")
            params["search"] = like_pattern(search)
        if query.areas:
            where.append("u.service_area = ANY(%(areas)s)")
            params["areas"] = [a.value for a in query.areas]
        if query.units:
            where.append("u.unit = ANY(%(units)s)")
            params["units"] = list(query.units)
        with_rules = ""
        if query.status == ModuleStatus.OVERDUE:
            _rule_params(query.rules, params)
            with_rules = f"WITH {_RULES} "
            module = "AND r.module_id = %(module)s" if query.module_id else ""
            where.append(f"EXISTS (SELECT 1 FROM rules r WHERE {_OWES} {module})")
        elif query.status is not None and query.module_id is not None:
            found = "EXISTS (SELECT 1 FROM progress f WHERE f.user_id = u.id AND f.module_id = %(module)s{})"
            where.append({ModuleStatus.NOT_STARTED: "NOT " + found.format(""),
                          ModuleStatus.IN_PROGRESS: found.format(" AND f.completed_at IS NULL"),
                          ModuleStatus.COMPLETED: found.format(" AND f.completed_at IS NOT NULL")}[query.status])
        condition = " AND ".join(where)
        summary = ""
        if query.sort in (StaffSort.COMPLETED, StaffSort.LAST_ACTIVE):
            summary = """LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE p.completed_at IS NOT NULL) AS done,
                                                   max(p.updated_at) AS last
                                            FROM progress p WHERE p.user_id = u.id AND p.module_id = ANY(%(modules)s)
                                           ) s ON true"""
        params.update(limit=query.limit, offset=query.offset)
        with self._snapshot() as conn:
            if search or query.status is not None:
                total = conn.execute(f"{with_rules}SELECT count(*) FROM users u WHERE {condition}",
                                     params).fetchall()[0][0]
            else:  # placement filters only: the staff summary has the count
                total = conn.execute(f"""SELECT coalesce(sum(n), 0)::bigint FROM staff_counts
                    WHERE {_summary(scope, params)} AND (%(areas)s::text[] IS NULL OR service_area = ANY(%(areas)s))
                    AND (%(units)s::text[] IS NULL OR unit = ANY(%(units)s))""",
                                     {"areas": None, "units": None, **params}).fetchall()[0][0]
            rows = None
            if query.sort == StaffSort.LAST_ACTIVE and query.limit is not None:
                end = query.offset + query.limit
                walked = _walk_last_active(conn, f"{with_rules}SELECT", condition, params, end)
                rows = None if walked is None else walked[query.offset:end]
            if rows is None:
                rows = conn.execute(f"""{with_rules}SELECT u.id, u.doc->>'name', u.unit, u.service_area, u.municipality
                    FROM users u {summary} WHERE {condition} ORDER BY {_ORDER[query.sort]}
                    LIMIT %(limit)s OFFSET %(offset)s""", params).fetchall()
        return StaffPage(tuple(StaffMember(uid, name, unit, _area(area), m) for uid, name, unit, area, m in rows),
                         total)

    def person_records(self, user_ids: Sequence[str], modules: Sequence[str]) -> dict[str, PersonRecord]:
        ids = list(dict.fromkeys(user_ids))
        with self._snapshot() as conn:
            members = {uid: StaffMember(uid, name, unit, _area(area), m) for uid, name, unit, area, m in conn.execute(
                "SELECT id, doc->>'name', unit, service_area, municipality FROM users WHERE id = ANY(%s)", (ids,))}
            finished = {(uid, module_id): n for uid, module_id, n in conn.execute(
                """SELECT user_id, module_id, count(*) FROM attempts
                   WHERE user_id = ANY(%s) AND module_id = ANY(%s) AND finished GROUP BY 1, 2""", (ids, list(modules)))}
            records: dict[str, dict[str, ModuleRecord]] = {uid: {} for uid in members}
            for uid, module_id, started, updated, done, best in conn.execute(
                    """SELECT user_id, module_id, (doc->>'started_at')::timestamptz, updated_at, completed_at,
                              (doc->>'best_percent')::integer
                       FROM progress WHERE user_id = ANY(%s) AND module_id = ANY(%s)""", (ids, list(modules))):
                records[uid][module_id] = ModuleRecord(module_id, started, updated, done, best,
                                                       finished.get((uid, module_id), 0))
        order = list(modules)
        return {uid: PersonRecord(member, {m: records[uid][m] for m in order if m in records[uid]})
                for uid, member in members.items()}
