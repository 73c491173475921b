"""The HTML pages end to end with CSRF tokens: request, provider answer, status, withdraw;
friendly messages (never a 500) for bad input and other people's objects."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from connect.conftest import PASSWORD, verified_provider
from connect.test_security import csrf_from


def test_pages_round_trip(client: TestClient, engine: Engine) -> None:
    prov, other = verified_provider(engine), verified_provider(engine)
    form = client.get(f"/providers/{prov.npi}/request")
    assert form.status_code == 200 and "Request an appointment" in form.text
    token = csrf_from(form.text)
    prefill = client.post(
        f"/providers/{prov.npi}/request",
        data={
            "csrf_token": token,
            "prefill": "1",
            "text": "Heel hurts in the morning",
            "age": "40",
        },
    )
    assert "Heel hurts in the morning" in prefill.text

    bad = client.post(
        f"/providers/{prov.npi}/request", data={"csrf_token": token, "name": "Rita", "age": "old"}
    )
    assert bad.status_code == 422 and "Please check the form" in bad.text

    sent = client.post(
        f"/providers/{prov.npi}/request",
        follow_redirects=False,
        data={
            "csrf_token": token,
            "name": "Rita",
            "email": "rita@example.org",
            "message": "Can I come soon?",
            "text": "Heel hurts",
            "age": "40",
            "share_summary": "yes",
            "answers": "{}",
        },
    )
    assert sent.status_code == 303, sent.text
    status_url = sent.headers["location"].split("?")[0]
    page = client.get(sent.headers["location"])
    assert "Waiting for the provider" in page.text and "Keep this private link" in page.text

    login = client.get("/provider/login")
    r = client.post(
        "/provider/login",
        follow_redirects=False,
        data={"csrf_token": csrf_from(login.text), "email": prov.email, "password": PASSWORD},
    )
    assert r.headers["location"] == "/provider"
    inbox = client.get("/provider/inbox")
    assert "Rita" in inbox.text
    item_id = int(inbox.text.split('href="/provider/inbox/')[1].split('"')[0])
    item = client.get(f"/provider/inbox/{item_id}")
    assert "Can I come soon?" in item.text and "Stridewise summary" in item.text
    r = client.post(
        f"/provider/inbox/{item_id}/reply",
        follow_redirects=False,
        data={"csrf_token": csrf_from(item.text), "decision": "accept", "message": "Monday at 10"},
    )
    assert r.status_code == 303
    assert client.get(f"/provider/profiles/{other.npi}").status_code == 404

    page = client.get(status_url)
    assert "Accepted" in page.text and "Monday at 10" in page.text
    gone = client.post(f"{status_url}/withdraw", data={"csrf_token": csrf_from(page.text)})
    assert gone.status_code == 200 and "deleted" in gone.text
    assert client.get(status_url).status_code == 404
    assert client.get(f"/provider/inbox/{item_id}").status_code == 404


def test_unclaimed_provider_page_is_friendly(client: TestClient) -> None:
    r = client.get("/providers/1234567893/request")
    assert r.status_code == 404 and "not on Stridewise yet" in r.text
