package crdt_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/commonpad/commonpad/crdt"
)

// goldenUpdates returns every update recorded in the golden files: real
// yjs output, the seed corpus of the fuzzers.
func goldenUpdates(tb testing.TB) [][]byte {
	files, _ := filepath.Glob("testdata/golden/*.json")
	var out [][]byte
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var g goldenFile
		if err := json.Unmarshal(raw, &g); err != nil {
			tb.Fatal(err)
		}
		add := func(s string) {
			if b, err := hex.DecodeString(s); err == nil && len(b) > 0 {
				out = append(out, b)
			}
		}
		for _, d := range g.Docs {
			for _, e := range d.Events {
				add(e)
			}
		}
		for _, s := range g.Steps {
			if s.Kind == "apply" || s.Kind == "encode" {
				add(s.Update)
			}
		}
	}
	return out
}

// fuzzBase is a document with text, formatting, a map, an array and an XML
// tree, so that fuzzed updates also integrate against existing content.
func fuzzBase(tb testing.TB) []byte {
	d := crdt.NewDoc(crdt.Options{ClientID: 1})
	d.Transact(func(tx *crdt.Txn) {
		t := d.Text("t")
		_ = t.Insert(tx, 0, "hello 😀 world", nil)
		_ = t.Format(tx, 0, 5, crdt.Attributes{"bold": true})
		d.Map("m").Set(tx, "k", "v")
		_ = d.Array("arr").Insert(tx, 0, 1, "two", []byte{3})
		p, _ := d.XmlFragment("x").InsertElement(tx, 0, "paragraph")
		_, _ = p.InsertText(tx, 0, "text")
	})
	d.Transact(func(tx *crdt.Txn) { _ = d.Text("t").Delete(tx, 2, 3) })
	return d.EncodeStateAsUpdate(nil)
}

// FuzzApplyUpdate checks that any byte string is either integrated, leaving
// a document that re-encodes and reloads to the same state, or rejected with
// the document exactly as it was. It never panics or hangs.
func FuzzApplyUpdate(f *testing.F) {
	for _, u := range goldenUpdates(f) {
		f.Add(u)
	}
	base := fuzzBase(f)
	f.Fuzz(func(t *testing.T, update []byte) {
		for _, withBase := range []bool{false, true} {
			d := crdt.NewDoc(crdt.Options{ClientID: 77})
			if withBase {
				if err := d.ApplyUpdate(base); err != nil {
					t.Fatal(err)
				}
			}
			before := d.EncodeStateAsUpdate(nil)
			if err := d.ApplyUpdate(update); err != nil {
				if after := d.EncodeStateAsUpdate(nil); !bytes.Equal(before, after) {
					t.Fatalf("rejected update changed the document: %v", err)
				}
				continue
			}
			if err := crdt.CheckDoc(d); err != nil {
				t.Fatalf("invariant broken: %v", err)
			}
			state := d.EncodeStateAsUpdate(nil)
			if err := d.ApplyUpdate(update); err != nil {
				t.Fatalf("second apply failed: %v", err)
			}
			if again := d.EncodeStateAsUpdate(nil); !bytes.Equal(state, again) {
				t.Fatalf("applying the same update twice changed the document")
			}
			re := crdt.NewDoc(crdt.Options{ClientID: 78})
			if err := re.ApplyUpdate(state); err != nil {
				t.Fatalf("own encoding rejected: %v", err)
			}
			// Pending structs travel with the state and may integrate on the
			// other side (a slice of one gains an origin), so with pending data
			// the reload holds at least as much, otherwise exactly as much.
			got, want := re.StateVector(), d.StateVector()
			for c, clock := range want {
				if got[c] < clock {
					t.Fatalf("reloaded state lacks client %d: %d < %d", c, got[c], clock)
				}
			}
			if !d.HasPending() && !bytes.Equal(re.EncodeStateVector(), d.EncodeStateVector()) {
				t.Fatalf("reloaded state vector differs")
			}
		}
	})
}

// FuzzDecodeStateVector checks the state vector decoder on any input.
func FuzzDecodeStateVector(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{1, 7, 4})
	f.Add([]byte{2, 0x87, 0xe1, 0x9c, 0xa3, 0x0f, 3, 1, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		sv, err := crdt.DecodeStateVector(b)
		if err != nil {
			return
		}
		back, err := crdt.DecodeStateVector(sv.Encode())
		if err != nil || len(back) != len(sv) {
			t.Fatalf("state vector does not round-trip: %v", err)
		}
	})
}
