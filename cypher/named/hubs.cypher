// The most transferable items: required by the most current occupations, then by the most tasks
MATCH (o:Occupation)
WHERE coalesce(o.latest, true) AND NOT coalesce(o.historical, false)
WITH o,
     [(o)-[:HAS_DUTY]->(:Duty)-[:HAS_TASK]->(task:Task)-[:REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(k)
        | {item: k, task: task}]
     + [(o)-[:REQUIRES_ATTITUDE|REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(a) | {item: a, task: null}] AS uses
UNWIND uses AS use
WITH use.item AS item, count(DISTINCT o) AS occupations, count(DISTINCT use.task) AS tasks
RETURN item.id AS id, toLower(labels(item)[0]) AS kind, item.name AS name, occupations, tasks
ORDER BY occupations DESC, tasks DESC, name, id
LIMIT $top
