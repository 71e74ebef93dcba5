"""``actiontrail integrity keygen | checkpoint``: a signing key pair, and a checkpoint of the
log now (for cron where no server runs). Neither needs a token (see ``verify``)."""

import argparse
from pathlib import Path

from infrastructure.cli.context import load_settings, open_services
from infrastructure.cli.output import CliError, ExitCode, print_json, say, warn
from infrastructure.integrity.checkpoints import LogBroken
from infrastructure.integrity.keys import write_key_pair
from infrastructure.integrity.report import CheckpointView


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser("integrity")
    actions = parser.add_subparsers(dest="integrity_command", required=True)
    keygen = actions.add_parser(
        "keygen",
        help="write a new Ed25519 key pair for signing checkpoints",
        description="Write a new Ed25519 private key (PEM, readable by you only) to FILE and "
        "its public key to FILE.pub. Neither may exist yet. Keep the private key outside the "
        "database and give it to the processes that make checkpoints "
        "(ACTIONTRAIL_SIGNING_KEY_FILE); give the public key to those who verify.",
    )
    keygen.add_argument("--out", type=Path, required=True, metavar="FILE")
    keygen.add_argument("--json", action="store_true", help="print JSON")
    keygen.set_defaults(run=run_keygen)
    checkpoint = actions.add_parser(
        "checkpoint",
        help="make a checkpoint of the log now",
        description="Recompute the chain since the last checkpoint and, if the log has grown "
        "and verifies, store a checkpoint of its last position, signed with the signing key "
        "(unsigned, with a warning, without one), and append it to ACTIONTRAIL_WITNESS_FILE. "
        "Exit 11 when the log does not verify since the last checkpoint.",
    )
    checkpoint.add_argument("--json", action="store_true", help="print JSON")
    checkpoint.set_defaults(run=run_checkpoint)


def run_keygen(args: argparse.Namespace) -> int:
    signer = write_key_pair(args.out)
    public = f"{args.out}.pub"
    if args.json:
        print_json({"private_key": str(args.out), "public_key": public, "key": signer.key_id})
        return ExitCode.OK
    say(f"Private key: {args.out} (keep it outside the database; readable by you only)")
    say(f"Public key: {public}")
    say(f"Key id: {signer.key_id}")
    say(
        f"Give ACTIONTRAIL_SIGNING_KEY_FILE={args.out} to the server (and to cron's "
        f"actiontrail integrity checkpoint); give {public} to inspectors "
        "(ACTIONTRAIL_PUBLIC_KEYS_FILE or verify --public-key)."
    )
    return ExitCode.OK


def run_checkpoint(args: argparse.Namespace) -> int:
    settings = load_settings()
    with open_services(settings) as services:
        integrity = services.integrity
        try:
            made = integrity.checkpoint()
        except LogBroken as broken:
            raise CliError(str(broken), ExitCode.BROKEN) from None
        last = made or integrity.store.last_checkpoint()
    view = CheckpointView.of(last) if last else None
    if args.json:
        print_json({"made": made is not None, "checkpoint": view and view.model_dump()})
        return ExitCode.OK
    if made is None:
        where = f"checkpoint {last.seq} (position {last.position:,})" if last else "its start"
        say(f"No checkpoint made: the chain has not grown since {where}.")
        return ExitCode.OK
    signed = f"signed with key {made.key}" if made.signed else "UNSIGNED"
    say(f"Checkpoint {made.seq}: position {made.position:,}, {made.signed_at}, {signed}")
    say(f"Chain value: {made.hash}")
    if settings.witness_file is not None:
        say(f"Appended to the witness file {settings.witness_file}")
    if not made.signed:
        warn(
            "no signing key (ACTIONTRAIL_SIGNING_KEY_FILE or ACTIONTRAIL_SIGNING_KEY): the "
            "checkpoint is unsigned; see docs/integrity.md"
        )
    return ExitCode.OK
