"""Fixtures of the worker suites: the Graph API faked at the network edge, the network blocked."""

from tests.workers.graphfake import graph, no_network  # noqa: F401
