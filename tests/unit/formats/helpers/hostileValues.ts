/** Strings that have broken exporters: formula injection, controls, bad UTF-16, huge and non-Latin text. */
export const HOSTILE_STRINGS: readonly string[] = [
  '=HYPERLINK("http://x","y")',
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '\t=1',
  '\r=1',
  ' =1',
  '   @cmd',
  '\u00a0=1',
  'nul\u0000inside',
  '\u0001\u0008\u000b\u001f controls',
  'lone high \uD800 surrogate',
  'lone low \uDC00 surrogate',
  '\uDBFF',
  'x'.repeat(39_990) + ' end 40k',
  'emoji 😀👍🏽🧪 family 👨‍👩‍👧',
  'مرحبا بالعالم',
  'שלום עולם',
  '中文字符 日本語テキスト 한국어',
  'Привет, мир',
  '_x000D_ literal escape',
  'line1\r\nline2\nline3\rline4',
  '"quoted", with comma',
  '<tag attr="1">&amp;</tag>',
  '  leading and trailing  ',
  '\uFFFE\uFFFF non-characters',
  'नमस्ते',
];

/** Records carrying every hostile string, plus hostile keys and typed neighbours that must stay typed. */
export function hostileRecords(): Record<string, unknown>[] {
  return HOSTILE_STRINGS.map((text, i) => ({
    id: i,
    text,
    '=key': text.slice(0, 50),
    negative: -5 - i,
    ok: i % 2 === 0,
    when: new Date(Date.UTC(2024, 0, 1 + i)),
    nested: { inner: text.slice(0, 20) },
  }));
}
