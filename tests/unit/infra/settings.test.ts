import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../shared/config';

/**
 * One name per setting everywhere: what the code reads is what infra sets on the Function App,
 * what `local.settings.sample.json` holds and what the README's settings table documents; and
 * none of them names a setting nobody reads.
 */

const root = path.resolve(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/**
 * The one list of exceptions: settings the code reads that one of the places deliberately lacks,
 * and settings the places hold that the platform reads rather than our code. Each says why.
 */
const exceptions = {
  /** Read by the code, but not set in Azure. */
  notInAzure: {
    STORAGE: 'a connection string; Azure uses STORAGE__blobServiceUri with the managed identity',
    COSMOS: 'a connection string; Azure uses COSMOS__accountEndpoint with the managed identity',
    AZURE_OPENAI_API_KEY: 'keys are disabled in Azure (disableLocalAuth): the identity is used',
    DOCUMENT_INTELLIGENCE_API_KEY: 'keys are disabled in Azure (disableLocalAuth): the identity is used',
    PORT: "the local host's port",
    AzureWebJobsStorage:
      'the engine bridge locally; in Azure the Functions host uses AzureWebJobsStorage__* with the identity',
    DURABLE_ENGINE: 'which engine the local host runs; Azure always runs the Durable extension',
    DURABLE_MAX_TIMER_INTERVAL_SECONDS:
      "the Durable extension's own limit in Azure (6 days); the default is that limit",
    DURABLE_LONG_TIMER_INTERVAL_SECONDS:
      "the Durable extension's own segment length in Azure (3 days); the default is that length",
  },
  /** Read by the code, but not in local.settings.sample.json. */
  notInLocalSample: {
    STORAGE__blobServiceUri: 'identity-based access, for Azure; locally STORAGE (Azurite)',
    STORAGE__clientId: 'names a managed identity, which exists only in Azure',
    COSMOS__accountEndpoint: 'identity-based access, for Azure; locally COSMOS (the emulator)',
    COSMOS__clientId: 'names a managed identity, which exists only in Azure',
    PORT: 'read before local.settings.json is loaded: set it in the environment',
  },
  /** Read by the code, but configured nowhere: the platform provides them. */
  providedByPlatform: {
    WEBSITE_HOSTNAME: 'App Service sets it; the local host sets it from its port, as Core Tools does',
  },
  /** Not read by our code: the Functions host, the Azure SDKs or App Service read them, in Azure. */
  platformInAzure: {
    AzureWebJobsStorage__accountName: "the Functions host's storage, through the identity",
    AzureWebJobsStorage__credential: "the Functions host's storage, through the identity",
    AzureWebJobsStorage__clientId: "the Functions host's storage, through the identity",
    AZURE_CLIENT_ID: 'DefaultAzureCredential picks the user-assigned identity from it',
    APPLICATIONINSIGHTS_CONNECTION_STRING: 'the Functions host sends telemetry there',
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING:
      'the Functions host authenticates its telemetry with the identity',
  },
  /** Not read by our code: Core Tools (`func start`) reads them from local.settings.json. */
  platformLocal: {
    FUNCTIONS_WORKER_RUNTIME: 'Core Tools picks the Node worker from it',
  },
} as const;

/** Every setting `loadConfig` asks the environment for, whatever its value. */
function configSettings(): string[] {
  const asked = new Set<string>();
  const env = new Proxy<NodeJS.ProcessEnv>(
    {},
    {
      get: (_target, name) => {
        if (typeof name === 'string') asked.add(name);
        return undefined;
      },
    },
  );
  expect(() => loadConfig(env)).toThrow(); // STORAGE and COSMOS are required
  return [...asked];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(dir, file));
}

/** `process.env.NAME` reads outside config.ts, and `%NAME%` references the host resolves. */
function otherReads(): string[] {
  const names = new Set<string>();
  for (const file of ['shared', 'functions', 'host'].flatMap(sourceFiles)) {
    const text = read(file);
    for (const m of text.matchAll(/process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1] ?? '');
    for (const m of text.matchAll(/process\.env\[['"]([^'"]+)['"]\]/g)) names.add(m[1] ?? '');
    if (file.startsWith('functions')) {
      for (const m of text.matchAll(/'%([A-Za-z_][A-Za-z0-9_]*)%'/g)) names.add(m[1] ?? '');
    }
  }
  for (const m of read('host.json').matchAll(/%([A-Za-z_][A-Za-z0-9_]*)%/g)) names.add(m[1] ?? '');
  return [...names];
}

/** The keys of the Bicep object literal that follows `opener`, at its top level. */
function bicepObjectKeys(text: string, opener: string): string[] {
  const start = text.indexOf(opener);
  expect(start).toBeGreaterThanOrEqual(0);
  let depth = 0;
  const keys: string[] = [];
  for (const line of text.slice(start + opener.length - 1).split('\n')) {
    if (depth === 1) {
      const key = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/.exec(line)?.[1];
      if (key) keys.push(key);
    }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth === 0) return keys;
  }
  throw new Error(`unbalanced braces after ${opener}`);
}

/** Every app setting the Function App gets: main.bicep's and those api.bicep adds. */
function bicepAppSettings(): string[] {
  return [
    ...bicepObjectKeys(read('infra/main.bicep'), 'appSettings: {'),
    ...bicepObjectKeys(read('infra/app/api.bicep'), 'union(appSettings, {'),
  ];
}

/** Setting names in backticks in the first column of the README's "Settings" table. */
function readmeSettings(): string[] {
  const readme = read('README.md');
  const section = /^## Settings\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  const firstCells = [...section.matchAll(/^\| ([^|]+)\|/gm)].map((m) => m[1] ?? '');
  return firstCells.flatMap((cell) =>
    [...cell.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1] ?? ''),
  );
}

const codeReads = [...new Set([...configSettings(), ...otherReads()])].sort();
const without = (names: string[], excluded: object) => names.filter((n) => !(n in excluded));
const sorted = (names: string[]) => [...new Set(names)].sort();
/** What someone configures: every setting the code reads but those the platform provides. */
const codeSettings = without(codeReads, exceptions.providedByPlatform);

describe('settings, one name everywhere', () => {
  it('when the code reads a setting, then the names it reads are found (config.ts and beyond)', () => {
    expect(codeReads).toEqual(
      expect.arrayContaining([
        'STORAGE',
        'COSMOS_DATABASE',
        'UPLOAD_PARSE_WORKERS',
        'PORT',
        'WEBSITE_HOSTNAME',
        'DURABLE_TASK_HUB',
        'SCHEDULED_EXPORTS_CRON',
      ]),
    );
  });

  it('when infra deploys the Function App, then its app settings are exactly what the code and the platform read in Azure', () => {
    expect(sorted(bicepAppSettings())).toEqual(
      sorted([...without(codeSettings, exceptions.notInAzure), ...Object.keys(exceptions.platformInAzure)]),
    );
  });

  it('when a main.bicep output is named like a setting, then it is an app setting of the same name', () => {
    const outputs = [...read('infra/main.bicep').matchAll(/^output ([A-Za-z_][A-Za-z0-9_]*) /gm)].map(
      (m) => m[1] ?? '',
    );
    const azdBookkeeping = [
      'AZURE_LOCATION',
      'AZURE_TENANT_ID',
      'AZURE_RESOURCE_GROUP',
      'SERVICE_API_NAME',
      'SERVICE_API_URI',
    ];
    for (const output of outputs.filter((o) => !azdBookkeeping.includes(o))) {
      expect(bicepAppSettings()).toContain(output);
    }
  });

  it('when a developer copies local.settings.sample.json, then it holds every setting the code reads locally, and nothing else', () => {
    const sample = JSON.parse(read('local.settings.sample.json')) as { Values: Record<string, string> };
    expect(sorted(Object.keys(sample.Values))).toEqual(
      sorted([
        ...without(codeSettings, exceptions.notInLocalSample),
        ...Object.keys(exceptions.platformLocal),
      ]),
    );
  });

  it('when the sample and infra give a limit a value, then it is the default the code uses without it', () => {
    const base = {
      STORAGE: 'UseDevelopmentStorage=true',
      COSMOS: 'AccountEndpoint=https://c/;AccountKey=k;',
    };
    const sample = (JSON.parse(read('local.settings.sample.json')) as { Values: Record<string, string> })
      .Values;
    const bicepLiterals: Record<string, string> = Object.fromEntries(
      [...read('infra/main.bicep').matchAll(/^\s+([A-Z][A-Z0-9_]*): '([^']*)'$/gm)].map((m) => [
        m[1] ?? '',
        m[2] ?? '',
      ]),
    );
    const limits = (env: Record<string, string | undefined>) => loadConfig({ ...base, ...env }).limits;
    const pick = (values: Record<string, string | undefined>): Record<string, string | undefined> =>
      Object.fromEntries(
        Object.entries(values).filter(([name]) => /_(MS|MB|BYTES|WORKERS|DAYS)$/.test(name)),
      );
    expect(Object.keys(pick(bicepLiterals)).length).toBeGreaterThan(0);
    expect(limits(pick(bicepLiterals))).toEqual(limits({}));
    expect(limits(pick(sample))).toEqual(limits({}));
  });

  it('when the README documents the settings, then its table names every setting the code reads, and only those', () => {
    const documented = readmeSettings();
    expect(sorted(documented)).toEqual(codeSettings);
  });

  it('when an exception is listed, then it names a setting that exists, so the list cannot rot', () => {
    const readByCode = [
      ...Object.keys(exceptions.notInAzure),
      ...Object.keys(exceptions.notInLocalSample),
      ...Object.keys(exceptions.providedByPlatform),
    ];
    for (const name of readByCode) expect(codeReads).toContain(name);
    const platform = [...Object.keys(exceptions.platformInAzure), ...Object.keys(exceptions.platformLocal)];
    for (const name of platform) expect(codeReads).not.toContain(name);
  });
});
