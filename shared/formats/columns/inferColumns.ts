import type { WarningCollector } from '../output/warnings';
import { isPlainObject } from '../records/plainValues';
import type { ExportRecord } from '../records/recordSource';
import type { ColumnModel, ColumnType, ExportColumn, ResolvedColumn } from './columnModel';
import { columnPath } from './columnModel';
import { looksLikeWallClock } from './isoDate';
import { RowExtractor } from './rowExtractor';

/** Nesting deeper than this is written as JSON text in one cell rather than more columns. */
export const MAX_FLATTEN_DEPTH = 8;

export interface InferOptions {
  /**
   * Dotted path of the array to expand into one row per element; `false` expands nothing.
   * By default the first array of objects met in the sample is expanded.
   */
  lineItems?: string | false;
}

export function findLineItemsPath(
  value: Readonly<Record<string, unknown>>,
  prefix: string[],
  depth: number,
): string[] | undefined {
  for (const key of Object.keys(value)) {
    const child = value[key];
    if (Array.isArray(child) && child.some(isPlainObject)) return [...prefix, key];
    if (isPlainObject(child) && depth < MAX_FLATTEN_DEPTH) {
      const found = findLineItemsPath(child, [...prefix, key], depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function samePath(a: readonly string[], b: readonly string[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((part, i) => part === b[i]);
}

/** Identity of a path: `["a.b"]` and `["a", "b"]` are two fields though both read `a.b`. */
function pathId(path: readonly string[]): string {
  return JSON.stringify(path);
}

/**
 * Reports a column whose dotted name another path had already taken (a key `"a.b"` and a
 * nested `{a: {b}}`): both are kept, the later one under `name (2)`.
 */
export function reportRenamedColumn(warnings: WarningCollector | undefined, name: string, key: string): void {
  warnings?.add(
    'column_renamed',
    () => `Two different fields both read "${name}" as a column name; the second is the column "${key}"`,
  );
}

/** `name`, or `name (2)`, `name (3)`… — the first that `taken` does not hold. */
export function uniqueColumnKey(name: string, taken: ReadonlySet<string>): string {
  let key = name;
  for (let n = 2; taken.has(key); n++) key = `${name} (${n})`;
  return key;
}

/**
 * The columns of a set of sample records, in order of first appearance: nested objects give
 * dotted columns, the line-items array (if any) gives columns for its elements' fields. Two
 * paths that read the same (`"a.b"` and `a` → `b`) are two columns: the later one is
 * `a.b (2)`, reported as `column_renamed` to `warnings`.
 */
export function discoverColumns(
  sample: readonly ExportRecord[],
  options: InferOptions = {},
  warnings?: WarningCollector,
): ColumnModel {
  let lineItemsPath: string[] | undefined;
  if (typeof options.lineItems === 'string' && options.lineItems !== '')
    lineItemsPath = options.lineItems.split('.');
  else if (options.lineItems !== false) {
    for (const record of sample) {
      if (!isPlainObject(record)) continue;
      lineItemsPath = findLineItemsPath(record, [], 0);
      if (lineItemsPath) break;
    }
  }
  // By path identity, so two paths that read the same both keep their column.
  const columns = new Map<string, { key: string; path: string[] }>();
  const keys = new Set<string>();
  const emptyObjects = new Set<string>();
  /** Paths some record holds a value (not an object) at: such a column stays, whatever is under it. */
  const valued = new Set<string>();
  const addLeaf = (path: string[]): void => {
    const id = pathId(path);
    if (columns.has(id)) return;
    const name = path.join('.');
    const key = uniqueColumnKey(name, keys);
    if (key !== name) reportRenamedColumn(warnings, name, key);
    keys.add(key);
    columns.set(id, { key, path });
  };
  const walk = (
    value: Readonly<Record<string, unknown>>,
    prefix: string[],
    depth: number,
    inItem: boolean,
  ): void => {
    for (const key of Object.keys(value)) {
      const child = value[key];
      const path = [...prefix, key];
      if (isPlainObject(child) && depth < MAX_FLATTEN_DEPTH) {
        if (Object.keys(child).length > 0) walk(child, path, depth + 1, inItem);
        else {
          // `{}` is a value too: its own column ("{}"), unless other records fill fields under it.
          addLeaf(path);
          emptyObjects.add(pathId(path));
        }
      } else if (!inItem && Array.isArray(child) && samePath(path, lineItemsPath)) {
        let scalars = false;
        for (const item of child as readonly unknown[]) {
          if (isPlainObject(item)) walk(item, path, depth + 1, true);
          else scalars = true;
        }
        // A row per element holds an object's fields only: other elements need the array's own cell.
        if (scalars) {
          addLeaf(path);
          valued.add(pathId(path));
        }
      } else {
        addLeaf(path);
        valued.add(pathId(path));
      }
    }
  };
  for (const record of sample) if (isPlainObject(record)) walk(record, [], 0, false);
  for (const id of emptyObjects) {
    if (valued.has(id)) continue;
    const path = columns.get(id)?.path ?? [];
    const filled = [...columns.values()].some(
      (c) => c.path.length > path.length && path.every((part, i) => c.path[i] === part),
    );
    if (filled) columns.delete(id);
  }
  return lineItemsPath === undefined
    ? { columns: [...columns.values()] }
    : { columns: [...columns.values()], lineItemsPath };
}

export function kindOf(value: unknown): ColumnType | undefined {
  switch (typeof value) {
    case 'string':
      return value === '' ? undefined : looksLikeWallClock(value) ? 'date' : 'string';
    case 'number':
      return Number.isFinite(value) ? 'number' : undefined;
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'undefined':
      return undefined;
    default:
      if (value === null) return undefined;
      return value instanceof Date ? 'date' : 'string';
  }
}

export function mergeKinds(kinds: ReadonlySet<ColumnType>): ColumnType {
  if (kinds.size === 0) return 'string';
  if (kinds.size === 1) return kinds.values().next().value ?? 'string';
  return 'mixed';
}

/**
 * Applies defaults to a model: header = key, type inferred from the sample's values where not
 * given. Used by every tabular writer, so a partial model behaves the same everywhere.
 */
export function resolveColumns(model: ColumnModel, sample: readonly ExportRecord[]): ResolvedColumn[] {
  const base: ResolvedColumn[] = model.columns.map((c) => ({
    key: c.key,
    path: columnPath(c),
    header: c.header ?? c.key,
    type: c.type ?? 'string',
    width: c.width,
  }));
  const needsType = model.columns.map((c) => c.type === undefined);
  if (!needsType.some(Boolean)) return base;
  const kinds = base.map(() => new Set<ColumnType>());
  const extractor = new RowExtractor(base, model.lineItemsPath);
  for (const record of sample) {
    extractor.forEachRow(record, (values) => {
      for (let i = 0; i < values.length; i++) {
        const kind = kindOf(values[i]);
        if (kind !== undefined) kinds[i]?.add(kind);
      }
    });
  }
  return base.map((c, i) => (needsType[i] === true ? { ...c, type: mergeKinds(kinds[i] ?? new Set()) } : c));
}

/**
 * The column model of a set of sample records, with types. A bulk job that writes its file in
 * parts calls this once on its first batch and hands the same model to every part, so the
 * header and every row agree.
 */
export function inferColumnModel(
  sample: readonly ExportRecord[],
  options: InferOptions = {},
  warnings?: WarningCollector,
): ColumnModel {
  const model = discoverColumns(sample, options, warnings);
  const resolved = resolveColumns(model, sample);
  const columns: ExportColumn[] = resolved.map((c) => {
    const plainPath = c.path.join('.') === c.key && !c.path.some((p) => p.includes('.'));
    return plainPath ? { key: c.key, type: c.type } : { key: c.key, path: c.path, type: c.type };
  });
  return model.lineItemsPath === undefined ? { columns } : { columns, lineItemsPath: model.lineItemsPath };
}
