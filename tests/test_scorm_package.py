"""The SCORM 1.2 package: its manifest holds what an LMS needs, its content is safe, the command works.

No SCORM 1.2 XSDs are vendored here (they are not ours to commit), so the manifest is checked
element by element against the SCORM 1.2 Content Aggregation Model's required structure.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest

from learning.__main__ import main
from learning.content.catalog import load_catalog
from learning.interop.scorm import build_package

from .conftest import FIXTURE_CONTENT, ROOT
from .test_inert_links import unsafe_links, write_hostile_content

pytestmark = pytest.mark.tinydb_only  # no store involved

CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"


def _open(package: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(package))


def _content(archive: zipfile.ZipFile) -> dict:
    page = archive.read("index.html").decode("utf-8")
    match = re.search(r'<script type="application/json" id="content">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def check_manifest(archive: zipfile.ZipFile) -> ET.Element:
    """The SCORM 1.2 CAM's required structure, and every file the manifest names is in the zip."""
    root = ET.fromstring(archive.read("imsmanifest.xml"))
    assert root.tag == f"{CP}manifest" and root.get("identifier")
    assert "imscp_rootv1p1p2.xsd" in root.get(f"{XSI}schemaLocation")
    assert root.findtext(f"{CP}metadata/{CP}schema") == "ADL SCORM"
    assert root.findtext(f"{CP}metadata/{CP}schemaversion") == "1.2"
    organizations = root.find(f"{CP}organizations")
    default = organizations.get("default")
    [organization] = [o for o in organizations.findall(f"{CP}organization") if o.get("identifier") == default]
    assert organization.findtext(f"{CP}title")
    resources = {r.get("identifier"): r for r in root.findall(f"{CP}resources/{CP}resource")}
    items = organization.findall(f".//{CP}item")
    assert items and all(i.findtext(f"{CP}title") for i in items)
    identifiers = [e.get("identifier") for e in root.iter() if e.get("identifier")]
    assert len(identifiers) == len(set(identifiers))
    assert all(re.fullmatch(r"[A-Za-z_][\w.-]*", i) for i in identifiers)  # xs:ID
    names = set(archive.namelist())
    for item in items:
        resource = resources[item.get("identifierref")]
        assert resource.get("type") == "webcontent" and resource.get(f"{ADLCP}scormtype") == "sco"
        assert resource.get("href") in names
        listed = {f.get("href") for f in resource.findall(f"{CP}file")}
        assert listed == names - {"imsmanifest.xml"}
    return root


def test_the_manifest_has_what_an_lms_needs_and_lists_every_file():
    package = build_package(load_catalog(FIXTURE_CONTENT), "prove-modul", "nb")
    with _open(package) as archive:
        root = check_manifest(archive)
        assert root.findtext(f".//{CP}organization/{CP}title") == "Prøvemodul"
        data = _content(archive)
    assert [lesson["id"] for lesson in data["lessons"]] == ["forste", "andre"]
    assert data["quiz"]["pass_percent"] == 70
    neste = data["quiz"]["steps"][2]["choices"][2]
    assert neste["critical"] is True and neste["critical_reason"] == "Du kan ikke love et barn hemmelighold."
    assert [t["label"] for t in neste["tags"]] == ["Bryter tillit"]
    assert package == build_package(load_catalog(FIXTURE_CONTENT), "prove-modul", "nb")  # same bytes


def test_the_checker_finds_a_missing_file():
    buffer = io.BytesIO()
    with _open(build_package(load_catalog(FIXTURE_CONTENT), "prove-modul")) as source, \
            zipfile.ZipFile(buffer, "w") as broken:
        for name in source.namelist():
            if name != "player.js":
                broken.writestr(name, source.read(name))
    with pytest.raises(AssertionError):
        check_manifest(_open(buffer.getvalue()))


def test_authored_text_stays_inert_in_the_package(tmp_path):
    catalog = load_catalog(write_hostile_content(tmp_path))
    module_id = next(iter(catalog.modules))
    with _open(build_package(catalog, module_id)) as archive:
        page = archive.read("index.html").decode("utf-8")
        data = _content(archive)
    # Only our two script elements; authored text cannot close one ('<' is escaped in the JSON).
    assert page.count("<script") == 2 and page.count("</script>") == 2
    html = [lesson["html"] for lesson in data["lessons"]]
    if data["quiz"]:
        html += [data["quiz"]["intro"]] + [s["html"] for s in data["quiz"]["steps"]]
        html += [c["feedback"] for s in data["quiz"]["steps"] for c in s["choices"]]
    assert html and all(unsafe_links(part) == [] for part in html)


def test_scorm_export_command_in_nynorsk(tmp_path, monkeypatch):
    monkeypatch.setenv("LEARNING_CONTENT_DIR", str(ROOT))
    monkeypatch.setenv("LEARNING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LEARNING_DATABASE_URL", raising=False)
    out = tmp_path / "trygg-deling.zip"
    assert main(["scorm-export", "trygg-deling", "--language", "nn", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        check_manifest(archive)
        page = archive.read("index.html").decode("utf-8")
        data = _content(archive)
    assert '<html lang="nn">' in page
    assert data["strings"]["what_do_you_do"] == "Kva gjer du?"
    assert main(["scorm-export", "finst-ikkje"]) == 2
