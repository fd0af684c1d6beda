"""The PostgreSQL schema as numbered migrations, applied in order and recorded in ``schema_migrations``.

Why a Python list and not a migration tool: the schema is small, ships inside the package
(no data files to find), and ``migrate`` must be safe to call at every app start. A
migration is never edited once released: a change is a new entry at the end.

Records are stored as the JSON their pydantic model dumps (``doc``), so every adapter
returns the same shapes; the columns beside it are keys and what queries filter or sort on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import psycopg

Step = str | Callable[[psycopg.Connection], None]   # SQL, or Python for data SQL cannot compute alike

MIGRATIONS: tuple[tuple[int, str, Step], ...] = (
    (1, "initial", """
CREATE TABLE users (
    id text PRIMARY KEY,
    username text NOT NULL UNIQUE,
    municipality text NOT NULL,
    seq bigserial NOT NULL,
    doc jsonb NOT NULL
);
CREATE INDEX users_municipality ON users (municipality, seq);
CREATE INDEX users_seq ON users (seq);

CREATE TABLE login_state (
    user_id text PRIMARY KEY,
    doc jsonb NOT NULL
);

CREATE TABLE progress (
    user_id text NOT NULL,
    module_id text NOT NULL,
    seq bigserial NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (user_id, module_id)
);

-- Every choice of every attempt is kept: the path is the doc's "path" list.
CREATE TABLE attempts (
    user_id text NOT NULL,
    attempt_id text NOT NULL,
    quiz_id text NOT NULL,
    module_id text NOT NULL,
    seq bigserial NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (user_id, attempt_id)
);
CREATE INDEX attempts_quiz ON attempts (quiz_id);

CREATE TABLE assignments (
    id text PRIMARY KEY,
    municipality text NOT NULL,
    seq bigserial NOT NULL,
    doc jsonb NOT NULL
);

CREATE TABLE docs (
    collection text NOT NULL,
    key text NOT NULL,
    seq bigserial NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (collection, key)
);

CREATE TABLE audit_log (
    seq bigserial PRIMARY KEY,
    at timestamptz NOT NULL,
    municipality text NOT NULL DEFAULT '',
    entry jsonb NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_municipality ON audit_log (municipality, seq);

-- Browser sessions of a user issued at or before "at" no longer sign in.
CREATE TABLE session_revocations (
    user_id text PRIMARY KEY,
    at timestamptz NOT NULL
);

-- Change counters other processes read to know their caches are stale. "data" has many
-- slots so parallel writers rarely wait on the same row; "docs" counts document writes.
CREATE TABLE change_counters (
    name text NOT NULL,
    slot integer NOT NULL,
    value bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (name, slot)
);
INSERT INTO change_counters (name, slot) SELECT 'data', s FROM generate_series(0, 63) AS s;
INSERT INTO change_counters (name, slot) VALUES ('docs', 0);
"""),
    (2, "user_docs", """
-- One person's own documents (private reflection notes, e-mail settings), by collection and key.
CREATE TABLE user_docs (
    user_id text NOT NULL,
    collection text NOT NULL,
    key text NOT NULL,
    seq bigserial NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (user_id, collection, key)
);
"""),
)

def _user_columns(conn: psycopg.Connection) -> None:
    """Migration 4, the data step of migration 3: the users' report columns, by the adapter's own Python."""
    from learning.storage.postgres_repo import user_columns

    rows = conn.execute("SELECT id, doc FROM users").fetchall()
    with conn.cursor() as cur:
        cur.executemany("UPDATE users SET staff = %s, service_area = %s, unit = %s, name_key = %s, unit_key = %s "
                        "WHERE id = %s", [(*user_columns(doc), key) for key, doc in rows])


MIGRATIONS += (
    # Reports in SQL: what they filter, group and sort on, kept beside each record's JSON and written
    # in the same statement as it (users: whether they count as staff, placement, sort keys; progress:
    # its times; attempts: start, whether finished, and the choices of the path as two arrays).
    (3, "report columns", """
ALTER TABLE users
    ADD COLUMN staff boolean NOT NULL DEFAULT false,
    ADD COLUMN service_area text,
    ADD COLUMN unit text NOT NULL DEFAULT '',
    ADD COLUMN name_key text COLLATE "C" NOT NULL DEFAULT '',
    ADD COLUMN unit_key text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE progress
    ADD COLUMN updated_at timestamptz,
    ADD COLUMN completed_at timestamptz;
UPDATE progress SET updated_at = (doc->>'updated_at')::timestamptz, completed_at = (doc->>'completed_at')::timestamptz;
ALTER TABLE attempts
    ADD COLUMN started_at timestamptz,
    ADD COLUMN finished boolean NOT NULL DEFAULT false,
    ADD COLUMN path_steps text[] NOT NULL DEFAULT '{}',
    ADD COLUMN path_choices integer[] NOT NULL DEFAULT '{}';
UPDATE attempts SET started_at = (doc->>'started_at')::timestamptz,
    finished = coalesce(doc->>'finished_at', '') <> '',
    path_steps = ARRAY(SELECT e->>'step_id'
                       FROM jsonb_array_elements(doc->'path') WITH ORDINALITY AS x(e, n) ORDER BY n),
    path_choices = ARRAY(SELECT (e->>'choice_index')::integer
                         FROM jsonb_array_elements(doc->'path') WITH ORDINALITY AS x(e, n) ORDER BY n);
"""),
    (4, "report columns: users", _user_columns),
    (5, "report indexes", """
CREATE INDEX users_staff_name ON users (municipality, name_key, (id COLLATE "C")) WHERE staff;
CREATE INDEX users_staff_unit ON users (municipality, unit_key, name_key, (id COLLATE "C")) WHERE staff;
CREATE INDEX progress_completed ON progress (user_id, module_id, completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX attempts_first ON attempts (user_id, quiz_id, started_at, seq);
ANALYZE users; ANALYZE progress; ANALYZE attempts;
"""),
)

# Summary tables for reports, kept by statement-level triggers in the same transaction as every
# write to users or progress (a bulk COPY too): a report reads a few hundred counter rows instead of
# every person's progress. Completions are counted per municipality, service area ('' for none), unit,
# module and week (Monday, Norwegian time, as the dashboard's trend); staff per municipality, area and
# unit. Only users with ``staff`` (records.counts_as_staff) count. Each trigger adds its own table's
# change against the other table as it is then, so any order of writes in a transaction adds up.
# ``users.started`` / ``users.completed`` list the modules a person has progress in / has completed.
_SUMMARIES = r"""
ALTER TABLE users ADD COLUMN started text[] NOT NULL DEFAULT '{}', ADD COLUMN completed text[] NOT NULL DEFAULT '{}';
CREATE TABLE completion_counts (
    municipality text NOT NULL, service_area text NOT NULL, unit text NOT NULL, module_id text NOT NULL,
    week date NOT NULL, n bigint NOT NULL,
    PRIMARY KEY (municipality, service_area, unit, module_id, week)
);
CREATE TABLE staff_counts (
    municipality text NOT NULL, service_area text NOT NULL, unit text NOT NULL, n bigint NOT NULL,
    PRIMARY KEY (municipality, service_area, unit)
);

CREATE FUNCTION learning_week(at timestamptz) RETURNS date LANGUAGE sql IMMUTABLE
    AS $$ SELECT date_trunc('week', at AT TIME ZONE 'Europe/Oslo')::date $$;

-- Add signed completions (user_id, module_id, completed_at, delta) of staff to completion_counts.
CREATE FUNCTION learning_add_completions(changes jsonb) RETURNS void LANGUAGE sql AS $$
    INSERT INTO completion_counts AS c (municipality, service_area, unit, module_id, week, n)
    SELECT u.municipality, coalesce(u.service_area, ''), u.unit, x.module_id, learning_week(x.completed_at),
           sum(x.delta)
    FROM jsonb_to_recordset(changes) AS x(user_id text, module_id text, completed_at timestamptz, delta int)
    JOIN users u ON u.id = x.user_id AND u.staff
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(x.delta) <> 0
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (municipality, service_area, unit, module_id, week) DO UPDATE SET n = c.n + EXCLUDED.n
$$;

CREATE FUNCTION learning_progress_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changes jsonb;
    touched text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_object('user_id', user_id, 'module_id', module_id,
                                            'completed_at', completed_at, 'delta', 1))
                   FILTER (WHERE completed_at IS NOT NULL),
               array_agg(DISTINCT user_id)
        INTO changes, touched FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT jsonb_agg(jsonb_build_object('user_id', user_id, 'module_id', module_id,
                                            'completed_at', completed_at, 'delta', -1))
                   FILTER (WHERE completed_at IS NOT NULL),
               array_agg(DISTINCT user_id)
        INTO changes, touched FROM old_rows;
    ELSE
        SELECT jsonb_agg(x.change), array_agg(DISTINCT x.user_id) FILTER (WHERE x.membership)
        INTO changes, touched FROM (
            SELECT n.user_id, (o.completed_at IS NULL) <> (n.completed_at IS NULL) AS membership,
                   jsonb_build_object('user_id', o.user_id, 'module_id', o.module_id,
                                      'completed_at', o.completed_at, 'delta', -1) AS change
            FROM old_rows o JOIN new_rows n ON n.user_id = o.user_id AND n.module_id = o.module_id
            WHERE o.completed_at IS DISTINCT FROM n.completed_at AND o.completed_at IS NOT NULL
            UNION ALL
            SELECT n.user_id, (o.completed_at IS NULL) <> (n.completed_at IS NULL),
                   jsonb_build_object('user_id', n.user_id, 'module_id', n.module_id,
                                      'completed_at', n.completed_at, 'delta', 1)
            FROM old_rows o JOIN new_rows n ON n.user_id = o.user_id AND n.module_id = o.module_id
            WHERE o.completed_at IS DISTINCT FROM n.completed_at AND n.completed_at IS NOT NULL) x;
    END IF;
    IF changes IS NOT NULL THEN
        PERFORM learning_add_completions(changes);
    END IF;
    IF touched IS NOT NULL THEN
        UPDATE users u SET
            started = ARRAY(SELECT p.module_id FROM progress p WHERE p.user_id = u.id ORDER BY 1),
            completed = ARRAY(SELECT p.module_id FROM progress p WHERE p.user_id = u.id
                              AND p.completed_at IS NOT NULL ORDER BY 1)
        WHERE u.id = ANY(touched);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER progress_inserted AFTER INSERT ON progress REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_progress_changed();
CREATE TRIGGER progress_updated AFTER UPDATE ON progress REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_progress_changed();
CREATE TRIGGER progress_deleted AFTER DELETE ON progress REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_progress_changed();

-- A user's whole contribution (staff count and completions) leaves their old place and joins the new one.
CREATE FUNCTION learning_user_moved(moved jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO staff_counts AS c (municipality, service_area, unit, n)
    SELECT x.municipality, coalesce(x.service_area, ''), x.unit, sum(x.delta)
    FROM jsonb_to_recordset(moved) AS x(id text, municipality text, service_area text, unit text, delta int)
    GROUP BY 1, 2, 3 HAVING sum(x.delta) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (municipality, service_area, unit) DO UPDATE SET n = c.n + EXCLUDED.n;
    INSERT INTO completion_counts AS c (municipality, service_area, unit, module_id, week, n)
    SELECT x.municipality, coalesce(x.service_area, ''), x.unit, p.module_id, learning_week(p.completed_at),
           sum(x.delta)
    FROM jsonb_to_recordset(moved) AS x(id text, municipality text, service_area text, unit text, delta int)
    JOIN progress p ON p.user_id = x.id AND p.completed_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(x.delta) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (municipality, service_area, unit, module_id, week) DO UPDATE SET n = c.n + EXCLUDED.n;
END $$;

CREATE FUNCTION learning_users_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    moved jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_object('id', id, 'municipality', municipality, 'service_area', service_area,
                                            'unit', unit, 'delta', 1))
        INTO moved FROM new_rows WHERE staff;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT jsonb_agg(jsonb_build_object('id', id, 'municipality', municipality, 'service_area', service_area,
                                            'unit', unit, 'delta', -1))
        INTO moved FROM old_rows WHERE staff;
    ELSE
        SELECT jsonb_agg(x.change) INTO moved FROM (
            SELECT jsonb_build_object('id', o.id, 'municipality', o.municipality, 'service_area', o.service_area,
                                      'unit', o.unit, 'delta', -1) AS change
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.staff AND (NOT n.staff OR (o.municipality, o.service_area, o.unit)
                               IS DISTINCT FROM (n.municipality, n.service_area, n.unit))
            UNION ALL
            SELECT jsonb_build_object('id', n.id, 'municipality', n.municipality, 'service_area', n.service_area,
                                      'unit', n.unit, 'delta', 1)
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE n.staff AND (NOT o.staff OR (o.municipality, o.service_area, o.unit)
                               IS DISTINCT FROM (n.municipality, n.service_area, n.unit))) x;
    END IF;
    IF moved IS NOT NULL THEN
        PERFORM learning_user_moved(moved);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER users_inserted AFTER INSERT ON users REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_users_changed();
CREATE TRIGGER users_updated AFTER UPDATE ON users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_users_changed();
CREATE TRIGGER users_deleted AFTER DELETE ON users REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_users_changed();

-- What is there already.
UPDATE users u SET
    started = ARRAY(SELECT p.module_id FROM progress p WHERE p.user_id = u.id ORDER BY 1),
    completed = ARRAY(SELECT p.module_id FROM progress p WHERE p.user_id = u.id AND p.completed_at IS NOT NULL
                      ORDER BY 1)
WHERE EXISTS (SELECT 1 FROM progress p WHERE p.user_id = u.id);
INSERT INTO staff_counts SELECT municipality, coalesce(service_area, ''), unit, count(*) FROM users WHERE staff
    GROUP BY 1, 2, 3;
INSERT INTO completion_counts
    SELECT u.municipality, coalesce(u.service_area, ''), u.unit, p.module_id, learning_week(p.completed_at), count(*)
    FROM progress p JOIN users u ON u.id = p.user_id AND u.staff WHERE p.completed_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5;
CREATE INDEX users_staff_summary ON users (municipality) INCLUDE (service_area, unit, started, completed) WHERE staff;
ANALYZE users;
"""

MIGRATIONS += ((6, "report summaries", _SUMMARIES),)


def _name_search(conn: psycopg.Connection) -> None:
    """Searching staff by part of a name: a trigram index where the pg_trgm extension can be had.

    It ships with PostgreSQL (contrib) and managed services, and is trusted (the database owner
    may create it); where it cannot be created, search scans the names instead.
    """
    try:
        with conn.transaction():
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except psycopg.Error as exc:
        log.warning("pg_trgm is not available (%s): staff search scans every name", exc)
        return
    conn.execute("CREATE INDEX users_staff_search ON users USING gin (name_key gin_trgm_ops) WHERE staff")


MIGRATIONS += ((7, "staff name search", _name_search),)

# Two more report summaries, kept by statement-level triggers like migration 6's (each trigger adds its own
# table's change against the other tables as they are then):
# - ``users.last_active``: the person's latest progress update in any module. The staff page sorted by last
#   activity walks an index on it instead of reading every person's progress (pg_reports.staff_page).
# - ``quiz_firsts``: each person's first attempt per scenario (earliest start, then seq), and
#   ``first_choice_counts``: those first attempts counted per municipality, service area ('' for none),
#   scenario, step and choice, staff only; step '' with choice -1 counts the persons whose first attempt
#   has a choice. Quiz insight reads a few hundred counter rows instead of every attempt in scope.
# - the "reports" change counter: moves with writes of what reports read, not with sign-ins or the audit log.
_ACTIVITY_AND_FIRSTS = r"""
ALTER TABLE users ADD COLUMN last_active timestamptz;
UPDATE users u SET last_active = p.last
FROM (SELECT user_id, max(updated_at) AS last FROM progress GROUP BY 1) p WHERE u.id = p.user_id;

CREATE TABLE quiz_firsts (
    user_id text NOT NULL, quiz_id text NOT NULL, path_steps text[] NOT NULL, path_choices integer[] NOT NULL,
    PRIMARY KEY (user_id, quiz_id)
);
CREATE TABLE first_choice_counts (
    municipality text NOT NULL, service_area text NOT NULL, quiz_id text NOT NULL, step text NOT NULL,
    choice integer NOT NULL, n bigint NOT NULL,
    PRIMARY KEY (municipality, service_area, quiz_id, step, choice)
);
INSERT INTO quiz_firsts
    SELECT DISTINCT ON (user_id, quiz_id) user_id, quiz_id, path_steps, path_choices
    FROM attempts ORDER BY user_id, quiz_id, started_at, seq;

-- What a first path counts: its person (when it has a choice) and each of its choices.
CREATE FUNCTION learning_first_counts(steps text[], choices integer[])
    RETURNS TABLE (step text, choice integer) LANGUAGE sql IMMUTABLE AS $$
    SELECT '', -1 WHERE cardinality(steps) > 0
    UNION ALL
    SELECT s, c FROM unnest(steps, choices) AS x(s, c)
$$;

INSERT INTO first_choice_counts
    SELECT u.municipality, coalesce(u.service_area, ''), f.quiz_id, k.step, k.choice, count(*)
    FROM quiz_firsts f JOIN users u ON u.id = f.user_id AND u.staff,
         learning_first_counts(f.path_steps, f.path_choices) k
    GROUP BY 1, 2, 3, 4, 5;

-- The users whose progress changed get their latest update again.
CREATE FUNCTION learning_progress_activity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT user_id) INTO touched FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT user_id) INTO touched FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT n.user_id) INTO touched
        FROM old_rows o JOIN new_rows n ON n.user_id = o.user_id AND n.module_id = o.module_id
        WHERE o.updated_at IS DISTINCT FROM n.updated_at;
    END IF;
    IF touched IS NOT NULL THEN
        UPDATE users u SET last_active = x.last
        FROM (SELECT t.id, (SELECT max(p.updated_at) FROM progress p WHERE p.user_id = t.id) AS last
              FROM unnest(touched) AS t(id)) x
        WHERE u.id = x.id AND u.last_active IS DISTINCT FROM x.last;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER progress_activity_inserted AFTER INSERT ON progress REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_progress_activity();
CREATE TRIGGER progress_activity_updated AFTER UPDATE ON progress
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_progress_activity();
CREATE TRIGGER progress_activity_deleted AFTER DELETE ON progress REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_progress_activity();

-- The (user, scenario) pairs whose attempts changed: their first attempt is found again; the counts lose
-- the old first path and gain the new one. The users' rows are locked first, so two writers of one
-- person's attempts at once (two tabs) take turns and never both subtract the same old path.
CREATE FUNCTION learning_refresh_firsts(who text[], quizzes text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM users WHERE id = ANY(who) ORDER BY id FOR NO KEY UPDATE;
    INSERT INTO first_choice_counts AS c (municipality, service_area, quiz_id, step, choice, n)
    SELECT u.municipality, coalesce(u.service_area, ''), x.quiz_id, k.step, k.choice, sum(x.delta)
    FROM (SELECT f.user_id, f.quiz_id, f.path_steps, f.path_choices, -1 AS delta
          FROM unnest(who, quizzes) AS t(user_id, quiz_id)
          JOIN quiz_firsts f ON f.user_id = t.user_id AND f.quiz_id = t.quiz_id
          UNION ALL
          (SELECT DISTINCT ON (a.user_id, a.quiz_id) a.user_id, a.quiz_id, a.path_steps, a.path_choices, 1
           FROM unnest(who, quizzes) AS t(user_id, quiz_id)
           JOIN attempts a ON a.user_id = t.user_id AND a.quiz_id = t.quiz_id
           ORDER BY a.user_id, a.quiz_id, a.started_at, a.seq)) x
    JOIN users u ON u.id = x.user_id AND u.staff,
         learning_first_counts(x.path_steps, x.path_choices) k
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(x.delta) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (municipality, service_area, quiz_id, step, choice) DO UPDATE SET n = c.n + EXCLUDED.n;
    DELETE FROM quiz_firsts f USING unnest(who, quizzes) AS t(user_id, quiz_id)
    WHERE f.user_id = t.user_id AND f.quiz_id = t.quiz_id;
    INSERT INTO quiz_firsts
    SELECT DISTINCT ON (a.user_id, a.quiz_id) a.user_id, a.quiz_id, a.path_steps, a.path_choices
    FROM unnest(who, quizzes) AS t(user_id, quiz_id)
    JOIN attempts a ON a.user_id = t.user_id AND a.quiz_id = t.quiz_id
    ORDER BY a.user_id, a.quiz_id, a.started_at, a.seq;
END $$;

CREATE FUNCTION learning_attempts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    who text[];
    quizzes text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(user_id), array_agg(quiz_id) INTO who, quizzes
        FROM (SELECT DISTINCT user_id, quiz_id FROM new_rows) t;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(user_id), array_agg(quiz_id) INTO who, quizzes
        FROM (SELECT DISTINCT user_id, quiz_id FROM old_rows) t;
    ELSE
        SELECT array_agg(user_id), array_agg(quiz_id) INTO who, quizzes
        FROM (SELECT user_id, quiz_id FROM old_rows UNION SELECT user_id, quiz_id FROM new_rows) t;
    END IF;
    IF who IS NOT NULL THEN
        PERFORM learning_refresh_firsts(who, quizzes);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER attempts_inserted AFTER INSERT ON attempts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_attempts_changed();
CREATE TRIGGER attempts_updated AFTER UPDATE ON attempts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_attempts_changed();
CREATE TRIGGER attempts_deleted AFTER DELETE ON attempts REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_attempts_changed();

-- A user added after their progress (seed-demo and copy-data load progress first) arrives with its module
-- lists and latest update, which the progress triggers could not write to a row not yet there. Per row,
-- before the insert: an UPDATE of every new user from a statement trigger would run the users' update
-- triggers over transition tables of the whole batch.
CREATE FUNCTION learning_user_arrives() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT coalesce(array_agg(p.module_id ORDER BY p.module_id), '{}'),
           coalesce(array_agg(p.module_id ORDER BY p.module_id) FILTER (WHERE p.completed_at IS NOT NULL), '{}'),
           max(p.updated_at)
    INTO NEW.started, NEW.completed, NEW.last_active
    FROM progress p WHERE p.user_id = NEW.id;
    RETURN NEW;
END $$;
CREATE TRIGGER users_arrive BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION learning_user_arrives();

-- A user's first paths leave their old place (or staff) and join the new one.
CREATE FUNCTION learning_users_firsts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    moved jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_object('id', id, 'municipality', municipality, 'service_area', service_area,
                                            'delta', 1))
        INTO moved FROM new_rows n WHERE staff AND EXISTS (SELECT 1 FROM quiz_firsts f WHERE f.user_id = n.id);
    ELSIF TG_OP = 'DELETE' THEN
        SELECT jsonb_agg(jsonb_build_object('id', id, 'municipality', municipality, 'service_area', service_area,
                                            'delta', -1))
        INTO moved FROM old_rows o WHERE staff AND EXISTS (SELECT 1 FROM quiz_firsts f WHERE f.user_id = o.id);
    ELSE
        SELECT jsonb_agg(x.change) INTO moved FROM (
            SELECT jsonb_build_object('id', o.id, 'municipality', o.municipality, 'service_area', o.service_area,
                                      'delta', -1) AS change
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.staff AND (NOT n.staff OR (o.municipality, o.service_area)
                               IS DISTINCT FROM (n.municipality, n.service_area))
            UNION ALL
            SELECT jsonb_build_object('id', n.id, 'municipality', n.municipality, 'service_area', n.service_area,
                                      'delta', 1)
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE n.staff AND (NOT o.staff OR (o.municipality, o.service_area)
                               IS DISTINCT FROM (n.municipality, n.service_area))) x;
    END IF;
    IF moved IS NOT NULL THEN
        INSERT INTO first_choice_counts AS c (municipality, service_area, quiz_id, step, choice, n)
        SELECT x.municipality, coalesce(x.service_area, ''), f.quiz_id, k.step, k.choice, sum(x.delta)
        FROM jsonb_to_recordset(moved) AS x(id text, municipality text, service_area text, delta int)
        JOIN quiz_firsts f ON f.user_id = x.id, learning_first_counts(f.path_steps, f.path_choices) k
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(x.delta) <> 0 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (municipality, service_area, quiz_id, step, choice) DO UPDATE SET n = c.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER users_firsts_inserted AFTER INSERT ON users REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_users_firsts();
CREATE TRIGGER users_firsts_updated AFTER UPDATE ON users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_users_firsts();
CREATE TRIGGER users_firsts_deleted AFTER DELETE ON users REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learning_users_firsts();

-- The change counter of what reports read ("reports", report_version): bumped by any statement that writes
-- users, progress, attempts, assignments or documents, in its transaction; one slot per transaction (by its
-- id), so a transaction that bumps it more than once never waits on a slot another one holds.
INSERT INTO change_counters (name, slot) SELECT 'reports', s FROM generate_series(0, 63) AS s;
CREATE FUNCTION learning_reports_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_counters SET value = value + 1
    WHERE name = 'reports' AND slot = (pg_current_xact_id()::text::bigint % 64)::integer;
    RETURN NULL;
END $$;
CREATE TRIGGER users_reports_changed AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION learning_reports_changed();
CREATE TRIGGER progress_reports_changed AFTER INSERT OR UPDATE OR DELETE ON progress
    FOR EACH STATEMENT EXECUTE FUNCTION learning_reports_changed();
CREATE TRIGGER attempts_reports_changed AFTER INSERT OR UPDATE OR DELETE ON attempts
    FOR EACH STATEMENT EXECUTE FUNCTION learning_reports_changed();
CREATE TRIGGER assignments_reports_changed AFTER INSERT OR UPDATE OR DELETE ON assignments
    FOR EACH STATEMENT EXECUTE FUNCTION learning_reports_changed();
CREATE TRIGGER docs_reports_changed AFTER INSERT OR UPDATE OR DELETE ON docs
    FOR EACH STATEMENT EXECUTE FUNCTION learning_reports_changed();

CREATE INDEX users_staff_last ON users (municipality, last_active DESC NULLS LAST, name_key, (id COLLATE "C"))
    WHERE staff;
ANALYZE users; ANALYZE quiz_firsts; ANALYZE first_choice_counts;
"""

MIGRATIONS += ((8, "last activity and first attempts summaries", _ACTIVITY_AND_FIRSTS),)


def _users_page(conn: psycopg.Connection) -> None:
    """Migration 9: the users page (every role, not only staff) in name order, and name search where
    pg_trgm exists (migration 7 made it, or logged why not)."""
    conn.execute('CREATE INDEX users_name ON users (municipality, name_key, (id COLLATE "C"))')
    row = conn.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')").fetchone()
    if row and row[0]:
        conn.execute("CREATE INDEX users_name_search ON users USING gin (name_key gin_trgm_ops)")


MIGRATIONS += ((9, "users page", _users_page),)

log = logging.getLogger("learning.storage")
DATA_SLOTS = 64
_LOCK_ID = 7_102_026  # pg_advisory_lock key: one migrating process at a time


def pending(conn: psycopg.Connection) -> list[int]:
    """Versions not yet applied (all of them on an empty database)."""
    with conn.transaction():
        row = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
        exists = row is not None and row[0]
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")} if exists else set()
    return [version for version, _, _ in MIGRATIONS if version not in done]


def migrate(conn: psycopg.Connection) -> list[int]:
    """Apply every pending migration, each in its own transaction; returns the versions applied.

    A session advisory lock makes concurrent starts (several app processes, the CLI) wait
    for one another instead of applying the same migration twice.
    """
    conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK_ID,))
    try:
        with conn.transaction():
            conn.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())""")
        applied = []
        todo = set(pending(conn))
        for version, name, step in MIGRATIONS:
            if version in todo:
                with conn.transaction():
                    if callable(step):
                        step(conn)
                    else:
                        conn.execute(step)
                    conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (version, name))
                applied.append(version)
        return applied
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_ID,))
