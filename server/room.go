package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/commonpad/commonpad/server/store"
	"github.com/gorilla/websocket"
	"github.com/rs/zerolog"
)

// Awareness states not renewed for this long are dropped, as y-protocols
// does; clients renew every 15 s.
const (
	awarenessTimeout = 30 * time.Second
	awarenessCheck   = 3 * time.Second
)

type roomMsgKind int

const (
	msgJoin roomMsgKind = iota
	msgLeave
	msgData
	msgShutdown
)

type roomMsg struct {
	kind roomMsgKind
	c    *conn
	msg  protocol.Message // Payload aliases the frame read for it
}

// pendingUpdate is an update received in the current coalescing window,
// not yet applied.
type pendingUpdate struct {
	c    *conn
	data []byte
}

// member is the room's view of one connection: the awareness clients it
// announced, which are removed when it leaves.
type member struct {
	controlled map[uint64]struct{}
}

// room owns one open pad: its Doc, awareness and members. Only run's
// goroutine touches them.
type room struct {
	srv   *Server
	pad   string
	log   zerolog.Logger
	inbox chan roomMsg
	done  chan struct{}

	refs int // guarded by hub.mu

	doc          *crdt.Doc
	aw           protocol.Awareness
	members      map[*conn]*member
	loadErr      error
	lastSeq      store.Seq
	dirty        bool            // appended since the last snapshot
	size         int64           // stored bytes: snapshot plus records, see Config.MaxPadBytes
	pending      []pendingUpdate // received in this window, not yet applied
	pendingBytes int
	captured     *[][]byte // where OnUpdate puts the bytes of the current transaction
}

func newRoom(s *Server, pad string) *room {
	return &room{
		srv:     s,
		pad:     pad,
		log:     s.log.With().Str("pad", pad).Logger(),
		inbox:   make(chan roomMsg, 64),
		done:    make(chan struct{}),
		members: map[*conn]*member{},
	}
}

// post hands m to the room, or reports false if the room has stopped.
func (r *room) post(m roomMsg) bool {
	select {
	case r.inbox <- m:
		return true
	case <-r.done:
		return false
	}
}

func (r *room) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), r.srv.cfg.StoreTimeout)
}

func (r *room) load() error {
	ctx, cancel := r.ctx()
	defer cancel()
	snap, err := r.srv.cfg.Store.Load(ctx, r.pad)
	if err != nil {
		return err
	}
	doc := crdt.NewDoc(crdt.Options{})
	if snap.State != nil {
		if err := doc.ApplyUpdate(snap.State); err != nil {
			return fmt.Errorf("server: pad %s snapshot: %w", r.pad, err)
		}
	}
	for _, rec := range snap.Records {
		if err := doc.ApplyUpdate(rec.Update); err != nil {
			return fmt.Errorf("server: pad %s record %v: %w", r.pad, rec.Seq, err)
		}
	}
	r.size = int64(len(snap.State))
	for _, rec := range snap.Records {
		r.size += int64(len(rec.Update))
	}
	r.lastSeq = snap.Through
	r.dirty = len(snap.Records) > 0
	r.doc = doc
	doc.OnUpdate(func(ev crdt.UpdateEvent) {
		if r.captured != nil {
			*r.captured = append(*r.captured, append([]byte(nil), ev.Update...))
		}
	})
	return nil
}

func (r *room) run() {
	defer close(r.done)
	start := time.Now()
	if err := r.load(); err != nil {
		// The pad is never written while its state is unknown: the room
		// refuses every connection and leaves the hub at once.
		r.loadErr = err
		r.log.Error().Err(err).Msg("pad load failed")
		r.srv.hub.tryRemove(r, true)
		r.drainFailed()
		return
	}
	r.log.Debug().Dur("took", time.Since(start)).Msg("room loaded")

	idle := time.NewTimer(r.srv.cfg.UnloadGrace)
	awTick := time.NewTicker(awarenessCheck)
	defer awTick.Stop()
	var flushC <-chan time.Time
	var flushTimer *time.Timer
	for {
		select {
		case m := <-r.inbox:
			if m.kind == msgShutdown {
				r.flush()
				r.closeMembers(closeGoingAway, "server shutting down")
				r.snapshot()
				return
			}
			r.handle(m)
			if m.kind == msgLeave && len(r.members) == 0 {
				idle.Reset(r.srv.cfg.UnloadGrace)
			}
		case <-flushC:
			flushC = nil
			r.flush()
		case <-awTick.C:
			if _, enc := r.aw.RemoveOutdated(time.Now(), awarenessTimeout); enc != nil {
				r.broadcast(protocol.EncodeAwareness(enc))
			}
		case <-idle.C:
			if len(r.members) == 0 && r.srv.hub.tryRemove(r, false) {
				r.flush()
				r.snapshot()
				r.drainAfterStop()
				return
			}
			idle.Reset(r.srv.cfg.UnloadGrace)
		}
		if r.batchFull() || (len(r.pending) > 0 && r.srv.cfg.CoalesceWindow < 0 && len(r.inbox) == 0) {
			r.flush()
		} else if len(r.pending) > 0 && flushC == nil && r.srv.cfg.CoalesceWindow > 0 {
			if flushTimer == nil {
				flushTimer = time.NewTimer(r.srv.cfg.CoalesceWindow)
			} else {
				flushTimer.Reset(r.srv.cfg.CoalesceWindow)
			}
			flushC = flushTimer.C
		}
		if r.stopped() {
			return
		}
	}
}

// maxBatchBytes ends a coalescing window early, so that a burst of large
// updates is not held in memory twice (raw and merged) for long.
const maxBatchBytes = 4 << 20

func (r *room) batchFull() bool {
	return len(r.pending) >= r.srv.cfg.MaxBatch || r.pendingBytes >= maxBatchBytes
}

// stopped reports whether a store failure made the room give up.
func (r *room) stopped() bool { return r.loadErr != nil }

// drainFailed refuses joins that raced with a failed load until every
// reference is gone.
func (r *room) drainFailed() {
	for {
		select {
		case m := <-r.inbox:
			if m.kind == msgJoin {
				m.c.queue.close(closeInternal, "pad unavailable")
			}
		default:
			return
		}
	}
}

// drainAfterStop answers messages that were posted before the room left
// the hub; nobody can post after that.
func (r *room) drainAfterStop() {
	for {
		select {
		case m := <-r.inbox:
			if m.kind == msgJoin {
				m.c.queue.close(closeGoingAway, "pad unloaded")
			}
		default:
			return
		}
	}
}

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
	}
}

func (r *room) join(c *conn) {
	// A joiner must never see state that is not durable yet.
	r.flush()
	if r.stopped() {
		c.queue.close(closeInternal, "pad unavailable")
		return
	}
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
	if len(mem.controlled) == 0 {
		return
	}
	ids := make([]uint64, 0, len(mem.controlled))
	for id := range mem.controlled {
		ids = append(ids, id)
	}
	if _, enc := r.aw.Remove(ids); enc != nil {
		r.broadcast(protocol.EncodeAwareness(enc))
	}
}

func (r *room) message(c *conn, m protocol.Message) {
	switch m.Type {
	case protocol.MessageSync:
		switch m.SyncType {
		case protocol.SyncStep1:
			sv, err := crdt.DecodeStateVector(m.Payload)
			if err != nil {
				r.reject(c, closeInvalidData, "malformed state vector", err)
				return
			}
			r.flush()
			if r.stopped() {
				return // the doc may hold updates the store lacks
			}
			c.send(protocol.EncodeSyncStep2(r.doc.EncodeStateAsUpdate(sv)))
		case protocol.SyncStep2, protocol.SyncUpdate:
			if c.readOnly {
				c.send(protocol.EncodePermissionDenied("read-only connection"))
				return
			}
			if size := r.size + int64(r.pendingBytes); size+int64(len(m.Payload)) > r.srv.cfg.MaxPadBytes {
				r.reject(c, closePadTooLarge, "pad too large", fmt.Errorf("server: pad of %d bytes plus update of %d exceeds %d", size, len(m.Payload), r.srv.cfg.MaxPadBytes))
				return
			}
			// Applied at the end of the window, all at once: see flush.
			r.pending = append(r.pending, pendingUpdate{c: c, data: m.Payload})
			r.pendingBytes += len(m.Payload)
		}
	case protocol.MessageAwareness:
		ch, err := r.aw.Apply(m.Payload)
		if err != nil {
			r.reject(c, closeInvalidData, "malformed awareness update", err)
			return
		}
		if ch.Empty() {
			return
		}
		mem := r.members[c]
		for _, id := range ch.Added {
			mem.controlled[id] = struct{}{}
		}
		for _, id := range ch.Removed {
			delete(mem.controlled, id)
		}
		r.broadcast(protocol.EncodeAwareness(r.aw.Encode(ch.Clients())))
	case protocol.MessageQueryAwareness:
		if r.aw.Len() > 0 {
			c.send(protocol.EncodeAwareness(r.aw.Encode(r.aw.Clients())))
		}
	}
}

// reject closes one connection for bad input; the room goes on.
func (r *room) reject(c *conn, code int, reason string, err error) {
	r.log.Warn().Err(err).Int("code", code).Msg(reason)
	c.queue.close(code, reason)
}

// flush applies the window's updates as one transaction, makes the one
// update it yields durable with one append, and only then broadcasts it: one
// record and one message per receiver, however many updates the window
// held. A malformed update closes its own connection and leaves the others
// of the batch applied.
func (r *room) flush() {
	if len(r.pending) == 0 {
		return
	}
	batch := r.pending
	r.pending, r.pendingBytes = nil, 0
	raw := make([][]byte, len(batch))
	for i, p := range batch {
		raw[i] = p.data
	}
	var updates [][]byte
	r.captured = &updates
	errs := r.doc.ApplyUpdates(raw, nil)
	r.captured = nil
	for i, err := range errs {
		if err != nil {
			r.reject(batch[i].c, closeInvalidData, "malformed update", err)
		}
	}
	if len(updates) == 0 {
		return // duplicates, or updates parked until their dependencies arrive
	}
	for _, u := range updates {
		r.size += int64(len(u))
	}
	ctx, cancel := r.ctx()
	seqs, err := r.srv.cfg.Store.Append(ctx, r.pad, r.srv.origin, updates...)
	cancel()
	if err != nil {
		// The doc now holds updates the store may lack. Clients still have
		// them and resend them in sync step 2 after reconnecting, so the
		// room drops its state instead of showing it.
		r.loadErr = fmt.Errorf("server: append to pad %s: %w", r.pad, err)
		r.log.Error().Err(err).Msg("store append failed; closing room")
		r.srv.hub.tryRemove(r, true)
		r.closeMembers(closeInternal, "store unavailable")
		r.drainFailed()
		return
	}
	if len(seqs) > 0 {
		r.lastSeq = seqs[len(seqs)-1]
	}
	r.dirty = true
	for _, u := range updates {
		r.broadcast(protocol.EncodeSyncUpdate(u))
	}
}

// snapshot replaces the pad's log with the doc's state.
func (r *room) snapshot() {
	if r.stopped() || !r.dirty || r.lastSeq.IsZero() {
		return
	}
	ctx, cancel := r.ctx()
	defer cancel()
	state := r.doc.EncodeStateAsUpdate(nil)
	if err := r.srv.cfg.Store.Compact(ctx, r.pad, state, r.lastSeq); err != nil && !errors.Is(err, store.ErrClosed) {
		r.log.Error().Err(err).Msg("snapshot failed")
		return
	}
	r.dirty = false
	r.size = int64(len(state))
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
	for c := range r.members {
		c.sendPrepared(pm, len(b))
	}
}

func (r *room) closeMembers(code int, reason string) {
	for c := range r.members {
		c.queue.close(code, reason)
	}
}
