"""The counsellor's command line, against a stand-in REST server (the real one is tested in
test_conversation.py): rendering, --json, numbered answers, and a clear error when down."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from bot.web import cli

ANSWER = [{"recipient_id": "x", "text": "2 campus correspondent :",
           "buttons": [
               {"title": "Création numérique", "payload": '/ask_campus_details{"campus": "creation-numerique"}'},
               {"title": "Hub aéroportuaire", "payload": '/ask_campus_details{"campus": "hub-aeroportuaire"}'}]}]


@pytest.fixture
def server():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            body = json.dumps(ANSWER).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", received
    httpd.shutdown()


def test_ask_prints_the_answer_with_numbered_buttons(server, capsys):
    url, received = server
    assert cli.main(["--server", url, "--sender", "conseillere", "ask", "un BTS dans le 93"]) == 0
    assert capsys.readouterr().out == ("2 campus correspondent :\n  1. Création numérique\n"
                                       "  2. Hub aéroportuaire\n")
    assert received == [{"sender": "conseillere", "message": "un BTS dans le 93"}]


def test_ask_json_prints_the_raw_messages(server, capsys):
    url, _ = server
    cli.main(["--server", url, "ask", "--json", "un BTS"])
    assert json.loads(capsys.readouterr().out) == ANSWER


def test_shell_sends_the_payload_of_a_numbered_choice(server, capsys, monkeypatch):
    url, received = server
    lines = iter(["un BTS dans le 93", "2", ""])
    monkeypatch.setattr("builtins.input", lambda prompt: next(lines))
    assert cli.main(["--server", url, "shell"]) == 0
    assert [m["message"] for m in received] == ["un BTS dans le 93",
                                                '/ask_campus_details{"campus": "hub-aeroportuaire"}']


def test_an_unreachable_assistant_gives_a_clear_error(capsys):
    assert cli.main(["--server", "http://127.0.0.1:9", "ask", "bonjour"]) == 2
    assert "Lancez « make run »" in capsys.readouterr().err
