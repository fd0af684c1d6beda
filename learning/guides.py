"""Printable facilitator guides: a standalone HTML page that prints well."""

from __future__ import annotations

from html import escape

from learning.render import CALLOUT_STYLE, render_markdown

PRINT_STYLE = """
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:44rem;margin:2rem auto;
padding:0 1rem;line-height:1.55;color:#111;}
h1{font-size:1.7rem;}h2{font-size:1.3rem;margin-top:1.6rem;}
@media print{body{margin:0;max-width:none;font-size:11pt;}h2{break-after:avoid;}
li,.callout{break-inside:avoid;}a{color:#000;}}
</style>
"""


def printable_html(title: str, subtitle: str, body_markdown: str) -> str:
    """A complete HTML document in Norwegian, safe (raw HTML in the guide stays text)."""
    return (
        '<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n{PRINT_STYLE}{CALLOUT_STYLE}</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n<p><em>{escape(subtitle)}</em></p>\n"
        f"{render_markdown(body_markdown)}</body>\n</html>\n"
    )
