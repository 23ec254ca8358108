import type { PDFObject, PDFRef } from 'pdf-lib';
import { PDFContext } from 'pdf-lib';

/** `%PDF-1.7` and a comment of high bytes, so tools treat the file as binary. */
const HEADER = Buffer.from('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n', 'latin1');

/**
 * Writes PDF objects one at a time and forgets them, keeping only each object's byte offset
 * for the cross-reference table. pdf-lib supplies the object model (dictionaries, strings,
 * streams, serialisation); this replaces `PDFDocument.save()`, which needs every page in
 * memory until the end — the reason a naive pdf-lib table of 100,000 rows takes 2 GB.
 */
export class PdfObjectWriter {
  readonly context = PDFContext.create();
  private position = 0;
  private readonly offsets: number[] = [];

  header(): Buffer {
    return this.count(HEADER);
  }

  /** A new object number, for objects referenced before they are written (page tree, fonts). */
  reserve(): PDFRef {
    return this.context.nextRef();
  }

  /** Serialises one indirect object. */
  write(ref: PDFRef, object: PDFObject): Buffer {
    const head = `${ref.objectNumber} 0 obj\n`;
    const size = object.sizeInBytes();
    const bytes = Buffer.allocUnsafe(head.length + size + 8);
    bytes.write(head, 0, 'latin1');
    object.copyBytesInto(bytes, head.length);
    bytes.write('\nendobj\n', head.length + size, 'latin1');
    this.offsets[ref.objectNumber] = this.position;
    return this.count(bytes);
  }

  /** Cross-reference table and trailer: the end of the file. */
  finish(root: PDFRef, info: PDFRef): Buffer {
    const xrefOffset = this.position;
    const count = this.context.largestObjectNumber + 1;
    const lines: string[] = [`xref\n0 ${count}\n`, '0000000000 65535 f \n'];
    for (let n = 1; n < count; n++) {
      const offset = this.offsets[n];
      // Reserved numbers never written (an unused font) are listed as free.
      lines.push(
        offset === undefined ? '0000000000 00001 f \n' : `${String(offset).padStart(10, '0')} 00000 n \n`,
      );
    }
    lines.push(
      `trailer\n<< /Size ${count} /Root ${root.objectNumber} 0 R /Info ${info.objectNumber} 0 R >>\n`,
      `startxref\n${xrefOffset}\n%%EOF\n`,
    );
    return this.count(Buffer.from(lines.join(''), 'latin1'));
  }

  private count(bytes: Buffer): Buffer {
    this.position += bytes.length;
    return bytes;
  }
}
