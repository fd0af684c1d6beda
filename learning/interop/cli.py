"""Commands ``xapi-export``, ``xapi-send`` and ``scorm-export`` (registered by ``learning.__main__``)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path


def _since(text: str) -> datetime:
    """A date (midnight UTC) or an ISO time; anything else is a message in the user's language."""
    from learning.i18n import t

    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("interop.bad_since", value=text)) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def cmd_xapi_export(args: argparse.Namespace) -> int:
    from learning.bootstrap import services
    from learning.clock import utc_now
    from learning.i18n import t
    from learning.municipalities import resolve
    from learning.records import AuditAction
    from learning.services.audit import record_system

    from .export import statements
    from .xapi import XapiConfig

    municipality = None
    if args.municipality:
        municipality = resolve(args.municipality)
        if municipality is None:
            print(t("interop.unknown_municipality", value=args.municipality), file=sys.stderr)
            return 2
    built = services()
    count = 0
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115 - stdout or a file
    try:
        for statement in statements(built.repo, built.content(), XapiConfig.from_env(), since=args.since,
                                    municipality=municipality):
            out.write(json.dumps(statement, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    finally:
        if args.out:
            out.close()
    record_system(built.repo, AuditAction.EXPORTED, at=utc_now(), target=Path(args.out or "-").name,
                  municipality=municipality or "", format="xapi", rows=count, os_user=getpass.getuser())
    print(t("interop.exported", count=count), file=sys.stderr)
    return 0


def cmd_xapi_send(args: argparse.Namespace) -> int:
    from learning.bootstrap import services
    from learning.i18n import t

    from .lrs import ENDPOINT_ENV, LrsSettings, send
    from .xapi import XapiConfig

    settings = LrsSettings.from_env()
    if settings is None:
        print(t("interop.lrs_off", variable=ENDPOINT_ENV), file=sys.stderr)
        return 1
    built = services()
    result = send(built.repo, built.content(), XapiConfig.from_env(), settings)
    if result.busy:
        print(t("interop.lrs_busy"), file=sys.stderr)
        return 0
    print(t("interop.lrs_sent", queued=result.queued, sent=result.sent, refused=result.refused,
            waiting=result.waiting))
    if result.error:
        print(t("interop.lrs_failed", endpoint=settings.endpoint, error=result.error), file=sys.stderr)
        return 1
    return 0


def cmd_scorm_export(args: argparse.Namespace) -> int:
    from learning.bootstrap import services
    from learning.i18n import t

    from .scorm import build_package

    content = services().content()
    if args.module not in content.modules:
        print(t("interop.unknown_module", module=args.module), file=sys.stderr)
        return 2
    view = content.in_language(args.language)
    payload = build_package(view, args.module, args.language)
    out = Path(args.out or f"{args.module}-scorm12.zip")
    out.write_bytes(payload)
    print(out)
    return 0


def register(sub) -> None:
    export = sub.add_parser("xapi-export", help="every stored learning event as xAPI statements (JSON lines)")
    export.add_argument("--since", type=_since, help="only events from this date (YYYY-MM-DD) or ISO time on")
    export.add_argument("--municipality", help="kommunenummer or name, e.g. 4601 or Bergen")
    export.add_argument("--out", help="file to write (standard output without it)")
    export.set_defaults(func=cmd_xapi_export)
    send = sub.add_parser("xapi-send", help="queue new learning events and send the queue to the LRS "
                                            "(LEARNING_XAPI_ENDPOINT); for cron")
    send.set_defaults(func=cmd_xapi_send)
    scorm = sub.add_parser("scorm-export", help="a module as a SCORM 1.2 package (zip) for Moodle / KS Læring")
    scorm.add_argument("module", help="the module's id, e.g. trygg-deling")
    scorm.add_argument("--out", help="file to write (default MODULE-scorm12.zip)")
    scorm.add_argument("--language", choices=["nb", "nn"], default="nb", help="content language (default nb)")
    scorm.set_defaults(func=cmd_scorm_export)
