"""Everything that is neither knowledge nor actions: what the project adds to Rasa
(extensions), running it (ops), the page, widget and counsellors' command (web), and the
report on what students ask (insights)."""
