"""Rasa's DIETClassifier, predicting one message with less work around the same model.

Rasa's DIET spent more time preparing and calling its TensorFlow graph than running it:
- each featurizer's sparse features were joined to the others by scipy's `hstack`, one call per
  featurizer and kind (sequence, sentence), each building and checking a new matrix;
- its compiled prediction graph was called through TensorFlow's polymorphic-function layer,
  which checks every input against the graph's signature at each call (about 40 % of DIET's time).
Here the sparse features of one kind are joined in one step, into the same matrix, and the
graph Rasa traced (one signature, traced once when the model loads) is called directly with the
same inputs. Same model, same weights, same graph: the predictions are Rasa's, which
tests/test_diet.py checks on every held-out message. Training is Rasa's, unchanged.
The direct call uses what Rasa 3.6.21 and TensorFlow 2.12 name privately (the model's traced
step, the graph's flat call): the same test fails if another version changes them.
The class keeps Rasa's name, so that entities still say they come from DIETClassifier.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import scipy.sparse
import tensorflow as tf
from keras.utils import tf_utils
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers import diet_classifier
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.utils import train_utils
from rasa.utils.tensorflow.constants import FEATURIZERS


def joined_sparse(matrices: list[scipy.sparse.spmatrix]) -> scipy.sparse.coo_matrix:
    """The matrices side by side: what scipy.sparse.hstack gives, built once."""
    parts = [matrix.tocoo() for matrix in matrices]
    offsets = np.cumsum([0] + [part.shape[1] for part in parts[:-1]])
    return scipy.sparse.coo_matrix(
        (np.concatenate([part.data for part in parts]),
         (np.concatenate([part.row for part in parts]),
          np.concatenate([part.col + offset for part, offset in zip(parts, offsets, strict=True)]))),
        shape=(parts[0].shape[0], sum(part.shape[1] for part in parts)))


def with_joined_features(message: Message, featurizers: list[str]) -> Message:
    """A view of `message` whose sparse text features of each kind are already joined, in the
    order Rasa joins them (the featurizers' order in the pipeline)."""
    groups: dict[str, list[Features]] = defaultdict(list)
    others = []
    for features in message.features:
        if (features.attribute == TEXT and features.is_sparse()
                and (not featurizers or features.origin in featurizers)):
            groups[features.type].append(features)
        else:
            others.append(features)
    # Rasa names the joined features after the featurizers it was given; the first one's name
    # keeps this view's features among those it selects.
    joined = [group[0] if len(group) == 1 else
              Features(joined_sparse([f.features for f in group]), kind, TEXT, group[0].origin)
              for kind, group in groups.items()]
    return Message(data=message.data, features=joined + others)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True)
class DIETClassifier(diet_classifier.DIETClassifier):
    """DIETClassifier whose prediction joins features once and calls the traced graph directly."""

    _graph = None  # the traced prediction graph, once known

    def _predict(self, message: Message) -> dict[str, Any] | None:
        if self.model is None:
            return super()._predict(message)
        model_data = self._create_model_data(
            [with_joined_features(message, self.component_config.get(FEATURIZERS) or [])], training=False)
        if model_data.is_empty():
            return None
        if self.model._tf_predict_step is None:  # not traced yet: Rasa traces it on this first call
            return self.model.run_inference(model_data)
        if self._graph is None:  # the one graph of the traced signature
            self._graph = self.model._tf_predict_step.get_concrete_function()
        generator, _ = train_utils.create_data_generators(model_data, batch_sizes=1, epochs=1, shuffle=False)
        batch = next(iter(generator))[0]
        outputs = tf_utils.sync_to_numpy_or_python_type(
            self._graph._call_flat([tf.convert_to_tensor(value) for value in tf.nest.flatten(batch)],
                                   self._graph.captured_inputs))
        if DIAGNOSTIC_DATA in outputs:
            outputs[DIAGNOSTIC_DATA] = self.model._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
        return self.model._merge_batch_outputs({}, outputs)
