import Papa from 'papaparse';

/** Parses our CSV with papaparse (RFC 4180, CRLF), failing on any parse error. */
export function readCsv(text: string): string[][] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    delimiter: ',',
    newline: '\r\n',
    quoteChar: '"',
  });
  if (parsed.errors.length > 0)
    throw new Error(`CSV parse errors: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
  // Every line ends with CRLF, which papaparse reads as one more, empty, row.
  const rows = parsed.data;
  const last = rows[rows.length - 1];
  if (last !== undefined && last.length === 1 && last[0] === '') rows.pop();
  return rows;
}
