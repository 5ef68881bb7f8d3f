// Occupations that require an item, found by its exact name, with the tasks that use it
MATCH (item)
WHERE (item:Knowledge OR item:Skill OR item:Attitude) AND item.name = $item
WITH item,
     [(ko:Occupation)-[:HAS_DUTY]->(:Duty)-[:HAS_TASK]->(task:Task)-[:REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(item)
        | {occupation: ko, task: task.code}]
     + [(ao:Occupation)-[:REQUIRES_ATTITUDE|REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(item) | {occupation: ao, task: null}] AS uses
UNWIND uses AS use
WITH item, use.occupation AS o, use.task AS task
ORDER BY task
RETURN o.code AS code, o.name AS occupation, item.id AS item_id, collect(DISTINCT task) AS tasks
ORDER BY code, item_id
