import type { Json } from '../domain/changes';
import { summarizeLocally, type AiSummary, type SummaryInput } from '../domain/summary';
import { shapeSummary } from '../domain/templates';
import type { AiRun, DocumentAi, FinalSummaryInput } from '../ports/ai';

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
