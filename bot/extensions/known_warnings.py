"""The known warnings of Rasa 3.6 and its pinned libraries, hidden by precise filters (category
and message) so that set-up, training and start print only what a user needs; any other warning
still shows, and CMQ_DEBUG=1 shows them all.

    python -m bot.extensions.known_warnings rasa train ...     Rasa's command line,
    python -m bot.extensions.known_warnings -m <module> ...    or a module run as a script,
                                                               their known warnings hidden

The filters sit in `warnings.showwarning`, Python's hook for showing a warning, rather than in
`warnings.filterwarnings`: Sanic (imported by Rasa) and Rasa's command line each put their own
« once » filter for every DeprecationWarning or UserWarning in front of any filter set before
them, which is also why PYTHONWARNINGS does not hide these.
"""

from __future__ import annotations

import os
import re
import runpy
import sys
import warnings
from dataclasses import dataclass


@dataclass(frozen=True)
class KnownWarning:
    """A warning shown on every run that says nothing to do for this project, and `why`."""

    category: str  # the class's import path, so that its library need not be imported to name it
    message: str  # a regular expression matched at the start of the message (no colon: pytest reads it too)
    why: str

    def matches(self, message: str, category: type) -> bool:
        return (any(_import_path(cls) == self.category for cls in category.__mro__)
                and re.match(self.message, message) is not None)


def _import_path(cls: type) -> str:
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


KNOWN_WARNINGS: tuple[KnownWarning, ...] = (
    KnownWarning("DeprecationWarning", r"pkg_resources is deprecated as an API",
                 "Rasa 3.6 imports setuptools' pkg_resources"),
    KnownWarning("DeprecationWarning", r"Deprecated call to `pkg_resources\.declare_namespace",
                 "matplotlib's and ruamel's namespace packages, declared the old way"),
    KnownWarning("DeprecationWarning", r"jax\.xla_computation is deprecated",
                 "TensorFlow 2.12's lite converter, imported by Rasa, names it"),
    KnownWarning("DeprecationWarning", r"distutils Version classes are deprecated",
                 "sanic-cors, pinned by Rasa and rasa_sdk, compares versions with distutils"),
    KnownWarning("sqlalchemy.exc.MovedIn20Warning", r"Deprecated API features detected",
                 "Rasa 3.6's SQL conversation store is written for SQLAlchemy 1.4, the version pinned"),
    KnownWarning("pyparsing.warnings.PyparsingDeprecationWarning", r"'\w+' (argument is )?deprecated",
                 "matplotlib and packaging call pyparsing 2's names"),
    KnownWarning("UserWarning", r"You have defined training data consisting of entity examples, but your NLU "
                 r"configuration does not include an entity extractor",
                 "Rasa looks for its own DIETClassifier class, not a subclass (bot.extensions.nlu.diet)"),
    KnownWarning("UserWarning", r"You have defined training data consisting of lookup tables, but your NLU "
                 r"configuration does not include any components that uses the features",
                 "the same check, same subclass: DIET does read the lookup tables' features"),
    KnownWarning("UserWarning", r"'RulePolicy' is not included in the model's policy configuration",
                 "Rasa looks for its own RulePolicy class, not a subclass (bot.extensions.policies)"),
)


def is_known(message: Warning | str, category: type) -> bool:
    return any(known.matches(str(message), category) for known in KNOWN_WARNINGS)


def install() -> None:
    """Hide the known warnings in this process from now on (unless CMQ_DEBUG=1); idempotent."""
    shown = warnings.showwarning
    if os.environ.get("CMQ_DEBUG") == "1" or getattr(shown, "hides_known_warnings", False):
        return

    def showwarning(message, category, filename, lineno, file=None, line=None):
        if not is_known(message, category):
            shown(message, category, filename, lineno, file, line)

    showwarning.hides_known_warnings = True
    warnings.showwarning = showwarning


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("rasa", "-m"):
        print("Usage : python -m bot.extensions.known_warnings (rasa | -m <module>) <arguments…>", file=sys.stderr)
        return 2
    install()
    if argv[0] == "-m":
        sys.argv = argv[1:]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        return 0
    run_rasa(argv[1:])
    return 0


def run_rasa(arguments: list[str]) -> None:
    """Rasa's command line with these `arguments`, imported after the filters are in place."""
    install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *arguments]
    rasa_main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
