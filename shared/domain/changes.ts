/** A JSON value as documents carry it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Modification {
  path: string;
  old_value: Json;
  new_value: Json;
}
export interface Addition {
  path: string;
  new_value: Json;
}
export interface Deletion {
  path: string;
  old_value: Json;
}

export interface Changes {
  modifications: Modification[];
  additions: Addition[];
  deletions: Deletion[];
  counts: { modifications: number; additions: number; deletions: number; total: number };
}

const isObject = (v: Json): v is { [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `$.a.b[2]`, with bracket-quoting for keys that are not plain identifiers. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function walk(path: string, before: Json | undefined, after: Json | undefined, out: Changes): void {
  if (before === undefined && after !== undefined) {
    out.additions.push({ path, new_value: after });
    return;
  }
  if (after === undefined && before !== undefined) {
    out.deletions.push({ path, old_value: before });
    return;
  }
  if (before === undefined || after === undefined) return;
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) walk(childPath(path, key), before[key], after[key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    // Line items are compared by position: an edited row is a modification of its fields,
    // extra rows are additions, missing trailing rows are deletions.
    for (let i = 0; i < Math.max(before.length, after.length); i++)
      walk(childPath(path, i), before[i], after[i], out);
    return;
  }
  if (before !== after) out.modifications.push({ path, old_value: before, new_value: after });
}

/** Field-level differences between the extracted data and the user's edited data. */
export function detectChanges(original: Json, modified: Json): Changes {
  const out: Changes = {
    modifications: [],
    additions: [],
    deletions: [],
    counts: { modifications: 0, additions: 0, deletions: 0, total: 0 },
  };
  walk('$', original, modified, out);
  out.counts = {
    modifications: out.modifications.length,
    additions: out.additions.length,
    deletions: out.deletions.length,
    total: out.modifications.length + out.additions.length + out.deletions.length,
  };
  return out;
}
