import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import type { PDFRef } from 'pdf-lib';
import { PDFString } from 'pdf-lib';
import type { SubsetFont } from '../fonts/subsetFont';
import { infoText, writeFontObjects } from './fontObjects';
import { TOTAL_PAGES_XOBJECT } from './pageContent';
import { PdfObjectWriter } from './pdfObjectWriter';

const deflateAsync = promisify(deflate);

/** Pages compressed ahead while the next ones are laid out: enough to keep the second core busy. */
const COMPRESSIONS_IN_FLIGHT = 4;

export interface PageSize {
  width: number;
  height: number;
}

export interface DocumentInfo {
  title?: string;
  author?: string;
  subject?: string;
  creationDate?: Date;
}

/**
 * A PDF written as it is laid out: each finished page's content is deflated on the thread
 * pool and written with its page object, then dropped. What stays in memory is one offset per
 * object and one reference per page; fonts, the page tree and the catalog come at the end.
 */
export class PdfStreamDocument {
  private readonly writer = new PdfObjectWriter();
  private readonly pagesRef: PDFRef;
  private readonly resourcesRef: PDFRef;
  private readonly totalPagesRef: PDFRef;
  private readonly pageRefs: PDFRef[] = [];
  private readonly compressing: Promise<Buffer>[] = [];

  constructor(private readonly size: PageSize) {
    this.pagesRef = this.writer.reserve();
    this.resourcesRef = this.writer.reserve();
    this.totalPagesRef = this.writer.reserve();
  }

  get pageCount(): number {
    return this.pageRefs.length + this.compressing.length;
  }

  start(): Buffer[] {
    return [this.writer.header()];
  }

  /** Queues a finished page; its bytes come out of a later `drain`. */
  addPage(content: string): void {
    this.compressing.push(deflateAsync(Buffer.from(content, 'latin1')));
  }

  /** Writes compressed pages, leaving at most `keep` still compressing. */
  async drain(keep = COMPRESSIONS_IN_FLIGHT): Promise<Buffer[]> {
    const out: Buffer[] = [];
    while (this.compressing.length > keep) {
      const compressed = await this.compressing.shift();
      if (compressed !== undefined) out.push(...this.writePage(compressed));
    }
    return out;
  }

  /**
   * Everything after the last page. `totalPagesContent` draws the page count (known only now)
   * and must already have put its glyphs in the fonts, which are embedded here.
   */
  async finish(
    fonts: readonly SubsetFont[],
    totalPagesContent: string,
    info: DocumentInfo,
  ): Promise<Buffer[]> {
    const out = await this.drain(0);
    const { writer } = this;
    const { context } = writer;
    const fontRefs: Record<string, PDFRef> = {};
    for (const font of fonts) {
      const embedded = writeFontObjects(font, writer);
      fontRefs[font.resourceName] = embedded.ref;
      out.push(...embedded.bytes);
    }
    const fontDictRef = writer.reserve();
    out.push(writer.write(fontDictRef, context.obj(fontRefs)));
    out.push(
      writer.write(
        this.totalPagesRef,
        context.flateStream(totalPagesContent, {
          Type: 'XObject',
          Subtype: 'Form',
          BBox: [0, 0, 200, 30],
          Resources: { Font: fontDictRef },
        }),
      ),
    );
    out.push(
      writer.write(
        this.resourcesRef,
        context.obj({ Font: fontDictRef, XObject: { [TOTAL_PAGES_XOBJECT]: this.totalPagesRef } }),
      ),
    );
    out.push(
      writer.write(
        this.pagesRef,
        context.obj({ Type: 'Pages', Kids: this.pageRefs, Count: this.pageRefs.length }),
      ),
    );
    const catalogRef = writer.reserve();
    out.push(writer.write(catalogRef, context.obj({ Type: 'Catalog', Pages: this.pagesRef })));
    const infoRef = writer.reserve();
    out.push(writer.write(infoRef, context.obj(infoDictionary(info))));
    out.push(writer.finish(catalogRef, infoRef));
    return out;
  }

  private writePage(compressed: Buffer): Buffer[] {
    const { writer } = this;
    const contentRef = writer.reserve();
    const pageRef = writer.reserve();
    this.pageRefs.push(pageRef);
    return [
      writer.write(contentRef, writer.context.stream(compressed, { Filter: 'FlateDecode' })),
      writer.write(
        pageRef,
        writer.context.obj({
          Type: 'Page',
          Parent: this.pagesRef,
          MediaBox: [0, 0, this.size.width, this.size.height],
          Resources: this.resourcesRef,
          Contents: contentRef,
        }),
      ),
    ];
  }
}

function infoDictionary(info: DocumentInfo): Record<string, PDFString | ReturnType<typeof infoText>> {
  const dict: Record<string, PDFString | ReturnType<typeof infoText>> = {
    Creator: infoText('exportrail'),
    Producer: infoText('exportrail (pdf-lib objects, fontkit subsets)'),
  };
  if (info.title !== undefined) dict.Title = infoText(info.title);
  if (info.author !== undefined) dict.Author = infoText(info.author);
  if (info.subject !== undefined) dict.Subject = infoText(info.subject);
  if (info.creationDate !== undefined && !Number.isNaN(info.creationDate.getTime())) {
    dict.CreationDate = PDFString.fromDate(info.creationDate);
  }
  return dict;
}
