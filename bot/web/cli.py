"""Command line for counsellors: a quick question, or a conversation, in the terminal.

    cmq ask "quels campus proposent un BTS ?"      prints the answer (--json: raw messages)
    cmq shell                                      a conversation; answer a list by its number
    cmq insights [--since DATE] [--until DATE]     what students ask and do not find (bot.insights)

`ask` and `shell` go through the running assistant's REST channel (`make run`), the same path
as every user, at CMQ_SERVER_URL (default http://localhost:5005). `insights` reads the
conversation store (CMQ_TRACKER_DB_URL) and writes var/insights/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

DEFAULT_URL = "http://localhost:5005"
WEBHOOK = "/webhooks/rest/webhook"


class AssistantUnavailable(RuntimeError):
    pass


def ask(message: str, sender: str, server: str, timeout: float = 30) -> list[dict]:
    """Send one message through the REST channel; the assistant's messages in return."""
    request = urllib.request.Request(server.rstrip("/") + WEBHOOK,
                                     data=json.dumps({"sender": sender, "message": message}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError) as error:
        raise AssistantUnavailable(
            f"L'assistant ne répond pas à {server} ({error}). Lancez « make run » dans un autre terminal.") from error


def render(messages: list[dict]) -> tuple[str, list[dict]]:
    """Plain text of the answer, buttons as a numbered list; and those buttons, in order."""
    lines, buttons = [], []
    for message in messages:
        if message.get("text"):
            lines.append(message["text"])
        for button in message.get("buttons") or []:
            buttons.append(button)
            lines.append(f"  {len(buttons)}. {button['title']}")
    return "\n".join(lines) or "(pas de réponse)", buttons


def _shell(sender: str, server: str) -> int:
    print("Posez vos questions (Entrée sur une ligne vide ou Ctrl-D pour quitter). "
          "Répondez à une liste par son numéro.")
    buttons: list[dict] = []
    while True:
        try:
            line = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not line:
            return 0
        if line.isdigit() and 1 <= int(line) <= len(buttons):
            line = buttons[int(line) - 1]["payload"]
        text, buttons = render(ask(line, sender, server))
        print(text)


def _insights(args) -> int:
    from bot.insights.report import DEFAULT_OUT, make_report
    from bot.ops.endpoints import tracker_db_url

    written = make_report(args.store or tracker_db_url(), args.out or DEFAULT_OUT, args.since, args.until)
    print(f"Rapport écrit : {written[-1]} et {len(written) - 1} fichiers CSV.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cmq", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("CMQ_SERVER_URL", DEFAULT_URL))
    parser.add_argument("--sender", default=f"cli-{uuid.uuid4().hex[:8]}")
    commands = parser.add_subparsers(dest="command", required=True)
    ask_parser = commands.add_parser("ask", help="une question, une réponse")
    ask_parser.add_argument("question")
    ask_parser.add_argument("--json", action="store_true", help="les messages bruts, en JSON")
    commands.add_parser("shell", help="une conversation")
    insights = commands.add_parser("insights", help="ce que les élèves demandent et ne trouvent pas (sans données "
                                                    "personnelles)")
    insights.add_argument("--since", type=dt.date.fromisoformat, help="premier jour (AAAA-MM-JJ)")
    insights.add_argument("--until", type=dt.date.fromisoformat, help="dernier jour (AAAA-MM-JJ)")
    insights.add_argument("--out", type=Path, help="dossier du rapport (défaut : var/insights)")
    insights.add_argument("--store", help="URL SQLAlchemy du magasin de conversations (défaut : CMQ_TRACKER_DB_URL)")
    args = parser.parse_args(argv)
    if args.command == "insights":
        return _insights(args)
    try:
        if args.command == "shell":
            return _shell(args.sender, args.server)
        messages = ask(args.question, args.sender, args.server)
        print(json.dumps(messages, ensure_ascii=False, indent=2) if args.json else render(messages)[0])
        return 0
    except AssistantUnavailable as error:
        print(error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
