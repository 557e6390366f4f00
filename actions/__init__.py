"""Custom actions of the assistant, served by the Rasa SDK action server.

One module per concern; every action reads the knowledge base through `knowledge` only
(never SQL) and never raises to Rasa: a failure becomes a short apology (see base.py).
"""
