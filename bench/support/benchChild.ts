/**
 * Bench cases that run in a fresh process (so peak RSS is the case's own) report through one
 * JSON line on stdout. Both ends live here: `runAsBenchChild` in the child, `runBenchChild` in
 * the parent, which turns a child that crashes, is killed, or exits without a result into an
 * error naming its exit code and showing its stderr, never a JSON parse error.
 */
import { spawn } from 'node:child_process';
import { z } from 'zod';
import { failIfExitingUnfinished, holdEventLoopUntil } from './eventLoop';

/** How much of a failed child's stderr an error message shows. */
const STDERR_TAIL_LINES = 40;

/**
 * The child's side: runs `measure`, keeping the event loop alive until it settles, prints its
 * result as one JSON line, then exits 0 (1 with the error on stderr if `measure` throws).
 */
export function runAsBenchChild(what: string, measure: () => Promise<unknown>): void {
  let resultWritten = false;
  failIfExitingUnfinished(what, () => resultWritten);
  holdEventLoopUntil(measure()).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`, () => {
        resultWritten = true;
        // The figures are out: handles the case leaves behind (emulator pipes, HTTP keep-alive)
        // must not keep a finished case running.
        process.exit(0);
      });
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

export interface BenchChildRun {
  /** Names the case in errors, e.g. "bulk case ours csv 20000". */
  label: string;
  /** The compiled child script. */
  script: string;
  args: readonly string[];
  timeoutMs: number;
}

function tail(text: string): string {
  const lines = text.trimEnd().split('\n');
  const shown = lines.slice(-STDERR_TAIL_LINES).join('\n');
  return lines.length > STDERR_TAIL_LINES ? `…\n${shown}` : shown;
}

/** The parent's side: runs the child and returns its result line, checked against `schema`. */
export function runBenchChild<Result extends z.ZodType>(
  run: BenchChildRun,
  schema: Result,
): Promise<z.output<Result>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [run.script, ...run.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, run.timeoutMs);
    const fail = (how: string) =>
      reject(new Error(`${run.label} ${how}\n--- its stderr ---\n${tail(stderr) || '(empty)'}`));
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(`could not be started: ${error.message}`);
    });
    // 'close', not 'exit': by then stdout and stderr have been read to the end.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return fail(`was killed after its ${Math.round(run.timeoutMs / 1000)} s timeout`);
      if (signal !== null) return fail(`was killed by ${signal}`);
      if (code !== 0) return fail(`exited with code ${code}`);
      const line = stdout.trimEnd().split('\n').at(-1) ?? '';
      if (line === '') return fail('exited with code 0 without writing its result line');
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return fail(
          `exited with code 0, but its last stdout line is not a JSON result: ${line.slice(0, 200)}`,
        );
      }
      const checked = schema.safeParse(parsed);
      if (!checked.success)
        return fail(`wrote a result that does not match its schema:\n${z.prettifyError(checked.error)}`);
      resolve(checked.data);
    });
  });
}
