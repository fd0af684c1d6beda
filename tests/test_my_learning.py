"""Min læring: required modules not started are listed, a row opens its module, the version column is numeric."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pandas.api.types import is_numeric_dtype

from learning.records import Assignment
from tests.stores import open_store

from .apptest_helpers import create_first_admin, goto, new_app, restart_app, sign_in
from .test_app_learner import learner

MODULE = "prove-modul"


def test_required_not_started_is_listed_and_a_row_opens_the_module_without_starting_it(data_dir, fixture_content):
    create_first_admin(new_app())
    learner(data_dir)
    repo = open_store(data_dir)
    admin, kari = repo.find_user("anne"), repo.find_user("kari")
    now = datetime.now(UTC)
    repo.add_assignment(Assignment(id="a1", municipality="0301", module_id=MODULE, deadline=(now + timedelta(
        days=20)).date(), created_by=admin.id, created_at=now))
    at = sign_in(restart_app(), "kari", "kari-passord")
    goto(at, "min-laering")
    assert any("1 påkrevde moduler som du ikke har begynt på" in w.value for w in at.warning)
    frame = at.dataframe[0].value
    assert list(frame["Modul"]) == ["Prøvemodul"] and list(frame["Status"]) == ["Ikke startet"]
    assert list(frame["Påkrevd"])[0].startswith("frist ")
    assert is_numeric_dtype(frame["Versjon"])            # no mix of numbers and "" (an Arrow error)

    at.session_state["mine-table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert [h.value for h in at.header] == ["Første leksjon"]
    assert repo.progress_for(kari.id) == {}              # opening the page is not starting the module
