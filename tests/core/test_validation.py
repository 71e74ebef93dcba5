"""Bad input is refused with a clear validation error before anything is written."""

import pytest
from pydantic import ValidationError

from application import commands as c


@pytest.mark.parametrize(
    ("command", "data", "field"),
    [
        (
            c.RequestMeeting,
            {
                "case_ref": "C",
                "concern_raised_at": "2023-06-01T09:00:00",
                "kind": "child-protection",
                "team": "T",
            },
            "concern_raised_at",
        ),
        (
            c.RequestMeeting,
            {
                "case_ref": "C",
                "concern_raised_at": "2023-06-01T09:00:00Z",
                "kind": "urgent",
                "team": "T",
            },
            "kind",
        ),
        (
            c.RecordResponse,
            {"recommendation_id": "not-a-uuid", "text": "x", "dated": "2023-12-01"},
            "recommendation_id",
        ),
        (
            c.RecordResponse,
            {
                "recommendation_id": "3f0c6f7e-5b5f-4d0e-9a57-7c1a2d8e6b10",
                "text": "x",
                "dated": "01.12.23",
            },
            "dated",
        ),
        (
            c.CancelAction,
            {"action_id": "3f0c6f7e-5b5f-4d0e-9a57-7c1a2d8e6b10", "reason": "   "},
            "reason",
        ),
        (
            c.ShareRecord,
            {
                "meeting_id": "3f0c6f7e-5b5f-4d0e-9a57-7c1a2d8e6b10",
                "shared_at": "2023-06-15T10:00:00Z",
                "agencies": [],
            },
            "agencies",
        ),
        (
            c.NoteProgress,
            {"action_id": "3f0c6f7e-5b5f-4d0e-9a57-7c1a2d8e6b10", "note": "x", "surprise": 1},
            "surprise",
        ),
    ],
)
def test_invalid_commands_name_the_field(
    command: type[c.Command], data: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        command.model_validate(data)
    assert field in {str(error["loc"][0]) for error in info.value.errors()}
