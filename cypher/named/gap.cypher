// What the target occupation requires that the source lacks as the same item (partly covered or missing), by importance in the target
MATCH (s:Occupation {code: $source})
WITH [(s)-[:HAS_DUTY]->(:Duty)-[:HAS_TASK]->(:Task)-[:REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(sk) | sk.id]
     + [(s)-[:REQUIRES_ATTITUDE|REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(sa) | sa.id] AS has
MATCH (t:Occupation {code: $target})
WITH t, has,
     [(t)-[:HAS_DUTY]->(:Duty)-[:HAS_TASK]->(tt:Task)-[:REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(tk)
        | {item: tk, task: tt.code, level: coalesce(tt.level, t.level, 1)}]
     + [(t)-[:REQUIRES_ATTITUDE|REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(ta) | {item: ta, task: null, level: coalesce(t.level, 1)}] AS needs
UNWIND needs AS need
WITH has, need
WHERE NOT need.item.id IN has
WITH need.item AS item, need.task AS task, need.level AS level
ORDER BY task
WITH item, collect(DISTINCT task) AS tasks, collect(DISTINCT {task: task, level: level}) AS uses
RETURN item.id AS id, toLower(labels(item)[0]) AS kind, item.name AS name,
       reduce(total = 0, use IN uses | total + use.level) AS importance, tasks
ORDER BY importance DESC, CASE kind WHEN 'knowledge' THEN 0 WHEN 'skill' THEN 1 ELSE 2 END, name
