// Everything one occupation requires, with the codes of the tasks using it
MATCH (o:Occupation {code: $occupation})
WITH o,
     [(o)-[:HAS_DUTY]->(:Duty)-[:HAS_TASK]->(task:Task)-[:REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(k)
        | {item: k, task: task.code}]
     + [(o)-[:REQUIRES_ATTITUDE|REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(a) | {item: a, task: null}] AS uses
UNWIND uses AS use
WITH use.item AS item, use.task AS task
ORDER BY task
WITH item, collect(DISTINCT task) AS tasks
RETURN item.id AS id, toLower(labels(item)[0]) AS kind, item.name AS name, tasks
ORDER BY CASE kind WHEN 'knowledge' THEN 0 WHEN 'skill' THEN 1 ELSE 2 END, name
