"""The rebuild module: every projection in exactly one group; the collector paused only there."""

import gc
from datetime import date

import pytest

from application.service import ActionTrail
from domain.values import Actor
from infrastructure.config import Settings
from infrastructure.read_side import build_runner
from infrastructure.rebuild import rebuild, rebuild_groups
from projections.audit_log import AuditLogProjection
from projections.runner import all_projections
from tests.builders import action, utc


@pytest.mark.parametrize("processes", [1, 2, 3, 8])
def test_every_projection_is_in_exactly_one_rebuild_group(processes: int) -> None:
    projections = all_projections()
    groups = rebuild_groups(projections, processes)
    names = [name for group in groups for name in group]
    assert sorted(names) == sorted(p.name for p in projections)
    assert 1 <= len(groups) <= processes


def test_two_processes_put_the_audit_log_apart_from_the_other_heavy_ones() -> None:
    # The work queue reads only proposals and their decisions: it weighs nothing.
    assert rebuild_groups(all_projections(), 2) == [
        [AuditLogProjection.name, "work_queue"],
        ["overdue_actions", "meetings", "record_quality", "response_history"],
    ]


def test_the_collector_is_paused_only_while_a_rebuild_replays(
    settings: Settings, app: ActionTrail, governance: Actor
) -> None:
    action(app, governance, on=utc(2023, 6, 1), due_on=date(2023, 7, 1))
    collecting: list[bool] = []

    def note(done: int, total: int) -> None:
        collecting.append(gc.isenabled())

    assert rebuild(settings, app, progress=note, processes=1)
    assert collecting
    assert not any(collecting)
    assert gc.isenabled()
    runner = build_runner(settings, app)
    try:
        collecting.clear()
        runner.rebuild(progress=note)
        assert collecting
        assert all(collecting)
    finally:
        runner.engine.dispose()


def test_a_rebuild_leaves_the_planner_statistics_of_its_tables(
    settings: Settings, app: ActionTrail, governance: Actor
) -> None:
    for n in range(3):
        action(app, governance, on=utc(2023, 6, 1 + n), due_on=date(2023, 7, 1))
    runner = build_runner(settings, app)
    try:
        runner.rebuild(["overdue_actions"])
        with runner.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                analyzed = {
                    name
                    for (name,) in conn.exec_driver_sql("SELECT DISTINCT tbl FROM sqlite_stat1")
                }
            else:  # ANALYZE sets reltuples (-1 for a table never analyzed)
                schema = settings.database_schema
                analyzed = {
                    name
                    for (name,) in conn.exec_driver_sql(
                        "SELECT c.relname FROM pg_class c JOIN pg_namespace n"
                        " ON n.oid = c.relnamespace WHERE n.nspname = %(schema)s"
                        " AND c.reltuples >= 0",
                        {"schema": schema},
                    )
                }
        assert {"rm_action_segments", "rm_action_facts"} <= analyzed
        if settings.store != "sqlite":  # and VACUUM (for index-only scans) ran on them
            with runner.engine.connect() as conn:
                vacuumed = {
                    name
                    for (name,) in conn.exec_driver_sql(
                        "SELECT relname FROM pg_stat_user_tables"
                        " WHERE schemaname = %(schema)s AND last_vacuum IS NOT NULL",
                        {"schema": settings.database_schema},
                    )
                }
            assert {"rm_action_segments", "rm_action_facts"} <= vacuumed
    finally:
        runner.engine.dispose()
