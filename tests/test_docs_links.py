"""The repository carries what its docs cite: every relative link and every path to a file of
the repository named in README.md and docs/ exists, and none points outside it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
#: A path of the repository in backticks, e.g. `infrastructure/scenarios/seed-audit.json`.
REPO_PATH = re.compile(
    r"`((?:domain|application|projections|infrastructure|docs|tests|benchmarks)/[\w./-]+\.\w+)`"
)


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_relative_links_and_named_files_exist_in_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    missing = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = (doc.parent / target.split("#", 1)[0]).resolve()
        if not path.is_relative_to(ROOT) or not path.exists():
            missing.append(target)
    missing += [name for name in REPO_PATH.findall(text) if not (ROOT / name).exists()]
    assert missing == []
    assert "shared/" not in text
