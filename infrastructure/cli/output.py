"""What the command line prints: readable tables by default, JSON with --json; exit codes."""

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from infrastructure.cli.table_widths import fit
from infrastructure.presentation.exit_codes import ExitCode as ExitCode  # its home before

#: Not on a terminal (a pipe, a file), lines are not wrapped at 80 columns.
console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
errors = Console(stderr=True, soft_wrap=True)


class CliError(Exception):
    """A failure to report in one line, with the exit code that says what kind it is."""

    def __init__(self, message: str, code: ExitCode) -> None:
        super().__init__(message)
        self.code = code


def print_json(data: Any) -> None:
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
    sys.stdout.flush()


def print_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A table that fits the terminal: words and dates never split (``table_widths``)."""
    cells = [["" if value is None else str(value) for value in row] for row in rows]
    fitted = fit(columns, cells, console.width)
    options: dict[str, Any] = {}
    if fitted.compact:
        options = {"box": box.SIMPLE_HEAD, "padding": (0, 0), "show_edge": False}
    table = Table(title=title, title_justify="left", header_style="bold", **options)
    for i, column in enumerate(columns):
        if fitted.widths is None:
            table.add_column(column, overflow="fold")
        else:
            table.add_column(column, width=fitted.widths[i], overflow="ellipsis")
    for row in cells:
        table.add_row(*row)
    console.print(table)


def say(message: str, markup: bool = True) -> None:
    """Print a line; ``markup=False`` for text that may hold ``[...]`` (records' own text)."""
    console.print(message, highlight=False, markup=markup)


def warn(message: str) -> None:
    errors.print(message, highlight=False, style="yellow")


def fail(message: str) -> None:
    errors.print(f"error: {message}", highlight=False, style="red", markup=False)


def progress_bar(quiet: bool) -> Progress:
    """A progress bar on stderr; silent with --json or when stderr is not a terminal."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        disable=quiet or not errors.is_terminal,
        transient=True,
    )
