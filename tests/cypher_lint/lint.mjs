// Lint Cypher statements with Neo4j's own parser and semantic analysis.
//
// stdin:  {"schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...]},
//          "statements": [{"name": "...", "text": "...", "parameters": {"rows": [...]}}]}
// stdout: [{"name": "...", "ms": 12, "diagnostics": [{"severity", "line", "column", "message"}]}]
// Each statement is checked against a dbSchema that declares its parameters and the
// graph's labels / types / property keys, so only real problems are reported.
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const schema = input.schema ?? {};

const out = input.statements.map(({ name, text, parameters }) => {
  const dbSchema = {
    labels: schema.labels ?? [],
    relationshipTypes: schema.relationshipTypes ?? [],
    propertyKeys: schema.propertyKeys ?? [],
    parameters: parameters ?? {},
  };
  const started = performance.now();
  const { diagnostics } = lintCypherQuery(text, dbSchema);
  return {
    name,
    ms: Math.round(performance.now() - started),
    diagnostics: diagnostics.map((d) => ({
      severity: d.severity,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      message: d.message,
    })),
  };
});
process.stdout.write(JSON.stringify(out));
