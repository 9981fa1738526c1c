"""Command line: `python -m ingest [--check] [--force] [--quiet]`."""

from __future__ import annotations

import argparse
import logging
import sys

from assistant.config import get_settings
from assistant.errors import AssistantError
from ingest.build import IngestFailed, plan, run_ingest

log = logging.getLogger("ingest")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__)
    parser.add_argument("--check", action="store_true", help="validate only; write nothing")
    parser.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    try:
        if args.check:
            work = plan(settings)
            log.info("%d documents, %d chunks: all valid", len(work.documents), len(work.chunks))
            _report_lists(work.needs_review, work.expired)
            return 0
        report = run_ingest(settings, force=args.force, show_progress=not args.quiet)
    except IngestFailed as exc:
        for error in exc.errors:
            log.error("%s", error)
        log.error("%d problem(s); nothing was written and the served index is unchanged", len(exc.errors))
        return 1
    except AssistantError as exc:
        log.error("%s", exc)
        return 1
    log.info("%s", report.summary())
    _report_lists(report.needs_review, report.expired)
    return 0


def _report_lists(needs_review: list[str], expired: list[str]) -> None:
    if needs_review:
        log.info("needs review (indexed for staff, not served): %s", ", ".join(needs_review))
    if expired:
        log.warning("past review_by (not served until re-verified): %s", ", ".join(expired))


if __name__ == "__main__":
    sys.exit(main())
