"""Rasa's SpacyNLP, loading only the parts of the spaCy pipeline that the NLU pipeline uses.

Rasa loads every component of the model but the parser. This project takes tokens from
spaCy's French tokenizer (elisions such as « l'aéronautique » split right) and nothing else:
no featurizer reads part-of-speech tags, lemmas or named entities (fr_core_news_sm has no
word vectors, and CountVectorsFeaturizer is set with `use_lemma: false`). Running the tagger,
lemmatizer and NER cost a sixth of the server's time under load for no feature, so the
components listed in `exclude` are not loaded. The class keeps Rasa's name, SpacyNLP,
because SpacyTokenizer asks for its model by that name.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.model import InvalidModelError
from rasa.nlu.utils import spacy_utils


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False, model_from="SpacyNLP")
class SpacyNLP(spacy_utils.SpacyNLP):
    """SpacyNLP with an `exclude` list of spaCy components not to load."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**spacy_utils.SpacyNLP.get_default_config(),
                "exclude": ["tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "ner"]}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SpacyNLP:
        import spacy

        config = {**cls.get_default_config(), **config}
        try:
            language = spacy.load(config.get("model") or "", exclude=config["exclude"])
        except OSError as error:
            raise InvalidModelError(
                f"SpacyNLP: cannot load the spaCy model {config.get('model')!r}: {error}") from error
        model = spacy_utils.SpacyModel(model=language, model_name=config["model"])
        cls.ensure_proper_language_model(model.model)
        return cls(model, config)
