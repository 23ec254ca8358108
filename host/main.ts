import path from 'node:path';
import type { LogSink } from './functionsCore';
import type { CorsArguments } from './cors';
import { startLocalHost, type LocalHost } from './localHost';

/**
 * `npm start`: the local host. Logs go to stderr; stdout carries the one "listening" line.
 * DURABLE_ENGINE=extension runs the orchestrations on Microsoft's Durable extension (the engine
 * bridge, needs the .NET SDK) instead of the local runtime.
 */
const log: LogSink = (level, category, message) => {
  if (level === 'trace' || level === 'debug') return;
  process.stderr.write(`[${new Date().toISOString()}] ${level} ${category}: ${message}\n`);
};

let host: LocalHost | undefined;
let stopping = false;

/** Stops the host (emulators included) and exits; a signal during start-up waits for it to finish. */
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  log('information', 'host', `${signal} received, stopping`);
  if (!host) return; // main() stops it as soon as it has started
  host.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      log('error', 'host', `stop failed: ${String(error)}`);
      process.exit(1);
    },
  );
}

/** `npm start -- --cors <origins> [--cors-credentials]`, as `func start` takes them. */
function corsArguments(argv: readonly string[]): CorsArguments {
  const cors: CorsArguments = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--cors-credentials') cors.credentials = true;
    else if (arg === '--cors') {
      cors.origins = argv[++i];
      if (cors.origins === undefined || cors.origins.startsWith('--'))
        throw new Error('--cors needs a comma-separated list of origins, e.g. --cors http://localhost:5173');
    } else
      throw new Error(`Unknown argument ${arg}: the host takes --cors <origins> and --cors-credentials.`);
  }
  return cors;
}

async function main(): Promise<void> {
  // Handlers first: a supervisor may signal as soon as it sees the listening line.
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const port = process.env.PORT === undefined ? 7071 : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${process.env.PORT}".`);
  const cors = corsArguments(process.argv.slice(2));
  host = await startLocalHost({ port, appRoot: path.resolve(__dirname, '..', '..'), log, cors });
  log(
    'information',
    'host',
    host.engine === 'extension'
      ? 'Durable engine: the Durable extension through the engine bridge (DURABLE_ENGINE=extension)'
      : 'Durable engine: the local runtime (host/durable/); DURABLE_ENGINE=extension runs the real extension',
  );
  if (stopping) {
    stopping = false;
    return shutdown('signal during start-up');
  }
  process.stdout.write(`exportrail listening on ${host.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `exportrail failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
