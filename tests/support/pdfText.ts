import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * pdf.js ships as ES modules, which jest's CommonJS runtime cannot import; the text is
 * extracted by a plain Node child process instead. Items of a page are joined with "\n" when
 * pdf.js marks an end of line, else with "" — close to what a reader would copy.
 */
const EXTRACT = `
import { readFileSync } from 'node:fs';
const pdfjs = await import(process.argv[1]);
const out = [];
for (const file of process.argv.slice(2)) {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(file)), disableFontFace: true, verbosity: 0 }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\\n' : ' ') : '')).join(''));
  }
  out.push({ pages, info: (await doc.getMetadata()).info });
}
process.stdout.write(JSON.stringify(out));
`;

export interface ExtractedPdf {
  /** Text of each page: the items in drawing order, separated by spaces or newlines. */
  pages: string[];
  info: Record<string, unknown>;
}

/** Extracts the text of several PDFs with pdf.js in one child process. */
export async function extractPdfText(pdfs: readonly Uint8Array[]): Promise<ExtractedPdf[]> {
  const dir = mkdtempSync(join(tmpdir(), 'exportrail-pdftext-'));
  try {
    const files = pdfs.map((bytes, i) => {
      const file = join(dir, `${i}.pdf`);
      writeFileSync(file, bytes);
      return file;
    });
    const pdfjs = require.resolve('pdfjs-dist/legacy/build/pdf.mjs');
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--input-type=module', '-e', EXTRACT, `file://${pdfjs}`, ...files],
        { maxBuffer: 256 * 1024 * 1024 },
        (error, out, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(out)),
      );
    });
    return JSON.parse(stdout) as ExtractedPdf[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
