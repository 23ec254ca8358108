import type { Changes } from '../domain/changes';
import type { AiMetadata } from '../domain/exportRecords';
import type { AiSummary, SummaryInput } from '../domain/summary';
import type { Layout } from '../domain/templates';

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
