"""The command line's CSVs (``export``, ``report --csv``, ``list --csv``) open as text in a
spreadsheet, never as formulas (finding 6 of issue 22), on each store."""

import warnings
from pathlib import Path

from infrastructure.config import Settings
from infrastructure.web.app import create_app
from tests.api.conftest import BASE_URL, Api
from tests.api.test_safe_csv import FORMULAS, assert_safe, make_formulas
from tests.cli.conftest import Run

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def test_every_csv_the_command_line_writes_opens_as_text(
    run: Run, governance: str, settings: Settings, tmp_path: Path
) -> None:
    health = run(
        *("users", "add", "--name", "Hal", "--role", "agency", "--agency", "health", "--json"),
        token=governance,
    ).json()["token"]
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        api = Api(
            client,
            {
                "governance": {"Authorization": f"Bearer {governance}"},
                "health": {"Authorization": f"Bearer {health}"},
            },
        )
        made = make_formulas(api)

    exported = run(
        "export", "--dir", str(tmp_path / "out"), "--as-of", "2024-04-01", token=governance
    )
    assert exported.code == 0, exported.err
    files = sorted((tmp_path / "out").glob("*.csv"))
    assert len(files) == 7
    opened = {f.name: assert_safe(f.name, f.read_text()) for f in files}
    assert "'" + FORMULAS["description"] in opened["overdue-actions.csv"]
    assert "'" + FORMULAS["response"] in opened["response-history.csv"]

    printed = {
        "overdue": run("report", "overdue", "--as-of", "2024-04-01", "--csv", token=governance),
        "responses": run("report", "responses", made["recommendation"], "--csv", token=governance),
        "completed-late": run(
            *("report", "completed-late", "--from", "2023-01-01", "--to", "2024-12-31", "--csv"),
            token=governance,
        ),
        "queue": run("queue", "--csv", token=governance),
        "actions": run("list", "actions", "--csv", token=governance),
        "meetings": run("list", "meetings", "--csv", token=governance),
        "recommendations": run("list", "recommendations", "--csv", token=governance),
    }
    for name, result in printed.items():
        assert result.code == 0, f"{name}: {result.err}"
        opened[name] = assert_safe(name, result.out)
    assert "'" + FORMULAS["description"] in opened["actions"]
    assert "'" + FORMULAS["team"] in opened["meetings"]
    assert "'" + FORMULAS["text"] in opened["recommendations"]
