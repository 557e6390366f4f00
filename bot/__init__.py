"""Runtime glue of the assistant: NLU components, generated NLU data, command line."""
