/**
 * Result files (`<dir>/<bench>.json`): a JSON array of rows, validated against the bench's row
 * schema both when written and when the smoke check reads it back, so the writer and the check
 * cannot drift apart.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export function resultFilePath(dir: string, bench: string): string {
  return path.join(dir, `${bench}.json`);
}

/** A non-empty array of rows of the given shape. */
export function resultRows<Row extends z.ZodType>(row: Row) {
  return z.array(row).min(1, 'a result file holds at least one row');
}

/** Validates `rows` and writes them; a temporary file and a rename, so a crash never leaves half a file. */
export function writeResultFile<Rows extends z.ZodType>(
  dir: string,
  bench: string,
  schema: Rows,
  rows: z.input<Rows>,
): string {
  const checked = schema.safeParse(rows);
  if (!checked.success)
    throw new Error(`${bench} produced rows its result schema rejects:\n${z.prettifyError(checked.error)}`);
  const file = resultFilePath(dir, bench);
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.tmp`;
  writeFileSync(partial, `${JSON.stringify(checked.data, null, 2)}\n`);
  renameSync(partial, file);
  return file;
}

/** Reads a result file back: it must exist, parse as JSON and match the bench's schema. */
export function readResultFile<Rows extends z.ZodType>(file: string, schema: Rows): z.output<Rows> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`no result file ${file}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const checked = schema.safeParse(parsed);
  if (!checked.success)
    throw new Error(`${file} does not match its schema:\n${z.prettifyError(checked.error)}`);
  return checked.data;
}
