"""Headline figures say in words what they count, and of how many."""

from __future__ import annotations

from datetime import date

from learning.services.assignments import AssignmentService
from learning.services.headline import headline_figures
from learning.services.reports import ReportService

from .helpers import NOW
from .reports_fixtures import MODULE, OSLO, build_world


def test_each_figure_is_a_sentence_with_its_denominator(repo, fixture_content):
    world = build_world(repo)
    reports = ReportService(repo, fixture_content, clock=lambda: NOW)
    before = {f.key: f.sentence for f in headline_figures(reports.dashboard(world["leder-oslo"], OSLO))}
    assert before["all_required"] == "Ingen ansatte har påkrevde moduler ennå."
    AssignmentService(repo, fixture_content, clock=lambda: NOW).create(
        world["leder-oslo"], municipality=OSLO, module_id=MODULE, deadline=date(2026, 12, 24), unit="Bjørkelia skole")
    figures = {f.key: f for f in headline_figures(reports.dashboard(world["leder-oslo"], OSLO))}
    # 6 staff at Bjørkelia skole must take it; 4 of them have completed it
    assert figures["all_required"].value == "67 %"
    assert figures["all_required"].sentence == \
        "67 % av 6 ansatte med påkrevde moduler har fullført alle (4 personer)."
    assert figures["staff"].sentence.startswith("9 ansatte er med")
    assert figures["started"].sentence == "6 av 9 ansatte (67 %) har begynt på minst én modul."
    assert figures["completed"].sentence == "5 av 9 ansatte (56 %) har fullført minst én modul."
    assert figures["overdue"].sentence.startswith("0 av 9 ansatte har minst én påkrevd modul")
    assert figures["rate"].sentence.startswith("67 % av modulene som gjelder de 9 ansatte")
