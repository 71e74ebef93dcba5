"""Event state encrypted at rest with the library's AES cipher, when a key is configured."""

from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.cipher import AESCipher
from pydantic import SecretStr

from application import commands as c
from application.service import ActionTrail
from domain.codes import ActionSourceKind
from domain.values import Actor
from infrastructure.bootstrap import build_application
from tests.conftest import drop_schema, make_settings

SECRET_TEXT = "Bruising to the left forearm seen by the school nurse"


def assign_secret(app: ActionTrail, governance: Actor) -> UUID:
    command = c.AssignAction(
        source=c.ActionSourceIn(kind=ActionSourceKind.OTHER, ref="R-1"),
        agency="health",
        description=SECRET_TEXT,
        due_on=date(2023, 12, 1),
        agreed_on=date(2023, 11, 1),
    )
    return app.execute(command, governance).id


@pytest.mark.parametrize("encrypted", [True, False])
def test_free_text_is_unreadable_in_stored_events_when_encrypted(
    store: str, tmp_path: Path, governance: Actor, encrypted: bool
) -> None:
    overrides: dict[str, Any] = {"cipher_key": AESCipher.create_key(32)} if encrypted else {}
    settings = make_settings(store, tmp_path, **overrides)
    app = build_application(settings)
    try:
        action_id = assign_secret(app, governance)
        (stored,) = app.recorder.select_events(action_id)
        assert (SECRET_TEXT.encode() in stored.state) is not encrypted
        assert (b"health" in stored.state) is not encrypted
        assert app.repository.get(action_id).description == SECRET_TEXT
    finally:
        app.close()
        drop_schema(settings)


def test_a_wrong_key_cannot_read_the_events(store: str, tmp_path: Path, governance: Actor) -> None:
    settings = make_settings(store, tmp_path, cipher_key=AESCipher.create_key(32))
    app = build_application(settings)
    try:
        action_id = assign_secret(app, governance)
        other_key = SecretStr(AESCipher.create_key(32))
        wrong = build_application(settings.model_copy(update={"cipher_key": other_key}))
        try:
            with pytest.raises(ValueError, match="MAC check failed"):
                wrong.repository.get(action_id)
        finally:
            wrong.close()
    finally:
        app.close()
        drop_schema(settings)
