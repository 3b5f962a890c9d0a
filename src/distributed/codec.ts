/**
 * A compact wire format for values that cross Redis: what a parallelRun method returns, its
 * args, the template's values. Typed arrays and ArrayBuffers travel as raw bytes, everything else
 * as JSON with small tags for what JSON cannot say (undefined, NaN, ±Infinity, -0, bigint, Date,
 * RegExp, Map, Set, Error, array holes). Layout: [u32 LE header length][header JSON, UTF-8][padding to 8][blobs, each
 * 8-byte aligned]. Bytes are in the machine's order (little-endian on every platform Node runs on).
 * `encodeText`/`decodeText` wrap the same bytes in base64 for places that take strings (job data).
 */
import { SpikeworldError } from '../errors.js';

const TYPED = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedName = keyof typeof TYPED;

const ERRORS = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError } as const;

const TAG = '$sw';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function encode(value: unknown): Buffer {
  const blobs: Uint8Array[] = [];
  let offset = 0;
  const addBlob = (bytes: Uint8Array): { o: number; n: number } => {
    const at = offset;
    blobs.push(bytes);
    offset += bytes.byteLength;
    const pad = (8 - (offset % 8)) % 8;
    if (pad) {
      blobs.push(new Uint8Array(pad));
      offset += pad;
    }
    return { o: at, n: bytes.byteLength };
  };
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): Json => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        if (Number.isFinite(v) && !Object.is(v, -0)) return v;
        return { [TAG]: 'num', v: Object.is(v, -0) ? '-0' : String(v) };
      case 'undefined':
        return { [TAG]: 'undef' };
      case 'bigint':
        return { [TAG]: 'bigint', v: v.toString() };
      case 'function':
      case 'symbol':
        throw new SpikeworldError(`cannot send ${path} over Redis: it is a ${typeof v}`);
    }
    if (v === null) return null;
    const obj = v as object;
    if (ArrayBuffer.isView(obj)) {
      // instanceof, not the constructor's name: a Buffer travels as the Uint8Array it is.
      const name = (Object.keys(TYPED) as TypedName[]).find((n) => obj instanceof TYPED[n]);
      const bytes = new Uint8Array(obj.buffer, obj.byteOffset, obj.byteLength);
      if (name) return { [TAG]: 'ta', t: name, ...addBlob(bytes) };
      if (obj instanceof DataView) return { [TAG]: 'dv', ...addBlob(bytes) };
      throw new SpikeworldError(`cannot send ${path} over Redis: unknown array view ${obj.constructor.name}`);
    }
    if (obj instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && obj instanceof SharedArrayBuffer)) {
      return { [TAG]: 'ab', ...addBlob(new Uint8Array(obj)) };
    }
    if (seen.has(obj)) throw new SpikeworldError(`cannot send ${path} over Redis: it refers to itself (a cycle)`);
    seen.add(obj);
    try {
      if (Array.isArray(obj)) {
        // A hole stays a hole, as in structured clone (not an undefined element).
        const out = new Array<Json>(obj.length);
        for (let i = 0; i < obj.length; i++) out[i] = i in obj ? walk(obj[i], `${path}[${i}]`) : { [TAG]: 'hole' };
        return out;
      }
      if (obj instanceof Date) return { [TAG]: 'date', v: obj.getTime() };
      if (obj instanceof RegExp) return { [TAG]: 're', source: obj.source, flags: obj.flags };
      if (obj instanceof Map) return { [TAG]: 'map', v: [...obj].map(([k, x], i) => [walk(k, `${path}.key${i}`), walk(x, `${path}.get(${i})`)]) };
      if (obj instanceof Set) return { [TAG]: 'set', v: [...obj].map((x, i) => walk(x, `${path}.item${i}`)) };
      if (obj instanceof Error) return { [TAG]: 'err', name: obj.name, message: obj.message, stack: obj.stack ?? '' };
      const out: Record<string, Json> = {};
      for (const [k, x] of Object.entries(obj)) out[k] = walk(x, `${path}.${k}`);
      return TAG in out ? { [TAG]: 'obj', v: out } : out;
    } finally {
      seen.delete(obj);
    }
  };
  const header = Buffer.from(JSON.stringify(walk(value, 'the value')), 'utf8');
  const headPad = (8 - ((4 + header.byteLength) % 8)) % 8;
  const out = Buffer.allocUnsafe(4 + header.byteLength + headPad + offset);
  out.writeUInt32LE(header.byteLength, 0);
  header.copy(out, 4);
  out.fill(0, 4 + header.byteLength, 4 + header.byteLength + headPad);
  let at = 4 + header.byteLength + headPad;
  for (const b of blobs) {
    out.set(b, at);
    at += b.byteLength;
  }
  return out;
}

export function decode(bytes: Uint8Array): unknown {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.byteLength < 4) throw new SpikeworldError('decode: not a spikeworld value (too short)');
  const headLength = buf.readUInt32LE(0);
  if (4 + headLength > buf.byteLength) throw new SpikeworldError('decode: not a spikeworld value (bad header length)');
  const base = 4 + headLength + ((8 - ((4 + headLength) % 8)) % 8);
  const blob = (o: number, n: number): ArrayBuffer => {
    const copy = new ArrayBuffer(n);
    new Uint8Array(copy).set(buf.subarray(base + o, base + o + n));
    return copy;
  };
  const walk = (j: Json): unknown => {
    if (j === null || typeof j !== 'object') return j;
    if (Array.isArray(j)) {
      const out = new Array<unknown>(j.length);
      j.forEach((x, i) => {
        if (!(x !== null && typeof x === 'object' && !Array.isArray(x) && x[TAG] === 'hole')) out[i] = walk(x);
      });
      return out;
    }
    const tag = j[TAG];
    if (tag === undefined) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(j)) out[k] = walk(x);
      return out;
    }
    const t = j as Record<string, Json>;
    switch (tag) {
      case 'num':
        return t['v'] === '-0' ? -0 : Number(t['v']);
      case 'undef':
        return undefined;
      case 'bigint':
        return BigInt(t['v'] as string);
      case 'ta': {
        const Ctor = TYPED[t['t'] as TypedName];
        if (!Ctor) throw new SpikeworldError(`decode: unknown typed array ${String(t['t'])}`);
        return new Ctor(blob(t['o'] as number, t['n'] as number));
      }
      case 'dv':
        return new DataView(blob(t['o'] as number, t['n'] as number));
      case 'ab':
        return blob(t['o'] as number, t['n'] as number);
      case 'date':
        return new Date(t['v'] as number);
      case 're':
        return new RegExp(t['source'] as string, t['flags'] as string);
      case 'map':
        return new Map((t['v'] as Json[][]).map(([k, x]) => [walk(k as Json), walk(x as Json)]));
      case 'set':
        return new Set((t['v'] as Json[]).map(walk));
      case 'err': {
        // Like structured clone: the built-in error classes by name, Error otherwise.
        const Ctor = ERRORS[t['name'] as keyof typeof ERRORS] ?? Error;
        const e = new Ctor(t['message'] as string);
        e.stack = t['stack'] as string;
        return e;
      }
      case 'obj': {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(t['v'] as Record<string, Json>)) out[k] = walk(x);
        return out;
      }
      default:
        throw new SpikeworldError(`decode: unknown tag ${String(tag)}`);
    }
  };
  return walk(JSON.parse(buf.toString('utf8', 4, 4 + headLength)) as Json);
}

/** The same bytes as base64, for string fields (BullMQ job data). */
export function encodeText(value: unknown): string {
  return encode(value).toString('base64');
}

export function decodeText(text: string): unknown {
  return decode(Buffer.from(text, 'base64'));
}
