package redisstore_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/commonpad/commonpad/server/store"
	"github.com/commonpad/commonpad/server/store/redisstore"
	"github.com/commonpad/commonpad/server/store/storetest"
	redistest "github.com/commonpad/commonpad/tools/redis-test"
)

// runSuites runs both conformance suites on clients from newClient, each
// test on a fresh prefix of the same throwaway deployment, and each
// reopen on a new client, as another instance would.
func runSuites(t *testing.T, newClient func() redis.UniversalClient) {
	var n atomic.Int64
	open := func(t *testing.T) (*redisstore.Store, func() *redisstore.Store) {
		prefix := fmt.Sprintf("t%d:", n.Add(1))
		reopen := func() *redisstore.Store {
			c := newClient()
			t.Cleanup(func() { _ = c.Close() })
			s, err := redisstore.New(c, redisstore.Options{Prefix: prefix})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			t.Cleanup(func() { _ = s.Close() })
			return s
		}
		return reopen(), reopen
	}
	t.Run("Log", func(t *testing.T) {
		storetest.RunLog(t, func(t *testing.T) (store.Log, func() store.Log) {
			s, reopen := open(t)
			return s, func() store.Log { return reopen() }
		})
	})
	t.Run("Pads", func(t *testing.T) {
		storetest.RunPads(t, func(t *testing.T) (store.Pads, func() store.Pads) {
			s, reopen := open(t)
			return s, func() store.Pads { return reopen() }
		})
	})
	t.Run("Authors", func(t *testing.T) {
		storetest.RunAuthors(t, func(t *testing.T) (store.Authors, func() store.Authors) {
			s, reopen := open(t)
			return s, func() store.Authors { return reopen() }
		})
	})
}

// A Cluster spreads pads over its masters and refuses any script or
// transaction whose keys span slots, so passing here shows that each
// touches one slot only.
func TestCluster(t *testing.T) {
	c := redistest.NeedCluster(t, 3)
	newClient := func() redis.UniversalClient {
		return redis.NewClusterClient(&redis.ClusterOptions{
			Addrs:                    c.Addrs(),
			MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
		})
	}
	runSuites(t, newClient)
	t.Run("KeySlot", func(t *testing.T) {
		rdb := newClient()
		defer rdb.Close()
		for i := range 200 {
			key := fmt.Sprintf("pad:{p%d}:log", i)
			if i%2 == 1 {
				key = fmt.Sprintf("no tag %d", i)
			}
			want, err := rdb.ClusterKeySlot(t.Context(), key).Result()
			if err != nil {
				t.Fatal(err)
			}
			if got := redisstore.KeySlot(key); got != int(want) {
				t.Errorf("KeySlot(%q) = %d, CLUSTER KEYSLOT says %d", key, got, want)
			}
		}
	})
	// Pads of different slots cannot share an XREAD (Redis answers
	// CROSSSLOT), so each slot gets its own reader: the pool must hold
	// them. Followed together, each pad must still get its records.
	t.Run("ManyPads", func(t *testing.T) {
		rdb := redis.NewClusterClient(&redis.ClusterOptions{
			Addrs:                    c.Addrs(),
			PoolSize:                 64,
			MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
		})
		defer rdb.Close()
		s, err := redisstore.New(rdb, redisstore.Options{Prefix: "many:"})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		followAll(t, s, 40)
	})
}

// Through Sentinel, the store gets a failover client that finds the
// primary by name.
func TestSentinel(t *testing.T) {
	_, sentinel := redistest.NeedSentinel(t, "m")
	runSuites(t, func() redis.UniversalClient {
		return redis.NewFailoverClient(&redis.FailoverOptions{
			MasterName:    "m",
			SentinelAddrs: []string{sentinel.Addr},
		})
	})
}
