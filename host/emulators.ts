import { createHttpServer } from '@vercel/cosmosdb-server';
import { spawn } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';

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
  // Idle connections stay open until stop(): with Node's 5 s default the server could close a
  // socket just as the SDK's agent reuses it (ECONNRESET on a write, then an activity retry).
  server.keepAliveTimeout = 0;
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

/** A free loopback port, for an emulator that cannot report the port it was given. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface AzuriteOptions {
  /**
   * `blob` (the app's own storage) or `all`: Blob, Queue and Table, which the Durable extension's
   * Azure Storage provider needs (DURABLE_ENGINE=extension).
   */
  services?: 'blob' | 'all';
  /** Keep the data in this folder (a restart finds it again) instead of in memory. */
  location?: string;
}

/**
 * Starts Azurite as a child process we own: in memory (unless `location` is given), telemetry
 * off, on free loopback ports, resolved once every service listens.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<Emulator> {
  const all = options.services === 'all';
  // Azurite's Table service reports the port it was asked for, not the one it got: so with all
  // three services the ports are chosen here.
  const [blobPort, queuePort, tablePort] = all
    ? [await freePort(), await freePort(), await freePort()]
    : [0, 0, 0];
  // Azurite runs behind a one-line bootstrap that exits when the IPC channel to its parent
  // closes: the emulator never outlives its host, even one killed with SIGKILL.
  // (The channel is unref'd there too, so Azurite can still exit on its own when it stops.)
  const bootstrap =
    "process.channel?.unref(); process.on('disconnect', () => process.exit(0)); require(process.argv[1]);";
  const serviceArgs = all
    ? [
        require.resolve('azurite/dist/src/azurite.js'),
        ...['--blobHost', '127.0.0.1', '--blobPort', String(blobPort)],
        ...['--queueHost', '127.0.0.1', '--queuePort', String(queuePort)],
        ...['--tableHost', '127.0.0.1', '--tablePort', String(tablePort)],
      ]
    : [require.resolve('azurite/dist/src/blob/main.js'), '--blobHost', '127.0.0.1', '--blobPort', '0'];
  const storageArgs = options.location ? ['--location', options.location] : ['--inMemoryPersistence'];
  const child = spawn(
    process.execPath,
    [
      '-e',
      bootstrap,
      ...serviceArgs,
      ...storageArgs,
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--loose',
      '--silent',
    ],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  if (!child.stdout || !child.stderr) throw new Error('Azurite was started without output pipes.');
  const { stdout, stderr } = child;
  const blobUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`Azurite did not start within 30 s:\n${output}`)),
      30_000,
    );
    stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const blob = /Blob service (?:is )?(?:successfully )?listen(?:s on|ing at) (http:\/\/[\d.]+:\d+)/.exec(
        output,
      );
      const ready = all ? /Table service is successfully listening/.test(output) : blob !== null;
      if (blob?.[1] && ready) {
        clearTimeout(timer);
        resolve(blob[1]);
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
  const endpoints = all
    ? `BlobEndpoint=${blobUrl}/${azuriteAccount};` +
      `QueueEndpoint=http://127.0.0.1:${queuePort}/${azuriteAccount};` +
      `TableEndpoint=http://127.0.0.1:${tablePort}/${azuriteAccount};`
    : `BlobEndpoint=${blobUrl}/${azuriteAccount};`;
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${azuriteAccount};AccountKey=${azuriteKey};` + endpoints,
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
