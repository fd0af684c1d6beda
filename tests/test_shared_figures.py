"""Sessions of one scope share a view's figures; other scopes never see them; a write makes them new.

A new session used to compute its municipality's dashboard again (seconds at 20 000 staff).
Now the process keeps it per role and granted scope (``rerun_cache.shared_action``). Counted
calls of the service, not times.
"""

from __future__ import annotations

import pytest

from learning.services.reports import ReportService
from learning.ui.rerun_cache import SharedFigures
from tests.stores import open_store

from .apptest_helpers import goto, new_app, restart_app, show_view, sign_in, values
from .reports_fixtures import BERGEN, OSLO, build_world, started


@pytest.fixture
def computed(monkeypatch) -> list[tuple[str, str]]:
    """(view, municipality) each time a dashboard or a quiz insight is computed."""
    calls: list[tuple[str, str]] = []
    for name in ("dashboard", "quiz_insight"):
        real = getattr(ReportService, name)

        def counting(self, actor, municipality, real=real, name=name):
            calls.append((name, municipality))
            return real(self, actor, municipality)

        monkeypatch.setattr(ReportService, name, counting)
    return calls


def dashboard_of(username: str, *, restart: bool = False):
    at = goto(sign_in(restart_app() if restart else new_app(), username, "passord123"), "leder")
    assert not at.exception and values(at.title) == ["Oversikt for ledere"], at.exception
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_sessions_share_their_own_scope_only_and_a_write_makes_it_new(data_dir, fixture_content, computed):
    world = build_world(open_store(data_dir))
    oslo = dashboard_of("leder-oslo", restart=True)
    bergen = dashboard_of("leder-bergen")
    assert computed == [("dashboard", OSLO), ("dashboard", BERGEN)]
    assert (metrics(oslo)["Ansatte"], metrics(bergen)["Ansatte"]) == ("9", "7")  # each their own staff
    again = dashboard_of("leder-oslo")                       # a new session of the same scope: nothing computed
    assert computed == [("dashboard", OSLO), ("dashboard", BERGEN)] and metrics(again) == metrics(oslo)
    skole = dashboard_of("leder-oslo-skole")                # the same municipality, a narrower scope: its own
    assert computed[-1] == ("dashboard", OSLO) and len(computed) == 3 and metrics(skole)["Ansatte"] == "6"
    assert metrics(dashboard_of("leder-bergen"))["Ansatte"] == "7" and len(computed) == 3
    show_view(again, "insight")
    show_view(dashboard_of("leder-oslo"), "insight")
    assert computed.count(("quiz_insight", OSLO)) == 1

    world.repo.update_progress(world["oslo-bhg-1"].id, "prove-modul", lambda _: started())  # any write
    after = dashboard_of("leder-oslo")
    assert metrics(after)["Har startet"] == "7" and metrics(oslo)["Har startet"] == "6"
    assert computed[-1] == ("dashboard", OSLO) and len(computed) == 5
    bergen.run()                                            # Bergen's figures are computed anew, still its own
    assert metrics(bergen)["Ansatte"] == "7" and computed[-1] == ("dashboard", BERGEN)


def test_the_shared_figures_are_bounded_and_keep_one_version_per_key():
    shared = SharedFigures(size=2)
    store, catalog = object(), object()
    shared.put("a", store, catalog, 1, "a1")
    assert shared.get("a", store, catalog, 1) == "a1"
    assert shared.get("a", store, catalog, 2) is None        # a write moved the version on
    assert shared.get("a", object(), catalog, 1) is None     # another store (a restart, another data folder)
    assert shared.get("a", store, object(), 1) is None       # new content was published
    shared.put("a", store, catalog, 2, "a2")
    shared.put("b", store, catalog, 2, "b2")
    shared.get("a", store, catalog, 2)                       # a is used: b is the least recently used
    shared.put("c", store, catalog, 2, "c2")
    assert [shared.get(k, store, catalog, 2) for k in "abc"] == ["a2", None, "c2"]
