// The most transferable items: required by the most current occupations, then by the most tasks.
// Shaped for Neo4j's time (bench_neo4j.py --live, 905-standard corpus: 62-68 ms before, about
// 40 ms now; the walk alone, counted with count(*), takes about 22 ms):
// - one row per use from a CALL (o) { ... UNION ALL ... }, not a list of pairs per occupation;
// - WITH DISTINCT task reaches a task once even if its code sits under two duties of one
//   standard (the loader warns and keeps both), and a task belongs to one occupation (its id
//   carries the standard's code), so tasks is a plain count, not a set per item;
// - count(DISTINCT o) stays: one occupation can require an item directly and through a task;
// - the top $top items lie in the top $top (occupations, tasks) groups (none is empty), so
//   names are read only for those, not for all ~18,600 items before the sort.
MATCH (o:Occupation)
WHERE coalesce(o.latest, true) AND NOT coalesce(o.historical, false)
CALL (o) {
  MATCH (o)-[:HAS_DUTY]->(:Duty)-[:HAS_TASK]->(task:Task)
  WITH DISTINCT task
  MATCH (task)-[:REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(item)
  RETURN item, task
  UNION ALL
  MATCH (o)-[:REQUIRES_ATTITUDE|REQUIRES_KNOWLEDGE|REQUIRES_SKILL]->(item)
  RETURN item, null AS task
}
WITH item, count(DISTINCT o) AS occupations, count(task) AS tasks
WITH occupations, tasks, collect(item) AS items
ORDER BY occupations DESC, tasks DESC
LIMIT $top
UNWIND items AS item
WITH item, occupations, tasks
ORDER BY occupations DESC, tasks DESC, item.name, item.id
LIMIT $top
RETURN item.id AS id, toLower(labels(item)[0]) AS kind, item.name AS name, occupations, tasks
