import { safeJsonStringify } from './safeJson';

/** How a value reads as cell text (CSV, PDF): numbers and booleans as written, dates as ISO 8601. */
export function cellText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : '';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'undefined':
      return '';
    default:
      if (value === null) return '';
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
      return safeJsonStringify(value);
  }
}
