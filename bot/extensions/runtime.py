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
    from bot.extensions import rasa_patches  # imports Rasa: after the filters are in place

    rasa_patches.apply()
    known_warnings.run_rasa(sys.argv[1:])


if __name__ == "__main__":
    main()
