package server

import (
	"maps"
	"slices"
	"time"

	"github.com/commonpad/commonpad/crdt/protocol"
)

// Awareness crosses instances over the Bus. Each instance forwards what
// its own members announce and what their departure removes; a state
// from another instance is owned by none of the local members, so it
// leaves by its instance's removal message. An instance that dies sends
// none: while a room has members of its own it says it is alive on every
// awareness check, and the others drop the states of an instance silent
// for instanceTimeout, well before the 30 s awareness timeout.

// instanceTimeout is how long a room keeps the states another instance
// announced after hearing from it last; a variable so that tests need not
// wait as long.
var instanceTimeout = 10 * time.Second

// remoteStates remembers which instance announced each state that came
// over the bus, and when each instance was last heard from.
type remoteStates struct {
	origin map[uint64]string
	heard  map[string]time.Time
}

// subscribe joins the pad's channel and asks the other instances for the
// states their members announced before this room opened.
func (r *room) subscribe() {
	bus := r.srv.cfg.Bus
	if bus == nil {
		return
	}
	in, done := r.busIn, r.done
	r.unsubscribe = bus.Subscribe(r.pad, func(msg []byte) {
		select {
		case in <- msg:
		case <-done:
		default: // ephemeral: a room that far behind loses a renewal, not a state
		}
	})
	bus.Publish(r.pad, encodeBus(busQuery, r.srv.origin, nil))
}

// leaveShared stops the follower and leaves the channel when the room
// stops.
func (r *room) leaveShared() {
	if r.stopFollow != nil {
		r.stopFollow()
	}
	if r.unsubscribe != nil {
		r.unsubscribe()
	}
}

// publishAwareness forwards an awareness update made by local members.
func (r *room) publishAwareness(enc []byte) {
	if bus := r.srv.cfg.Bus; bus != nil && enc != nil {
		bus.Publish(r.pad, encodeBus(busAwareness, r.srv.origin, enc))
	}
}

func (r *room) fromBus(b []byte) {
	kind, origin, payload, err := decodeBus(b)
	if err != nil || r.srv.fromSelf(origin) {
		return
	}
	if r.peers.heard == nil {
		r.peers = remoteStates{origin: map[uint64]string{}, heard: map[string]time.Time{}}
	}
	from := string(origin)
	r.peers.heard[from] = time.Now()
	switch kind {
	case busQuery:
		if len(r.owners) > 0 {
			ids := slices.Sorted(maps.Keys(r.owners))
			r.publishAwareness(r.aw.Encode(ids))
		}
	case busAwareness:
		ch, err := r.aw.Apply(payload)
		if err != nil {
			r.log.Warn().Err(err).Msg("malformed awareness update from another instance")
			return
		}
		if ch.Empty() {
			return
		}
		for _, id := range slices.Concat(ch.Added, ch.Updated) {
			r.peers.origin[id] = from
		}
		for _, id := range ch.Removed {
			delete(r.peers.origin, id)
		}
		// A client announcing itself elsewhere has left its connection
		// here, whose departure must no longer remove it.
		for _, id := range slices.Concat(ch.Added, ch.Updated) {
			if c, ok := r.owners[id]; ok {
				delete(r.owners, id)
				if m := r.members[c]; m != nil {
					delete(m.controlled, id)
				}
			}
		}
		r.broadcast(protocol.EncodeAwareness(r.aw.Encode(ch.Clients())))
	case busFinish:
		r.finish(false)
	}
}

// sayAlive tells the other instances that the states this room's members
// announced are still served here.
func (r *room) sayAlive() {
	if bus := r.srv.cfg.Bus; bus != nil && len(r.owners) > 0 {
		bus.Publish(r.pad, encodeBus(busAlive, r.srv.origin, nil))
	}
}

// dropSilentInstances removes the states of instances not heard from for
// instanceTimeout: their members cannot have renewed them.
func (r *room) dropSilentInstances(now time.Time) {
	var gone []uint64
	for id, from := range r.peers.origin {
		if now.Sub(r.peers.heard[from]) >= instanceTimeout {
			gone = append(gone, id)
			delete(r.peers.origin, id)
		}
	}
	for from, t := range r.peers.heard {
		if now.Sub(t) >= instanceTimeout {
			delete(r.peers.heard, from)
		}
	}
	if len(gone) == 0 {
		return
	}
	slices.Sort(gone)
	if _, enc := r.aw.Remove(gone); enc != nil {
		r.broadcast(protocol.EncodeAwareness(enc))
	}
}
