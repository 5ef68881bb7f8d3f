"""Every line of Cypher this product runs or writes, and the engines that run it.

- :mod:`cypher.named` — the named queries' texts (``named/*.cypher``), read by the query
  registry, the console examples, the Neo4j commands and the tests;
- :mod:`cypher.write` — the write statements (``UNWIND $rows AS row MERGE …``), the
  ``cypher-shell`` script and the literal encoding it needs;
- :mod:`cypher.embedded` — the embedded, server-less engine (FalkorDB on a private unix
  socket): process, bulk load, snapshot, query guard and value encoding;
- :mod:`cypher.neo4j` — the Neo4j client: connecting, pushing, reading, and the
  ``neo4j-admin`` import files.

The rule everywhere: labels and relationship types come only from the kind table
(:mod:`graph.model`), every value travels as a parameter. This package sits above
``graph`` (it reads the graph and its vocabulary) and below ``queries`` (which names
these texts in its registry) and the front ends.
"""
