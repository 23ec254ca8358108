import path from 'node:path';
import { ensureBridgeBuilt } from './engineBridge';

/**
 * `npm run build:bridge`: builds the engine bridge (bridge/DurableBridge, needs the .NET SDK)
 * unless its last build is of the same sources, as DURABLE_ENGINE=extension does at start.
 */
try {
  const assembly = ensureBridgeBuilt(path.resolve(__dirname, '..', '..'), (_level, category, message) =>
    process.stderr.write(`${category}: ${message}\n`),
  );
  process.stdout.write(`engine bridge ready: ${path.relative(process.cwd(), assembly)}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
