// JSON.stringify(value, null, 2) in pieces of about PIECE_CHARS characters, so that a result
// bigger than one string can be written: V8 strings stop at 2^29 - 24 characters, and the
// model file of a d = 4096 fit (W and sigma: 3.4e7 numbers, one a line) is ~0.85 GB of text.
// The pieces join to exactly JSON.stringify's text (ECMA-262, Sec. 25.5.2.2, SerializeJSONProperty
// with a two-space gap) for the values a result holds: plain objects, arrays, strings, finite
// and non-finite numbers, booleans, null; undefined and function members are left out. Typed
// arrays are written as arrays of their numbers (JSON.stringify writes them as objects), so a
// caller need not copy a d x d Float64Array into a number[] first.

const PIECE_CHARS = 1 << 20;

/** The text of JSON.stringify(value, null, 2), as consecutive strings. */
export function* jsonPieces(value: unknown): Generator<string> {
  let buf: string[] = [];
  let size = 0;
  const out = function* (s: string): Generator<string> {
    buf.push(s);
    size += s.length;
    if (size >= PIECE_CHARS) {
      yield buf.join('');
      buf = [];
      size = 0;
    }
  };
  function* walk(v: unknown, indent: string): Generator<string> {
    if (v === null || typeof v !== 'object') {
      yield* out(JSON.stringify(v) ?? 'null');
      return;
    }
    const inner = `${indent}  `;
    if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) {
      if ((v as ArrayLike<unknown>).length === 0) return yield* out('[]');
      yield* out('[');
      const items = v as ArrayLike<unknown>;
      for (let i = 0; i < items.length; i++) {
        yield* out(i === 0 ? `\n${inner}` : `,\n${inner}`);
        const item = items[i];
        yield* walk(item === undefined || typeof item === 'function' ? null : item, inner);
      }
      return yield* out(`\n${indent}]`);
    }
    const keys = Object.keys(v).filter((k) => {
      const m = (v as Record<string, unknown>)[k];
      return m !== undefined && typeof m !== 'function';
    });
    if (keys.length === 0) return yield* out('{}');
    yield* out('{');
    for (let i = 0; i < keys.length; i++) {
      yield* out(`${i === 0 ? '\n' : ',\n'}${inner}${JSON.stringify(keys[i])}: `);
      yield* walk((v as Record<string, unknown>)[keys[i]], inner);
    }
    yield* out(`\n${indent}}`);
  }
  yield* walk(value, '');
  if (buf.length > 0) yield buf.join('');
}
