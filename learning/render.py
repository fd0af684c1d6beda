"""Markdown to safe HTML for lessons, guides and feedback.

Raw HTML is off, and links with javascript:, vbscript:, file: or data: are
refused, so authored text can never run code in a learner's browser. Images
load only from hosts on an allow-list (none by default), so no third party
learns who reads what.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.container import container_plugin

from learning.config import image_hosts
from learning.i18n import current_language, t

UNSAFE_LINK = re.compile(r"^\s*(javascript|vbscript|file|data):", re.IGNORECASE)
CALLOUTS = {"råd": "render.callout_advice", "refleksjon": "render.callout_reflection"}
CALLOUT_CSS_CLASS = {"råd": "callout-advice", "refleksjon": "callout-reflection"}


def is_safe_link(url: str) -> bool:
    # Browsers ignore control characters and whitespace inside a scheme.
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    return not UNSAFE_LINK.match(cleaned)


def is_allowed_image(url: str) -> bool:
    """An image the learner's browser may fetch: only from a host on the allow-list (none by default)."""
    host = (urlsplit(re.sub(r"[\x00-\x20\x7f]", "", url)).hostname or "").lower()
    return bool(host) and host in image_hosts() and is_safe_link(url)


def _image(self, tokens, idx, options, env) -> str:
    """An allowed image as usual; any other shows its description as text, and nothing is fetched."""
    token = tokens[idx]
    if is_allowed_image(token.attrGet("src") or ""):
        return self.image(tokens, idx, options, env)
    alt = self.renderInlineAsText(token.children or [], options, env)
    return f'<span class="image-omitted">[{escapeHtml(t("render.image_omitted", alt=alt))}]</span>'


def _callout_renderer(name: str):
    def render(self, tokens, idx, options, env):
        if tokens[idx].nesting == 1:
            title = t(CALLOUTS[name])
            return (
                f'<aside class="callout {CALLOUT_CSS_CLASS[name]}" role="note" '
                f'aria-label="{title}"><p class="callout-title">{title}</p>\n'
            )
        return "</aside>\n"

    return render


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
    md.enable(["table", "strikethrough"])
    for name in CALLOUTS:
        md.use(container_plugin, name=name, render=_callout_renderer(name))
    md.validateLink = is_safe_link  # type: ignore[method-assign]  # markdown-it-py's documented hook
    md.add_render_rule("image", _image)
    return md


def render_markdown(text: str) -> str:
    """Render authored Markdown to HTML that is safe to show as is.

    Pages rerun on every click, and a lesson page shows the same lesson, guide and sources
    each time, so each text is rendered once per language and image allow-list and kept:
    the text itself is the key (the content catalog hands out the same string object every
    run, whose hash Python keeps), so a new content version, a draft being typed or a
    changed setting renders anew and nothing stale can be shown.
    """
    return _rendered(text, current_language(), image_hosts())


@lru_cache(maxsize=512)  # a few hundred lessons, guides and feedback texts; a typing author's drafts roll out
def _rendered(text: str, language: str, allowed_image_hosts: frozenset[str]) -> str:
    """The HTML of ``text``; the language (callout titles) and the image allow-list are part of the key."""
    return _parser().render(text)


CALLOUT_STYLE = """
<style>
.callout{border-left:6px solid;border-radius:6px;padding:.6rem 1rem;margin:1rem 0;}
.callout-title{font-weight:700;margin:0 0 .3rem 0;}
.callout-advice{border-color:#1a5e20;background:#eef7ee;color:#102a12;}
.callout-advice .callout-title::before{content:"💬 ";}
.callout-reflection{border-color:#283593;background:#eef0fb;color:#141a4a;}
.callout-reflection .callout-title::before{content:"🤔 ";}
</style>
"""
