package main

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/commonpad/commonpad/crdt"
)

// Client ids: the writer of recorded updates (in yjs too) and the docs that
// receive them must differ, or a receiver would take the writer's edits for
// its own and change its id.
const (
	writerClient = 1
	applyClient  = 2
	loadClient   = 3
	textName     = "text"
	fastStepRuns = 10 // encode and load run this many times more: they are short and noisy
)

// figures are the measurements of one implementation on one trace. Times
// are medians; a zero-valued entry means "not measured".
type figures struct {
	Replay, Apply, Encode, Load time.Duration
	StateBytes                  int
	HeapBytes                   int64
}

// outcome is what running our side produced besides figures: the state it
// encoded and the correctness failures it found.
type outcome struct {
	figures
	state    []byte
	failures []string
	failed   map[byte]bool // by step: 'a' to 'd'
}

func (o *outcome) fail(step byte, format string, args ...any) {
	o.failures = append(o.failures, fmt.Sprintf("commonpad (%c) ", step)+fmt.Sprintf(format, args...))
	o.failed[step] = true
}

// editText applies one patch inside a transaction.
func editText(tx *crdt.Txn, t *crdt.Text, p patch) error {
	if p.Del > 0 {
		if err := t.Delete(tx, p.Pos, p.Del); err != nil {
			return err
		}
	}
	if p.Ins != "" {
		return t.Insert(tx, p.Pos, p.Ins, nil)
	}
	return nil
}

// replay runs the trace as local edits, one transaction per txn.
func replay(tr *trace) (*crdt.Doc, error) {
	d := crdt.NewDoc(crdt.Options{ClientID: writerClient})
	t := d.Text(textName)
	var err error
	for i, tn := range tr.Txns {
		d.Transact(func(tx *crdt.Txn) {
			for _, p := range tn.Patches {
				if err = editText(tx, t, p); err != nil {
					return
				}
			}
		})
		if err != nil {
			return d, fmt.Errorf("txn %d: %w", i, err)
		}
	}
	return d, nil
}

// applyAll applies updates one by one to a fresh doc.
func applyAll(updates [][]byte) (*crdt.Doc, error) {
	d := crdt.NewDoc(crdt.Options{ClientID: applyClient})
	for i, u := range updates {
		if err := d.ApplyUpdate(u); err != nil {
			return d, fmt.Errorf("update %d: %w", i, err)
		}
	}
	return d, nil
}

func load(state []byte) (*crdt.Doc, error) {
	d := crdt.NewDoc(crdt.Options{ClientID: loadClient})
	return d, d.ApplyUpdate(state)
}

// recordUpdates replays the trace with one transaction per patch and
// returns the update each one emitted: the Go-only stand-in for the updates
// yjs records.
func recordUpdates(tr *trace) ([][]byte, error) {
	d := crdt.NewDoc(crdt.Options{ClientID: writerClient})
	t := d.Text(textName)
	var updates [][]byte
	d.OnUpdate(func(ev crdt.UpdateEvent) { updates = append(updates, bytes.Clone(ev.Update)) })
	var err error
	for i, p := range tr.patches() {
		d.Transact(func(tx *crdt.Txn) { err = editText(tx, t, p) })
		if err != nil {
			return nil, fmt.Errorf("patch %d: %w", i, err)
		}
	}
	return updates, nil
}

// timed runs fn once untimed and then n times, and returns the median
// duration and the last result, or the first error.
func timed[T any](n int, fn func() (T, error)) (time.Duration, T, error) {
	res, err := fn()
	if err != nil {
		return 0, res, err
	}
	ds := make([]time.Duration, n)
	for i := range ds {
		var zero T
		res = zero // let the previous result be collected before the next run
		runtime.GC()
		t0 := time.Now()
		res, err = fn()
		ds[i] = time.Since(t0)
		if err != nil {
			return 0, res, err
		}
	}
	return median(ds), res, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// guard turns a panic of the crdt into an error, so that one broken step
// is reported like a wrong text rather than ending the whole run.
func guard[T any](fn func() (T, error)) func() (T, error) {
	return func() (res T, err error) {
		err = safely(func() error {
			var e error
			res, e = fn()
			return e
		})
		return res, err
	}
}

// phase runs fn under a pprof label, so that one CPU profile can be read
// per step with -tagfocus=phase=<name>.
func phase(tr *trace, name string, fn func()) {
	pprof.Do(context.Background(), pprof.Labels("phase", name, "trace", tr.Name), func(context.Context) { fn() })
}

// runOurs measures our crdt on tr, applying updates (one per patch) for
// (b), and checks every final text.
func runOurs(tr *trace, updates [][]byte, runs int) *outcome {
	o := &outcome{failed: make(map[byte]bool)}
	check := func(step byte, d *crdt.Doc) {
		if got := d.Text(textName).String(); got != tr.EndContent {
			o.fail(step, "%s", describeMismatch(got, tr.EndContent))
		}
	}
	phase(tr, "replay", func() {
		dur, d, err := timed(runs, guard(func() (*crdt.Doc, error) { return replay(tr) }))
		if err != nil {
			o.fail('a', "%v", err)
			return
		}
		o.Replay = dur
		check('a', d)
	})
	var applied *crdt.Doc
	phase(tr, "apply", func() {
		dur, d, err := timed(runs, guard(func() (*crdt.Doc, error) { return applyAll(updates) }))
		if err != nil {
			o.fail('b', "%v", err)
			return
		}
		o.Apply, applied = dur, d
		check('b', d)
	})
	if applied == nil {
		return o
	}
	phase(tr, "encode", func() {
		dur, state, err := timed(fastStepRuns*runs, guard(func() ([]byte, error) { return applied.EncodeStateAsUpdate(nil), nil }))
		if err != nil {
			o.fail('c', "%v", err)
			return
		}
		o.Encode, o.state, o.StateBytes = dur, state, len(state)
	})
	if o.state == nil {
		return o
	}
	phase(tr, "load", func() {
		dur, d, err := timed(fastStepRuns*runs, guard(func() (*crdt.Doc, error) { return load(o.state) }))
		if err != nil {
			o.fail('d', "%v", err)
			return
		}
		o.Load = dur
		check('d', d)
	})
	o.HeapBytes = liveHeap(o.state)
	return o
}

// liveHeap returns how much the Go heap grows, after full collections, when
// state is loaded into a doc that stays alive. The state is copied first so
// that the copy is counted only if the doc keeps it.
func liveHeap(state []byte) int64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	d, _ := load(bytes.Clone(state))
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(d)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

// describeMismatch says where got first differs from want.
func describeMismatch(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	return fmt.Sprintf("final text differs from endContent at byte %d (length %d, want %d): got %q, want %q",
		i, len(got), len(want), excerpt(got, i), excerpt(want, i))
}

func excerpt(s string, at int) string {
	lo, hi := max(at-20, 0), min(at+20, len(s))
	return s[lo:hi]
}
