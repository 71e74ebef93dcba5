"""A meeting typed in months late reads, as of each day, with every section at that day: its
invitations from the day it was requested, attendance and decisions from the day it was held,
its shared record from ``shared_at`` and each quality assessment from ``assessed_on``. The API,
the console's page and the attendance report agree with one oracle, on both stores."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from freezegun import freeze_time

from tests.api.conftest import Api
from tests.api.console import Console

TYPED_IN = datetime(2023, 10, 2, 9, tzinfo=UTC)
ASSESSED_AGAIN = datetime(2023, 10, 5, 9, tzinfo=UTC)


@dataclass(frozen=True)
class Fact:
    section: str
    value: Any
    effective: date
    recorded: datetime


FACTS = [
    Fact("invited", "police", date(2023, 6, 13), TYPED_IN),
    Fact("invited", "health", date(2023, 6, 13), TYPED_IN),
    Fact("status", "held", date(2023, 6, 14), TYPED_IN),
    Fact("attendance", ("police", True), date(2023, 6, 14), TYPED_IN),
    Fact("attendance", ("health", False), date(2023, 6, 14), TYPED_IN),
    Fact("decisions", "section-47", date(2023, 6, 14), TYPED_IN),
    Fact("record_shared_at", "2023-06-16T09:00:00Z", date(2023, 6, 16), TYPED_IN),
    Fact("quality", ("AUDIT-A", "2023-07-20"), date(2023, 7, 20), TYPED_IN),
    Fact("quality", ("AUDIT-B", "2023-10-05"), date(2023, 10, 5), ASSESSED_AGAIN),
]
DAYS = [
    date(2023, 6, 13),
    date(2023, 6, 14),
    date(2023, 6, 15),
    date(2023, 6, 16),
    date(2023, 7, 19),
    date(2023, 7, 20),
    date(2023, 10, 4),
    date(2023, 10, 5),
]
KNOWN_AT = [None, datetime(2023, 10, 3, tzinfo=UTC), ASSESSED_AGAIN]


@pytest.fixture
def console(api: Api) -> Console:
    return Console(api)


def state(api: Api, path: str, **params: str) -> dict[str, Any]:
    response = api.get("governance", path, **params)
    assert response.status_code == 200, (params, response.text)
    answer: dict[str, Any] = response.json()
    return answer


def oracle(as_of: date | None, known_at: datetime | None) -> dict[str, Any]:
    """The sections as the handbook says they stood: the facts effective by ``as_of`` and
    recorded by ``known_at``."""
    kept = [
        f
        for f in FACTS
        if (as_of is None or f.effective <= as_of) and (known_at is None or f.recorded <= known_at)
    ]

    def of(section: str) -> list[Any]:
        return [f.value for f in kept if f.section == section]

    return {
        "status": (of("status") or ["requested"])[-1],
        "invited": of("invited"),
        "attendance": of("attendance"),
        "decisions": of("decisions"),
        "record_shared_at": (of("record_shared_at") or [None])[-1],
        "quality": of("quality"),
    }


def sections(state: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": state["status"],
        "invited": [i["agency"] for i in state["invited"]],
        "attendance": [(a["agency"], a["attended"]) for a in state["attendance"]],
        "decisions": [d["decision"] for d in state["decisions"]],
        "record_shared_at": state["record_shared_at"],
        "quality": [(q["audit_ref"], q["assessed_on"]) for q in state["quality_assessments"]],
    }


def typed_in_late(api: Api) -> str:
    """The meeting of 14 June 2023 (concern raised 13 June), typed in on 2 October; a second
    assessment, of no date of its own, on 5 October."""
    with freeze_time(TYPED_IN):
        meeting = api.meeting(held=False)  # police and health invited
        base = f"/meetings/{meeting}"
        api.ok(
            "governance",
            f"{base}/held",
            {"held_at": "2023-06-14T10:00:00+01:00", "format": "virtual"},
        )
        api.ok("governance", f"{base}/attendance", {"agency": "police", "attended": True})
        api.ok("governance", f"{base}/attendance", {"agency": "health", "attended": False})
        api.ok("governance", f"{base}/decisions", {"decision": "section-47", "rationale": "Injury"})
        api.ok(
            "governance",
            f"{base}/record-shared",
            {"shared_at": "2023-06-16T10:00:00+01:00", "agencies": ["police", "health"]},
        )
        api.ok(
            "governance",
            f"{base}/quality-assessments",
            {"rating": "lacks-clarity", "audit_ref": "AUDIT-A", "assessed_on": "2023-07-20"},
        )
    with freeze_time(ASSESSED_AGAIN):
        api.ok(
            "governance",
            f"{base}/quality-assessments",
            {"rating": "clear", "audit_ref": "AUDIT-B"},
        )
    return str(meeting)


def test_every_section_of_a_meeting_as_of_a_day_is_at_that_day(api: Api, console: Console) -> None:
    meeting = typed_in_late(api)
    base = f"/meetings/{meeting}"

    assert sections(state(api, base)) == oracle(None, None)
    for as_of in DAYS:
        for known_at in KNOWN_AT:
            params: dict[str, str] = {"as_of": as_of.isoformat()}
            if known_at is not None:
                params["known_at"] = known_at.isoformat()
            assert sections(state(api, base, **params)) == oracle(as_of, known_at), params

    early = api.get("governance", base, as_of="2023-06-12")
    assert early.status_code == 404
    assert early.json()["detail"] == (
        "the concern of case CASE-1 was raised on 2023-06-13, after 12 June 2023"
    )
    before_typed_in = api.get(
        "governance", base, as_of="2023-06-14", known_at="2023-10-01T00:00:00Z"
    )
    assert before_typed_in.status_code == 404
    assert "was first recorded at 2023-10-02T09:00:00+00:00" in before_typed_in.json()["detail"]

    # The console's page as of each day shows the same sections, and nothing later.
    path = f"/console/meetings/{meeting}"
    for as_of in (date(2023, 6, 13), date(2023, 6, 14), date(2023, 7, 19), date(2023, 7, 20)):
        page = console.get("governance", path, as_of=as_of.isoformat())
        assert page.status_code == 200, page.text
        shown = page.text.split('id="state-heading"')[1]
        state_then = shown.split('id="rec-actions"')[0]
        want = oracle(as_of, None)
        police = "<dt>agency</dt><dd>police</dd>"  # invited, and attendance once recorded
        assert state_then.count(police) == 1 + len(want["attendance"]) // 2, as_of
        assert ("section-47" in shown) == bool(want["decisions"]), as_of
        assert ("AUDIT-A" in shown) == bool(want["quality"]), as_of
        assert "AUDIT-B" not in shown, as_of
        assert "2023-10-05" not in shown, as_of


def test_the_attendance_report_counts_each_meeting_as_it_stood_on_the_day_it_was_held(
    api: Api,
) -> None:
    meeting = typed_in_late(api)
    held_on = state(api, f"/meetings/{meeting}", as_of="2023-06-14")
    attended = {a["agency"]: int(a["attended"]) for a in held_on["attendance"]}
    as_held = {i["agency"]: (1, attended.get(i["agency"], 0)) for i in held_on["invited"]}
    assert as_held == {"police": (1, 1), "health": (1, 0)}
    for known_at in ({}, {"known_at": "2023-10-03T00:00:00Z"}):
        report = state(
            api,
            "/reports/attendance-compliance",
            **{"from": "2023-06-01", "to": "2023-06-30"},
            **known_at,
        )
        (june,) = report["groups"]
        assert june["meetings_held"] == 1
        counted = {
            a["agency"]: (a["invited"], a["attended"]) for a in june["agencies"] if a["invited"]
        }
        assert counted == as_held, known_at
