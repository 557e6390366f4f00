"""Rasa channel connectors of the assistant."""
