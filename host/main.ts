import path from 'node:path';
import type { LogSink } from './functionsCore';
import { startLocalHost } from './localHost';

/** `npm start`: the local host. Logs go to stderr; stdout carries the one "listening" line. */
const log: LogSink = (level, category, message) => {
  if (level === 'trace' || level === 'debug') return;
  process.stderr.write(`[${new Date().toISOString()}] ${level} ${category}: ${message}\n`);
};

async function main(): Promise<void> {
  const port = process.env.PORT === undefined ? 7071 : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${process.env.PORT}".`);
  const host = await startLocalHost({ port, appRoot: path.resolve(__dirname, '..', '..'), log });
  process.stdout.write(`exportrail listening on ${host.url}\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('information', 'host', `${signal} received, stopping`);
    host.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log('error', 'host', `stop failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `exportrail failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
