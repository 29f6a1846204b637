package redisstore_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonpad/commonpad/server/store/redisstore"
)

// BenchmarkAppend measures append throughput against the test server: N
// goroutines, each a room with its own pad, append a batch of small
// updates per call (one XADD, or one MULTI block of XADDs: one round trip
// either way). ns/op is per Append call across all goroutines;
// updates/s counts the updates they carried.
func BenchmarkAppend(b *testing.B) {
	for _, batch := range []int{1, 16} {
		for _, n := range []int{1, 16, 64} {
			b.Run(fmt.Sprintf("batch=%d/appenders=%d", batch, n), func(b *testing.B) {
				s := newStore(b, uniquePrefix(b), redisstore.Options{})
				updates := make([][]byte, batch)
				for i := range updates {
					updates[i] = make([]byte, 64)
				}
				var next atomic.Int64
				b.ReportAllocs()
				start := time.Now()
				b.ResetTimer()
				var wg sync.WaitGroup
				for g := range n {
					wg.Go(func() {
						pad := fmt.Sprintf("pad-%d", g)
						for next.Add(1) <= int64(b.N) {
							if _, err := s.Append(b.Context(), pad, "bench", updates...); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				wg.Wait()
				b.StopTimer()
				b.ReportMetric(float64(b.N*batch)/time.Since(start).Seconds(), "updates/s")
			})
		}
	}
}
