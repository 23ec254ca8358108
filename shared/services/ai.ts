import type { Changes, Json } from '../domain/changes';
import { summarizeLocally, type AiSummary, type SummaryInput } from '../domain/summary';
import { shapeSummary, type Layout } from '../domain/templates';

export interface AiMetadata {
  model: string;
  processing_time_ms: number;
  tokens: { prompt: number; completion: number; total: number };
}

export interface AiRun<T> {
  result: T;
  metadata: AiMetadata;
}

export interface FinalSummaryInput extends SummaryInput {
  layout: Layout;
  changes: Changes;
  transformation_instructions?: string;
}

/** The AI behind stages 1 and 3; Azure OpenAI in production, a deterministic local one offline. */
export interface DocumentAi {
  /** Stage 1: the five-section summary of the extracted data. */
  summarize(input: SummaryInput): Promise<AiRun<AiSummary>>;
  /** Stage 3: the summary of the user's edited data, shaped by the template. */
  finalize(input: FinalSummaryInput): Promise<AiRun<AiSummary>>;
}

export const localModelName = 'local-summarizer';

/** Rough token count (≈4 characters a token) so local records keep the same metric shape. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export class LocalDocumentAi implements DocumentAi {
  summarize(input: SummaryInput): Promise<AiRun<AiSummary>> {
    return Promise.resolve(this.run(input.data, () => summarizeLocally(input)));
  }

  finalize(input: FinalSummaryInput): Promise<AiRun<AiSummary>> {
    return Promise.resolve(
      this.run(input.data, () => {
        const summary = summarizeLocally(input);
        if (input.changes.counts.total > 0) {
          summary.overview += ` The user made ${input.changes.counts.total} change(s) to the extracted data.`;
        }
        return shapeSummary(summary, input.layout);
      }),
    );
  }

  private run(data: Json, build: () => AiSummary): AiRun<AiSummary> {
    const started = performance.now();
    const result = build();
    const prompt = estimateTokens(JSON.stringify(data));
    const completion = estimateTokens(JSON.stringify(result));
    return {
      result,
      metadata: {
        model: localModelName,
        processing_time_ms: Math.round(performance.now() - started),
        tokens: { prompt, completion, total: prompt + completion },
      },
    };
  }
}
