package lib0

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestAppendJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"undefined at top level", Undefined, "undefined"},
		{"unsupported at top level", struct{}{}, "undefined"},
		{"null", nil, "null"},
		{"no html or line separator escaping", "<a&b>\u2028\u2029", "\"<a&b>\u2028\u2029\""},
		{"escapes", "\"\\\b\f\n\r\t\x00\x1f\x7f/", `"\"\\\b\f\n\r\t\u0000\u001f` + "\x7f/\""},
		{"invalid utf-8", "a\xffb", "\"a\uFFFDb\""},
		{"integers", []any{int64(1), -7, uint64(1 << 60), int64(-MaxSafeInteger)}, "[1,-7,1152921504606847000,-9007199254740991]"},
		{"floats", []any{1.5, -0.0, math.Copysign(0, -1), 1e21, 1e20, 1e-7, 1.5e-7, 0.000001, 123456789012345680000.0, 5e-324, math.MaxFloat64}, "[1.5,0,0,1e+21,100000000000000000000,1e-7,1.5e-7,0.000001,123456789012345680000,5e-324,1.7976931348623157e+308]"},
		{"non-finite", []any{math.NaN(), math.Inf(1), math.Inf(-1)}, "[null,null,null]"},
		{"float32", float32(0.1), "0.10000000149011612"},
		{"undefined in array and object", []any{Undefined, Object{{"a", Undefined}, {"b", 1}}}, `[null,{"b":1}]`},
		{"object order kept", Object{{"b", 1}, {"a", 2}}, `{"b":1,"a":2}`},
		{"map in JS order", map[string]any{"b": 1, "a": 2, "1": 3, "01": 4}, `{"1":3,"01":4,"a":2,"b":1}`},
		{"bytes like Uint8Array", []byte{1, 200}, `{"0":1,"1":200}`},
		{"bigint digits", BigInt(-12), "-12"},
		{"string slice", []string{"x"}, `["x"]`},
	} {
		if got := string(AppendJSON(nil, tc.v)); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
	if got := string(AppendJSON([]byte("x="), true)); got != "x=true" {
		t.Errorf("AppendJSON does not append: %q", got)
	}
}

func TestParseJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want any
	}{
		{"undefined", Undefined},
		{" 1 ", int64(1)},
		{"-0", math.Copysign(0, -1)},
		{"1.0", int64(1)},
		{"1e2", int64(100)},
		{"1.5", 1.5},
		{"9007199254740991", int64(MaxSafeInteger)},
		{"9007199254740993", 9007199254740992.0},
		{"1e400", math.Inf(1)},
		{"-1e400", math.Inf(-1)},
		{"1e-400", 0.0},
		{`"a\u00e9\ud83d\ude00\/"`, "aé😀/"},
		{`"\ud800x"`, "\uFFFDx"},
		{`"\udc00\ud800"`, "\uFFFD\uFFFD"},
		{`"\ud800\u0041"`, "\uFFFDA"},
		{"[1,[],{}]", []any{int64(1), []any{}, Object{}}},
		{`{"a":1,"a":2}`, Object{{"a", int64(2)}}},
	} {
		got, err := ParseJSON(tc.in)
		if err != nil || !Equal(got, tc.want) {
			t.Errorf("ParseJSON(%s) = %#v, %v; want %#v", tc.in, got, err, tc.want)
		}
	}
	if v, _ := ParseJSON("-0"); !math.Signbit(v.(float64)) {
		t.Error("-0 lost its sign")
	}

	// JavaScript object key order: array indices ascending, then the rest in
	// order of first appearance; a repeated key keeps its first position.
	v, err := ParseJSON(`{"b":1,"2":0,"a":1,"10":0,"01":0,"4294967295":0,"4294967294":0,"b":2}`)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, f := range v.(Object) {
		keys = append(keys, f.Key)
	}
	if got, want := strings.Join(keys, " "), "2 10 4294967294 b a 01 4294967295"; got != want {
		t.Errorf("key order %q, want %q", got, want)
	}
	if b, _ := v.(Object).Get("b"); b != int64(2) {
		t.Errorf("repeated key value %v", b)
	}
}

func TestParseJSONErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want error
	}{
		{"", ErrInvalidJSON},
		{" undefined", ErrInvalidJSON},
		{"01", ErrInvalidJSON},
		{"1.", ErrInvalidJSON},
		{".5", ErrInvalidJSON},
		{"+1", ErrInvalidJSON},
		{"1e", ErrInvalidJSON},
		{"-", ErrInvalidJSON},
		{"NaN", ErrInvalidJSON},
		{"[1,]", ErrInvalidJSON},
		{`{"a":1,}`, ErrInvalidJSON},
		{`{a:1}`, ErrInvalidJSON},
		{`"a`, ErrInvalidJSON},
		{"\"\t\"", ErrInvalidJSON},
		{`"\x"`, ErrInvalidJSON},
		{`"\u12"`, ErrInvalidJSON},
		{"tru", ErrInvalidJSON},
		{"1 2", ErrInvalidJSON},
		{"\u00a01", ErrInvalidJSON},
		{"\"\xff\"", ErrInvalidUTF8},
		{strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), ErrTooDeep},
		{strings.Repeat(`{"a":`, MaxDepth+1) + "1" + strings.Repeat("}", MaxDepth+1), ErrTooDeep},
	} {
		if _, err := ParseJSON(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("ParseJSON(%q): err = %v, want %v", tc.in, err, tc.want)
		}
	}
	if _, err := ParseJSON(strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)); err != nil {
		t.Errorf("MaxDepth levels must parse: %v", err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"10":[1,2.5,-3e-7,"x\n"],"a":{"b":null,"c":true},"":false}`,
		`[1e+21,123456789.125,"\u001f\"\\"]`,
		"\"\u2028\"",
	} {
		v, err := ParseJSON(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if out := string(AppendJSON(nil, v)); out != in {
			t.Errorf("round trip:\n got %s\nwant %s", out, in)
		}
	}
}
