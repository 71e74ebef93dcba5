"""``GET /packs``: who may ask, the PDF and its headers, the same bytes again, refusals."""

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from tests.api.conftest import Api
from tests.api.console import Console

AS_OF = "2023-07-31"


def known_now() -> str:
    return datetime.now(UTC).isoformat()


@pytest.mark.parametrize(
    ("who", "status"),
    [("governance", 200), ("inspector", 200), ("reporting", 403), ("health", 403), ("nobody", 401)],
)
def test_governance_and_inspectors_get_a_pack(api: Api, who: str, status: int) -> None:
    api.meeting()
    response = api.get(who, "/packs", as_of=AS_OF, known_at=known_now())
    assert response.status_code == status, response.text
    if status == 200:
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith(
            'attachment; filename="actiontrail-pack-2023-07-31-known-'
        )
        assert response.headers["x-pack-checkpoint"] == "1"
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert "Inspection pack" in text
        assert "As of 2023-07-31" in text


def test_the_same_inputs_give_the_same_bytes(api: Api) -> None:
    api.meeting()
    known_at = known_now()
    first = api.get("governance", "/packs", as_of=AS_OF, known_at=known_at)
    api.meeting()  # recorded after known_at, and a new checkpoint would cover it
    again = api.get("inspector", "/packs", as_of=AS_OF, known_at=known_at, checkpoint=1)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again.headers["x-pack-sha256"] == first.headers["x-pack-sha256"]


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"as_of": AS_OF, "known_at": "2099-01-01T00:00:00+00:00"}, "is in the future"),
        ({"as_of": AS_OF, "from": "2023-08-01", "known_at": None}, "is after as_of"),
        ({"as_of": AS_OF, "known_at": None, "checkpoint": 5}, "the log has no checkpoint 5"),
        ({"as_of": AS_OF, "known_at": "2000-01-01T00:00:00+00:00"}, "nothing was recorded by"),
        ({"as_of": AS_OF}, "known_at"),
    ],
)
def test_a_pack_that_cannot_be_made_is_refused(
    api: Api, params: dict[str, object], detail: str
) -> None:
    api.meeting()
    if params.get("known_at", "") is None:
        params = {**params, "known_at": known_now()}
    response = api.get("governance", "/packs", **params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert detail in response.text


@pytest.mark.parametrize(("who", "status"), [("inspector", 200), ("reporting", 403)])
def test_the_console_offers_the_pack_to_governance_and_inspectors(
    api: Api, who: str, status: int
) -> None:
    api.meeting()
    console = Console(api)
    form = console.get(who, "/console/packs")
    assert form.status_code == status
    if status != 200:
        assert "Inspection packs" not in console.get(who, "/console/dashboard").text
        return
    assert "Download the pack (PDF)" in form.text
    assert re.search(r'name="as_of" type="date" value="\d{4}-\d\d-\d\d"', form.text)
    assert re.search(r'name="known_at" type="datetime-local" step="1" value="[0-9T:-]+"', form.text)
    pdf = console.get(who, "/console/packs.pdf", as_of=AS_OF, known_at=known_now())
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert "As of" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
