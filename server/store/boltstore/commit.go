package boltstore

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/commonpad/commonpad/server/store"
)

// appendReq is one Append call on its way through the committer.
type appendReq struct {
	ctx    context.Context
	pad    []byte
	values [][]byte // encoded records, owned by the request
	seqs   []store.Seq
	done   chan error // buffered; the committer sends exactly once
}

// Append implements store.Log. It returns once its updates are committed
// and fsynced, in a transaction it may share with concurrent callers.
func (s *Store) Append(ctx context.Context, pad, origin string, updates ...[]byte) ([]store.Seq, error) {
	if err := store.CheckID(pad); err != nil {
		return nil, wrapErr("append", err)
	}
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	if len(updates) == 0 {
		return nil, nil
	}
	r := &appendReq{ctx: ctx, pad: []byte(pad), values: make([][]byte, len(updates)), done: make(chan error, 1)}
	for i, u := range updates {
		if len(origin)+len(u) > bolt.MaxValueSize-16 {
			return nil, fmt.Errorf("boltstore: append to %q: %w: update of %d bytes", pad, store.ErrInvalid, len(u))
		}
		r.values[i] = recordValue(origin, u)
	}

	s.pending.Add(1)
	select {
	case s.reqs <- r:
	case <-s.closing:
		s.pending.Add(-1)
		return nil, store.ErrClosed
	case <-ctx.Done():
		s.pending.Add(-1)
		return nil, ctx.Err()
	}
	// Once received, the request is committed or failed, never dropped, and
	// the caller waits for the verdict even if ctx ends: returning early
	// would report failure for updates that may yet become durable.
	if err := <-r.done; err != nil {
		return nil, err
	}
	return r.seqs, nil
}

// commitLoop is the committer goroutine: it owns every Append transaction.
func (s *Store) commitLoop() {
	defer close(s.committerDone)
	for {
		var first *appendReq
		select {
		case first = <-s.reqs:
			s.pending.Add(-1)
		case <-s.closing:
			return
		}
		s.commit(s.collect(first))
	}
}

// collect gathers the batch that first opens: everything queued now, then,
// while appenders are known to be on their way, whatever arrives within
// maxDelay.
func (s *Store) collect(first *appendReq) []*appendReq {
	batch := []*appendReq{first}
	var timer *time.Timer
	for len(batch) < s.maxBatch {
		select {
		case r := <-s.reqs:
			s.pending.Add(-1)
			batch = append(batch, r)
			continue
		default:
		}
		if s.maxDelay < 0 || s.pending.Load() <= 0 {
			break
		}
		if timer == nil {
			timer = time.NewTimer(s.maxDelay)
			defer timer.Stop()
		}
		select {
		case r := <-s.reqs:
			s.pending.Add(-1)
			batch = append(batch, r)
			continue
		case <-timer.C:
		case <-s.closing:
		}
		break
	}
	return batch
}

// commit writes a batch in one transaction and answers every request. A
// request that makes the transaction fail is answered with its error and
// the rest are retried without it, so one bad request cannot fail others;
// only a failing commit itself fails them all.
func (s *Store) commit(batch []*appendReq) {
	live := batch[:0]
	for _, r := range batch {
		// Not yet written, so a caller that gave up can be told so truthfully.
		if err := r.ctx.Err(); err != nil {
			r.done <- err
			continue
		}
		live = append(live, r)
	}
	for len(live) > 0 {
		failed := -1
		err := s.db.Update(func(tx *bolt.Tx) error {
			pads := tx.Bucket(bucketPads)
			for i, r := range live {
				if err := appendTx(pads, r); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed >= 0 {
			live[failed].done <- wrapErr(fmt.Sprintf("append to %q", live[failed].pad), err)
			live = append(live[:failed], live[failed+1:]...)
			continue
		}
		if err == nil {
			s.commits.Add(1)
			s.committed.Add(uint64(len(live)))
			s.notifyAll(live)
		}
		for _, r := range live {
			r.done <- wrapErr("append commit", err)
		}
		return
	}
}

// appendTx adds one request's records. It may run more than once for the
// same request (after a retry), so it recomputes r.seqs from scratch.
func appendTx(pads *bolt.Bucket, r *appendReq) error {
	pb, err := pads.CreateBucketIfNotExists(r.pad)
	if err != nil {
		return err
	}
	log, err := pb.CreateBucketIfNotExists(keyLog)
	if err != nil {
		return err
	}
	// Keys only ever grow, so full pages split less and waste less.
	log.FillPercent = 1.0
	r.seqs = r.seqs[:0]
	for _, v := range r.values {
		// The root bucket's sequence, not the pad's, so Seqs survive Delete.
		n, err := pads.NextSequence()
		if err != nil {
			return err
		}
		if err := log.Put(seqKey(n), v); err != nil {
			return err
		}
		r.seqs = append(r.seqs, store.Seq{Lo: n})
	}
	return nil
}

func (s *Store) notifyAll(batch []*appendReq) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range batch {
		s.notifyLocked(string(r.pad))
	}
}
