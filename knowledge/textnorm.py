"""Text normalisation shared by the loader and the matcher.

`normalize` folds what users type differently without meaning anything different: case,
accents, apostrophes and hyphens, punctuation, "st" for "saint". `match_key` goes one step
further for comparing words: it also drops a plural "s"/"x", so that "avions" finds "avion".
`word_spans` gives the same words with their place in the original text, so that a match can
be reported as a span of what the user typed.
"""

from __future__ import annotations

import re
import unicodedata

MAX_INPUT_CHARS = 2000
"""Longer input is cut before normalising: no sector, place or campus name is that long."""

_TOKEN = re.compile(r"[^\W_]+|\+")
_NOT_ASCII_WORD = re.compile(r"[^0-9a-z+]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ds": "dans", "ac": "academie"}


def _fold(token: str) -> str:
    token = unicodedata.normalize("NFKD", token)
    token = "".join(char for char in token if not unicodedata.combining(char))
    token = token.lower().replace("œ", "oe").replace("æ", "ae")
    token = _NOT_ASCII_WORD.sub("", token)
    return _ABBREVIATIONS.get(token, token)


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """The normalised words of `text` with the start and end of each in `text`."""
    spans = []
    for found in _TOKEN.finditer(text[:MAX_INPUT_CHARS]):
        word = _fold(found.group())
        if word:
            spans.append((word, found.start(), found.end()))
    return spans


def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces ("L'Évry-Sud !" -> "l evry sud")."""
    return " ".join(word for word, _, _ in word_spans(text))


def singular(word: str) -> str:
    """Drop a plural mark from a word long enough to carry one ("avions" -> "avion")."""
    if len(word) > 3 and word[-1] in "sx" and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def sms_respelled(word: str) -> str:
    """A word as SMS spelling writes it, back in its usual spelling where that is unambiguous:
    « aeronotik » -> « aeronotique », « informatik » -> « informatique »."""
    return word[:-2] + "ique" if len(word) > 4 and word.endswith("ik") else word


def match_key(text: str) -> str:
    """The form under which vocabulary terms and user text are compared."""
    return " ".join(singular(word) for word in normalize(text).split())
