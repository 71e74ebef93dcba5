"""The actiontrail domain model: aggregates, events, rules and reference data.

Nothing here does I/O or imports the other layers.
"""
