"""``actiontrail verify``: the log recomputed against its hash chain, every checkpoint's
signature checked (docs/integrity.md).

Exit 0: verified, and anchored by a checkpoint signed with a trusted key; 11: broken (the
first mismatch named); 12: the chain recomputes but nothing could be checked with a trusted key
(none given, checkpoints unsigned, or none yet). Like ``projections``, it needs no token: it
reads only the log's bytes, which whoever can reach the database can already read.
"""

import argparse
from dataclasses import replace
from pathlib import Path

from application.queries import IntegrityQuery
from domain.values import SYSTEM
from infrastructure.cli.context import load_settings, open_services
from infrastructure.cli.output import ExitCode, fail, print_json, progress_bar, say, warn
from infrastructure.cli.query_options import add_query_options, query_of
from infrastructure.integrity.report import REASONS, IntegrityReport
from infrastructure.presentation.wording import counted
from infrastructure.storage.faults import describe_database


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "verify",
        description="Recompute the hash chain over every stored event (from checkpoint --from "
        "on, when given) and check every checkpoint's signature with the trusted public keys "
        "(the signing key's, ACTIONTRAIL_PUBLIC_KEYS_FILE's, --public-key's). Exit 0: verified "
        "and signed with a trusted key; 11: broken, the first mismatch named; 12: the chain "
        "recomputes but no signature could be checked with a trusted key.",
    )
    add_query_options(parser, IntegrityQuery)
    add_trust_options(parser)
    parser.add_argument("--json", action="store_true", help="print JSON (as GET /integrity)")
    parser.set_defaults(run=run_verify)


def add_trust_options(parser: argparse.ArgumentParser) -> None:
    """``--public-key`` and ``--witness``: what the log is verified against."""
    parser.add_argument(
        "--public-key",
        type=Path,
        metavar="FILE",
        help="a PEM file of public keys to trust, besides the configured ones",
    )
    parser.add_argument(
        "--witness",
        type=Path,
        metavar="FILE",
        help="the witness file of checkpoints to compare with (default: ACTIONTRAIL_WITNESS_FILE)",
    )


def run_verify(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_services(settings) as services, progress_bar(args.json) as bar:
        task = bar.add_task("Verifying the log", total=None)
        query = replace(
            query_of(IntegrityQuery, args),
            public_keys=args.public_key,
            witness=args.witness,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
        # No token: whoever can reach the database can read the log's bytes (see above).
        report: IntegrityReport = services.queries.ask(SYSTEM, query)
    if args.json:
        print_json(report)
    else:
        show(report, describe_database(settings))
    if report.status == "broken":
        return ExitCode.BROKEN
    if report.trust != "trusted-key":
        if not args.json:
            warn(unverifiable(report))
        return ExitCode.UNVERIFIABLE
    return ExitCode.OK


def unverifiable(report: IntegrityReport) -> str:
    why = {
        "database-key": "its checkpoints were checked only with the public key the database "
        "itself holds; give the trusted key (ACTIONTRAIL_PUBLIC_KEYS_FILE or --public-key)",
        "unsigned": "its checkpoints are unsigned (no signing key was configured when they "
        "were made), so nothing proves the chain was not rewritten",
        "none": "it has no checkpoint yet: run actiontrail integrity checkpoint with the "
        "signing key",
    }[report.trust]
    return f"unverifiable: the chain recomputes, but {why}"


def show(report: IntegrityReport, database: str) -> None:
    say(f"Log: {database}, {report.head:,} events", markup=False)
    first = report.first_mismatch
    if first is not None:
        fail(f"the log does not verify at position {first.position}: {first.reason}")
        say(f"  {REASONS[first.reason]}", markup=False)
        say(f"  {first.detail}", markup=False)
    verified = (
        f"positions {report.verified_from:,} to {report.verified_to:,}"
        if report.verified_to >= report.verified_from
        else "nothing"
    )
    checkpoints = counted(report.checkpoints, "checkpoint")
    say(f"Verified: {verified} (chain recomputed, {checkpoints} on the way)")
    if report.signed_to:
        say(f"Signed with a trusted key: up to position {report.signed_to:,}")
    last = report.last_checkpoint
    if last is not None:
        signed = f"signed with key {last.key}" if last.signed else "unsigned"
        say(
            f"Last checkpoint: {last.seq} at position {last.position:,}, {last.signed_at}, "
            f"{signed}",
            markup=False,
        )
    else:
        say("Last checkpoint: none yet")
    for note in report.notes:
        say(f"Note: {note}", markup=False)
    if report.status == "ok" and report.trust == "trusted-key":
        say(f"Status: verified, signed with a trusted key up to position {report.signed_to:,}")
    elif report.status == "ok":
        say("Status: the log matches its chain, but could not be verified with a trusted key")
