package redisstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
)

// followCount caps the records one XREAD returns per pad, so a follower
// far behind copies the log in pieces rather than all at once; it is
// also the queue length at which a pad's reading pauses (see sub).
const followCount = 128

// Follow implements store.Log.
//
// The pad joins a reader: a connection shared with other pads of the
// same node (see Options.FollowFanIn and the package documentation),
// blocked in one XREAD on all their streams. The reader
// queues the pad's records, and Follow calls fn for them here, in the
// caller's goroutine. Cancelling ctx or closing the store returns at
// once; the reader drops the pad from its next XREAD.
//
// Compaction is detected by reading the snapshot's covered ID on the
// reader's connection once before the pad's first XREAD, and right after
// each XREAD that returns records for it.
func (s *Store) Follow(ctx context.Context, pad string, after store.Seq, fn func(store.Record) error) error {
	if err := store.CheckID(pad); err != nil {
		return s.wrapErr("follow", err)
	}
	if err := s.begin(ctx); err != nil {
		return err
	}
	k := s.padKeys(pad)
	op := fmt.Sprintf("follow %q", pad)
	r, sb, err := s.join(ctx, k, after)
	if err != nil {
		return s.stopErr(ctx, s.wrapErr(op, err))
	}
	defer r.leave(sb)
	for {
		select {
		case <-sb.ready:
		case <-ctx.Done():
			return s.begin(ctx)
		case <-s.closing:
			return store.ErrClosed
		}
		recs, ferr := r.take(sb)
		for _, rec := range recs {
			if err := s.begin(ctx); err != nil {
				return err
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		var ce compactedError
		switch {
		case ferr == nil:
		case errors.As(ferr, &ce):
			return fmt.Errorf("redisstore: %s from %v: %w through %v", op, ce.from, store.ErrCompacted, ce.through)
		case errors.Is(ferr, errCorrupt):
			return s.wrapErr(op, ferr)
		default:
			return s.stopErr(ctx, s.wrapErr(op, ferr))
		}
	}
}

// join puts a new Follow of k's pad on a reader of the pad's node (and
// slot) that does not read the pad already: the first with fewer than
// fanIn pads, else a new one, or once there are maxReaders, the least
// loaded.
func (s *Store) join(ctx context.Context, k keys, after store.Seq) (*reader, *sub, error) {
	node, err := s.nodeFor(ctx, k.log)
	if err != nil {
		return nil, nil, err
	}
	gk := groupKey{node: node, slot: -1}
	if _, ok := s.rdb.(*redis.ClusterClient); ok {
		gk.slot = keySlot(k.log)
	}
	s.mu.Lock()
	if s.closed() {
		s.mu.Unlock()
		return nil, nil, store.ErrClosed
	}
	var r, least *reader
	g := s.groups[gk]
	for _, c := range g {
		switch {
		case c.keys[k.log]:
		case len(c.keys) < s.fanIn:
			r = c
		case least == nil || len(c.keys) < len(least.keys):
			least = c
		}
		if r != nil {
			break
		}
	}
	if r == nil && len(g) >= s.maxReaders {
		// Only a pad followed more often than there are readers opens
		// one past the cap: a reader reads each pad once.
		r = least
	}
	start := r == nil
	if start {
		r = newReader(s, gk, s.controlFor(node))
		s.groups[gk] = append(s.groups[gk], r)
		s.readers++
	}
	r.keys[k.log] = true
	s.mu.Unlock()
	if start {
		go r.run()
	}
	sb := newSub(k, after)
	r.add(sb)
	return r, sb, nil
}

// stopErr prefers the reason Follow was asked to stop over the error a
// command failed with meanwhile.
func (s *Store) stopErr(ctx context.Context, err error) error {
	if berr := s.begin(ctx); berr != nil {
		return berr
	}
	return err
}
