// Drives fetch-sparql-endpoint (Comunica's SPARQL client) against an endpoint and prints what
// it understood as one JSON object, so tests/server/test_node_client.py can check the answers.
// Usage: node clients.mjs ENDPOINT QUERIES_JSON   (QUERIES_JSON: {"SELECT": "...", ...})
import { SparqlEndpointFetcher } from 'fetch-sparql-endpoint';

const [endpoint, queriesJson] = process.argv.slice(2);
const queries = JSON.parse(queriesJson);

function collect(stream) {
  return new Promise((resolve, reject) => {
    const items = [];
    stream.on('data', (item) => items.push(item));
    stream.on('error', reject);
    stream.on('end', () => resolve(items));
  });
}

const term = (t) => ({
  termType: t.termType,
  value: t.value,
  language: t.language ?? '',
  datatype: t.datatype?.value ?? '',
});

async function run(fetcher) {
  const bindings = await collect(await fetcher.fetchBindings(endpoint, queries.SELECT));
  const ask = await fetcher.fetchAsk(endpoint, queries.ASK);
  const constructed = await collect(await fetcher.fetchTriples(endpoint, queries.CONSTRUCT));
  const described = await collect(await fetcher.fetchTriples(endpoint, queries.DESCRIBE));
  const triple = (q) => [term(q.subject), term(q.predicate), term(q.object)];
  return {
    select: bindings.map((row) => Object.fromEntries(
      Object.entries(row).map(([name, value]) => [name.replace(/^\?/, ''), term(value)]),
    )),
    ask,
    construct: constructed.map(triple),
    describe: described.map(triple),
  };
}

const answers = {};
for (const [name, options] of Object.entries({
  get: { method: 'GET' },
  form: { method: 'POST' },
  direct: { method: 'POST', directPost: true },
})) {
  answers[name] = await run(new SparqlEndpointFetcher(options));
}
process.stdout.write(JSON.stringify(answers));
