package redisstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
)

// followCount caps the records one XREAD returns, so a follower far
// behind copies the log in pieces rather than all at once.
const followCount = 128

// Follow implements store.Log.
//
// It blocks in XREAD on a connection of its own, taken from the client's
// pool for as long as Follow runs (see the package documentation for the
// pool budget). Cancelling ctx or closing the store interrupts the XREAD
// with CLIENT UNBLOCK from the node's control connection.
//
// Compaction is detected by reading the snapshot's covered ID on the same
// connection right after each XREAD, and once before the first: the
// covered ID only grows, so if it is still at or below the cursor after
// the XREAD, it was when the XREAD ran, and the records it returned
// follow the cursor without a gap.
func (s *Store) Follow(ctx context.Context, pad string, after store.Seq, fn func(store.Record) error) error {
	if err := store.CheckID(pad); err != nil {
		return s.wrapErr("follow", err)
	}
	if err := s.begin(ctx); err != nil {
		return err
	}
	k := s.padKeys(pad)
	op := fmt.Sprintf("follow %q", pad)
	node, err := s.nodeFor(ctx, k.log)
	if err != nil {
		return s.stopErr(ctx, s.wrapErr(op, err))
	}
	ctl, err := s.acquireFollow(ctx, node)
	if err != nil {
		return s.stopErr(ctx, s.wrapErr(op, err))
	}
	defer s.releaseFollow()
	fc, err := dialFollow(ctx, node)
	if err != nil {
		return s.stopErr(ctx, s.wrapErr(op, err))
	}
	defer fc.conn.Close()
	stop, interrupted := make(chan struct{}), make(chan struct{})
	go s.interruptOnDone(ctx, ctl, fc, stop, interrupted)
	defer func() {
		close(stop)
		<-interrupted
	}()

	cursor := after
	checkCompacted := func() error {
		through, err := compactedThrough(ctx, fc.conn, k.snapshot)
		if err != nil {
			return s.stopErr(ctx, s.wrapErr(op, err))
		}
		if cursor.Less(through) {
			return fmt.Errorf("redisstore: %s from %v: %w through %v", op, cursor, store.ErrCompacted, through)
		}
		return nil
	}
	if err := checkCompacted(); err != nil {
		return err
	}
	for {
		if err := s.begin(ctx); err != nil {
			return err
		}
		// The XREAD ignores ctx: interruptOnDone ends it, and a deadline
		// turned into a socket timeout would cost the connection.
		streams, err := fc.conn.XRead(context.WithoutCancel(ctx), &redis.XReadArgs{
			Streams: []string{k.log, streamID(cursor)},
			Count:   followCount,
			Block:   s.followBlock,
		}).Result()
		if errors.Is(err, redis.Nil) {
			continue // timed out, or interrupted: begin says which
		}
		if err != nil {
			return s.stopErr(ctx, s.wrapErr(op, err))
		}
		if err := checkCompacted(); err != nil {
			return err
		}
		for _, st := range streams {
			for _, m := range st.Messages {
				r, err := decodeRecord(m)
				if err != nil {
					return s.wrapErr(op, err)
				}
				if err := s.begin(ctx); err != nil {
					return err
				}
				if err := fn(r); err != nil {
					return err
				}
				cursor = r.Seq
			}
		}
	}
}

// stopErr prefers the reason Follow was asked to stop over the error a
// command failed with meanwhile.
func (s *Store) stopErr(ctx context.Context, err error) error {
	if berr := s.begin(ctx); berr != nil {
		return berr
	}
	return err
}
