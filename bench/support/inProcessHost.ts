import path from 'node:path';
import { startLocalHost, type DurableEngine, type LocalHost } from '../../host/localHost';

/**
 * The local host in this process, on a free port, with timers off and no log: its own emulators
 * unless `cosmos` names a Cosmos DB to use (STORAGE and COSMOS from the environment are ignored,
 * so a bench never writes into a configured account).
 */
export function startInProcessHost(
  options: { engine?: DurableEngine; cosmos?: string } = {},
): Promise<LocalHost> {
  process.env.STORAGE = '';
  process.env.COSMOS = options.cosmos ?? '';
  return startLocalHost({
    port: 0,
    appRoot: path.resolve(__dirname, '..', '..', '..'),
    log: () => undefined,
    timers: false,
    ...(options.engine ? { engine: options.engine } : {}),
  });
}
