export interface Pingable {
  ping(): Promise<void>;
}

export type DependencyState = 'up' | 'down';

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  dependencies: {
    cosmos: { state: DependencyState; error?: string };
    blob: { state: DependencyState; error?: string };
    openai: 'configured' | 'local';
    document_intelligence: 'configured' | 'local';
  };
  checked_at: string;
}

async function probe(
  target: Pingable,
  timeoutMs: number,
): Promise<{ state: DependencyState; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([target.ping(), timeout]);
    return { state: 'up' };
  } catch (thrown) {
    return { state: 'down', error: thrown instanceof Error ? thrown.message.split('\n')[0] : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

/** Each dependency's state; Cosmos and Blob are required, the AI services fall back to local ones. */
export async function checkHealth(
  deps: {
    cosmos: Pingable;
    blob: Pingable;
    openaiConfigured: boolean;
    documentIntelligenceConfigured: boolean;
  },
  timeoutMs = 3000,
): Promise<HealthReport> {
  const [cosmos, blob] = await Promise.all([probe(deps.cosmos, timeoutMs), probe(deps.blob, timeoutMs)]);
  return {
    status: cosmos.state === 'up' && blob.state === 'up' ? 'healthy' : 'unhealthy',
    dependencies: {
      cosmos,
      blob,
      openai: deps.openaiConfigured ? 'configured' : 'local',
      document_intelligence: deps.documentIntelligenceConfigured ? 'configured' : 'local',
    },
    checked_at: new Date().toISOString(),
  };
}
