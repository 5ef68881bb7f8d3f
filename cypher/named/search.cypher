// Nodes whose name contains the given text (case-insensitive), occupations and items first
MATCH (n)
WHERE toLower(n.name) CONTAINS toLower($text)
RETURN n.id AS id, labels(n)[0] AS kind, n.name AS name
ORDER BY CASE kind WHEN 'Occupation' THEN 0 WHEN 'Knowledge' THEN 1 WHEN 'Skill' THEN 2
         WHEN 'Attitude' THEN 3 ELSE 4 END, name, id
LIMIT 100
