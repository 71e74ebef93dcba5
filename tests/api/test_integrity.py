"""``GET /integrity`` and ``GET /integrity/public-key``: who may ask, what they answer.

The role cases and the refusals share a store (``shared_api``) holding one meeting, written once
(``one_meeting``): they only read it, so no case sees another's writes. Tampering and signing get
a store of their own."""

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from infrastructure.config import Settings
from infrastructure.integrity.keys import write_key_pair
from infrastructure.web.app import create_app
from tests.api.conftest import BASE_URL, Api
from tests.conftest import drop_schema, make_settings
from tests.integrity.tamper import Tamper


@pytest.fixture(scope="module")
def one_meeting(shared_api: Api) -> Api:
    shared_api.meeting()
    return shared_api


@pytest.mark.parametrize(
    ("who", "status"),
    [("governance", 200), ("inspector", 200), ("reporting", 403), ("health", 403), ("nobody", 401)],
)
def test_governance_and_inspectors_verify_the_log(one_meeting: Api, who: str, status: int) -> None:
    response = one_meeting.get(who, "/integrity")
    assert response.status_code == status, response.text
    if status == 200:
        body = response.json()
        assert body["status"] == "ok"
        assert body["head"] == body["verified_to"] > 0
        assert body["first_mismatch"] is None
        assert body["last_checkpoint"] is None
        assert body["trust"] == "none"


def test_a_changed_event_is_named_in_the_answer(api: Api, settings: Settings) -> None:
    api.meeting()
    Tamper(settings).change_state_byte(2)
    body = api.get("inspector", "/integrity").json()
    assert body["status"] == "broken"
    assert body["first_mismatch"]["position"] == 2
    assert body["first_mismatch"]["reason"] == "state-changed"
    assert body["verified_to"] == 1


@pytest.mark.parametrize(("start", "status"), [("7", 404), ("0", 422), ("one", 422)])
def test_verifying_from_a_checkpoint_that_does_not_exist_is_refused(
    shared_api: Api, start: str, status: int
) -> None:
    response = shared_api.get("governance", "/integrity", **{"from": start})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


def test_without_a_key_there_is_no_public_key_to_publish(shared_api: Api) -> None:
    response = shared_api.get("reporting", "/integrity/public-key")
    assert response.status_code == 404
    assert "no signing key" in response.json()["detail"]


@pytest.fixture
def signing(store: str, tmp_path: Path) -> Iterator[tuple[TestClient, Path, Settings]]:
    key = tmp_path / "signing.pem"
    write_key_pair(key)
    settings = make_settings(store, tmp_path, signing_key_file=key)
    try:
        with TestClient(create_app(settings), base_url=BASE_URL) as client:
            yield client, key, settings
    finally:
        drop_schema(settings)


def test_the_public_key_is_published_to_every_signed_in_user(
    signing: tuple[TestClient, Path, Settings],
) -> None:
    client, key, _ = signing
    users = client.app.state.services.users  # type: ignore[attr-defined]
    token = users.add(name="Agency", role="agency", agency="police", created_by=None).token
    response = client.get("/integrity/public-key", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-pem-file")
    assert response.text == Path(f"{key}.pub").read_text()
    assert client.get("/integrity/public-key").status_code == 401


def test_a_signed_checkpoint_anchors_the_answer(signing: tuple[TestClient, Path, Settings]) -> None:
    client, _, _ = signing
    services = client.app.state.services  # type: ignore[attr-defined]
    token = services.users.add(name="Gov", role="governance", agency=None, created_by=None).token
    headers = {"Authorization": f"Bearer {token}"}
    created = client.post(
        "/meetings",
        headers=headers,
        json={
            "case_ref": "CASE-1",
            "concern_raised_at": "2023-06-13T09:30:00+01:00",
            "kind": "child-protection",
            "team": "North",
        },
    )
    assert created.status_code == 201
    made = services.integrity.checkpoint()
    body = client.get("/integrity", headers=headers).json()
    assert body["trust"] == "trusted-key"
    assert body["signed_to"] == made.position == created.json()["position"]
    assert body["last_checkpoint"] == {
        "seq": 1,
        "position": made.position,
        "hash": made.hash,
        "signed_at": made.signed_at,
        "signed": True,
        "key": made.key,
    }
    assert client.get("/integrity", headers=headers, params={"from": 1}).json()["status"] == "ok"
