package lib0

import (
	"encoding/binary"
	"math"
	"unicode/utf8"
)

// Decoder reads lib0 encodings from a byte slice. It never panics, whatever
// the input; after an error its position is unspecified. A Decoder is not
// safe for concurrent use.
type Decoder struct {
	buf []byte
	pos int
}

// NewDecoder returns a Decoder reading b from the start. b is not copied.
func NewDecoder(b []byte) *Decoder { return &Decoder{buf: b} }

// Reset makes d read b from its start. A Decoder declared as a value and
// Reset avoids an allocation on hot paths.
func (d *Decoder) Reset(b []byte) { d.buf, d.pos = b, 0 }

// Pos returns the offset of the next byte to read.
func (d *Decoder) Pos() int { return d.pos }

// Remaining returns the number of unread bytes.
func (d *Decoder) Remaining() int { return len(d.buf) - d.pos }

// ReadUint8 reads one byte.
func (d *Decoder) ReadUint8() (byte, error) {
	if d.pos >= len(d.buf) {
		return 0, ErrUnexpectedEOF
	}
	b := d.buf[d.pos]
	d.pos++
	return b, nil
}

// ReadRaw returns the next n bytes as a sub-slice of the input (no copy).
func (d *Decoder) ReadRaw(n int) ([]byte, error) {
	if n < 0 || n > d.Remaining() {
		return nil, ErrUnexpectedEOF
	}
	b := d.buf[d.pos : d.pos+n : d.pos+n]
	d.pos += n
	return b, nil
}

// ReadVarUint reads a varuint. Values above MaxSafeInteger fail with
// ErrIntOverflow; redundant zero groups are accepted, as lib0 does.
func (d *Decoder) ReadVarUint() (uint64, error) {
	if d.pos < len(d.buf) && d.buf[d.pos] < 0x80 {
		b := d.buf[d.pos]
		d.pos++
		return uint64(b), nil
	}
	return d.readGroups(0, 0)
}

// readGroups continues a varuint whose first shift bits are already in v.
func (d *Decoder) readGroups(v uint64, shift uint) (uint64, error) {
	buf, pos := d.buf, d.pos
	for pos < len(buf) {
		b := buf[pos]
		pos++
		if p := uint64(b & 0x7f); p != 0 {
			// MaxSafeInteger is all ones, so the OR stays in range exactly
			// when the new group fits below bit 53.
			if shift >= 53 || p > MaxSafeInteger>>shift {
				d.pos = pos
				return 0, ErrIntOverflow
			}
			v |= p << shift
		}
		if b < 0x80 {
			d.pos = pos
			return v, nil
		}
		shift += 7
	}
	d.pos = pos
	return 0, ErrUnexpectedEOF
}

// ReadVarInt reads a sign-magnitude varint. negZero reports the encoding of
// "-0" (v is then 0), which JavaScript keeps as a distinct number.
func (d *Decoder) ReadVarInt() (v int64, negZero bool, err error) {
	b, err := d.ReadUint8()
	if err != nil {
		return 0, false, err
	}
	mag := uint64(b & 0x3f)
	if b&0x80 != 0 {
		if mag, err = d.readGroups(mag, 6); err != nil {
			return 0, false, err
		}
	}
	if b&0x40 != 0 {
		return -int64(mag), mag == 0, nil
	}
	return int64(mag), false, nil
}

// ReadVarBytes reads a length-prefixed byte array and returns a sub-slice of
// the input (no copy).
func (d *Decoder) ReadVarBytes() ([]byte, error) {
	n, err := d.ReadVarUint()
	if err != nil {
		return nil, err
	}
	if n > uint64(d.Remaining()) {
		return nil, ErrUnexpectedEOF
	}
	return d.ReadRaw(int(n))
}

// ReadVarString reads a length-prefixed UTF-8 string. Invalid UTF-8 fails
// with ErrInvalidUTF8 because JavaScript's fatal TextDecoder rejects it, and
// accepting it would let one peer store data every other peer refuses.
func (d *Decoder) ReadVarString() (string, error) {
	b, err := d.ReadVarBytes()
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		return "", ErrInvalidUTF8
	}
	return string(b), nil
}

// ReadFloat32 reads 4 big-endian IEEE 754 bytes.
func (d *Decoder) ReadFloat32() (float32, error) {
	b, err := d.ReadRaw(4)
	if err != nil {
		return 0, err
	}
	return math.Float32frombits(binary.BigEndian.Uint32(b)), nil
}

// ReadFloat64 reads 8 big-endian IEEE 754 bytes.
func (d *Decoder) ReadFloat64() (float64, error) {
	b, err := d.ReadRaw(8)
	if err != nil {
		return 0, err
	}
	return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
}

// ReadBigInt64 reads 8 big-endian two's complement bytes.
func (d *Decoder) ReadBigInt64() (int64, error) {
	b, err := d.ReadRaw(8)
	if err != nil {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}
