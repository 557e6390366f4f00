"""The action server: opens the knowledge base, then serves the actions (Rasa SDK).

    python -m bot.ops.action_server --actions actions --port 5055   (the arguments of `rasa run actions`)

A missing, unreadable or empty knowledge base stops the start with a clear error and exit
status 1, instead of a server that would apologise at every question. The server listens on
127.0.0.1 unless SANIC_HOST says otherwise: only the Rasa server needs to reach it.
"""

from __future__ import annotations

import os
import sys

from bot.extensions import known_warnings
from knowledge.queries import KnowledgeBaseUnavailable


def main(argv: list[str] | None = None) -> int:
    known_warnings.install()
    from rasa_sdk.__main__ import main_from_args
    from rasa_sdk.endpoint import create_argument_parser

    from actions.base import knowledge_base

    args = create_argument_parser().parse_args(argv)
    try:
        knowledge_base()  # opened once here, then shared by every action of this process
    except KnowledgeBaseUnavailable as error:
        print(f"Le serveur d'actions ne démarre pas. {error}", file=sys.stderr)
        return 1
    os.environ.setdefault("SANIC_HOST", "127.0.0.1")
    main_from_args(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
