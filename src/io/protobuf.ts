// The Protocol Buffers wire format (https://protobuf.dev/programming-guides/encoding/), as much as
// ONNX needs: varints, 64-bit and 32-bit fixed fields, length-delimited fields, packed repeated
// scalars. The reader trusts nothing: every length is checked against the bytes left in its
// message before it is used, nesting is limited, and nothing is allocated beyond what the bytes
// hold (a bytes field is a view, a packed field yields one value per 4 or 8 bytes read).
import { ModelFormatError } from "../errors.js";

/** Wire types (the low 3 bits of a tag); 3 and 4 are the deprecated groups, 6 and 7 do not exist. */
export const VARINT = 0,
  FIXED64 = 1,
  BYTES = 2,
  FIXED32 = 5;
const WIRE_NAMES = [
  "varint",
  "fixed64",
  "length-delimited",
  "group start",
  "group end",
  "fixed32",
  "invalid (6)",
  "invalid (7)",
];

/** How deep messages may nest; ONNX's non-recursive part is 6 levels deep. */
export const MAX_DEPTH = 32;

const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/**
 * Reads one message: `while (r.next()) switch (r.field) { … default: r.skip(); }`.
 * Errors are ModelFormatErrors that say what was read, where, and what was wrong.
 */
export class ProtobufReader {
  /** the current field's number and wire type, set by next() */
  field = 0;
  wire = 0;
  private pos: number;
  private lo = 0;
  private hi = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    /** the message's name for errors, such as "ModelProto.graph" */
    readonly what: string,
    start = 0,
    private readonly end = bytes.length,
    readonly depth = 0,
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  error(problem: string): ModelFormatError {
    return new ModelFormatError(`malformed protobuf in ${this.what} at byte ${this.pos}: ${problem}`);
  }

  /** Reads the next tag; false at the end of the message. */
  next(): boolean {
    if (this.pos >= this.end) return false;
    this.varint();
    if (this.hi !== 0) throw this.error("a tag larger than 32 bits");
    this.field = this.lo >>> 3;
    this.wire = this.lo & 7;
    if (this.field === 0) throw this.error("field number 0");
    if (this.wire === 3 || this.wire === 4 || this.wire > 5)
      throw this.error(`field ${this.field} has wire type ${WIRE_NAMES[this.wire]}, which ONNX never uses`);
    return true;
  }

  // a base-128 varint of at most 10 bytes into this.lo (bits 0–31) and this.hi (bits 32–63)
  private varint(): void {
    let lo = 0,
      hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw this.error("a varint runs past the end of its message");
      const b = this.bytes[this.pos++]!;
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (i === 9 && b > 1) throw this.error("a varint longer than 64 bits");
      if (b < 0x80) {
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
  }

  private expect(wire: number): void {
    if (this.wire !== wire)
      throw this.error(`field ${this.field} has wire type ${WIRE_NAMES[this.wire]}; expected ${WIRE_NAMES[wire]}`);
  }

  /** An int64/int32/enum field, two's complement; exact up to ±2^53, the nearest double beyond. */
  int64(): number {
    this.expect(VARINT);
    this.varint();
    return (this.hi | 0) * 4294967296 + this.lo;
  }

  /** An int32 or enum field, checked to lie in the 32-bit range. */
  int32(): number {
    const value = this.int64();
    if (value < -2147483648 || value > 2147483647)
      throw this.error(`field ${this.field} is ${value}, outside the int32 range`);
    return value;
  }

  float(): number {
    this.expect(FIXED32);
    const value = this.view.getFloat32(this.take(4), true);
    return value;
  }

  double(): number {
    this.expect(FIXED64);
    return this.view.getFloat64(this.take(8), true);
  }

  // the position of the next n bytes of this message, after checking they are there
  private take(n: number): number {
    if (n > this.end - this.pos)
      throw this.error(`field ${this.field} needs ${n} bytes; ${this.end - this.pos} are left in the message`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  private length(): number {
    this.expect(BYTES);
    this.varint();
    const left = this.end - this.pos;
    if (this.hi !== 0 || this.lo > left)
      throw this.error(
        `field ${this.field} declares ${this.hi * 4294967296 + this.lo} bytes; ${left} are left in the message`,
      );
    return this.lo;
  }

  /** A bytes field, as a view of the input (not copied). */
  bytesField(): Uint8Array {
    const n = this.length();
    const at = this.take(n);
    return this.bytes.subarray(at, at + n);
  }

  string(): string {
    const raw = this.bytesField();
    try {
      return utf8.decode(raw);
    } catch {
      throw this.error(`field ${this.field} is not valid UTF-8`);
    }
  }

  /** A nested message, read by its own reader. */
  message(what: string): ProtobufReader {
    if (this.depth + 1 > MAX_DEPTH) throw this.error(`messages nested more than ${MAX_DEPTH} deep`);
    const n = this.length();
    const at = this.take(n);
    return new ProtobufReader(this.bytes, `${this.what}.${what}`, at, at + n, this.depth + 1);
  }

  /** Skips a field this reader does not use (as protobuf readers must, for compatibility). */
  skip(): void {
    switch (this.wire) {
      case VARINT:
        this.varint();
        break;
      case FIXED64:
        this.take(8);
        break;
      case FIXED32:
        this.take(4);
        break;
      default:
        this.take(this.length());
    }
  }

  /** A repeated int64 field, packed or not: its values are appended to `out`. */
  int64s(out: number[]): void {
    if (this.wire !== BYTES) {
      out.push(this.int64());
      return;
    }
    const inner = this.message("packed");
    inner.field = this.field;
    inner.wire = VARINT;
    while (inner.pos < inner.end) out.push(inner.int64());
  }

  /** A repeated float (fixed32) field, packed or not. */
  floats(out: number[]): void {
    this.fixed(out, FIXED32, 4);
  }

  /** A repeated double (fixed64) field, packed or not. */
  doubles(out: number[]): void {
    this.fixed(out, FIXED64, 8);
  }

  private fixed(out: number[], wire: number, size: number): void {
    if (this.wire !== BYTES) {
      out.push(wire === FIXED32 ? this.float() : this.double());
      return;
    }
    const n = this.length();
    if (n % size !== 0) throw this.error(`packed field ${this.field} has ${n} bytes, not a multiple of ${size}`);
    const at = this.take(n);
    for (let p = at; p < at + n; p += size)
      out.push(size === 4 ? this.view.getFloat32(p, true) : this.view.getFloat64(p, true));
  }
}

/** Writes one message; nested messages are written by a callback and length-prefixed. */
export class ProtobufWriter {
  private buffer = new Uint8Array(64);
  private size = 0;

  private reserve(n: number): void {
    if (this.size + n <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.size + n) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.size));
    this.buffer = grown;
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buffer[this.size++] = b;
  }

  // a non-negative integer ≤ 2^53 as a base-128 varint
  private varint(value: number): void {
    while (value >= 0x80) {
      this.byte((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    this.byte(value);
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** An int64/int32/enum field; negative values take ten bytes (two's complement), as protobuf writes them. */
  int64(field: number, value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf: ${value} is not a safe integer`);
    this.tag(field, VARINT);
    if (value >= 0) return this.varint(value);
    let v = BigInt.asUintN(64, BigInt(value));
    for (let i = 0; i < 9; i++, v >>= 7n) this.byte(Number(v & 0x7fn) | 0x80);
    this.byte(Number(v));
  }

  float(field: number, value: number): void {
    this.tag(field, FIXED32);
    this.reserve(4);
    new DataView(this.buffer.buffer).setFloat32(this.size, value, true);
    this.size += 4;
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, BYTES);
    this.varint(value.length);
    this.reserve(value.length);
    this.buffer.set(value, this.size);
    this.size += value.length;
  }

  string(field: number, value: string): void {
    this.bytes(field, utf8Encoder.encode(value));
  }

  message(field: number, write: (writer: ProtobufWriter) => void): void {
    const inner = new ProtobufWriter();
    write(inner);
    this.bytes(field, inner.finish());
  }

  /** A packed repeated int64 field. */
  packedInt64s(field: number, values: readonly number[]): void {
    const inner = new ProtobufWriter();
    for (const v of values) {
      if (!Number.isSafeInteger(v) || v < 0)
        throw new RangeError(`protobuf: packed ${v} is not a safe non-negative integer`);
      inner.varint(v);
    }
    this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.size);
  }
}
