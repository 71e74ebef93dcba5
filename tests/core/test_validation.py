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


ID = "3f0c6f7e-5b5f-4d0e-9a57-7c1a2d8e6b10"
MEETING = {
    "case_ref": "C-1",
    "concern_raised_at": "2023-06-01T09:00:00Z",
    "kind": "child-protection",
    "team": "North",
}
ACTION = {
    "source": {"kind": "marac", "ref": "MARAC-1"},
    "agency": "health",
    "description": "Flag the record",
    "due_on": "2023-09-30",
}
RECOMMENDATION = {
    "source": {"kind": "audit", "ref": "A-1", "title": "Audit"},
    "number": 1,
    "text": "Invite health",
    "raised_on": "2023-10-16",
}
ASSURANCE = {
    "recommendation_id": ID,
    "kind": "dip-sample",
    "dated": "2024-01-08",
    "sample_size": 16,
    "summary": "Health invited to 14 of 16",
}
CONTROLS = [
    "a\x00b",
    "a\x1b[31mb",
    "a\x85b",  # C1
    "a\u202ab",  # LEFT-TO-RIGHT EMBEDDING
    "a\u202eb",  # RIGHT-TO-LEFT OVERRIDE
    "a\u2066b",  # LEFT-TO-RIGHT ISOLATE
    "a\u2069b",  # POP DIRECTIONAL ISOLATE
    "a\ufeffb",  # ZERO WIDTH NO-BREAK SPACE (BOM)
    "a\ud800b",
    "a\x7fb",
    "a\u2028b",
]
#: Text that needs format characters: a woman health worker (ZWJ), a Persian name (ZWNJ),
#: a soft hyphen, and a date kept left to right in Persian text (LRM).
REAL_TEXT = [
    "Referred by the 👩\u200d⚕️ on duty",
    "فاطمه\u200cزهرا رضایی",  # noqa: RUF001
    "Safe\u00adguarding",
    "جلسه \u200e2024-01-08\u200e",
]


def _refused(command: type[c.Command], data: dict[str, object]) -> set[str]:
    with pytest.raises(ValidationError) as info:
        command.model_validate(data)
    return {".".join(str(part) for part in error["loc"]) for error in info.value.errors()}


@pytest.mark.parametrize("text", CONTROLS)
def test_control_characters_are_refused_in_text_and_codes(text: str) -> None:
    assert _refused(c.AssignAction, {**ACTION, "description": text}) == {"description"}
    assert _refused(c.AssignAction, {**ACTION, "agency": text}) == {"agency"}
    assert _refused(c.RequestMeeting, {**MEETING, "case_ref": text}) == {"case_ref"}
    source = {"kind": "audit", "ref": "A-1", "title": text}
    assert _refused(c.RaiseRecommendation, {**RECOMMENDATION, "source": source}) == {"source.title"}


@pytest.mark.parametrize("text", REAL_TEXT)
def test_format_characters_real_text_needs_are_kept(text: str) -> None:
    action = c.AssignAction.model_validate({**ACTION, "description": text, "agency": text})
    source = {"kind": "audit", "ref": text, "title": text}
    recommendation = c.RaiseRecommendation.model_validate({**RECOMMENDATION, "source": source})

    assert (action.description, action.agency) == (text, text)
    assert (recommendation.source.ref, recommendation.source.title) == (text, text)


def test_line_breaks_only_in_long_text() -> None:
    note = c.NoteProgress.model_validate({"action_id": ID, "note": " one\n\ttwo\r\n "})

    assert note.note == "one\n\ttwo"
    assert _refused(c.RequestMeeting, {**MEETING, "team": "North\nSouth"}) == {"team"}
    source = {"kind": "audit", "ref": "A-1", "title": "Two\tcolumns"}
    assert _refused(c.RaiseRecommendation, {**RECOMMENDATION, "source": source}) == {"source.title"}


def test_text_is_unicode_within_its_length() -> None:
    ok = c.AssignAction.model_validate({**ACTION, "description": "Überprüfung 検査 ✅ " * 900})

    assert ok.description.startswith("Überprüfung")
    assert _refused(c.AssignAction, {**ACTION, "description": "x" * 20_001}) == {"description"}
    assert _refused(c.AssignAction, {**ACTION, "agency": "x" * 101}) == {"agency"}
    long_title = {"kind": "audit", "ref": "A-1", "title": "x" * 501}
    assert _refused(c.RaiseRecommendation, {**RECOMMENDATION, "source": long_title}) == {
        "source.title"
    }


@pytest.mark.parametrize(
    ("command", "data", "field"),
    [
        (c.RaiseRecommendation, {**RECOMMENDATION, "number": 10**30}, "number"),
        (c.RaiseRecommendation, {**RECOMMENDATION, "number": 1_000_001}, "number"),
        (c.RecordAssurance, {**ASSURANCE, "sample_size": 10**19}, "sample_size"),
        (
            c.RecordAssurance,
            {**ASSURANCE, "measures": [{"name": "m", "numerator": 1, "denominator": 2**63}]},
            "measures.0.denominator",
        ),
        (
            c.RecordAssurance,
            {**ASSURANCE, "measures": [{"name": "m", "numerator": 1, "denominator": 2}] * 101},
            "measures",
        ),
        (
            c.ShareRecord,
            {"meeting_id": ID, "shared_at": "2023-06-15T10:00:00Z", "agencies": ["police"] * 101},
            "agencies",
        ),
        (
            c.NoteProgress,
            {"action_id": ID, "note": "x", "expected_version": 2**31},
            "expected_version",
        ),
        (
            c.RequestMeeting,
            {**MEETING, "concern_raised_at": "0001-01-01T01:00+05:00"},
            "concern_raised_at",
        ),
        (
            c.RequestMeeting,
            {**MEETING, "concern_raised_at": "1899-12-31T23:00Z"},
            "concern_raised_at",
        ),
        (c.AssignAction, {**ACTION, "due_on": "2101-01-01"}, "due_on"),
        (c.AssignAction, {**ACTION, "due_on": "9999-12-31"}, "due_on"),
    ],
)
def test_numbers_lists_and_dates_out_of_range_name_the_field(
    command: type[c.Command], data: dict[str, object], field: str
) -> None:
    assert _refused(command, data) == {field}


def test_the_range_includes_its_ends() -> None:
    first = c.AssignAction.model_validate({**ACTION, "due_on": "1900-01-01"})
    last = c.RaiseRecommendation.model_validate(
        {**RECOMMENDATION, "number": 1_000_000, "raised_on": "2100-12-31"}
    )

    assert (first.due_on.year, last.number, last.raised_on.year) == (1900, 1_000_000, 2100)
