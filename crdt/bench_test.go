package crdt_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/commonpad/commonpad/crdt"
)

// Benchmarks on the real editing traces (josephg/editing-traces, described
// in the README beside them). They are read from -crdt.traces, else
// $COMMONPAD_TRACES, else ../shared/traces beside the repository, and the
// benchmarks skip when they are absent. tools/crdtbench runs the same steps
// side by side with yjs.
//
//	go test ./crdt -run '^$' -bench Trace -benchmem

var benchTracesFlag = flag.String("crdt.traces", "", "directory of the editing traces (default $COMMONPAD_TRACES, else ../shared/traces beside the repository)")

var benchTraceNames = []string{"automerge-paper", "seph-blog1"}

type benchTrace struct {
	EndContent string `json:"endContent"`
	Txns       []struct {
		Patches []benchPatch `json:"patches"`
	} `json:"txns"`
	patches int
}

// benchPatch is a splice [pos, del, ins]. The traces count code points, and
// both stay in the BMP, so positions are also UTF-16 units.
type benchPatch struct {
	pos, del int
	ins      string
}

func (p *benchPatch) UnmarshalJSON(b []byte) error {
	var raw [3]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	pos, ok1 := raw[0].(float64)
	del, ok2 := raw[1].(float64)
	ins, ok3 := raw[2].(string)
	if !ok1 || !ok2 || !ok3 {
		return fmt.Errorf("patch %s is not [position, deleteCount, insertText]", b)
	}
	*p = benchPatch{int(pos), int(del), ins}
	return nil
}

func benchTracesDir() string {
	if *benchTracesFlag != "" {
		return *benchTracesFlag
	}
	if d := os.Getenv("COMMONPAD_TRACES"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared", "traces")
}

var errNoTrace = errors.New("no trace")

// loadedTraces caches each trace across benchmarks: decoding one takes
// longer than a benchmark iteration.
var loadedTraces sync.Map // name -> func() (*benchTrace, error)

func loadBenchTrace(b *testing.B, name string) *benchTrace {
	b.Helper()
	f, _ := loadedTraces.LoadOrStore(name, sync.OnceValues(func() (*benchTrace, error) {
		path := filepath.Join(benchTracesDir(), name+".json.gz")
		raw, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w at %s (set -crdt.traces or COMMONPAD_TRACES)", errNoTrace, path)
		}
		if err != nil {
			return nil, err
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		tr := &benchTrace{}
		if err := json.NewDecoder(zr).Decode(tr); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, t := range tr.Txns {
			tr.patches += len(t.Patches)
		}
		return tr, nil
	}))
	tr, err := f.(func() (*benchTrace, error))()
	if errors.Is(err, errNoTrace) {
		b.Skip(err)
	}
	if err != nil {
		b.Fatal(err)
	}
	return tr
}

func editBenchText(tx *crdt.Txn, t *crdt.Text, p benchPatch) error {
	if p.del > 0 {
		if err := t.Delete(tx, p.pos, p.del); err != nil {
			return err
		}
	}
	if p.ins != "" {
		return t.Insert(tx, p.pos, p.ins, nil)
	}
	return nil
}

// replayBenchTrace runs the trace as local edits, one transaction per txn.
func replayBenchTrace(tr *benchTrace) (*crdt.Doc, error) {
	d := crdt.NewDoc(crdt.Options{ClientID: 1})
	t := d.Text("text")
	var err error
	for i, tn := range tr.Txns {
		d.Transact(func(tx *crdt.Txn) {
			for _, p := range tn.Patches {
				if err = editBenchText(tx, t, p); err != nil {
					return
				}
			}
		})
		if err != nil {
			return nil, fmt.Errorf("txn %d: %w", i, err)
		}
	}
	return d, nil
}

func checkBenchText(b *testing.B, d *crdt.Doc, tr *benchTrace) {
	b.Helper()
	if got := d.Text("text").String(); got != tr.EndContent {
		b.Fatalf("final text has length %d, want the trace's endContent of length %d", len(got), len(tr.EndContent))
	}
}

// benchUpdates returns the update of each patch, made by our crdt with one
// transaction per patch: what a server receives from an editor, recorded
// without needing node.
func benchUpdates(b *testing.B, tr *benchTrace) [][]byte {
	b.Helper()
	d := crdt.NewDoc(crdt.Options{ClientID: 1})
	t := d.Text("text")
	var updates [][]byte
	d.OnUpdate(func(ev crdt.UpdateEvent) { updates = append(updates, bytes.Clone(ev.Update)) })
	for i, tn := range tr.Txns {
		for _, p := range tn.Patches {
			var err error
			d.Transact(func(tx *crdt.Txn) { err = editBenchText(tx, t, p) })
			if err != nil {
				b.Fatalf("txn %d: %v", i, err)
			}
		}
	}
	if len(updates) != tr.patches {
		b.Fatalf("%d updates for %d patches", len(updates), tr.patches)
	}
	return updates
}

func benchState(b *testing.B, tr *benchTrace) []byte {
	b.Helper()
	d, err := replayBenchTrace(tr)
	if err != nil {
		b.Fatal(err)
	}
	return d.EncodeStateAsUpdate(nil)
}

// reportPerPatch adds the cost of one patch, the unit other CRDT
// benchmarks on these traces quote.
func reportPerPatch(b *testing.B, tr *benchTrace) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(tr.patches), "ns/patch")
}

func BenchmarkTraceReplay(b *testing.B) {
	for _, name := range benchTraceNames {
		b.Run(name, func(b *testing.B) {
			tr := loadBenchTrace(b, name)
			b.ReportAllocs()
			var d *crdt.Doc
			var err error
			for b.Loop() {
				if d, err = replayBenchTrace(tr); err != nil {
					b.Fatal(err)
				}
			}
			reportPerPatch(b, tr)
			checkBenchText(b, d, tr)
		})
	}
}

func BenchmarkTraceApplyUpdates(b *testing.B) {
	for _, name := range benchTraceNames {
		b.Run(name, func(b *testing.B) {
			tr := loadBenchTrace(b, name)
			updates := benchUpdates(b, tr)
			b.ReportAllocs()
			var d *crdt.Doc
			for b.Loop() {
				d = crdt.NewDoc(crdt.Options{ClientID: 2})
				for i, u := range updates {
					if err := d.ApplyUpdate(u); err != nil {
						b.Fatalf("update %d: %v", i, err)
					}
				}
			}
			reportPerPatch(b, tr)
			checkBenchText(b, d, tr)
		})
	}
}

func BenchmarkEncodeState(b *testing.B) {
	for _, name := range benchTraceNames {
		b.Run(name, func(b *testing.B) {
			tr := loadBenchTrace(b, name)
			d, err := replayBenchTrace(tr)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var state []byte
			for b.Loop() {
				state = d.EncodeStateAsUpdate(nil)
			}
			b.ReportMetric(float64(len(state)), "state-bytes")
		})
	}
}

func BenchmarkLoadState(b *testing.B) {
	for _, name := range benchTraceNames {
		b.Run(name, func(b *testing.B) {
			tr := loadBenchTrace(b, name)
			state := benchState(b, tr)
			b.ReportAllocs()
			var d *crdt.Doc
			for b.Loop() {
				d = crdt.NewDoc(crdt.Options{ClientID: 2})
				if err := d.ApplyUpdate(state); err != nil {
					b.Fatal(err)
				}
			}
			checkBenchText(b, d, tr)
		})
	}
}
