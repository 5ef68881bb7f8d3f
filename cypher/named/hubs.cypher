// The most transferable items: required by the most current occupations, then by the most tasks.
// Each use is a two-element list [item, task] (not a map) and the order and limit come before
// the projection: on the corpus that halves Neo4j's time (bench_neo4j.py --live).
MATCH (o:Occupation)
WHERE coalesce(o.latest, true) AND NOT coalesce(o.historical, false)
WITH o,
     [(o)-[:HAS_DUTY]->(:Duty)-[:HAS_TASK]->(task:Task)-[:REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(k)
        | [k, task]]
     + [(o)-[:REQUIRES_ATTITUDE|REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(a) | [a, null]] AS uses
UNWIND uses AS use
WITH use[0] AS item, count(DISTINCT o) AS occupations, count(DISTINCT use[1]) AS tasks
ORDER BY occupations DESC, tasks DESC, item.name, item.id
LIMIT $top
RETURN item.id AS id, toLower(labels(item)[0]) AS kind, item.name AS name, occupations, tasks
