"""The Rasa server as this project runs it: Rasa's own command line, with bot.extensions.rasa_patches
applied first (which refuses any other Rasa version than the one pinned) and the known warnings
of its libraries hidden (bot.extensions.known_warnings).

    python -m bot.extensions.runtime run --model models/cmq.tar.gz ...   (same arguments as `rasa`)

Everything else this project adds to Rasa goes through Rasa's extension points: the NLU
components and policies of config.yml (bot.nlu, bot.extensions.policies), the stores of endpoints.yml
(bot.extensions.stores) and the channels of credentials.yml (bot.extensions.channels).
"""

from __future__ import annotations

import sys

from bot.extensions import known_warnings


def main() -> None:
    known_warnings.install()
    from rasa.__main__ import main as rasa_main  # Rasa imported after the filters are in place

    from bot.extensions import rasa_patches

    rasa_patches.apply()
    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
