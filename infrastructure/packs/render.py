"""A pack's PDF: the cover (partnership, period, as of, as known at, produced), a section per
report with its chart and table, each recommendation's responses and status history, the
checkpoint and the manifest; ``manifest.json`` attached.

Same contents, same bytes: the PDF's creation date and the attachment's dates are
``known_at`` (the pack is produced *as known at* that time: its "produced" date), the file
identifier is derived from the bytes, and every list is in the order the read side gives it.
"""

from collections import defaultdict
from datetime import datetime

from domain.clock import london_date
from infrastructure.packs.contents import PackContents, PackRecommendation
from infrastructure.packs.drawing import Column, Page
from infrastructure.packs.manifest import ATTACHMENT, Manifest
from projections.models import (
    AttendanceCompliance,
    MeetingTimeliness,
    OverdueActions,
    RecordQuality,
    pct,
)

TITLE = "Inspection pack"


def render(contents: PackContents, manifest: Manifest) -> bytes:
    inputs = contents.inputs
    produced = inputs.known_at
    pdf = Page(
        f"{contents.partnership} - {TITLE} - as of {inputs.as_of.isoformat()}, "
        f"as known at {moment(produced)}"
    )
    pdf.set_creation_date(produced)
    pdf.set_title(f"{TITLE}: {contents.partnership}, as of {inputs.as_of.isoformat()}")
    pdf.set_author(contents.partnership)
    pdf.set_creator("actiontrail")
    pdf.set_producer("actiontrail")
    pdf.add_page()
    _cover(pdf, contents)
    _attendance(pdf, contents.attendance)
    _timeliness(pdf, contents.timeliness)
    _quality(pdf, contents.record_quality)
    _overdue(pdf, contents.overdue)
    _recommendations(pdf, contents.recommendations)
    _integrity(pdf, contents, manifest)
    pdf.embed_file(
        bytes=manifest.encoded(),
        basename=ATTACHMENT,
        desc="the pack's inputs, checkpoint and the SHA-256 of each section's data",
        mime_type="application/json",
        creation_date=produced,
        modification_date=produced,
    )
    return bytes(pdf.output())


def moment(value: datetime) -> str:
    """A UTC time as the pack prints it (to the microsecond, when it has any)."""
    return value.strftime(
        "%Y-%m-%d %H:%M:%S.%f UTC" if value.microsecond else "%Y-%m-%d %H:%M:%S UTC"
    )


def _cover(pdf: Page, contents: PackContents) -> None:
    inputs = contents.inputs
    checkpoint = contents.checkpoint
    pdf.heading(contents.partnership, size=20)
    pdf.paragraph(TITLE, size=14)
    pdf.ln(4)
    pdf.fields(
        [
            ("Period", f"{inputs.from_date.isoformat()} to {inputs.as_of.isoformat()}"),
            ("As of", f"{inputs.as_of.isoformat()} (facts in effect on that day)"),
            ("As known at", f"{moment(inputs.known_at)} (only what was recorded by then)"),
            ("Produced", f"{moment(inputs.known_at)} (a pack is produced as known at its time)"),
            (
                "Checkpoint",
                f"{checkpoint['seq']} at position {checkpoint['position']:,} of the log, "
                + (f"signed with key {checkpoint['key']}" if checkpoint["key"] else "unsigned"),
            ),
        ]
    )
    pdf.ln(3)
    pdf.paragraph(
        "Every figure in this pack is read from the partnership's records as they stood on the "
        "day above, as known at the time above: a record made later does not change it. "
        "Regenerating the pack for the same day, time and checkpoint gives the same file, byte "
        "for byte; 'actiontrail pack verify' on this file regenerates it from the log and says "
        "whether it matches (see the last page).",
        style="I",
    )


def _attendance(pdf: Page, report: AttendanceCompliance) -> None:
    pdf.heading("Attendance at strategy meetings")
    periods = [group.period for group in report.groups]
    pdf.bar_chart(
        "% of meetings held attended by each statutory partner, by month",
        periods,
        [
            (
                partner,
                [
                    pct(
                        next((a.attended for a in g.agencies if a.agency == partner), 0),
                        g.meetings_held,
                    )
                    for g in report.groups
                ],
            )
            for partner in report.statutory_partners
        ],
        top=100,
    )
    rows = [
        (
            group.period,
            group.meetings_held,
            agency.agency,
            agency.invited,
            _percent(agency.invited_pct),
            agency.attended,
            _percent(agency.attended_pct_of_invited),
        )
        for group in report.groups
        for agency in group.agencies
    ]
    pdf.rows_table(
        [
            Column("month", 18),
            Column("held", 14, "R"),
            Column("agency", 52),
            Column("invited", 18, "R"),
            Column("% of held", 22, "R"),
            Column("attended", 20, "R"),
            Column("% of invited", 26, "R"),
        ],
        rows,
    )
    totals = [
        (
            group.period,
            group.meetings_held,
            group.all_statutory_invited,
            _percent(group.all_statutory_invited_pct),
            group.all_statutory_attended,
            _percent(group.all_statutory_attended_pct),
        )
        for group in report.groups
    ]
    pdf.paragraph("Meetings every statutory partner was invited to, and attended:", style="B")
    pdf.rows_table(
        [
            Column("month", 18),
            Column("held", 14, "R"),
            Column("all invited", 30, "R"),
            Column("% of held", 24, "R"),
            Column("all attended", 30, "R"),
            Column("% of held", 24, "R"),
        ],
        totals,
    )


def _timeliness(pdf: Page, report: MeetingTimeliness) -> None:
    pdf.heading("Timeliness of strategy meetings")
    by_month: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for row in report.rows:
        by_month[london_date(row.held_at).strftime("%Y-%m")].append(
            (row.held_within_standard, row.record_shared_within_standard)
        )
    months = sorted(by_month)
    held = [pct(sum(h for h, _ in by_month[m]), len(by_month[m])) for m in months]
    shared = [pct(sum(s for _, s in by_month[m]), len(by_month[m])) for m in months]
    pdf.paragraph(
        f"{report.meetings_held} meetings held; {report.held_within_standard} "
        f"({_percent(report.held_within_standard_pct)}) within "
        f"{report.meeting_within_working_days} working day(s) of the concern; records of "
        f"{report.records_shared_within_standard} "
        f"({_percent(report.records_shared_within_standard_pct)}) "
        f"shared within {report.record_shared_within_working_days} working days of the meeting."
    )
    pdf.line_chart(
        "% within the standard, by month held",
        months,
        [("meeting held in time", held), ("record shared in time", shared)],
        top=100,
    )
    pdf.rows_table(
        [
            Column("month", 24),
            Column("held", 20, "R"),
            Column("% held in time", 40, "R"),
            Column("% records shared in time", 50, "R"),
        ],
        [
            (m, len(by_month[m]), _percent(h), _percent(s))
            for m, h, s in zip(months, held, shared, strict=True)
        ],
    )


def _quality(pdf: Page, reports: list[RecordQuality]) -> None:
    pdf.heading("Record quality")
    if not reports:
        pdf.paragraph("No record was assessed.")
        return
    pdf.bar_chart(
        "% of assessed records clear and lacking clarity, by audit",
        [r.audit_ref for r in reports],
        [
            ("clear", [r.clear_pct for r in reports]),
            ("lacks clarity", [r.lacks_clarity_pct for r in reports]),
        ],
        top=100,
    )
    pdf.rows_table(
        [
            Column("audit", 60),
            Column("assessed", 24, "R"),
            Column("clear", 20, "R"),
            Column("%", 18, "R"),
            Column("lacks clarity", 28, "R"),
            Column("%", 18, "R"),
        ],
        [
            (
                r.audit_ref,
                r.assessed,
                r.clear,
                _percent(r.clear_pct),
                r.lacks_clarity,
                _percent(r.lacks_clarity_pct),
            )
            for r in reports
        ],
    )


def _overdue(pdf: Page, report: OverdueActions) -> None:
    pdf.heading(f"Actions overdue on {report.as_of.isoformat()}")
    counts: dict[str, int] = defaultdict(int)
    for row in report.rows:
        counts[row.agency] += 1
    agencies = sorted(counts)
    pdf.paragraph(f"{len(report.rows)} action(s) overdue.")
    if not report.rows:
        return
    pdf.bar_chart(
        "Overdue actions by agency", agencies, [("overdue", [counts[a] for a in agencies])]
    )
    pdf.rows_table(
        [
            Column("agency", 30),
            Column("action", 62),
            Column("source", 30),
            Column("due", 18),
            Column("days", 12, "R"),
            Column("working", 14, "R"),
            Column("rev.", 14, "R"),
        ],
        [
            (
                row.agency,
                row.description,
                row.source_ref,
                row.due_on.isoformat(),
                row.days_overdue,
                row.working_days_overdue,
                row.revisions,
            )
            for row in report.rows
        ],
    )


def _recommendations(pdf: Page, items: list[PackRecommendation]) -> None:
    pdf.heading("Recommendations: responses and status history")
    if not items:
        pdf.paragraph("No recommendation in the period.")
    for item in items:
        history = item.history
        rag = f", RAG {item.rag}" if item.rag else ""
        pdf.heading(f"{item.source_ref} recommendation {history.number}: {item.status}{rag}", 11)
        pdf.paragraph(history.text)
        pdf.ln(1)
        if history.responses:
            pdf.paragraph("Responses", style="B")
        for response in history.responses:
            agency = f", {response.agency}" if response.agency else ""
            pdf.paragraph(
                f"{response.number}. Dated {response.dated.isoformat()}{agency} (recorded "
                f"{moment(response.recorded_at)} by {response.by}): {response.text}",
                size=8,
            )
            for correction in response.corrections:
                pdf.paragraph(
                    f"    corrected {moment(correction.recorded_at)} by {correction.by} "
                    f"({correction.reason}); first recorded as: {response.original_text}",
                    size=8,
                    style="I",
                )
        if history.status_changes:
            pdf.rows_table(
                [
                    Column("effective", 20),
                    Column("change", 24),
                    Column("status", 22),
                    Column("RAG", 12),
                    Column("reason", 62),
                    Column("recorded", 40),
                ],
                [
                    (
                        c.effective_on.isoformat(),
                        c.change,
                        c.status,
                        c.rag,
                        c.reason,
                        moment(c.recorded_at),
                    )
                    for c in history.status_changes
                ],
            )


def _integrity(pdf: Page, contents: PackContents, manifest: Manifest) -> None:
    pdf.add_page()
    pdf.heading("Integrity: the checkpoint and the manifest")
    checkpoint = contents.checkpoint
    pdf.fields(
        [
            ("Log", str(checkpoint["log"])),
            ("Checkpoint", f"{checkpoint['seq']}, made {checkpoint['signed_at']}"),
            ("Position", f"{checkpoint['position']:,}"),
            ("Chain value", str(checkpoint["hash"])),
            ("Signing key", str(checkpoint["key"] or "none: the checkpoint is unsigned")),
            ("Signature", str(checkpoint["signature"] or "none")),
        ]
    )
    pdf.ln(2)
    pdf.paragraph(
        f"This file carries '{ATTACHMENT}' (an attachment): the pack's inputs, the checkpoint "
        "and the SHA-256 of each section's data (canonical JSON: keys sorted, no spaces, UTF-8)."
    )
    pdf.rows_table(
        [Column("section", 40), Column("SHA-256 of its data", 140)],
        list(manifest.sections.items()),
    )
    pdf.paragraph(
        "To check this pack against the partnership's log: actiontrail pack verify FILE (exit 0: "
        "it matches). It verifies the log's hash chain and the checkpoint's signature, "
        "regenerates the pack from the inputs above and compares it, byte for byte and section "
        "by section. See docs/integrity.md, 'How to verify a pack'."
    )


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"
