import { contentDisposition } from '../../../shared/formats/index';

function parts(header: string): { fallback: string; encoded: string } {
  const m = /^attachment; filename="([^"]*)"; filename\*=UTF-8''(\S+)$/.exec(header);
  if (!m) throw new Error(`unexpected header ${header}`);
  return { fallback: m[1] ?? '', encoded: decodeURIComponent(m[2] ?? '') };
}

describe('contentDisposition', () => {
  it('when the name is plain ASCII, then both forms carry it', () => {
    expect(contentDisposition('report-2024.csv')).toBe(
      `attachment; filename="report-2024.csv"; filename*=UTF-8''report-2024.csv`,
    );
  });

  it('when the name is Unicode, then filename* has it percent-encoded and the fallback is ASCII', () => {
    const { fallback, encoded } = parts(contentDisposition('Rechnung Müller 日本.xlsx'));
    expect(encoded).toBe('Rechnung Müller 日本.xlsx');
    expect(fallback).toBe('Rechnung Muller __.xlsx');
  });

  it.each([
    ['a\r\nSet-Cookie: x=1.csv'],
    ['../../etc/passwd'],
    ['C:\\temp\\"quoted".pdf'],
    ['\u0000\u0007bell.json'],
  ])(
    'when the name is hostile (%j), then the header is one safe line without quotes, separators or controls',
    (name) => {
      const header = contentDisposition(name);
      // eslint-disable-next-line no-control-regex -- checking that no control character is left
      expect(header).not.toMatch(/[\r\n\u0000-\u001f]/);
      const { fallback, encoded } = parts(header);
      for (const value of [fallback, encoded]) {
        expect(value).not.toMatch(/[/\\"\r\n]/);
        expect(value.startsWith('.')).toBe(false);
      }
    },
  );

  it('when the name is very long, then it is cut but keeps its extension', () => {
    const { encoded } = parts(contentDisposition(`${'ü'.repeat(500)}.xlsx`, { maxLength: 60 }));
    expect([...encoded]).toHaveLength(60);
    expect(encoded.endsWith('.xlsx')).toBe(true);
  });

  it('when the name is empty or only symbols, then a default name is used', () => {
    expect(parts(contentDisposition('')).fallback).toBe('download');
    expect(parts(contentDisposition('日本語.pdf')).fallback).toBe('download.pdf');
  });

  it('when inline is asked for, then the type is inline', () => {
    expect(contentDisposition('a.pdf', { type: 'inline' })).toMatch(/^inline; /);
  });
});
