"""The municipality list: all 357 municipalities of 2024, committed, and required."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from learning import municipalities
from learning.municipalities import DATA, NETWORK, MunicipalityListError

ROOT = Path(__file__).resolve().parent.parent

# Counties from 1 January 2024 (SSB classification 104).
COUNTIES_2024 = {"03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56"}
NETWORK_NUMBERS = {
    "Oslo": "0301", "Bergen": "4601", "Trondheim": "5001", "Stavanger": "1103", "Drammen": "3301",
    "Sandnes": "1108", "Kristiansand": "4204", "Tromsø": "5501", "Bærum": "3201",
}


def _rows() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["kommunenummer", "navn"]
        return list(reader)


@pytest.fixture
def fresh_cache():
    municipalities.all_municipalities.cache_clear()
    yield
    municipalities.all_municipalities.cache_clear()


def test_the_list_has_all_357_municipalities_of_2024():
    rows = _rows()
    numbers = [row["kommunenummer"] for row in rows]
    names = [row["navn"] for row in rows]
    assert len(rows) == 357
    assert len(set(numbers)) == 357
    assert len(set(names)) == 357
    assert all(len(n) == 4 and n.isdigit() for n in numbers)
    assert all(name and name == name.strip() for name in names)
    assert {n[:2] for n in numbers} == COUNTIES_2024


def test_names_that_appear_twice_carry_the_county():
    names = {row["kommunenummer"]: row["navn"] for row in _rows()}
    assert names["1515"] == "Herøy (Møre og Romsdal)"
    assert names["1818"] == "Herøy (Nordland)"
    assert names["3114"] == "Våler (Østfold)"
    assert names["3419"] == "Våler (Innlandet)"
    assert names["1580"] == "Haram"


def test_network_cities_are_in_the_list_with_their_numbers(fresh_cache):
    table = municipalities.all_municipalities()
    assert {number: name for name, number in NETWORK_NUMBERS.items()} == NETWORK
    for name, number in NETWORK_NUMBERS.items():
        assert number in table
        assert municipalities.resolve(name) == number
        assert name in table[number].split(" - ")


def test_resolve_by_number_and_by_any_language_form(fresh_cache):
    assert municipalities.resolve("bergen") == "4601"
    assert municipalities.resolve(" 4601 ") == "4601"
    assert municipalities.resolve("Deatnu - Tana") == "5628"
    assert municipalities.resolve("tana") == "5628"
    assert municipalities.resolve("Kautokeino") == "5612"
    assert municipalities.resolve("Stor-Elvdal") == "3423"
    assert municipalities.resolve("Herøy") is None  # two of them: the county decides
    assert municipalities.resolve("Atlantis") is None
    assert municipalities.label("3301") == "Drammen (3301)"


def test_a_missing_list_is_an_error_naming_the_file(fresh_cache, monkeypatch, tmp_path):
    missing = tmp_path / "kommuner.csv"
    monkeypatch.setattr(municipalities, "DATA", missing)
    with pytest.raises(MunicipalityListError, match="kommuner.csv"):
        municipalities.all_municipalities()
    with pytest.raises(MunicipalityListError):
        municipalities.name_of("0301")


@pytest.mark.parametrize("content", [b"", b"nummer,name\n0301,Oslo\n", b"kommunenummer,navn\n", b"\xff\xfe\x00bad"])
def test_an_unreadable_list_is_an_error(fresh_cache, monkeypatch, tmp_path, content):
    broken = tmp_path / "kommuner.csv"
    broken.write_bytes(content)
    monkeypatch.setattr(municipalities, "DATA", broken)
    with pytest.raises(MunicipalityListError, match="kommuner.csv"):
        municipalities.all_municipalities()


def test_the_list_is_not_ignored_by_git():
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("git or the checkout is not available")
    relative = DATA.relative_to(ROOT).as_posix()
    result = subprocess.run([git, "check-ignore", "-v", relative], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1, f"{relative} is ignored: {result.stdout.strip()}"
