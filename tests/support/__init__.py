"""Helpers shared by the test modules: the session's database states, small data sets, clients."""
