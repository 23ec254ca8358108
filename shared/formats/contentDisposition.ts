export interface ContentDispositionOptions {
  /** `attachment` (download, the default) or `inline` (show in the browser). */
  type?: 'attachment' | 'inline';
  /** Longest file name kept, in characters, extension included (default 150). */
  maxLength?: number;
}

const FALLBACK_NAME = 'download';

/** Control characters, path separators and characters Windows forbids in file names. */
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNSAFE = /[\u0000-\u001F\u007F-\u009F/\\:*?"<>|]+/g;

/** Characters RFC 8187 allows unencoded in `filename*`; everything else is percent-encoded. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

function clip(name: string, maxLength: number): string {
  const chars = [...name];
  if (chars.length <= maxLength) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 12 ? [...name.slice(dot)] : [];
  return (
    chars
      .slice(0, Math.max(1, maxLength - extension.length))
      .join('')
      .trimEnd() + extension.join('')
  );
}

/** A safe display name: no CR/LF or other controls, no path parts, no leading dots, not too long. */
function cleanName(fileName: string, maxLength: number): string {
  const cleaned = fileName
    .replace(UNSAFE, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '');
  const clipped = clip(cleaned, maxLength);
  return clipped === '' ? FALLBACK_NAME : clipped;
}

/** An ASCII stand-in for old clients: accents dropped (é → e), other characters become `_`. */
function asciiFallback(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036F]/g, '')
    .replace(/[^\u0020-\u007E]/g, '_')
    .replace(/["\\%;]/g, '_');
  return /^[_\s.]*$/.test(ascii.replace(/\.[A-Za-z0-9]+$/, ''))
    ? FALLBACK_NAME + (/\.[A-Za-z0-9]+$/.exec(ascii)?.[0] ?? '')
    : ascii;
}

function encodeRfc8187(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && ATTR_CHAR.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * A `Content-Disposition` header value for a download (RFC 6266): a quoted ASCII `filename`
 * for old clients and `filename*=UTF-8''…` carrying the real name. Whatever `fileName` holds
 * (CR/LF, quotes, `../`, emoji, 2,000 characters), the header stays one safe line.
 */
export function contentDisposition(fileName: string, options: ContentDispositionOptions = {}): string {
  const maxLength = Math.max(8, options.maxLength ?? 150);
  const name = cleanName(fileName.normalize('NFC'), maxLength);
  const fallback = asciiFallback(name);
  return `${options.type ?? 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}
