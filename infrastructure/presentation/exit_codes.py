"""The command line's exit codes (``docs/cli.md``), which the error table
(``presentation.failures``) gives each kind of error; a module of its own so that the CLI's
entry point reads them without importing anything else."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    INVALID = 3
    UNAUTHORIZED = 4
    NOT_FOUND = 5
    CONFLICT = 6
    DATABASE_UNAVAILABLE = 7
    PORT_IN_USE = 8
    #: A read model is stalled at an event it cannot apply (a report of it, or a retry that
    #: did not pass).
    STALLED = 10
    #: ``verify``: the log does not match its hash chain or its signed checkpoints.
    BROKEN = 11
    #: ``verify``: the chain recomputes, but no checkpoint's signature could be checked with a
    #: trusted key (none given, none signed, or no checkpoint yet).
    UNVERIFIABLE = 12
    #: ``pack verify``: the pack differs from the one the log gives for its inputs.
    PACK_DIFFERS = 13
    #: Ctrl-C (as a shell reports a process ended by SIGINT).
    INTERRUPTED = 130
