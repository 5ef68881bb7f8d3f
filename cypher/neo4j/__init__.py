"""The Neo4j client: ``connect`` (drivers, one-line errors, read queries), ``push`` (batched
``UNWIND … MERGE`` writes with verification) and ``admin`` (``neo4j-admin database import``
files). Statements come from :mod:`cypher.write`; nothing here builds Cypher from data.
"""
