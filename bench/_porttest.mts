import { createServer } from 'node:net';
import { startDynamoDbLocal } from '../local/dynamodb.ts';
console.log('begin');
const s = createServer();
await new Promise<void>((r) => s.listen(0, '0.0.0.0', () => r()));
const port = (s.address() as { port: number }).port;
console.log('port', port);
try {
  const d = await startDynamoDbLocal({ port });
  console.log('started?!');
  await d.stop();
} catch (e) {
  console.log((e as Error).constructor.name, (e as Error).message.slice(0, 600));
}
s.close();
