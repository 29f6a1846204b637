package crdt

import "fmt"

// structStore keeps, per client, every integrated struct sorted by clock and
// contiguous from clock 0 (a client's first struct can only integrate at 0).
type structStore struct {
	clients map[uint64]*clientStructs
}

type clientStructs struct {
	structs []*item
}

func newStructStore() structStore {
	return structStore{clients: make(map[uint64]*clientStructs)}
}

// state is the next clock expected from client.
func (s *structStore) state(client uint64) uint64 {
	cs := s.clients[client]
	if cs == nil || len(cs.structs) == 0 {
		return 0
	}
	return cs.structs[len(cs.structs)-1].endClock()
}

func (s *structStore) add(it *item) {
	cs := s.clients[it.id.Client]
	if cs == nil {
		cs = &clientStructs{}
		s.clients[it.id.Client] = cs
	}
	if n := len(cs.structs); n > 0 && cs.structs[n-1].endClock() != it.id.Clock ||
		n == 0 && it.id.Clock != 0 {
		panic(fmt.Sprintf("crdt: struct %d:%d does not continue its client", it.id.Client, it.id.Clock))
	}
	cs.structs = append(cs.structs, it)
}

// findIndex returns the index of the struct containing clock. The first probe
// is interpolated: histories are append-heavy, so it usually hits at once.
func findIndex(structs []*item, clock uint64) int {
	lo, hi := 0, len(structs)-1
	last := structs[hi]
	if last.id.Clock == clock {
		return hi
	}
	end := last.endClock()
	if clock >= end {
		return -1
	}
	mid := int(uint64(hi) * clock / end)
	for lo <= hi {
		it := structs[mid]
		if it.id.Clock <= clock {
			if clock < it.endClock() {
				return mid
			}
			lo = mid + 1
		} else {
			hi = mid - 1
		}
		mid = (lo + hi) / 2
	}
	return -1
}

// find returns the struct containing id. The caller has checked that the
// client's state is past id.Clock.
func (s *structStore) find(id ID) *item {
	cs := s.clients[id.Client]
	return cs.structs[findIndex(cs.structs, id.Clock)]
}

// cleanStart returns the item that starts exactly at id, splitting if needed.
// GC structs are never split.
func (tx *Txn) cleanStart(id ID) *item {
	cs := tx.doc.store.clients[id.Client]
	i := findIndex(cs.structs, id.Clock)
	it := cs.structs[i]
	if it.id.Clock < id.Clock && !it.isGC() {
		r := tx.split(it, int(id.Clock-it.id.Clock))
		cs.insertAt(i+1, r)
		return r
	}
	return it
}

// cleanEnd returns the item that ends exactly at id, splitting if needed.
func (tx *Txn) cleanEnd(id ID) *item {
	cs := tx.doc.store.clients[id.Client]
	i := findIndex(cs.structs, id.Clock)
	it := cs.structs[i]
	if id.Clock != it.endClock()-1 && !it.isGC() {
		cs.insertAt(i+1, tx.split(it, int(id.Clock-it.id.Clock+1)))
	}
	return it
}

func (cs *clientStructs) insertAt(i int, it *item) {
	cs.structs = append(cs.structs, nil)
	copy(cs.structs[i+1:], cs.structs[i:])
	cs.structs[i] = it
}

// replace swaps a struct for another of the same id and length.
func (s *structStore) replace(old, nw *item) {
	cs := s.clients[old.id.Client]
	i := findIndex(cs.structs, old.id.Clock)
	cs.structs[i] = nw
}

// stateVector returns every client's next clock.
func (s *structStore) stateVector() StateVector {
	sv := make(StateVector, len(s.clients))
	for c, cs := range s.clients {
		if n := len(cs.structs); n > 0 {
			sv[c] = cs.structs[n-1].endClock()
		}
	}
	return sv
}
