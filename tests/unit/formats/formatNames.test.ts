import type { ExportOptions } from '../../../shared/formats/index';
import {
  ExportFormatError,
  writeExportToBuffer,
  contentTypeFor,
  extensionFor,
  mimeTypeFor,
  normaliseExportFormat,
  parseExportFormat,
} from '../../../shared/formats/index';

describe('format names', () => {
  it.each([
    ['json', 'json'],
    ['CSV', 'csv'],
    [' xlsx ', 'xlsx'],
    ['excel', 'xlsx'],
    ['Excel', 'xlsx'],
    ['pdf', 'pdf'],
    ['ndjson', 'ndjson'],
  ])('when the client says %j, then the format is %s', (input, expected) => {
    expect(parseExportFormat(input)).toBe(expected);
  });

  it('when the name is unknown, then parse gives undefined and normalise throws a typed error', () => {
    expect(parseExportFormat('docx')).toBeUndefined();
    expect(parseExportFormat('constructor')).toBeUndefined();
    expect(() => normaliseExportFormat('docx')).toThrow(ExportFormatError);
  });

  it('when writeExport gets an alias at run time, then it still writes the format', async () => {
    const options = JSON.parse('{"format":"Excel"}') as ExportOptions;
    const { result } = await writeExportToBuffer([{ a: 1 }], options);
    expect(result.extension).toBe('xlsx');
  });

  it('when compressed, then MIME type and extension say gzip', () => {
    expect(mimeTypeFor('xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(mimeTypeFor('csv', true)).toBe('application/gzip');
    expect(extensionFor('csv')).toBe('csv');
    expect(extensionFor('pdf', true)).toBe('pdf.gz');
    expect(contentTypeFor('csv')).toBe('text/csv; charset=utf-8');
    expect(contentTypeFor('pdf')).toBe('application/pdf');
  });
});
