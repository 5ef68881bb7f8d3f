// Nodes whose name contains the given text (case-insensitive), occupations and items first
// Shaped for Neo4j's time (bench_neo4j.py --live, 905-standard corpus): occupations and items
// are searched first, and the other nodes (duties, tasks, outputs, indicators: most of the
// graph, with the longest names) only when fewer than 100 of those match, since the 100 rows
// come from them first. 21-24 ms instead of 36-56 ms for a common text (溝通); a rare one
// (Excel) still reads every name, 43-46 ms. The rank is label membership, the same test that
// splits the two searches, so the split can never drop a row the order would keep.
MATCH (n)
WHERE (n:Occupation OR n:Knowledge OR n:Skill OR n:Attitude)
  AND toLower(n.name) CONTAINS toLower($text)
WITH collect(n) AS first
CALL (first) {
  WITH first WHERE size(first) < 100
  MATCH (m)
  WHERE NOT (m:Occupation OR m:Knowledge OR m:Skill OR m:Attitude)
    AND toLower(m.name) CONTAINS toLower($text)
  RETURN collect(m) AS rest
}
UNWIND first + rest AS n
RETURN n.id AS id, labels(n)[0] AS kind, n.name AS name
ORDER BY CASE WHEN n:Occupation THEN 0 WHEN n:Knowledge THEN 1 WHEN n:Skill THEN 2
         WHEN n:Attitude THEN 3 ELSE 4 END, name, id
LIMIT 100
