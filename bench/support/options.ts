/**
 * Command-line options shared by every bench: `--smoke` (a size that runs in seconds and still
 * takes every code path) and `--out DIR` (where the result file goes), plus each bench's own
 * `--name value` / `--name=value` options. An option no bench knows is an error: a typo such as
 * `--record 20000` would otherwise run the full size for many minutes.
 */
import path from 'node:path';

/** Options every bench accepts on top of its own. */
const COMMON_VALUE_OPTIONS = ['out'] as const;
const COMMON_FLAGS = ['smoke'] as const;

/** The repository's bench/results, from dist/bench/support at run time. */
export const RECORDED_RESULTS_DIR = path.resolve(__dirname, '..', '..', '..', 'bench', 'results');
/** Smoke results go beside, never over, the recorded full-size ones (bench/.gitignore ignores them). */
export const SMOKE_RESULTS_DIR = path.join(RECORDED_RESULTS_DIR, 'smoke');

export class BenchOptions {
  private readonly values = new Map<string, string>();
  private readonly flags = new Set<string>();

  /**
   * @param args the command line after the bench name
   * @param valueOptions the names (without `--`) of the options that take a value, for every
   *   bench that will read these options
   */
  constructor(args: readonly string[], valueOptions: readonly string[]) {
    const takesValue = new Set<string>([...COMMON_VALUE_OPTIONS, ...valueOptions]);
    const isFlag = new Set<string>(COMMON_FLAGS);
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] ?? '';
      const match = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
      const name = match?.[1];
      if (name === undefined) throw new Error(`Unexpected argument "${arg}"`);
      const inline = match?.[2];
      if (isFlag.has(name)) {
        if (inline !== undefined) throw new Error(`--${name} takes no value`);
        this.flags.add(name);
      } else if (takesValue.has(name)) {
        const value = inline ?? args[++i];
        if (value === undefined) throw new Error(`--${name} needs a value`);
        this.values.set(name, value);
      } else {
        const known = [...isFlag, ...takesValue].map((n) => `--${n}`).join(', ');
        throw new Error(`Unknown option --${name}; known: ${known}`);
      }
    }
  }

  /** Smoke size: tiny inputs, same code paths, results in bench/results/smoke/. */
  get smoke(): boolean {
    return this.flags.has('smoke');
  }

  /** Where the result file goes: `--out`, else bench/results/smoke/ at smoke size, else bench/results/. */
  get resultsDir(): string {
    const out = this.values.get('out');
    if (out !== undefined) return path.resolve(out);
    return this.smoke ? SMOKE_RESULTS_DIR : RECORDED_RESULTS_DIR;
  }

  /** A string option: the command line, else the environment variable's value, else undefined. */
  string(name: string, fromEnvironment?: string): string | undefined {
    return this.values.get(name) ?? fromEnvironment;
  }

  /**
   * A positive integer option (`1_000_000` allowed): the command line, else the environment,
   * else the smoke or the full default.
   */
  positiveInt(name: string, defaults: { full: number; smoke: number }, fromEnvironment?: string): number {
    const given = this.string(name, fromEnvironment);
    if (given === undefined) return this.smoke ? defaults.smoke : defaults.full;
    const n = Number(given.replace(/_/g, ''));
    if (!Number.isInteger(n) || n <= 0)
      throw new Error(`--${name} must be a positive integer, got "${given}"`);
    return n;
  }
}
