// The ceiling: a bare Koa app answering "hello", nothing else. Run as `node bench/ceiling-server.mjs <port>`.
import { readFileSync } from 'node:fs';
import Koa from 'koa';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node bench/ceiling-server.mjs <port>');
  process.exit(2);
}

// `node bench/ceiling-server.mjs <port> <file>`: answer the file's bytes as an HTML page instead (the most a
// page of that size can reach on this machine, whatever renders it)
const page = process.argv[3] ? readFileSync(process.argv[3]) : null;

const app = new Koa();
app.use((ctx) => {
  if (page) {
    ctx.type = 'html';
    ctx.body = page;
  } else ctx.body = 'hello';
});

const server = app.listen(port, '127.0.0.1', () => process.stdout.write(`ceiling listening on ${port}\n`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
