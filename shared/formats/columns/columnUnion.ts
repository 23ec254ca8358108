import { isPlainObject } from '../records/plainValues';
import type { ExportRecord } from '../records/recordSource';
import type { ColumnModel, ColumnType, ExportColumn } from './columnModel';
import { MAX_FLATTEN_DEPTH, findLineItemsPath, kindOf, mergeKinds } from './inferColumns';

/** A column as the union knows it: where its values are, what kinds they had, who showed it first. */
interface UnionColumn {
  path: string[];
  kinds: Set<ColumnType>;
  /** Seen only as `{}` so far: dropped if other records fill fields under it (as `discoverColumns`). */
  onlyEmptyObject: boolean;
  /** The 1-based position of the first record that had it (for warnings). */
  firstRecord: number | undefined;
}

/** A column whose dotted name another, different path had first: its header got ` (2)`, ` (3)`… */
export interface RenamedColumn {
  header: string;
  firstRecord: number | undefined;
}

/** Property names cannot hold U+0000 in practice; it keeps `a.b` (one key) apart from `a` → `b`. */
const pathSeparator = '\u0000';

function samePath(a: readonly string[], b: readonly string[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((part, i) => part === b[i]);
}

/**
 * The columns of every record of a stream, in order of first appearance, whatever the stream's
 * length: records are added one by one and only the columns are kept, so a bulk job sees a field
 * that first appears in its last record. The rules are `discoverColumns`' (dotted columns for
 * nested objects up to `MAX_FLATTEN_DEPTH`, the first array of objects met expanded as line
 * items, which also get the array's own column when they hold non-objects; a column seen both as
 * `{}` and as a value stays), with types merged over every value instead of a sample.
 */
export class ColumnUnion {
  private readonly columns = new Map<string, UnionColumn>();
  private lineItemsPath: string[] | undefined;
  private readonly findsLineItems: boolean;

  constructor(options: { lineItems?: string | false } = {}) {
    if (typeof options.lineItems === 'string' && options.lineItems !== '')
      this.lineItemsPath = options.lineItems.split('.');
    this.findsLineItems = options.lineItems === undefined;
  }

  /** Adds the record's columns; `recordNumber` (its 1-based position) names it in warnings. */
  add(record: ExportRecord, recordNumber?: number): void {
    if (!isPlainObject(record)) return;
    if (this.lineItemsPath === undefined && this.findsLineItems)
      this.lineItemsPath = findLineItemsPath(record, [], 0);
    this.walk(record, [], '', 0, false, recordNumber);
  }

  /**
   * The model to write with: explicit paths and types, so a writer reads no sample. Two paths
   * with one dotted name (`{"a.b": 1}` and `{"a": {"b": 2}}`) both keep a column; the later one is
   * renamed and listed.
   */
  model(): { model: ColumnModel; renamed: RenamedColumn[] } {
    const filledPrefixes = new Set<string>();
    for (const [id, column] of this.columns) {
      let end = id.length;
      for (let depth = column.path.length - 1; depth > 0; depth--) {
        end = id.lastIndexOf(pathSeparator, end - 1);
        filledPrefixes.add(id.slice(0, end));
      }
    }
    const used = new Set<string>();
    const renamed: RenamedColumn[] = [];
    const columns: ExportColumn[] = [];
    for (const [id, column] of this.columns) {
      if (column.onlyEmptyObject && filledPrefixes.has(id)) continue;
      const name = column.path.join('.');
      let key = name;
      for (let n = 2; used.has(key); n++) key = `${name} (${n})`;
      used.add(key);
      if (key !== name) renamed.push({ header: key, firstRecord: column.firstRecord });
      columns.push({ key, path: column.path, type: mergeKinds(column.kinds) });
    }
    const model: ColumnModel =
      this.lineItemsPath === undefined ? { columns } : { columns, lineItemsPath: this.lineItemsPath };
    return { model, renamed };
  }

  /** The rows a record gives in the file: one per line item, at least one (as `RowExtractor`). */
  rowsOf(record: ExportRecord): number {
    if (this.lineItemsPath === undefined || !isPlainObject(record)) return 1;
    let items: unknown = record;
    for (const part of this.lineItemsPath) {
      if (typeof items !== 'object' || items === null) return 1;
      items = (items as Record<string, unknown>)[part];
    }
    return Array.isArray(items) && items.length > 0 ? items.length : 1;
  }

  private walk(
    value: Readonly<Record<string, unknown>>,
    prefix: readonly string[],
    prefixId: string,
    depth: number,
    inItem: boolean,
    recordNumber: number | undefined,
  ): void {
    for (const key of Object.keys(value)) {
      const child = value[key];
      const id = prefixId === '' && prefix.length === 0 ? key : `${prefixId}${pathSeparator}${key}`;
      if (isPlainObject(child) && depth < MAX_FLATTEN_DEPTH) {
        if (Object.keys(child).length > 0)
          this.walk(child, [...prefix, key], id, depth + 1, inItem, recordNumber);
        else this.leaf(id, prefix, key, child, true, recordNumber);
      } else if (!inItem && Array.isArray(child) && samePath([...prefix, key], this.lineItemsPath)) {
        let scalars = false;
        for (const item of child as readonly unknown[]) {
          if (isPlainObject(item)) this.walk(item, [...prefix, key], id, depth + 1, true, recordNumber);
          else scalars = true;
        }
        // A row per element holds an object's fields only: other elements need the array's own cell.
        if (scalars) this.leaf(id, prefix, key, child, false, recordNumber);
      } else {
        this.leaf(id, prefix, key, child, false, recordNumber);
      }
    }
  }

  private leaf(
    id: string,
    prefix: readonly string[],
    key: string,
    value: unknown,
    emptyObject: boolean,
    recordNumber: number | undefined,
  ): void {
    let column = this.columns.get(id);
    if (!column) {
      column = { path: [...prefix, key], kinds: new Set(), onlyEmptyObject: true, firstRecord: recordNumber };
      this.columns.set(id, column);
    }
    if (!emptyObject) column.onlyEmptyObject = false;
    const kind = kindOf(value);
    if (kind !== undefined) column.kinds.add(kind);
  }
}
