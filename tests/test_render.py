"""Authored Markdown never runs HTML or JavaScript."""

from __future__ import annotations

import pytest

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
