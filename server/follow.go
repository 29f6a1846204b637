package server

import (
	"context"
	"errors"
	"time"

	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/commonpad/commonpad/server/store"
)

// When several instances share the store (Config.Bus is set), each open
// room follows its pad's log: records that other instances appended are
// applied to the Doc and broadcast to the local members. They are durable
// already, so they go out at once. The room's own records come back too
// and only move its position: the Doc holds everything up to followSeq,
// which is therefore the point a snapshot of this room may cover.

// remoteMsg is what the follower hands to the room: one record, or after
// the records it waited for were compacted away, the whole reloaded pad.
type remoteMsg struct {
	rec  store.Record
	snap *store.Snapshot
}

const (
	followBackoffMin = 50 * time.Millisecond
	followBackoffMax = 2 * time.Second
)

func (r *room) shared() bool { return r.srv.cfg.Bus != nil }

// startFollower follows the log from what load read; the room stops it
// when it stops.
func (r *room) startFollower() {
	if !r.shared() {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	r.stopFollow = func() { cancel(); <-done }
	go func() {
		defer close(done)
		r.follow(ctx, r.followSeq)
	}()
}

// follow blocks in the store's Follow and keeps doing so across
// failures: a Redis restart costs a few retries, and following resumes
// from the last record handed over, so nothing is skipped or repeated.
func (r *room) follow(ctx context.Context, after store.Seq) {
	backoff := followBackoffMin
	for {
		err := r.srv.cfg.Store.Follow(ctx, r.pad, after, func(rec store.Record) error {
			if err := r.deliver(ctx, remoteMsg{rec: rec}); err != nil {
				return err
			}
			after, backoff = rec.Seq, followBackoffMin
			return nil
		})
		if ctx.Err() != nil || errors.Is(err, store.ErrClosed) {
			return
		}
		if errors.Is(err, store.ErrCompacted) {
			lctx, cancel := context.WithTimeout(ctx, r.srv.cfg.StoreTimeout)
			snap, lerr := r.srv.cfg.Store.Load(lctx, r.pad)
			cancel()
			if lerr == nil {
				if r.deliver(ctx, remoteMsg{snap: &snap}) != nil {
					return
				}
				after, backoff = snap.Through, followBackoffMin
				continue
			}
			err = lerr
		}
		r.srv.metrics.storeErrors[opFollow].Add(1)
		r.log.Warn().Err(err).Dur("retry_in", backoff).Msg("following the pad's log failed; retrying")
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, followBackoffMax)
	}
}

func (r *room) deliver(ctx context.Context, m remoteMsg) error {
	select {
	case r.remote <- m:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// covered is the last record the Doc is known to reflect together with
// every record before it: what a snapshot may replace.
func (r *room) covered() store.Seq {
	if r.shared() {
		return r.followSeq
	}
	return r.lastSeq
}

func (r *room) applyRemote(m remoteMsg) {
	if m.snap != nil {
		updates := make([][]byte, 0, len(m.snap.Records)+1)
		if m.snap.State != nil {
			updates = append(updates, m.snap.State)
		}
		r.logBytes, r.logRecords = 0, len(m.snap.Records)
		for _, rec := range m.snap.Records {
			updates = append(updates, rec.Update)
			r.logBytes += int64(len(rec.Update))
		}
		r.snapBytes = int64(len(m.snap.State))
		r.followSeq = m.snap.Through
		r.merge(updates)
		return
	}
	r.followSeq = m.rec.Seq
	if m.rec.Origin == r.srv.origin {
		return // applied before it was appended, and counted on its ack
	}
	r.logBytes += int64(len(m.rec.Update))
	r.logRecords++
	r.merge([][]byte{m.rec.Update})
}

// merge applies durable updates and shows members what they changed. If
// the Doc held updates parked for missing dependencies, what comes out may
// include them, and they were never stored: then the result goes through
// the committer like a local batch, durable before visible.
func (r *room) merge(updates [][]byte) {
	parked := r.doc.HasPending()
	var out [][]byte
	r.captured = &out
	errs := r.doc.ApplyUpdates(updates, nil)
	r.captured = nil
	for _, err := range errs {
		if err != nil {
			// Another instance stored it, so it decoded there; a record
			// this Doc cannot read is logged and skipped.
			r.log.Error().Err(err).Msg("record from another instance does not apply")
		}
	}
	if len(out) == 0 {
		return
	}
	if parked {
		for r.outstanding() >= commitDepth && !r.stopped() {
			r.acked(<-r.com.acks)
		}
		if !r.stopped() {
			r.commit(out)
		}
		return
	}
	for _, u := range out {
		r.broadcast(protocol.EncodeSyncUpdate(u))
	}
	r.maybeCompact()
}
