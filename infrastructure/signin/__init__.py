"""Signing in: console sessions, token checks, single sign-on (OpenID Connect), throttling of
failures, and the record of every sign-in, failed sign-in and sign-out (``docs/security.md``).

Everything here is kept in tables beside the users, never in the event log, and never in a
process's memory, so that every ``serve`` worker sees the same sessions and the same counts.
"""
