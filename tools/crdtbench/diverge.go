package main

import (
	"fmt"
	"runtime/debug"

	"github.com/commonpad/commonpad/crdt"
)

// checkpoint is how many steps pass between full text comparisons while
// looking for a divergence: comparing every step would make the search
// quadratic in the trace, and the length is compared at every step anyway.
const checkpoint = 512

// stepper is a replay that can be driven one step at a time: a step is a
// txn for the local replay and an update (one patch) for the apply path.
type stepper struct {
	what    string // "txn" or "update"
	n       int
	patches func(i int) []patch // the patches step i makes
	start   func() (*crdt.Doc, func(i int) error)
}

func replayStepper(tr *trace) stepper {
	return stepper{
		what:    "txn",
		n:       len(tr.Txns),
		patches: func(i int) []patch { return tr.Txns[i].Patches },
		start: func() (*crdt.Doc, func(int) error) {
			d := crdt.NewDoc(crdt.Options{ClientID: writerClient})
			t := d.Text(textName)
			return d, func(i int) error {
				var err error
				d.Transact(func(tx *crdt.Txn) {
					for _, p := range tr.Txns[i].Patches {
						if err = editText(tx, t, p); err != nil {
							return
						}
					}
				})
				return err
			}
		},
	}
}

// applyStepper needs one update per patch, in order.
func applyStepper(tr *trace, updates [][]byte) stepper {
	ps := tr.patches()
	return stepper{
		what:    "update",
		n:       min(len(ps), len(updates)),
		patches: func(i int) []patch { return ps[i : i+1] },
		start: func() (*crdt.Doc, func(int) error) {
			d := crdt.NewDoc(crdt.Options{ClientID: applyClient})
			return d, func(i int) error { return d.ApplyUpdate(updates[i]) }
		},
	}
}

// firstDivergence replays s against the reference text and describes the
// first step after which the document's text differs, or fails, or panics.
func firstDivergence(s stepper) string {
	i, why := s.scan(s.n, func(i int) bool { return i%checkpoint == checkpoint-1 || i == s.n-1 })
	if i < 0 {
		return fmt.Sprintf("no divergence when replayed %s by %s: %s", s.what, s.what, why)
	}
	if i%checkpoint == checkpoint-1 || i == s.n-1 {
		// Found by a full comparison: it may have started earlier in the window.
		from := i - i%checkpoint
		i, why = s.scan(i+1, func(j int) bool { return j >= from })
	}
	return fmt.Sprintf("first diverges at %s %d of %d %v: %s", s.what, i, s.n, s.patches(i), why)
}

// scan runs steps [0, limit), comparing lengths after each and full texts
// where full says so. It returns the failing step and why, or -1.
func (s stepper) scan(limit int, full func(i int) bool) (int, string) {
	d, step := s.start()
	t := d.Text(textName)
	var ref gapText
	for i := range limit {
		for _, p := range s.patches(i) {
			if err := ref.splice(p); err != nil {
				return i, fmt.Sprintf("the trace itself is inconsistent: %v", err)
			}
		}
		if err := safely(func() error { return step(i) }); err != nil {
			return i, err.Error()
		}
		if t.Len() != ref.Len() {
			return i, fmt.Sprintf("length %d, want %d", t.Len(), ref.Len())
		}
		if full(i) {
			if got, want := t.String(), ref.String(); got != want {
				return i, describeMismatch(got, want)
			}
		}
	}
	return -1, "the texts agree at every step"
}

// safely turns a panic in fn into an error carrying its stack.
func safely(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return fn()
}

func (p patch) String() string {
	ins := p.Ins
	if r := []rune(ins); len(r) > 20 {
		ins = string(r[:20]) + "…"
	}
	return fmt.Sprintf("[%d,%d,%q]", p.Pos, p.Del, ins)
}
