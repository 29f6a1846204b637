package yjsoracle

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

var allRoots = []Root{{"t", KindText}, {"m", KindMap}, {"arr", KindArray}, {"x", KindXML}}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(buf.String())
}

func newDoc(t testing.TB, o *Oracle, doc string, client uint64) {
	t.Helper()
	if err := o.New(doc, client, true); err != nil {
		t.Fatal(err)
	}
}

func ops(t testing.TB, o *Oracle, doc string, list ...Op) [][]byte {
	t.Helper()
	events, err := o.Ops(doc, list)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

func textOf(t testing.TB, o *Oracle, doc, root string) Text {
	t.Helper()
	c, err := o.Content(doc, Root{root, KindText})
	if err != nil {
		t.Fatal(err)
	}
	txt, err := c.Text(root)
	if err != nil {
		t.Fatal(err)
	}
	return txt
}

func TestVersionsArePinned(t *testing.T) {
	t.Parallel()
	o := ForTest(t)
	v := o.Versions()
	if v.Yjs != "13.6.33" || v.Lib0 != "0.2.120" || !strings.HasPrefix(v.Node, "v") {
		t.Errorf("versions = %+v, want yjs 13.6.33 and lib0 0.2.120", v)
	}
}

// The bytes of yjs-compat.md 2.6 example A come out of the oracle unchanged.
func TestWorkedExampleBytes(t *testing.T) {
	t.Parallel()
	o := ForTest(t)
	newDoc(t, o, "a", 1)
	events := ops(t, o, "a",
		Op{Op: TextInsert, Root: "t", Index: 0, Text: "abc"},
		Op{Op: TextInsert, Root: "t", Index: 1, Text: "X"},
		Op{Op: TextDelete, Root: "t", Index: 2, Len: 2},
	)
	want := []string{
		"01 01 01 00 04 01 01 74 03 61 62 63 00",
		"01 01 01 03 c4 01 00 01 01 01 58 00",
		"00 01 01 01 01 02",
	}
	if len(events) != len(want) {
		t.Fatalf("%d events, want %d", len(events), len(want))
	}
	for i, w := range want {
		if !bytes.Equal(events[i], mustHex(t, w)) {
			t.Errorf("event %d = %x, want %s", i, events[i], w)
		}
	}
	state, err := o.Encode("a", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := mustHex(t, "01 03 01 00 04 01 01 74 01 61 81 01 00 02 c4 01 00 01 01 01 58 01 01 01 01 02"); !bytes.Equal(state, want) {
		t.Errorf("state = %x", state)
	}
	sv, err := o.StateVector("a")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sv, mustHex(t, "01 01 04")) {
		t.Errorf("sv = %x", sv)
	}
	diff, err := o.Encode("a", mustHex(t, "01 01 02"))
	if err != nil {
		t.Fatal(err)
	}
	if want := mustHex(t, "01 02 01 02 81 01 01 01 c4 01 00 01 01 01 58 01 01 01 01 02"); !bytes.Equal(diff, want) {
		t.Errorf("diff = %x", diff)
	}
}

// everyOp exercises each op kind once; after each step the text, map, array and xml roots
// must render as given.
var everyOp = []struct {
	op   Op
	want string // substring expected in the JSON content after the op
}{
	{Op{Op: TextInsert, Root: "t", Text: "hello world"}, `"string":"hello world"`},
	{Op{Op: TextFormat, Root: "t", Index: 0, Len: 5, Attrs: map[string]any{"bold": true}},
		`"delta":[{"insert":"hello","attributes":{"bold":true}},{"insert":" world"}]`},
	{Op{Op: TextInsert, Root: "t", Index: 2, Text: "X"}, `{"insert":"heXllo","attributes":{"bold":true}}`},
	{Op{Op: TextInsert, Root: "t", Index: 2, Text: "Y", Attrs: map[string]any{}},
		`[{"insert":"he","attributes":{"bold":true}},{"insert":"Y"},{"insert":"Xllo","attributes":{"bold":true}}`},
	{Op{Op: TextDelete, Root: "t", Index: 1, Len: 3}, `"string":"hllo world"`},
	{Op{Op: TextEmbed, Root: "t", Index: 0, Value: map[string]any{"image": "x.png"}}, `{"insert":{"image":"x.png"}}`},
	{Op{Op: MapSet, Root: "m", Key: "k", Value: map[string]any{"n": 1, "b": Bytes([]byte{7}), "big": BigInt(5)}},
		`"m":{"k":{"b":{"$bytes":"Bw=="},"big":{"$bigint":"5"},"n":1}}`},
	{Op{Op: MapSet, Root: "m", Key: "gone", Value: nil}, `"gone":null`},
	{Op{Op: MapDelete, Root: "m", Key: "gone"}, `"m":{"k":`},
	{Op{Op: ArrayInsert, Root: "arr", Values: []any{1, "two", Bytes([]byte{3}), Number("NaN")}},
		`"arr":[1,"two",{"$bytes":"Aw=="},{"$number":"NaN"}]`},
	{Op{Op: ArrayDelete, Root: "arr", Index: 1, Len: 2}, `"arr":[1,{"$number":"NaN"}]`},
	{Op{Op: XMLInsertElement, Root: "x", Name: "paragraph"}, `"x":{"string":"<paragraph></paragraph>"`},
	{Op{Op: XMLInsertText, Root: "x", Path: []int{0}, Text: "hi"}, `"string":"<paragraph>hi</paragraph>"`},
	{Op{Op: XMLSetAttr, Root: "x", Path: []int{0}, Key: "level", Value: 2},
		`"tree":[{"name":"paragraph","attrs":{"level":2},"children":[{"text":"hi","delta":[{"insert":"hi"}]}]}]`},
	{Op{Op: XMLTextInsert, Root: "x", Path: []int{0, 0}, Index: 2, Text: "!"}, `<paragraph level=\"2\">hi!</paragraph>`},
	{Op{Op: XMLTextFormat, Root: "x", Path: []int{0, 0}, Index: 0, Len: 2, Attrs: map[string]any{"strong": map[string]any{}}},
		`<paragraph level=\"2\"><strong>hi</strong>!</paragraph>`},
	{Op{Op: XMLTextDelete, Root: "x", Path: []int{0, 0}, Index: 2, Len: 1}, `<paragraph level=\"2\"><strong>hi</strong></paragraph>`},
	{Op{Op: XMLRemoveAttr, Root: "x", Path: []int{0}, Key: "level"}, `"string":"<paragraph><strong>hi</strong></paragraph>"`},
	{Op{Op: XMLDelete, Root: "x", Index: 0, Len: 1}, `"x":{"string":"","tree":[]}`},
	{Op{Op: Txn, Ops: []Op{
		{Op: TextInsert, Root: "t", Index: 1, Text: "ab"},
		{Op: TextDelete, Root: "t", Index: 1, Len: 1},
	}}, `"string":"bhllo world"`},
}

// Ops on one replica, their events applied to another: both must end up with the same
// content and the same encoded state.
func TestEveryOpKindReplicates(t *testing.T) {
	t.Parallel()
	o := ForTest(t)
	newDoc(t, o, "a", 1)
	newDoc(t, o, "b", 2)
	for i, step := range everyOp {
		events := ops(t, o, "a", step.op)
		if len(events) != 1 {
			t.Fatalf("step %d (%s): %d events, want 1", i, step.op.Op, len(events))
		}
		if _, err := o.Apply("b", events[0]); err != nil {
			t.Fatalf("step %d: apply: %v", i, err)
		}
		ca, err := o.Content("a", allRoots...)
		if err != nil {
			t.Fatal(err)
		}
		cb, err := o.Content("b", allRoots...)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ca, cb) {
			t.Fatalf("step %d (%s): replicas differ:\n a %s\n b %s", i, step.op.Op, mustJSON(t, ca), mustJSON(t, cb))
		}
		if got := mustJSON(t, ca); !strings.Contains(got, step.want) {
			t.Errorf("step %d (%s): content %s\nlacks %s", i, step.op.Op, got, step.want)
		}
	}
	sa, _ := o.Encode("a", nil)
	sb, _ := o.Encode("b", nil)
	if !bytes.Equal(sa, sb) {
		t.Errorf("states differ:\n a %x\n b %x", sa, sb)
	}
	c, err := o.Content("a", allRoots...)
	if err != nil {
		t.Fatal(err)
	}
	x, err := c.XML("x")
	if err != nil || len(x.Tree) != 0 {
		t.Errorf("xml = %+v, %v", x, err)
	}
	txt, err := c.Text("t")
	if err != nil || txt.String != "bhllo world" || len(txt.Delta) == 0 {
		t.Errorf("text = %+v, %v", txt, err)
	}
}

func TestIndicesResolveModuloState(t *testing.T) {
	t.Parallel()
	o := ForTest(t)
	newDoc(t, o, "a", 1)
	cases := []struct {
		op      Op
		want    string
		nEvents int
	}{
		{Op{Op: TextDelete, Root: "t", Index: 5, Len: 3}, "", 0},               // empty target: no-op
		{Op{Op: TextInsert, Root: "t", Index: 99, Text: "abc"}, "abc", 1},      // 99 % 1 = 0
		{Op{Op: TextInsert, Root: "t", Index: 7, Text: "Z"}, "abcZ", 1},        // 7 % 4 = 3
		{Op{Op: TextDelete, Root: "t", Index: 6, Len: 10}, "ab", 1},            // start 6%4 = 2, count 1+9%2 = 2
		{Op{Op: TextDelete, Root: "t", Index: 1, Len: 5}, "a", 1},              // start 1, count 1+4%1 = 1
		{Op{Op: TextFormat, Root: "t", Index: 4, Len: 9}, "a", 0},              // empty attrs: nothing to write
		{Op{Op: XMLInsertText, Root: "x", Path: []int{3}, Text: "q"}, "a", 0},  // no element to walk into
		{Op{Op: XMLTextInsert, Root: "x", Path: []int{0}, Text: "q"}, "a", 0},  // no XmlText child
		{Op{Op: XMLSetAttr, Root: "x", Path: nil, Key: "k", Value: 1}, "a", 0}, // [] is the fragment: no attributes
	}
	for i, tc := range cases {
		events := ops(t, o, "a", tc.op)
		if len(events) != tc.nEvents {
			t.Errorf("case %d: %d events, want %d", i, len(events), tc.nEvents)
		}
		if got := textOf(t, o, "a", "t").String; got != tc.want {
			t.Errorf("case %d: text %q, want %q", i, got, tc.want)
		}
	}
}

// An index between the two UTF-16 units of an emoji splits it; yjs turns both halves into
// U+FFFD (yjs-compat.md 2.5).
func TestSurrogateSplit(t *testing.T) {
	t.Parallel()
	o := ForTest(t)
	newDoc(t, o, "a", 7)
	newDoc(t, o, "b", 8)
	ev := ops(t, o, "a", Op{Op: TextInsert, Root: "t", Text: "h😀é"})
	if !bytes.Equal(ev[0], mustHex(t, "01 01 07 00 04 01 01 74 07 68 f0 9f 98 80 c3 a9 00")) {
		t.Errorf("event = %x", ev[0])
	}
	if _, err := o.Apply("b", ev[0]); err != nil {
		t.Fatal(err)
	}
	ops(t, o, "b", Op{Op: TextInsert, Root: "t", Index: 2, Text: "Z"})
	if got := textOf(t, o, "b", "t").String; got != "h\uFFFDZ\uFFFDé" {
		t.Errorf("text = %q", got)
	}
}

func TestErrorsAreReportedAndHarmless(t *testing.T) {
	t.Parallel()
	o := ForTest(t)
	newDoc(t, o, "a", 1)
	ops(t, o, "a", Op{Op: TextInsert, Root: "t", Text: "keep"})
	before, err := o.Encode("a", nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		run  func() error
		msg  string
	}{
		{"truncated update", func() error { _, err := o.Apply("a", []byte{1, 1}); return err }, "Unexpected end of array"},
		{"empty update", func() error { _, err := o.Apply("a", nil); return err }, "Unexpected end of array"},
		{"unknown doc", func() error { _, err := o.StateVector("nope"); return err }, `no doc "nope"`},
		{"duplicate doc", func() error { return o.New("a", 3, true) }, `doc "a" exists`},
		{"unknown op", func() error { _, err := o.Ops("a", []Op{{Op: "text.explode", Root: "t"}}); return err }, "unknown op"},
		{"zero len", func() error { _, err := o.Ops("a", []Op{{Op: TextDelete, Root: "t"}}); return err }, "len must be"},
		{"nested txn", func() error {
			_, err := o.Ops("a", []Op{{Op: Txn, Ops: []Op{{Op: Txn}}}})
			return err
		}, "nested txn"},
		{"root kind clash", func() error { _, err := o.Ops("a", []Op{{Op: MapSet, Root: "t", Key: "k"}}); return err }, "another kind"},
		{"bad op after good ones runs nothing", func() error {
			_, err := o.Ops("a", []Op{{Op: TextInsert, Root: "t", Text: "x"}, {Op: ArrayInsert, Root: "arr", Values: []any{BigInt(1)}}})
			return err
		}, "top-level $bigint"},
		{"bigint beyond int64", func() error {
			_, err := o.Ops("a", []Op{{Op: MapSet, Root: "m", Key: "k", Value: map[string]any{"$bigint": "9223372036854775808"}}})
			return err
		}, "outside int64"},
		{"content kind clash", func() error { _, err := o.Content("a", Root{"t", KindMap}); return err }, "another kind"},
	}
	for _, tc := range cases {
		err := tc.run()
		var oe *Error
		if !errors.As(err, &oe) {
			t.Errorf("%s: err = %v, want *Error", tc.name, err)
			continue
		}
		if !strings.Contains(oe.Msg, tc.msg) {
			t.Errorf("%s: message %q lacks %q", tc.name, oe.Msg, tc.msg)
		}
	}
	after, err := o.Encode("a", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("failed requests changed the doc:\n before %x\n after  %x", before, after)
	}
	if err := o.Ping(); err != nil {
		t.Errorf("oracle unusable after errors: %v", err)
	}
}

func TestBatchRunsInOrder(t *testing.T) {
	t.Parallel()
	o := ForTest(t)
	res, err := o.Batch(
		ReqNew("a", 1, true),
		ReqOps("a", []Op{{Op: TextInsert, Root: "t", Text: "ab"}}),
		ReqNew("b", 2, false),
		ReqApply("b", mustHex(t, "01 01 01 00 04 01 01 74 02 61 62 00")),
		ReqOps("b", []Op{{Op: TextDelete, Root: "t", Index: 0, Len: 1}}),
		ReqSV("b"),
		ReqSV("missing"),
		ReqContent("b", Root{"t", KindText}),
		ReqClientID("b"),
		ReqFree("b"),
		ReqSV("b"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(res[1].Events) != 1 || !bytes.Equal(res[1].Events[0], mustHex(t, "01 01 01 00 04 01 01 74 02 61 62 00")) {
		t.Errorf("ops events = %x", res[1].Events)
	}
	if len(res[3].Events) != 1 {
		t.Errorf("apply events = %x", res[3].Events)
	}
	if !bytes.Equal(res[5].SV, mustHex(t, "01 01 02")) { // b wrote only a delete
		t.Errorf("sv = %x", res[5].SV)
	}
	if res[6].Err() == nil {
		t.Errorf("sv of a missing doc succeeded")
	}
	if txt, err := res[7].Content.Text("t"); err != nil || txt.String != "b" {
		t.Errorf("content = %+v, %v", txt, err)
	}
	if res[8].ClientID != 2 || !res[9].OK || res[10].Err() == nil {
		t.Errorf("clientID/free: %+v %+v %+v", res[8], res[9], res[10])
	}
}

// yjs-compat.md 2.6 example E: merging the 1st and 3rd of three single-char inserts.
func TestMergeAndDiff(t *testing.T) {
	t.Parallel()
	o := ForTest(t)
	newDoc(t, o, "a", 6)
	ev := ops(t, o, "a",
		Op{Op: TextInsert, Root: "t", Index: 0, Text: "a"},
		Op{Op: TextInsert, Root: "t", Index: 1, Text: "b"},
		Op{Op: TextInsert, Root: "t", Index: 2, Text: "c"},
	)
	merged, err := o.Merge(ev[0], ev[2])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(merged, mustHex(t, "01 03 06 00 04 01 01 74 01 61 0a 01 84 06 01 01 63 00")) {
		t.Errorf("merge = %x", merged)
	}
	all, err := o.Merge(ev...)
	if err != nil {
		t.Fatal(err)
	}
	diff, err := o.Diff(all, mustHex(t, "01 06 02"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(diff, mustHex(t, "01 01 06 02 84 06 01 01 63 00")) {
		t.Errorf("diff = %x", diff)
	}
	if _, err := o.Diff([]byte{0xff}, nil); err == nil {
		t.Errorf("diff of garbage succeeded")
	}
}

// Receiving structs under its own client id makes a yjs doc draw a new id (5.11).
func TestClientIDChangesAfterCollision(t *testing.T) {
	t.Parallel()
	o := ForTest(t)
	newDoc(t, o, "a", 5)
	newDoc(t, o, "b", 5)
	ev := ops(t, o, "a", Op{Op: TextInsert, Root: "t", Text: "a"})
	if _, err := o.Apply("b", ev[0]); err != nil {
		t.Fatal(err)
	}
	id, err := o.ClientID("b")
	if err != nil {
		t.Fatal(err)
	}
	if id == 5 {
		t.Errorf("client id unchanged after a collision")
	}
}

func TestDeadOracleFailsFast(t *testing.T) {
	t.Parallel()
	o := ForTest(t)
	if err := o.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := o.Ping(); err == nil || errors.As(err, new(*Error)) {
		t.Fatalf("ping after kill: %v", err)
	}
	if err := o.Ping(); err == nil {
		t.Fatal("second ping after kill succeeded")
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if err := o.Ping(); err == nil {
		t.Fatal("ping after close succeeded")
	}
}

func TestUnavailableWithoutNode(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Start()
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Start without node: %v, want ErrUnavailable", err)
	}
}

// Responses larger than the reader's buffer arrive whole.
func TestLargeResponses(t *testing.T) {
	t.Parallel()
	o := ForTest(t)
	newDoc(t, o, "a", 1)
	long := strings.Repeat("abcdefgh😀", 40000) // 400,000 units, 440,000 UTF-8 bytes
	ev := ops(t, o, "a", Op{Op: TextInsert, Root: "t", Text: long})
	if len(ev) != 1 || len(ev[0]) < 440000 {
		t.Fatalf("event of %d bytes", len(ev[0]))
	}
	if got := textOf(t, o, "a", "t").String; got != long {
		t.Errorf("text of %d bytes, want %d", len(got), len(long))
	}
	if err := o.Ping(); err != nil {
		t.Fatal(err)
	}
}
