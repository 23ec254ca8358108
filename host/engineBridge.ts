import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { webhookPath } from './durable/clientBinding';
import type { LogSink, RegisteredFunction, RpcTypedData } from './functionsCore';
import type { DurableHttp } from './httpServer';
import { invokeFunction } from './invoke';
import { errorBody, sendJson } from './jsonAnswer';

/**
 * The Node side of the engine bridge (DURABLE_ENGINE=extension, docs/ARCHITECTURE.md "Engine
 * bridge"): Microsoft's Durable extension runs in a .NET process (bridge/DurableBridge) and calls
 * back here, on a loopback endpoint, for every orchestrator episode and activity, which run
 * through the library's own invocation model exactly as the Functions Node worker runs them.
 */

/** Where the bridge's project lives, under the app root. */
const projectDir = path.join('bridge', 'DurableBridge');
/** Build output, outside the source folder (ignored by git). */
const outputDir = path.join(projectDir, 'bin', 'app');
const assemblyName = 'DurableBridge.dll';

/** The .NET start-up, the Azure Storage provider creating its queues and tables: generous on a busy 2-core machine. */
const readyTimeoutMs = 180_000;

export interface ExtensionEngineOptions {
  functions: ReadonlyMap<string, RegisteredFunction>;
  appRoot: string;
  log: LogSink;
  /** The local host's own base URL: the Durable HTTP API is served under it, as in Azure. */
  baseUrl: string;
  taskHubName: string;
  /** Azure Storage connection string for the extension (Blob, Queue and Table). */
  storageConnection: string;
}

export interface ExtensionEngine extends DurableHttp {
  stop(): Promise<void>;
}

class BridgeBuildError extends Error {}

/** A hash of the bridge's sources: the build is redone only when they change. */
function sourceHash(projectRoot: string): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(projectRoot).sort()) {
    if (!/\.(cs|csproj)$/.test(file)) continue;
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(projectRoot, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

/**
 * Builds the bridge with the .NET SDK unless the last build is of the same sources. Synchronous:
 * it runs once, at start-up, before anything is served.
 */
export function ensureBridgeBuilt(appRoot: string, log: LogSink): string {
  const projectRoot = path.join(appRoot, projectDir);
  const output = path.join(appRoot, outputDir);
  const assembly = path.join(output, assemblyName);
  const stampFile = path.join(output, '.source-hash');
  const hash = sourceHash(projectRoot);
  if (existsSync(assembly) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash)
    return assembly;

  const probe = spawnSync('dotnet', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new BridgeBuildError(
      'DURABLE_ENGINE=extension needs the .NET SDK (the `dotnet` command was not found): install .NET 10, or run `npm start` without DURABLE_ENGINE for the local runtime.',
    );
  }
  log(
    'information',
    'bridge',
    'building the engine bridge (bridge/DurableBridge), once per change of its sources',
  );
  const build = spawnSync(
    'dotnet',
    [
      'build',
      path.join(projectRoot, 'DurableBridge.csproj'),
      '-c',
      'Release',
      '-o',
      output,
      '-nologo',
      '-v',
      'quiet',
    ],
    { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' } },
  );
  if (build.status !== 0) {
    throw new BridgeBuildError(`The engine bridge did not build:\n${build.stdout}${build.stderr}`);
  }
  mkdirSync(output, { recursive: true });
  writeFileSync(stampFile, hash);
  return assembly;
}

function bytesToBase64(data: RpcTypedData | null | undefined): unknown {
  if (!data?.bytes) return data ?? null;
  return { bytes: Buffer.from(data.bytes).toString('base64') };
}

/** The answer the bridge expects: the worker's return value as typed data, or the failure. */
async function runForBridge(fn: RegisteredFunction, triggerValue: string, log: LogSink): Promise<unknown> {
  try {
    const response = await invokeFunction(fn, { trigger: { string: triggerValue } }, log);
    return { returnValue: bytesToBase64(response.returnValue) };
  } catch (error) {
    // As the worker reports a failed invocation to the host: message and stack.
    const message = error instanceof Error ? error.message : String(error);
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    return { error: { message, stack } };
  }
}

/** The loopback endpoint the bridge posts to: POST /orchestration/{name} and /activity/{name}. */
async function startWorkerEndpoint(
  functions: ReadonlyMap<string, RegisteredFunction>,
  log: LogSink,
): Promise<http.Server> {
  const triggerTypes: Record<string, string> = {
    orchestration: 'orchestrationTrigger',
    activity: 'activityTrigger',
  };
  const server = http.createServer((req, res) => {
    const match = /^\/(orchestration|activity)\/([^/]+)$/.exec(req.url ?? '');
    const fn = match ? functions.get(decodeURIComponent(match[2] ?? '')) : undefined;
    if (req.method !== 'POST' || !match?.[1] || !fn || fn.trigger.type !== triggerTypes[match[1]]) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`No such function: ${req.url}`);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      runForBridge(fn, Buffer.concat(chunks).toString('utf8'), log).then(
        (answer) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
  });
  // Activities may run for minutes (host.json functionTimeout): no socket timeout here.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return server;
}

/** The functions the bridge hosts: every orchestration and activity the app registered. */
function manifest(functions: ReadonlyMap<string, RegisteredFunction>) {
  const of = (type: string) =>
    [...functions.values()].filter((fn) => fn.trigger.type === type).map((fn) => fn.metadata.name);
  return { orchestrations: of('orchestrationTrigger'), activities: of('activityTrigger') };
}

interface ReadyLine {
  ready: true;
  clientBinding: string;
}

function waitForReady(child: ChildProcessWithoutNullStreams, stderrTail: () => string): Promise<ReadyLine> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () =>
        reject(
          new Error(`The engine bridge was not ready within ${readyTimeoutMs / 1000} s:\n${stderrTail()}`),
        ),
      readyTimeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // Only whole lines: the ready line is long and may come in several chunks.
      const line = stdout
        .split('\n')
        .slice(0, -1)
        .find((l) => l.startsWith('{"ready":true'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as ReadyLine);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The engine bridge exited with code ${code} at start:\n${stderrTail()}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new Error(
          `The engine bridge could not be started (it runs on the .NET SDK's \`dotnet\`): ${error.message}`,
        ),
      );
    });
  });
}

/**
 * Forwards `/runtime/webhooks/durabletask/...` to the extension's listener unchanged, Host header
 * included: the extension then serves it as it serves its webhook in Azure (path under the
 * webhook base, management links built from the caller's host).
 */
function forwardDurableApi(
  rpcBaseUrl: URL,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const target = new URL(req.url ?? '/', rpcBaseUrl.origin);
  return new Promise((resolve) => {
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', resolve);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent)
        sendJson(
          res,
          502,
          errorBody('engine_unavailable', `The Durable engine did not answer: ${error.message}`),
        );
      else res.end();
      resolve();
    });
    req.pipe(upstream);
  });
}

/**
 * Starts the engine: builds the bridge if needed, starts the worker endpoint and the bridge
 * process, and resolves once the extension has started and handed out its client binding.
 */
export async function startExtensionEngine(options: ExtensionEngineOptions): Promise<ExtensionEngine> {
  const assembly = ensureBridgeBuilt(options.appRoot, options.log);
  const worker = await startWorkerEndpoint(options.functions, options.log);
  const workerPort = (worker.address() as AddressInfo).port;
  const closeWorker = () =>
    new Promise<void>((resolve) => {
      worker.closeAllConnections();
      worker.close(() => resolve());
    });

  const manifestFile = path.join(os.tmpdir(), `exportrail-bridge-${process.pid}-${workerPort}.json`);
  writeFileSync(manifestFile, JSON.stringify(manifest(options.functions)));

  const child = spawn('dotnet', [assembly], {
    cwd: path.dirname(assembly),
    env: {
      ...process.env,
      DOTNET_CLI_TELEMETRY_OPTOUT: '1',
      DOTNET_NOLOGO: '1',
      AzureWebJobsStorage: options.storageConnection,
      BRIDGE_MANIFEST: manifestFile,
      BRIDGE_WORKER_URL: `http://127.0.0.1:${workerPort}/`,
      BRIDGE_WEBHOOK_URL: `${options.baseUrl.replace(/\/+$/, '')}${webhookPath}`,
      BRIDGE_HOST_JSON: path.join(options.appRoot, 'host.json'),
      BRIDGE_TASK_HUB: options.taskHubName,
    },
    // stdin is the bridge's lifeline: it exits when this process goes, however it goes.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  options.log('information', 'bridge', `engine bridge started, pid ${child.pid}`);
  let stderrTail = '';
  let partial = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-8000);
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) options.log('information', 'bridge', line);
  });

  let ready: ReadyLine;
  try {
    ready = await waitForReady(child, () => stderrTail);
  } catch (error) {
    child.kill('SIGKILL');
    await closeWorker();
    throw error;
  } finally {
    rmSync(manifestFile, { force: true }); // read once, at the bridge's start
  }
  child.stdout.resume();
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping)
      options.log('error', 'bridge', `the engine bridge exited (${code ?? signal}) while the host runs`);
  });

  const clientBinding = JSON.parse(ready.clientBinding) as { rpcBaseUrl?: string };
  if (!clientBinding.rpcBaseUrl) throw new Error('The Durable extension handed out no rpcBaseUrl.');
  const rpcBaseUrl = new URL(clientBinding.rpcBaseUrl);

  return {
    clientBindingData: () => ({ string: ready.clientBinding }),
    handleHttp: async (req, res) => {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (pathname !== webhookPath && !pathname.startsWith(`${webhookPath}/`)) return false;
      await forwardDurableApi(rpcBaseUrl, req, res);
      return true;
    },
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      await closeWorker();
    },
  };
}
