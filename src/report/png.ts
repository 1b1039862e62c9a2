/**
 * SVG → PNG at print resolution, without a browser: resvg (a Rust SVG renderer, prebuilt for
 * each platform by `@resvg/resvg-js`) rasterises the SVG with the system's fonts, and a `pHYs`
 * chunk records the resolution so that print and layout tools place the image at its true size.
 */
import { CSS_PX_PER_INCH, PRINT_DPI } from './figure-types.js';

type ResvgModule = typeof import('@resvg/resvg-js');
let resvg: Promise<ResvgModule> | undefined;

/** Metres per inch, for the pixels-per-metre unit of the PNG `pHYs` chunk. */
const METRES_PER_INCH = 0.0254;
/** Length of the PNG signature plus the IHDR chunk (4 length + 4 type + 13 data + 4 CRC). */
const AFTER_IHDR = 8 + 25;

let crcTable: Uint32Array | undefined;
/** CRC-32 (ISO 3309, the PNG chunk checksum) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The PNG with a `pHYs` chunk saying `dpi` dots per inch (as pixels per metre, rounded), put
 * right after IHDR; an existing `pHYs` is replaced. Throws if `png` is not a PNG.
 */
export function setPngDpi(png: Uint8Array, dpi: number): Buffer {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < AFTER_IHDR || sig.some((b, i) => png[i] !== b)) throw new Error('setPngDpi: png must be a PNG image (bad signature)');
  const chunks: Buffer[] = [];
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at < buf.length; ) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const end = at + 12 + len;
    if (type !== 'pHYs') chunks.push(buf.subarray(at, end));
    at = end;
  }
  const ppm = Math.round(dpi / METRES_PER_INCH);
  const body = Buffer.alloc(4 + 9);
  body.write('pHYs', 0, 'latin1');
  body.writeUInt32BE(ppm, 4);
  body.writeUInt32BE(ppm, 8);
  body.writeUInt8(1, 12); // unit: metre
  const phys = Buffer.alloc(12 + 9);
  phys.writeUInt32BE(9, 0);
  body.copy(phys, 4);
  phys.writeUInt32BE(crc32(body), 4 + 13);
  return Buffer.concat([buf.subarray(0, 8), chunks[0]!, phys, ...chunks.slice(1)]);
}

/**
 * Renders an SVG document to PNG at `dpi` dots per inch (default {@link PRINT_DPI}): SVG user
 * units are CSS px (96 per inch), so the image is the SVG's width × height scaled by dpi / 96,
 * each rounded to whole pixels, on a white background, with the dpi recorded in `pHYs`.
 * resvg is imported on first use. Throws (from resvg) on SVG it cannot parse.
 * @example (await svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="96" height="48"/>')).length > 0 // a 300×150 PNG
 */
export async function svgToPng(svg: string, dpi: number = PRINT_DPI): Promise<Buffer> {
  if (!(Number.isFinite(dpi) && dpi > 0 && dpi <= 2400)) throw new Error(`svgToPng: dpi must be a number in (0, 2400], got ${dpi}`);
  resvg ??= import('@resvg/resvg-js');
  const { Resvg } = await resvg;
  const r = new Resvg(svg, { fitTo: { mode: 'zoom', value: dpi / CSS_PX_PER_INCH }, background: 'white', font: { loadSystemFonts: true } });
  return setPngDpi(r.render().asPng(), dpi);
}

/** Width, height and recorded dpi (from `pHYs`, `null` if absent) of a PNG, read from its header. */
export function pngInfo(png: Uint8Array): { width: number; height: number; dpi: number | null } {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.toString('latin1', 12, 16) !== 'IHDR') throw new Error('pngInfo: png must be a PNG image (no IHDR)');
  let dpi: number | null = null;
  for (let at = 8; at + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(at);
    if (buf.toString('latin1', at + 4, at + 8) === 'pHYs' && buf.readUInt8(at + 16) === 1) dpi = buf.readUInt32BE(at + 8) * METRES_PER_INCH;
    at += 12 + len;
  }
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), dpi };
}
