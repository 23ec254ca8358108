import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError, unavailable } from '../../core/errors';
import type { Json } from '../../domain/changes';
import { beyondLimit, type UploadLimits } from './limits';
import type { LocalUploadKind } from './parsers';
import {
  isParseReply,
  isReadySignal,
  type ParseReply,
  type ParseRequest,
  type WorkerSettings,
} from './workerProtocol';

/** Parses uploads off the event loop; what extraction needs. */
export interface UploadParser {
  /**
   * The upload's document data. `bytes` is handed over: when it owns its memory, that memory
   * moves to the worker and the caller's buffer is left empty.
   */
  parse(kind: LocalUploadKind, bytes: Buffer): Promise<Json>;
}

/**
 * The compiled worker script. From dist/ (the app as `npm start` and Azure run it) it sits beside
 * this module. Under jest, which runs this module from its TypeScript source, a worker thread
 * cannot load .ts, so the build's copy is used: the tests that parse run after `npm run build`.
 */
export function parseWorkerScript(): string {
  const beside = path.join(__dirname, 'parseWorker.js');
  if (existsSync(beside)) return beside;
  return path.resolve(
    __dirname,
    '..',
    '..',
    '..',
    'dist',
    'shared',
    'services',
    'uploadParsing',
    'parseWorker.js',
  );
}

/**
 * Worker threads that parse uploads, one parse each at a time, so a hostile file costs a worker
 * and never the event loop every other request is answered on.
 *
 * - One worker is kept warm: loading the parsers (SheetJS above all) takes a new worker about
 *   0.35 s, which a parse should not pay (a warm one parses a small CSV in about 1 ms). It is
 *   `unref`'d while idle, so it never keeps the process alive.
 * - At most `limits.workers` parse at once; another parse waits for one to finish, and answers
 *   503 if none does within the parse deadline.
 * - A parse past `deadlineMs` ends its worker (`terminate`) and answers 422 `parse_deadline`; a
 *   worker past its heap (`resourceLimits`) is ended by Node and answers 422 `parse_memory`.
 *   Either way a fresh worker replaces it, so the next upload finds one warm.
 */
export class UploadParserPool implements UploadParser {
  private readonly workers = new Set<Worker>();
  /** Workers whose parsers are loaded (they said so): a deadline counts from then. */
  private readonly started = new WeakSet<Worker>();
  private readonly idle: Worker[] = [];
  private readonly waiting: { take: (worker: Worker) => void }[] = [];
  private busy = 0;
  private disposed = false;

  constructor(
    private readonly limits: UploadLimits,
    private readonly script: string = parseWorkerScript(),
  ) {
    if (existsSync(script)) this.idle.push(this.spawn());
  }

  async parse(kind: LocalUploadKind, bytes: Buffer): Promise<Json> {
    if (this.disposed) throw new Error('The upload parser pool was disposed.');
    if (!existsSync(this.script)) {
      throw new Error(`The upload parsing worker ${this.script} is missing: build the app (npm run build).`);
    }
    const worker = await this.acquire();
    return this.run(worker, { kind, bytes: ownMemory(bytes) });
  }

  /** Ends every worker; parses in flight fail. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.idle.splice(0);
    await Promise.all([...this.workers].map((worker) => worker.terminate()));
  }

  private spawn(): Worker {
    const settings: WorkerSettings = { maxInflatedBytes: this.limits.maxInflatedBytes };
    const worker = new Worker(this.script, {
      workerData: settings,
      resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb },
    });
    this.workers.add(worker);
    const onStarted = (message: unknown) => {
      if (!isReadySignal(message)) return;
      this.started.add(worker);
      worker.off('message', onStarted);
    };
    worker.on('message', onStarted);
    // An idle worker that stops (it should not) leaves the pool; the next parse starts another.
    worker.once('exit', () => {
      this.workers.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    worker.unref();
    return worker;
  }

  /** A worker for one parse: the warm one, a new one while under the cap, or the next one freed. */
  private acquire(): Promise<Worker> {
    const ready = this.idle.pop() ?? (this.busy < this.limits.workers ? this.spawn() : undefined);
    if (ready) {
      this.busy += 1;
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        take: (worker: Worker) => {
          clearTimeout(timer);
          this.busy += 1;
          resolve(worker);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(
          unavailable(
            'Upload parsing',
            Math.ceil(this.limits.deadlineMs / 1000),
            `Every upload parser is busy (${this.limits.workers} at once); retry shortly.`,
          ),
        );
      }, this.limits.deadlineMs);
      this.waiting.push(waiter);
    });
  }

  /** Gives a worker back after its parse: to the next waiting parse, else kept warm or ended. */
  private release(worker: Worker | undefined): void {
    this.busy -= 1;
    if (this.disposed) {
      if (worker) void worker.terminate();
      return;
    }
    const next = this.waiting.shift();
    // A worker that was ended is replaced at once, so the next parse finds one warm.
    const ready = worker ?? (next || this.idle.length === 0 ? this.spawn() : undefined);
    if (!ready) return;
    if (next) return next.take(ready);
    if (this.idle.length === 0) this.idle.push(ready);
    else void ready.terminate();
  }

  private run(worker: Worker, request: ParseRequest): Promise<Json> {
    const { deadlineMs, memoryMb } = this.limits;
    return new Promise<Json>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (outcome: { data: Json } | { error: Error }, keep: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (keep) worker.unref();
        else void worker.terminate();
        this.release(keep ? worker : undefined);
        if ('data' in outcome) resolve(outcome.data);
        else reject(outcome.error);
      };
      const overDeadline = () =>
        settle(
          {
            error: beyondLimit(
              'parse_deadline',
              `The file could not be parsed within the ${deadlineMs} ms a parse may take.`,
              `at most ${deadlineMs} ms of parsing`,
            ),
          },
          false,
        );
      // The deadline is the parse's, not the worker's start-up (loading SheetJS takes a fresh
      // worker a few hundred ms); a worker that never starts is given up after a generous wait.
      const startDeadline = () => {
        clearTimeout(timer);
        timer = setTimeout(overDeadline, deadlineMs);
      };
      if (this.started.has(worker)) startDeadline();
      else {
        timer = setTimeout(
          () =>
            settle(
              { error: new Error(`The upload parser did not start within ${startupLimitMs} ms.`) },
              false,
            ),
          startupLimitMs,
        );
      }
      const onMessage = (message: unknown) => {
        if (isReadySignal(message)) return startDeadline();
        if (!isParseReply(message)) {
          return settle({ error: new Error('The upload parser answered malformed.') }, false);
        }
        const outcome = replyOutcome(message);
        // A refusal leaves the worker as it was; after a fault (a bug) it is replaced.
        settle(outcome, !('error' in outcome) || outcome.error instanceof AppError);
      };
      const onError = (error: Error) => {
        const outOfMemory = 'code' in error && error.code === 'ERR_WORKER_OUT_OF_MEMORY';
        settle(
          {
            error: outOfMemory
              ? beyondLimit(
                  'parse_memory',
                  `The file could not be parsed within the ${memoryMb} MB of memory a parse may use.`,
                  `at most ${memoryMb} MB of parser memory`,
                )
              : new Error(`The upload parser failed: ${error.message}`),
          },
          false,
        );
      };
      const onExit = (code: number) =>
        settle({ error: new Error(`The upload parser stopped (exit code ${code}) during a parse.`) }, false);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      // Referenced while it works: a parse in flight keeps the process alive to hear its answer.
      worker.ref();
      worker.postMessage(request, [request.bytes]);
    });
  }
}

/** How long a new worker may take to load its parsers (a few hundred ms when the host is idle). */
const startupLimitMs = 30_000;

/** The data the worker answered, or the error it stands for. */
function replyOutcome(reply: ParseReply): { data: Json } | { error: Error } {
  if (reply.ok) {
    try {
      return { data: JSON.parse(reply.json) as Json };
    } catch {
      return { error: new Error('The upload parser answered JSON that does not parse.') };
    }
  }
  if ('refusal' in reply) {
    const { code, message, details } = reply.refusal;
    return { error: new AppError(code, message, details) };
  }
  return { error: new Error(`The upload parser failed: ${reply.fault}`) };
}

/**
 * The bytes as an ArrayBuffer the worker can take. A Buffer that owns its whole memory gives it
 * up (moved, not copied); a small one usually lives in Node's shared pool with others' bytes,
 * and moving that would empty theirs too, so it is copied.
 */
function ownMemory(bytes: Buffer): ArrayBuffer {
  const memory = bytes.buffer;
  if (memory instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === memory.byteLength) {
    return memory;
  }
  return new Uint8Array(bytes).buffer;
}
