"""With a cipher key, lists filter by case and source references all the same: the sealed
values are opened and compared, page by page."""

import os
from collections.abc import Iterator

import pytest
from eventsourcing.cipher import AESCipher
from pydantic import SecretStr

from infrastructure.config import Settings
from tests.api.conftest import Api
from tests.api.test_lists import _action, _items, _meeting
from tests.conftest import drop_schema, make_settings


@pytest.fixture
def settings(store: str, tmp_path: "os.PathLike[str]") -> Iterator[Settings]:
    key = SecretStr(AESCipher.create_key(16))
    sealed = make_settings(store, tmp_path, cipher_key=key)
    yield sealed
    drop_schema(sealed)


def test_sealed_references_are_filtered_and_paged(api: Api) -> None:
    wanted = [_meeting(api, "CASE-7", "North") for _ in range(3)]
    _meeting(api, "CASE-8", "North")
    marac = _action(api, "health", "2023-09-30", "marac", "MARAC-7")
    _action(api, "health", "2023-09-30", "marac", "MARAC-8")

    first = api.get("inspector", "/meetings", case_ref="CASE-7", limit=2).json()
    rest = api.get("inspector", "/meetings", case_ref="CASE-7", after=first["next_after"]).json()

    assert [m["id"] for m in first["items"] + rest["items"]] == wanted
    assert "next_after" not in rest
    assert _items(api, "inspector", "/actions", source_ref="MARAC-7") == [marac]
