"""Spell-check every nynorsk text with hunspell's nn_NO dictionary and a short allow-list.

Checks the nynorsk content twins (``modules/*/*.nn.md``, ``modules/*/module.nn.yaml``,
``quizzes/*.nn.yaml``) and the nynorsk UI catalog (``learning/locales/nn/*.toml``). Only
what a reader sees is checked: Markdown marks, code, link targets, YAML keys and ids,
TOML keys and ``{placeholders}`` are stripped first.

Prints the unknown words of each file and exits 1 when there is any. A word the
dictionary does not know but that is right (a name, a law's short name, a term of the
trade) goes on ``scripts/spellcheck-nn.allow``, one a line, with a comment saying why.

    python scripts/spellcheck_nn.py            # unknown words not on the allow-list
    python scripts/spellcheck_nn.py --all      # every word hunspell flags, allow-list ignored
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
ALLOW_LIST = Path(__file__).with_name("spellcheck-nn.allow")
DICTIONARY = "nn_NO"
TEXT_KEYS = {"title", "short_title", "description", "sources", "intro", "text", "feedback", "critical_reason"}
"""YAML fields a reader sees; ids, ``next``, ``tags``, ``setting`` and the like are data."""
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_md = MarkdownIt("commonmark")


def nynorsk_files(root: Path = ROOT) -> list[Path]:
    files = sorted(root.glob("modules/*/*.nn.md")) + sorted(root.glob("modules/*/module.nn.yaml"))
    files += sorted(root.glob("quizzes/*.nn.yaml")) + sorted(root.glob("learning/locales/nn/*.toml"))
    return files


def markdown_text(markdown: str) -> str:
    """The words a reader sees: inline text and image alt text, without code, HTML or link targets."""
    cleaned = "\n".join("" if line.strip().startswith(":::") else line for line in markdown.splitlines())
    out: list[str] = []
    for token in _md.parse(cleaned):
        if token.type != "inline":
            continue
        for child in token.children or []:
            if child.type in ("text", "image"):  # an image's content is its alt text
                out.append(child.content)
        out.append("\n")
    return " ".join(out)


def _yaml_texts(node: object, key: str | None = None) -> Iterator[str]:
    if isinstance(node, dict):
        for child_key, value in node.items():
            yield from _yaml_texts(value, str(child_key))
    elif isinstance(node, list):
        for value in node:
            yield from _yaml_texts(value, key)
    elif isinstance(node, str) and key in TEXT_KEYS:
        yield node


def _toml_texts(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from _toml_texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _toml_texts(value)
    elif isinstance(node, str):
        yield PLACEHOLDER.sub(" ", node)


def reader_text(path: Path) -> str:
    """The text of one file as a reader meets it, ready to split into words."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return markdown_text(raw)
    if path.suffix == ".yaml":
        return "\n".join(markdown_text(text) for text in _yaml_texts(yaml.safe_load(raw)))
    return "\n".join(markdown_text(text) for text in _toml_texts(tomllib.loads(raw)))


def words(text: str) -> set[str]:
    return set(WORD.findall(text))


def dictionary_available() -> bool:
    """hunspell is installed and knows the nynorsk dictionary (Debian: hunspell, hunspell-no)."""
    if shutil.which("hunspell") is None:
        return False
    listing = subprocess.run(["hunspell", "-D"], input="", capture_output=True, text=True, check=False)
    return any(line.rstrip().endswith("/" + DICTIONARY) for line in (listing.stdout + listing.stderr).splitlines())


def unknown_to_hunspell(candidates: set[str]) -> set[str]:
    """One hunspell run over every distinct word, one a line: the words it does not know."""
    if not candidates:
        return set()
    result = subprocess.run(["hunspell", "-d", DICTIONARY, "-i", "utf-8", "-l"],
                            input="\n".join(sorted(candidates)) + "\n",
                            capture_output=True, text=True, encoding="utf-8", check=True)
    return {line.strip() for line in result.stdout.splitlines() if line.strip()}


def allowed_words(path: Path = ALLOW_LIST) -> set[str]:
    """The allow-list, lower-cased: one word a line, ``#`` starts a comment."""
    if not path.exists():
        return set()
    entries = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {entry.lower() for entry in entries if entry}


def unknown_words(files: list[Path], allow: set[str]) -> dict[Path, list[str]]:
    """Per file, the words neither hunspell nor the allow-list knows, sorted."""
    per_file = {path: words(reader_text(path)) for path in files}
    unknown = unknown_to_hunspell(set().union(*per_file.values()) if per_file else set())
    found = {path: sorted({w for w in found if w in unknown and w.lower() not in allow}, key=str.lower)
             for path, found in per_file.items()}
    return {path: listed for path, listed in found.items() if listed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="ignore the allow-list: every word hunspell flags")
    parser.add_argument("files", nargs="*", type=Path, help="files to check (default: every nynorsk file)")
    args = parser.parse_args(argv)
    if not dictionary_available():
        print(f"hunspell with the {DICTIONARY} dictionary is not installed "
              "(Debian: apt-get install hunspell hunspell-no)", file=sys.stderr)
        return 2
    files = [path.resolve() for path in args.files] or nynorsk_files()
    found = unknown_words(files, set() if args.all else allowed_words())
    for path, listed in found.items():
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{shown}: {', '.join(listed)}")
    total = sum(len(listed) for listed in found.values())
    distinct = len({w for listed in found.values() for w in listed})
    print(f"{len(files)} files, {total} unknown words ({distinct} distinct)"
          + ("" if args.all else f"; allow-list {ALLOW_LIST.name}"), file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
