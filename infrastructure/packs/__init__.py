"""Inspection and board packs: one PDF of the reports as of a day, as known at a time, computed
at a checkpoint of the log, with a manifest of hashes; made again from the same inputs, the same
bytes (docs/integrity.md, "Inspection packs").

- ``contents``: the inputs and what a pack shows, read from the read side;
- ``manifest``: the hashes of each section's canonical data, attached to the PDF;
- ``drawing``, ``render``: the PDF (fpdf2), charts drawn as vector shapes;
- ``service``: making a pack, and checking one against the log (``Services.packs``).
"""
