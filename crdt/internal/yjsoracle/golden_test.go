package yjsoracle

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// goldenFile is the part of crdt/testdata/golden/*.json this test reads.
type goldenFile struct {
	Name  string       `json:"name"`
	Roots []Root       `json:"roots"`
	Steps []goldenStep `json:"steps"`
	Docs  map[string]struct {
		ClientID        uint64          `json:"clientID"`
		Events          []string        `json:"events"`
		State           string          `json:"state"`
		SV              string          `json:"sv"`
		Content         json.RawMessage `json:"content"`
		ClientIDChanged bool            `json:"clientIDChanged"`
		FailedApply     bool            `json:"failedApply"`
	} `json:"docs"`
}

type goldenStep struct {
	Kind     string          `json:"kind"`
	Doc      string          `json:"doc"`
	ClientID uint64          `json:"clientID"`
	GC       bool            `json:"gc"`
	Ops      []Op            `json:"ops"`
	Events   []int           `json:"events"`
	Update   string          `json:"update"`
	Updates  []string        `json:"updates"`
	Error    string          `json:"error"`
	SV       *string         `json:"sv"`
	Result   string          `json:"result"`
	Content  json.RawMessage `json:"content"`
}

func goldenDir(t *testing.T) string {
	t.Helper()
	root, err := findRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, "crdt", "testdata", "golden")
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// Every golden file, replayed through the oracle with its ops decoded into Op and encoded
// again, must give the recorded events, states and contents. This checks the files, the
// README's description of them and the Op round trip in one go.
func TestGoldenFilesReplayInOracle(t *testing.T) {
	o := ForTest(t)
	files, err := filepath.Glob(filepath.Join(goldenDir(t), "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".json"), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var g goldenFile
			if err := json.Unmarshal(data, &g); err != nil {
				t.Fatal(err)
			}
			replayGolden(t, o, &g)
		})
	}
}

func replayGolden(t *testing.T, o *Oracle, g *goldenFile) {
	prefix := g.Name + "/"
	name := func(doc string) string { return prefix + doc }
	// A doc becomes opaque once a js step changed it: the oracle cannot run that code.
	opaque := map[string]bool{}
	defer func() {
		for doc := range g.Docs {
			_ = o.Free(name(doc))
		}
	}()
	checkEvents := func(i int, doc string, got [][]byte, idx []int) {
		t.Helper()
		want := g.Docs[doc].Events
		if len(got) != len(idx) {
			t.Fatalf("step %d (%s): %d events, want %d", i, doc, len(got), len(idx))
		}
		for k, e := range got {
			if w := want[idx[k]]; hex.EncodeToString(e) != w {
				t.Fatalf("step %d (%s): event %d = %x, want %s", i, doc, idx[k], e, w)
			}
		}
	}
	for i, s := range g.Steps {
		if s.Doc != "" && opaque[s.Doc] {
			continue
		}
		switch s.Kind {
		case "new":
			if err := o.New(name(s.Doc), s.ClientID, s.GC); err != nil {
				t.Fatal(err)
			}
		case "ops":
			ev, err := o.Ops(name(s.Doc), s.Ops)
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			checkEvents(i, s.Doc, ev, s.Events)
		case "js":
			if len(s.Events) > 0 {
				opaque[s.Doc] = true
			}
		case "apply":
			ev, err := o.Apply(name(s.Doc), unhex(t, s.Update))
			if (err != nil) != (s.Error != "") {
				t.Fatalf("step %d: apply error %v, recorded %q", i, err, s.Error)
			}
			checkEvents(i, s.Doc, ev, s.Events)
		case "encode":
			var sv []byte
			if s.SV != nil {
				sv = unhex(t, *s.SV)
			}
			u, err := o.Encode(name(s.Doc), sv)
			if err != nil || hex.EncodeToString(u) != s.Update {
				t.Fatalf("step %d: encode = %x, %v; want %s", i, u, err, s.Update)
			}
		case "sv":
			sv, err := o.StateVector(name(s.Doc))
			if err != nil || s.SV == nil || hex.EncodeToString(sv) != *s.SV {
				t.Fatalf("step %d: sv = %x, %v", i, sv, err)
			}
		case "content":
			c, err := o.Content(name(s.Doc), g.Roots...)
			if err != nil {
				t.Fatal(err)
			}
			if got := mustJSON(t, c); !sameJSON(json.RawMessage(got), s.Content) {
				t.Fatalf("step %d: content %s, want %s", i, got, s.Content)
			}
		case "merge":
			var us [][]byte
			for _, u := range s.Updates {
				us = append(us, unhex(t, u))
			}
			u, err := o.Merge(us...)
			if err != nil || hex.EncodeToString(u) != s.Update {
				t.Fatalf("step %d: merge = %x, %v", i, u, err)
			}
		case "diff":
			u, err := o.Diff(unhex(t, s.Update), unhex(t, *s.SV))
			if err != nil || hex.EncodeToString(u) != s.Result {
				t.Fatalf("step %d: diff = %x, %v", i, u, err)
			}
		case "lib0", "note":
		default:
			t.Fatalf("step %d: unknown kind %q", i, s.Kind)
		}
	}
	for doc, want := range g.Docs {
		if opaque[doc] {
			continue
		}
		state, err := o.Encode(name(doc), nil)
		if err != nil {
			t.Fatal(err)
		}
		if hex.EncodeToString(state) != want.State {
			t.Errorf("%s: state %x, want %s", doc, state, want.State)
		}
		c, err := o.Content(name(doc), g.Roots...)
		if err != nil {
			t.Fatal(err)
		}
		if !sameJSON(json.RawMessage(mustJSON(t, c)), want.Content) {
			t.Errorf("%s: content differs", doc)
		}
		id, err := o.ClientID(name(doc))
		if err != nil {
			t.Fatal(err)
		}
		if (id != want.ClientID) != want.ClientIDChanged {
			t.Errorf("%s: client id %d, created as %d, changed recorded %v", doc, id, want.ClientID, want.ClientIDChanged)
		}
	}
	// Every doc without failures must be reproducible from its events alone.
	for doc, want := range g.Docs {
		if want.FailedApply {
			continue
		}
		mirror := name(doc) + "#events"
		if err := o.New(mirror, 1<<31-1, true); err != nil {
			t.Fatal(err)
		}
		reqs := make([]Request, 0, len(want.Events)+1)
		for _, e := range want.Events {
			reqs = append(reqs, ReqApply(mirror, unhex(t, e)))
		}
		reqs = append(reqs, ReqContent(mirror, g.Roots...), ReqFree(mirror))
		res, err := o.Batch(reqs...)
		if err != nil {
			t.Fatal(err)
		}
		for k, r := range res {
			if err := r.Err(); err != nil {
				t.Fatalf("%s: mirror request %d: %v", doc, k, err)
			}
		}
		got := res[len(res)-2].Content
		if !sameJSON(json.RawMessage(mustJSON(t, got)), want.Content) {
			t.Errorf("%s: content from events %s, want %s", doc, mustJSON(t, got), want.Content)
		}
	}
}
