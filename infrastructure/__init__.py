"""Wiring: configuration, storage, the command line and (later) HTTP."""
