"""The campus knowledge base: sourced data files, their SQL database, and the query API.

Independent of Rasa: actions and tests call `open_knowledge_base()` and its methods.
"""
