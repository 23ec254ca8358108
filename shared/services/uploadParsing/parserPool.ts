import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
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
  /** The upload's document data, or the AppError (400, 413, 422, 503) that refuses it. */
  parse(kind: LocalUploadKind, bytes: Buffer): Promise<Json>;
}

/**
 * The compiled parser script. From dist/ (the app as `npm start` and Azure run it) it sits beside
 * this module. Under jest, which runs this module from its TypeScript source, Node cannot run the
 * .ts file, so the build's copy is used: the tests that parse run after `npm run build`.
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
 * Parser processes, one parse each at a time, so a hostile file costs a parser and never the
 * event loop every other request is answered on.
 *
 * Processes, not worker threads: a thread's heap limit (`resourceLimits`) is best-effort, and a
 * parse that reaches it can abort the whole app instead of the thread (nodejs/node#47224; a
 * 27 MB JSON upload did so 7 times in 8 at a 32 MB limit). A process past its heap
 * (`--max-old-space-size`) aborts alone. It also runs with an empty environment, so a parser
 * exploited through a file holds none of the app's settings.
 *
 * - One process is kept warm: starting one and loading the parsers (SheetJS above all) takes
 *   about 0.4 s, which a parse should not pay (through a warm one a small file costs about 3 ms).
 *   While idle it is `unref`'d, so it never keeps the app alive.
 * - At most `limits.workers` parse at once; another parse waits for one to finish, and answers
 *   503 (with Retry-After) if none does within twice the parse deadline: a parse that started
 *   just before it may take a whole deadline, and its replacement must start.
 * - A parse past `deadlineMs` kills its process and answers 422 `parse_deadline`; a process past
 *   its heap aborts and the parse answers 422 `parse_memory`. Either way a fresh process
 *   replaces it, so the next upload finds one warm.
 */
export class UploadParserPool implements UploadParser {
  private readonly processes = new Set<ChildProcess>();
  /** Processes whose parsers are loaded (they said so): a deadline counts from then. */
  private readonly started = new WeakSet<ChildProcess>();
  private readonly idle: ChildProcess[] = [];
  private readonly waiting: { take: (parser: ChildProcess) => void }[] = [];
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
      throw new Error(`The upload parser ${this.script} is missing: build the app (npm run build).`);
    }
    const parser = await this.acquire();
    return this.run(parser, { kind, bytes });
  }

  /** Ends every parser process; parses in flight fail. */
  dispose(): void {
    this.disposed = true;
    this.idle.splice(0);
    for (const parser of this.processes) parser.kill('SIGKILL');
  }

  private spawn(): ChildProcess {
    const settings: WorkerSettings = { maxInflatedBytes: this.limits.maxInflatedBytes };
    const parser = fork(this.script, [JSON.stringify(settings)], {
      // Its own flags only (not the app's: an inspector port, a larger heap), and no settings.
      execArgv: [`--max-old-space-size=${this.limits.memoryMb}`],
      env: {},
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    this.processes.add(parser);
    const onStarted = (message: unknown) => {
      if (!isReadySignal(message)) return;
      this.started.add(parser);
      parser.off('message', onStarted);
    };
    parser.on('message', onStarted);
    // Without a listener an 'error' (the process could not start, or be signalled) would be
    // thrown; a parse in flight hears of it through its own listener.
    parser.on('error', () => undefined);
    // An idle process that stops (it should not) leaves the pool; the next parse starts another.
    parser.once('exit', () => {
      this.processes.delete(parser);
      const at = this.idle.indexOf(parser);
      if (at >= 0) this.idle.splice(at, 1);
    });
    setReferenced(parser, false);
    return parser;
  }

  /** A parser for one parse: the warm one, a new one while under the cap, or the next one freed. */
  private acquire(): Promise<ChildProcess> {
    const ready = this.idle.pop() ?? (this.busy < this.limits.workers ? this.spawn() : undefined);
    if (ready) {
      this.busy += 1;
      return Promise.resolve(ready);
    }
    const waitLimitMs = 2 * this.limits.deadlineMs;
    return new Promise((resolve, reject) => {
      const waiter = {
        take: (parser: ChildProcess) => {
          clearTimeout(timer);
          this.busy += 1;
          resolve(parser);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(
          unavailable(
            'Upload parsing',
            Math.ceil(waitLimitMs / 1000),
            `Every upload parser is busy (${this.limits.workers} at once); retry shortly.`,
          ),
        );
      }, waitLimitMs);
      this.waiting.push(waiter);
    });
  }

  /** Gives a parser back after its parse: to the next waiting parse, else kept warm or ended. */
  private release(parser: ChildProcess | undefined): void {
    this.busy -= 1;
    if (this.disposed) {
      parser?.kill('SIGKILL');
      return;
    }
    const next = this.waiting.shift();
    // A process that was ended is replaced at once, so the next parse finds one warm.
    const ready = parser ?? (next || this.idle.length === 0 ? this.spawn() : undefined);
    if (!ready) return;
    if (next) return next.take(ready);
    if (this.idle.length === 0) this.idle.push(ready);
    else ready.kill('SIGKILL');
  }

  private run(parser: ChildProcess, request: ParseRequest): Promise<Json> {
    const { deadlineMs, memoryMb } = this.limits;
    return new Promise<Json>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (outcome: { data: Json } | { error: Error }, keep: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        parser.off('message', onMessage);
        parser.off('exit', onExit);
        parser.off('error', onError);
        if (keep) setReferenced(parser, false);
        else parser.kill('SIGKILL');
        this.release(keep ? parser : undefined);
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
      // The deadline is the parse's, not the process's start-up; a process that never starts is
      // given up after a generous wait.
      const startDeadline = () => {
        clearTimeout(timer);
        timer = setTimeout(overDeadline, deadlineMs);
      };
      if (this.started.has(parser)) startDeadline();
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
        // A refusal leaves the process as it was; after a fault (a bug) it is replaced.
        settle(outcome, !('error' in outcome) || outcome.error instanceof AppError);
      };
      // V8 aborts a process past its heap limit (SIGABRT; a rarer native abort reads the same);
      // any other end mid-parse is a fault.
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        settle(
          {
            error:
              signal === 'SIGABRT'
                ? beyondLimit(
                    'parse_memory',
                    `The file could not be parsed within the ${memoryMb} MB of memory a parse may use.`,
                    `at most ${memoryMb} MB of parser memory`,
                  )
                : new Error(
                    `The upload parser stopped during a parse (exit code ${code}, signal ${signal}).`,
                  ),
          },
          false,
        );
      const onError = (error: Error) =>
        settle({ error: new Error(`The upload parser failed: ${error.message}`) }, false);
      parser.on('message', onMessage);
      parser.on('exit', onExit);
      parser.on('error', onError);
      // Referenced while it works: a parse in flight keeps the app alive to hear its answer.
      setReferenced(parser, true);
      parser.send(request, (error) => {
        if (error)
          settle(
            { error: new Error(`The upload could not be passed to its parser: ${error.message}`) },
            false,
          );
      });
    });
  }
}

/** How long a new parser process may take to start (about 0.4 s on an idle host). */
const startupLimitMs = 30_000;

/** Whether the process (and its IPC channel, which counts apart) keeps the app's event loop alive. */
function setReferenced(parser: ChildProcess, referenced: boolean): void {
  if (referenced) {
    parser.ref();
    parser.channel?.ref();
  } else {
    parser.unref();
    parser.channel?.unref();
  }
}

/** The data the parser answered, or the error it stands for. */
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
