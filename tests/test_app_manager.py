"""AppTest flows for leaders: dashboard, assignment, export, network view."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from learning.content.models import ServiceArea
from learning.records import QuizAttempt, Role, StepChoice
from learning.services import exports
from learning.services.accounts import AccountService
from learning.services.reports import ReportService
from tests.stores import open_store

from .apptest_helpers import catalog_cards, click, goto, restart_app, show_view, sign_in, values
from .helpers import NOW
from .reports_fixtures import BERGEN, OSLO, build_world


@pytest.fixture
def world(data_dir, fixture_content):
    return build_world(open_store(data_dir))


def as_user(username: str):
    at = sign_in(restart_app(), username, "passord123")
    assert not at.error, values(at.error)
    return at


def frame_with(at, column: str):
    return next(f.value for f in at.dataframe if column in f.value.columns)


def test_dashboard_shows_headline_and_only_own_staff(world):
    at = goto(as_user("leder-oslo"), "leder")
    assert values(at.title) == ["Oversikt for ledere"]
    metrics = {m.label: m.value for m in at.metric}
    # 6 school and 3 kindergarten staff; the two leaders and the author are role accounts, not staff
    assert (metrics["Ansatte"], metrics["Har startet"], metrics["Fullføringsgrad"]) == ("9", "6", "67 %")
    show_view(at, "staff")
    names = set(frame_with(at, "Navn")["Navn"])
    assert "Oslo-Skole-0" in names and not any(n.startswith("Bergen") for n in names)


def test_staff_filter_and_drill_down(world):
    at = show_view(goto(as_user("leder-oslo"), "leder"), "staff")
    next(x for x in at.text_input if x.label == "Søk etter navn").input("bhg").run()
    assert sorted(frame_with(at, "Navn")["Navn"]) == ["Oslo-Bhg-0", "Oslo-Bhg-1", "Oslo-Bhg-2"]
    next(s for s in at.selectbox if s.label == "Velg person").set_value(world["oslo-bhg-0"].id).run()
    detail = frame_with(at, "Beste scenarioresultat")
    assert list(detail["Status"]) == ["Fullført"] and list(detail["Beste scenarioresultat"]) == ["100 %"]


def test_assign_module_reaches_exactly_the_learners_in_that_area(world):
    at = show_view(goto(as_user("leder-oslo"), "leder"), "assign")
    # The scope is chosen first (it decides the form's fields); the form's widgets are sent on submit.
    next(r for r in at.radio if r.label == "Hvem gjelder det?").set_value("area").run()
    next(s for s in at.selectbox if s.label == "Tjenesteområde").set_value(ServiceArea.BARNEHAGE)
    click(at, "Gjør påkrevd")
    assert any("Prøvemodul" in m.value and "Barnehage" in m.value for m in at.markdown)
    learner = as_user("oslo-bhg-1")
    assert "Påkrevd for deg" in values(learner.header)
    assert any(c.tone == "warning" and c.note.startswith("Påkrevd – frist ") for c in catalog_cards(learner))
    assert "Påkrevd for deg" not in values(as_user("oslo-skole-0").header)


def test_assignment_form_shows_only_the_fields_of_the_chosen_scope(world):
    at = show_view(goto(as_user("leder-oslo"), "leder"), "assign")
    scope = next(r for r in at.radio if r.label == "Hvem gjelder det?")

    def target_fields() -> set[str]:
        return {s.label for s in at.selectbox} & {"Tjenesteområde", "Enhet"}

    assert scope.value == "all" and target_fields() == set()  # the whole municipality: nothing to choose
    scope.set_value("area").run()
    assert target_fields() == {"Tjenesteområde"}
    next(r for r in at.radio if r.label == "Hvem gjelder det?").set_value("unit").run()
    assert target_fields() == {"Enhet"}
    unit = next(s for s in at.selectbox if s.label == "Enhet")
    assert unit.options == ["Bjørkelia skole", "Solsikken barnehage"]  # the units of the staff, from the figures
    unit.set_value("Solsikken barnehage")
    click(at, "Gjør påkrevd")
    assert any("Prøvemodul" in m.value and "Solsikken barnehage" in m.value for m in at.markdown)


def test_downloads_serve_the_dashboard_figures(world, data_dir, fixture_content, served):
    at = goto(as_user("leder-oslo"), "leder")
    metrics = {m.label: m.value for m in at.metric}
    show_view(at, "export")
    labels = [b.label for b in at.get("download_button")]
    assert set(labels) >= {"Ansatte (CSV)", "Moduler og tjenesteområder (CSV)", "Hele rapporten (Excel)"}
    board = ReportService(open_store(data_dir), fixture_content).dashboard(world["leder-oslo"], OSLO)
    expected = exports.to_csv(exports.staff_table(
        board, ReportService(open_store(data_dir), fixture_content).staff_rows(world["leder-oslo"], OSLO)))
    assert served["mittliv-0301-ansatte.csv"]() == expected
    rows = list(csv.reader(io.StringIO(expected.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) - 1 == int(metrics["Ansatte"])
    book = load_workbook(io.BytesIO(served["mittliv-0301-rapport.xlsx"]()))
    summary = {row[0]: row[1] for row in book["Nøkkeltall"].iter_rows(values_only=True)}
    assert summary["Ansatte"] == int(metrics["Ansatte"])
    assert f"{summary['Fullføringsgrad (%)']} %" == metrics["Fullføringsgrad"]


def test_network_view_for_coordinator_has_no_names(world):
    at = goto(as_user("koordinator"), "nettverk")
    assert values(at.title) == ["Nettverket MITT LIV"]
    text = "\n".join(f.value.to_csv() for f in at.table)
    assert "Oslo (0301)" in text and "Bergen (4601)" in text
    assert "Oslo-Skole" not in text and "Bjørkelia" not in text
    assert "skjult" in text


def network_rows(at) -> dict[str, dict[str, str]]:
    grid = next(f.value for f in at.table if "Kommune" in f.value.columns)
    return {row["Kommune"]: row for row in grid.to_dict("records")}


def test_network_totals_are_complete_or_hidden_with_the_reason(world):
    at = goto(as_user("koordinator"), "nettverk")
    whole = network_rows(at)["Hele nettverket"]
    # Staff (9 and 7) are both shown, so their sum is; Bergen's 6 of 7 hides its module figure and so the totals
    assert (whole["Ansatte"], whole["Alle moduler"], whole["Prøvemodul"]) == ("16", "skjult", "skjult")
    reason = next(c.value for c in at.caption if c.value.startswith("«skjult» i raden «Hele nettverket»"))
    assert "(Alle moduler, Prøvemodul)" in reason and "kunne det skjulte tallet regnes ut" in reason
    # One more in Oslo and four more in Bergen who have not completed: every figure is shown, so every total is
    accounts = AccountService(world.repo, clock=lambda: NOW)
    for name, municipality, unit in [("oslo-ny", OSLO, "Bjørkelia skole"),
                                     *((f"bergen-ny-{n}", BERGEN, "Barneverntjenesten Nord") for n in range(4))]:
        accounts.create_user(world.admin, username=name, password="passord123", name=name, email="",
                             municipality=municipality, role=Role.LEARNER, service_area=ServiceArea.BARNEVERN,
                             unit=unit)
    at = goto(as_user("koordinator"), "nettverk")
    rows = network_rows(at)
    assert (rows["Oslo (0301)"]["Prøvemodul"], rows["Bergen (4601)"]["Prøvemodul"]) == ("50 %", "55 %")
    whole = rows["Hele nettverket"]
    assert (whole["Ansatte"], whole["Alle moduler"], whole["Prøvemodul"]) == ("21", "52 %", "52 %")
    assert not any(c.value.startswith("«skjult» i raden") for c in at.caption)
    legend = next(e for e in at.expander if e.label == "Fulle modulnavn")
    assert "**Prøvemodul:** Prøvemodul" in [m.value for m in legend.markdown]


def test_coordinator_cannot_open_dashboard(world):
    at = goto(as_user("koordinator"), "leder")
    assert "Oversikt for ledere" not in values(at.title) and not at.metric


def test_insight_shows_first_attempts_that_hit_a_critical_choice(world):
    oslo_staff = [u for name, u in world.users.items() if name.startswith("oslo-")]
    for n, user in enumerate(oslo_staff):  # 9 staff: the first 5 promise secrecy at 'neste'
        path = [StepChoice(step_id="start", choice_index=0, points=2, max_points=2),
                StepChoice(step_id="neste", choice_index=2 if n < 5 else 0, points=0 if n < 5 else 2,
                           max_points=2, critical=n < 5)]
        attempt = QuizAttempt(id=f"a{n}", quiz_id="prove-quiz", quiz_version=1, module_id="prove-modul",
                              started_at=NOW, finished_at=NOW, path=path)
        world.repo.update_attempt(user.id, attempt.id, lambda _, attempt=attempt: attempt)
    at = show_view(goto(as_user("leder-oslo"), "leder"), "insight")
    text = "\n".join(m.value for m in at.markdown)
    # 5 of 9: the 4 who did not are a small group, so the share is hidden, and the count with it.
    assert "**Kritiske feil i første forsøk:** skjult av 9 personer" in text
    step = next(f.value for f in at.table if "Kritisk feil" in f.value.columns)
    assert list(step["Kritisk feil"]) == ["Nei", "Nei"]  # step 1 has no critical choice
    # In words: each step opens with its situation's first words, choices by their text, tags by name
    assert [e.label for e in at.expander if e.label.startswith("Steg ")][:3] == [
        "Steg 1 · nådd av 9 · «Et barn ser lei seg ut.»", "Steg 2 · nådd av 0 · «Barnet går sin vei.»",
        "Steg 3 · nådd av 9 · «Barnet forteller litt.»"]
    assert "**Situasjonen:** Et barn ser lei seg ut." in text
    assert list(step["Valg"]) == ["Du spør hvordan det går.", "Du later som ingenting."]
    assert list(step["Merker"]) == ["Åpner (+)", "Unnviker (−)"]
    tags = next(f.value for f in at.table if "Kompetansemerke" in f.value.columns)
    rows = {row["Kompetansemerke"]: row for row in tags.to_dict("records")}
    assert rows["Bryter tillit"]["Virkning"] == "Står i veien (−)" and rows["Lytter"]["Virkning"] == "Hjelper barnet (+)"
    assert rows["Bryter tillit"]["Hva det betyr"].startswith("Deler eller handler uten at barnet vet om det")
    assert "tar-ansvar" not in tags.to_csv() and "bryter-tillit" not in tags.to_csv()  # never the raw ids
    assert ("Oftest valgt av det som hjelper barnet: **Åpner** (50\u00a0% av valgene). "
            "Åpner for at barnet kan fortelle mer.") in text
