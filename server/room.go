package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/commonpad/commonpad/server/store"
	"github.com/rs/zerolog"
)

// Awareness states not renewed for awarenessTimeout are dropped, as
// y-protocols does; clients renew every 15 s. Rooms look every
// awarenessCheck, a variable so that tests need not wait as long.
const awarenessTimeout = 30 * time.Second

var awarenessCheck = 3 * time.Second

type roomMsgKind int

const (
	msgJoin roomMsgKind = iota
	msgLeave
	msgData
	msgShutdown
	msgPostit
	msgFinish
)

type roomMsg struct {
	kind roomMsgKind
	c    *conn
	msg  protocol.Message // Payload aliases the frame read for it
	pit  *postitReq       // for msgPostit
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

	doc     *crdt.Doc
	aw      protocol.Awareness
	members map[*conn]*member
	owners  map[uint64]*conn // awareness client id -> the member that announced it last
	loadErr error
	// finished is set when the pad is finished while open: from then on
	// every member is refused writes, whatever link it came with.
	finished bool

	// The coalescing window (see batch.go).
	pending      []pendingUpdate // received in this window, not yet applied
	pendingBytes int
	due          bool      // the window ended before the batch could be handed over
	lastHandOver time.Time // when the last batch went to the committer; see quiet
	captured     *[][]byte // where OnUpdate puts the bytes of the current transaction
	writers      *[]uint64 // and the clients that wrote in it (see attribution.go)

	// The committer and what it has not acknowledged (see commit.go).
	com         *committer
	inflight    int          // batches handed to com
	compacting  bool         // a compaction handed to com
	settling    bool         // stopping: the final snapshot replaces live compaction
	syncWaiters []syncWaiter // sync step 1 requests held while inflight > 0

	// What the store holds. The pad's stored size (Config.MaxPadBytes) is
	// snapBytes + logBytes + inflightBytes: the snapshot, the records after
	// it, and the batches on their way.
	lastSeq                            store.Seq // the last durable record
	snapBytes, logBytes, inflightBytes int64
	logRecords                         int // records after the snapshot

	// Sharing the store with other instances (see follow.go, relay.go).
	remote      chan remoteMsg
	followSeq   store.Seq // the last record of the log the Doc reflects, with all before it
	stopFollow  func()
	busIn       chan []byte
	unsubscribe func()

	peers   remoteStates // see relay.go
	postits postitRoom   // see postit.go
	authors attribution  // see attribution.go
}

// syncWaiter is a sync step 1 whose answer would reveal updates that are
// not durable yet.
type syncWaiter struct {
	c  *conn
	sv crdt.StateVector
}

func newRoom(s *Server, pad string) *room {
	r := &room{
		srv:     s,
		pad:     pad,
		log:     s.log.With().Str("pad", pad).Logger(),
		inbox:   make(chan roomMsg, 64),
		done:    make(chan struct{}),
		members: map[*conn]*member{},
		owners:  map[uint64]*conn{},
		remote:  make(chan remoteMsg, 64),
		busIn:   make(chan []byte, 256),
	}
	if r.srv.authors() != nil {
		r.authors.recorded = map[uint64]string{}
		r.authors.credited = map[*conn][]uint64{}
		r.authors.dirty = map[uint64]string{}
	}
	return r
}

// post hands m to the room, or reports false if the room has stopped.
func (r *room) post(m roomMsg) bool {
	select {
	case <-r.done:
		return false // the inbox may still have room, but nobody reads it
	default:
	}
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
	r.snapBytes = int64(len(snap.State))
	for _, rec := range snap.Records {
		r.logBytes += int64(len(rec.Update))
	}
	r.logRecords = len(snap.Records)
	r.lastSeq = snap.Through
	r.followSeq = snap.Through
	r.doc = doc
	doc.OnUpdate(func(ev crdt.UpdateEvent) {
		if r.captured != nil {
			*r.captured = append(*r.captured, append([]byte(nil), ev.Update...))
		}
		if r.writers != nil {
			*r.writers = append(*r.writers, ev.Clients...)
		}
	})
	return nil
}

func (r *room) run() {
	defer close(r.done)
	defer r.dropPostits()
	start := time.Now()
	if err := r.load(); err != nil {
		// The pad is never written while its state is unknown: the room
		// refuses every connection and leaves the hub at once.
		r.loadErr = err
		r.srv.metrics.storeErrors[opLoad].Add(1)
		r.log.Error().Err(err).Msg("pad load failed")
		r.srv.hub.tryRemove(r, true)
		r.drainFailed()
		return
	}
	r.log.Debug().Dur("dur", time.Since(start)).Msg("room loaded")
	r.com = startCommitter(r.srv, r.pad, r.log)
	r.startFollower()
	r.subscribe()
	defer r.leaveShared()

	grace, window := r.srv.cfg.UnloadGrace, r.srv.cfg.CoalesceWindow
	idle := time.NewTimer(grace)
	defer idle.Stop()
	awTick := time.NewTicker(awarenessCheck)
	defer awTick.Stop()
	windowTimer := time.NewTimer(time.Hour)
	windowTimer.Stop()
	defer windowTimer.Stop()
	armed := false
	for {
		inbox := r.inbox
		if r.batchFull() && !r.canHandOver() {
			inbox = nil // the committer is behind: let the writers wait
		}
		select {
		case m := <-inbox:
			if m.kind == msgShutdown {
				r.shutdown()
				return
			}
			r.handle(m)
			if m.kind == msgLeave && len(r.members) == 0 {
				idle.Reset(grace)
			}
		case a := <-r.com.acks:
			r.onAck(a)
		case m := <-r.remote:
			r.applyRemote(m)
		case b := <-r.busIn:
			r.fromBus(b)
		case <-windowTimer.C:
			armed, r.due = false, true
		case <-awTick.C:
			now := time.Now()
			if _, enc := r.aw.RemoveOutdated(now, awarenessTimeout); enc != nil {
				r.broadcast(protocol.EncodeAwareness(enc))
			}
			r.sayAlive()
			r.dropSilentInstances(now)
		case <-idle.C:
			if len(r.members) == 0 {
				r.settle()
				if !r.stopped() && r.srv.hub.tryRemove(r, false) {
					r.snapshot()
					r.stopCommitter()
					r.drainAfterStop("pad unloaded")
					return
				}
			}
			idle.Reset(grace)
		}
		if r.stopped() {
			return
		}
		if len(r.pending) > 0 && (r.due || r.batchFull() || len(r.inbox) == 0 && r.quiet(window)) {
			r.handOver()
		}
		if len(r.pending) > 0 && !armed && !r.due && window > 0 {
			windowTimer.Reset(max(window-time.Since(r.lastHandOver), 0))
			armed = true
		}
		r.flushAuthors()
	}
}

// stopped reports whether a store failure made the room give up.
func (r *room) stopped() bool { return r.loadErr != nil }

// exitStatus is the close code for a conn that was still waiting on the
// room when it stopped. Only call it once done is closed.
func (r *room) exitStatus() (int, string) {
	if r.stopped() {
		return closeInternal, "pad unavailable"
	}
	return closeGoingAway, "pad closed"
}

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
func (r *room) drainAfterStop(reason string) {
	for {
		select {
		case m := <-r.inbox:
			if m.kind == msgJoin {
				m.c.queue.close(closeGoingAway, reason)
			}
		default:
			return
		}
	}
}

// snapshot replaces the pad's log with the doc's state.
func (r *room) snapshot() {
	if r.stopped() || r.logRecords == 0 || r.covered().IsZero() {
		return
	}
	ctx, cancel := r.ctx()
	defer cancel()
	state := r.doc.EncodeStateAsUpdate(nil)
	if err := r.srv.cfg.Store.Compact(ctx, r.pad, state, r.covered()); err != nil && !errors.Is(err, store.ErrClosed) {
		r.srv.metrics.storeErrors[opCompact].Add(1)
		r.log.Error().Err(err).Msg("snapshot failed")
		return
	}
	r.snapBytes, r.logBytes, r.logRecords = int64(len(state)), 0, 0
}

// settle hands over what was received and waits until all of it is
// durable and broadcast, for a room about to stop.
func (r *room) settle() {
	r.settling = true
	defer func() { r.settling = false }() // an idle room may stay after all
	namesTried := false                   // once: a failing store must not hold the room
	for !r.stopped() {
		switch {
		case len(r.pending) > 0 && r.canHandOver():
			r.handOver()
		case !namesTried && len(r.authors.dirty) > 0 && !r.authors.recording && r.outstanding() < commitDepth:
			namesTried = true
			r.authors.retryAt = time.Time{}
			r.flushAuthors()
		case r.inflight > 0 || r.compacting || r.authors.recording:
			r.onAck(<-r.com.acks)
		case len(r.syncWaiters) > 0:
			r.answerSyncs()
		default:
			return
		}
	}
}

// shutdown makes everything durable and visible, closes the members with
// 1001 and leaves a snapshot.
func (r *room) shutdown() {
	r.settle()
	if r.stopped() {
		return // the failure already closed everyone
	}
	r.closeMembers(closeGoingAway, "server shutting down")
	r.drainAfterStop("server shutting down")
	r.snapshot()
	r.stopCommitter()
}

// fail gives up after a store failure. The doc may hold updates the store
// lacks; clients still have them and resend them in sync step 2 after
// reconnecting, so the room drops its state instead of showing it.
func (r *room) fail(err error) {
	r.loadErr = fmt.Errorf("server: append to pad %s: %w", r.pad, err)
	r.log.Error().Err(err).Msg("store append failed; closing room")
	r.srv.hub.tryRemove(r, true)
	r.closeMembers(closeInternal, "store unavailable")
	r.drainFailed()
	r.com.stop() // not waited for: the failing append may still hang
}

// stopCommitter ends an idle committer.
func (r *room) stopCommitter() {
	r.com.stop()
	<-r.com.done
}
