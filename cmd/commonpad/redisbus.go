package main

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"
)

// redisBus is server.Bus on Redis pub/sub: one channel per pad, one
// subscriber connection per process. Rooms never wait for Redis: publishes
// are queued (and dropped when the queue is full, awareness being
// ephemeral), and subscriptions are reconciled by a worker, so a Redis
// outage delays presence, never editing. go-redis resubscribes on its own
// after a reconnect.
type redisBus struct {
	rdb redis.UniversalClient
	ps  *redis.PubSub
	log zerolog.Logger

	out   chan busPublish
	dirty chan struct{} // the wanted subscriptions changed
	stop  chan struct{}
	done  sync.WaitGroup

	mu   sync.Mutex
	subs map[string]map[int]func([]byte) // by channel
	next int
}

type busPublish struct {
	channel string
	msg     []byte
}

const (
	busQueue   = 1024
	busTimeout = 2 * time.Second
)

func newRedisBus(rdb redis.UniversalClient, log zerolog.Logger) *redisBus {
	b := &redisBus{
		rdb:   rdb,
		ps:    rdb.Subscribe(context.Background()),
		log:   log,
		out:   make(chan busPublish, busQueue),
		dirty: make(chan struct{}, 1),
		stop:  make(chan struct{}),
		subs:  map[string]map[int]func([]byte){},
	}
	b.done.Add(2)
	go b.publisher()
	go b.receiver()
	return b
}

// Channels share the store's hash tag, so a pad's channel and keys read
// alike in monitoring.
func busChannel(pad string) string { return "pad:{" + pad + "}:awareness" }

func (b *redisBus) Publish(pad string, msg []byte) {
	select {
	case b.out <- busPublish{busChannel(pad), msg}:
	default:
	}
}

func (b *redisBus) Subscribe(pad string, fn func([]byte)) func() {
	ch := busChannel(pad)
	b.mu.Lock()
	if b.subs[ch] == nil {
		b.subs[ch] = map[int]func([]byte){}
	}
	id := b.next
	b.next++
	b.subs[ch][id] = fn
	b.mu.Unlock()
	b.changed()
	return func() {
		b.mu.Lock()
		delete(b.subs[ch], id)
		if len(b.subs[ch]) == 0 {
			delete(b.subs, ch)
		}
		b.mu.Unlock()
		b.changed()
	}
}

func (b *redisBus) changed() {
	select {
	case b.dirty <- struct{}{}:
	default:
	}
}

// publisher sends queued messages and brings Redis's subscriptions in line
// with the rooms'.
func (b *redisBus) publisher() {
	defer b.done.Done()
	subscribed := map[string]bool{}
	for {
		select {
		case <-b.stop:
			return
		case p := <-b.out:
			ctx, cancel := context.WithTimeout(context.Background(), busTimeout)
			if err := b.rdb.Publish(ctx, p.channel, p.msg).Err(); err != nil {
				b.log.Debug().Err(err).Msg("awareness publish failed")
			}
			cancel()
		case <-b.dirty:
			b.mu.Lock()
			var add, drop []string
			for ch := range b.subs {
				if !subscribed[ch] {
					add = append(add, ch)
				}
			}
			for ch := range subscribed {
				if b.subs[ch] == nil {
					drop = append(drop, ch)
				}
			}
			b.mu.Unlock()
			ctx, cancel := context.WithTimeout(context.Background(), busTimeout)
			// PubSub remembers the channels even when the command fails,
			// and subscribes to them again when it reconnects.
			if len(add) > 0 {
				if err := b.ps.Subscribe(ctx, add...); err != nil {
					b.log.Warn().Err(err).Msg("awareness subscribe failed; retried on reconnect")
				}
				for _, ch := range add {
					subscribed[ch] = true
				}
			}
			if len(drop) > 0 {
				_ = b.ps.Unsubscribe(ctx, drop...)
				for _, ch := range drop {
					delete(subscribed, ch)
				}
			}
			cancel()
		}
	}
}

func (b *redisBus) receiver() {
	defer b.done.Done()
	msgs := b.ps.Channel()
	for {
		select {
		case <-b.stop:
			return
		case m, ok := <-msgs:
			if !ok {
				return
			}
			b.dispatch(m)
		}
	}
}

func (b *redisBus) dispatch(m *redis.Message) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, fn := range b.subs[m.Channel] {
		fn([]byte(m.Payload)) // a copy each, which the room keeps
	}
}

// Close stops the bus; the caller closes the client afterwards.
func (b *redisBus) Close() {
	close(b.stop)
	_ = b.ps.Close()
	b.done.Wait()
}
