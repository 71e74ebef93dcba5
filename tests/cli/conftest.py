"""Running the ``actiontrail`` command in-process, on each store, and the files it reads."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from infrastructure.cli import main
from infrastructure.config import Settings


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


@pytest.fixture
def run(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Run:
    """``run("users", "list", token=...)``: the exit code and what was printed."""
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ACTIONTRAIL_DATABASE_SCHEMA", settings.database_schema)
    monkeypatch.delenv("ACTIONTRAIL_TOKEN", raising=False)

    def invoke(*argv: str, token: str | None = None) -> Result:
        capsys.readouterr()
        args = [*argv, f"--token={token}"] if token else list(argv)
        code = main(args)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def add_user(run: Run) -> Callable[..., dict[str, Any]]:
    """Add a user through the CLI; the first one needs no token."""
    tokens: list[str] = []

    def add(name: str, role: str, agency: str | None = None) -> dict[str, Any]:
        argv = ["users", "add", "--name", name, "--role", role, "--json"]
        if agency:
            argv += ["--agency", agency]
        result = run(*argv, token=tokens[0] if tokens else None)
        assert result.code == 0, result.err
        user: dict[str, Any] = result.json()
        if role == "governance" and not tokens:
            tokens.append(user["token"])
        return user

    return add


@pytest.fixture
def governance(add_user: Callable[..., dict[str, Any]]) -> str:
    return str(add_user("Gill", "governance")["token"])


def meeting_row(ref: str, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "ref": ref,
        "case_ref": f"CASE-{ref}",
        "concern_raised_at": "2023-07-03T09:00:00+01:00",
        "kind": "child-protection",
        "team": "Assessment North",
        "invitations": [{"agency": "police"}, {"agency": "health", "role": "mash-nurse"}],
        "held": {"held_at": "2023-07-04T10:00:00+01:00", "format": "virtual"},
        "attendance": [{"agency": "police", "attended": True}],
        "decisions": [{"decision": "section-47", "rationale": "Unexplained injury"}],
        "actions": [
            {
                "agency": "health",
                "description": "Share the chronology",
                "due_on": "2023-07-10",
                "agreed_on": "2023-07-04",
                "completed": {"completed_on": "2023-07-07", "evidence": "Sent"},
            }
        ],
        "record_shared": {"shared_at": "2023-07-05T16:00:00+01:00", "agencies": ["police"]},
        "quality_assessments": [{"rating": "clear", "audit_ref": "AUDIT-T"}],
    }
    row.update(changes)
    return row


def import_document(**sections: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": "actiontrail-import/1", **sections}


RECOMMENDATION = {
    "ref": "R1",
    "source": {"kind": "audit", "ref": "AUDIT-T", "title": "Test audit"},
    "number": 1,
    "text": "Invite health every time",
    "raised_on": "2023-10-16",
    "responses": [{"text": "Done", "dated": "2023-12-01"}],
    "actions": [
        {
            "agency": "police",
            "description": "Brief officers",
            "due_on": "2024-01-31",
            "agreed_on": "2023-12-01",
        }
    ],
    "status_changes": [{"status": "in-progress", "rag": "amber", "reason": "Under way"}],
}
ACTION = {
    "ref": "A1",
    "source": {"kind": "marac", "ref": "MARAC-7"},
    "agency": "health",
    "description": "Flag MARAC actions",
    "due_on": "2023-09-30",
    "agreed_on": "2023-09-01",
    "progress": [{"note": "Started"}],
}


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[..., Path]:
    def write(document: dict[str, Any], name: str = "import.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(document), encoding="utf-8")
        return path

    return write
