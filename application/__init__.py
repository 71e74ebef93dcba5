"""Use cases: typed commands and queries over the domain, with roles and idempotency."""
