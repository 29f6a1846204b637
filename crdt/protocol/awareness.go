package protocol

import (
	"slices"
	"time"

	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

// Awareness holds the awareness states of a room's clients and applies
// awareness updates with y-protocols' rules. It plays the part of the
// reference server's Awareness, whose own local state is null: it has no
// local client of its own.
//
// Clocks and last-update times are kept for every client ever seen, also
// after its state is removed, because the acceptance rule depends on them
// (y-protocols keeps them forever too); they go away with the Awareness.
//
// The zero value is ready to use. An Awareness is not safe for concurrent
// use; one goroutine (the room's) owns it.
type Awareness struct {
	clients map[uint64]*clientMeta
	seq     uint64 // source of the JavaScript Map insertion orders below
}

type clientMeta struct {
	clock       uint64
	lastUpdated time.Time
	metaOrder   uint64 // when the client was first seen: y-protocols' meta Map order
	stateOrder  uint64 // when the current state was added: the states Map order
	hasState    bool
	state       string // JSON text as JSON.stringify writes it
	value       any    // the parsed state, for the deep-equality test
}

// Change reports what an operation did, in y-protocols' terms. Added,
// Updated and Removed are the lists of the "update" event; Changed is the
// "updated" list of the "change" event: the subset of Updated whose state is
// not deeply equal to the previous one. A client id appears once per entry
// that was accepted, so an update that names a client twice can list it
// twice, as in JavaScript.
//
// Note the JavaScript quirk: a client whose state was removed and that
// announces a new state is Updated, not Added.
type Change struct {
	Added, Updated, Removed []uint64
	Changed                 []uint64
}

// Empty reports whether nothing was accepted, in which case y-protocols
// emits no event and the reference server broadcasts nothing.
func (c Change) Empty() bool {
	return len(c.Added) == 0 && len(c.Updated) == 0 && len(c.Removed) == 0
}

// Clients returns Added, Updated and Removed concatenated: the clients whose
// entries the reference server broadcasts after an update (see Encode).
func (c Change) Clients() []uint64 {
	return slices.Concat(c.Added, c.Updated, c.Removed)
}

// Apply applies an awareness update received now. See ApplyAt.
func (a *Awareness) Apply(update []byte) (Change, error) {
	return a.ApplyAt(update, time.Now())
}

// ApplyAt applies an awareness update at time now, entry by entry, with
// y-protocols' rule: an entry is accepted when its clock is greater than the
// stored one (0 for an unknown client), or equal to it with a null state
// while a state is stored (a removal by a peer). An accepted entry stores
// its state (or deletes it for null) and records its clock and now; other
// entries are ignored.
//
// The update is decoded and validated completely first; a malformed update
// changes nothing and returns an error wrapping ErrInvalidAwareness.
// (y-protocols would have applied the entries before the bad one.)
func (a *Awareness) ApplyAt(update []byte, now time.Time) (Change, error) {
	entries, values, err := decodeAwarenessUpdate(update)
	if err != nil {
		return Change{}, err
	}
	if a.clients == nil {
		a.clients = make(map[uint64]*clientMeta)
	}
	var ch Change
	for i, e := range entries {
		v := values[i]
		m, known := a.clients[e.ClientID]
		var cur uint64
		if known {
			cur = m.clock
		}
		if !(cur < e.Clock || (cur == e.Clock && v == nil && known && m.hasState)) {
			continue
		}
		if !known {
			a.seq++
			m = &clientMeta{metaOrder: a.seq}
			a.clients[e.ClientID] = m
		}
		hadState, prev := m.hasState, m.value
		if v == nil {
			m.hasState, m.state, m.value = false, "", nil
		} else {
			if !hadState {
				a.seq++
				m.stateOrder = a.seq
			}
			// Keep the text JSON.stringify would produce, so that what we
			// send is byte-identical to a JavaScript peer's.
			m.hasState, m.state, m.value = true, string(lib0.AppendJSON(nil, v)), v
		}
		m.clock, m.lastUpdated = e.Clock, now
		switch {
		case !known && v != nil:
			ch.Added = append(ch.Added, e.ClientID)
		case known && v == nil:
			ch.Removed = append(ch.Removed, e.ClientID)
		case v != nil:
			ch.Updated = append(ch.Updated, e.ClientID)
			if !hadState || !lib0.Equal(v, prev) {
				ch.Changed = append(ch.Changed, e.ClientID)
			}
		}
	}
	return ch, nil
}

// Remove deletes the states of clients, keeping their clocks, as the
// reference server does for the clients a closed connection controlled.
// It returns the change and the awareness update to broadcast: each removed
// client with its stored clock and a null state, which peers accept because
// the clock equals theirs. encoded is nil when no client had a state.
func (a *Awareness) Remove(clients []uint64) (ch Change, encoded []byte) {
	for _, id := range clients {
		if m, ok := a.clients[id]; ok && m.hasState {
			m.hasState, m.state, m.value = false, "", nil
			ch.Removed = append(ch.Removed, id)
		}
	}
	if len(ch.Removed) == 0 {
		return ch, nil
	}
	return ch, a.Encode(ch.Removed)
}

// RemoveOutdated removes, like Remove, the states not renewed for timeout or
// longer at time now (y-protocols uses 30 s and checks every 3 s; the owner
// calls this on its own schedule). Clients are visited in the order they
// were first seen, as y-protocols does.
func (a *Awareness) RemoveOutdated(now time.Time, timeout time.Duration) (Change, []byte) {
	var ids []uint64
	for id, m := range a.clients {
		if m.hasState && now.Sub(m.lastUpdated) >= timeout {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(x, y uint64) int { return compareUint(a.clients[x].metaOrder, a.clients[y].metaOrder) })
	return a.Remove(ids)
}

func compareUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Encode returns an awareness update with the current entries of clients:
// the stored state (null if it was removed) and the stored clock. Like
// y-protocols, a state that is a falsy JavaScript value (false, 0, "") is
// written as null. Clients never seen are left out (y-protocols would
// throw).
func (a *Awareness) Encode(clients []uint64) []byte {
	entries := make([]AwarenessEntry, 0, len(clients))
	for _, id := range clients {
		m, ok := a.clients[id]
		if !ok {
			continue
		}
		state := "null"
		if m.hasState && !falsy(m.state) {
			state = m.state
		}
		entries = append(entries, AwarenessEntry{ClientID: id, Clock: m.clock, State: state})
	}
	return EncodeAwarenessUpdate(entries)
}

// falsy reports whether JSON.stringify'd text is a falsy JavaScript value;
// y-protocols writes `states.get(id) || null`.
func falsy(state string) bool {
	return state == "false" || state == "0" || state == `""`
}

// Clients returns the clients that have a state, in the order y-protocols'
// states Map iterates them (order of addition; a re-added state goes last).
// Encode(a.Clients()) is what the reference server sends a joining client.
func (a *Awareness) Clients() []uint64 {
	ids := make([]uint64, 0, len(a.clients))
	for id, m := range a.clients {
		if m.hasState {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(x, y uint64) int { return compareUint(a.clients[x].stateOrder, a.clients[y].stateOrder) })
	return ids
}

// States returns a copy of the current states as JSON text by client.
func (a *Awareness) States() map[uint64]string {
	s := make(map[uint64]string, len(a.clients))
	for id, m := range a.clients {
		if m.hasState {
			s[id] = m.state
		}
	}
	return s
}

// State returns client's current state as JSON text, if it has one.
func (a *Awareness) State(client uint64) (string, bool) {
	m, ok := a.clients[client]
	if !ok || !m.hasState {
		return "", false
	}
	return m.state, true
}

// Len returns the number of clients that have a state.
func (a *Awareness) Len() int {
	n := 0
	for _, m := range a.clients {
		if m.hasState {
			n++
		}
	}
	return n
}

// Clock returns the stored clock of client and whether it was ever seen.
func (a *Awareness) Clock(client uint64) (uint64, bool) {
	m, ok := a.clients[client]
	if !ok {
		return 0, false
	}
	return m.clock, true
}
