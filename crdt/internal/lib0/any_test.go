package lib0

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// The digest's observed content of yarray.insert(0, [-1, 1.5, 0.1, 2**31,
// 2**40, true, false, null, 'x', [1], {a:1}]).
const digestAnyVector = "7d 41 | 7c 3f c0 00 00 | 7b 3f b9 99 99 99 99 99 9a | 7c 4f 00 00 00 | 7c 53 80 00 00 | 78 | 79 | 7e | 77 01 78 | 75 01 7d 01 | 76 01 01 61 7d 01"

func TestAnyDigestVector(t *testing.T) {
	t.Parallel()
	values := []any{int64(-1), 1.5, 0.1, int64(1 << 31), float64(1 << 40), true, false, nil, "x", []any{int64(1)}, Object{{"a", int64(1)}}}
	want := unhex(t, digestAnyVector)

	var e Encoder
	for _, v := range values {
		e.WriteAny(v)
	}
	if !bytes.Equal(e.Bytes(), want) {
		t.Fatalf("WriteAny:\n got % x\nwant % x", e.Bytes(), want)
	}

	d := NewDecoder(want)
	for i, v := range values {
		got, err := d.ReadAny()
		if err != nil {
			t.Fatalf("value %d: %v", i, err)
		}
		if !Equal(got, v) {
			t.Errorf("value %d: got %#v, want %#v", i, got, v)
		}
	}
	if d.Remaining() != 0 {
		t.Errorf("%d bytes left", d.Remaining())
	}
}

func TestWriteAnyNumberTags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		v    any
		hex  string
	}{
		{"int 0", 0, "7d 00"},
		{"float -0", math.Copysign(0, -1), "7d 40"},
		{"float integral", 42.0, "7d 2a"},
		{"2^31-1", int64(maxInt31), "7d bf ff ff ff 0f"},
		{"-(2^31-1)", int64(-maxInt31), "7d ff ff ff ff 0f"},
		{"2^31 as float", float64(1 << 31), "7c 4f 00 00 00"},
		{"-2^31", int32(math.MinInt32), "7c cf 00 00 00"},
		{"2^40 uint64", uint64(1 << 40), "7c 53 80 00 00"},
		{"+Inf", math.Inf(1), "7c 7f 80 00 00"},
		{"-Inf", math.Inf(-1), "7c ff 80 00 00"},
		{"float32 1.5", float32(1.5), "7c 3f c0 00 00"},
		{"0.1", 0.1, "7b 3f b9 99 99 99 99 99 9a"},
		{"2^53-1", int64(MaxSafeInteger), "7b 43 3f ff ff ff ff ff ff"},
		{"NaN", math.NaN(), "7b 7f f8 00 00 00 00 00 01"},
		{"bigint", BigInt(-2), "7a ff ff ff ff ff ff ff fe"},
		{"uint8", uint8(200), "7d 88 03"},
		{"int8", int8(-3), "7d 43"},
	} {
		got := encodeAny(tc.v)
		want := unhex(t, tc.hex)
		if tc.name == "NaN" { // NaN payload bits vary; only the tag and exponent matter
			if len(got) != 9 || got[0] != tagFloat64 || !math.IsNaN(math.Float64frombits(uint64FromBE(got[1:]))) {
				t.Errorf("NaN: % x", got)
			}
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: got % x, want % x", tc.name, got, want)
		}
	}
}

func uint64FromBE(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

func TestWriteAnyConvenienceTypes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		v    any
		hex  string
	}{
		{"map in JS key order", map[string]any{"b": 1, "10": 2, "a": true, "2": nil}, "76 04 | 01 32 7e | 02 31 30 7d 02 | 01 61 78 | 01 62 7d 01"},
		{"string slice", []string{"a", ""}, "75 02 77 01 61 77 00"},
		{"bytes", []byte{9, 8}, "74 02 09 08"},
		{"undefined", Undefined, "7f"},
		{"unsupported type", struct{}{}, "7f"},
		{"unsupported pointer", new(int), "7f"},
		{"nested", []any{Object{{"k", []any{Undefined}}}}, "75 01 76 01 01 6b 75 01 7f"},
	} {
		if got, want := encodeAny(tc.v), unhex(t, tc.hex); !bytes.Equal(got, want) {
			t.Errorf("%s: got % x, want % x", tc.name, got, want)
		}
	}
}

func TestWriteAnyCycleDoesNotRecurseForever(t *testing.T) {
	t.Parallel()
	cyclic := make([]any, 1)
	cyclic[0] = cyclic
	b := encodeAny(cyclic)
	if len(b) != 2*MaxDepth+1 || b[len(b)-1] != tagUndefined {
		t.Fatalf("got %d bytes ending in %x", len(b), b[len(b)-1])
	}
	if _, err := NewDecoder(b).ReadAny(); err != nil {
		t.Fatalf("what WriteAny cut off must decode: %v", err)
	}
}

func TestReadAnyTypes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		hex  string
		want any
	}{
		{"undefined", "7f", Undefined},
		{"-0 stays a float", "7d 40", math.Copysign(0, -1)},
		{"float32 widened", "7c 3f c0 00 00", 1.5},
		{"bigint", "7a 00 00 00 00 00 00 00 07", BigInt(7)},
		{"bytes copied", "74 01 ff", []byte{0xff}},
		{"duplicate key: first position, last value", "76 03 01 61 7d 01 01 62 7d 02 01 61 7d 03", Object{{"a", int64(3)}, {"b", int64(2)}}},
	} {
		got, err := NewDecoder(unhex(t, tc.hex)).ReadAny()
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !Equal(got, tc.want) {
			t.Errorf("%s: got %#v, want %#v", tc.name, got, tc.want)
		}
		if o, ok := tc.want.(Object); ok {
			if g := got.(Object); len(g) != len(o) || g[0].Key != o[0].Key {
				t.Errorf("%s: key order %v", tc.name, g)
			}
		}
	}
	if f, _ := NewDecoder(unhex(t, "7d 40")).ReadAny(); !math.Signbit(f.(float64)) {
		t.Error("-0 lost its sign")
	}
	in := unhex(t, "74 01 ff")
	b, _ := NewDecoder(in).ReadAny()
	in[2] = 0
	if b.([]byte)[0] != 0xff {
		t.Error("Uint8Array aliases the input")
	}
}

func TestReadAnyErrors(t *testing.T) {
	t.Parallel()
	deep := bytes.Repeat([]byte{tagArray, 1}, MaxDepth+1)
	deep = append(deep, tagNull)
	okDeep := append(bytes.Repeat([]byte{tagArray, 1}, MaxDepth), tagNull)
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrUnexpectedEOF},
		{"unknown tag", []byte{0x73}, ErrUnknownAnyTag},
		{"tag zero", []byte{0}, ErrUnknownAnyTag},
		{"truncated float64", unhex(t, "7b 00 00"), ErrUnexpectedEOF},
		{"array count beyond input", unhex(t, "75 ff ff ff 7f 7e"), ErrUnexpectedEOF},
		{"object count beyond input", unhex(t, "76 03 01 61 7e"), ErrUnexpectedEOF},
		{"array count 2^53", unhex(t, "75 80 80 80 80 80 80 80 10"), ErrIntOverflow},
		{"bad utf-8 key", unhex(t, "76 01 01 ff 7e"), ErrInvalidUTF8},
		{"bad utf-8 string", unhex(t, "77 01 c3"), ErrInvalidUTF8},
		{"too deep", deep, ErrTooDeep},
		{"deep object", append(bytes.Repeat([]byte{tagObject, 1, 0}, MaxDepth+1), tagNull), ErrTooDeep},
	} {
		if _, err := NewDecoder(tc.in).ReadAny(); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := NewDecoder(okDeep).ReadAny(); err != nil {
		t.Errorf("MaxDepth levels must decode: %v", err)
	}
}

func TestAnyRoundTrip(t *testing.T) {
	t.Parallel()
	values := []any{
		nil, Undefined, true, false, "", "ünïcødé \u2028 😀", int64(0), int64(-maxInt31), int64(1 << 31),
		math.Copysign(0, -1), 1e300, math.Inf(-1), BigInt(math.MinInt64), []byte{}, []byte{0, 255},
		[]any{}, Object{}, Object{{"z", Object{{"10", []any{nil, Undefined, "s"}}}}, {"a", 2.5}},
	}
	for _, v := range values {
		b := encodeAny(v)
		got, err := NewDecoder(b).ReadAny()
		if err != nil {
			t.Errorf("%#v: %v", v, err)
			continue
		}
		if !Equal(got, v) {
			t.Errorf("%#v: decoded %#v", v, got)
		}
		if again := encodeAny(got); !bytes.Equal(again, b) {
			t.Errorf("%#v: re-encoded % x, first % x", v, again, b)
		}
	}
}

func TestEqual(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b any
		want bool
	}{
		{int64(1), 1.0, true},
		{int64(1), BigInt(1), false},
		{math.NaN(), math.NaN(), true},
		{0.0, math.Copysign(0, -1), true},
		{nil, Undefined, false},
		{"a", "a", true},
		{[]any{"a"}, []string{"a"}, true},
		{[]any{"a"}, []any{"a", "b"}, false},
		{Object{{"a", 1}, {"b", 2}}, map[string]any{"b": 2.0, "a": int64(1)}, true},
		{Object{{"a", 1}}, Object{{"b", 1}}, false},
		{Object{{"a", 1}}, Object{{"a", 1}, {"b", 1}}, false},
		{Object{}, map[string]any(nil), true},
		{[]byte{1}, []any{int64(1)}, false},
		{[]byte{1}, []byte{1}, true},
		{true, 1, false},
	} {
		if got := Equal(tc.a, tc.b); got != tc.want {
			t.Errorf("Equal(%#v, %#v) = %v", tc.a, tc.b, got)
		}
		if got := Equal(tc.b, tc.a); got != tc.want {
			t.Errorf("Equal(%#v, %#v) = %v", tc.b, tc.a, got)
		}
	}
	if v, ok := (Object{{"a", 1}, {"a", 2}}).Get("a"); !ok || v != 2 {
		t.Errorf("Get on a repeated key = %v, %v", v, ok)
	}
	if _, ok := (Object{}).Get("a"); ok {
		t.Error("Get on empty Object found a key")
	}
}
