"""Case references and free text in the read models, sealed with the event store's cipher.

The columns marked ``sealed`` in ``projections.tables`` hold, when a cipher is configured, the
base64 text of ``cipher.encrypt(utf-8 text)``; without one, the text itself. Projections seal
a row when they first build it (later versions of a bitemporal row carry the sealed values
unchanged, so an unchanged row still compares equal); queries open the values they answer with.
"""

from base64 import b64decode, b64encode
from binascii import Error as Base64Error
from typing import Any, overload

from eventsourcing.persistence import Cipher
from sqlalchemy import Table

from projections.errors import UnsealableText
from projections.tables import sealed_columns


class Sealer:
    """Seals and opens the text of sealed columns; passes it through without a cipher."""

    def __init__(self, cipher: Cipher | None = None) -> None:
        self.cipher = cipher
        self._columns: dict[Table, tuple[str, ...]] = {}

    @overload
    def seal(self, text: str) -> str: ...

    @overload
    def seal(self, text: None) -> None: ...

    def seal(self, text: str | None) -> str | None:
        if text is None or self.cipher is None:
            return text
        return b64encode(self.cipher.encrypt(text.encode())).decode("ascii")

    @overload
    def open(self, stored: str) -> str: ...

    @overload
    def open(self, stored: None) -> None: ...

    def open(self, stored: str | None) -> str | None:
        if stored is None or self.cipher is None:
            return stored
        try:
            return self.cipher.decrypt(b64decode(stored, validate=True)).decode()
        except (Base64Error, ValueError) as error:
            raise UnsealableText(
                "a read-model value does not open with the configured cipher key (written "
                "without a key, or with another): rebuild the read models with "
                f"`actiontrail projections rebuild` ({error})"
            ) from None

    def row(self, table: Table, row: dict[str, Any]) -> dict[str, Any]:
        """``row`` with the table's sealed columns sealed (the same dict, changed in place)."""
        if self.cipher is None:
            return row
        columns = self._columns.get(table)
        if columns is None:
            columns = self._columns[table] = sealed_columns(table)
        for name in columns:
            row[name] = self.seal(row[name])
        return row


#: For read models without a cipher.
PLAIN = Sealer()
