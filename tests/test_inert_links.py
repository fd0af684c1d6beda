"""Authored text never becomes an unsafe link, on any page, whatever Streamlit does.

Every authored field (module, lesson and scenario titles, descriptions, step and choice
texts, feedback, sources, user names and units) holds ``data:`` and ``javascript:``
links in Markdown, autolink and image form. Each page is walked in AppTest and every
string Streamlit would render as Markdown is rendered here with a parser that, unlike
Streamlit's, turns every link into a link: none may point to an unsafe scheme.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from learning.content.catalog import load_catalog
from learning.records import User
from learning.render import is_safe_link
from tests.stores import open_store

from .apptest_helpers import click, create_first_admin, goto, labels, new_app, restart_app, sign_in
from .conftest import FIXTURE_CONTENT
from .helpers import NOW

HOSTILE = ("[d](data:text/html,x) [j](javascript:alert(1)) <javascript:alert(2)> ![i](data:image/svg+xml,x) "
           "[v](VBScript:x) [f](file:///etc/passwd)")
# Elements whose strings Streamlit shows as typed, never as Markdown.
PLAIN_ELEMENTS = {"Code", "Text", "TextInput", "TextArea", "Json", "Exception"}
PLAIN_OPTIONS = {"Selectbox", "Multiselect", "SelectSlider"}
MARKDOWN_FIELDS = {"body", "label", "text", "help", "options", "captions", "placeholder"}
HREF = re.compile(r"""(?:href|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def _permissive() -> MarkdownIt:
    # Streamlit's Markdown is GFM; its autolink literals are only http(s), www and e-mail.
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # find every link; judging them is this test's job
    return md


PERMISSIVE = _permissive()


def unsafe_links(html: str) -> list[str]:
    return [url for url in HREF.findall(html) if not is_safe_link(url)]


def _strings(message, field_filter: set[str], skip_options: bool):
    for field, value in message.ListFields():
        if field.message_type is not None:
            items = value if field.is_repeated else [value]
            for item in items:
                yield from _strings(item, field_filter, skip_options)
        elif field.name in field_filter and not (skip_options and field.name == "options"):
            for item in (value if field.is_repeated else [value]):
                if isinstance(item, str):
                    yield field.name, item


def rendered_links(at) -> list[tuple[str, str, str]]:
    """(element, string, unsafe url) for every unsafe link the page would show."""
    found: list[tuple[str, str, str]] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        kind = type(node).__name__
        if proto is not None and kind == "Html":
            found.extend((kind, proto.body[:80], url) for url in unsafe_links(proto.body))
        elif proto is not None and kind not in PLAIN_ELEMENTS:
            for field, text in _strings(proto, MARKDOWN_FIELDS, kind in PLAIN_OPTIONS):
                found.extend((f"{kind}.{field}", text[:80], url) for url in unsafe_links(PERMISSIVE.render(text)))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def test_the_checker_finds_an_unsafe_link_in_plain_markdown():
    assert unsafe_links(PERMISSIVE.render(HOSTILE)) == [
        "data:text/html,x", "javascript:alert(1)", "javascript:alert(2)",
        "data:image/svg+xml,x", "VBScript:x", "file:///etc/passwd"]


def write_hostile_content(root: Path) -> Path:
    """The fixture content with HOSTILE in every authored text field, in folder ``root``."""
    shutil.copytree(FIXTURE_CONTENT, root, dirs_exist_ok=True)
    module_file = root / "modules" / "prove-modul" / "module.yaml"
    module = yaml.safe_load(module_file.read_text(encoding="utf-8"))
    module.update(title=f"Modul {HOSTILE}", description=f"Beskrivelse {HOSTILE}", sources=f"Kilder {HOSTILE}")
    for lesson in module["lessons"]:
        lesson["title"] = f"{lesson['title']} {HOSTILE}"
    module_file.write_text(yaml.safe_dump(module, allow_unicode=True, sort_keys=False), encoding="utf-8")
    quiz_file = root / "quizzes" / "prove-quiz.yaml"
    quiz = yaml.safe_load(quiz_file.read_text(encoding="utf-8"))
    quiz.update(title=f"Scenario {HOSTILE}", intro=f"Intro {HOSTILE}")
    for step in quiz["steps"]:
        step["text"] = f"{step['text']} {HOSTILE}"
        for choice in step["choices"]:
            choice["text"] = f"{choice['text']} {HOSTILE}"
            choice["feedback"] = f"{choice['feedback']} {HOSTILE}"
            if choice.get("critical_reason"):
                choice["critical_reason"] = f"{choice['critical_reason']} {HOSTILE}"
    quiz_file.write_text(yaml.safe_dump(quiz, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert load_catalog(root).problems == []
    return root


@pytest.fixture
def hostile_content(tmp_path, monkeypatch) -> Path:
    root = write_hostile_content(tmp_path / "content")
    monkeypatch.setenv("LEARNING_CONTENT_DIR", str(root))
    return root


def test_unsafe_links_in_every_authored_field_stay_inert_on_every_page(data_dir, hostile_content):
    create_first_admin(new_app())
    repo = open_store(data_dir)
    repo.update_user(repo.find_user("anne").id, lambda u: u.model_copy(update={"name": f"Anne {HOSTILE}",
                                                                              "unit": f"Enhet {HOSTILE}"}))
    repo.add_user(User(id="0301-fiendtlig", username="fiendtlig", name=f"Navn {HOSTILE}", municipality="0301",
                       unit=f"Enhet {HOSTILE}", created_at=NOW))
    at = sign_in(restart_app(), "anne", "hemmelig123")
    seen: dict[str, list] = {}

    def check(where: str) -> None:
        assert not at.exception, at.exception
        seen[where] = rendered_links(at)

    check("katalog")
    click(at, "Start modulen")
    check("leksjon 1")
    click(at, "Neste leksjon")
    check("leksjon 2")
    click(at, "Til scenarioet")
    check("scenario")
    click(at, "Start scenarioet")
    check("steg")
    radio = next(r for r in at.radio if r.label == "Hva gjør du?")
    radio.set_value(len(radio.options) - 1).run()  # the last choice: in the fixture a critical mistake
    click(at, "Velg")
    check("tilbakemelding")
    for label in ("Se resultatet", "Videre"):
        if label in labels(at.button):
            click(at, label)
            check(f"etter {label}")
            break
    for path in ("min-laering", "profil", "brukere", "forfatter"):
        goto(at, path)
        check(path)
    found = sorted({(where, kind, text[:50]) for where, items in seen.items() for kind, text, _ in items})
    assert not found, "\n".join(map(str, found))
