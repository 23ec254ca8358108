import { isPlainObject } from '../records/plainValues';
import type { ExportRecord } from '../records/recordSource';
import type { ResolvedColumn } from './columnModel';

type Getter = (record: ExportRecord, item: unknown) => unknown;

function readPath(root: unknown, path: readonly string[], from: number): unknown {
  let value = root;
  for (let i = from; i < path.length; i++) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[path[i] ?? ''];
  }
  return value;
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  if (path.length <= prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/** Compiles one accessor per column; a top-level column is a single property read. */
function compileGetter(path: readonly string[], lineItemsPath: readonly string[] | undefined): Getter {
  if (lineItemsPath !== undefined && startsWith(path, lineItemsPath)) {
    const from = lineItemsPath.length;
    if (path.length === from + 1) {
      const key = path[from] ?? '';
      return (_record, item) => (isPlainObject(item) ? item[key] : undefined);
    }
    return (_record, item) => (isPlainObject(item) ? readPath(item, path, from) : undefined);
  }
  if (path.length === 1) {
    const key = path[0] ?? '';
    return (record) => record[key];
  }
  return (record) => readPath(record, path, 0);
}

/**
 * Turns records into rows of raw values in column order. Writers own the conversion of each
 * value to their format; this only decides which value goes in which cell and which rows a
 * record gives (several when it has line items).
 */
export class RowExtractor {
  readonly columns: readonly ResolvedColumn[];
  private readonly getters: readonly Getter[];
  private readonly lineItemsPath: readonly string[] | undefined;
  private readonly values: unknown[];
  /** Set when every column is a top-level field and nothing expands: writers may then read fields directly. */
  readonly flatKeys: readonly string[] | undefined;

  constructor(columns: readonly ResolvedColumn[], lineItemsPath: readonly string[] | undefined) {
    this.columns = columns;
    this.lineItemsPath = lineItemsPath !== undefined && lineItemsPath.length > 0 ? lineItemsPath : undefined;
    this.getters = columns.map((c) => compileGetter(c.path, this.lineItemsPath));
    this.values = new Array<unknown>(columns.length).fill(undefined);
    const flat = this.lineItemsPath === undefined && columns.every((c) => c.path.length === 1);
    this.flatKeys = flat ? columns.map((c) => c.path[0] ?? '') : undefined;
  }

  /**
   * Calls `emit` once per row the record gives, with a values array that is reused (copy it to
   * keep it). Returns the number of rows.
   */
  forEachRow(record: ExportRecord, emit: (values: readonly unknown[]) => void): number {
    // Any object can be read; only null or a primitive where a record should be becomes an empty row.
    const record_: ExportRecord = typeof record === 'object' && record !== null ? record : {};
    const { getters, values } = this;
    const n = getters.length;
    const keys = this.flatKeys;
    if (keys !== undefined) {
      // Direct property reads: a dozen closure calls per row add up over a million rows.
      for (let i = 0; i < n; i++) values[i] = record_[keys[i] ?? ''];
      emit(values);
      return 1;
    }
    if (this.lineItemsPath === undefined) {
      for (let i = 0; i < n; i++) values[i] = (getters[i] as Getter)(record_, undefined);
      emit(values);
      return 1;
    }
    const items = readPath(record_, this.lineItemsPath, 0);
    if (!Array.isArray(items) || items.length === 0) {
      for (let i = 0; i < n; i++) values[i] = (getters[i] as Getter)(record_, undefined);
      emit(values);
      return 1;
    }
    for (const item of items as readonly unknown[]) {
      for (let i = 0; i < n; i++) values[i] = (getters[i] as Getter)(record_, item);
      emit(values);
    }
    return items.length;
  }
}
