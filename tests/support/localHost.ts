import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export interface RunningHost {
  url: string;
  /** The engine bridge's process id (DURABLE_ENGINE=extension), as the host logged it. */
  bridgePid(): number | undefined;
  stdout: () => string;
  stderr: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const appRoot = path.resolve(__dirname, '..', '..');

/**
 * Starts the compiled local host exactly as `npm start` does (`node dist/host/main.js`), on a
 * free port, and waits for its "listening" line.
 */
export async function startHost(
  env: Record<string, string | undefined> = {},
  timeoutMs = 60_000,
  args: readonly string[] = [],
): Promise<RunningHost> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [path.join(appRoot, 'dist/host/main.js'), ...args],
    {
      cwd: appRoot,
      env: { ...process.env, PORT: '0', ...env },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in time:\n${stderr}`)), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^exportrail listening on (http:\/\/localhost:\d+)$/m.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url,
    bridgePid: () => {
      const match = /engine bridge started, pid (\d+)/.exec(stderr);
      return match?.[1] ? Number(match[1]) : undefined;
    },
    stdout: () => stdout,
    stderr: () => stderr,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

export type DurableEngine = 'local' | 'extension';

/**
 * Starts the host on a Durable engine: `local` is `startHost`; `extension` runs the app on
 * Microsoft's Durable extension through the engine bridge (needs the .NET SDK; the first start
 * builds the bridge). Without STORAGE in `env` the host starts its own Azurite with Blob, Queue
 * and Table; pass STORAGE (and AzureWebJobsStorage) to use an Azurite the test owns.
 */
export function startHostOn(
  engine: DurableEngine,
  env: Record<string, string | undefined> = {},
): Promise<RunningHost> {
  if (engine === 'local') return startHost(env);
  return startHost(
    { STORAGE: '', AzureWebJobsStorage: '', ...env, DURABLE_ENGINE: 'extension' },
    // .NET start-up and the task hub's queues and tables, on a shared 2-core machine.
    240_000,
  );
}

/** Runs the host expecting it to fail at start; resolves with its exit code and stderr. */
export function startHostExpectingFailure(
  env: Record<string, string | undefined>,
  args: readonly string[] = [],
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [path.join(appRoot, 'dist/host/main.js'), ...args], {
    cwd: appRoot,
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}
