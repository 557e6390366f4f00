"""Text normalisation shared by the loader and the matcher.

`normalize` folds what users type differently without meaning anything different: case,
accents, apostrophes and hyphens, punctuation, "st" for "saint". `match_key` goes one step
further for comparing words: it also drops a plural "s"/"x", so that "avions" finds "avion".
"""

from __future__ import annotations

import re
import unicodedata

MAX_INPUT_CHARS = 2000
"""Longer input is cut before normalising: no sector, place or campus name is that long."""

_NON_WORD = re.compile(r"[^0-9a-z+]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ds": "dans", "ac": "academie"}


def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces ("L'Évry-Sud !" -> "l evry sud")."""
    text = unicodedata.normalize("NFKD", text[:MAX_INPUT_CHARS])
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    words = _NON_WORD.sub(" ", text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def singular(word: str) -> str:
    """Drop a plural mark from a word long enough to carry one ("avions" -> "avion")."""
    if len(word) > 3 and word[-1] in "sx" and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def match_key(text: str) -> str:
    """The form under which vocabulary terms and user text are compared."""
    return " ".join(singular(word) for word in normalize(text).split())
