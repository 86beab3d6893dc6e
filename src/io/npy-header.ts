// The .npy header (NumPy's format, NEP 1, versions 1.0, 2.0 and 3.0): magic "\x93NUMPY",
// major and minor version bytes, the header length (uint16 LE in 1.x, uint32 LE in 2.x and
// 3.x), then a Python dict literal {'descr': '<f8', 'fortran_order': False, 'shape': (n, d), }
// padded with spaces and a newline (latin-1 in 1.x / 2.x, UTF-8 in 3.x).
//
// This package reads only what it fits: little-endian float64 or float32, 1-D (n,) (d = 1)
// or 2-D (n, d), C order (Fortran order only where it is the same layout: n or d = 1). The
// parser accepts exactly the dict NumPy writes (three keys, literals of those three kinds)
// and says what is wrong with anything else.

export const NPY_MAGIC = '\x93NUMPY';

/** What a valid header says. */
export interface NpyHeader {
  version: [number, number];
  /** '<f8' or '<f4'. */
  descr: '<f8' | '<f4';
  itemSize: 8 | 4;
  shape: number[];
  n: number;
  d: number;
  /** Byte offset of the data: after the magic, the version, the length field and the header. */
  dataOffset: number;
}

/** Bytes to read first: magic, version, and the longer (uint32) length field. */
export const NPY_PREAMBLE = 12;

/** Headers longer than this are refused (NumPy's own default limit is 10000). */
export const MAX_HEADER_BYTES = 1 << 20;

/** From the first 12 bytes: the version, the header's length and where it starts. */
export function npyPreamble(path: string, head: Uint8Array): { version: [number, number]; headerStart: number; headerLength: number } {
  const magic = String.fromCharCode(...head.subarray(0, 6));
  if (head.length < 10 || magic !== NPY_MAGIC) throw new Error(`${path}: not a .npy file (no \\x93NUMPY magic at the start)`);
  const major = head[6];
  const minor = head[7];
  if (major < 1 || major > 3 || minor !== 0) throw new Error(`${path}: .npy format version ${major}.${minor} is not 1.0, 2.0 or 3.0`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (major === 1) return { version: [major, minor], headerStart: 10, headerLength: view.getUint16(8, true) };
  if (head.length < 12) throw new Error(`${path}: the .npy preamble is truncated`);
  return { version: [major, minor], headerStart: 12, headerLength: view.getUint32(8, true) };
}

type PyValue = string | boolean | number[];

/** Parses the header's dict literal: string keys; string, True/False or int-tuple values. */
function parseDict(path: string, text: string): Map<string, PyValue> {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${path}: malformed .npy header (${what} at character ${i}): ${JSON.stringify(text.trim())}`);
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const str = (): string => {
    const q = text[i];
    if (q !== "'" && q !== '"') fail('expected a string');
    const end = text.indexOf(q, i + 1);
    if (end < 0) fail('unterminated string');
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const value = (): PyValue => {
    ws();
    if (text[i] === "'" || text[i] === '"') return str();
    if (text.startsWith('True', i)) return ((i += 4), true);
    if (text.startsWith('False', i)) return ((i += 5), false);
    if (text[i] !== '(') fail('expected a string, True, False or a tuple');
    i++;
    const items: number[] = [];
    for (;;) {
      ws();
      if (text[i] === ')') break;
      const m = /^\d+L?/.exec(text.slice(i));
      if (!m) fail('expected a non-negative integer in the shape');
      items.push(Number(m![0].replace('L', '')));
      i += m![0].length;
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== ')') fail("expected ',' or ')'");
    }
    i++;
    return items;
  };
  const out = new Map<string, PyValue>();
  ws();
  if (text[i] !== '{') fail("expected '{'");
  i++;
  for (;;) {
    ws();
    if (text[i] === '}') break;
    const key = str();
    ws();
    if (text[i] !== ':') fail("expected ':'");
    i++;
    out.set(key, value());
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail("expected ',' or '}'");
  }
  i++;
  ws();
  if (i !== text.length) fail('unexpected text after the dict');
  return out;
}

/**
 * Validates the header text against the file size: dtype, order, shape, and that the data
 * are exactly prod(shape) items long (shorter: truncated; longer: trailing bytes).
 */
export function parseNpyHeader(path: string, version: [number, number], headerStart: number, headerLength: number, text: string, fileBytes: number): NpyHeader {
  const dict = parseDict(path, text);
  for (const key of dict.keys()) {
    if (key !== 'descr' && key !== 'fortran_order' && key !== 'shape') throw new Error(`${path}: unexpected key '${key}' in the .npy header`);
  }
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (typeof descr !== 'string') throw new Error(`${path}: the .npy header has no 'descr' string (a structured dtype?)`);
  if (typeof fortran !== 'boolean') throw new Error(`${path}: the .npy header has no 'fortran_order' True/False`);
  if (!Array.isArray(shape)) throw new Error(`${path}: the .npy header has no 'shape' tuple`);
  if (descr !== '<f8' && descr !== '<f4') {
    const hint = descr === '>f8' || descr === '>f4' ? "big-endian; convert with a.astype('<f8')" : "not float64 or float32; convert with a.astype('<f8')";
    throw new Error(`${path}: dtype '${descr}' is ${hint}`);
  }
  if (shape.length < 1 || shape.length > 2) {
    throw new Error(`${path}: shape (${shape.join(', ')}) is not (n,) or (n, d): the data must be a matrix of n rows`);
  }
  const n = shape[0];
  const d = shape.length === 2 ? shape[1] : 1;
  if (d < 1) throw new Error(`${path}: shape (${shape.join(', ')}) has no columns`);
  if (fortran && n > 1 && d > 1) {
    throw new Error(`${path}: the array is in Fortran (column-major) order; save np.ascontiguousarray(a) instead`);
  }
  const itemSize = descr === '<f8' ? 8 : 4;
  const dataOffset = headerStart + headerLength;
  const expected = dataOffset + n * d * itemSize;
  if (fileBytes < expected) {
    const rows = Math.max(0, Math.floor((fileBytes - dataOffset) / (d * itemSize)));
    throw new Error(`${path}: truncated: shape (${shape.join(', ')}) needs ${expected} bytes, the file has ${fileBytes} (${rows} whole rows)`);
  }
  if (fileBytes > expected) {
    throw new Error(`${path}: ${fileBytes - expected} bytes after the ${n} x ${d} data of the header's shape; not a single .npy array`);
  }
  return { version, descr, itemSize, shape, n, d, dataOffset };
}

/**
 * The header NumPy would write for a C-order (n, d) float64 array: version 1.0 (2.0 when the
 * dict does not fit a uint16 length), padded with spaces and '\n' so the data start at a
 * multiple of 64 bytes.
 */
export function npyHeaderBytes(n: number, d: number): Uint8Array {
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${n}, ${d}), }`;
  for (const [major, pre] of [
    [1, 10],
    [2, 12],
  ] as const) {
    const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
    const headerLength = total - pre;
    if (major === 1 && headerLength > 0xffff) continue;
    const out = new Uint8Array(total);
    out.set([0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), major, 0]);
    const view = new DataView(out.buffer);
    if (major === 1) view.setUint16(8, headerLength, true);
    else view.setUint32(8, headerLength, true);
    const text = dict.padEnd(headerLength - 1, ' ') + '\n';
    for (let i = 0; i < text.length; i++) out[pre + i] = text.charCodeAt(i);
    return out;
  }
  throw new Error('unreachable: a version 2.0 header fits any shape');
}
