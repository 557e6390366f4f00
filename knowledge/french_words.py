"""French words, so that one is never read as a typo of a knowledge-base term (« déclaration »
is not « décoration », « modestes » not « modiste »), from the lemmatizer table of spaCy's
French model (fr_core_news_sm, installed with the assistant).

`french_lemmas()` gives its lemmas in matching form (33,600 single words); `python -m knowledge build` stores
them in the knowledge base (table french_word), so that reading a message needs no spaCy.
`french_word_forms()` tells whether a lower-case word as written is one of its 217,000 word
forms or lemmas (the NLU's entity extractor, which runs beside spaCy, uses it).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from knowledge.textnorm import match_key

MODEL = "fr_core_news_sm"


@lru_cache(maxsize=2)
def _lemma_table(model_name: str):
    """The model's lemma lookup table (word form -> lemma), read without loading the model;
    None when spaCy or the model is not installed."""
    try:
        import spacy
        from spacy.lookups import Lookups

        package = Path(spacy.util.get_package_path(model_name))
        return Lookups().from_disk(next(package.glob(f"{model_name}-*/lemmatizer/lookups"))).get_table("lemma_lookup")
    except (ImportError, OSError, StopIteration):
        return None


def _lemmas(table) -> frozenset[str]:
    return frozenset(lemma for value in table.values() for lemma in (value if isinstance(value, list) else [value]))


def french_lemmas(model_name: str = MODEL) -> frozenset[str]:
    """The model's lemmas in matching form (one word each); empty without the model."""
    table = _lemma_table(model_name)
    if table is None:
        return frozenset()
    return frozenset(key for key in (match_key(lemma) for lemma in _lemmas(table)) if key and " " not in key)


def french_word_forms(model_name: str | None = MODEL) -> Callable[[str], bool] | None:
    """Whether a lower-case word as written is a form or a lemma of the model's lemma table;
    None without a model."""
    table = _lemma_table(model_name) if model_name else None
    if table is None:
        return None
    lemmas = _lemmas(table)
    return lambda word: word in table or word in lemmas
