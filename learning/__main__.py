"""Command line: ``python -m learning <command>``.

Commands: validate, lint, schema, seed-demo, report, prune-audit, migrate, copy-data, send-reminders, xapi-export,
xapi-send, scorm-export (the last three in ``learning.interop.cli``). The data commands
open the store through ``learning.bootstrap``, as the app does.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from learning.config import content_root


def _catalog(paths: list[str]):
    from learning.content.catalog import load_catalog

    return load_catalog(content_root(), [Path(p) for p in paths] or None)


def cmd_validate(args: argparse.Namespace) -> int:
    from learning.i18n import t

    catalog = _catalog(args.paths)
    for problem in catalog.problems:
        print(problem)
    if catalog.problems:
        print(t("validate.found", n=len(catalog.problems)), file=sys.stderr)
        return 1
    print(t("validate.ok", modules=len(catalog.modules), quizzes=len(catalog.quizzes)))
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    from learning.content.lint import (
        lesson_problems,
        lesson_stats,
        module_problems,
        quiz_design_problems,
        text_problems,
    )

    catalog = _catalog(args.paths)
    failed = bool(catalog.problems)
    for problem in catalog.problems:
        print(problem)
    for quiz in catalog.quizzes.values():
        for problem in quiz_design_problems(quiz):
            failed = True
            print(f"quizzes/{quiz.id}.yaml: {problem}")
    for module in catalog.modules.values():
        quiz = catalog.quiz_for(module)
        for problem in module_problems(module, quiz) + text_problems(module, quiz):
            failed = True
            print(f"modules/{module.id}: {problem}")
        for lesson in module.lessons:
            stats = lesson_stats(lesson.body, f"modules/{module.id}/{lesson.id}.md")
            problems = lesson_problems(stats, lesson.body)
            failed = failed or bool(problems)
            print(_lesson_line(stats, problems))
            for problem in problems:
                print(f"  - {problem}")
    return 1 if _lint_translations(catalog) or failed else 0


def _lesson_line(stats, problems: list[str]) -> str:
    """One lesson's figures and verdict, as ``lint`` prints them."""
    from learning.i18n import t

    return t("lint.lesson", label=stats.label, lix=f"{stats.lix:.1f}", words=stats.words,
             longest=stats.longest_sentence, mark=t("lint.fail" if problems else "lint.ok"))


def _lint_translations(catalog) -> bool:
    """The same rules for nynorsk and English: each translated lesson, the translated texts, each scenario twin."""
    from learning.content.lint import (
        lesson_problems,
        lesson_stats,
        quiz_design_problems,
        text_problems,
    )

    failed = False
    for quiz_id, twins in sorted(catalog.quiz_translations.items()):
        for language, twin in sorted(twins.items()):
            for problem in quiz_design_problems(twin):
                failed = True
                print(f"quizzes/{quiz_id}.{language}.yaml: {problem}")
    for module_id, twins in sorted(catalog.module_translations.items()):
        for language, twin in sorted(twins.items()):
            view = catalog.in_language(language)
            module = view.modules[module_id]
            for problem in text_problems(module, view.quiz_for(module)):
                failed = True
                print(f"modules/{module_id} ({language}): {problem}")
            for lesson in module.lessons:
                if lesson.id not in twin.lessons:
                    continue  # shown in bokmål, linted above
                stats = lesson_stats(lesson.body, f"modules/{module_id}/{lesson.id}.{language}.md")
                problems = lesson_problems(stats, lesson.body)
                failed = failed or bool(problems)
                print(_lesson_line(stats, problems))
                for problem in problems:
                    print(f"  - {problem}")
    return failed


def cmd_schema(args: argparse.Namespace) -> int:
    from learning.content.models import ModuleMeta, Quiz

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, model in (("module.schema.json", ModuleMeta), ("quiz.schema.json", Quiz)):
        (out / name).write_text(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False) + "\n",
                                encoding="utf-8")
        print(out / name)
    return 0


LANGUAGE_OPTION = ("--language",)


def _language_option(default: object = None) -> dict:
    """``--language nn``: messages (content problems included) in nynorsk; else LEARNING_LANGUAGE or bokmål."""
    from learning.i18n import Language

    return {"dest": "language", "choices": [lang.value for lang in Language], "default": default, "metavar": "LANG",
            "help": "language of the messages: nb (default, or LEARNING_LANGUAGE), nn or en"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m learning")
    parser.add_argument(*LANGUAGE_OPTION, **_language_option())
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="validate modules/ and quizzes/ (or the given paths)")
    validate.add_argument("paths", nargs="*")
    validate.add_argument(*LANGUAGE_OPTION, **_language_option(argparse.SUPPRESS))
    validate.set_defaults(func=cmd_validate)
    lint = sub.add_parser("lint", help="readability and completeness of lessons")
    lint.add_argument("paths", nargs="*")
    lint.add_argument(*LANGUAGE_OPTION, **_language_option(argparse.SUPPRESS))
    lint.set_defaults(func=cmd_lint)
    schema = sub.add_parser("schema", help="write JSON Schema of the file formats")
    schema.add_argument("--out", default="schema")
    schema.set_defaults(func=cmd_schema)
    _register_data_commands(sub)
    from learning.interop.cli import register as register_interop

    register_interop(sub)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")  # names damaged files
    from learning.errors import UserError
    from learning.i18n import t, using_language

    with using_language(args.language):
        try:
            return args.func(args)
        except UserError as exc:  # a damaged file, an unreachable database, a bad setting
            print(t(exc.key, **exc.values), file=sys.stderr)
            return 1


def _store():
    """The configured store (bootstrap) and how messages name it: the data folder or host:port/database."""
    from learning.bootstrap import Settings, open_repository

    settings = Settings.from_env()
    repo = open_repository(settings)
    return repo, getattr(repo, "where", None) or settings.data_dir


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from learning.content.catalog import load_catalog
    from learning.i18n import t
    from learning.services.demo import seed_demo
    from learning.storage.errors import StoreNotEmpty

    repo, where = _store()
    if not repo.is_new():  # the same rule as first-run set-up: no data at all, so no username can clash
        print(t("demo.not_empty", folder=where), file=sys.stdout if args.if_empty else sys.stderr)
        return 0 if args.if_empty else 1
    try:
        logins = seed_demo(repo, load_catalog(content_root()), staff=args.size)
    except StoreNotEmpty:  # another process filled it since the check above; nothing was written
        print(t("demo.not_empty", folder=where), file=sys.stdout if args.if_empty else sys.stderr)
        return 0 if args.if_empty else 1
    lines = [f"  {x.username:<14} {x.password:<14} {x.description}" for x in logins]
    print(t("demo.seeded", size=args.size, folder=where))
    # Shown once, stored nowhere: whoever started the demo has the terminal.
    print(t("demo.logins") + "\n" + "\n".join(lines) + "\n" + t("demo.shown_once"))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from learning.content.catalog import load_catalog
    from learning.i18n import t
    from learning.municipalities import resolve
    from learning.services import exports
    from learning.services.accounts import system_actor
    from learning.services.reports import ReportService

    number = resolve(args.municipality)
    if number is None:
        print(t("cli.unknown_municipality", name=args.municipality), file=sys.stderr)
        return 2
    repo, _ = _store()
    service = ReportService(repo, load_catalog(content_root()))
    board = service.dashboard(system_actor(), number)
    if board.unreadable:  # left out of the figures; the log above names each file
        print(t("storage.unreadable_one") if board.unreadable == 1 else
              t("storage.unreadable_many", count=board.unreadable), file=sys.stderr)
    staff = service.staff_rows(system_actor(), number)
    tables = dict(zip(["summary", "staff", "area", "unit"], exports.report_tables(board, staff), strict=True))
    _audit_export(repo, number, args, board.headline.staff)
    if args.format == "xlsx":
        payload = exports.to_xlsx(list(tables.values()))
        out = Path(args.out or f"rapport-{number}.xlsx")
        out.write_bytes(payload)
        print(out)
        return 0
    payload = exports.to_csv(tables[args.table])
    if args.out:
        Path(args.out).write_bytes(payload)
        print(args.out)
    else:
        sys.stdout.write(payload.decode("utf-8-sig"))
    return 0


def _audit_export(repo, municipality: str, args: argparse.Namespace, rows: int) -> None:
    """Who exported what from the command line: the system, with the operating-system account that ran it."""
    import getpass

    from learning.clock import utc_now
    from learning.records import AuditAction
    from learning.services.audit import record_system

    target = args.out or (f"rapport-{municipality}.xlsx" if args.format == "xlsx" else "-")
    record_system(repo, AuditAction.EXPORTED, at=utc_now(), target=Path(target).name, municipality=municipality,
                  format=args.format, table=None if args.format == "xlsx" else args.table, rows=rows,
                  os_user=getpass.getuser())


def cmd_prune_audit(args: argparse.Namespace) -> int:
    """Apply the audit log's retention period now (the app also does it once a day)."""
    from learning.services.audit import AuditService

    removed = AuditService(_store()[0]).prune_expired(args.days)
    print(removed)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Bring the PostgreSQL schema up to date (the app also does this at start)."""
    from learning.bootstrap import Settings
    from learning.i18n import t

    settings = Settings.from_env()
    if not settings.database_url:
        print(t("database.tinydb", folder=settings.data_dir))
        return 0
    from learning.storage.postgres_repo import migrate_database

    applied = migrate_database(settings.database_url)
    print(t("database.migrated", count=len(applied), versions=", ".join(map(str, applied))) if applied
          else t("database.up_to_date"))
    return 0


def cmd_copy_data(args: argparse.Namespace) -> int:
    """Copy an embedded installation (a TinyDB data folder) into PostgreSQL and check the counts."""
    from learning.bootstrap import POSTGRES_SCHEMES, Settings, build_repository
    from learning.i18n import t
    from learning.services.copy_data import KINDS, Outcome, copy_store
    from learning.storage.tinydb_repo import TinyDBRepository

    folder = Path(args.source)
    if not folder.is_dir() or not any(folder.iterdir()):  # opening a folder would create it: a typo must not
        print(t("copy.no_source", folder=folder), file=sys.stderr)
        return 1
    if not args.target.startswith(POSTGRES_SCHEMES):
        print(t("copy.bad_url"), file=sys.stderr)
        return 1
    source = TinyDBRepository(folder)
    if source.is_new():
        print(t("copy.no_source", folder=folder), file=sys.stderr)
        return 1
    target = build_repository(Settings(data_dir=folder, content_root=content_root(), database_url=args.target,
                                       pool_size=2))
    try:
        result = copy_store(source, target)
    finally:
        target.close()  # type: ignore[attr-defined]
    where = getattr(target, "where", "")
    said = {Outcome.COPIED: t("copy.copied", folder=folder, where=where),
            Outcome.RESUMED: t("copy.resumed", folder=folder, where=where),
            Outcome.SAME: t("copy.same", folder=folder, where=where)}
    print(said[result.outcome])
    for kind in KINDS:
        print(t("copy.count", kind=t(f"copy.kind_{kind}"), count=result.target[kind]))
    return 0


def cmd_send_reminders(args: argparse.Namespace) -> int:
    """For cron: put due reminders and digests in the outbox, then send what is due (retries included)."""
    from learning.content.catalog import load_catalog
    from learning.i18n import t
    from learning.services.mail import SmtpSettings
    from learning.services.published import effective_catalog
    from learning.services.reminders import ReminderService
    from learning.session_tokens import server_secret

    repo, _ = _store()
    settings = SmtpSettings.from_env()
    if settings is None:
        print(t("mail.cli_no_smtp"), file=sys.stderr)
    content = effective_catalog(load_catalog(content_root()), repo)
    added, counts = ReminderService(repo, content, secret=server_secret()).run(settings)
    print(t("mail.cli_done", added=added, **counts))
    return 0


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1, else a message in the user's language."""
    from learning.i18n import t

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(t("demo.bad_size", size=text))
    return value


def _register_data_commands(sub) -> None:
    """Commands that touch the data store."""
    seed = sub.add_parser("seed-demo", help="create fictional demo staff with progress")
    seed.add_argument("--size", type=_positive, default=540,
                      help="number of fictional staff (default 540: 60 per city)")
    seed.add_argument("--if-empty", action="store_true",
                      help="only when the data folder holds no data at all (the first-run rule)")
    seed.set_defaults(func=cmd_seed_demo)
    report = sub.add_parser("report", help="a municipality's figures as CSV or Excel")
    report.add_argument("--municipality", required=True, help="kommunenummer or name, e.g. 4601 or Bergen")
    report.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    report.add_argument("--table", choices=["staff", "area", "unit", "summary"], default="staff",
                        help="which table as CSV (xlsx has all)")
    report.add_argument("--out", help="file to write (CSV goes to standard output without it)")
    report.set_defaults(func=cmd_report)
    prune = sub.add_parser("prune-audit", help="remove audit log entries older than the retention period")
    prune.add_argument("--days", type=int, default=None,
                       help="keep this many days (default LEARNING_AUDIT_DAYS or 365)")
    prune.set_defaults(func=cmd_prune_audit)
    migrate = sub.add_parser("migrate", help="apply pending PostgreSQL schema migrations (LEARNING_DATABASE_URL)")
    migrate.set_defaults(func=cmd_migrate)
    copy = sub.add_parser("copy-data", help="copy an embedded (TinyDB) data folder into PostgreSQL; idempotent")
    copy.add_argument("--from", dest="source", required=True, help="the data folder (LEARNING_DATA_DIR)")
    copy.add_argument("--to", dest="target", required=True, help="postgresql://… of the database to fill")
    copy.set_defaults(func=cmd_copy_data)
    remind = sub.add_parser("send-reminders", help="e-mail reminders and weekly digests (for cron); see README")
    remind.set_defaults(func=cmd_send_reminders)


if __name__ == "__main__":
    sys.exit(main())
