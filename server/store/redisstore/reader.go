package redisstore

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
)

// groupKey names the readers whose pads may share one XREAD: those of a
// node, and on a Cluster those of one slot of it.
type groupKey struct {
	node *redis.Client
	slot int // -1 off a Cluster
}

// reader follows up to Store.fanIn pads over one connection, blocked in
// a single XREAD on all their streams, and queues what it reads for each
// pad's Follow. Joins, leaves and pads that drain their queue interrupt
// the XREAD (see waker), so that the next one names the right streams.
type reader struct {
	s    *Store
	key  groupKey
	ctl  control
	kick chan struct{} // capacity 1: wakes the loop while no pad is read
	wake chan struct{} // capacity 1: wakes the waker
	done chan struct{} // closed when the loop stops using its connection

	// Guarded by s.mu: which pads joined, so a pad is read at most once
	// per reader, and whether the reader still takes pads.
	keys    map[string]bool
	stopped bool

	mu       sync.Mutex      // guards the fields below and those of the subs
	subs     map[string]*sub // by log key
	dirty    bool            // subs changed since the current XREAD was built
	blocking bool            // an XREAD may be blocked
	reading  int             // pads in the latest XREAD, for tests to watch
	err      error           // the reader failed: pads joining late get it too
}

// entry is one pad of a round, and the cursor the round reads it from.
type entry struct {
	sb   *sub
	id   store.Seq
	from string // id as a stream ID
}

func newReader(s *Store, key groupKey, ctl control) *reader {
	return &reader{
		s: s, key: key, ctl: ctl,
		kick: make(chan struct{}, 1), wake: make(chan struct{}, 1), done: make(chan struct{}),
		keys: map[string]bool{}, subs: map[string]*sub{},
	}
}

// poke tells the loop that the pads to read changed.
func (r *reader) poke() {
	r.mu.Lock()
	r.dirty = true
	r.mu.Unlock()
	for _, c := range []chan struct{}{r.kick, r.wake} {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// add hands sb to the loop, whose key the caller reserved.
func (r *reader) add(sb *sub) {
	r.mu.Lock()
	if r.err != nil {
		sb.fail(r.err)
	} else {
		r.subs[sb.log] = sb
	}
	r.mu.Unlock()
	r.poke()
}

// leave drops sb; records read for it meanwhile are discarded.
func (r *reader) leave(sb *sub) {
	r.mu.Lock()
	sb.gone = true
	if r.subs[sb.log] == sb {
		delete(r.subs, sb.log)
	}
	r.mu.Unlock()
	r.s.mu.Lock()
	delete(r.keys, sb.log)
	r.s.mu.Unlock()
	r.poke()
}

// take hands the queued records and the final error over to sb's Follow,
// and puts a paused pad back into the XREADs.
func (r *reader) take(sb *sub) ([]store.Record, error) {
	r.mu.Lock()
	recs, err := sb.queue, sb.err
	sb.queue = nil
	resume := sb.paused && sb.live()
	if resume {
		// Compaction may have trimmed the records after the cursor
		// while the pad was out of the XREADs; only a fresh check
		// before the next one can tell.
		sb.paused, sb.check = false, true
	}
	r.mu.Unlock()
	if resume {
		r.poke()
	}
	return recs, err
}

// stop takes r out of its group. The caller holds s.mu.
func (r *reader) stop() {
	if r.stopped {
		return
	}
	r.stopped = true
	g := slices.DeleteFunc(r.s.groups[r.key], func(o *reader) bool { return o == r })
	if len(g) == 0 {
		delete(r.s.groups, r.key)
	} else {
		r.s.groups[r.key] = g
	}
}

// fail ends every pad of r with err, and those that join it later.
func (r *reader) fail(err error) {
	r.s.mu.Lock()
	r.stop()
	r.s.mu.Unlock()
	r.mu.Lock()
	r.err = err
	for _, sb := range r.subs {
		sb.fail(err)
	}
	r.mu.Unlock()
}

func (r *reader) run() {
	defer r.exit()
	fc, err := r.open()
	if err != nil {
		r.fail(err)
		return
	}
	wakerDone := make(chan struct{})
	go r.waker(fc, wakerDone)
	defer func() {
		// A late CLIENT UNBLOCK would hit the connection's next user.
		close(r.done)
		<-wakerDone
		_ = fc.conn.Close()
	}()
	for {
		round, err := r.next(fc)
		if err == nil && round != nil {
			err = r.read(fc, round)
		}
		if err != nil {
			r.fail(err)
			return
		}
		if round == nil {
			return
		}
	}
}

// open makes sure the node has a control connection, then takes the
// reader's own.
func (r *reader) open() (*followConn, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-r.s.closing:
			cancel()
		case <-ctx.Done():
		}
	}()
	if err := openControl(ctx, r.ctl, r.key.node); err != nil {
		return nil, err
	}
	return dialFollow(ctx, r.key.node)
}

// exit gives the control connections back once the last reader after
// Close is gone; before that they may still be needed by the others.
func (r *reader) exit() {
	s := r.s
	s.mu.Lock()
	r.stop()
	s.readers--
	var ctls map[*redis.Client]control
	if s.readers == 0 && s.closed() {
		ctls, s.controls = s.controls, map[*redis.Client]control{}
	}
	s.mu.Unlock()
	closeControls(ctls)
}

// next returns the pads to read in the next XREAD, after reading the
// snapshots of those that need a check first. It waits while no pad is to
// be read, and returns nil when the reader should stop: the store closed,
// or every pad left.
func (r *reader) next(fc *followConn) ([]entry, error) {
	for {
		r.s.mu.Lock()
		if r.s.closed() || len(r.keys) == 0 {
			r.stop()
			r.s.mu.Unlock()
			return nil, nil
		}
		r.s.mu.Unlock()

		var checks, round []entry
		r.mu.Lock()
		for _, sb := range r.subs {
			switch {
			case !sb.live() || sb.paused:
			case sb.check:
				checks = append(checks, entry{sb, sb.cursor, sb.from})
			default:
				round = append(round, entry{sb, sb.cursor, sb.from})
			}
		}
		if len(checks) == 0 {
			r.dirty = false
			r.blocking = len(round) > 0
			r.reading = len(round)
		}
		r.mu.Unlock()

		switch {
		case len(checks) > 0:
			if err := r.checkSnapshots(fc, checks); err != nil {
				return nil, err
			}
		case len(round) > 0:
			return round, nil
		default:
			select {
			case <-r.kick:
			case <-r.s.closing:
			}
		}
	}
}

// checkSnapshots reads the covered ID of each pad's snapshot in one round
// trip, on the connection of the XREADs that follow, so that a pad whose
// records past the cursor were already compacted away fails at once
// instead of waiting for records that will never come.
func (r *reader) checkSnapshots(fc *followConn, checks []entry) error {
	cmds, err := r.hgetThrough(fc, checks)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, e := range checks {
		if e.sb.live() && e.sb.checkThrough(cmds[i], e.id) {
			e.sb.check = false
		}
	}
	return nil
}

// hgetThrough pipelines HGET of the covered ID of each pad's snapshot. An
// error is the connection's: replies in error stay in their command.
func (r *reader) hgetThrough(fc *followConn, es []entry) ([]*redis.StringCmd, error) {
	ctx := context.Background()
	cmds := make([]*redis.StringCmd, len(es))
	_, err := fc.conn.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, e := range es {
			cmds[i] = p.HGet(ctx, e.sb.snapshot, fieldThrough)
		}
		return nil
	})
	if err != nil && !isReply(err) {
		return nil, err
	}
	return cmds, nil
}

// read runs one XREAD on the round's streams and queues what it returns,
// after the compaction check of every woken pad in one more round trip.
func (r *reader) read(fc *followConn, round []entry) error {
	streams := make([]string, 0, 2*len(round))
	byKey := make(map[string]entry, len(round))
	for _, e := range round {
		streams = append(streams, e.sb.log)
		byKey[e.sb.log] = e
	}
	for _, e := range round {
		streams = append(streams, e.from)
	}
	// The XREAD has no deadline: the waker interrupts it, and a deadline
	// turned into a socket timeout would cost the connection.
	res, err := fc.conn.XRead(context.Background(), &redis.XReadArgs{
		Streams: streams,
		Count:   followCount,
		Block:   r.s.followBlock,
	}).Result()
	r.mu.Lock()
	r.blocking = false
	r.mu.Unlock()
	switch {
	case errors.Is(err, redis.Nil):
		return nil // timed out, or interrupted
	case isReply(err):
		return r.probe(fc, round, err)
	case err != nil:
		return err
	}

	woken := make([]entry, len(res))
	for i, st := range res {
		woken[i] = byKey[st.Stream]
	}
	cmds, err := r.hgetThrough(fc, woken)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, st := range res {
		e := woken[i]
		if e.sb.live() && e.sb.checkThrough(cmds[i], e.id) {
			e.sb.push(st.Messages)
		}
	}
	return nil
}

// probe finds which pads an XREAD failed for, as when a pad's log key
// holds something other than a stream, by reading each alone: those
// fail, and the others go on. If each read succeeds, the failure was
// nobody's in particular and ends the reader.
func (r *reader) probe(fc *followConn, round []entry, xerr error) error {
	ctx := context.Background()
	cmds := make([]*redis.XStreamSliceCmd, len(round))
	_, err := fc.conn.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, e := range round {
			cmds[i] = p.XRead(ctx, &redis.XReadArgs{Streams: []string{e.sb.log, e.from}, Count: 1, Block: -1})
		}
		return nil
	})
	if err != nil && !isReply(err) {
		return err
	}
	failed := false
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, e := range round {
		if err := cmds[i].Err(); err != nil && !errors.Is(err, redis.Nil) {
			e.sb.fail(err)
			failed = true
		}
	}
	if !failed {
		return xerr
	}
	return nil
}

// isReply says whether err is an error reply of the server, which leaves
// the connection usable, rather than a failure of the connection.
func isReply(err error) bool {
	var rerr redis.Error
	return errors.As(err, &rerr)
}

// waker interrupts the reader's XREAD whenever the pads to read changed
// since it was sent. CLIENT UNBLOCK may arrive before the XREAD blocks,
// and then does nothing, so it is repeated until the loop has taken the
// change in. It closes stopped on return, after r.done is closed.
func (r *reader) waker(fc *followConn, stopped chan<- struct{}) {
	defer close(stopped)
	for {
		select {
		case <-r.done:
			return
		case <-r.wake:
		}
		wait := unblockMin
		for r.pending() {
			r.s.unblock(r.ctl, fc)
			select {
			case <-r.done:
				return
			case <-r.wake:
				// A new change: its XREAD has just been sent, if any,
				// so it is worth trying again soon.
				wait = unblockMin
			case <-time.After(wait):
				wait = min(2*wait, unblockMax)
			}
		}
	}
}

// pending says whether an XREAD may be blocked on an outdated set of pads.
func (r *reader) pending() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dirty && r.blocking
}
