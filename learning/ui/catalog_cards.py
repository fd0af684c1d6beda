"""A catalog card's text as one HTML block: title, label, duty, description, progress.

Each Streamlit element costs every rerun of the page (about 0.05 ms of CPU, an empty script's
whole rerun is about 1.3 ms), and a card drawn from Streamlit elements took eight of them.
Drawn as one block, a card is three: its bordered container, this block and its button.

Everything shown is escaped here (``html.escape``): titles and descriptions are authored text,
the rest comes from the message catalog. No authored Markdown or HTML is interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from learning.formatting import fmt_date
from learning.i18n import t
from learning.services.assignments import Duty, Requirement
from learning.services.learning import CatalogEntry
from learning.ui.components import area_label

# The look of Streamlit's own heading, alerts, badge, caption and progress bar (light theme), so a card
# looks as it did when drawn from those elements. Sent with the page frame (``ui.chrome``).
CARD_STYLE = """
<style>
.lm-mod h3{font-size:1.75rem;font-weight:600;line-height:1.2;letter-spacing:-0.005em;margin:0;padding:.75rem 0 1rem;}
.lm-mod p{margin:0 0 1rem;}
.lm-mod .lm-badge{display:inline-block;font-size:.875rem;line-height:1.6;padding:0 .25rem;border-radius:.25rem;
  background:#f8f2ff;color:#6f33b8;}
.lm-mod .lm-note{display:flex;gap:.5rem;align-items:flex-start;padding:1rem;border-radius:.5rem;margin:0 0 1rem;
  line-height:1.5;}
.lm-mod .lm-note-error{background:#fff1f2;color:#9e303b;}
.lm-mod .lm-note-warning{background:#fffae5;color:#7a560c;}
.lm-mod .lm-icon{font-family:"Material Symbols Rounded";font-size:1.25rem;line-height:1.25rem;font-weight:400;
  font-style:normal;user-select:none;white-space:nowrap;flex:none;}
.lm-mod .lm-badge .lm-icon{font-size:1em;line-height:1;vertical-align:-0.125em;}
.lm-mod .lm-meta{font-size:.875rem;color:#4a4d57;}
.lm-mod .lm-progress-text{font-size:.875rem;margin:0 0 .5rem;line-height:1.2;}
.lm-mod progress{display:block;width:100%;height:.5rem;border:0;border-radius:.25rem;background:#f0f0ee;
  appearance:none;-webkit-appearance:none;}
.lm-mod progress::-webkit-progress-bar{background:#f0f0ee;border-radius:.25rem;}
.lm-mod progress::-webkit-progress-value{background:#1a4fa0;border-radius:.25rem 0 0 .25rem;}
.lm-mod progress::-moz-progress-bar{background:#1a4fa0;}
.lm-mod > :last-child{margin-bottom:0;}
@media (max-width: 640px){
  .lm-mod .lm-detail{display:none;}
  .lm-mod h3{font-size:1.15rem;padding:.25rem 0 .5rem;}
  [class*="st-key-catalog-card-"]{gap:0.4rem;padding:0.6rem 0.8rem !important;}
}
</style>
"""
"""On a phone each card is compact: title, label, duty, progress and button; the description is on
the module's own page. About a quarter of the height a full card takes there."""


@dataclass(frozen=True)
class Note:
    """A duty line: its words, and how it is shown (``error``, ``warning`` or plain) with which icon."""

    text: str
    tone: str = ""
    icon: str = ""


def requirement_note(requirement: Requirement) -> Note:
    """What the card says about a module the learner must take: done, due, late or to be renewed."""
    deadline = fmt_date(requirement.deadline)
    if requirement.duty == Duty.DONE and requirement.expires:
        return Note(t("renewal.done_until", expires=fmt_date(requirement.expires)))
    if requirement.duty == Duty.DONE:
        return Note(t("catalog.required_done", deadline=deadline))
    if requirement.duty == Duty.EXPIRING:
        return Note(t("renewal.expiring", expires=fmt_date(requirement.expires)), "warning", "autorenew")
    if requirement.duty == Duty.OVERDUE and requirement.expires:  # expired, and the renewal is late too
        return Note(t("renewal.expired_overdue", expires=fmt_date(requirement.expires), deadline=deadline),
                    "error", "schedule")
    if requirement.duty == Duty.OVERDUE:
        return Note(t("catalog.required_overdue", deadline=deadline), "error", "schedule")
    if requirement.duty == Duty.RENEW:
        return Note(t("catalog.required_renew", deadline=deadline), "warning", "autorenew")
    return Note(t("catalog.required", deadline=deadline), "warning", "priority_high")


def _note_html(note: Note) -> str:
    if not note.tone:
        return f"<p>{escape(note.text)}</p>"
    icon = f'<span class="lm-icon" aria-hidden="true" translate="no">{escape(note.icon)}</span>'
    return f'<div class="lm-note lm-note-{note.tone}">{icon}<span>{escape(note.text)}</span></div>'


def progress_text(entry: CatalogEntry) -> str:
    return t(f"status.{entry.status.value}") + " · " + t("catalog.percent", percent=entry.percent)


def card_html(entry: CatalogEntry, requirement: Requirement | None = None) -> str:
    """The card's text: an h3 (its heading level in the catalog), the leaders' label as a word, not colour
    alone, the duty, description and facts (left out on phones), and a progress bar named by its text."""
    meta = entry.module.meta
    parts = [f'<h3 class="lm-card-title">{escape(meta.title)}</h3>']
    if meta.for_leaders:
        icon = '<span class="lm-icon" aria-hidden="true" translate="no">groups</span>'
        parts.append(f'<p><span class="lm-badge">{icon} {escape(t("council_catalog.for_leaders"))}</span></p>')
    if requirement is not None:
        parts.append(_note_html(requirement_note(requirement)))
    areas = ", ".join(area_label(a) for a in meta.service_areas)
    facts = t("catalog.meta", areas=areas, minutes=meta.minutes)
    parts.append(f'<div class="lm-detail"><p>{escape(meta.description)}</p>'
                 f'<p class="lm-meta">{escape(facts)}</p></div>')
    label_id = escape(f"lm-progress-{meta.id}")
    parts.append(f'<div><p class="lm-progress-text" id="{label_id}">{escape(progress_text(entry))}</p>'
                 f'<progress max="100" value="{int(entry.percent)}" aria-labelledby="{label_id}">'
                 f"{int(entry.percent)} %</progress></div>")
    return f'<div class="lm-mod">{"".join(parts)}</div>'
