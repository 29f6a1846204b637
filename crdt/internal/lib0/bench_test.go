package lib0

import (
	"strings"
	"testing"
)

func BenchmarkWriteVarUint(b *testing.B) {
	e := NewEncoder(1 << 16)
	b.ReportAllocs()
	for b.Loop() {
		e.Reset()
		for v := uint64(1); v < 1<<53; v <<= 3 {
			e.WriteVarUint(v)
		}
	}
}

func BenchmarkReadVarUint(b *testing.B) {
	var e Encoder
	for v := uint64(1); v < 1<<53; v <<= 3 {
		e.WriteVarUint(v)
	}
	in := e.Bytes()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		d := NewDecoder(in)
		for d.Remaining() > 0 {
			if _, err := d.ReadVarUint(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkReadVarString(b *testing.B) {
	var e Encoder
	e.WriteVarString(strings.Repeat("hello, wörld ", 8))
	in := e.Bytes()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewDecoder(in).ReadVarString(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadAny(b *testing.B) {
	in := encodeAny(Object{{"bold", true}, {"size", int64(12)}, {"color", "#ff0000"}, {"list", []any{1.5, "x", nil}}})
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewDecoder(in).ReadAny(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteAny(b *testing.B) {
	v := Object{{"bold", true}, {"size", int64(12)}, {"color", "#ff0000"}, {"list", []any{1.5, "x", nil}}}
	e := NewEncoder(256)
	b.ReportAllocs()
	for b.Loop() {
		e.Reset()
		e.WriteAny(v)
	}
}
