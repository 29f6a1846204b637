package lib0

import (
	"encoding/binary"
	"math"
)

// Encoder appends lib0 encodings to an internal buffer. The zero value is
// ready to use. An Encoder is not safe for concurrent use.
type Encoder struct {
	buf []byte
}

// NewEncoder returns an Encoder whose buffer has the given initial capacity.
func NewEncoder(capacity int) *Encoder {
	return &Encoder{buf: make([]byte, 0, max(capacity, 0))}
}

// Bytes returns the encoded bytes. The slice aliases the internal buffer and
// is only valid until the next write or Reset.
func (e *Encoder) Bytes() []byte { return e.buf }

// Len returns the number of bytes written so far.
func (e *Encoder) Len() int { return len(e.buf) }

// Reset empties the buffer but keeps its capacity for reuse.
func (e *Encoder) Reset() { e.buf = e.buf[:0] }

// WriteUint8 writes one byte.
func (e *Encoder) WriteUint8(b byte) { e.buf = append(e.buf, b) }

// WriteRaw writes b without a length prefix.
func (e *Encoder) WriteRaw(b []byte) { e.buf = append(e.buf, b...) }

// WriteVarUint writes v in 7-bit groups, lowest group first.
func (e *Encoder) WriteVarUint(v uint64) { e.buf = AppendVarUint(e.buf, v) }

// AppendVarUint appends the varuint encoding of v to dst.
func AppendVarUint(dst []byte, v uint64) []byte {
	for v >= 0x80 {
		dst = append(dst, byte(v)|0x80)
		v >>= 7
	}
	return append(dst, byte(v))
}

// WriteVarInt writes v in lib0's sign-magnitude form: the first byte holds
// a continuation bit, a sign bit and 6 magnitude bits.
func (e *Encoder) WriteVarInt(v int64) {
	mag := uint64(v)
	var sign byte
	if v < 0 {
		// Two's complement negation in uint64 is also right for MinInt64.
		mag = -mag
		sign = 0x40
	}
	e.writeSignMagnitude(sign, mag)
}

// WriteNegativeZero writes the varint "-0" (a single 0x40). lib0 can express
// it because the sign is a separate bit, and Yjs' v2 encoders rely on it.
func (e *Encoder) WriteNegativeZero() { e.buf = append(e.buf, 0x40) }

func (e *Encoder) writeSignMagnitude(sign byte, mag uint64) {
	first := sign | byte(mag&0x3f)
	mag >>= 6
	if mag == 0 {
		e.buf = append(e.buf, first)
		return
	}
	e.buf = AppendVarUint(append(e.buf, first|0x80), mag)
}

// WriteVarString writes the UTF-8 byte length of s and then its bytes. The
// caller guarantees s is valid UTF-8: JavaScript readers reject anything else.
func (e *Encoder) WriteVarString(s string) {
	e.buf = append(AppendVarUint(e.buf, uint64(len(s))), s...)
}

// WriteVarBytes writes the length of b and then its bytes.
func (e *Encoder) WriteVarBytes(b []byte) {
	e.buf = append(AppendVarUint(e.buf, uint64(len(b))), b...)
}

// WriteFloat32 writes f as 4 big-endian IEEE 754 bytes.
func (e *Encoder) WriteFloat32(f float32) {
	e.buf = binary.BigEndian.AppendUint32(e.buf, math.Float32bits(f))
}

// WriteFloat64 writes f as 8 big-endian IEEE 754 bytes.
func (e *Encoder) WriteFloat64(f float64) {
	e.buf = binary.BigEndian.AppendUint64(e.buf, math.Float64bits(f))
}

// WriteBigInt64 writes v as 8 big-endian two's complement bytes.
func (e *Encoder) WriteBigInt64(v int64) {
	e.buf = binary.BigEndian.AppendUint64(e.buf, uint64(v))
}
