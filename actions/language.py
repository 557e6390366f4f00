"""Light guesses about a message that is not a French question.

`looks_foreign`: used when the NLU is unsure, a message in English, Spanish, German, Italian
or Portuguese (by their most common words), or mostly in another script (Arabic, Chinese,
Cyrillic...), gets told, in French, that the assistant speaks French.
`looks_like_babble`: a long message repeating one or two words (« bla bla bla… ») asks
nothing, whatever intent the NLU gave it.
"""

from __future__ import annotations

import re
import unicodedata

FRENCH = frozenset(
    "je tu il elle nous vous ils le la les un une des du de et est pour dans avec sur pas quoi "
    "quel quelle quels campus formation moi mon ma mes ça ce cette qui que où ou".split())
FOREIGN = frozenset(
    "the is are what which where how can you do does i want to study school best in of and "
    "el los las hay quiero estudiar donde dónde por qué como cómo para una es "
    "ich möchte sie sprechen ist wo wie und der die das "
    "voglio studiare dove sono parli "
    "quero estudar onde falas você".split())
_WORD = re.compile(r"[^\W\d_]+")
BABBLE_MIN_WORDS = 6
BABBLE_MAX_DISTINCT = 2


def looks_foreign(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    if latin / len(letters) < 0.5:
        return True
    if any(mark in text for mark in "¿¡ñ"):  # Spanish punctuation and letter, never French
        return True
    words = [w.lower() for w in _WORD.findall(text)]
    french = sum(w in FRENCH for w in words)
    foreign = sum(w in FOREIGN for w in words)
    return foreign >= 2 and foreign > french


def looks_like_babble(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text)]
    return len(words) >= BABBLE_MIN_WORDS and len(set(words)) <= BABBLE_MAX_DISTINCT
