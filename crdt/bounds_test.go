package crdt_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt"
)

// allocBound is the most ApplyUpdate may allocate for an input of n bytes:
// every struct, value and string it builds is paid for by input bytes.
func allocBound(n int) uint64 { return 64<<10 + 512*uint64(n) }

func allocatedBy(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestApplyUpdateAllocationIsBoundedByInput(t *testing.T) {
	hostile := [][]byte{
		// 2^53-1 client blocks.
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f},
		// One block claiming 2^53-1 structs.
		{0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x00},
		// An Any item claiming 2^40 values, an array of 2^40 elements.
		{0x01, 0x01, 0x01, 0x00, 0x08, 0x01, 0x01, 0x74, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20},
		{0x01, 0x01, 0x01, 0x00, 0x08, 0x01, 0x01, 0x74, 0x01, 0x75, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20},
		// A string claiming 2^40 bytes.
		{0x01, 0x01, 0x01, 0x00, 0x04, 0x01, 0x01, 0x74, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20},
		// A delete set claiming 2^53-1 ranges.
		{0x00, 0x01, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f},
		// A GC struct covering almost every clock, then a huge delete range.
		{0x01, 0x01, 0x01, 0x00, 0x00, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x01, 0x01, 0x00, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f},
	}
	inputs := append(hostile, goldenUpdates(t)...)
	base := fuzzBase(t)
	for i, in := range inputs {
		d := crdt.NewDoc(crdt.Options{ClientID: 77})
		_ = d.ApplyUpdate(base)
		start := time.Now()
		got := allocatedBy(func() { _ = d.ApplyUpdate(in) })
		if got > allocBound(len(in)) {
			t.Errorf("input %d (%d bytes): allocated %d bytes, bound %d", i, len(in), got, allocBound(len(in)))
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("input %d took %v", i, d)
		}
	}
}
