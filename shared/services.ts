import { BlobStore } from './adapters/blob';
import { CosmosStore } from './adapters/cosmos';
import type { OrchestrationControl } from './adapters/durable';
import { DocumentIntelligenceExtractor } from './adapters/documentIntelligence';
import { AzureOpenAiDocumentAi } from './adapters/openai';
import { LocalDocumentAi, type DocumentAi } from './services/ai';
import { ExtractionService } from './services/extraction';
import { ExportRequests } from './services/exportRequests';
import { ExportTrackingStore } from './services/exportTracking';
import { ExportWorkflowService } from './services/exportWorkflow';
import { ExportJobsService } from './services/exportJobs';
import { SchedulesService } from './services/schedules';
import { appConfig, type AppConfig } from './config';
import { DocumentsService, type DocumentRecord } from './services/documents';
import { checkHealth, type HealthReport } from './services/health';

/** The composition root: every SDK client is built here, once, from config. */
export class Services {
  readonly cosmos: CosmosStore;
  readonly blob: BlobStore;
  readonly documents: DocumentsService;
  readonly ai: DocumentAi;
  readonly tracking: ExportTrackingStore;
  readonly exportWorkflow: ExportWorkflowService;
  readonly jobs: ExportJobsService;
  readonly schedules: SchedulesService;
  private provisioned?: Promise<void>;

  constructor(readonly config: AppConfig) {
    this.cosmos = new CosmosStore(config.cosmos);
    this.blob = new BlobStore(config.blob);
    const remoteExtractor = config.documentIntelligence
      ? new DocumentIntelligenceExtractor(config.documentIntelligence)
      : undefined;
    this.ai = config.openai ? new AzureOpenAiDocumentAi(config.openai) : new LocalDocumentAi();
    this.documents = new DocumentsService(
      this.cosmos.container<DocumentRecord>('documents'),
      this.blob,
      new ExtractionService(remoteExtractor),
    );
    this.tracking = new ExportTrackingStore(this.cosmos.container('export_tracking'));
    this.exportWorkflow = new ExportWorkflowService(this.tracking, this.documents, this.ai, this.blob);
    this.jobs = new ExportJobsService(
      this.cosmos.container('export_jobs'),
      {
        documents: this.cosmos.container('documents'),
        export_tracking: this.cosmos.container('export_tracking'),
      },
      this.blob,
      { api: config.limits.jobFileRetentionDays, schedule: config.limits.instanceRetentionDays },
    );
    this.schedules = new SchedulesService(this.cosmos.container('export_schedules'), this.jobs);
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

  dispose(): void {
    this.cosmos.dispose();
  }
}

let instance: Services | undefined;

export function services(): Services {
  instance ??= new Services(appConfig());
  return instance;
}

/** The services, once their stores are provisioned (a no-op after the first success). */
export async function readyServices(): Promise<Services> {
  const app = services();
  await app.ready();
  return app;
}

/** The export endpoints' service for one request, bound to that invocation's Durable client. */
export function exportRequests(app: Services, control: OrchestrationControl): ExportRequests {
  return new ExportRequests(
    { documents: app.documents, tracking: app.tracking, waitLimitMs: app.config.limits.exportWaitMs },
    control,
  );
}
