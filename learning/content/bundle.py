"""Content as files, in exactly the layout of ``modules/`` and ``quizzes/``.

Authored drafts and published versions are stored as these files (path -> text),
so the validator that checks the repository checks them too, a version history is
a text diff, and export and import are a zip of the same paths.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import lzma
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

import yaml

from learning.content.loader import MODULE_FILE, markdown_problems, parse_module, parse_quiz, quiz_problems
from learning.content.models import SLUG_PATTERN, Module, Quiz
from learning.content.problems import ContentError, Problem
from learning.content.yaml_lines import YamlSyntaxError, line_for, load_yaml

MAX_UPLOAD_BYTES = 1_000_000  # a zip upload
MAX_UNPACKED_BYTES = 3_000_000  # all files in a zip, unpacked
MAX_ZIP_FILES = 200
MAX_DRAFT_CHARS = 300_000  # all files of one module or scenario
MAX_GUIDE_CHARS = 20_000
SLUG = re.compile(SLUG_PATTERN)
GUIDE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
QUIZ_PATH = re.compile(r"^quizzes/([^/]+)\.ya?ml$")
MODULE_PATH = re.compile(r"^modules/([^/]+)/([^/]+)$")
VERSION_LINE = re.compile(r"^version:[^\n]*$", re.MULTILINE)
ID_LINE = re.compile(r"^id:[^\n]*\n", re.MULTILINE)
# Everything zipfile and its decompressors raise on damaged or unsupported archives
# (a corrupted deflate stream is zlib.error; an unknown compression or encryption
# flag is NotImplementedError; an encrypted member is RuntimeError).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, struct.error, OSError,
              EOFError, RuntimeError, NotImplementedError, ValueError, OverflowError, KeyError, IndexError)


class Kind(StrEnum):
    MODULE = "module"
    QUIZ = "quiz"


Files = dict[str, str]


def quiz_path(item_id: str) -> str:
    return f"quizzes/{item_id}.yaml"


def module_folder(item_id: str) -> str:
    return f"modules/{item_id}"


def main_path(kind: Kind, item_id: str) -> str:
    """The YAML file that holds the item's fields (and its version)."""
    return quiz_path(item_id) if kind == Kind.QUIZ else f"{module_folder(item_id)}/{MODULE_FILE}"


def unique_slug(title: str, taken: set[str], fallback: str) -> str:
    """An id made from ``title`` (``fallback`` when it gives none) that is not in ``taken``; added to it."""
    stem = slugify(title)[:50].strip("-") or fallback
    new_id, k = stem, 2
    while new_id in taken:
        new_id, k = f"{stem}-{k}", k + 1
    taken.add(new_id)
    return new_id


def slugify(text: str) -> str:
    """A suggested id from a title: «Åse får hjelp» -> «ase-far-hjelp»."""
    text = text.lower().translate({ord("æ"): "ae", ord("ø"): "o", ord("å"): "a"})
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")


def files_size(files: Files) -> int:
    return sum(len(text) for text in files.values())


def digest(files: Files) -> str:
    return hashlib.sha256(json.dumps(files, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


# --- YAML in the style of the files in the repository -----------------------
class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):  # list items indented under their key
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        value = "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").split("\n"))
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    flow = bool(value) and all(isinstance(v, str) and "\n" not in v for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)


def dump_yaml(data: dict) -> str:
    """YAML as the content files are written: keys in order, text blocks with ``|``."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096,
                     default_flow_style=False)


def load_data(text: str) -> dict:
    """The YAML's fields, or an empty dict when the text is not a YAML mapping."""
    try:
        data, _ = load_yaml(text)
    except YamlSyntaxError:
        return {}
    return data if isinstance(data, dict) else {}


def keep_text_if_same(old_text: str | None, data: dict) -> str:
    """Keep the stored text (with its comments and layout) when the fields did not change."""
    if old_text is not None and load_data(old_text) == data:
        return old_text
    return dump_yaml(data)


def set_version(text: str, version: int) -> str:
    """The same YAML text with its top-level ``version:`` set, keeping everything else."""
    if VERSION_LINE.search(text):
        return VERSION_LINE.sub(f"version: {version}", text, count=1)
    match = ID_LINE.search(text)
    if match:
        return f"{text[: match.end()]}version: {version}\n{text[match.end():]}"
    return f"version: {version}\n{text}"


# --- built-in content as files -------------------------------------------------
def quiz_to_files(quiz: Quiz) -> Files:
    data = quiz.model_dump(mode="json", exclude_none=True)
    for step in data["steps"]:
        for choice in step["choices"]:
            if not choice.get("tags"):
                choice.pop("tags", None)
    return {quiz_path(quiz.id): dump_yaml(data)}


def module_to_files(module: Module) -> Files:
    folder = module_folder(module.id)
    files = {f"{folder}/{MODULE_FILE}": dump_yaml(module.meta.model_dump(mode="json", exclude_none=True))}
    for lesson in module.lessons:
        files[f"{folder}/{lesson.id}.md"] = lesson.body
    if module.meta.guide and module.guide is not None:
        files[f"{folder}/{module.meta.guide}"] = module.guide
    return files


def files_on_disk(root: Path, kind: Kind, model: Module | Quiz) -> Files:
    """A built-in item's files as written in the repository (serialized when unreadable).

    ``kind`` names what ``model`` is (a Quiz or a Module).
    """
    try:
        if isinstance(model, Quiz):
            path = root / "quizzes" / f"{model.id}.yaml"
            if not path.is_file():
                path = path.with_suffix(".yml")
            files = {quiz_path(model.id): path.read_text(encoding="utf-8")}
            return files if parse_quiz(files[quiz_path(model.id)], "x") == model else quiz_to_files(model)
        files = module_to_files(model)
        folder = root / "modules" / model.id
        return {path: (folder / PurePosixPath(path).name).read_text(encoding="utf-8") for path in files}
    except (OSError, UnicodeDecodeError, ContentError):
        return quiz_to_files(model) if isinstance(model, Quiz) else module_to_files(model)


# --- validation: the loader's rules plus what files need to fit together ------
def _size_problems(files: Files, label: str) -> list[Problem]:
    total = files_size(files)
    if total > MAX_DRAFT_CHARS:
        return [Problem(label, None, "draft_too_big", {"size": total, "max": MAX_DRAFT_CHARS})]
    return []


def check_quiz(files: Files, item_id: str) -> tuple[Quiz | None, list[Problem]]:
    """Validate a scenario's files; the model when there is no problem."""
    path = quiz_path(item_id)
    problems = [Problem(p, None, "not_in_quiz") for p in sorted(set(files) - {path})]
    problems += _size_problems(files, path)
    text = files.get(path)
    if text is None:
        return None, [*problems, Problem(path, None, "file_missing")]
    try:
        quiz = parse_quiz(text, path)
    except ContentError as exc:
        problems += exc.problems
        data, lines = _lines(text)
        shape = branch_shape(data) if isinstance(data, dict) else None
        if shape is not None:
            # A field error stops the loader before the branch checks; run them anyway, so
            # an author sees loops and dead links while still filling in the text.
            problems += [p for p in quiz_problems(shape, lines, path) if p not in problems]
        return None, problems
    if quiz.id != item_id:
        problems.append(Problem(path, 1, "id_not_file_name", {"id": quiz.id, "name": item_id}, at="id"))
    return (None if problems else quiz), problems


@dataclass(frozen=True)
class ShapeChoice:
    next: str | None


@dataclass(frozen=True)
class ShapeStep:
    id: str
    choices: tuple[ShapeChoice, ...]


@dataclass(frozen=True)
class BranchShape:
    """A scenario's branches (``graph.Branches``) read from fields that may not validate yet."""

    steps: tuple[ShapeStep, ...]


def branch_shape(data: dict) -> BranchShape | None:
    """Just the step ids and next links of a scenario's fields, however incomplete the rest is.

    ``graph.analyse`` and ``loader.quiz_problems`` read only ``steps[].id`` and
    ``steps[].choices[].next``, so they run on this as on a validated Quiz.
    """
    raw = data.get("steps")
    steps = [s for s in raw if isinstance(s, dict)] if isinstance(raw, list) else []
    if not steps:
        return None

    def choices(step: dict) -> tuple[ShapeChoice, ...]:
        items = step.get("choices")
        return tuple(ShapeChoice(next=c["next"] if isinstance(c.get("next"), str) and c["next"] else None)
                     for c in (items if isinstance(items, list) else []) if isinstance(c, dict))

    return BranchShape(steps=tuple(ShapeStep(id=s["id"] if isinstance(s.get("id"), str) else "",
                                             choices=choices(s)) for s in steps))


def guide_name(meta_text: str) -> str | None:
    name = load_data(meta_text).get("guide")
    return name if isinstance(name, str) else None


def check_module(files: Files, item_id: str,
                 known_quizzes: set[str] | None = None) -> tuple[Module | None, list[Problem]]:
    """Validate a module's files; ``known_quizzes``, when given, are the quizzes it may use."""
    folder = module_folder(item_id)
    meta_path = f"{folder}/{MODULE_FILE}"
    problems = _size_problems(files, meta_path)
    meta_text = files.get(meta_path)
    if meta_text is None:
        return None, [*problems, Problem(meta_path, None, "file_missing")]
    lesson_texts: dict[str, str | None] = {}
    outside: list[str] = []
    for path, text in files.items():
        if path == meta_path:
            continue
        pure = PurePosixPath(path)
        if str(pure.parent) != folder or pure.suffix != ".md":
            outside.append(path)
            continue
        lesson_texts[pure.stem] = text
    problems += [Problem(p, None, "not_in_module") for p in sorted(outside)]
    guide = guide_name(meta_text)
    guide_text: str | None = None
    if guide is not None:
        if not GUIDE_NAME.match(guide):
            _, lines = _lines(meta_text)
            problems.append(Problem(meta_path, line_for(("guide",), lines), "guide_name", at="guide"))
        else:
            guide_text = lesson_texts.pop(guide.removesuffix(".md"), None)
            if guide_text is not None and len(guide_text) > MAX_GUIDE_CHARS:
                problems.append(Problem(f"{folder}/{guide}", None, "text_too_long", {"max": MAX_GUIDE_CHARS}))
    try:
        module = parse_module(meta_text, lesson_texts, guide_text, meta_path)
    except ContentError as exc:
        if all(p.path == meta_path for p in exc.problems):
            # module.yaml stopped the loader before the texts: check them too, so an author
            # filling in the fields still sees what is wrong in a lesson.
            for stem, body in sorted(lesson_texts.items()):
                problems += markdown_problems(body or "", f"{folder}/{stem}.md")
            if guide_text:
                problems += markdown_problems(guide_text, f"{folder}/{guide}")
        return None, problems + exc.problems
    _, lines = _lines(meta_text)
    if module.id != item_id:
        problems.append(Problem(meta_path, 1, "id_not_folder", {"id": module.id, "folder": item_id}, at="id"))
    used = set(module.lesson_ids())
    for stem in sorted(set(lesson_texts) - used):
        problems.append(Problem(f"{folder}/{stem}.md", None, "not_a_lesson", {"file": MODULE_FILE}))
    for index, lesson in enumerate(module.lessons):
        if not lesson.body.strip():
            problems.append(Problem(f"{folder}/{lesson.id}.md", None, "empty_lesson", {"id": lesson.id},
                                    ("lessons", index, "body"), f"lessons[{index}]"))
    if known_quizzes is not None and module.meta.quiz and module.meta.quiz not in known_quizzes:
        problems.append(Problem(meta_path, line_for(("quiz",), lines), "unknown_quiz", {"id": module.meta.quiz},
                                ("quiz",), "quiz"))
    return (None if problems else module), problems


def _lines(text: str) -> tuple[object, dict]:
    try:
        return load_yaml(text)
    except YamlSyntaxError:
        return None, {}


# --- diff ----------------------------------------------------------------------
def _order(path: str) -> tuple[int, str]:
    return (0 if path.endswith((".yaml", ".yml")) else 1, path)


def files_diff(old: Files, new: Files) -> str:
    """A unified diff of every file that changed (empty when nothing did)."""
    out: list[str] = []
    for path in sorted(set(old) | set(new), key=_order):
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        lines = difflib.unified_diff(
            (before or "").splitlines(keepends=True), (after or "").splitlines(keepends=True),
            fromfile=f"a/{path}" if before is not None else "/dev/null",
            tofile=f"b/{path}" if after is not None else "/dev/null")
        out += [line if line.endswith("\n") else line + "\n" for line in lines]
    return "".join(out)


# --- zip -----------------------------------------------------------------------
def pack_zip(files: Files) -> bytes:
    """The files in a zip with fixed dates, so the same content gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(files, key=_order):
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[path].encode("utf-8"))
    return buffer.getvalue()


def _junk(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and (parts[0] == "__MACOSX" or parts[-1].startswith("."))


def _checked_path(name: str) -> str | Problem:
    """The normalised path of a content file, or the problem with it."""
    if "\\" in name or name.startswith("/") or ".." in PurePosixPath(name).parts:
        return Problem(name, None, "bad_path")
    quiz = QUIZ_PATH.match(name)
    if quiz:
        if not SLUG.match(quiz.group(1)):
            return Problem(name, None, "file_name_not_slug")
        return quiz_path(quiz.group(1))
    module = MODULE_PATH.match(name)
    if module:
        if not SLUG.match(module.group(1)):
            return Problem(name, None, "folder_name_not_slug")
        if not (module.group(2) == MODULE_FILE or module.group(2).endswith(".md")):
            return Problem(name, None, "not_module_file", {"file": MODULE_FILE})
        return name
    return Problem(name, None, "bad_place")


def unpack_zip(payload: bytes, label: str) -> Files:
    """The content files in an uploaded zip; ContentError with every problem otherwise."""
    if len(payload) > MAX_UPLOAD_BYTES:
        raise ContentError([Problem(label, None, "upload_too_big", {"max": MAX_UPLOAD_BYTES // 1000})])
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
        infos = [i for i in archive.infolist() if not i.is_dir() and not _junk(i.filename)]
    except ZIP_ERRORS:
        raise ContentError([Problem(label, None, "not_zip")]) from None
    if not infos:
        raise ContentError([Problem(label, None, "zip_empty")])
    if len(infos) > MAX_ZIP_FILES:
        raise ContentError([Problem(label, None, "zip_too_many", {"max": MAX_ZIP_FILES})])
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise ContentError([Problem(label, None, "zip_too_big", {"max": MAX_UNPACKED_BYTES // 1000})])
    files: Files = {}
    problems: list[Problem] = []
    for info in infos:
        path = _checked_path(info.filename)
        if isinstance(path, Problem):
            problems.append(path)
            continue
        if path in files:
            problems.append(Problem(info.filename, None, "zip_duplicate"))
            continue
        try:
            raw = archive.read(info)
        except ZIP_ERRORS:
            problems.append(Problem(info.filename, None, "zip_damaged"))
            continue
        try:
            files[path] = raw.decode("utf-8").replace("\r\n", "\n")
        except UnicodeDecodeError:
            problems.append(Problem(info.filename, None, "not_utf8"))
    if problems:
        raise ContentError(problems)
    return files


def split_items(files: Files) -> dict[tuple[Kind, str], Files]:
    """Group checked paths into scenarios and modules by id."""
    items: dict[tuple[Kind, str], Files] = {}
    for path, text in files.items():
        quiz = QUIZ_PATH.match(path)
        module = MODULE_PATH.match(path)
        if quiz:
            items.setdefault((Kind.QUIZ, quiz.group(1)), {})[path] = text
        elif module:
            items.setdefault((Kind.MODULE, module.group(1)), {})[path] = text
        else:
            raise ValueError(f"{path}: not a content path (unpack_zip checks paths first)")
    return items
