package boltstore_test

import (
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonpad/commonpad/server/store/boltstore"
)

// BenchmarkAppend measures group commit: N goroutines, each a room with its
// own pad, append one small update per call, as the server does. ns/op is
// per Append across all goroutines; appends/commit is how many calls shared
// each write transaction (each is one bbolt commit: a data fdatasync and a
// meta fdatasync).
func BenchmarkAppend(b *testing.B) {
	for _, delay := range []struct {
		name string
		d    int64 // Options.MaxBatchDelay in ns
	}{{"wait=2ms", 0}, {"wait=none", -1}} {
		for _, n := range []int{1, 16, 64} {
			b.Run(fmt.Sprintf("%s/appenders=%d", delay.name, n), func(b *testing.B) {
				s, err := boltstore.Open(filepath.Join(b.TempDir(), "pads.db"), boltstore.Options{MaxBatchDelay: durationNS(delay.d)})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				update := make([]byte, 64)
				var next atomic.Int64
				b.ReportAllocs()
				b.ResetTimer()
				var wg sync.WaitGroup
				for g := range n {
					wg.Go(func() {
						pad := fmt.Sprintf("pad-%d", g)
						for next.Add(1) <= int64(b.N) {
							if _, err := s.Append(b.Context(), pad, "bench", update); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				wg.Wait()
				b.StopTimer()
				commits, calls := s.CommitStats()
				b.ReportMetric(float64(calls)/float64(max(commits, 1)), "appends/commit")
			})
		}
	}
}

func durationNS(ns int64) time.Duration { return time.Duration(ns) }
