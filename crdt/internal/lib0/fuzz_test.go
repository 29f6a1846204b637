package lib0

import (
	"bytes"
	"math"
	"testing"
)

func FuzzReadAny(f *testing.F) {
	f.Add(unhex(f, digestAnyVector))
	f.Add(unhex(f, "76 03 01 61 7d 01 01 62 7d 02 01 61 7d 03"))
	f.Add(unhex(f, "75 03 7d 40 7a 00 00 00 00 00 00 00 07 74 02 ff 00"))
	f.Add(unhex(f, "75 80 80 80 80 80 80 80 10"))
	f.Add(unhex(f, "77 03 ed a0 80"))
	f.Add(append(bytes.Repeat([]byte{tagArray, 1}, MaxDepth), tagUndefined))
	f.Add(encodeAny(Object{{"10", []any{math.NaN(), math.Inf(-1), 1e300, "ü"}}, {"", BigInt(-1)}}))
	f.Fuzz(func(t *testing.T, in []byte) {
		d := NewDecoder(in)
		v, err := d.ReadAny()
		if err != nil {
			return
		}
		if d.Pos() > len(in) || d.Remaining() < 0 {
			t.Fatalf("position %d out of %d", d.Pos(), len(in))
		}
		b := encodeAny(v)
		w, err := NewDecoder(b).ReadAny()
		if err != nil {
			t.Fatalf("re-encoded value does not decode: %v\n% x", err, b)
		}
		if !Equal(v, w) {
			t.Fatalf("round trip changed the value:\n%#v\n%#v", v, w)
		}
		// After one pass the encoding is canonical.
		if again := encodeAny(w); !bytes.Equal(again, b) {
			t.Fatalf("encoding not stable:\n% x\n% x", b, again)
		}
		_ = AppendJSON(nil, v) // must not panic on any decodable value
	})
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range differentialJSON {
		f.Add(s)
	}
	f.Add("undefined")
	f.Add(`{"a":[1,{"b":"\ud800"}],"0":-0}`)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseJSON(s)
		if err != nil {
			return
		}
		text := AppendJSON(nil, v)
		w, err := ParseJSON(string(text))
		if err != nil {
			t.Fatalf("output of AppendJSON does not parse: %v\n%s", err, text)
		}
		// ±Inf (from literals like 1e400) becomes null, as in JavaScript; -0
		// becomes 0. Otherwise the value survives; the text is stable anyway.
		if !hasNonFinite(v) && !Equal(v, w) {
			t.Fatalf("round trip changed the value:\n%#v\n%#v", v, w)
		}
		if again := AppendJSON(nil, w); !bytes.Equal(again, text) {
			t.Fatalf("JSON text not stable:\n%s\n%s", text, again)
		}
		// Every parsed value is also a valid Any.
		b := encodeAny(v)
		if a, err := NewDecoder(b).ReadAny(); err != nil || !Equal(a, v) {
			t.Fatalf("Any round trip of parsed JSON: %v\n%#v\n%#v", err, v, a)
		}
	})
}

func hasNonFinite(v any) bool {
	switch x := v.(type) {
	case float64:
		return math.IsInf(x, 0) || math.IsNaN(x)
	case []any:
		for _, el := range x {
			if hasNonFinite(el) {
				return true
			}
		}
	case Object:
		for _, f := range x {
			if hasNonFinite(f.Value) {
				return true
			}
		}
	}
	return false
}
