"""What the layout promises: tests build their scenarios themselves, benchmarks reuse them."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
IMPORTS_BENCHMARKS = re.compile(r"^\s*(from|import)\s+benchmarks\b", re.MULTILINE)


def test_tests_never_import_benchmarks() -> None:
    offenders = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if IMPORTS_BENCHMARKS.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_one_builders_module() -> None:
    assert [p.relative_to(TESTS).as_posix() for p in TESTS.rglob("builders.py")] == ["builders.py"]
