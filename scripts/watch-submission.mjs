#!/usr/bin/env node
// Watches one submission live over graphql-ws and prints each view as it arrives; exits when
// the verdict is final.
//
//   JUDGE_TOKEN=... node scripts/watch-submission.mjs <submission id> [ws://127.0.0.1:4000/graphql]
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [id, url = 'ws://127.0.0.1:4000/graphql'] = process.argv.slice(2);
const token = process.env.JUDGE_TOKEN;
if (!id || !token) {
  console.error('usage: JUDGE_TOKEN=<token> node scripts/watch-submission.mjs <submission id> [ws url]');
  process.exit(2);
}

const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` } });
const query = `subscription ($id: ID!) {
  submissionUpdated(id: $id) { id status verdict version timeMs memoryKb stdout compile { success output } tests { index verdict timeMs memoryKb exitCode } }
}`;
for await (const result of client.iterate({ query, variables: { id } })) {
  if (result.errors) {
    console.error(JSON.stringify(result.errors));
    process.exitCode = 1;
    break;
  }
  const view = result.data.submissionUpdated;
  console.log(JSON.stringify(view));
  if (view.status === 'JUDGED' || view.status === 'FAILED') break;
}
await client.dispose();
