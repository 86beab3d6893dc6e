// The files are little-endian; typed arrays use the machine's order. Every mainstream
// Node platform is little-endian, but a big-endian one (s390x) would silently read garbage,
// so the readers and writers swap bytes there instead.

/** True when typed arrays on this machine are little-endian. */
export const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Reverses each `width`-byte group of bytes[0 .. length) in place. */
export function swapBytes(bytes: Uint8Array, width: 4 | 8, length = bytes.length): void {
  for (let i = 0; i + width <= length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}
