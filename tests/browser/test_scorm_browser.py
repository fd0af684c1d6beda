"""A module's SCORM 1.2 package played in a real browser against a real SCORM runtime.

The LMS side is scorm-again (from the npm registry, fetched by scripts/setup-tests.sh):
a harness page creates ``window.API = new Scorm12API(...)`` and loads the package's launch
page in an iframe, as Moodle does. The player finds the API through ``window.parent``,
plays the fixture module through (lessons, a wrong turn, the right path), and the test
reads what the runtime recorded; then a new runtime loaded with the saved CMI data
resumes from ``cmi.suspend_data``.
"""

from __future__ import annotations

import functools
import io
import json
import os
import shutil
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from learning.content.catalog import load_catalog
from learning.interop.scorm import build_package

from ..conftest import FIXTURE_CONTENT
from .test_browser import ARGS, CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.tinydb_only]

from playwright.sync_api import expect, sync_playwright  # noqa: E402

SCORM_AGAIN = Path(__file__).resolve().parents[2] / ".cache" / "scorm-again" / "dist" / "scorm12.js"

HARNESS = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>LMS harness</title>
<script src="scorm12.js"></script></head>
<body>
<div id="frame"></div>
<script>
  window.calls = [];
  function startLms(saved) {
    window.API = new Scorm12API({ autocommit: false, logLevel: 5 });
    if (saved) { window.API.loadFromJSON(saved); }
    ["LMSInitialize", "LMSCommit", "LMSFinish"].forEach(function (name) {
      window.API.on(name, function () { window.calls.push(name); });
    });
    var frame = document.createElement("iframe");
    frame.title = "SCORM";
    frame.style.width = "1000px"; frame.style.height = "800px";
    frame.src = "pkg/index.html";
    document.getElementById("frame").appendChild(frame);
  }
  function cmi() { return JSON.parse(JSON.stringify(window.API.renderCMIToJSONObject())).cmi; }
</script>
</body></html>
"""


def _unavailable() -> str | None:
    if not SCORM_AGAIN.exists():
        return "scorm-again is missing: run scripts/setup-tests.sh"
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    missing = _unavailable()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    root = tmp_path_factory.mktemp("lms")
    shutil.copy(SCORM_AGAIN, root / "scorm12.js")
    (root / "harness.html").write_text(HARNESS, encoding="utf-8")
    package = build_package(load_catalog(FIXTURE_CONTENT), "prove-modul", "nb")
    zipfile.ZipFile(io.BytesIO(package)).extractall(root / "pkg")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/harness.html"
    server.shutdown()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _open(browser, site: str, saved: dict | None = None):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site)
    page.evaluate("saved => startLms(saved)", saved)
    return page, page.frame_locator("iframe"), errors


def _choose(frame, text: str) -> None:
    frame.get_by_label(text).check()
    frame.get_by_role("button", name="Velg", exact=True).click()


def test_the_package_plays_through_reports_to_the_runtime_and_resumes(browser, site):
    page, frame, errors = _open(browser, site)
    expect(frame.get_by_role("heading", name="Første leksjon")).to_be_visible()
    assert page.evaluate("window.calls[0]") == "LMSInitialize"
    assert page.evaluate("API.LMSGetValue('cmi.core.lesson_status')") == "incomplete"
    frame.get_by_role("button", name="Ferdig – neste leksjon").click()
    expect(frame.get_by_role("heading", name="Andre leksjon")).to_be_visible()
    frame.get_by_role("button", name="Ferdig – gå til scenarioet").click()
    frame.get_by_role("button", name="Start scenarioet").click()

    # First attempt: a critical mistake ends the scenario and fails it, whatever the points.
    _choose(frame, "Du spør hvordan det går.")
    expect(frame.get_by_text("Barnet merker at du bryr deg.")).to_be_visible()
    frame.get_by_role("button", name="Videre").click()
    _choose(frame, "Du lover å ikke si det til noen.")
    expect(frame.get_by_text("Dette var en alvorlig feil. Scenarioet stopper her.")).to_be_visible()
    frame.get_by_role("button", name="Se resultatet").click()
    expect(frame.get_by_text("Ikke bestått: Du gjorde en alvorlig feil")).to_be_visible()
    expect(frame.get_by_text("Du kan ikke love et barn hemmelighold.")).to_be_visible()
    after_fail = page.evaluate("cmi()")
    assert after_fail["core"]["lesson_status"] == "failed"
    assert after_fail["core"]["score"]["raw"] == "0"  # a critical attempt's points count for nothing
    answers = after_fail["interactions"]
    assert [(answers[n]["id"], answers[n]["student_response"], answers[n]["result"]) for n in ("0", "1")] == [
        ("start", "0", "correct"), ("neste", "2", "wrong")]

    # Leave mid-way through the second attempt: the runtime keeps the place in suspend_data.
    frame.get_by_role("button", name="Prøv igjen").click()
    _choose(frame, "Du spør hvordan det går.")
    frame.get_by_role("button", name="Videre").click()
    expect(frame.get_by_text("Barnet forteller litt.")).to_be_visible()
    page.evaluate("document.querySelector('iframe').remove()")  # the learner closes the activity
    saved = page.evaluate("cmi()")
    assert page.evaluate("window.calls").count("LMSFinish") == 1
    assert saved["core"]["exit"] == "suspend"
    state = json.loads(saved["suspend_data"])
    assert state["r"] == [0, 1] and len(state["q"]["p"]) == 1
    page.close()

    # A new session with the saved data: the same step, then on to a pass.
    saved["core"]["entry"] = "resume"
    page, frame, errors2 = _open(browser, site, saved)
    expect(frame.get_by_role("heading", name="Steg 2")).to_be_visible()
    expect(frame.get_by_text("Barnet forteller litt.")).to_be_visible()
    _choose(frame, "Du lytter.")
    frame.get_by_role("button", name="Se resultatet").click()
    expect(frame.get_by_text("Bestått. Du trengte 70 %.")).to_be_visible()
    expect(frame.get_by_text("Din poengsum: 100 %")).to_be_visible()
    expect(frame.get_by_text("Du har fullført modulen.")).to_be_visible()
    final = page.evaluate("cmi()")
    assert final["core"]["lesson_status"] == "passed"
    assert final["core"]["score"]["raw"] == "100"
    assert "LMSCommit" in page.evaluate("window.calls")
    assert errors == [] and errors2 == []
    page.close()
