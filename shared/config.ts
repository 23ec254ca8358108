import { z } from 'zod';

/**
 * The app's settings, read once from the environment. Names are the same in the Bicep outputs,
 * the Function App settings and `local.settings.sample.json`.
 *
 * Connections follow the Functions convention: `STORAGE` / `COSMOS` hold a connection string
 * (emulators, local dev); `STORAGE__blobServiceUri` / `COSMOS__accountEndpoint` select
 * identity-based access (managed identity in Azure), with `__clientId` for a user-assigned one.
 */

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));
const optionalUrl = optionalText.pipe(z.url({ protocol: /^https?$/ }).optional());
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const boundedInt = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
const ncrontab = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((v) => v.split(/\s+/).length === 6, 'must be a 6-field NCRONTAB expression');

export interface UploadParsingSettings {
  /** A parse still running after this is ended and answers 422. */
  readonly deadlineMs: number;
  /** The parsing worker's heap (`resourceLimits.maxOldGenerationSizeMb`). */
  readonly memoryMb: number;
  /** Most bytes an XLSX may inflate to, all its zip entries together. */
  readonly maxInflatedBytes: number;
  /** Parses that may run at once, each in its own worker thread. */
  readonly workers: number;
}

/** The upload parsing limits when no setting changes them (README, "Upload limits"). */
export const uploadParsingDefaults: UploadParsingSettings = Object.freeze({
  deadlineMs: 10_000,
  memoryMb: 256,
  maxInflatedBytes: 64 * 1024 * 1024,
  workers: 2,
});

/**
 * Durable timers, as the Azure Storage provider bounds them (`AzureStorageDurabilityProvider`:
 * `MaximumDelayTime` 6 days, `LongRunningTimerIntervalLength` 3 days). A timer further away than
 * the maximum is split by the engine into segments of the long-timer interval; the review window
 * is how long a workflow waits for the user's edits.
 */
export interface DurableTimerSettings {
  /** The longest single durable timer (`maximumShortTimerDuration` in the orchestrator payload). */
  readonly maxTimerIntervalMs: number;
  /** The length of each segment of a longer timer (`longRunningTimerIntervalDuration`). */
  readonly longTimerIntervalMs: number;
}

const daySeconds = 24 * 60 * 60;

/** The extension's values for Azure Storage, and the 30-day review window (the records' TTL). */
export const durableTimerDefaults = Object.freeze({
  maxTimerIntervalSeconds: 6 * daySeconds,
  longTimerIntervalSeconds: 3 * daySeconds,
  reviewWindowSeconds: 30 * daySeconds,
});

// A year bounds every duration: longer is a typo, and keeps dates far inside what Date can hold.
const durationSeconds = (fallback: number) => boundedInt(fallback, 1, 365 * daySeconds);

const timerSettingsSchema = z
  .object({
    REVIEW_WINDOW_SECONDS: durationSeconds(durableTimerDefaults.reviewWindowSeconds),
    DURABLE_MAX_TIMER_INTERVAL_SECONDS: durationSeconds(durableTimerDefaults.maxTimerIntervalSeconds),
    DURABLE_LONG_TIMER_INTERVAL_SECONDS: durationSeconds(durableTimerDefaults.longTimerIntervalSeconds),
  })
  .superRefine((s, ctx) => {
    if (s.DURABLE_LONG_TIMER_INTERVAL_SECONDS > s.DURABLE_MAX_TIMER_INTERVAL_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['DURABLE_LONG_TIMER_INTERVAL_SECONDS'],
        message: 'must not exceed DURABLE_MAX_TIMER_INTERVAL_SECONDS (each segment is itself a timer)',
      });
    }
  });

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`);
}

/**
 * The Durable timer settings alone, for the local Durable runtime (which applies them as the
 * extension does) as well as the app; throws one `ConfigError` listing every problem.
 */
export function loadDurableTimerSettings(env: NodeJS.ProcessEnv): DurableTimerSettings & {
  readonly reviewWindowMs: number;
} {
  const parsed = timerSettingsSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(issuesOf(parsed.error));
  const s = parsed.data;
  return Object.freeze({
    maxTimerIntervalMs: s.DURABLE_MAX_TIMER_INTERVAL_SECONDS * 1000,
    longTimerIntervalMs: s.DURABLE_LONG_TIMER_INTERVAL_SECONDS * 1000,
    reviewWindowMs: s.REVIEW_WINDOW_SECONDS * 1000,
  });
}

/** A bulk job batch's byte budget when no setting changes it (README, "Settings"). */
export const jobBatchDefaults = Object.freeze({ maxBytes: 8 * 1024 * 1024 });

const settingsSchema = z
  .object({
    STORAGE: optionalText,
    STORAGE__blobServiceUri: optionalUrl,
    STORAGE__clientId: optionalText,
    COSMOS: optionalText,
    COSMOS__accountEndpoint: optionalUrl,
    COSMOS__clientId: optionalText,
    COSMOS_DATABASE: z.string().trim().min(1).default('exportrail'),
    AZURE_OPENAI_ENDPOINT: optionalUrl,
    AZURE_OPENAI_DEPLOYMENT: optionalText,
    AZURE_OPENAI_API_KEY: optionalText,
    AZURE_OPENAI_API_VERSION: z.string().trim().default('2024-10-21'),
    DOCUMENT_INTELLIGENCE_ENDPOINT: optionalUrl,
    DOCUMENT_INTELLIGENCE_API_KEY: optionalText,
    DURABLE_TASK_HUB: z
      .string()
      .trim()
      .regex(/^[A-Za-z][A-Za-z0-9]{2,44}$/, 'must be 3-45 letters or digits')
      .default('exportrail'),
    SCHEDULED_EXPORTS_CRON: ncrontab('0 */5 * * * *'),
    HOUSEKEEPING_CRON: ncrontab('0 30 3 * * *'),
    EXPORT_WAIT_LIMIT_MS: positiveInt(20_000),
    MAX_UPLOAD_BYTES: positiveInt(25 * 1024 * 1024),
    UPLOAD_PARSE_DEADLINE_MS: boundedInt(uploadParsingDefaults.deadlineMs, 100, 600_000),
    // A worker needs about 20 MB to load the parsers at all.
    UPLOAD_PARSE_MEMORY_MB: boundedInt(uploadParsingDefaults.memoryMb, 32, 4096),
    UPLOAD_MAX_INFLATED_BYTES: positiveInt(uploadParsingDefaults.maxInflatedBytes),
    UPLOAD_PARSE_WORKERS: boundedInt(uploadParsingDefaults.workers, 1, 16),
    // Bounded by what the Durable history comfortably holds per generation (3 events a batch).
    BULK_BATCHES_PER_GENERATION: boundedInt(50, 1, 500),
    INSTANCE_RETENTION_DAYS: positiveInt(30),
    JOB_FILE_RETENTION_DAYS: positiveInt(7),
    // A batch holds its records and their staged text at once: this bounds a batch's memory.
    JOB_BATCH_MAX_BYTES: boundedInt(jobBatchDefaults.maxBytes, 1024 * 1024, 256 * 1024 * 1024),
  })
  .superRefine((s, ctx) => {
    if (!s.STORAGE && !s.STORAGE__blobServiceUri) {
      ctx.addIssue({
        code: 'custom',
        path: ['STORAGE'],
        message: 'set STORAGE (connection string) or STORAGE__blobServiceUri',
      });
    }
    if (!s.COSMOS && !s.COSMOS__accountEndpoint) {
      ctx.addIssue({
        code: 'custom',
        path: ['COSMOS'],
        message: 'set COSMOS (connection string) or COSMOS__accountEndpoint',
      });
    }
    if (s.AZURE_OPENAI_ENDPOINT && !s.AZURE_OPENAI_DEPLOYMENT) {
      ctx.addIssue({
        code: 'custom',
        path: ['AZURE_OPENAI_DEPLOYMENT'],
        message: 'required when AZURE_OPENAI_ENDPOINT is set',
      });
    }
  });

export type BlobConnection =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'identity'; serviceUri: string; clientId?: string };
export type CosmosConnection =
  { kind: 'key'; endpoint: string; key: string } | { kind: 'identity'; endpoint: string; clientId?: string };

export interface AppConfig {
  readonly blob: BlobConnection;
  readonly cosmos: CosmosConnection & { readonly database: string };
  /** Absent: the deterministic local summarizer is used. */
  readonly openai?: {
    readonly endpoint: string;
    readonly deployment: string;
    readonly apiKey?: string;
    readonly apiVersion: string;
  };
  /** Absent: PDF and image extraction answers 503 naming the missing setting. */
  readonly documentIntelligence?: { readonly endpoint: string; readonly apiKey?: string };
  readonly durableTaskHub: string;
  /** Durable timer bounds and the review window (milliseconds). */
  readonly durableTimers: DurableTimerSettings & { readonly reviewWindowMs: number };
  readonly schedules: { readonly scheduledExports: string; readonly housekeeping: string };
  readonly limits: {
    readonly exportWaitMs: number;
    readonly maxUploadBytes: number;
    /** How uploads are parsed off the event loop (shared/services/uploadParsing). */
    readonly uploadParsing: UploadParsingSettings;
    readonly instanceRetentionDays: number;
    readonly jobFileRetentionDays: number;
    /** Batches a bulk export orchestration runs before it continues as new (bounded history). */
    readonly batchesPerGeneration: number;
    /** Most bytes of records (as JSON) one bulk job batch reads, whatever its `batch_size`. */
    readonly jobBatchMaxBytes: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses `AccountEndpoint=...;AccountKey=...;` into its parts. */
function parseCosmosConnectionString(value: string): { endpoint: string; key: string } | undefined {
  const parts = new Map(
    value
      .split(';')
      .filter(Boolean)
      .map((kv) => {
        const at = kv.indexOf('=');
        return [kv.slice(0, at).trim().toLowerCase(), kv.slice(at + 1).trim()] as const;
      }),
  );
  const endpoint = parts.get('accountendpoint');
  const key = parts.get('accountkey');
  return endpoint && key ? { endpoint, key } : undefined;
}

/** Reads and validates the settings; throws one `ConfigError` listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const parsed = settingsSchema.safeParse(env);
  const timers = timerSettingsSchema.safeParse(env);
  if (!parsed.success || !timers.success) {
    throw new ConfigError([
      ...(parsed.success ? [] : issuesOf(parsed.error)),
      ...(timers.success ? [] : issuesOf(timers.error)),
    ]);
  }
  const s = parsed.data;
  const cosmosKey = s.COSMOS ? parseCosmosConnectionString(s.COSMOS) : undefined;
  if (s.COSMOS && !cosmosKey) {
    throw new ConfigError(['COSMOS: must look like AccountEndpoint=https://...;AccountKey=...;']);
  }
  const cosmos: CosmosConnection = cosmosKey
    ? { kind: 'key', ...cosmosKey }
    : { kind: 'identity', endpoint: s.COSMOS__accountEndpoint ?? '', clientId: s.COSMOS__clientId };

  return Object.freeze<AppConfig>({
    blob: s.STORAGE
      ? { kind: 'connectionString', connectionString: s.STORAGE }
      : { kind: 'identity', serviceUri: s.STORAGE__blobServiceUri ?? '', clientId: s.STORAGE__clientId },
    cosmos: { ...cosmos, database: s.COSMOS_DATABASE },
    openai:
      s.AZURE_OPENAI_ENDPOINT && s.AZURE_OPENAI_DEPLOYMENT
        ? {
            endpoint: s.AZURE_OPENAI_ENDPOINT,
            deployment: s.AZURE_OPENAI_DEPLOYMENT,
            apiKey: s.AZURE_OPENAI_API_KEY,
            apiVersion: s.AZURE_OPENAI_API_VERSION,
          }
        : undefined,
    documentIntelligence: s.DOCUMENT_INTELLIGENCE_ENDPOINT
      ? { endpoint: s.DOCUMENT_INTELLIGENCE_ENDPOINT, apiKey: s.DOCUMENT_INTELLIGENCE_API_KEY }
      : undefined,
    durableTaskHub: s.DURABLE_TASK_HUB,
    durableTimers: loadDurableTimerSettings(env),
    schedules: { scheduledExports: s.SCHEDULED_EXPORTS_CRON, housekeeping: s.HOUSEKEEPING_CRON },
    limits: {
      exportWaitMs: s.EXPORT_WAIT_LIMIT_MS,
      maxUploadBytes: s.MAX_UPLOAD_BYTES,
      uploadParsing: Object.freeze({
        deadlineMs: s.UPLOAD_PARSE_DEADLINE_MS,
        memoryMb: s.UPLOAD_PARSE_MEMORY_MB,
        maxInflatedBytes: s.UPLOAD_MAX_INFLATED_BYTES,
        workers: s.UPLOAD_PARSE_WORKERS,
      }),
      instanceRetentionDays: s.INSTANCE_RETENTION_DAYS,
      jobFileRetentionDays: s.JOB_FILE_RETENTION_DAYS,
      batchesPerGeneration: s.BULK_BATCHES_PER_GENERATION,
      jobBatchMaxBytes: s.JOB_BATCH_MAX_BYTES,
    },
  });
}

let current: AppConfig | undefined;

/** The process's configuration, read from the environment on first use. */
export function appConfig(): AppConfig {
  current ??= loadConfig(process.env);
  return current;
}
