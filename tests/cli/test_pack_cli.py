"""``actiontrail pack`` and ``pack verify`` on the seed audit, on both stores: what a pack
shows, the same bytes made again, a later event changing nothing, tampering found and named."""

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

import pytest
from pypdf import PdfReader

from application import commands as c
from domain.codes import Rag, RecommendationStatus
from infrastructure.bootstrap import build_services
from infrastructure.cli.demo import scenario_path
from infrastructure.config import Settings
from infrastructure.integrity.keys import write_key_pair
from tests.builders import ACTOR
from tests.cli.conftest import Run, import_document, meeting_row
from tests.cli.test_reading_cli import recommendation_one
from tests.integrity.tamper import Tamper

PARTNERSHIP = "Northshire Safeguarding Children Partnership"
AS_OF = "2024-03-31"


@pytest.fixture
def seeded(run: Run, governance: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The seed audit imported by a process holding a signing key, then a time after it: the
    known-at time of the packs (no event is recorded at it or after it, until a test writes)."""
    key = tmp_path / "keys" / "signing.pem"
    key.parent.mkdir()
    write_key_pair(key)
    monkeypatch.setenv("ACTIONTRAIL_SIGNING_KEY_FILE", str(key))
    monkeypatch.setenv("ACTIONTRAIL_PARTNERSHIP_NAME", PARTNERSHIP)
    result = run("import", str(scenario_path()), "--json", token=governance)
    assert result.code == 0, result.err
    return datetime.now(UTC).isoformat()


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def make(run: Run, token: str, known_at: str, out: Path) -> bytes:
    result = run("pack", "--as-of", AS_OF, "--known-at", known_at, "--out", str(out), token=token)
    assert result.code == 0, result.err
    return out.read_bytes()


def respond_and_implement(
    run: Run,
    token: str,
    settings: Settings,
    text: str,
    reason: str,
    corrected_to: str | None = None,
) -> None:
    """On the seed audit's recommendation 1: a response ``text`` dated 9 January 2024 (then
    corrected to ``corrected_to``), and the status implemented, green, from 1 February 2024
    for ``reason``."""
    recommendation = UUID(recommendation_one(run, token))
    commands: list[c.Command] = [
        c.RecordResponse(recommendation_id=recommendation, text=text, dated=date(2024, 1, 9))
    ]
    if corrected_to is not None:
        commands.append(
            c.CorrectResponse(
                recommendation_id=recommendation, number=1, text=corrected_to, reason="x"
            )
        )
    commands.append(
        c.ChangeRecommendationStatus(
            recommendation_id=recommendation,
            status=RecommendationStatus.IMPLEMENTED,
            rag=Rag.GREEN,
            reason=reason,
            effective_on=date(2024, 2, 1),
        )
    )
    with build_services(settings) as services:
        for command in commands:
            services.trail.execute(command, ACTOR)


def test_a_pack_of_the_seed_audit_shows_its_inputs_and_figures(
    run: Run, governance: str, seeded: str, tmp_path: Path
) -> None:
    result = run(
        "pack", "--as-of", AS_OF, "--known-at", seeded, "--out", str(tmp_path / "p.pdf"),
        "--json", token=governance,
    )  # fmt: skip
    assert result.code == 0, result.err
    summary = result.json()
    assert summary["inputs"]["as_of"] == AS_OF
    assert summary["inputs"]["from_date"] == "2023-04-01"

    text = text_of((tmp_path / "p.pdf").read_bytes())
    known = datetime.fromisoformat(seeded).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    assert PARTNERSHIP in text
    assert "Period 2023-04-01 to 2024-03-31" in text
    assert "As of 2024-03-31" in text
    assert f"As known at {known}" in text
    assert f"Produced {known}" in text
    assert "Checkpoint 1 at position 319 of the log, signed with key" in text
    # December 2023's dip sample: 16 meetings; health invited to 14 and attended all 14
    assert "2023-12 16 health 14 87.5% 14 100.0%" in text
    assert "2023-12 16 police 16 100.0% 16 100.0%" in text
    assert "SM-AUDIT-2023 10 4 40.0% 6 60.0%" in text  # record quality
    assert "SM-AUDIT-2023 recommendation 1" in text
    assert "Actions overdue on 2024-03-31" in text


def test_a_pack_made_again_or_after_later_events_is_the_same_bytes_and_verifies(
    run: Run, governance: str, seeded: str, tmp_path: Path, settings: Settings
) -> None:
    first = make(run, governance, seeded, tmp_path / "first.pdf")
    assert make(run, governance, seeded, tmp_path / "again.pdf") == first

    # recorded after the known-at time: a meeting, a response and a change of status (effective
    # before as of), a correction of a response known then
    later = import_document(meetings=[meeting_row("LATER")])
    (tmp_path / "later.json").write_text(json.dumps(later))
    assert run("import", str(tmp_path / "later.json"), token=governance).code == 0
    respond_and_implement(run, governance, settings, "Late", "Done", corrected_to="New")
    assert make(run, governance, seeded, tmp_path / "later.pdf") == first
    now = make(run, governance, datetime.now(UTC).isoformat(), tmp_path / "now.pdf")
    assert "SM-AUDIT-2023 recommendation 1: implemented, RAG green" in text_of(now)
    assert "SM-AUDIT-2023 recommendation 1: in-progress, RAG amber" in text_of(first)

    public_key = tmp_path / "keys" / "signing.pem.pub"
    checked = run(
        "pack", "verify", str(tmp_path / "first.pdf"), "--public-key", str(public_key), "--json",
        token=governance,
    )  # fmt: skip
    assert checked.code == 0, checked.out + checked.err
    answer = checked.json()
    assert (answer["status"], answer["differences"]) == ("matches", [])
    assert answer["integrity"]["trust"] == "trusted-key"


def test_pack_verify_names_a_tampered_event(
    run: Run, governance: str, seeded: str, tmp_path: Path, settings: Settings
) -> None:
    pack = tmp_path / "pack.pdf"
    make(run, governance, seeded, pack)
    Tamper(settings).change_state_byte(200)

    checked = run("pack", "verify", str(pack), token=governance)

    assert checked.code == 11
    assert "the log does not verify at position 200, which the pack's checkpoint covers: " \
        "state-changed" in checked.err  # fmt: skip


def test_pack_verify_names_the_section_that_differs(
    run: Run, governance: str, seeded: str, tmp_path: Path, settings: Settings
) -> None:
    """A read model changed behind the log's back: the log verifies, the pack regenerated
    from it does not match, and the section is named."""
    pack = tmp_path / "pack.pdf"
    make(run, governance, seeded, pack)
    Tamper(settings).run("UPDATE rm_quality_assessments SET rating = 'clear'")

    checked = run("pack", "verify", str(pack), "--json", token=governance)

    assert checked.code == 13
    assert checked.json()["sections"] == ["record_quality"]


def test_pack_refuses_what_it_cannot_make(
    run: Run, governance: str, seeded: str, tmp_path: Path
) -> None:
    future = run("pack", "--as-of", AS_OF, "--known-at", "2099-01-01T00:00:00Z", token=governance)
    assert future.code == 2
    assert "is in the future" in future.err
    missing = run("pack", "--as-of", AS_OF, token=governance)
    assert missing.code == 2
    assert "a pack needs --as-of and --known-at" in missing.err
    unknown = run(
        "pack", "--as-of", AS_OF, "--known-at", seeded, "--checkpoint", "9", token=governance
    )
    assert unknown.code == 2
    assert "the log has no checkpoint 9" in unknown.err
    (tmp_path / "not.pdf").write_bytes(b"hello")
    not_a_pack = run("pack", "verify", str(tmp_path / "not.pdf"), token=governance)
    assert not_a_pack.code == 3
    assert "not a PDF file" in not_a_pack.err


def test_a_pack_prints_any_script_the_font_covers_and_stays_the_same_bytes(
    run: Run, governance: str, seeded: str, tmp_path: Path, settings: Settings
) -> None:
    respond_and_implement(
        run, governance, settings, "Reviewed in Łódź with Ωμέγα and Жанна", "Жанна agreed 👩"
    )
    known_at = datetime.now(UTC).isoformat()

    first = make(run, governance, known_at, tmp_path / "first.pdf")

    assert make(run, governance, known_at, tmp_path / "again.pdf") == first
    text = text_of(first)
    for written in ("Łódź", "Ωμέγα", "Жанна", "Reviewed in Łódź with Ωμέγα and Жанна"):
        assert written in text
    assert "Жанна agreed \ufffd" in text  # a character the font lacks is replaced, not lost
