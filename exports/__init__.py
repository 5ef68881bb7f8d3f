"""Exports: the graph written in the formats other tools read (see :mod:`exports.registry`)."""
