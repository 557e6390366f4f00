"""For people: the demo page and the chat widget (the static files here) and their server, and
the counsellors' command `cmq`."""
