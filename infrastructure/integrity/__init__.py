"""The log's integrity: a hash chain over every stored event, signed checkpoints, verification.

- ``links``: the chain's arithmetic (the encoding of an event, a link, what a checkpoint signs);
  no I/O.
- ``store``, ``sqlite``, ``postgres``: the chain's tables; the recorders
  (``infrastructure.storage.recorders``) write each event's link in the event's own transaction.
- ``keys``: the Ed25519 signing key, kept outside the database, and the keys a verifier trusts.
- ``checkpoints``: when checkpoints are made, by whom, and the witness file.
- ``verify``, ``report``: recomputing the chain and naming the first mismatch.
- ``service``: all of it for one database (``Services.integrity``).

docs/integrity.md explains what the chain and checkpoints prove, and what they do not.

Inspection packs (a later issue) belong in a package of their own: a pack names the checkpoint
it was computed at (``Integrity.store.last_checkpoint()``, or one made for it with
``Integrity.checkpoint()``), and checking a pack against the log starts with ``verify``.
"""
