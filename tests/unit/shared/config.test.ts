import { ConfigError, loadConfig } from '../../../shared/config';

const minimal = {
  STORAGE: 'UseDevelopmentStorage=true',
  COSMOS: 'AccountEndpoint=http://127.0.0.1:8081/;AccountKey=a2V5;',
};

describe('loadConfig', () => {
  it('when only connection strings are set, then defaults fill the rest and the AI services are local', () => {
    const config = loadConfig(minimal);
    expect(config.cosmos).toEqual({
      kind: 'key',
      endpoint: 'http://127.0.0.1:8081/',
      key: 'a2V5',
      database: 'exportrail',
    });
    expect(config.blob).toEqual({ kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' });
    expect(config.openai).toBeUndefined();
    expect(config.documentIntelligence).toBeUndefined();
    expect(config.schedules.scheduledExports).toBe('0 */5 * * * *');
    expect(config.limits.instanceRetentionDays).toBe(30);
  });

  it('when identity-based settings are set, then managed identity is selected with the client id', () => {
    const config = loadConfig({
      STORAGE__blobServiceUri: 'https://acct.blob.core.windows.net',
      STORAGE__clientId: 'cid',
      COSMOS__accountEndpoint: 'https://acct.documents.azure.com:443/',
    });
    expect(config.blob).toEqual({
      kind: 'identity',
      serviceUri: 'https://acct.blob.core.windows.net',
      clientId: 'cid',
    });
    expect(config.cosmos.kind).toBe('identity');
  });

  it('when the config object is returned, then it cannot be changed', () => {
    const config = loadConfig(minimal);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when several settings are missing or malformed, then one error lists every problem', () => {
    let error: unknown;
    try {
      loadConfig({
        AZURE_OPENAI_ENDPOINT: 'not a url',
        EXPORT_WAIT_LIMIT_MS: '-5',
        SCHEDULED_EXPORTS_CRON: '*/5 * * * *',
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'STORAGE',
      'COSMOS',
      'AZURE_OPENAI_ENDPOINT',
      'EXPORT_WAIT_LIMIT_MS',
      'SCHEDULED_EXPORTS_CRON',
    ]) {
      expect(problems).toContain(name);
    }
  });

  it('when the Cosmos connection string has no key, then start-up is refused with the expected shape', () => {
    expect(() => loadConfig({ ...minimal, COSMOS: 'AccountEndpoint=http://x/' })).toThrow(/AccountKey/);
  });

  it('when an OpenAI endpoint is set without a deployment, then the deployment is reported missing', () => {
    expect(() => loadConfig({ ...minimal, AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' })).toThrow(
      /AZURE_OPENAI_DEPLOYMENT/,
    );
  });

  it('when no upload parsing setting is given, then the documented limits apply', () => {
    expect(loadConfig(minimal).limits.uploadParsing).toEqual({
      deadlineMs: 10_000,
      memoryMb: 256,
      maxInflatedBytes: 64 * 1024 * 1024,
      workers: 2,
    });
  });

  it('when upload parsing settings are out of range, then each is listed', () => {
    let error: unknown;
    try {
      loadConfig({
        ...minimal,
        UPLOAD_PARSE_DEADLINE_MS: '10',
        UPLOAD_PARSE_MEMORY_MB: '8',
        UPLOAD_MAX_INFLATED_BYTES: '-1',
        UPLOAD_PARSE_WORKERS: 'many',
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'UPLOAD_PARSE_DEADLINE_MS',
      'UPLOAD_PARSE_MEMORY_MB',
      'UPLOAD_MAX_INFLATED_BYTES',
      'UPLOAD_PARSE_WORKERS',
    ]) {
      expect(problems).toContain(name);
    }
  });

  it('when no timer setting is given, then the review window is 30 days and timers are bounded as on Azure Storage', () => {
    expect(loadConfig(minimal).durableTimers).toEqual({
      reviewWindowMs: 30 * 86_400_000,
      maxTimerIntervalMs: 6 * 86_400_000,
      longTimerIntervalMs: 3 * 86_400_000,
    });
  });

  it('when the timer settings are seconds (a test run), then they apply', () => {
    const config = loadConfig({
      ...minimal,
      REVIEW_WINDOW_SECONDS: '4',
      DURABLE_MAX_TIMER_INTERVAL_SECONDS: '1',
      DURABLE_LONG_TIMER_INTERVAL_SECONDS: '1',
    });
    expect(config.durableTimers).toEqual({
      reviewWindowMs: 4000,
      maxTimerIntervalMs: 1000,
      longTimerIntervalMs: 1000,
    });
  });

  it('when a timer setting is malformed or a segment exceeds the maximum, then each problem is listed', () => {
    let error: unknown;
    try {
      loadConfig({
        ...minimal,
        REVIEW_WINDOW_SECONDS: '0',
        DURABLE_MAX_TIMER_INTERVAL_SECONDS: '60',
        DURABLE_LONG_TIMER_INTERVAL_SECONDS: '120',
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('REVIEW_WINDOW_SECONDS');
    expect(problems).toContain(
      'DURABLE_LONG_TIMER_INTERVAL_SECONDS: must not exceed DURABLE_MAX_TIMER_INTERVAL_SECONDS',
    );
  });

  it('when no job batch budget is given, then 8 MiB applies; one outside 1 MiB–256 MiB is refused by name', () => {
    expect(loadConfig(minimal).limits.jobBatchMaxBytes).toBe(8 * 1024 * 1024);
    expect(loadConfig({ ...minimal, JOB_BATCH_MAX_BYTES: '2097152' }).limits.jobBatchMaxBytes).toBe(2097152);
    for (const value of ['1000', String(512 * 1024 * 1024), '2097152.5', 'lots'])
      expect(() => loadConfig({ ...minimal, JOB_BATCH_MAX_BYTES: value })).toThrow(/JOB_BATCH_MAX_BYTES/);
  });
});
