import fs from 'node:fs';
import path from 'node:path';
import type { RuntimeStatus } from './instanceStatus';

/**
 * `extensions.durableTask.overridableExistingInstanceStates` in host.json (extension 3.x,
 * `OverridableStates`): which existing instance `startNew` with the same id may replace.
 * `NonRunningStates` (the default) replaces only a Completed, Failed or Terminated one; starting
 * over a Pending, Running or ContinuedAsNew one fails. `AnyState` replaces whatever is there.
 */
export type OverridableStates = 'NonRunningStates' | 'AnyState';

const values: readonly OverridableStates[] = ['NonRunningStates', 'AnyState'];

export function isOverridable(states: OverridableStates, existing: RuntimeStatus): boolean {
  return states === 'AnyState' || !['Pending', 'Running', 'ContinuedAsNew'].includes(existing);
}

/** Reads the setting from a host.json text; the extension parses enum names in any case. */
export function overridableStatesFrom(hostJson: string): OverridableStates {
  const parsed = JSON.parse(hostJson) as {
    extensions?: { durableTask?: { overridableExistingInstanceStates?: unknown } };
  };
  const value = parsed.extensions?.durableTask?.overridableExistingInstanceStates;
  if (value === undefined) return 'NonRunningStates';
  const match = values.find((v) => typeof value === 'string' && v.toLowerCase() === value.toLowerCase());
  if (!match) {
    throw new Error(
      `host.json: extensions.durableTask.overridableExistingInstanceStates must be one of ${values.join(', ')}, not ${JSON.stringify(value)}.`,
    );
  }
  return match;
}

/** The app's host.json, found from here up (this file runs from host/durable/ or dist/host/durable/). */
export function appOverridableStates(): OverridableStates {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'host.json');
    if (fs.existsSync(candidate)) return overridableStatesFrom(fs.readFileSync(candidate, 'utf8'));
    if (path.dirname(dir) === dir) return 'NonRunningStates';
  }
}
