"""``actiontrail pack --as-of D --known-at T [--out FILE]``: an inspection pack (PDF); and
``actiontrail pack verify FILE``: whether a pack matches the log (docs/integrity.md).

``pack verify`` exits 0 when the pack matches and the log verifies with a trusted key; 11 when
the log does not verify up to the pack's checkpoint (the event named); 12 when the pack
matches but nothing could be checked with a trusted key; 13 when the pack differs (what
differs named); 3 when the file is not a pack. Both need a governance or inspector token: a
pack holds the records' contents.
"""

import argparse
from pathlib import Path

from application.queries import PackQuery
from infrastructure.cli.context import add_token_option
from infrastructure.cli.output import CliError, ExitCode, fail, print_json, say, warn
from infrastructure.cli.query_options import add_query_options, query_of
from infrastructure.cli.reading import asked_by, caught_up, reading
from infrastructure.cli.verify import add_trust_options, unverifiable
from infrastructure.integrity.checkpoints import LogBroken
from infrastructure.packs.service import Pack, PackCheck


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "pack",
        description="Write an inspection pack: one PDF of the reports as of the day --as-of "
        "(over the year to it, or from --from), as known at --known-at (only what was recorded "
        "by then), computed at a checkpoint of the log that covers that time (one is made if "
        "none does yet), with a manifest of hashes. The same day, time and checkpoint give the "
        "same bytes. 'actiontrail pack verify FILE' checks a pack against the log.",
    )
    # Required by the pack, not by the parser: ``pack verify FILE`` takes none of them.
    add_query_options(parser, PackQuery, optional=True)
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="the PDF to write (default: actiontrail-pack-<as of>-known-<time>.pdf here)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_token_option(parser)
    parser.set_defaults(run=run_pack)
    actions = parser.add_subparsers(dest="pack_command", metavar="verify")
    verify = actions.add_parser(
        "verify",
        help="whether a pack matches the log",
        description="Read the pack's manifest, verify the log against its hash chain and "
        "signed checkpoints, and regenerate the pack from the manifest's inputs: exit 0 when "
        "it matches, byte for byte, and the log verifies with a trusted key; 11 when the log "
        "does not verify up to the pack's checkpoint; 12 when it matches but could not be "
        "verified with a trusted key; 13 when the pack differs (what differs named); 3 when "
        "the file is not a pack.",
    )
    verify.add_argument("file", type=Path, metavar="FILE")
    add_trust_options(verify)
    verify.add_argument("--json", action="store_true", help="print JSON")
    add_token_option(verify)
    verify.set_defaults(run=run_verify)


def run_pack(args: argparse.Namespace) -> int:
    if args.as_of is None or args.known_at is None:
        raise CliError("a pack needs --as-of and --known-at (or: pack verify FILE)", ExitCode.USAGE)
    query = query_of(PackQuery, args)
    with asked_by(args, PackQuery) as (services, user):
        try:
            pack: Pack = reading(services, args.json).ask(user.actor, query)
        except LogBroken as broken:
            raise CliError(str(broken), ExitCode.BROKEN) from None
    out = args.out or Path(pack.filename)
    out.write_bytes(pack.pdf)
    summary = {
        "file": str(out),
        "sha256": pack.sha256,
        "bytes": len(pack.pdf),
        "inputs": pack.inputs.model_dump(mode="json"),
        "by": user.id,
    }
    if args.json:
        print_json(summary)
        return ExitCode.OK
    inputs = pack.inputs
    say(f"Pack written: {out} ({len(pack.pdf):,} bytes)", markup=False)
    say(
        f"As of {inputs.as_of.isoformat()} (from {inputs.from_date.isoformat()}), as known at "
        f"{inputs.known_at.isoformat()}, at checkpoint {inputs.checkpoint}"
    )
    say(f"SHA-256: {pack.sha256}")
    return ExitCode.OK


def run_verify(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise CliError(f"no file at {args.file}", ExitCode.USAGE)
    with asked_by(args, PackQuery) as (services, _):
        caught_up(services, args.json)
        check = services.packs.verify(args.file.read_bytes(), args.public_key, args.witness)
    if args.json:
        print_json(check)
    else:
        show(check, args.file)
    return exit_code(check, quiet=args.json)


def exit_code(check: PackCheck, quiet: bool) -> int:
    if check.status == "not-a-pack":
        return ExitCode.INVALID
    if check.status == "log-broken":
        return ExitCode.BROKEN
    if check.status == "differs":
        return ExitCode.PACK_DIFFERS
    if check.integrity is not None and check.integrity.trust != "trusted-key":
        if not quiet:
            warn(unverifiable(check.integrity))
        return ExitCode.UNVERIFIABLE
    return ExitCode.OK


def show(check: PackCheck, file: Path) -> None:
    say(f"Pack: {file}", markup=False)
    inputs = check.inputs
    if inputs is not None:
        say(
            f"As of {inputs.as_of.isoformat()} (from {inputs.from_date.isoformat()}), as known "
            f"at {inputs.known_at.isoformat()}, at checkpoint {inputs.checkpoint}"
        )
    for difference in check.differences:
        fail(difference)
    if check.status == "matches":
        say("Status: the pack matches the log, byte for byte")
    elif check.status == "differs":
        say(f"Status: the pack differs from the log's ({len(check.differences)} difference(s))")
    elif check.status == "log-broken":
        say("Status: the log does not verify up to the pack's checkpoint")
