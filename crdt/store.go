package crdt

import "fmt"

// structStore keeps, per client, every integrated struct sorted by clock and
// contiguous from clock 0 (a client's first struct can only integrate at 0).
type structStore struct {
	clients map[uint64]*clientStructs
}

// clientStructs holds one client's structs as a gap buffer. Splits and
// merges happen where people edit, which moves slowly through a document,
// while new structs are appended at the end: keeping a gap at the last edit
// makes both cheap, where a plain slice would move the whole tail on every
// split and merge.
type clientStructs struct {
	buf      []*item // structs before the gap, the gap, structs after it
	gapStart int
	gapEnd   int
}

func (cs *clientStructs) n() int { return len(cs.buf) - (cs.gapEnd - cs.gapStart) }

func (cs *clientStructs) at(i int) *item {
	if i >= cs.gapStart {
		i += cs.gapEnd - cs.gapStart
	}
	return cs.buf[i]
}

func (cs *clientStructs) set(i int, it *item) {
	if i >= cs.gapStart {
		i += cs.gapEnd - cs.gapStart
	}
	cs.buf[i] = it
}

func (cs *clientStructs) last() *item { return cs.buf[len(cs.buf)-1] }

// push appends at the logical end, which is the end of buf whether or not
// the gap sits before it.
func (cs *clientStructs) push(it *item) { cs.buf = append(cs.buf, it) }

// moveGap puts the gap before logical index i.
func (cs *clientStructs) moveGap(i int) {
	gap := cs.gapEnd - cs.gapStart
	switch {
	case gap == 0:
	case i < cs.gapStart:
		copy(cs.buf[i+gap:cs.gapEnd], cs.buf[i:cs.gapStart])
		clear(cs.buf[i:min(i+gap, cs.gapStart)])
	case i > cs.gapStart:
		copy(cs.buf[cs.gapStart:], cs.buf[cs.gapEnd:i+gap])
		clear(cs.buf[max(cs.gapEnd, i) : i+gap])
	}
	cs.gapStart, cs.gapEnd = i, i+gap
}

// insertAt inserts it at logical index i.
func (cs *clientStructs) insertAt(i int, it *item) {
	if i == cs.n() {
		cs.push(it)
		return
	}
	if cs.gapStart == cs.gapEnd {
		// No gap: open one at i from the spare capacity, growing by an
		// eighth first if there is none. This moves the tail once; the
		// inserts and removals that follow nearby move only the gap.
		n := len(cs.buf)
		spare := max(16, n/8)
		if cap(cs.buf)-n < spare || cap(cs.buf) > 2*n+64 {
			// Reallocate when there is no room, and also when the capacity
			// left by earlier gaps far exceeds what the structs need.
			buf := make([]*item, n, n+spare)
			copy(buf, cs.buf)
			cs.buf = buf
		}
		cs.buf = cs.buf[:n+spare]
		copy(cs.buf[i+spare:], cs.buf[i:n])
		clear(cs.buf[i:min(i+spare, n)])
		cs.gapStart, cs.gapEnd = i, i+spare
	} else {
		cs.moveGap(i)
	}
	cs.buf[cs.gapStart] = it
	cs.gapStart++
}

// remove deletes the n structs from logical index i.
func (cs *clientStructs) remove(i, n int) {
	if i >= cs.gapStart && i+n == cs.n() {
		// The last structs, after the gap: shorten.
		clear(cs.buf[len(cs.buf)-n:])
		cs.buf = cs.buf[:len(cs.buf)-n]
	} else {
		cs.moveGap(i)
		clear(cs.buf[cs.gapEnd : cs.gapEnd+n])
		cs.gapEnd += n
	}
	switch gap := cs.gapEnd - cs.gapStart; {
	case cs.gapEnd == len(cs.buf):
		// Nothing after the gap: it becomes spare capacity, so that the
		// last struct is always the last element of buf.
		cs.buf = cs.buf[:cs.gapStart]
		cs.gapEnd = cs.gapStart
	case gap > 64 && gap > cs.n():
		// Merges have left more gap than structs: give the memory back.
		buf := make([]*item, cs.n(), cs.n()+max(16, cs.n()/8))
		copy(buf, cs.buf[:cs.gapStart])
		copy(buf[cs.gapStart:], cs.buf[cs.gapEnd:])
		cs.buf = buf
		cs.gapStart, cs.gapEnd = len(buf), len(buf)
	}
}

// find returns the index of the struct containing clock, or -1. The first
// probe is interpolated: histories are append-heavy, so it usually hits.
func (cs *clientStructs) find(clock uint64) int {
	lo, hi := 0, cs.n()-1
	if hi < 0 {
		return -1
	}
	last := cs.at(hi)
	if last.id.Clock == clock {
		return hi
	}
	end := last.endClock()
	if clock >= end {
		return -1
	}
	mid := int(uint64(hi) * clock / end)
	for lo <= hi {
		it := cs.at(mid)
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

func newStructStore() structStore {
	return structStore{clients: make(map[uint64]*clientStructs)}
}

// state is the next clock expected from client.
func (s *structStore) state(client uint64) uint64 {
	cs := s.clients[client]
	if cs == nil || cs.n() == 0 {
		return 0
	}
	return cs.last().endClock()
}

func (s *structStore) add(it *item) {
	cs := s.clients[it.id.Client]
	if cs == nil {
		cs = &clientStructs{}
		s.clients[it.id.Client] = cs
	}
	if n := cs.n(); n > 0 && cs.last().endClock() != it.id.Clock ||
		n == 0 && it.id.Clock != 0 {
		panic(fmt.Sprintf("crdt: struct %d:%d does not continue its client", it.id.Client, it.id.Clock))
	}
	cs.push(it)
}

// find returns the struct containing id. The caller has checked that the
// client's state is past id.Clock.
func (s *structStore) find(id ID) *item {
	cs := s.clients[id.Client]
	return cs.at(cs.find(id.Clock))
}

// cleanStart returns the item that starts exactly at id, splitting if needed.
// GC structs are never split.
func (tx *Txn) cleanStart(id ID) *item {
	cs := tx.doc.store.clients[id.Client]
	i := cs.find(id.Clock)
	it := cs.at(i)
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
	i := cs.find(id.Clock)
	it := cs.at(i)
	if id.Clock != it.endClock()-1 && !it.isGC() {
		cs.insertAt(i+1, tx.split(it, int(id.Clock-it.id.Clock+1)))
	}
	return it
}

// replace swaps a struct for another of the same id and length.
func (s *structStore) replace(old, nw *item) {
	cs := s.clients[old.id.Client]
	cs.set(cs.find(old.id.Clock), nw)
}

// stateVector returns every client's next clock.
func (s *structStore) stateVector() StateVector {
	sv := make(StateVector, len(s.clients))
	for c, cs := range s.clients {
		if cs.n() > 0 {
			sv[c] = cs.last().endClock()
		}
	}
	return sv
}
