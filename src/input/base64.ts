// Base64 (RFC 4648, Sec. 4: the standard alphabet, '=' padding) of bytes and of float64
// arrays, written here rather than taken from Buffer or btoa: the same code and the same
// strings in Node and browsers, linear time and no intermediate binary strings (btoa needs
// one of 1 char a byte, and both are missing or slow in one engine or the other). Float64
// values are stored little-endian whatever the host, so statistics encoded on one machine
// decode to the same bits on any other.
import { show } from './scalars.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = new Uint8Array(128).fill(255);
for (let i = 0; i < 64; i++) CODES[ALPHABET.charCodeAt(i)] = i;

/** Characters per string piece: String.fromCharCode takes its arguments on the stack. */
const PIECE = 1 << 15;

const LITTLE_ENDIAN = new Uint8Array(Float64Array.of(1).buffer)[7] === 0x3f;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const chars = new Uint16Array(PIECE);
  let c = 0;
  const flush = () => {
    parts.push(String.fromCharCode(...chars.subarray(0, c)));
    c = 0;
  };
  const n = bytes.length;
  let i = 0;
  for (; i + 3 <= n; i += 3) {
    if (c + 4 > PIECE) flush();
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    chars[c++] = ALPHABET.charCodeAt(v >> 18);
    chars[c++] = ALPHABET.charCodeAt((v >> 12) & 63);
    chars[c++] = ALPHABET.charCodeAt((v >> 6) & 63);
    chars[c++] = ALPHABET.charCodeAt(v & 63);
  }
  if (i < n) {
    if (c + 4 > PIECE) flush();
    const two = i + 1 < n;
    const v = (bytes[i] << 16) | (two ? bytes[i + 1] << 8 : 0);
    chars[c++] = ALPHABET.charCodeAt(v >> 18);
    chars[c++] = ALPHABET.charCodeAt((v >> 12) & 63);
    chars[c++] = two ? ALPHABET.charCodeAt((v >> 6) & 63) : 61;
    chars[c++] = 61;
  }
  flush();
  return parts.join('');
}

/** The bytes of a base64 string; a TypeError naming `name` for anything that is not canonical base64. */
export function base64ToBytes(name: string, s: unknown): Uint8Array {
  if (typeof s !== 'string') throw new TypeError(`${name} must be a base64 string, got ${show(s)}`);
  if (s.length % 4 !== 0) throw new TypeError(`${name} must be base64 (a multiple of 4 characters), got ${s.length} characters`);
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const last = i + 4 === s.length;
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const ch = s.charCodeAt(i + k);
      let code = ch < 128 ? CODES[ch] : 255;
      if (code === 255 && last && ch === 61 && k >= 4 - pad) code = 0;
      if (code === 255) throw new TypeError(`${name} must be base64, got ${show(s.slice(i + k, i + k + 1))} at character ${i + k}`);
      v = (v << 6) | code;
    }
    out[o++] = v >> 16;
    if (o < out.length) out[o++] = (v >> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

/** Little-endian float64 bytes of a, as base64. */
export function float64ToBase64(a: Float64Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return bytesToBase64(LITTLE_ENDIAN ? bytes : swapped(bytes));
}

/** The float64 values of base64 little-endian bytes (a TypeError naming `name` if it is not base64 of whole doubles). */
export function base64ToFloat64(name: string, s: unknown): Float64Array {
  const bytes = base64ToBytes(name, s);
  if (bytes.length % 8 !== 0) throw new TypeError(`${name} must hold whole float64 values, got ${bytes.length} bytes`);
  return new Float64Array((LITTLE_ENDIAN ? bytes : swapped(bytes)).buffer, 0, bytes.length / 8);
}

/** A copy with each 8-byte group reversed (big-endian hosts). */
function swapped(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 8) for (let k = 0; k < 8; k++) out[i + k] = bytes[i + 7 - k];
  return out;
}
