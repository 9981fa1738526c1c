"""The app end to end over HTTP: /chat and /ask through gradio_client, the staff console's lock."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import httpx
import pytest

from .conftest import Server


@pytest.fixture(scope="module")
def staff_server(kb_settings, assistant) -> Iterator[Server]:
    from app import build_app

    settings = dataclasses.replace(kb_settings, staff_username="staffer", staff_password="correct horse")
    with Server(build_app(settings, assistant)) as server:
        yield server


def test_chat_and_ask_endpoints_answer_through_gradio_client(staff_server):
    from gradio_client import Client

    client = Client(staff_server.url, verbose=False)
    answer = client.predict("Where can I get Narcan?", api_name="/chat")
    assert isinstance(answer, str) and "pharmac" in answer and "1-888-373-7888" in answer
    data = client.predict("Where can I get Narcan?", api_name="/ask")
    assert data["rule"] == "answer" and data["citations"] and data["chunks"][0]["chunk_id"]
    empty = client.predict("   ", api_name="/chat")
    assert "911" in empty and "233733" in empty


def test_the_public_api_lists_only_chat_and_ask(staff_server):
    from gradio_client import Client

    endpoints = set(Client(staff_server.url, verbose=False).view_api(return_format="dict")["named_endpoints"])
    assert endpoints == {"/chat", "/ask"}


def test_the_page_shows_the_numbers_and_the_quick_exit(staff_server):
    page = httpx.get(staff_server.url + "/").text
    config = httpx.get(staff_server.url + "/config").text
    assert "quickExit" in page
    assert "1-888-373-7888" in config and "Quick exit" in config and "call 911" in config


def test_the_staff_console_refuses_without_or_with_wrong_credentials(staff_server):
    base = staff_server.url + "/staff"
    assert httpx.get(base + "/config").status_code == 401
    assert httpx.get(base + "/gradio_api/info").status_code == 401
    wrong = httpx.post(base + "/login", data={"username": "staffer", "password": "wrong"})
    assert wrong.status_code >= 400
    with httpx.Client() as browser:
        ok = browser.post(base + "/login", data={"username": "staffer", "password": "correct horse"})
        assert ok.status_code == 200
        config = browser.get(base + "/config")
        assert config.status_code == 200 and "Staff console" in config.text


def test_the_staff_console_is_disabled_when_no_credentials_are_set(kb_settings, assistant):
    from app import build_app

    with Server(build_app(kb_settings, assistant)) as server:
        response = httpx.get(server.url + "/staff")
        assert response.status_code == 404 and "disabled" in response.text
        assert httpx.get(server.url + "/staff/config").status_code == 404
