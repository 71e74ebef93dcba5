"""The audit log and the event feed agree with the application's history of each aggregate."""

from collections.abc import Collection
from datetime import date

from application import commands as c
from application.queries import AuditLogQuery
from application.service import ActionTrail
from domain.action import AgencyAction
from domain.meeting import StrategyMeeting
from domain.values import Actor
from projections.audit_log import entry_of
from projections.service import ReadService
from tests.builders import action, meeting, run, utc


def test_entries_match_the_history_view(
    app: ActionTrail, governance: Actor, inspector: Actor, reads: ReadService
) -> None:
    meeting_id = meeting(
        app,
        governance,
        concern=utc(2023, 6, 13),
        held=utc(2023, 6, 14),
        invited=("police", "health"),
        attended=("police",),
        shared=utc(2023, 6, 15),
    )
    action_id = action(app, governance, on=utc(2023, 6, 15), due_on=date(2023, 7, 1))
    history = [
        *app.history(meeting_id, inspector, StrategyMeeting),
        *app.history(action_id, inspector, AgencyAction),
    ]
    expected = sorted(
        (entry_of(event, position).model_dump(mode="json") for position, event in history),
        key=lambda e: e["position"],
    )

    log = reads.audit_log(AuditLogQuery(limit=1000))
    assert [e.model_dump(mode="json") for e in log.events] == expected
    feed = reads.events_after(0, 1000)
    assert [e.model_dump(mode="json") for e in feed.events] == expected
    assert feed.next_after == log.next_after == expected[-1]["position"]


def test_filters_and_paging(
    app: ActionTrail,
    governance: Actor,
    health_lead: Actor,
    police_lead: Actor,
    reads: ReadService,
) -> None:
    meeting_id = meeting(
        app, governance, concern=utc(2023, 6, 13), held=utc(2023, 6, 14), invited=("police",)
    )
    health_action = action(app, governance, on=utc(2023, 6, 20), due_on=date(2023, 7, 1))
    police_action = action(
        app, governance, on=utc(2023, 6, 21), due_on=date(2023, 7, 1), agency="police"
    )
    run(app, health_lead, utc(2023, 6, 22), c.NoteProgress(action_id=health_action, note="GP"))
    run(app, police_lead, utc(2023, 6, 23), c.NoteProgress(action_id=police_action, note="PNC"))

    def positions(**filters: object) -> list[int]:
        return [e.position for e in reads.audit_log(AuditLogQuery(**filters)).events]  # type: ignore[arg-type]

    everything = positions(limit=1000)
    assert len(everything) == 7
    assert [e.type for e in reads.audit_log(AuditLogQuery(aggregate_id=meeting_id)).events] == [
        "StrategyMeeting.Requested",
        "StrategyMeeting.AgencyInvited",
        "StrategyMeeting.Held",
    ]
    assert positions(aggregate_type="AgencyAction") == everything[3:]
    assert positions(user=health_lead.user_id) == [everything[5]]
    # An agency: events by its staff, and events that name it (an invitation, an assignment).
    assert positions(agency="police") == [everything[1], everything[4], everything[6]]
    assert positions(type="AgencyAction.ProgressNoted") == everything[5:]
    assert (
        positions(recorded_from=utc(2023, 6, 21), recorded_to=utc(2023, 6, 22)) == everything[4:6]
    )

    first = reads.audit_log(AuditLogQuery(limit=3))
    assert [e.position for e in first.events] == everything[:3]
    second = reads.audit_log(AuditLogQuery(after=first.next_after, limit=3))
    assert [e.position for e in second.events] == everything[3:6]
    last = reads.audit_log(AuditLogQuery(after=second.next_after, limit=3))
    assert [e.position for e in last.events] == everything[6:]
    assert reads.audit_log(AuditLogQuery(after=last.next_after)).events == []
    assert reads.audit_log(AuditLogQuery(after=last.next_after)).next_after == last.next_after


def test_the_feed_names_its_actors_from_one_lookup(
    app: ActionTrail, governance: Actor, health_lead: Actor, reads: ReadService
) -> None:
    action_id = action(app, governance, on=utc(2023, 6, 20), due_on=date(2023, 7, 1))
    run(app, health_lead, utc(2023, 6, 22), c.NoteProgress(action_id=action_id, note="GP"))
    asked: list[set[str]] = []

    def names(user_ids: Collection[str]) -> dict[str, str]:
        asked.append(set(user_ids))
        return {governance.user_id: "Gill Smith"}

    named = reads.events_after(0, 1000, names)
    assert asked == [{governance.user_id, health_lead.user_id}]
    assert [(e.actor.user, e.actor.name) for e in named.events] == [
        (governance.user_id, "Gill Smith"),
        (health_lead.user_id, None),
    ]
    # Apart from the names, the very entries of the feed without them.
    plain = reads.events_after(0, 1000)
    assert [e.actor.name for e in plain.events] == [None, None]
    assert [
        e.model_copy(update={"actor": p.actor})
        for e, p in zip(named.events, plain.events, strict=True)
    ] == plain.events
    # An empty page asks no names.
    assert reads.events_after(named.next_after, 10, names).events == []
    assert len(asked) == 1
