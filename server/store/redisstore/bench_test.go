package redisstore_test

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonpad/commonpad/server/store"
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

// BenchmarkFollowLatency measures how long a record takes from Append to
// its Follow's callback while 1 or 1,000 pads are followed, all sharing
// the readers of one store. The appends go round the pads one at a time,
// so each op is one append and one wake-up of a reader blocked on every
// pad. p50-µs and p99-µs are the append-to-callback latencies.
func BenchmarkFollowLatency(b *testing.B) {
	for _, pads := range []int{1, 1000} {
		b.Run(fmt.Sprintf("pads=%d", pads), func(b *testing.B) {
			s := newStore(b, uniquePrefix(b), redisstore.Options{})
			got := make(chan time.Time, 1)
			for i := range pads {
				go func() {
					_ = s.Follow(b.Context(), fmt.Sprintf("pad-%d", i), store.Seq{}, func(store.Record) error {
						got <- time.Now()
						return nil
					})
				}()
			}
			// Every Follow is in the readers' XREADs once an append to
			// each has been seen.
			for i := range pads {
				if _, err := s.Append(b.Context(), fmt.Sprintf("pad-%d", i), "bench", []byte("warm")); err != nil {
					b.Fatal(err)
				}
				<-got
			}
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				start := time.Now()
				if _, err := s.Append(b.Context(), fmt.Sprintf("pad-%d", i%pads), "bench", []byte("u")); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, (<-got).Sub(start))
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}
