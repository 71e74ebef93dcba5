"""Lists of meetings, recommendations and actions: which ones match a filter, oldest first.

Each list reads the current rows of an existing read model (meetings, response history, overdue
actions) and answers ids oldest first by the date a person reads in the list (a meeting: the
concern raised; a recommendation: the day raised; an action: the day agreed), those of the same
date in the order the aggregates were created; the states themselves are the application's. A
list is paged by the position of the event that created its last item: ``after`` it, the items
that come after that item in this order; ``next_after`` when more remain.

Sealed columns (case and source references) cannot be compared in SQL when a cipher is
configured (each value is sealed with its own nonce): such a filter is then applied to the
opened values, in order, until the page is full.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Select, and_, func, literal, or_, select

from domain.codes import RecommendationStatus
from projections.sealing import Sealer
from projections.tables import action_segments, meetings, recommendations, status_changes


@dataclass(frozen=True)
class Paging:
    #: Aggregates created after this position (0: from the first).
    after: int = 0
    limit: int = 100


@dataclass(frozen=True)
class MeetingFilter(Paging):
    status: str | None = None
    team: str | None = None
    #: Held on or after / on or before (London dates).
    held_from: date | None = None
    held_to: date | None = None
    case_ref: str | None = None


@dataclass(frozen=True)
class RecommendationFilter(Paging):
    status: str | None = None
    rag: str | None = None
    source_ref: str | None = None


@dataclass(frozen=True)
class ActionFilter(Paging):
    agency: str | None = None
    status: str | None = None
    #: Due strictly before this date.
    due_before: date | None = None
    source_kind: str | None = None
    source_ref: str | None = None


@dataclass(frozen=True)
class Listed:
    """One page of a list: the ids, oldest first, and the cursor of the next page if any."""

    ids: list[UUID]
    next_after: int | None


def list_meetings(conn: Connection, sealer: Sealer, f: MeetingFilter) -> Listed:
    earliest = meetings.alias("earliest")
    created = (
        select(func.min(earliest.c.from_position))
        .where(earliest.c.meeting_id == meetings.c.meeting_id)
        .scalar_subquery()
    )
    current = meetings.c.recorded_to.is_(None)
    conditions: list[Any] = [current]
    if f.status is not None:
        conditions.append(meetings.c.status == f.status)
    if f.team is not None:
        conditions.append(meetings.c.team == f.team)
    if f.held_from is not None:
        conditions.append(meetings.c.held_on >= f.held_from)
    if f.held_to is not None:
        conditions.append(meetings.c.held_on <= f.held_to)
    every = select(
        meetings.c.meeting_id.label("id"),
        created.label("created"),
        meetings.c.case_ref.label("ref"),
        meetings.c.concern_raised_at.label("read"),
    ).where(current)
    return _page(conn, sealer, every, every.where(*conditions), f.case_ref, f)


def list_recommendations(conn: Connection, sealer: Sealer, f: RecommendationFilter) -> Listed:
    r = recommendations.c
    latest = status_changes.alias("latest")
    # The current status is the latest *effective* change (ties: the latest recorded), as the
    # aggregate folds them (``domain.effective.effective_order``).
    in_effective_order = (latest.c.effective_on.desc(), latest.c.position.desc())
    current_status = func.coalesce(
        select(latest.c.status)
        .where(latest.c.recommendation_id == r.recommendation_id)
        .order_by(*in_effective_order)
        .limit(1)
        .scalar_subquery(),
        literal(RecommendationStatus.OPEN.value),
    )
    # Closing and reopening keep the RAG rating of the last status change that set one.
    current_rag = (
        select(latest.c.rag)
        .where(
            latest.c.recommendation_id == r.recommendation_id,
            latest.c.change == "status-changed",
        )
        .order_by(*in_effective_order)
        .limit(1)
        .scalar_subquery()
    )
    conditions: list[Any] = []
    if f.status is not None:
        conditions.append(current_status == f.status)
    if f.rag is not None:
        conditions.append(current_rag == f.rag)
    every = select(
        r.recommendation_id.label("id"),
        r.position.label("created"),
        r.source_ref.label("ref"),
        r.raised_on.label("read"),
    )
    return _page(conn, sealer, every, every.where(*conditions), f.source_ref, f)


def list_actions(conn: Connection, sealer: Sealer, f: ActionFilter) -> Listed:
    """An action as it stands now is the last segment of its current timeline."""
    s = action_segments.c
    earliest = action_segments.alias("earliest")
    created = (
        select(func.min(earliest.c.from_position))
        .where(earliest.c.action_id == s.action_id)
        .scalar_subquery()
    )
    current = (s.recorded_to.is_(None), s.valid_to.is_(None))
    conditions: list[Any] = []
    if f.agency is not None:
        conditions.append(s.agency == f.agency)
    if f.status is not None:
        conditions.append(s.status == f.status)
    if f.due_before is not None:
        conditions.append(s.due_on < f.due_before)
    if f.source_kind is not None:
        conditions.append(s.source_kind == f.source_kind)
    every = select(
        s.action_id.label("id"),
        created.label("created"),
        s.source_ref.label("ref"),
        s.agreed_on.label("read"),
    ).where(*current)
    return _page(conn, sealer, every, every.where(*conditions), f.source_ref, f)


def _page(  # noqa: PLR0913 - the report's filter values, each a bound parameter of its SQL
    conn: Connection,
    sealer: Sealer,
    every: Select[Any],
    rows: Select[Any],
    ref: str | None,
    paging: Paging,
) -> Listed:
    """The first ``limit`` of ``rows`` (``id``, ``created``, sealed ``ref``, the date ``read``)
    in the order (``read``, ``created``) that come after the item created at ``after`` (its
    date looked up among ``every`` item, filtered or not) whose reference is ``ref`` (any if
    ``None``), and whether more follow."""
    after, limit = paging.after, paging.limit
    candidates = rows.subquery()
    query = select(candidates.c.id, candidates.c.created, candidates.c.ref).order_by(
        candidates.c.read, candidates.c.created
    )
    if after:
        items = every.subquery()
        read_then = select(items.c.read).where(items.c.created == after).scalar_subquery()
        query = query.where(
            or_(
                candidates.c.read > read_then,
                and_(candidates.c.read == read_then, candidates.c.created > after),
            )
        )
    if ref is not None and sealer.cipher is None:
        query = query.where(candidates.c.ref == ref)
        ref = None
    if ref is None:
        query = query.limit(limit + 1)
    matching = _matching(conn.execute(query), sealer, ref)
    found: list[tuple[UUID, int]] = []
    for row in matching:
        if len(found) == limit:
            return Listed([id for id, _ in found], found[-1][1])
        found.append(row)
    return Listed([id for id, _ in found], None)


def _matching(rows: Iterable[Any], sealer: Sealer, ref: str | None) -> Iterable[tuple[UUID, int]]:
    for row in rows:
        if ref is None or sealer.open(row.ref) == ref:
            yield row.id, row.created
