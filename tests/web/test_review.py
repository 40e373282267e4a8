"""Review in the app: the event page's controls post with a token, every change shows
in the trail (API and /review page), pages and API read reviewed values, rejected
events leave the lists, ?reviewed_only=1 keeps reviewed ones; tokens name reviewers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ember.scale import ingest_and_analyze
from ember.web import create_app
from ember.web._review import load_reviewers
from tests.web.conftest import TOKEN

ALICE, BOB = "alice-token-7f3", "bob-token-91c"


@pytest.fixture
def reviewed(web_db: str) -> Iterator[TestClient]:
    app = create_app(web_db, reviewers={ALICE: "alice", BOB: "bob"})
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_json_edits_are_logged_with_the_reviewer(reviewed: TestClient) -> None:
    response = reviewed.post(
        "/api/review/event/ev-a1/set", json={"fields": {"fatalities": 6, "actor2": "ISIL"}},
        headers=_auth(ALICE),
    )  # fmt: skip
    assert response.status_code == 200, response.text
    changes = response.json()["changes"]
    assert [(c["field"], c["old"], c["new"], c["by"]) for c in changes] == [
        ("fatalities", 4, 6, "alice"),
        ("actor2", "Military Forces of Syria", "Islamic State", "alice"),
    ]
    record = reviewed.get("/api/review/event/ev-a1").json()
    assert record["fields"]["fatalities"] == 6 and record["status"] == "edited"
    assert set(record["reviewed"]) == {"fatalities", "actor2"}
    events = reviewed.get("/api/events").json()["items"]
    assert {e["id"]: e["fatalities"] for e in events}["ev-a1"] == 6
    trail = reviewed.get("/api/review").json()
    assert trail["total"] == 2 and trail["items"][0]["field"] == "actor2"


def test_rejected_events_leave_every_list_but_keep_their_page(reviewed: TestClient) -> None:
    assert reviewed.post("/api/review/event/ev-b2/reject", headers=_auth(BOB)).status_code == 200
    ids = {e["id"] for e in reviewed.get("/api/events").json()["items"]}
    assert "ev-b2" not in ids and "ev-a1" in ids
    assert "ev-b2" not in reviewed.get("/events").text
    page = reviewed.get("/events/ev-b2")
    assert page.status_code == 200 and 'data-status="rejected"' in page.text
    assert reviewed.get("/api/review/event/ev-b2").json()["status"] == "rejected"


def test_reviewed_only(reviewed: TestClient) -> None:
    reviewed.post("/api/review/event/ev-x4/accept", headers=_auth(ALICE))
    only = reviewed.get("/api/events?reviewed_only=1").json()["items"]
    assert [e["id"] for e in only] == ["ev-x4"]
    assert len(reviewed.get("/api/events").json()["items"]) == 3
    assert reviewed.get("/api/health?reviewed_only=true").json()["events"] == 1


def test_the_event_page_form_posts_with_the_token(reviewed: TestClient) -> None:
    page = reviewed.get("/events/ev-a1")
    assert 'action="/api/review/event/ev-a1/set"' in page.text and 'name="token"' in page.text
    form = {"token": BOB, "sub_event_type": "Attack", "fatalities": "4", "place": ""}
    response = reviewed.post("/api/review/event/ev-a1/set", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/events/ev-a1?done=2"
    after = reviewed.get("/api/review/event/ev-a1").json()
    assert after["fields"]["sub_event_type"] == "Violence against civilians / Attack"
    assert after["fields"]["place"] is None
    bad = reviewed.post("/api/review/event/ev-a1/set", data={"token": BOB, "date": "someday"},
                        follow_redirects=False)  # fmt: skip
    assert bad.status_code == 303 and "error=" in bad.headers["location"]
    shown = reviewed.get(bad.headers["location"])
    assert 'id="review-error"' in shown.text and "YYYY" in shown.text
    review_page = reviewed.get("/review")
    assert "bob" in review_page.text and "sub_event_type" in review_page.text


def test_the_place_finder_offers_gazetteer_entries(reviewed: TestClient) -> None:
    page = reviewed.get("/events/ev-a1?find_place=Baguz")
    assert 'value="curated:baghouz"' in page.text
    response = reviewed.post(
        "/api/review/event/ev-a1/set", json={"field": "place", "value": "curated:baghouz"},
        headers=_auth(ALICE),
    )  # fmt: skip
    assert response.json()["changes"][0]["new"] == "Baghouz (curated:baghouz)"
    event = reviewed.get("/api/events?place=Baghuz").json()["items"]
    assert [e["id"] for e in event] == ["ev-a1"]


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"Authorization": "Bearer wrong"}, 401),
     ({"Authorization": f"Bearer {ALICE}", "Origin": "https://evil.example"}, 403)],
)  # fmt: skip
def test_writes_need_a_reviewer_token(
    reviewed: TestClient, headers: dict[str, str], status: int
) -> None:
    response = reviewed.post("/api/review/event/ev-a1/accept", headers=headers)
    assert response.status_code == status
    assert reviewed.get("/api/review").json()["total"] == 0


def test_errors(reviewed: TestClient) -> None:
    post = reviewed.post
    assert post("/api/review/event/nope/accept", headers=_auth(ALICE)).status_code == 404
    assert post("/api/review/bogus/ev-a1/accept", headers=_auth(ALICE)).status_code == 404
    bad = post("/api/review/event/ev-a1/set", json={"field": "colour", "value": "red"},
               headers=_auth(ALICE))  # fmt: skip
    assert bad.status_code == 400 and "no event field 'colour'" in bad.text
    assert reviewed.get("/events/nope").status_code == 404


def test_with_only_ember_token_the_reviewer_names_themselves(web_db: str) -> None:
    app = create_app(web_db, token=TOKEN, pipeline=ingest_and_analyze, reviewers={})
    with TestClient(app, raise_server_exceptions=False) as client:
        nameless = client.post("/api/review/claim/cl-a1/accept", headers=_auth(TOKEN))
        assert nameless.status_code == 400
        named = client.post("/api/review/claim/cl-a1/set", json={"field": "value", "value": "1500"},
                            headers={**_auth(TOKEN), "X-Ember-Reviewer": "carol"})  # fmt: skip
        assert named.json()["changes"][0]["by"] == "carol"
        claims = client.get("/api/claims").json()["items"]
        assert {c["id"]: c["value_low"] for c in claims}["cl-a1"] == 1500


def test_read_only_app_has_no_review_writes(client: TestClient) -> None:
    assert client.post("/api/review/event/ev-a1/accept").status_code in (404, 405)
    assert "needs a token" in client.get("/events/ev-a1").text


def test_reviewers_from_the_environment() -> None:
    assert load_reviewers({"EMBER_REVIEWERS": "t1=alice, t2=bob"}) == {"t1": "alice", "t2": "bob"}
    with pytest.raises(Exception, match="not token=name"):
        load_reviewers({"EMBER_REVIEWERS": "t1"})


def test_merged_events_follow_reviews(reviewed: TestClient) -> None:
    def merged() -> list[dict[str, object]]:
        items: list[dict[str, object]] = reviewed.get("/api/events/merged").json()["items"]
        return items

    before = len(merged())
    reviewed.post("/api/review/event/ev-x4/reject", headers=_auth(ALICE))
    assert len(merged()) == before - 1
    reviewed.post("/api/review/event/ev-a1/set", json={"field": "fatalities", "value": "2"},
                  headers=_auth(ALICE))  # fmt: skip
    clash = [m for m in merged() if "a1" in str(m.get("doc_ids"))]
    assert clash and clash[0]["fatalities"] == 2
