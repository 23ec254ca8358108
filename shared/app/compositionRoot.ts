import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { BlobStore } from '../adapters/blob';
import { CosmosStore } from '../adapters/cosmos';
import { DocumentIntelligenceExtractor } from '../adapters/documentIntelligence';
import { instanceHistory, orchestrationControl } from '../adapters/durable';
import { LocalDocumentAi } from '../adapters/localDocumentAi';
import { AzureOpenAiDocumentAi } from '../adapters/openai';
import { appConfig, type AppConfig } from '../config';
import type { DocumentAi } from '../ports/ai';
import type { InstanceHistory, OrchestrationControl } from '../ports/orchestration';
import { DocumentsService, type DocumentRecord } from '../services/documents';
import { ExportJobsService } from '../services/exportJobs';
import { ExportRequests } from '../services/exportRequests';
import { ExportStagesService } from '../services/exportStages';
import { ExportTrackingStore } from '../services/exportTracking';
import { ExtractionService } from '../services/extraction';
import { UploadParserPool } from '../services/uploadParsing/parserPool';
import { checkHealth, type HealthReport } from '../services/healthCheck';
import { housekeep } from '../services/retention';
import type { LogTarget } from '../core/log';
import { SchedulesService } from '../services/schedules';

/**
 * The composition root: every SDK client and service is built here, once, from config. Each
 * property is named after the module it comes from.
 */
export class AppServices {
  readonly cosmos: CosmosStore;
  readonly blob: BlobStore;
  readonly ai: DocumentAi;
  readonly documents: DocumentsService;
  readonly exportTracking: ExportTrackingStore;
  readonly exportStages: ExportStagesService;
  readonly exportRequests: ExportRequests;
  readonly exportJobs: ExportJobsService;
  readonly schedules: SchedulesService;
  readonly uploadParser: UploadParserPool;
  private provisioned?: Promise<void>;

  constructor(readonly config: AppConfig) {
    this.cosmos = new CosmosStore(config.cosmos);
    this.blob = new BlobStore(config.blob);
    const remoteExtractor = config.documentIntelligence
      ? new DocumentIntelligenceExtractor(config.documentIntelligence)
      : undefined;
    this.ai = config.openai ? new AzureOpenAiDocumentAi(config.openai) : new LocalDocumentAi();
    this.uploadParser = new UploadParserPool(config.limits.uploadParsing);
    this.documents = new DocumentsService(
      this.cosmos.container<DocumentRecord>('documents'),
      this.blob,
      new ExtractionService(remoteExtractor, this.uploadParser),
    );
    this.exportTracking = new ExportTrackingStore(this.cosmos.container('export_tracking'));
    this.exportStages = new ExportStagesService(this.exportTracking, this.documents, this.ai, this.blob);
    this.exportRequests = new ExportRequests({
      documents: this.documents,
      tracking: this.exportTracking,
      waitLimitMs: config.limits.exportWaitMs,
      review: {
        window_ms: config.durableTimers.reviewWindowMs,
        max_timer_ms: config.durableTimers.maxTimerIntervalMs,
      },
    });
    this.exportJobs = new ExportJobsService({
      jobs: this.cosmos.container('export_jobs'),
      sources: {
        documents: this.cosmos.container('documents'),
        export_tracking: this.cosmos.container('export_tracking'),
      },
      files: this.blob,
      batchMaxBytes: config.limits.jobBatchMaxBytes,
      retentionDays: {
        api: config.limits.jobFileRetentionDays,
        schedule: config.limits.instanceRetentionDays,
      },
      // The schedules service starts jobs, so it is built after this one: reach it when a run ends.
      scheduleRuns: {
        recordRun: (ownerEmail, scheduleId, jobId, status) =>
          this.schedules.recordRun(ownerEmail, scheduleId, jobId, status),
      },
    });
    this.schedules = new SchedulesService(this.cosmos.container('export_schedules'), this.exportJobs);
  }

  /** Creates databases, containers and blob containers if missing; shared by all callers. */
  ready(): Promise<void> {
    this.provisioned ??= Promise.all([this.cosmos.provision(), this.blob.provision()]).then(
      () => undefined,
      (error: unknown) => {
        this.provisioned = undefined; // let the next call try again
        throw error;
      },
    );
    return this.provisioned;
  }

  health(): Promise<HealthReport> {
    return checkHealth({
      cosmos: this.cosmos,
      blob: this.blob,
      openaiConfigured: this.config.openai !== undefined,
      documentIntelligenceConfigured: this.config.documentIntelligence !== undefined,
    });
  }

  /** The housekeeping timer's work, with this app's retention settings. */
  housekeep(history: InstanceHistory, log: LogTarget, now: Date): Promise<void> {
    return housekeep(
      {
        history,
        jobFiles: this.exportJobs,
        retentionDays: this.config.limits.instanceRetentionDays,
        log,
      },
      now,
    );
  }

  dispose(): void {
    this.cosmos.dispose();
    this.uploadParser.dispose();
  }
}

let instance: AppServices | undefined;

/** The app's services (built on first use; a bad setting throws a ConfigError listing every problem). */
export function appServices(): AppServices {
  instance ??= new AppServices(appConfig());
  return instance;
}

/** The services, once their stores are provisioned (a no-op after the first success). */
export async function readyServices(): Promise<AppServices> {
  const app = appServices();
  await app.ready();
  return app;
}

/**
 * The Durable client of one invocation, as the services drive orchestrations (the function must
 * declare `df.input.durableClient()`).
 */
export function orchestrationFor(context: InvocationContext): OrchestrationControl {
  return orchestrationControl(df.getClient(context));
}

/** Orchestration history of one invocation, for housekeeping. */
export function instanceHistoryFor(context: InvocationContext): InstanceHistory {
  return instanceHistory(df.getClient(context));
}
