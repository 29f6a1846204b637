package yjsoracle

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestOpMarshalSendsExactlyTheFieldsOfItsKind(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		op   Op
		want string
	}{
		{"insert keeps index 0 and omits nil attrs",
			Op{Op: TextInsert, Root: "t", Text: "hi"},
			`{"op":"text.insert","root":"t","index":0,"text":"hi"}`},
		{"insert keeps empty attrs",
			Op{Op: TextInsert, Root: "t", Index: 3, Text: "", Attrs: map[string]any{}},
			`{"op":"text.insert","root":"t","index":3,"text":"","attrs":{}}`},
		{"format always has attrs, null removes",
			Op{Op: TextFormat, Root: "t", Index: 1, Len: 2, Attrs: map[string]any{"bold": nil}},
			`{"op":"text.format","root":"t","index":1,"len":2,"attrs":{"bold":null}}`},
		{"embed",
			Op{Op: TextEmbed, Root: "t", Value: map[string]any{"image": "x.png"}},
			`{"op":"text.embed","root":"t","index":0,"value":{"image":"x.png"}}`},
		{"map set null",
			Op{Op: MapSet, Root: "m", Key: "k"},
			`{"op":"map.set","root":"m","key":"k","value":null}`},
		{"map delete has no index",
			Op{Op: MapDelete, Root: "m", Key: "k"},
			`{"op":"map.delete","root":"m","key":"k"}`},
		{"array insert with ext json",
			Op{Op: ArrayInsert, Root: "a", Index: 2, Values: []any{1, Bytes([]byte{1, 2}), BigInt(-3)}},
			`{"op":"array.insert","root":"a","index":2,"values":[1,{"$bytes":"AQI="},{"$bigint":"-3"}]}`},
		{"array delete",
			Op{Op: ArrayDelete, Root: "a", Len: 1},
			`{"op":"array.delete","root":"a","index":0,"len":1}`},
		{"xml element gets an explicit empty path",
			Op{Op: XMLInsertElement, Root: "x", Name: "p"},
			`{"op":"xml.insertElement","root":"x","path":[],"index":0,"name":"p"}`},
		{"xml text",
			Op{Op: XMLInsertText, Root: "x", Path: []int{0}, Text: "t"},
			`{"op":"xml.insertText","root":"x","path":[0],"index":0,"text":"t"}`},
		{"xml set attr",
			Op{Op: XMLSetAttr, Root: "x", Path: []int{1, 2}, Key: "level", Value: 1},
			`{"op":"xml.setAttr","root":"x","path":[1,2],"key":"level","value":1}`},
		{"xml remove attr",
			Op{Op: XMLRemoveAttr, Root: "x", Path: []int{0}, Key: "level"},
			`{"op":"xml.removeAttr","root":"x","path":[0],"key":"level"}`},
		{"xmltext format",
			Op{Op: XMLTextFormat, Root: "x", Path: []int{0, 0}, Index: 1, Len: 1, Attrs: map[string]any{"strong": map[string]any{}}},
			`{"op":"xmltext.format","root":"x","path":[0,0],"index":1,"len":1,"attrs":{"strong":{}}}`},
		{"txn nests",
			Op{Op: Txn, Ops: []Op{{Op: MapDelete, Root: "m", Key: "a"}}},
			`{"op":"txn","ops":[{"op":"map.delete","root":"m","key":"a"}]}`},
		{"empty txn",
			Op{Op: Txn},
			`{"op":"txn","ops":[]}`},
		{"unknown op keeps non-zero fields",
			Op{Op: "text.explode", Root: "t", Len: 2},
			`{"op":"text.explode","root":"t","len":2}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := json.Marshal(tc.op)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestOpUnmarshalKeepsAbsentAndEmptyAttrsApart(t *testing.T) {
	t.Parallel()
	var ops []Op
	err := json.Unmarshal([]byte(`[{"op":"text.insert","root":"t","text":"a"},{"op":"text.insert","root":"t","text":"b","attrs":{}}]`), &ops)
	if err != nil {
		t.Fatal(err)
	}
	if ops[0].Attrs != nil || ops[1].Attrs == nil {
		t.Errorf("attrs: got %#v and %#v, want nil and empty", ops[0].Attrs, ops[1].Attrs)
	}
	again, err := json.Marshal(ops)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"op":"text.insert","root":"t","index":0,"text":"a"},{"op":"text.insert","root":"t","index":0,"text":"b","attrs":{}}]`
	if string(again) != want {
		t.Errorf("round trip: got %s", again)
	}
}

func TestJSKeyOrder(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want []string }{
		{[]string{"b", "a"}, []string{"b", "a"}},
		{[]string{"10", "9", "x", "01", "4294967295", "4294967294", "-1", "2"},
			[]string{"2", "9", "10", "4294967294", "x", "01", "4294967295", "-1"}},
		{nil, nil},
	}
	for _, tc := range cases {
		got := JSKeyOrder(tc.in)
		if !slices.Equal(got, tc.want) {
			t.Errorf("JSKeyOrder(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
