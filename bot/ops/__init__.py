"""Running the assistant: the launcher of `make run`, the one way to start its servers
(processes), the production cluster, the endpoints file made from the environment, retention,
the action server's entry point."""
