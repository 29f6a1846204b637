package lib0

import (
	"bytes"
	"errors"
	"testing"
)

func TestVarUintVectors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v   uint64
		hex string
	}{
		{0, "00"},
		{127, "7f"},
		{128, "80 01"},
		{300, "ac 02"},
		{4100403335, "87 e1 9c a3 0f"},
		{MaxSafeInteger, "ff ff ff ff ff ff ff 0f"},
	} {
		want := unhex(t, tc.hex)
		var e Encoder
		e.WriteVarUint(tc.v)
		if !bytes.Equal(e.Bytes(), want) {
			t.Errorf("WriteVarUint(%d) = % x, want % x", tc.v, e.Bytes(), want)
		}
		d := NewDecoder(want)
		got, err := d.ReadVarUint()
		if err != nil || got != tc.v || d.Remaining() != 0 {
			t.Errorf("ReadVarUint(% x) = %d, %v (remaining %d), want %d", want, got, err, d.Remaining(), tc.v)
		}
	}
}

func TestReadVarUintErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		hex  string
		want error
	}{
		{"empty", "", ErrUnexpectedEOF},
		{"truncated", "80", ErrUnexpectedEOF},
		{"truncated long", "ff ff ff", ErrUnexpectedEOF},
		{"2^53", "80 80 80 80 80 80 80 10", ErrIntOverflow},
		{"2^64", "80 80 80 80 80 80 80 80 80 02", ErrIntOverflow},
		{"bit beyond 53 in a late group", "80 80 80 80 80 80 80 80 80 80 01", ErrIntOverflow},
	} {
		_, err := NewDecoder(unhex(t, tc.hex)).ReadVarUint()
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	// lib0 accepts redundant zero groups; so do we.
	if v, err := NewDecoder(unhex(t, "80 80 80 80 80 80 80 80 80 80 00")).ReadVarUint(); err != nil || v != 0 {
		t.Errorf("redundant zero groups: %d, %v", v, err)
	}
}

func TestVarIntVectors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v   int64
		hex string
	}{
		{0, "00"},
		{1, "01"},
		{-1, "41"},
		{63, "3f"},
		{64, "80 01"},
		{-200, "c8 03"},
		{-MaxSafeInteger, "ff ff ff ff ff ff ff 1f"},
	} {
		want := unhex(t, tc.hex)
		var e Encoder
		e.WriteVarInt(tc.v)
		if !bytes.Equal(e.Bytes(), want) {
			t.Errorf("WriteVarInt(%d) = % x, want % x", tc.v, e.Bytes(), want)
		}
		got, negZero, err := NewDecoder(want).ReadVarInt()
		if err != nil || got != tc.v || negZero {
			t.Errorf("ReadVarInt(% x) = %d, %v, %v; want %d", want, got, negZero, err, tc.v)
		}
	}

	var e Encoder
	e.WriteNegativeZero()
	if !bytes.Equal(e.Bytes(), []byte{0x40}) {
		t.Errorf("WriteNegativeZero = % x, want 40", e.Bytes())
	}
	if v, negZero, err := NewDecoder([]byte{0x40}).ReadVarInt(); v != 0 || !negZero || err != nil {
		t.Errorf("ReadVarInt(40) = %d, %v, %v; want -0", v, negZero, err)
	}
	for _, bad := range []string{"", "80", "c0 80", "ff ff ff ff ff ff ff 3f"} {
		if _, _, err := NewDecoder(unhex(t, bad)).ReadVarInt(); err == nil {
			t.Errorf("ReadVarInt(%s) succeeded", bad)
		}
	}
}

func TestVarIntRoundTrip(t *testing.T) {
	t.Parallel()
	for _, v := range []int64{0, 1, -1, 63, -63, 64, -64, 8191, 8192, -8193, 1 << 31, -(1 << 40), MaxSafeInteger, -MaxSafeInteger} {
		var e Encoder
		e.WriteVarInt(v)
		got, _, err := NewDecoder(e.Bytes()).ReadVarInt()
		if err != nil || got != v {
			t.Errorf("round trip %d: got %d, %v", v, got, err)
		}
	}
	for v := uint64(1); v <= MaxSafeInteger; v = v*3 + 1 {
		var e Encoder
		e.WriteVarUint(v)
		got, err := NewDecoder(e.Bytes()).ReadVarUint()
		if err != nil || got != v {
			t.Errorf("round trip %d: got %d, %v", v, got, err)
		}
	}
}

func TestStringsAndBytes(t *testing.T) {
	t.Parallel()
	var e Encoder
	e.WriteVarString("héllo 😀")
	e.WriteVarBytes([]byte{1, 2, 3})
	e.WriteVarString("")
	want := append(append([]byte{11}, "héllo 😀"...), 3, 1, 2, 3, 0)
	if !bytes.Equal(e.Bytes(), want) {
		t.Fatalf("encoded % x, want % x", e.Bytes(), want)
	}
	d := NewDecoder(e.Bytes())
	if s, err := d.ReadVarString(); s != "héllo 😀" || err != nil {
		t.Errorf("ReadVarString = %q, %v", s, err)
	}
	if b, err := d.ReadVarBytes(); !bytes.Equal(b, []byte{1, 2, 3}) || err != nil {
		t.Errorf("ReadVarBytes = %v, %v", b, err)
	}
	if s, err := d.ReadVarString(); s != "" || err != nil || d.Remaining() != 0 {
		t.Errorf("empty ReadVarString = %q, %v", s, err)
	}

	for _, tc := range []struct {
		name string
		hex  string
		want error
	}{
		{"length past end", "05 61 62", ErrUnexpectedEOF},
		{"huge length", "ff ff ff ff 0f 61", ErrUnexpectedEOF},
		{"lone continuation byte", "01 80", ErrInvalidUTF8},
		{"encoded surrogate", "03 ed a0 80", ErrInvalidUTF8},
		{"overlong slash", "02 c0 af", ErrInvalidUTF8},
		{"truncated sequence", "02 e2 82", ErrInvalidUTF8},
	} {
		if _, err := NewDecoder(unhex(t, tc.hex)).ReadVarString(); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestFixedWidth(t *testing.T) {
	t.Parallel()
	var e Encoder
	e.WriteFloat32(1.5)
	e.WriteFloat64(0.1)
	e.WriteBigInt64(-2)
	want := unhex(t, "3f c0 00 00 | 3f b9 99 99 99 99 99 9a | ff ff ff ff ff ff ff fe")
	if !bytes.Equal(e.Bytes(), want) {
		t.Fatalf("encoded % x, want % x", e.Bytes(), want)
	}
	d := NewDecoder(want)
	f32, err1 := d.ReadFloat32()
	f64, err2 := d.ReadFloat64()
	bi, err3 := d.ReadBigInt64()
	if f32 != 1.5 || f64 != 0.1 || bi != -2 || errors.Join(err1, err2, err3) != nil {
		t.Errorf("decoded %v %v %v (%v %v %v)", f32, f64, bi, err1, err2, err3)
	}
	for _, read := range []func(*Decoder) error{
		func(d *Decoder) error { _, err := d.ReadFloat32(); return err },
		func(d *Decoder) error { _, err := d.ReadFloat64(); return err },
		func(d *Decoder) error { _, err := d.ReadBigInt64(); return err },
	} {
		if err := read(NewDecoder([]byte{1, 2, 3})); !errors.Is(err, ErrUnexpectedEOF) {
			t.Errorf("short fixed-width read: %v", err)
		}
	}
	if _, err := NewDecoder(nil).ReadRaw(-1); !errors.Is(err, ErrUnexpectedEOF) {
		t.Errorf("ReadRaw(-1): %v", err)
	}
}

func TestEncoderBuffer(t *testing.T) {
	t.Parallel()
	e := NewEncoder(-5)
	e.WriteUint8(7)
	e.WriteRaw([]byte{8, 9})
	if e.Len() != 3 || !bytes.Equal(e.Bytes(), []byte{7, 8, 9}) {
		t.Fatalf("got % x", e.Bytes())
	}
	e.Reset()
	if e.Len() != 0 || cap(e.Bytes()) < 3 {
		t.Fatalf("Reset: len %d cap %d", e.Len(), cap(e.Bytes()))
	}
}
