"""Hostile content files: alias bombs, deep nesting and corrupted zips give a named, clean error.

Every failure of zip or YAML parsing must be a ContentError that names the file, within
a time and memory bound, and an import that fails writes nothing.
"""

from __future__ import annotations

import io
import random
import time
import tracemalloc
import zipfile

import pytest

from learning.content.bundle import Kind, unpack_zip
from learning.content.catalog import load_catalog
from learning.content.problems import ContentError
from learning.records import Role
from learning.services.authoring import DRAFTS, AuthoringService
from learning.services.published import VERSIONS

from .conftest import FIXTURE_CONTENT
from .helpers import admin_and_accounts, make_user


def alias_bomb() -> str:
    """About 350 bytes of YAML that stand for 9**7 (4.8 million) strings once expanded."""
    lines = ["id: bombe", 'a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 6)]
    lines.append("title: [" + ",".join(["*a5"] * 9) + "]")
    return "\n".join(lines) + "\n"


def deep(levels: int) -> str:
    return "id: dyp\ntitle: " + "[" * levels + "]" * levels + "\n"


@pytest.fixture
def world(repo, fixture_content):
    accounts, admin = admin_and_accounts(repo)
    author = make_user(accounts, admin, "forf1", role=Role.AUTHOR)
    return AuthoringService(repo, fixture_content, FIXTURE_CONTENT), author


def stored(repo) -> tuple[list[dict], list[dict]]:
    return repo.list_docs(DRAFTS), repo.list_docs(VERSIONS)


def bounded(action, *, megabytes: float):
    """Run ``action``; fail when it allocates more at its peak than given.

    Memory, not seconds: a bomb that expands shows in the peak, and a bound on time fails on a
    loaded machine (the tests run beside other work), so the time is printed, not asserted.
    """
    tracemalloc.start()
    started = time.perf_counter()
    try:
        return action()
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        print(f"took {elapsed:.2f} s, peak {peak:.1f} MB")
        assert peak < megabytes, f"peak {peak:.1f} MB"


def zip_of(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def import_problems(service: AuthoringService, author, payload: bytes) -> list[str]:
    with pytest.raises(ContentError) as info:
        service.import_zip(author, payload, "opplasting.zip")
    return [str(p) for p in info.value.problems]


def test_alias_bomb_is_refused_at_once_naming_file_and_line(world, repo):
    service, author = world
    bomb = alias_bomb()
    assert len(bomb.encode()) <= 400
    before = stored(repo)
    problems = bounded(lambda: import_problems(service, author, zip_of({"quizzes/bombe.yaml": bomb})),
                       megabytes=20)
    assert problems == ["quizzes/bombe.yaml:2: YAML-ankere og alias (& og *) er ikke tillatt"]
    assert stored(repo) == before


def test_yaml_nested_20000_deep_is_a_named_error_not_recursion(world, repo, tmp_path):
    service, author = world
    text = deep(20_000)
    problems = bounded(lambda: import_problems(service, author, zip_of({"quizzes/dyp.yaml": text})),
                       megabytes=50)
    assert problems == ["quizzes/dyp.yaml:2: YAML-innholdet er nestet for dypt (høyst 50 nivåer)"]
    (tmp_path / "modules").mkdir()
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "dyp.yaml").write_text(text, encoding="utf-8")
    on_disk = [str(p) for p in load_catalog(tmp_path).problems]
    assert len(on_disk) == 1 and on_disk[0].endswith(problems[0]), on_disk


@pytest.mark.parametrize("text", [
    "id: x\ntitle: " + "9" * 5000 + "\n",  # longer than Python's int-from-text limit
    "id: x\ntitle: 2026-13-45\n",  # looks like a date, is none
    "id: x\n? [a, b]\n: 1\n",  # a list as a key
    "id: x\ntitle: !!binary ikke-base64\n",
    "id: x\ntitle: !!python/object/apply:os.system [echo]\n",
    "id: x\n<<: {title: x}\n",
    "\ufeffid: x\ntitle: \x00\n",
])
def test_odd_yaml_values_are_named_content_errors(world, repo, text):
    service, author = world
    before = stored(repo)
    problems = import_problems(service, author, zip_of({"quizzes/x.yaml": text}))
    assert problems and all(p.startswith("quizzes/x.yaml") for p in problems), problems
    assert stored(repo) == before


# --- fuzzing: hundreds of corrupted exports ------------------------------------------
TOKENS = ["&a ", "*a", "[", "{", "]", "}", ": ", "- ", "? ", "!!binary ", "!!set ", "<<: *a\n", "\t", "\x00",
          "'", '"', "|", ">", "%YAML 1.1\n---\n", "---\n", "...\n", "9" * 4400, "2026-13-45", "\ufeff", "\\",
          "[" * 60, "{a: " * 60, "\n  ", "#", "@", "`", "\x85", "\u2028"]


def mutate_bytes(payload: bytes, rng: random.Random) -> bytes:
    data = bytearray(payload)
    how = rng.randrange(4)
    if how == 0:  # a few random bytes
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif how == 1:  # cut short
        del data[rng.randrange(len(data)):]
    elif how == 2:  # bytes inserted
        at = rng.randrange(len(data))
        data[at:at] = rng.randbytes(rng.randint(1, 16))
    else:  # a header field (sizes, method, flags, name length) set to an extreme
        at = rng.choice([i for i in range(len(data) - 4) if data[i:i + 2] == b"PK"])
        offset = rng.choice([6, 8, 10, 18, 22, 26, 28, 30, 34])
        if at + offset + 2 <= len(data):
            data[at + offset:at + offset + 2] = rng.choice([b"\xff\xff", b"\x00\x00", b"\x01\x00", b"\x63\x00"])
    return bytes(data)


def mutate_text(files: dict[str, str], rng: random.Random) -> bytes:
    out: dict[str, str | bytes] = dict(files)
    path = rng.choice(sorted(files))
    text = files[path]
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(TOKENS) + text[at:]
    out[path] = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.1:
        out[path] = out[path][: rng.randrange(len(out[path]) + 1)] + b"\xff\xfe"
    return zip_of(out)


def test_hundreds_of_corrupted_exports_give_clean_errors_and_write_nothing(world, repo):
    """600 seeded mutations of a real export: bytes of the zip, or the YAML and Markdown inside.

    Every fourth case runs under tracemalloc (it slows Python about five times) to bound
    the memory one import may take.
    """
    service, author = world
    export = service.export_zip(author, Kind.MODULE, "prove-modul")  # the app's own export
    files = unpack_zip(export, "eksport.zip")
    rng = random.Random(16)
    outcomes = {"error": 0, "imported": 0}
    slowest, peak = 0.0, 0.0
    started = time.perf_counter()
    for case in range(600):
        payload = mutate_bytes(export, rng) if case % 2 else mutate_text(files, rng)
        before = stored(repo)
        traced = case % 4 == 0
        if traced:
            tracemalloc.start()
        begun = time.perf_counter()
        try:
            service.import_zip(author, payload, "opplasting.zip")
        except ContentError as exc:
            outcomes["error"] += 1
            assert exc.problems and all(p.path and p.message for p in exc.problems), case
            assert stored(repo) == before, f"case {case} wrote to the store and failed"
        else:
            outcomes["imported"] += 1
        finally:
            if traced:
                peak = max(peak, tracemalloc.get_traced_memory()[1] / 1e6)
                tracemalloc.stop()
        slowest = max(slowest, time.perf_counter() - begun)
    total = time.perf_counter() - started
    assert outcomes["error"] > 500, outcomes
    assert peak < 20, f"peak {peak:.1f} MB"   # times are printed below, not asserted (see ``bounded``)
    print(f"fuzz: {outcomes}, {total:.2f} s, slowest {slowest * 1000:.0f} ms, peak {peak:.1f} MB")
