"""PostgreSQL's report columns: the migration fills them exactly as the adapter writes them."""

from __future__ import annotations

import psycopg

from learning.content.models import ServiceArea
from learning.records import Role
from learning.storage import pg_schema
from learning.storage.postgres_repo import PostgresRepository
from learning.storage.read_models import StaffQuery, StaffScope

from .test_repository_contract import report_world, user

COLUMNS = "id, staff, service_area, unit, name_key, unit_key"


def test_migration_fills_report_columns_as_the_adapter_writes_them(postgres_url):
    repo = PostgresRepository(postgres_url, pool_size=2)
    try:
        report_world(repo)
        repo.add_users([user("leder", role=Role.MANAGER, service_area=ServiceArea.SKOLE),
                        user("forfatter", role=Role.AUTHOR)])
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            written = conn.execute(f"SELECT {COLUMNS} FROM users ORDER BY id").fetchall()
            conn.execute("UPDATE users SET staff = false, service_area = NULL, unit = '', name_key = '', unit_key = ''")
            with conn.transaction():
                pg_schema.MIGRATIONS[3][2](conn)   # migration 4: the users' data step
            assert conn.execute(f"SELECT {COLUMNS} FROM users ORDER BY id").fetchall() == written
        assert sum(staff for _, staff, *_ in written) == 7   # 5 in Oslo, the placed leader, 1 in Bergen
        assert repo.staff_page(StaffScope("0301"), StaffQuery()).total == 6
    finally:
        repo.close()
