"""Answers that read the same as plain text and as Markdown. Many integrators show answers
through a Markdown renderer (rasa-webchat, Slack, Mattermost…), where a single line break
joins two lines into one paragraph. So each line ends with a hard break (two spaces, invisible
as plain text); « • » lines stay lines; a numbered list (« 1. ») is closed by a blank line
before the text that follows it, else Markdown would read that text as part of its last item."""

from __future__ import annotations

import re

_ITEM = re.compile(r"^(- |\d+\. )")
HARD_BREAK = "  \n"


def markdown_friendly(text: str) -> str:
    """« Intro\\n1. un\\n2. deux\\nSource » -> « Intro\\n1. un\\n2. deux\\n\\nSource »;
    « Nom\\nLieu » -> « Nom  \\nLieu »: the same lines as plain text, and as Markdown."""
    lines = text.split("\n")
    out = lines[:1]
    for previous, line in zip(lines, lines[1:], strict=False):
        if _ITEM.match(line) or not line or not previous:
            out.append("\n" + line)  # a list item may interrupt a paragraph; blank lines stay
        elif _ITEM.match(previous):
            out.append("\n\n" + line)
        else:
            out.append(HARD_BREAK + line)
    return "".join(out)
