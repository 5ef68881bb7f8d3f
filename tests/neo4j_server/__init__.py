"""A Neo4j Community 5.26 server for the test suite: the Maven module beside this file
(``pom.xml``, ``src/main/java/…/TestNeo4j.java``), its launcher (:mod:`.server`) and the
pytest fixtures (:mod:`.plugin`). See the README, section *Tests*."""
