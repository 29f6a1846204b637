package server

import (
	"fmt"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/gorilla/websocket"
)

func (r *room) handle(m roomMsg) {
	switch m.kind {
	case msgJoin:
		r.join(m.c)
	case msgLeave:
		r.leave(m.c)
	case msgData:
		if _, ok := r.members[m.c]; ok {
			r.message(m.c, m.msg)
		}
	case msgPostit:
		r.queuePostit(m.pit)
	case msgFinish:
		r.finish(true)
	}
}

// reasonFinished is the permission-denied reason for writes to a finished
// pad; "read-only connection" answers writes through a read-only link.
const reasonFinished = "pad finished"

// finish refuses every member's writes from now on and tells those who
// could write at once, rather than at their next keystroke: a y-websocket
// client reports the permission-denied message to its application, which
// can stop offering an editor. share passes the news to the other
// instances, whose members' connections were opened before the pad was
// finished. The bus is best effort: an instance that misses it still
// refuses those members' writes once their room reloads the pad, and
// every new connection from the start.
func (r *room) finish(share bool) {
	if r.finished {
		return
	}
	r.finished = true
	msg := protocol.EncodePermissionDenied(reasonFinished)
	for c := range r.members {
		if !c.readOnly {
			c.send(msg)
		}
	}
	if bus := r.srv.cfg.Bus; share && bus != nil {
		bus.Publish(r.pad, encodeBus(busFinish, r.srv.origin, nil))
	}
}

// join sends the Doc's state vector at once, even while batches are in
// flight: it names clocks, not content. The content comes in the answer to
// the joiner's own step 1, which waits for durability.
func (r *room) join(c *conn) {
	r.members[c] = &member{controlled: map[uint64]struct{}{}}
	c.send(protocol.EncodeSyncStep1(r.doc.EncodeStateVector()))
	if r.aw.Len() > 0 {
		c.send(protocol.EncodeAwareness(r.aw.Encode(r.aw.Clients())))
	}
}

func (r *room) leave(c *conn) {
	mem, ok := r.members[c]
	if !ok {
		return
	}
	delete(r.members, c)
	delete(r.authors.credited, c)
	if len(mem.controlled) == 0 {
		return
	}
	ids := make([]uint64, 0, len(mem.controlled))
	for id := range mem.controlled {
		ids = append(ids, id)
		delete(r.owners, id)
	}
	if _, enc := r.aw.Remove(ids); enc != nil {
		r.broadcast(protocol.EncodeAwareness(enc))
		r.publishAwareness(enc)
	}
}

func (r *room) message(c *conn, m protocol.Message) {
	switch m.Type {
	case protocol.MessageSync:
		switch m.SyncType {
		case protocol.SyncStep1:
			sv, err := crdt.DecodeStateVector(m.Payload)
			if err != nil {
				r.reject(c, rejectMalformed, closeInvalidData, "malformed state vector", err)
				return
			}
			if r.inflight > 0 {
				// The Doc is ahead of the store; answer once it is not.
				r.syncWaiters = append(r.syncWaiters, syncWaiter{c: c, sv: sv})
				return
			}
			c.send(protocol.EncodeSyncStep2(r.doc.EncodeStateAsUpdate(sv)))
		case protocol.SyncStep2, protocol.SyncUpdate:
			if c.readOnly || r.finished {
				r.srv.metrics.rejected[rejectReadOnly].Add(1)
				reason := "read-only connection"
				if r.finished && !c.readOnly {
					reason = reasonFinished
				}
				c.send(protocol.EncodePermissionDenied(reason))
				return
			}
			if size := r.padSize() + int64(r.pendingBytes); size+int64(len(m.Payload)) > r.srv.cfg.MaxPadBytes {
				r.reject(c, rejectPadTooLarge, closePadTooLarge, "pad too large", fmt.Errorf("server: pad of %d bytes plus update of %d exceeds %d", size, len(m.Payload), r.srv.cfg.MaxPadBytes))
				return
			}
			// Applied at the end of the window, all at once: see handOver.
			r.pending = append(r.pending, pendingUpdate{c: c, data: m.Payload})
			r.pendingBytes += len(m.Payload)
		}
	case protocol.MessageAwareness:
		ch, err := r.aw.Apply(m.Payload)
		if err != nil {
			r.reject(c, rejectMalformed, closeInvalidData, "malformed awareness update", err)
			return
		}
		if ch.Empty() {
			return
		}
		// y-protocols lists a client that announces a state again after
		// removing its own as Updated, not Added; the reference server then
		// forgets that the connection owns it and leaves a ghost cursor
		// behind when it closes. Updated always carries a state, so both
		// lists claim the id.
		for _, id := range ch.Added {
			r.claim(c, id)
		}
		for _, id := range ch.Updated {
			r.claim(c, id)
		}
		for _, id := range ch.Removed {
			r.disown(c, id)
		}
		r.awarenessNamed(c)
		enc := r.aw.Encode(ch.Clients())
		r.broadcast(protocol.EncodeAwareness(enc))
		r.publishAwareness(enc)
	case protocol.MessageQueryAwareness:
		if r.aw.Len() > 0 {
			c.send(protocol.EncodeAwareness(r.aw.Encode(r.aw.Clients())))
		}
	}
}

// claim makes c the owner of awareness client id, whose state is removed
// when c leaves. The last connection to announce an id owns it: a client
// that reconnects announces its id on the new connection while the old one
// may linger until its pings fail, and the old one's departure must not
// remove the live state.
func (r *room) claim(c *conn, id uint64) {
	if prev, ok := r.owners[id]; ok && prev != c {
		if m := r.members[prev]; m != nil {
			delete(m.controlled, id)
		}
	}
	r.owners[id] = c
	r.members[c].controlled[id] = struct{}{}
	delete(r.peers.origin, id) // it moved here: its old instance may go silent
}

// disown forgets that c owns id, after its state was removed.
func (r *room) disown(c *conn, id uint64) {
	if r.owners[id] == c {
		delete(r.owners, id)
	}
	delete(r.members[c].controlled, id)
}

// reject closes one connection for bad input; the room goes on.
func (r *room) reject(c *conn, why rejectReason, code int, reason string, err error) {
	r.srv.metrics.rejected[why].Add(1)
	r.log.Warn().Err(err).Int("code", code).Msg(reason)
	c.queue.close(code, reason)
}

// broadcast sends b to every member, building its frame once.
func (r *room) broadcast(b []byte) {
	if len(r.members) == 0 {
		return
	}
	pm, err := websocket.NewPreparedMessage(websocket.BinaryMessage, b)
	if err != nil {
		r.log.Error().Err(err).Msg("prepare message")
		return
	}
	kind := kindOfEncoded(b)
	for c := range r.members {
		c.sendPrepared(pm, len(b), kind)
	}
}

func (r *room) closeMembers(code int, reason string) {
	for c := range r.members {
		c.queue.close(code, reason)
	}
}
