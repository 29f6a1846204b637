package server

import (
	"errors"
	"fmt"
	"strings"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/pad"
	"github.com/commonpad/commonpad/server/store"
)

var (
	errPostitNotStored = errors.New("server: post-it not stored")
	errPadFull         = errors.New("server: pad too large for another post-it")
)

// postitReq is a post-it the HTTP handler asks the room to add. done
// receives exactly one result, and has room for it, so the room never
// waits for the handler.
type postitReq struct {
	text, author string
	done         chan error
}

// postitRoom is the room's share of post-its: those waiting for the
// committer to have room, and those applied whose batch is not durable yet.
type postitRoom struct {
	queued  []*postitReq
	applied []postitBatch
}

type postitBatch struct {
	req   *postitReq
	first *[]byte // identifies the commit job by its backing array
}

// queuePostit keeps the request until the committer can take a batch: a
// post-it is a local edit and shares the update path of every other one.
func (r *room) queuePostit(p *postitReq) {
	r.postits.queued = append(r.postits.queued, p)
	r.flushPostits()
}

func (r *room) flushPostits() {
	for len(r.postits.queued) > 0 && !r.stopped() && r.canHandOver() {
		p := r.postits.queued[0]
		r.postits.queued = r.postits.queued[1:]
		r.applyPostit(p)
	}
}

// applyPostit edits the Doc as the server's own client, under a client id
// of the post-it's own, so that the name signed on it is credited like
// any writer's (see attribution.go), and hands the resulting update to the
// committer; the answer waits for its ack.
func (r *room) applyPostit(p *postitReq) {
	// A post-it is small; the margin covers the item's structure.
	if r.padSize()+int64(r.pendingBytes)+int64(len(p.text)+len(p.author)+512) > r.srv.cfg.MaxPadBytes {
		p.done <- errPadFull
		return
	}
	var updates [][]byte
	var err error
	r.captured = &updates
	r.doc.RenewClientID()
	r.doc.Transact(func(tx *crdt.Txn) {
		err = pad.AppendPostit(tx, r.doc.XmlFragment(pad.Fragment), p.text, p.author)
	})
	r.captured = nil
	if len(updates) > 0 && r.srv.authors() != nil {
		r.record(r.doc.ClientID(), truncateRunes(strings.Join(strings.Fields(p.author), " "), store.MaxAuthorName))
	}
	if len(updates) == 0 {
		if err == nil {
			err = errPostitNotStored
		}
		p.done <- fmt.Errorf("server: post-it: %w", err)
		return
	}
	if err != nil {
		// Whatever part of it reached the Doc must still be stored, or the
		// Doc and the store would disagree.
		r.log.Error().Err(err).Msg("post-it partly applied")
	}
	r.commit(updates)
	r.postits.applied = append(r.postits.applied, postitBatch{req: p, first: &updates[0]})
}

// onAck is what the room does with every ack of its committer.
func (r *room) onAck(a commitAck) {
	r.acked(a)
	if !a.job.isCompaction() && len(a.job.updates) > 0 {
		for i, b := range r.postits.applied {
			if b.first == &a.job.updates[0] {
				b.req.done <- a.err
				r.postits.applied = append(r.postits.applied[:i], r.postits.applied[i+1:]...)
				break
			}
		}
	}
	r.flushPostits()
}

// dropPostits answers every post-it the room can no longer make durable,
// as it stops.
func (r *room) dropPostits() {
	for _, p := range r.postits.queued {
		p.done <- errPostitNotStored
	}
	for _, b := range r.postits.applied {
		b.req.done <- errPostitNotStored
	}
	r.postits = postitRoom{}
}
