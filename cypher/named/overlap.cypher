// Items every given occupation requires (same node: identical or alias-merged), by kind and name
MATCH (o:Occupation)
WHERE o.code IN $codes
WITH o,
     [(o)-[:HAS_DUTY]->(:Duty)-[:HAS_TASK]->(:Task)-[:REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(k) | k]
     + [(o)-[:REQUIRES_ATTITUDE|REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(a) | a] AS items
UNWIND items AS item
WITH item, count(DISTINCT o) AS occupations
WHERE occupations = size($codes)
RETURN item.id AS id, toLower(labels(item)[0]) AS kind, item.name AS name
ORDER BY CASE kind WHEN 'knowledge' THEN 0 WHEN 'skill' THEN 1 ELSE 2 END, name, id
