"""What Streamlit's own page frame lacks for WCAG 2.1 AA: readable styles, focus after actions, Norwegian chrome.

One stylesheet and one small script, sent every run as ONE element (``install_frame``, called by
``language.use_language``): Streamlit's cost per element is a good part of a learner page's rerun.

* styles: captions without Streamlit's 60 % opacity (3.0:1 became 7.6:1), a clear focus ring on
  every control (radio options and checkboxes included, whose real input is hidden), readable diff
  colours, headings that scroll clear of the top bar, and the phone/desktop switches used by
  ``charts`` and ``list_view``; on a phone, less empty space above the title and tab rows that
  wrap (Streamlit scrolls them sideways, hiding the last tabs off-screen);
* focus: after a button press or link that makes the app run again, focus and scroll move to the
  first heading that was not on the page before (the next lesson, the quiz step, the new page); with
  no new heading and focus lost (the pressed button vanished or was disabled), to the new message or
  the page's h1. Streamlit has no focus API, so the script watches the app's run state;
* text: Streamlit's built-in English (the skip link, "Choose an option", the file uploader's
  instructions, "Press Enter to apply", ...) is replaced with the catalog's words as it appears.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st

from learning.i18n import current_language, t, using_language
from learning.render import CALLOUT_STYLE
from learning.ui.context import run_memo

FOCUS = "#1a4fa0"
CAPTION = "#4a4d57"  # 7.6:1 on white

STYLE = f"""
<style>
:focus-visible{{outline:3px solid {FOCUS} !important;outline-offset:2px;}}
[data-testid="stRadio"] label:has(input:focus-visible),
[data-testid="stCheckbox"] label:has(input:focus-visible),
[data-testid="stToggle"] label:has(input:focus-visible){{
  outline:3px solid {FOCUS};outline-offset:2px;border-radius:4px;}}
[data-testid="stCaptionContainer"]{{opacity:1 !important;color:{CAPTION} !important;}}
[data-testid="stCaptionContainer"] p{{color:{CAPTION} !important;}}
[data-testid="stWidgetLabel"] p{{color:#1b1d24;}}
[data-testid="stTable"] [data-testid="stMarkdownContainer"]{{overflow:visible !important;}}
[data-testid="stMain"] h1,[data-testid="stMain"] h2,[data-testid="stMain"] h3{{scroll-margin-top:4.5rem;}}
[data-testid="stMain"] h1:focus,[data-testid="stMain"] h2:focus,[data-testid="stMain"] h3:focus{{outline-offset:4px;}}
[data-testid="stCode"] .token{{color:#1b1d24 !important;}}
[data-testid="stCode"] .token.inserted{{background:#dff3e4;}}
[data-testid="stCode"] .token.deleted{{background:#fbe1e1;}}
[data-testid="stFileUploaderDropzoneInstructions"] small{{color:{CAPTION};}}
.lm-phone-only{{display:none;}}
.lm-cards{{list-style:none;padding-left:0 !important;margin:0 0 1rem !important;}}
.lm-card{{border:1px solid #d5d7de;border-radius:.5rem;padding:.5rem .75rem;margin:0 0 .5rem !important;}}
.lm-card ul{{list-style:none;padding-left:0 !important;margin:.25rem 0 0 !important;}}
.lm-card li{{margin:0 !important;}}
.lm-card-label{{font-weight:600;}}
@media (max-width: 640px){{
  [data-testid="stMainBlockContainer"]{{padding-top:4.25rem !important;}}
  [data-testid="stHeading"] h1{{font-size:1.6rem !important;line-height:1.25;}}
  [data-testid="stHeading"] h2{{font-size:1.35rem !important;}}
  [data-testid="stHeading"] h3{{font-size:1.15rem !important;}}
  [data-testid="stTabs"] [role="tablist"]{{flex-wrap:wrap !important;overflow:visible !important;row-gap:.25rem;}}
  [data-testid="stTabsScrollLeft"],[data-testid="stTabsScrollRight"]{{display:none !important;}}
  .lm-phone-only{{display:block;}}
  .lm-wide-only,[class*="st-key-lm-wide-"]{{display:none !important;}}
}}
@media (min-width: 641px){{[class*="st-key-lm-phone-"]{{display:none !important;}}}}
</style>
"""

LESSON_STYLE = """
<style>
.lesson-body{font-size:1.05rem;line-height:1.6;max-width:46rem;}
.lesson-body h2{font-size:1.35rem;margin-top:1.2rem;}.lesson-body h3{font-size:1.15rem;}
</style>
"""

# Streamlit's own English words on the page -> catalog keys (exact text; whole text nodes or attributes).
STREAMLIT_TEXT = {
    "Skip to main content": "a11y.skip_to_content",
    "Choose an option": "a11y.choose_option",
    "Choose options": "a11y.choose_options",
    "No results": "a11y.no_results",
    "Drag and drop file here": "a11y.drop_file",
    "Drag and drop a file here": "a11y.drop_file",
    "Drag and drop files here": "a11y.drop_files",
    "Upload": "a11y.upload",
    "Press Enter to apply": "a11y.enter_to_apply",
    "Press Enter to submit form": "a11y.enter_to_submit",
    "Press ⌘+Enter to apply": "a11y.ctrl_enter_to_apply",
    "Press Ctrl+Enter to apply": "a11y.ctrl_enter_to_apply",
    "Press ⌘+Enter to submit form": "a11y.ctrl_enter_to_submit",
    "Press Ctrl+Enter to submit form": "a11y.ctrl_enter_to_submit",
    "Show password text": "a11y.show_password",
    "Hide password text": "a11y.hide_password",
    "Clear value": "a11y.clear_value",
    "Clear all": "a11y.clear_all",
    "Open": "a11y.open",
    "Close": "a11y.close",
    "Collapse sidebar": "a11y.collapse_sidebar",
    "Expand sidebar": "a11y.expand_sidebar",
    "Download as CSV": "a11y.download_csv",
    "Search": "a11y.search",
    "Fullscreen": "a11y.fullscreen",
    "Close fullscreen": "a11y.close_fullscreen",
    "Copy to clipboard": "a11y.copy",
    "Running...": "a11y.running",
    "Stop": "a11y.stop",
    "Main menu": "a11y.main_menu",
    "Page not found": "a11y.page_not_found",
    "Link to heading": "a11y.link_to_heading",
}

SCRIPT = (Path(__file__).with_name("chrome.js")).read_text(encoding="utf-8")


def config(language: str) -> dict:
    """The script's settings in ``language`` (the run's language)."""
    return {"lang": language, "text": {english: t(key) for english, key in STREAMLIT_TEXT.items()},
            "perFile": t("a11y.per_file"), "scrollTable": t("a11y.scroll_table")}


@functools.lru_cache(maxsize=8)
def frame_html(language: str) -> str:
    """The styles and the script with its settings in ``language``, built once per language: the
    catalog does not change while the process runs, so a rerun need not look up its words again."""
    from learning.ui.catalog_cards import CARD_STYLE  # (it uses ui.components, which uses this module)

    with using_language(language):
        settings = json.dumps(config(language), ensure_ascii=False)
    styles = STYLE + LESSON_STYLE + CALLOUT_STYLE + CARD_STYLE
    return compact(f"{styles}<script>{SCRIPT.replace('__CONFIG__', settings)}</script>")


def compact(code: str) -> str:
    """Without indentation, blank lines and whole-line ``//`` comments: Streamlit dedents and scans the
    frame's text on every run, in time that grows with its length. Lines stay lines (no JS is joined)."""
    lines = (line.strip() for line in code.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def install_frame(language: str | None = None, browser_script: str = "") -> None:
    """The styles and the script, and ``browser_script`` (what the browser must do this run: the
    sign-in cookie, ``session.browser_sync_script``), in one element at the top of the page.

    The script installs itself once per browser tab and is re-configured (language) each run.
    """
    html = frame_html(language or current_language())
    if browser_script:
        html += f"<script>{browser_script}</script>"
    st.html(html, unsafe_allow_javascript=True)
    run_memo()["frame"] = True


def frame_installed() -> bool:
    """Whether this run has sent the frame (a run stopped early sends it before its message)."""
    return bool(run_memo().get("frame"))
