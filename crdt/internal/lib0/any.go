package lib0

import (
	"math"
)

// Any tags, as lib0 numbers them (counting down from 127).
const (
	tagUndefined = 127
	tagNull      = 126
	tagInteger   = 125
	tagFloat32   = 124
	tagFloat64   = 123
	tagBigInt    = 122
	tagFalse     = 121
	tagTrue      = 120
	tagString    = 119
	tagObject    = 118
	tagArray     = 117
	tagBytes     = 116
)

// UndefinedType is the type of Undefined.
type UndefinedType struct{}

// Undefined is JavaScript's undefined. Go's nil stands for null.
var Undefined UndefinedType

// BigInt is a JavaScript bigint that fits in 64 bits, the only kind lib0
// encodes.
type BigInt int64

// Object is a JavaScript object with its keys in order. Any values keep the
// order they were decoded in so that re-encoding is byte-exact.
type Object []Field

// Field is one key of an Object.
type Field struct {
	Key   string
	Value any
}

// Get returns the value of key and whether it is present. Should key repeat
// (only an Object built by hand can do that) the last one wins, as it would
// in JavaScript.
func (o Object) Get(key string) (any, bool) {
	for i := len(o) - 1; i >= 0; i-- {
		if o[i].Key == key {
			return o[i].Value, true
		}
	}
	return nil, false
}

// WriteAny writes v as a tagged Any value, byte-exact with lib0's writeAny.
//
// Besides the types ReadAny produces (see ReadAny) it accepts every Go integer
// and float type, map[string]any (keys in JavaScript's Object.keys order:
// array-index keys ascending, then the others sorted, since a Go map has no
// insertion order), []string, and any nesting of these. A number is written
// as JavaScript would write the same number: integers of magnitude up to
// 2^31-1 as varints, values a float32 holds exactly as float32, the rest as
// float64; so integers beyond 2^53 lose precision exactly as they would in
// JavaScript. Values of any other type, and containers nested deeper than
// MaxDepth (which a reader would refuse, and which includes cyclic slices),
// are written as undefined.
func (e *Encoder) WriteAny(v any) { e.writeAny(v, 0) }

func (e *Encoder) writeAny(v any, depth int) {
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, tagNull)
	case UndefinedType:
		e.buf = append(e.buf, tagUndefined)
	case bool:
		if x {
			e.buf = append(e.buf, tagTrue)
		} else {
			e.buf = append(e.buf, tagFalse)
		}
	case string:
		e.buf = append(e.buf, tagString)
		e.WriteVarString(x)
	case int64:
		e.writeInt(x)
	case int:
		e.writeInt(int64(x))
	case float64:
		e.writeNumber(x)
	case Object:
		if depth >= MaxDepth {
			e.buf = append(e.buf, tagUndefined)
			return
		}
		e.buf = append(e.buf, tagObject)
		e.WriteVarUint(uint64(len(x)))
		for _, f := range x {
			e.WriteVarString(f.Key)
			e.writeAny(f.Value, depth+1)
		}
	case []any:
		if depth >= MaxDepth {
			e.buf = append(e.buf, tagUndefined)
			return
		}
		e.buf = append(e.buf, tagArray)
		e.WriteVarUint(uint64(len(x)))
		for _, el := range x {
			e.writeAny(el, depth+1)
		}
	case []byte:
		e.buf = append(e.buf, tagBytes)
		e.WriteVarBytes(x)
	case BigInt:
		e.buf = append(e.buf, tagBigInt)
		e.WriteBigInt64(int64(x))
	case map[string]any:
		if depth >= MaxDepth {
			e.buf = append(e.buf, tagUndefined)
			return
		}
		keys := sortedKeys(x)
		e.buf = append(e.buf, tagObject)
		e.WriteVarUint(uint64(len(keys)))
		for _, k := range keys {
			e.WriteVarString(k)
			e.writeAny(x[k], depth+1)
		}
	case []string:
		if depth >= MaxDepth {
			e.buf = append(e.buf, tagUndefined)
			return
		}
		e.buf = append(e.buf, tagArray)
		e.WriteVarUint(uint64(len(x)))
		for _, s := range x {
			e.buf = append(e.buf, tagString)
			e.WriteVarString(s)
		}
	case float32:
		e.writeNumber(float64(x))
	case int8:
		e.writeInt(int64(x))
	case int16:
		e.writeInt(int64(x))
	case int32:
		e.writeInt(int64(x))
	case uint8:
		e.writeInt(int64(x))
	case uint16:
		e.writeInt(int64(x))
	case uint32:
		e.writeInt(int64(x))
	case uint:
		e.writeUint(uint64(x))
	case uint64:
		e.writeUint(x)
	default:
		e.buf = append(e.buf, tagUndefined)
	}
}

const maxInt31 = 1<<31 - 1

func (e *Encoder) writeInt(n int64) {
	if n >= -maxInt31 && n <= maxInt31 {
		e.buf = append(e.buf, tagInteger)
		e.WriteVarInt(n)
		return
	}
	e.writeNumber(float64(n))
}

func (e *Encoder) writeUint(n uint64) {
	if n <= maxInt31 {
		e.buf = append(e.buf, tagInteger)
		e.WriteVarInt(int64(n))
		return
	}
	e.writeNumber(float64(n))
}

// writeNumber applies lib0's rule for a JavaScript number.
func (e *Encoder) writeNumber(f float64) {
	switch {
	case math.Abs(f) <= maxInt31 && f == math.Trunc(f):
		e.buf = append(e.buf, tagInteger)
		if f == 0 && math.Signbit(f) {
			e.WriteNegativeZero()
		} else {
			e.WriteVarInt(int64(f))
		}
	case float64(float32(f)) == f: // false for NaN, true for ±Inf
		e.buf = append(e.buf, tagFloat32)
		e.WriteFloat32(float32(f))
	default:
		e.buf = append(e.buf, tagFloat64)
		e.WriteFloat64(f)
	}
}

// ReadAny reads a tagged Any value. The Go types produced are:
//
//	undefined          Undefined
//	null               nil
//	boolean            bool
//	string             string
//	integer (tag 125)  int64, but varint -0 gives float64 negative zero
//	float32, float64   float64
//	bigint             BigInt
//	array              []any
//	object             Object, in wire order
//	Uint8Array         []byte (a copy)
//
// A key repeated inside one object keeps its first position and its last
// value, which is what assigning the keys to a JavaScript object gives.
func (d *Decoder) ReadAny() (any, error) { return d.readAny(0) }

func (d *Decoder) readAny(depth int) (any, error) {
	tag, err := d.ReadUint8()
	if err != nil {
		return nil, err
	}
	switch tag {
	case tagUndefined:
		return Undefined, nil
	case tagNull:
		return nil, nil
	case tagInteger:
		n, negZero, err := d.ReadVarInt()
		if err != nil {
			return nil, err
		}
		if negZero {
			return math.Copysign(0, -1), nil
		}
		return n, nil
	case tagFloat32:
		f, err := d.ReadFloat32()
		return float64(f), err
	case tagFloat64:
		return d.ReadFloat64()
	case tagBigInt:
		n, err := d.ReadBigInt64()
		return BigInt(n), err
	case tagFalse:
		return false, nil
	case tagTrue:
		return true, nil
	case tagString:
		return d.ReadVarString()
	case tagObject:
		return d.readObject(depth + 1)
	case tagArray:
		return d.readArray(depth + 1)
	case tagBytes:
		b, err := d.ReadVarBytes()
		if err != nil {
			return nil, err
		}
		return append([]byte(nil), b...), nil
	}
	return nil, ErrUnknownAnyTag
}

// prealloc caps the capacity reserved from an untrusted count, so that the
// memory used grows with the elements actually decoded and not with what a
// count claims (nested claims would otherwise multiply).
func prealloc(n uint64) int { return int(min(n, 64)) }

func (d *Decoder) readArray(depth int) ([]any, error) {
	if depth > MaxDepth {
		return nil, ErrTooDeep
	}
	n, err := d.ReadVarUint()
	if err != nil {
		return nil, err
	}
	if n > uint64(d.Remaining()) { // every element takes at least one byte
		return nil, ErrUnexpectedEOF
	}
	arr := make([]any, 0, prealloc(n))
	for range n {
		v, err := d.readAny(depth)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
	}
	return arr, nil
}

func (d *Decoder) readObject(depth int) (Object, error) {
	if depth > MaxDepth {
		return nil, ErrTooDeep
	}
	n, err := d.ReadVarUint()
	if err != nil {
		return nil, err
	}
	if n > uint64(d.Remaining())/2 { // a key length and a tag at least
		return nil, ErrUnexpectedEOF
	}
	var b objectBuilder
	b.fields = make(Object, 0, prealloc(n))
	for range n {
		k, err := d.ReadVarString()
		if err != nil {
			return nil, err
		}
		v, err := d.readAny(depth)
		if err != nil {
			return nil, err
		}
		b.set(k, v)
	}
	return b.fields, nil
}
