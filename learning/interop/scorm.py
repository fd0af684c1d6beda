"""A module as a SCORM 1.2 package: ``imsmanifest.xml`` and a static player that needs no server.

The lessons, the scenario's texts and feedback are rendered here with the app's safe
renderer (``learning/render.py``: raw HTML off, unsafe links refused) and embedded in
``index.html`` as JSON; the player (``player/player.js``) only puts that HTML and plain
text into the page. It plays the scenario by the rules of ``services/quiz_play.py``
(a critical choice ends the scenario and fails the attempt; the pass mark is a share of
the best points on the path taken) and reports to the LMS through the SCORM 1.2 API.
"""

from __future__ import annotations

import io
import json
import zipfile
from importlib import resources
from xml.sax.saxutils import escape, quoteattr

from learning.content.catalog import ContentCatalog
from learning.content.models import Module, Quiz
from learning.errors import UserError
from learning.i18n import t, using_language
from learning.records import Role, User
from learning.render import render_markdown
from learning.services.authz import require_role

PLAYER_FILES = ("player.js", "player.css")
SCHEMA_LOCATION = ("http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd "
                   "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
                   "http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd")
ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed, so the same content gives the same bytes
STRING_KEYS = (
    "lessons", "lesson_of", "lesson_done", "to_scenario", "scenario", "how_it_works", "start", "step_n",
    "what_do_you_do", "choose", "you_chose", "feedback_title", "tags_title", "critical_ends", "continue", "see_result",
    "result_title", "score", "passed", "not_passed", "critical_title", "critical_body", "critical_rule",
    "your_path", "path_item", "path_item_critical", "try_again", "module_done", "no_lms", "shuffled_note",
    "pick_one",
)


def _content(module: Module, quiz: Quiz | None, language: str) -> dict:
    lessons = [{"id": lesson.id, "title": lesson.title, "html": render_markdown(lesson.body)}
               for lesson in module.lessons]
    data: dict = {"module": {"id": module.id, "title": module.meta.title, "version": module.version},
                  "language": language, "lessons": lessons, "quiz": None,
                  "strings": {key: t(f"scorm.{key}") for key in STRING_KEYS}}
    if quiz is not None:
        data["quiz"] = {
            "id": quiz.id, "title": quiz.title, "version": quiz.version, "intro": render_markdown(quiz.intro),
            "pass_percent": quiz.pass_percent,
            "steps": [{"id": step.id, "html": render_markdown(step.text), "choices": [
                {"text": choice.text, "feedback": render_markdown(choice.feedback), "points": choice.points,
                 "next": choice.next, "critical": choice.critical, "critical_reason": choice.critical_reason,
                 "tags": [{"label": t(f"tag.{tag.value}"), "helpful": tag.child_centred} for tag in choice.tags]}
                for choice in step.choices]} for step in quiz.steps]}
    return data


def _json_for_script(data: dict) -> str:
    """JSON that cannot end its <script> element: every '<' and '>' as a \\u escape."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def index_html(data: dict, language: str) -> str:
    title = escape(data["module"]["title"])
    return f"""<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="player.css">
</head>
<body>
<main id="app" aria-live="polite"><h1>{title}</h1><noscript>{escape(t("scorm.no_script"))}</noscript></main>
<script type="application/json" id="content">{_json_for_script(data)}</script>
<script src="player.js"></script>
</body>
</html>
"""


def manifest(module: Module) -> str:
    """The SCORM 1.2 manifest (IMS Content Packaging 1.1.2 with the ADL extensions): one SCO."""
    ident = f"mittliv-{module.id}"
    files = "\n".join(f"        <file href={quoteattr(name)}/>" for name in ("index.html", *PLAYER_FILES))
    title = escape(module.meta.title)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{ident}" version="{module.version}"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="{SCHEMA_LOCATION}">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="{ident}-org">
    <organization identifier="{ident}-org">
      <title>{title}</title>
      <item identifier="{ident}-item" identifierref="{ident}-sco" isvisible="true">
        <title>{title}</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="{ident}-sco" type="webcontent" adlcp:scormtype="sco" href="index.html">
{files}
    </resource>
  </resources>
</manifest>
"""


def package_files(content: ContentCatalog, module_id: str, language: str) -> dict[str, bytes]:
    """Path in the zip -> bytes; ``content`` is the catalog as learners of ``language`` see it."""
    module = content.module(module_id)
    with using_language(language):
        data = _content(module, content.quiz_for(module), language)
        files = {"imsmanifest.xml": manifest(module).encode("utf-8"),
                 "index.html": index_html(data, language).encode("utf-8")}
    player = resources.files("learning.interop") / "player"
    for name in PLAYER_FILES:
        files[name] = (player / name).read_bytes()
    return files


def build_package(content: ContentCatalog, module_id: str, language: str = "nb") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in package_files(content, module_id, language).items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, payload)
    return buffer.getvalue()


def package_name(module_id: str, language: str) -> str:
    return f"{module_id}-scorm12-{language}.zip"


SCORM_LANGUAGES = ("nb", "nn")


def package_for(actor: User | None, content: ContentCatalog, module_id: str, language: str = "nb") -> bytes:
    """An author's (or admin's) download: the module as learners of ``language`` see it, published content only."""
    require_role(actor, Role.AUTHOR, Role.ADMIN)
    if module_id not in content.modules:
        raise UserError("interop.unknown_module", module=module_id)
    if language not in SCORM_LANGUAGES:
        language = "nb"
    return build_package(content.in_language(language), module_id, language)
