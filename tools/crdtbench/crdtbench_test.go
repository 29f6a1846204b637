package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt"
)

// typingTrace builds a trace of n one-character edits that types, deletes
// and retypes, with a multi-patch txn, a non-ASCII character and a paste.
func typingTrace(n int) *trace {
	tr := &trace{Name: "typing"}
	var ref gapText
	add := func(ps ...patch) {
		for _, p := range ps {
			if err := ref.splice(p); err != nil {
				panic(err)
			}
		}
		tr.Txns = append(tr.Txns, txn{Patches: ps})
	}
	for i := range n {
		switch {
		case i%7 == 3 && ref.Len() > 2:
			add(patch{ref.Len() / 2, 1, ""})
		case i%11 == 5:
			add(patch{ref.Len(), 0, "→"})
		default:
			add(patch{ref.Len() / 3, 0, string(rune('a' + i%26))})
		}
	}
	add(patch{ref.Len(), 0, "pasted block"}, patch{1, 1, "XY"})
	tr.EndContent = ref.String()
	return tr
}

func writeTrace(t *testing.T, tr *trace) string {
	t.Helper()
	type jsonTxn struct {
		Patches [][3]any `json:"patches"`
	}
	var out struct {
		StartContent string    `json:"startContent"`
		EndContent   string    `json:"endContent"`
		Txns         []jsonTxn `json:"txns"`
	}
	out.EndContent = tr.EndContent
	for _, tn := range tr.Txns {
		var jt jsonTxn
		for _, p := range tn.Patches {
			jt.Patches = append(jt.Patches, [3]any{p.Pos, p.Del, p.Ins})
		}
		out.Txns = append(out.Txns, jt)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(out); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), tr.Name+".json.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadTraceRoundTrip(t *testing.T) {
	want := typingTrace(50)
	got, err := loadTrace(writeTrace(t, want), "typing")
	if err != nil {
		t.Fatal(err)
	}
	if got.EndContent != want.EndContent || len(got.patches()) != len(want.patches()) {
		t.Fatalf("loaded %d patches ending in %q, want %d ending in %q", len(got.patches()), got.EndContent, len(want.patches()), want.EndContent)
	}
	for i, p := range got.patches() {
		if p != want.patches()[i] {
			t.Fatalf("patch %d = %v, want %v", i, p, want.patches()[i])
		}
	}
}

func TestLoadTraceRejects(t *testing.T) {
	for name, tr := range map[string]*trace{
		"non-BMP insert": {Txns: []txn{{Patches: []patch{{0, 0, "😀"}}}}, EndContent: "😀"},
		"non-BMP end":    {EndContent: "😀"},
	} {
		t.Run(name, func(t *testing.T) {
			tr.Name = "bad"
			if _, err := loadTrace(writeTrace(t, tr), "bad"); !errors.Is(err, errNonBMP) {
				t.Fatalf("err = %v, want errNonBMP", err)
			}
		})
	}
	for _, bad := range []string{`[1,2]`, `[1.5,0,"a"]`, `[-1,0,"a"]`, `[0,0,3]`, `{"p":1}`} {
		var p patch
		if err := json.Unmarshal([]byte(bad), &p); err == nil {
			t.Errorf("patch %s accepted as %v", bad, p)
		}
	}
}

func TestGapTextMatchesStringSplicing(t *testing.T) {
	var g gapText
	var ref []rune
	tr := typingTrace(3000)
	for _, p := range tr.patches() {
		if err := g.splice(p); err != nil {
			t.Fatal(err)
		}
		ref = append(ref[:p.Pos:p.Pos], append([]rune(p.Ins), ref[p.Pos+p.Del:]...)...)
		if g.Len() != len(ref) {
			t.Fatalf("after %v: length %d, want %d", p, g.Len(), len(ref))
		}
	}
	if g.String() != string(ref) || g.String() != tr.EndContent {
		t.Fatalf("got %q, want %q", g.String(), string(ref))
	}
	if err := g.splice(patch{g.Len(), 1, ""}); err == nil {
		t.Fatal("a delete past the end was accepted")
	}
}

func TestSplitUpdates(t *testing.T) {
	var raw []byte
	want := [][]byte{{1, 2, 3}, {}, {4}}
	for _, u := range want {
		raw = binary.LittleEndian.AppendUint32(raw, uint32(len(u)))
		raw = append(raw, u...)
	}
	got, err := splitUpdates(raw)
	if err != nil || len(got) != len(want) {
		t.Fatalf("got %d updates, err %v", len(got), err)
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("update %d = %v, want %v", i, got[i], want[i])
		}
	}
	for _, cut := range []int{1, 5, len(raw) - 1} {
		if _, err := splitUpdates(raw[:cut]); !errors.Is(err, errTruncated) {
			t.Errorf("cut at %d: err = %v, want errTruncated", cut, err)
		}
	}
}

func TestRunOursChecksEveryPath(t *testing.T) {
	tr := typingTrace(400)
	updates, err := recordUpdates(tr)
	if err != nil {
		t.Fatal(err)
	}
	if len(updates) != len(tr.patches()) {
		t.Fatalf("%d updates for %d patches", len(updates), len(tr.patches()))
	}
	o := runOurs(tr, updates, 1)
	if len(o.failures) > 0 {
		t.Fatalf("failures on a consistent trace: %v", o.failures)
	}
	if o.Replay <= 0 || o.Apply <= 0 || o.Load <= 0 || o.StateBytes == 0 || o.HeapBytes <= 0 {
		t.Fatalf("missing figures: %+v", o.figures)
	}

	tr.EndContent += "!"
	o = runOurs(tr, updates, 1)
	for _, step := range []byte{'a', 'b', 'd'} {
		if !o.failed[step] {
			t.Errorf("step (%c) passed against a wrong endContent; failures: %v", step, o.failures)
		}
	}
}

func TestFirstDivergenceFindsTheStep(t *testing.T) {
	tr := typingTrace(2000)
	updates, err := recordUpdates(tr)
	if err != nil {
		t.Fatal(err)
	}
	if got := firstDivergence(applyStepper(tr, updates)); !strings.HasPrefix(got, "no divergence") {
		t.Fatalf("consistent updates: %s", got)
	}
	// Swapped updates: the later one waits for the earlier, so the text is
	// one patch short at the first of them.
	const at = 1300
	bad := append([][]byte(nil), updates...)
	bad[at], bad[at+1] = bad[at+1], bad[at]
	got := firstDivergence(applyStepper(tr, bad))
	if !strings.Contains(got, "at update 1300 of") {
		t.Fatalf("swapped updates %d and %d: %s", at, at+1, got)
	}
	// The same length but another character: only a full comparison sees
	// it, at the next checkpoint, and the window before it is searched.
	twisted := *tr
	twisted.Txns = append([]txn(nil), tr.Txns...)
	if p := tr.Txns[at].Patches[0]; p.Del != 0 || p.Ins != "a" {
		t.Fatalf("txn %d is %v, want a one-character insert", at, p)
	}
	twisted.Txns[at] = txn{Patches: []patch{{tr.Txns[at].Patches[0].Pos, 0, "Z"}}}
	s := replayStepper(&twisted)
	s.patches = func(i int) []patch { return tr.Txns[i].Patches }
	if got := firstDivergence(s); !strings.Contains(got, "at txn 1300 of") {
		t.Fatalf("txn %d typed Z for a: %s", at, got)
	}
	// An update that cannot apply is reported at its index, not as a panic.
	bad = append([][]byte(nil), updates...)
	bad[77] = []byte{0xff}
	if got := firstDivergence(applyStepper(tr, bad)); !strings.Contains(got, "at update 77 of") {
		t.Fatalf("corrupt update 77: %s", got)
	}
}

// The yjs side on a small trace: it needs node and the yjs installed by npm
// ci, and skips without them.
func TestYjsScriptOnASmallTrace(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if reason := yjsMissing("node", root); reason != "" {
		t.Skip(reason)
	}
	tr := typingTrace(300)
	path := writeTrace(t, tr)
	y, err := runYjs("node", filepath.Join(root, "tools", "crdtbench", "yjs.mjs"), path, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(y.Failures) > 0 {
		t.Fatalf("yjs failures: %v", y.Failures)
	}
	if len(y.updates) != len(tr.patches()) || y.StateBytes != len(y.state) || y.ReplayMs <= 0 {
		t.Fatalf("yjs run: %d updates for %d patches, state %d bytes (reported %d), replay %vms",
			len(y.updates), len(tr.patches()), len(y.state), y.StateBytes, y.ReplayMs)
	}
	d := crdt.NewDoc(crdt.Options{ClientID: applyClient})
	for i, u := range y.updates {
		if err := d.ApplyUpdate(u); err != nil {
			t.Fatalf("yjs update %d: %v", i, err)
		}
	}
	if got := d.Text(textName).String(); got != tr.EndContent {
		t.Fatalf("yjs updates give %q, want %q", got, tr.EndContent)
	}
}

func TestYjsScriptReportsAWrongEnd(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if reason := yjsMissing("node", root); reason != "" {
		t.Skip(reason)
	}
	tr := typingTrace(20)
	tr.EndContent = "not the end"
	y, err := runYjs("node", filepath.Join(root, "tools", "crdtbench", "yjs.mjs"), writeTrace(t, tr), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(y.Failures) == 0 {
		t.Fatal("yjs reported no failure for a wrong endContent")
	}
}

func TestReportRatiosAndAims(t *testing.T) {
	tr := typingTrace(10)
	r := &report{trace: tr, runs: 1,
		ours: &outcome{figures: figures{Replay: 100 * time.Millisecond, Apply: time.Second, Load: time.Millisecond, StateBytes: 90, HeapBytes: 200}},
		yjs:  &yjsRun{yjsResult: yjsResult{ReplayMs: 600, ApplyMs: 2000, LoadMs: 5, StateBytes: 100, HeapBytes: 100}},
	}
	var out bytes.Buffer
	r.print(&out)
	lines := strings.Split(out.String(), "\n")
	for _, want := range []struct{ figure, ratio, verdict string }{
		{"(a) replay", "6.00x", "met"},    // 600 ms / 100 ms
		{"(b) apply", "2.00x", "missed"},  // 2000 ms / 1000 ms
		{"(c) encode", "-", ""},           // not measured
		{"(d) load", "5.00x", "met"},      // 5 ms / 1 ms: exactly the aim
		{"encoded state", "0.90x", "met"}, // 90 B / 100 B
		{"live heap", "2.00x", "missed"},  // 200 B / 100 B
	} {
		i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, want.figure) })
		if i < 0 {
			t.Errorf("no line for %s:\n%s", want.figure, out.String())
			continue
		}
		f := strings.Fields(lines[i])
		if !slices.Contains(f, want.ratio) || want.verdict != "" && f[len(f)-1] != want.verdict ||
			want.verdict == "" && (f[len(f)-1] == "met" || f[len(f)-1] == "missed") {
			t.Errorf("line %q: want ratio %s and verdict %q", lines[i], want.ratio, want.verdict)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -45678: "-45,678"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestMedian(t *testing.T) {
	if got := median([]time.Duration{5, 1, 3}); got != 3 {
		t.Errorf("median of 5,1,3 = %v", got)
	}
	if got := median([]time.Duration{4, 1, 3, 2}); got != 2 {
		t.Errorf("median of 4,1,3,2 = %v", got) // (2+3)/2 in integer nanoseconds
	}
}
