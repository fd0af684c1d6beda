"""Ids, not titles, key every table and pivot: two modules with one title render everywhere."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from openpyxl import load_workbook

from learning.content.catalog import load_catalog
from learning.records import ModuleProgress
from learning.services import exports
from learning.services.reports import ReportService
from tests.stores import open_store

from .apptest_helpers import goto, restart_app, sign_in
from .conftest import FIXTURE_CONTENT
from .helpers import NOW
from .reports_fixtures import OSLO, build_world

TWIN = "prove-modul-to"


@pytest.fixture
def twin_content(tmp_path, monkeypatch):
    """The fixture content plus a second module with the same title as the first."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    twin = root / "modules" / TWIN
    shutil.copytree(root / "modules" / "prove-modul", twin)
    yaml = (twin / "module.yaml").read_text(encoding="utf-8")
    (twin / "module.yaml").write_text(yaml.replace("id: prove-modul", f"id: {TWIN}"), encoding="utf-8")
    monkeypatch.setenv("LEARNING_CONTENT_DIR", str(root))
    catalog = load_catalog(root)
    titles = {m.meta.title for m in catalog.modules.values()}
    assert len(catalog.modules) == 2 and len(titles) == 1
    return catalog


@pytest.fixture
def world(data_dir, twin_content):
    world = build_world(open_store(data_dir))
    done = ModuleProgress(module_id=TWIN, content_version=1, lessons_read=["forste", "andre"], quiz_passed=True,
                          started_at=NOW, updated_at=NOW, completed_at=NOW, completed_version=1)
    world.repo.update_progress(world["oslo-skole-5"].id, TWIN, lambda _: done)
    return world


def test_exports_keep_two_modules_with_one_title_apart(world, data_dir, twin_content):
    reports = ReportService(open_store(data_dir), twin_content)
    board = reports.dashboard(world["leder-oslo"], OSLO)
    rows = list(reports.staff_rows(world["leder-oslo"], OSLO))
    staff = list(csv.reader(io.StringIO(exports.to_csv(exports.staff_table(board, rows)).decode("utf-8-sig")),
                            delimiter=";"))
    headers = staff[0]
    assert len(headers) == len(set(headers))
    assert {"Prøvemodul (prove-modul)", f"Prøvemodul ({TWIN})"} <= set(headers)
    twin_column = headers.index(f"Prøvemodul ({TWIN})")
    row = next(r for r in staff if r[0] == "Oslo-Skole-5")
    assert row[twin_column].startswith("Fullført")
    matrix = exports.area_matrix(board)
    assert sorted(r[0] for r in matrix.rows) == ["Prøvemodul (prove-modul)", f"Prøvemodul ({TWIN})"]
    book = load_workbook(io.BytesIO(exports.to_xlsx(exports.report_tables(board, rows))))
    assert len(book.sheetnames) == 4


def test_dashboard_and_network_render_two_modules_with_one_title(world):
    at = goto(sign_in(restart_app(), "leder-oslo", "passord123"), "leder")
    assert not at.exception, at.exception
    pivot = next(f.value for f in at.dataframe if f"Prøvemodul ({TWIN})" in f.value.columns)
    assert "Prøvemodul (prove-modul)" in pivot.columns
    net = goto(sign_in(restart_app(), "koordinator", "passord123"), "nettverk")
    assert not net.exception, net.exception
    # st.table's headers are Markdown, so the titles come escaped (as typed on the page)
    columns = next([c.replace("\\", "") for c in f.value.columns] for f in net.table
                   if "Kommune" in f.value.columns)
    assert f"Prøvemodul ({TWIN})" in columns and "Prøvemodul (prove-modul)" in columns
