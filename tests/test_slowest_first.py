"""The slowest test files start first in parallel runs (tests/conftest.py)."""

from pathlib import Path

from tests.conftest import SLOWEST_FILES, slowest_first

ROOT = Path(__file__).parent.parent


def test_every_listed_slow_file_exists() -> None:
    assert [name for name in SLOWEST_FILES if not (ROOT / name).is_file()] == []


def test_the_slowest_files_come_first_each_in_its_collected_order() -> None:
    class Item:
        def __init__(self, name: str, n: int) -> None:
            self.path = ROOT / name
            self.n = n

    quick = "tests/test_readme.py"
    items = [
        Item(quick, 0),
        Item(SLOWEST_FILES[1], 1),
        Item(quick, 2),
        Item(SLOWEST_FILES[0], 3),
        Item(SLOWEST_FILES[1], 4),
    ]
    ordered = slowest_first(items, ROOT)  # type: ignore[arg-type]
    assert [item.n for item in ordered] == [3, 1, 4, 0, 2]  # type: ignore[attr-defined]
