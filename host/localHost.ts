import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startAzurite, startCosmosEmulator, type Emulator } from './emulators';
import { LocalDurableRuntime } from './durable/runtime';
import { startExtensionEngine } from './engineBridge';
import {
  registeredFunctions,
  registeredProgrammingModel,
  runHooks,
  setLogSink,
  type LogSink,
  type RegisteredFunction,
} from './functionsCore';
import { resolveCorsSettings, type CorsArguments, type LocalSettingsHost } from './cors';
import { createRequestListener, type DurableHttp } from './httpServer';
import { installFunctionsCore } from './installCore';
import { invokeFunction } from './invoke';
import { TimerScheduler, timerPayload } from './timers';

export interface LocalHost {
  url: string;
  /** The Durable engine it runs (the `engine` option, else the DURABLE_ENGINE setting). */
  engine: DurableEngine;
  stop(): Promise<void>;
}

export interface LocalHostOptions {
  port: number;
  /** Where `package.json` and `host.json` live. */
  appRoot: string;
  log: LogSink;
  /** Fire timer triggers on their schedules (tests turn this off and fire them on demand). */
  timers?: boolean;
  /** `--cors` / `--cors-credentials`; they win over `Host.CORS` / `Host.CORSCredentials`. */
  cors?: CorsArguments;
  /**
   * Which Durable engine runs the orchestrations: `local` (host/durable/, in memory, the default)
   * or `extension` (Microsoft's Durable extension through the engine bridge, on Azure Storage).
   * Defaults to the DURABLE_ENGINE setting.
   */
  engine?: DurableEngine;
}

export type DurableEngine = 'local' | 'extension';

/** The DURABLE_ENGINE setting: `local` unless it names the extension. */
export function durableEngineSetting(value = process.env.DURABLE_ENGINE): DurableEngine {
  if (value === undefined || value === '' || value === 'local') return 'local';
  if (value === 'extension') return 'extension';
  throw new Error(`DURABLE_ENGINE must be "local" or "extension", got "${value}".`);
}

/** What the host needs of either engine. */
interface DurableEngineHandle extends DurableHttp {
  stop(): Promise<void>;
}

/** The compiled entry files named by package.json `main` (a file or a `dir/*.js` glob), as the worker loads them. */
function functionEntryFiles(appRoot: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { main?: string };
  const main = pkg.main ?? 'index.js';
  if (!main.includes('*')) return [path.join(appRoot, main)];
  const dir = path.join(appRoot, path.dirname(main));
  const pattern = new RegExp(`^${path.basename(main).replace(/\./g, '\\.').replace(/\*/g, '.*')}$`);
  return readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** `routePrefix` from host.json, as the host reads it. */
function routePrefix(appRoot: string): string {
  const hostJson = JSON.parse(readFileSync(path.join(appRoot, 'host.json'), 'utf8')) as {
    extensions?: { http?: { routePrefix?: string } };
  };
  return hostJson.extensions?.http?.routePrefix ?? 'api';
}

/**
 * Settings from `local.settings.json` (as `func start` reads them); the environment wins.
 * Returns its `Host` section.
 */
function loadLocalSettings(appRoot: string): LocalSettingsHost {
  let file: { Values?: Record<string, unknown>; Host?: LocalSettingsHost };
  try {
    file = JSON.parse(readFileSync(path.join(appRoot, 'local.settings.json'), 'utf8')) as typeof file;
  } catch {
    return {}; // optional file
  }
  for (const [name, value] of Object.entries(file.Values ?? {})) {
    if (process.env[name] === undefined && typeof value === 'string') process.env[name] = value;
  }
  return file.Host ?? {};
}

/** The extension's storage, as the Functions host finds it: AzureWebJobsStorage, else the app's STORAGE. */
function extensionStorageConnection(): string {
  const connection = process.env.AzureWebJobsStorage || process.env.STORAGE;
  if (!connection) {
    throw new Error(
      'DURABLE_ENGINE=extension needs an Azure Storage connection string (Blob, Queue and Table) in AzureWebJobsStorage or STORAGE, or neither STORAGE setting so that Azurite is started.',
    );
  }
  return connection;
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} is already in use: set PORT to a free port.`)
          : error,
      ),
    );
    // Loopback only: locally the principal header is trusted as EasyAuth's, so nobody else may send it.
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Starts the local host: binds the port first (fail fast), starts emulators for any missing
 * connection, loads the compiled functions through the real programming model, and serves them.
 */
export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  setLogSink(options.log);
  const cors = resolveCorsSettings(options.cors, loadLocalSettings(options.appRoot));
  const engine = options.engine ?? durableEngineSetting();

  let listener: http.RequestListener = (_req, res) => res.writeHead(503, { 'retry-after': '1' }).end();
  const server = http.createServer((req, res) => listener(req, res));
  const port = await listen(server, options.port);
  const baseUrl = `http://127.0.0.1:${port}`;
  // As Core Tools does: durable-functions builds its management URLs from it (else localhost:7071).
  process.env.WEBSITE_HOSTNAME ??= `localhost:${port}`;

  const emulators: Emulator[] = [];
  const stopAll = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all(emulators.map((e) => e.stop()));
  };

  try {
    if (!process.env.STORAGE && !process.env.STORAGE__blobServiceUri) {
      // The extension's Azure Storage provider needs Queue and Table too.
      const azurite = await startAzurite({ services: engine === 'extension' ? 'all' : 'blob' });
      emulators.push(azurite);
      process.env.STORAGE = azurite.connectionString;
      if (engine === 'extension') process.env.AzureWebJobsStorage = azurite.connectionString;
    }
    if (!process.env.COSMOS && !process.env.COSMOS__accountEndpoint) {
      const cosmos = await startCosmosEmulator();
      emulators.push(cosmos);
      process.env.COSMOS = cosmos.connectionString;
    }

    installFunctionsCore();
    for (const file of functionEntryFiles(options.appRoot)) await import(file);
    const { appConfig } = await import('../shared/config');
    const config = appConfig(); // a bad setting stops start-up here, listing every problem
    // As the worker does once the app is loaded: with HTTP streams the library answers its proxy's URL.
    const capabilities = (await registeredProgrammingModel().getCapabilities?.({})) ?? {};
    await runHooks('appStart');

    const functions = registeredFunctions();
    const durable: DurableEngineHandle =
      engine === 'extension'
        ? await startExtensionEngine({
            functions,
            appRoot: options.appRoot,
            log: options.log,
            baseUrl,
            taskHubName: config.durableTaskHub,
            storageConnection: extensionStorageConnection(),
          })
        : new LocalDurableRuntime({
            functions,
            log: options.log,
            baseUrl,
            taskHubName: config.durableTaskHub,
          });
    const fireNonHttp = async (fn: RegisteredFunction, payload: string) => {
      try {
        await invokeFunction(
          fn,
          { trigger: { json: payload }, extraInputsByType: { durableClient: durable.clientBindingData() } },
          options.log,
        );
      } catch (error) {
        options.log(
          'error',
          fn.metadata.name,
          `${fn.metadata.name} failed: ${error instanceof Error ? error.stack : String(error)}`,
        );
      }
    };
    const timers = new TimerScheduler(fireNonHttp, {
      ...process.env,
      SCHEDULED_EXPORTS_CRON: config.schedules.scheduledExports,
      HOUSEKEEPING_CRON: config.schedules.housekeeping,
    });
    if (options.timers !== false) timers.start(functions.values());

    listener = createRequestListener({
      functions,
      durable,
      log: options.log,
      routePrefix: routePrefix(options.appRoot),
      cors,
      httpProxyUrl: capabilities.HttpUri,
      runAdmin: async (name) => {
        const fn = functions.get(name);
        if (!fn || fn.trigger.type.toLowerCase() === 'httptrigger') return false;
        await fireNonHttp(fn, timerPayload(undefined, new Date(), false));
        return true;
      },
    });

    return {
      url: `http://localhost:${port}`,
      engine,
      stop: async () => {
        timers.stop();
        await durable.stop();
        await runHooks('appTerminate');
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
