"""The app end to end over HTTP: /chat and /ask through gradio_client, the staff login."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import httpx
import pytest

from .conftest import Server

PASSWORD = "clave-año correct horse"  # not ASCII on purpose


@pytest.fixture(scope="module")
def staff_server(kb_settings, assistant) -> Iterator[Server]:
    from app import build_app

    settings = dataclasses.replace(kb_settings, staff_username="staffer", staff_password=PASSWORD)
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
    spanish_page = client.predict("narcan", "es", api_name="/chat")  # the page's language as a hint
    assert "Fuentes" in spanish_page


def test_the_public_api_lists_only_chat_and_ask(staff_server):
    from gradio_client import Client

    endpoints = set(Client(staff_server.url, verbose=False).view_api(return_format="dict")["named_endpoints"])
    assert endpoints == {"/chat", "/ask"}


def test_the_page_shows_the_numbers_as_call_and_text_links_and_the_quick_exit(staff_server):
    page = httpx.get(staff_server.url + "/").text
    config = httpx.get(staff_server.url + "/config").text
    assert "quickExit" in page
    assert "1-888-373-7888" in config and "Quick exit" in config
    assert "tel:911" in config and "tel:+18883737888" in config and "sms:233733?&body=HELP" in config


def login(client: httpx.Client, base: str, password: str = PASSWORD) -> httpx.Response:
    return client.post(base + "/staff/login", data={"username": "staffer", "password": password})


def test_the_staff_console_shows_a_login_form_and_refuses_without_a_session(staff_server):
    base = staff_server.url
    redirect = httpx.get(base + "/staff")
    assert redirect.status_code == 307 and redirect.headers["location"] == "/staff/"
    form = httpx.get(base + "/staff/")
    assert form.status_code == 200 and 'name="password"' in form.text and '<label for="username">' in form.text
    assert httpx.get(base + "/staff/config").status_code == 401
    assert httpx.get(base + "/staff/gradio_api/info").status_code == 401
    with httpx.Client() as browser:
        wrong = login(browser, base, "wrong")
        assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
        assert browser.get(base + "/staff/config").status_code == 401


def test_a_staff_member_logs_in_with_a_non_ascii_password_and_logs_out_alone(staff_server):
    base = staff_server.url
    with httpx.Client() as ana, httpx.Client() as ben:
        assert login(ana, base).status_code == 303 and login(ben, base).status_code == 303
        config = ana.get(base + "/staff/config")
        assert config.status_code == 200 and "Staff console" in config.text
        out = ana.get(base + "/staff/logout")
        assert out.status_code == 303 and out.headers["location"] == "/staff/"
        assert ana.get(base + "/staff/config").status_code == 401
        assert ben.get(base + "/staff/config").status_code == 200  # one person's logout ends only their session


def test_repeated_failed_logins_get_429_with_retry_after(kb_settings, assistant):
    from app import build_app

    settings = dataclasses.replace(kb_settings, staff_username="staffer", staff_password=PASSWORD)
    with Server(build_app(settings, assistant)) as server, httpx.Client() as guesser:
        codes = [login(guesser, server.url, f"guess {n}").status_code for n in range(6)]
        assert codes[:5] == [401] * 5 and codes[5] == 429
        blocked = login(guesser, server.url)
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0


def test_the_staff_console_is_disabled_when_no_credentials_are_set(kb_settings, assistant):
    from app import build_app

    with Server(build_app(kb_settings, assistant)) as server:
        response = httpx.get(server.url + "/staff")
        assert response.status_code == 404 and "disabled" in response.text
        assert httpx.get(server.url + "/staff/config").status_code == 404
