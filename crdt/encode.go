package crdt

import (
	"slices"

	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

// write encodes one struct (v1), starting at unit offset: a struct written
// from an offset gets the unit before the offset as its origin, exactly as
// if it had been split there (Yjs Item.write).
func (it *item) write(e *lib0.Encoder, offset int) {
	switch {
	case it.isGC():
		e.WriteUint8(refGC)
		e.WriteVarUint(uint64(it.length - offset))
		return
	case it.flags&flagSkip != 0:
		e.WriteUint8(refSkip)
		e.WriteVarUint(uint64(it.length - offset))
		return
	}
	hasOrigin := it.hasOrigin() || offset > 0
	origin := it.origin
	if offset > 0 {
		origin = ID{it.id.Client, it.id.Clock + uint64(offset) - 1}
	}
	info := it.content.ref()
	if hasOrigin {
		info |= 0x80
	}
	if it.hasRight() {
		info |= 0x40
	}
	if it.hasSub() {
		info |= 0x20
	}
	e.WriteUint8(info)
	if hasOrigin {
		e.WriteVarUint(origin.Client)
		e.WriteVarUint(origin.Clock)
	}
	if it.hasRight() {
		e.WriteVarUint(it.rightOrigin.Client)
		e.WriteVarUint(it.rightOrigin.Clock)
	}
	if !hasOrigin && !it.hasRight() {
		switch {
		case it.ref != nil && it.ref.byID: // pending: not integrated yet
			e.WriteVarUint(0)
			e.WriteVarUint(it.ref.id.Client)
			e.WriteVarUint(it.ref.id.Clock)
		case it.ref != nil:
			e.WriteVarUint(1)
			e.WriteVarString(it.ref.root)
		case it.parent.item == nil:
			e.WriteVarUint(1)
			e.WriteVarString(it.parent.name)
		default:
			e.WriteVarUint(0)
			e.WriteVarUint(it.parent.item.id.Client)
			e.WriteVarUint(it.parent.item.id.Clock)
		}
		if it.hasSub() {
			e.WriteVarString(it.parentSub)
		}
	}
	it.content.write(e, offset)
}

// clientClock is a client and a clock of it.
type clientClock struct{ client, clock uint64 }

// writeStructs writes, for every client in from (with the first clock
// wanted), its structs from that clock to the end, highest client first.
// pending, when not nil, adds structs not integrated yet behind a Skip.
func (d *Doc) writeStructs(e *lib0.Encoder, from []clientClock, pending map[uint64][]*item) {
	slices.SortFunc(from, func(a, b clientClock) int { return cmpUint(b.client, a.client) })
	e.WriteVarUint(uint64(len(from)))
	for _, f := range from {
		c, clock := f.client, f.clock
		cs := d.store.clients[c]
		var extra []*item
		if pending != nil {
			for _, p := range pending[c] {
				if p.endClock() > clock {
					extra = append(extra, p)
				}
			}
		}
		// Collect what is written as (struct, offset) pairs first: the count
		// comes before the structs.
		type part struct {
			it     *item
			offset int
		}
		var parts []part
		var next uint64 // the clock the next written struct must start at
		if cs != nil && cs.n() > 0 && clock < cs.last().endClock() {
			clock = max(clock, cs.at(0).id.Clock)
			i := cs.find(clock)
			parts = make([]part, 0, cs.n()-i)
			parts = append(parts, part{cs.at(i), int(clock - cs.at(i).id.Clock)})
			for j, n := i+1, cs.n(); j < n; j++ {
				parts = append(parts, part{cs.at(j), 0})
			}
			next = cs.last().endClock()
		} else if len(extra) > 0 {
			clock = max(clock, extra[0].id.Clock)
			next = clock
		}
		start := clock
		for _, p := range extra {
			if p.endClock() <= next {
				continue
			}
			if p.id.Clock > next {
				if len(parts) > 0 {
					parts = append(parts, part{&item{id: ID{c, next}, length: int(p.id.Clock - next), flags: flagSkip}, 0})
				} else {
					start = p.id.Clock
				}
			}
			off := 0
			if p.id.Clock < next {
				off = int(next - p.id.Clock)
			}
			parts = append(parts, part{p, off})
			next = p.endClock()
		}
		e.WriteVarUint(uint64(len(parts)))
		e.WriteVarUint(c)
		e.WriteVarUint(start)
		for _, p := range parts {
			p.it.write(e, p.offset)
		}
	}
}

// EncodeStateAsUpdate returns everything the document holds that a peer with
// state vector remote lacks, as one v1 update; a nil remote means
// everything. Like Yjs, the delete set is always whole, and structs waiting
// for missing dependencies are included, so a peer asking for state also
// receives what this document could not integrate yet.
func (d *Doc) EncodeStateAsUpdate(remote StateVector) []byte {
	e := lib0.NewEncoder(256)
	from := make(map[uint64]uint64)
	for c, cs := range d.store.clients {
		if cs.n() > 0 && cs.last().endClock() > remote[c] {
			from[c] = remote[c]
		}
	}
	var pending map[uint64][]*item
	if d.pending != nil {
		pending = d.pending.blocks
		for c, refs := range pending {
			if len(refs) > 0 && refs[len(refs)-1].endClock() > remote[c] {
				if _, ok := from[c]; !ok {
					from[c] = remote[c]
				}
			}
		}
	}
	list := make([]clientClock, 0, len(from))
	for c, clock := range from {
		list = append(list, clientClock{c, clock})
	}
	d.writeStructs(e, list, pending)
	ds := d.store.deleteSet()
	if d.pendingDS != nil {
		ds.merge(d.pendingDS)
		ds.sortAndMerge()
	}
	ds.write(e)
	return e.Bytes()
}

// StateVector returns the next expected clock of every client the document
// has integrated structs from. Pending structs do not count.
func (d *Doc) StateVector() StateVector { return d.store.stateVector() }

// EncodeStateVector is StateVector().Encode().
func (d *Doc) EncodeStateVector() []byte { return d.store.stateVector().Encode() }
