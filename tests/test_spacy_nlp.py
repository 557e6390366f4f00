"""spaCy loads only its French tokenizer, which still splits elisions for the pipeline."""

from __future__ import annotations

import pytest
from rasa.nlu.model import InvalidModelError
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.extensions.nlu.spacy_nlp import SpacyNLP


def _create(config: dict) -> SpacyNLP:
    return SpacyNLP.create(config, None, None, None)


def test_only_the_tokenizer_is_loaded_and_elisions_are_split():
    nlp = _create({"model": "fr_core_news_sm"})
    assert nlp.provide().model.pipe_names == []
    message = Message.build("jveux bosser ds l'aéronautique")
    nlp.process([message], nlp.provide())
    tokenizer = SpacyTokenizer(SpacyTokenizer.get_default_config())
    tokenizer.process([message])
    assert [t.text for t in message.get("text_tokens")] == ["jveux", "bosser", "ds", "l'", "aéronautique"]


def test_components_can_be_kept():
    nlp = _create({"model": "fr_core_news_sm", "exclude": ["parser"]})
    assert "ner" in nlp.provide().model.pipe_names


def test_a_missing_model_is_a_clear_error():
    with pytest.raises(InvalidModelError, match="cannot load the spaCy model 'fr_core_news_xx'"):
        _create({"model": "fr_core_news_xx"})
