"""Text-only channels: buttons are sent as a numbered list inside the answer.

`numbered` is the wording; `NumberedButtons` makes any Rasa output channel use it (Rasa's
default sends one message per button, with its raw payload). The user answers with the
number or the words; actions/buttons.py turns that answer back into the button's payload.
`TwilioTextInput` is Rasa's Twilio (SMS, WhatsApp) connector with numbered buttons: in
credentials.yml, `bot.extensions.channels.text_only.TwilioTextInput:` with the usual Twilio keys.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import OutputChannel
from rasa.core.channels.twilio import TwilioInput, TwilioOutput


def numbered(text: str, buttons: list[dict[str, Any]]) -> str:
    """"Texte\\n1. Premier choix\\n2. Second choix\\n(Répondez par un numéro ou en toutes lettres.)"."""
    if not buttons:
        return text
    choices = "\n".join(f"{index}. {button['title']}" for index, button in enumerate(buttons, start=1))
    return f"{text}\n{choices}\n(Répondez par un numéro ou en toutes lettres.)"


class NumberedButtons(OutputChannel):
    """Mixin: put the buttons in the message as a numbered list; drop the widget's cards."""

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list[dict[str, Any]],
                                     **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, numbered(text, buttons))

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """A campus card is for the web widget: its text was already sent."""


class TwilioTextOutput(NumberedButtons, TwilioOutput):
    pass


class TwilioTextInput(TwilioInput):
    @classmethod
    def name(cls) -> str:
        return "twilio_text"

    def get_output_channel(self) -> OutputChannel:
        return TwilioTextOutput(self.account_sid, self.auth_token, self.twilio_number)
