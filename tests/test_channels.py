"""Channels of the running assistant: socket.io with a real python-socketio client, the REST
channel, and CORS limited to the configured origins."""

from __future__ import annotations

import json
import threading
import urllib.request
import uuid

import pytest
import socketio


def test_socketio_channel_answers_in_the_session_and_keeps_it(stack):
    session = uuid.uuid4().hex
    replies, confirmed = [], threading.Event()
    received = threading.Condition()

    def on_bot(data):
        with received:
            replies.append(data)
            received.notify_all()

    client = socketio.Client(reconnection=False)
    client.on("session_confirm", lambda data: confirmed.set())
    client.on("bot_uttered", on_bot)
    client.connect(stack.rasa_url, transports=["websocket"], headers={"Origin": stack.web_url})
    try:
        client.emit("session_request", {"session_id": session})
        assert confirmed.wait(10)

        def say(text: str) -> dict:
            """The answer: Rasa's socket.io channel sends each paragraph as a message, the
            buttons with the last one."""
            count = len(replies)
            client.emit("user_uttered", {"message": text, "session_id": session})
            with received:
                assert received.wait_for(lambda: any(r.get("quick_replies") for r in replies[count:]), timeout=30)
            parts = replies[count:]
            return {"text": "\n\n".join(p["text"] for p in parts), "quick_replies": parts[-1]["quick_replies"]}

        answer = say("un BTS dans le 93")
        assert "Création numérique" in answer["text"]
        assert answer["quick_replies"][0]["payload"] == '/ask_campus_details{"campus": "creation-numerique"}'
        assert "niveau Master" in say("et en master ?")["text"]
    finally:
        client.disconnect()

    # A new connection with the same session id goes on with the same conversation.
    again = socketio.Client(reconnection=False)
    follow_up = []
    again.on("bot_uttered", follow_up.append)
    again.connect(stack.rasa_url, transports=["websocket"])
    try:
        again.emit("session_request", {"session_id": session})
        again.emit("user_uttered", {"message": "le premier", "session_id": session})
        deadline = threading.Event()
        for _ in range(60):
            if follow_up:
                break
            deadline.wait(0.5)
        assert follow_up and "Saint-Denis" in follow_up[0]["text"]
    finally:
        again.disconnect()


def post(url: str, body: dict, origin: str | None = None):
    headers = {"Content-Type": "application/json", **({"Origin": origin} if origin else {})}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers, json.loads(response.read())


def test_rest_channel_answers(stack):
    _, messages = post(stack.rasa_url + "/webhooks/rest/webhook", {"sender": uuid.uuid4().hex,
                                                                    "message": "c'est quoi un CMQ ?"})
    assert "du CAP au doctorat" in messages[0]["text"]


@pytest.mark.parametrize("payload", ["/get_started", "/start"])
def test_the_start_payload_of_a_widget_or_telegram_gets_the_welcome(stack, payload):
    _, messages = post(stack.rasa_url + "/webhooks/rest/webhook", {"sender": uuid.uuid4().hex, "message": payload})
    assert messages[0]["text"].startswith("Bonjour")


def test_cors_allows_only_the_configured_origin(stack):
    url = stack.rasa_url + "/webhooks/rest/webhook"
    headers, _ = post(url, {"sender": uuid.uuid4().hex, "message": "bonjour"}, origin=stack.web_url)
    assert headers["Access-Control-Allow-Origin"] == stack.web_url
    headers, _ = post(url, {"sender": uuid.uuid4().hex, "message": "bonjour"}, origin="http://intrus.example")
    assert headers.get("Access-Control-Allow-Origin") is None


def test_every_documented_connector_loads_from_environment_variables(monkeypatch, tmp_path):
    import yaml
    from rasa.core.run import create_http_input_channels

    from bot.extensions.channels.text_only import TwilioTextInput

    for name in ("TELEGRAM_TOKEN", "TELEGRAM_BOT_NAME", "PUBLIC_URL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET",
                 "MESSENGER_VERIFY_TOKEN", "MESSENGER_APP_SECRET", "MESSENGER_PAGE_ACCESS_TOKEN",
                 "BOTFRAMEWORK_APP_ID", "BOTFRAMEWORK_APP_PASSWORD", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
                 "TWILIO_NUMBER"):
        monkeypatch.setenv(name, f"valeur-de-{name.lower()}")
    # Bot Framework's connector fetches Microsoft's signing keys when it is created: this
    # machine has no internet, so that one is only checked for presence.
    example = yaml.safe_load(open("credentials.channels.example.yml", encoding="utf-8"))
    assert set(example.pop("botframework")) == {"app_id", "app_password"}
    offline = tmp_path / "credentials.yml"
    offline.write_text(open("credentials.channels.example.yml", encoding="utf-8").read().replace(
        "botframework:\n  app_id: ${BOTFRAMEWORK_APP_ID}\n  app_password: ${BOTFRAMEWORK_APP_PASSWORD}\n", ""))
    channels = create_http_input_channels(None, str(offline))
    assert [channel.name() for channel in channels] == [
        "rest", "socketio", "telegram", "slack", "facebook", "twilio_text"]
    twilio = channels[-1]
    assert isinstance(twilio, TwilioTextInput) and twilio.auth_token == "valeur-de-twilio_auth_token"
