"""Team sessions: recorded by a leader, shown as attendance apart from completion, in history and export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from learning.errors import UserError
from learning.services import exports
from learning.services.authz import PermissionDenied
from learning.services.gdpr import PersonalDataService, own_data_markdown
from learning.services.reports import ReportService
from learning.services.team_sessions import TeamSessionService

from .helpers import NOW
from .reports_fixtures import BERGEN, MODULE, OSLO, build_world


@pytest.fixture
def world(repo, fixture_content):
    return build_world(repo)


@pytest.fixture
def sessions(world, fixture_content):
    return TeamSessionService(world.repo, fixture_content, clock=lambda: NOW)


def test_attendance_is_in_history_export_and_figures_but_not_completion(world, sessions, repo, fixture_content):
    manager = world["leder-oslo"]
    people = [world["oslo-skole-5"], world["oslo-bhg-1"]]        # neither has completed the module
    session = sessions.record(manager, municipality=OSLO, module_id=MODULE, day=NOW.date() - timedelta(days=2),
                              unit="Bjørkelia skole", facilitator="  Fasilitator  Fiktiv ",
                              attendees=[p.id for p in people] + [people[0].id])
    assert session.attendees == [p.id for p in people] and session.facilitator == "Fasilitator Fiktiv"
    assert [s.id for s in sessions.mine(people[0])] == [session.id]
    assert sessions.mine(world["oslo-skole-0"]) == []
    board = ReportService(repo, fixture_content, clock=lambda: NOW).dashboard(manager, OSLO)
    reports = ReportService(repo, fixture_content, clock=lambda: NOW)
    rows = list(reports.staff_rows(manager, OSLO))
    assert rows and all(r.modules[MODULE].status != "completed" for r in rows
                        if r.user_id in session.attendees)                # attending is not completing
    attended = reports.staff_among(manager, OSLO, sessions.attendees(manager, OSLO))
    assert (len(attended), board.headline.staff) == (2, 9)
    table = sessions.sessions_table(manager, OSLO, {MODULE: "Prøvemodul"})
    text = exports.to_csv(table).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Dato", "Modul", "Enhet for samlingen", "Fasilitator"]
    assert sorted(r[4] for r in rows[1:]) == ["Oslo-Bhg-1", "Oslo-Skole-5"]
    own = PersonalDataService(repo).own_data(people[0])
    assert own["team_sessions"][0]["module_id"] == MODULE
    assert "Fasilitator Fiktiv" in own_data_markdown(own, {MODULE: "Prøvemodul"})


def test_who_may_record_and_see_sessions(world, sessions):
    day = NOW.date()
    oslo_staff = world["oslo-skole-1"].id
    with pytest.raises(PermissionDenied):
        sessions.record(world["leder-bergen"], municipality=OSLO, module_id=MODULE, day=day, unit="",
                        facilitator="F", attendees=[oslo_staff])
    with pytest.raises(PermissionDenied):                 # Bergen's leader cannot list an Oslo person
        sessions.record(world["leder-bergen"], municipality=BERGEN, module_id=MODULE, day=day, unit="",
                        facilitator="F", attendees=[oslo_staff])
    with pytest.raises(PermissionDenied):                 # a learner records nothing
        sessions.record(world["oslo-skole-0"], municipality=OSLO, module_id=MODULE, day=day, unit="",
                        facilitator="F", attendees=[oslo_staff])
    with pytest.raises(PermissionDenied):                 # the school leader cannot list kindergarten staff
        sessions.record(world["leder-oslo-skole"], municipality=OSLO, module_id=MODULE, day=day, unit="",
                        facilitator="F", attendees=[world["oslo-bhg-0"].id])
    for kwargs, key in (({"day": day + timedelta(days=1)}, "sessions.day_range"),
                        ({"facilitator": " "}, "sessions.need_facilitator"),
                        ({"attendees": []}, "sessions.need_attendees"),
                        ({"unit": "Ukjent skole"}, "units.unknown")):
        fields = {"municipality": OSLO, "module_id": MODULE, "day": day, "unit": "", "facilitator": "F",
                  "attendees": [oslo_staff], **kwargs}
        with pytest.raises(UserError) as error:
            sessions.record(world["leder-oslo"], **fields)
        assert error.value.key == key
    mixed = sessions.record(world["leder-oslo"], municipality=OSLO, module_id=MODULE, day=day, unit="",
                            facilitator="F", attendees=[oslo_staff, world["oslo-bhg-0"].id])
    assert sessions.list(world["leder-oslo-skole"], OSLO)[0].attendees == [oslo_staff]   # only their area
    sessions.delete(world["leder-oslo"], mixed.id)
    assert sessions.list(world["leder-oslo"], OSLO) == [] and sessions.mine(world["oslo-skole-1"]) == []


@pytest.mark.tinydb_only  # the page flow; the store is covered by the service tests
def test_a_leader_records_a_session_in_the_app_and_it_shows_in_figures_drill_down_and_export(
        data_dir, fixture_content, served):
    from tests.apptest_helpers import click, goto, show_view
    from tests.stores import open_store
    from tests.test_app_manager import as_user

    world = build_world(open_store(data_dir))
    at = goto(as_user("leder-oslo"), "leder")
    assert any("0 av 9 ansatte har deltatt på minst én samling" in m.value for m in at.markdown)
    show_view(at, "sessions")
    next(x for x in at.text_input if x.label == "Fasilitator").input("Fasilitator Fiktiv")
    people = next(x for x in at.multiselect if x.label == "Deltakere")
    people.select(world["oslo-skole-2"].id).select(world["oslo-bhg-2"].id)
    click(at, "Lagre samlingen")
    assert any("Samlingen er lagret med 2 deltakere" in s.value for s in at.success)
    show_view(at, "overview")
    assert any("2 av 9 ansatte har deltatt på minst én samling" in m.value for m in at.markdown)
    show_view(at, "export")
    rows = served["mittliv-0301-samlinger.csv"]().decode("utf-8-sig").splitlines()
    assert len(rows) == 3 and "Fasilitator Fiktiv" in rows[1]
    show_view(at, "staff")
    chooser = next(x for x in at.selectbox if x.label == "Velg person")
    chooser.select(world["oslo-skole-2"].id).run()
    assert "Deltatt på samling" in [m.value.strip("*") for m in at.markdown]
