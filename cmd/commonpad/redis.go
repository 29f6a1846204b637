package main

import (
	"context"
	"fmt"
	"time"

	"github.com/commonpad/commonpad/server/store/redisstore"
	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"
)

// Pool sizes unless the URL sets pool_size (see the redisstore
// documentation for what its follows hold). A single server or a
// Sentinel-found primary follows every open pad over at most
// redisstore.DefaultFollowConns connections, plus one to interrupt them,
// leaving the rest for appends, loads and metadata. A Cluster cannot
// XREAD across slots, so each node keeps one follower connection per
// slot that holds open pads: up to one per open pad, as many as the node
// has slots.
const (
	redisServerPoolSize = 100
	redisPoolSize       = 1000 // per Cluster node
)

// redisBackend is the store and the bus of an instance that shares its
// pads with others through Redis.
type redisBackend struct {
	rdb   redis.UniversalClient
	store *redisstore.Store
	bus   *redisBus
	stop  context.CancelFunc
}

// openRedis never fails for want of a reachable server: the instance
// starts, logs the error, answers /readyz with 503 and keeps trying, so a
// load balancer holds traffic back until Redis answers and no process
// manager has to restart it in a loop. It never falls back to the
// embedded store, whose pads the other instances could not see.
func openRedis(rawURL string, log zerolog.Logger) (*redisBackend, error) {
	rdb, where, err := newRedisClient(rawURL)
	if err != nil {
		return nil, err
	}
	st, err := redisstore.New(rdb, redisstore.Options{})
	if err != nil {
		_ = rdb.Close()
		return nil, fmt.Errorf("commonpad: %w", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	b := &redisBackend{rdb: rdb, store: st, bus: newRedisBus(rdb, log), stop: stop}
	log = log.With().Str("redis", where).Logger()
	if err := ping(ctx, rdb); err != nil {
		log.Error().Err(err).Msg("redis unreachable: /readyz answers 503 until it is; retrying")
		go b.waitReachable(ctx, log)
	} else {
		log.Info().Msg("redis reachable")
	}
	return b, nil
}

func ping(ctx context.Context, rdb redis.UniversalClient) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return rdb.Ping(ctx).Err()
}

func (b *redisBackend) waitReachable(ctx context.Context, log zerolog.Logger) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := ping(ctx, b.rdb)
		if err == nil {
			log.Info().Msg("redis reachable")
			return
		}
		if ctx.Err() == nil {
			log.Error().Err(err).Msg("redis still unreachable")
		}
	}
}

// Close releases the store, the bus and then the client they share.
func (b *redisBackend) Close() error {
	b.stop()
	_ = b.store.Close()
	b.bus.Close()
	return b.rdb.Close()
}
