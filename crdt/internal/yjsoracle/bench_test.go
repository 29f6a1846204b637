package yjsoracle

import (
	"strconv"
	"testing"
)

// These measure the cost of one round trip, which bounds how many ops a differential test
// can afford: go test -run '^$' -bench . ./crdt/internal/yjsoracle

func BenchmarkPing(b *testing.B) {
	o := ForTest(b)
	for b.Loop() {
		if err := o.Ping(); err != nil {
			b.Fatal(err)
		}
	}
}

// Inserting at the front keeps yjs' own cost flat: appending would merge into one ever
// longer string item, which yjs re-slices on every event (O(n) per keystroke).
func BenchmarkOpsTextInsert(b *testing.B) {
	o := ForTest(b)
	newDoc(b, o, "a", 1)
	op := []Op{{Op: TextInsert, Root: "t", Index: 0, Text: "x"}}
	for b.Loop() {
		if _, err := o.Ops("a", op); err != nil {
			b.Fatal(err)
		}
	}
}

// One ops request plus applying its event to a second replica: the unit step of a
// two-replica differential run.
func BenchmarkOpsThenApply(b *testing.B) {
	o := ForTest(b)
	newDoc(b, o, "a", 1)
	newDoc(b, o, "b", 2)
	op := []Op{{Op: TextInsert, Root: "t", Index: 0, Text: "x"}}
	for b.Loop() {
		ev, err := o.Ops("a", op)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := o.Apply("b", ev[0]); err != nil {
			b.Fatal(err)
		}
	}
}

// 100 single-op requests in one batch; reported per request.
func BenchmarkBatch100(b *testing.B) {
	o := ForTest(b)
	reqs := make([]Request, 100)
	for i := range reqs {
		doc := "d" + strconv.Itoa(i%4)
		reqs[i] = ReqOps(doc, []Op{{Op: TextInsert, Root: "t", Index: 0, Text: "x"}})
	}
	for i := range 4 {
		newDoc(b, o, "d"+strconv.Itoa(i), uint64(i+1))
	}
	for b.Loop() {
		if _, err := o.Batch(reqs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(reqs)), "ns/req")
}

func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		o, err := Start()
		if err != nil {
			b.Skip(err)
		}
		o.Close()
	}
}
