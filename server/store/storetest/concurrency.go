package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/commonpad/commonpad/server/store"
)

// testConcurrentAppenders has many goroutines append to two pads at once,
// which is what group commit must get right: every update stored once,
// unique seqs matching what Append returned, and each goroutine's updates
// in the order it appended them.
func testConcurrentAppenders(t *testing.T, l store.Log, _ func() store.Log) {
	const (
		goroutines = 16
		calls      = 12
	)
	pads := []string{"p0", "p1"}
	returned := make([][]store.Seq, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			pad := pads[g%len(pads)]
			for c := range calls {
				updates := [][]byte{upd("g%02d-%03d", g, 2*c)}
				if c%3 == 0 { // some calls carry two updates
					updates = append(updates, upd("g%02d-%03d", g, 2*c+1))
				}
				seqs, err := l.Append(t.Context(), pad, fmt.Sprintf("g%02d", g), updates...)
				if err != nil {
					t.Errorf("goroutine %d call %d: %v", g, c, err)
					return
				}
				if len(seqs) != len(updates) {
					t.Errorf("goroutine %d call %d: %d seqs for %d updates", g, c, len(seqs), len(updates))
					return
				}
				returned[g] = append(returned[g], seqs...)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	for p, pad := range pads {
		s := mustLoad(t, l, pad)
		checkIncreasing(t, pad, s.Records)
		next := map[int]int{}  // goroutine -> next expected index
		taken := map[int]int{} // goroutine -> updates seen so far
		for _, r := range s.Records {
			var g, i int
			if _, err := fmt.Sscanf(string(r.Update), "g%02d-%03d", &g, &i); err != nil || g%len(pads) != p {
				t.Errorf("%s: unexpected record %q (origin %q)", pad, r.Update, r.Origin)
				continue
			}
			if r.Origin != fmt.Sprintf("g%02d", g) {
				t.Errorf("%s: record %q has origin %q", pad, r.Update, r.Origin)
			}
			if i < next[g] {
				t.Errorf("%s: goroutine %d update %d after update %d: order lost or duplicate", pad, g, i, next[g]-1)
			}
			next[g] = i + 1
			if k := taken[g]; k < len(returned[g]) && returned[g][k] != r.Seq {
				t.Errorf("%s: goroutine %d update %d stored as %v, Append returned %v", pad, g, i, r.Seq, returned[g][k])
			}
			taken[g]++
		}
		for g := p; g < goroutines; g += len(pads) {
			if taken[g] != len(returned[g]) {
				t.Errorf("%s: goroutine %d has %d records stored, appended %d", pad, g, taken[g], len(returned[g]))
			}
		}
	}
}
