package server

import (
	"maps"
	"slices"

	"github.com/commonpad/commonpad/crdt/protocol"
)

// Awareness crosses instances over the Bus. Each instance forwards what
// its own members announce and what their departure removes; a state
// from another instance is owned by none of the local members, so it
// leaves by its instance's removal message or, if that instance died, by
// the 30 s timeout every instance applies.

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
