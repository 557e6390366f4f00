"""The Rasa server as this project runs it: Rasa's own command line, with bot.rasa_patches
applied first (which refuses any other Rasa version than the one pinned).

    python -m bot.rasa_runtime run --model models/cmq.tar.gz ...   (same arguments as `rasa`)

Everything else this project adds to Rasa goes through Rasa's extension points: the NLU
components and policies of config.yml (bot.nlu, bot.policies), the stores of endpoints.yml
(bot.stores) and the channels of credentials.yml (bot.channels).
"""

from __future__ import annotations

import sys

from bot import rasa_patches


def main() -> None:
    from rasa.__main__ import main as rasa_main

    rasa_patches.apply()
    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
