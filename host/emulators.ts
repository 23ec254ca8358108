import { createHttpServer } from '@vercel/cosmosdb-server';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';

/** A running emulator and the connection string the app's settings take. */
export interface Emulator {
  connectionString: string;
  stop(): Promise<void>;
}

/** The well-known development keys of Azurite and the Cosmos emulator: public, not secrets. */
const azuriteAccount = 'devstoreaccount1';
const azuriteKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const cosmosEmulatorKey =
  'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

/** The settings value (`COSMOS`) for a Cosmos emulator listening on loopback at `port`. */
export function cosmosEmulatorConnectionString(port: number): string {
  return `AccountEndpoint=http://127.0.0.1:${port}/;AccountKey=${cosmosEmulatorKey};`;
}

/**
 * Starts the Cosmos DB emulator server in-process over plain HTTP on loopback (so no TLS check
 * needs disabling). Keep-alive on: by default the emulator answers `connection: close`, so every
 * SDK request paid a new TCP connection (≈ 4,000 a second under the load bench), which Cosmos DB
 * itself never asks for.
 */
export async function startCosmosEmulator(): Promise<Emulator & { requests: () => number }> {
  const server = createHttpServer({ keepAlive: true });
  // Counted for the load bench's requests per flow.
  let requests = 0;
  server.on('request', () => requests++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    connectionString: cosmosEmulatorConnectionString(port),
    requests: () => requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Starts Azurite's Blob service as a child process we own: in memory, telemetry off, on a free
 * loopback port it reports once it listens.
 */
export async function startAzurite(): Promise<Emulator> {
  // Azurite runs behind a one-line bootstrap that exits when the IPC channel to its parent
  // closes: the emulator never outlives its host, even one killed with SIGKILL.
  // (The channel is unref'd there too, so Azurite can still exit on its own when it stops.)
  const bootstrap =
    "process.channel?.unref(); process.on('disconnect', () => process.exit(0)); require(process.argv[1]);";
  const child = spawn(
    process.execPath,
    [
      '-e',
      bootstrap,
      require.resolve('azurite/dist/src/blob/main.js'),
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--inMemoryPersistence',
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--loose',
      '--silent',
    ],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  if (!child.stdout || !child.stderr) throw new Error('Azurite was started without output pipes.');
  const { stdout, stderr } = child;
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`Azurite did not start within 30 s:\n${output}`)),
      30_000,
    );
    stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listens on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${code}:\n${output}`));
    });
  });
  stdout.resume();
  // The channel only exists to tell the child when we are gone; it must not keep us alive.
  child.unref();
  child.channel?.unref();
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${azuriteAccount};AccountKey=${azuriteKey};` +
      `BlobEndpoint=${url}/${azuriteAccount};`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        // While we wait for it to go, it must hold the event loop: else a caller awaiting stop()
        // with nothing else pending sees its process end before stop() resolves.
        child.ref();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
