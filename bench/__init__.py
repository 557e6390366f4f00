"""Benchmarks of the assistant (issue 5): load through the REST channel, knowledge-base queries."""
