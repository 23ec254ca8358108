/**
 * The engines the conformance scenarios run on. `local` is `host/durable/`, our own runtime;
 * `extension` is Microsoft's Durable extension through the .NET bridge (`DURABLE_ENGINE=extension`,
 * which needs the .NET SDK). CONFORMANCE_ENGINES picks them, comma-separated, in order; the first
 * is the reference the others are compared with.
 */
export interface Engine {
  name: EngineName;
  /** Settings that select the engine when the host starts. */
  env: Record<string, string>;
  /** How long the host may take to start on this engine. */
  startTimeoutMs: number;
  /** Where the engine serves the Durable HTTP API (status with history), given the host's URL. */
  durableApi(hostUrl: string): string;
}

export type EngineName = 'local' | 'extension';

const known: Record<EngineName, Engine> = {
  local: {
    name: 'local',
    env: { DURABLE_ENGINE: 'local' },
    startTimeoutMs: 60_000,
    durableApi: (hostUrl) => `${hostUrl}/runtime/webhooks/durabletask`,
  },
  extension: {
    name: 'extension',
    env: { DURABLE_ENGINE: 'extension' },
    // .NET start-up and the task hub's queues and tables, on a shared 2-core machine.
    startTimeoutMs: 240_000,
    // The extension's own listener, unless the bridge says otherwise.
    durableApi: (hostUrl) =>
      process.env.CONFORMANCE_EXTENSION_DURABLE_API ?? `${hostUrl}/runtime/webhooks/durabletask`,
  },
};

export function selectedEngines(setting = process.env.CONFORMANCE_ENGINES ?? 'local'): Engine[] {
  const names = setting
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(n in known));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(
      `CONFORMANCE_ENGINES: expected a comma-separated list of ${Object.keys(known).join(', ')}, got "${setting}".`,
    );
  }
  return [...new Set(names)].map((n) => known[n as EngineName]);
}
