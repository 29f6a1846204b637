package crdt

import (
	"slices"

	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

// deleteSet lists deleted clock ranges per client. It is the only way
// deletions travel: items are never re-sent with a deleted flag.
type deleteSet map[uint64][]delRange

type delRange struct {
	clock  uint64
	length uint64
}

func (ds *deleteSet) add(client, clock, length uint64) {
	if *ds == nil {
		*ds = make(deleteSet)
	}
	rs := (*ds)[client]
	// Deletions made in one pass are usually adjacent: extend in place.
	if n := len(rs); n > 0 && rs[n-1].clock+rs[n-1].length == clock {
		rs[n-1].length += length
		return
	}
	(*ds)[client] = append(rs, delRange{clock, length})
}

// sortAndMerge orders each client's ranges by clock and joins overlapping or
// adjacent ones.
func (ds deleteSet) sortAndMerge() {
	for c, rs := range ds {
		slices.SortFunc(rs, func(a, b delRange) int {
			switch {
			case a.clock < b.clock:
				return -1
			case a.clock > b.clock:
				return 1
			}
			return 0
		})
		out := rs[:1]
		for _, r := range rs[1:] {
			last := &out[len(out)-1]
			if last.clock+last.length >= r.clock {
				last.length = max(last.length, r.clock+r.length-last.clock)
			} else {
				out = append(out, r)
			}
		}
		ds[c] = out
	}
}

// sortedClients returns the clients in the order Yjs writes them: descending.
func sortedClientsDesc[V any](m map[uint64]V) []uint64 {
	cs := make([]uint64, 0, len(m))
	for c := range m {
		cs = append(cs, c)
	}
	slices.SortFunc(cs, func(a, b uint64) int {
		switch {
		case a > b:
			return -1
		case a < b:
			return 1
		}
		return 0
	})
	return cs
}

func (ds deleteSet) write(e *lib0.Encoder) {
	e.WriteVarUint(uint64(len(ds)))
	for _, c := range sortedClientsDesc(ds) {
		rs := ds[c]
		e.WriteVarUint(c)
		e.WriteVarUint(uint64(len(rs)))
		for _, r := range rs {
			e.WriteVarUint(r.clock)
			e.WriteVarUint(r.length)
		}
	}
}

func readDeleteSet(d *lib0.Decoder) ([]dsEntry, error) {
	n, err := d.ReadVarUint()
	if err != nil {
		return nil, err
	}
	if n > uint64(d.Remaining()) {
		return nil, lib0.ErrUnexpectedEOF
	}
	var ds []dsEntry
	for range n {
		client, err := d.ReadVarUint()
		if err != nil {
			return nil, err
		}
		nr, err := d.ReadVarUint()
		if err != nil {
			return nil, err
		}
		if nr > uint64(d.Remaining()/2) {
			return nil, lib0.ErrUnexpectedEOF
		}
		for range nr {
			clock, err := d.ReadVarUint()
			if err != nil {
				return nil, err
			}
			length, err := d.ReadVarUint()
			if err != nil {
				return nil, err
			}
			if clock+length > maxClock {
				return nil, ErrClockOverflow
			}
			if length > 0 {
				ds = append(ds, dsEntry{client, delRange{clock, length}})
			}
		}
	}
	return ds, nil
}

// entries flattens a delete set.
func (ds deleteSet) entries() []dsEntry {
	var out []dsEntry
	for c, rs := range ds {
		for _, r := range rs {
			out = append(out, dsEntry{c, r})
		}
	}
	return out
}

// deleteSetFromStore collects every maximal run of deleted structs.
func (s *structStore) deleteSet() deleteSet {
	ds := make(deleteSet)
	for c, cs := range s.clients {
		var rs []delRange
		for i, n := 0, cs.n(); i < n; i++ {
			it := cs.at(i)
			if !it.deleted() {
				continue
			}
			r := delRange{it.id.Clock, uint64(it.length)}
			for i+1 < n && cs.at(i+1).deleted() {
				i++
				r.length += uint64(cs.at(i).length)
			}
			rs = append(rs, r)
		}
		if len(rs) > 0 {
			ds[c] = rs
		}
	}
	return ds
}

// merge adds all ranges of o into ds (unsorted; call sortAndMerge after).
func (ds *deleteSet) merge(o deleteSet) {
	for c, rs := range o {
		for _, r := range rs {
			ds.add(c, r.clock, r.length)
		}
	}
}
