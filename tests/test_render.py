"""Authored Markdown never runs HTML or JavaScript."""

from __future__ import annotations

import pytest

from learning.content.loader import markdown_problems
from learning.guides import printable_html
from learning.render import render_markdown


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<iframe src='https://example.com'></iframe>",
    '<a href="javascript:alert(1)">x</a>',
])
def test_raw_html_is_escaped(source):
    html = render_markdown(source)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<a " not in html
    assert "&lt;" in html


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=", "data:image/png;base64,AAAA", " javascript:alert(1)",
])
def test_unsafe_links_are_not_links(url):
    html = render_markdown(f"[klikk]({url}) og ![bilde]({url})")
    assert "href=" not in html and "<img" not in html


def test_safe_links_and_emphasis_render():
    html = render_markdown("Les **mer** på [nettsiden](https://example.no).")
    assert '<a href="https://example.no">nettsiden</a>' in html
    assert "<strong>mer</strong>" in html


def test_callouts_are_distinct_labelled_blocks():
    html = render_markdown("::: råd\nLytt til barnet.\n:::\n\n::: refleksjon\nHva gjør du?\n:::\n")
    assert '<aside class="callout callout-advice" role="note" aria-label="Råd fra barn">' in html
    assert '<aside class="callout callout-reflection" role="note" aria-label="Refleksjon">' in html
    assert "<p>Lytt til barnet.</p>" in html


def test_printable_guide_is_norwegian_and_inert():
    html = printable_html("Guide", "Modul", "## Mål\n\n<script>x()</script>")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nb">' in html
    assert "<script>" not in html and "@media print" in html


def test_images_from_other_sites_are_not_fetched_but_described(monkeypatch):
    html = render_markdown("Se ![Et barn som leker](https://sporing.example/pixel.png).")
    assert "<img" not in html and "sporing.example" not in html
    assert "[Bilde som ikke vises: Et barn som leker]" in html
    monkeypatch.setenv("LEARNING_IMAGE_HOSTS", "bilder.kommune.example")
    allowed = render_markdown("![Kart](https://bilder.kommune.example/kart.png) ![Spor](https://sporing.example/p.png)")
    assert '<img src="https://bilder.kommune.example/kart.png" alt="Kart" />' in allowed
    assert "sporing.example" not in allowed


def test_validator_names_an_image_from_another_site():
    problems = markdown_problems("Tekst.\n\n![Spor](https://sporing.example/p.png)\n", "modules/m/l.md")
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(3, "bildet «https")]
    assert markdown_problems("[Udir](https://www.udir.no)\n", "modules/m/l.md") == []
