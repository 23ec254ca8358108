import type { PDFRef } from 'pdf-lib';
import { PDFHexString, PDFString } from 'pdf-lib';
import type { SubsetFont } from '../fonts/subsetFont';
import type { PdfObjectWriter } from './pdfObjectWriter';

const ENTRIES_PER_BLOCK = 100;

function utf16Hex(text: string): string {
  let hex = '';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return hex;
}

/** The ToUnicode CMap: which text each glyph stands for, so text can be searched and copied. */
function toUnicodeCmap(font: SubsetFont): string {
  const entries = [...font.texts.entries()].filter(([, text]) => text !== '');
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += ENTRIES_PER_BLOCK) {
    const block = entries.slice(i, i + ENTRIES_PER_BLOCK);
    const lines = block.map(([id, text]) => `<${id.toString(16).padStart(4, '0')}> <${utf16Hex(text)}>`);
    blocks.push(`${block.length} beginbfchar\n${lines.join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <ffff>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMapResource defineresource pop',
    'end',
    'end',
  ].join('\n');
}

/**
 * Embeds a subset as a Type0 font with Identity-H encoding (2-byte glyph ids): the way to
 * show any Unicode text, with only the used glyphs' outlines in the file.
 */
export function writeFontObjects(
  font: SubsetFont,
  writer: PdfObjectWriter,
): { ref: PDFRef; bytes: Buffer[] } {
  const { context } = writer;
  const baseFont = `${font.tag}+${font.face.name}`;
  const program = font.encode();
  const fileRef = writer.reserve();
  const descriptorRef = writer.reserve();
  const cidFontRef = writer.reserve();
  const toUnicodeRef = writer.reserve();
  const fontRef = writer.reserve();
  const m = font.metrics;
  const bytes = [
    writer.write(fileRef, context.flateStream(program, { Length1: program.length })),
    writer.write(
      descriptorRef,
      context.obj({
        Type: 'FontDescriptor',
        FontName: baseFont,
        Flags: 4,
        FontBBox: [...m.bbox],
        ItalicAngle: m.italicAngle,
        Ascent: m.ascent,
        Descent: m.descent,
        CapHeight: m.capHeight,
        StemV: 80,
        FontFile2: fileRef,
      }),
    ),
    writer.write(
      cidFontRef,
      context.obj({
        Type: 'Font',
        Subtype: 'CIDFontType2',
        BaseFont: baseFont,
        CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
        FontDescriptor: descriptorRef,
        W: [0, [...font.widths]],
        CIDToGIDMap: 'Identity',
      }),
    ),
    writer.write(toUnicodeRef, context.flateStream(toUnicodeCmap(font))),
    writer.write(
      fontRef,
      context.obj({
        Type: 'Font',
        Subtype: 'Type0',
        BaseFont: baseFont,
        Encoding: 'Identity-H',
        DescendantFonts: [cidFontRef],
        ToUnicode: toUnicodeRef,
      }),
    ),
  ];
  return { ref: fontRef, bytes };
}

/** Document information dictionary values as PDF text strings (UTF-16 when needed). */
export function infoText(value: string): PDFHexString {
  return PDFHexString.fromText(value);
}
