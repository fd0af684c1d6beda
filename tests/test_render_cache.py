"""Markdown is rendered once per text, language and image setting, not on every rerun.

Counted with the renderer's own calls, never timed (speed is measured in bench/bench_pages.py).
"""

from __future__ import annotations

import pytest

from learning import render
from learning.i18n import set_language
from learning.records import Role
from tests.stores import open_store

from .apptest_helpers import goto, restart_app, sign_in
from .helpers import admin_and_accounts, make_user


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Every text markdown-it really renders (the cache emptied first)."""
    render._rendered.cache_clear()
    seen: list[str] = []
    parser = render._parser()
    real = parser.render

    def counting(text, env=None):
        seen.append(text)
        return real(text, env)

    monkeypatch.setattr(parser, "render", counting)
    yield seen
    render._rendered.cache_clear()


@pytest.mark.tinydb_only  # no store involved
def test_the_same_text_is_rendered_once(renders):
    first = render.render_markdown("Lytt **til** barnet.")
    assert render.render_markdown("Lytt **til** barnet.") == first == "<p>Lytt <strong>til</strong> barnet.</p>\n"
    assert renders == ["Lytt **til** barnet."]
    render.render_markdown("Lytt **til** barnet!")  # a changed text (a new version, a draft) is rendered anew
    assert len(renders) == 2


@pytest.mark.tinydb_only
def test_language_and_image_setting_are_part_of_the_key(renders, monkeypatch):
    text = "::: råd\nSpør barnet.\n:::\n\n![Kart](https://bilder.kommune.example/kart.png)\n"
    try:
        set_language("nb")
        assert "Råd fra barn" in render.render_markdown(text)
        set_language("en")
        english = render.render_markdown(text)
        assert "Råd fra barn" not in english and "<img" not in english
        monkeypatch.setenv("LEARNING_IMAGE_HOSTS", "bilder.kommune.example")
        assert '<img src="https://bilder.kommune.example/kart.png"' in render.render_markdown(text)
        assert render.render_markdown(text).count("<img") == 1
    finally:
        set_language(None)
    assert len(renders) == 3  # nb, en, en with images: each once


def test_a_lesson_page_rerun_renders_nothing_again(data_dir, fixture_content, renders):
    accounts, admin = admin_and_accounts(open_store(data_dir))
    make_user(accounts, admin, "kari", role=Role.LEARNER)
    at = sign_in(restart_app(), "kari", "passord123")
    at.query_params["modul"] = "prove-modul"
    goto(at, "modul")
    assert "Første leksjon" in [h.value for h in at.header]
    first_run = len(renders)
    assert first_run == len(set(renders)) >= 3  # the lesson, the guide and the sources, each once
    for _ in range(3):
        at.run()
    assert not at.exception and len(renders) == first_run
    # A new session (another learner, the next page load) uses the same rendered HTML.
    at = sign_in(restart_app(), "kari", "passord123")
    at.query_params["modul"] = "prove-modul"
    goto(at, "modul")
    assert len(renders) == first_run
