package crdt

import "slices"

// pendingStructs are structs that arrived before something they depend on.
// They are kept decoded and retried when a missing client advances.
type pendingStructs struct {
	missing map[uint64]uint64 // client -> lowest clock needed
	blocks  map[uint64][]*item
}

func (p *pendingStructs) needs(client, clock uint64) {
	if m, ok := p.missing[client]; !ok || clock < m {
		p.missing[client] = clock
	}
}

func (p *pendingStructs) merge(o *pendingStructs) {
	for c, clock := range o.missing {
		p.needs(c, clock)
	}
	for c, refs := range o.blocks {
		p.blocks[c] = mergeRefs(p.blocks[c], refs)
	}
}

// mergeRefs joins two clock-sorted lists of structs of one client, dropping
// structs covered entirely by another one (a re-sent pending update).
func mergeRefs(a, b []*item) []*item {
	all := append(slices.Clip(a), b...)
	slices.SortStableFunc(all, func(x, y *item) int {
		switch {
		case x.id.Clock < y.id.Clock:
			return -1
		case x.id.Clock > y.id.Clock:
			return 1
		}
		return y.length - x.length // longest first, so covered ones follow it
	})
	out := all[:0]
	var end uint64
	for i, it := range all {
		if i > 0 && it.endClock() <= end {
			continue
		}
		out = append(out, it)
		end = max(end, it.endClock())
	}
	return out
}

// integrateStructs integrates a decoded update's structs in dependency order
// (Yjs integrateStructs): highest client first; a struct whose dependency is
// in another client's queue of the same update waits on a stack while that
// queue is processed. What cannot be integrated is returned as pending.
func (tx *Txn) integrateStructs(blocks *clientMap[[]*item]) *pendingStructs {
	if blocks.len() == 0 {
		return nil
	}
	store := &tx.doc.store
	// queues[i] reads blocks.vals[i]; a parked client's queue is emptied.
	type queue struct {
		refs []*item
		i    int
	}
	queues := make([]queue, blocks.len())
	order := make([]int, blocks.len()) // queue indexes by client, ascending
	for i, refs := range blocks.vals {
		queues[i].refs = refs
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmpUint(blocks.keys[a], blocks.keys[b]) })
	queueOf := func(c uint64) *queue {
		if i := blocks.find(c); i >= 0 {
			return &queues[i]
		}
		return nil
	}
	nextQueue := func() *queue { // highest client first
		for len(order) > 0 {
			if q := &queues[order[len(order)-1]]; q.i < len(q.refs) {
				return q
			}
			order = order[:len(order)-1]
		}
		return nil
	}
	cur := nextQueue()
	if cur == nil {
		return nil
	}
	var rest *pendingStructs
	needs := func(client, clock uint64) {
		if rest == nil {
			rest = &pendingStructs{missing: map[uint64]uint64{}, blocks: map[uint64][]*item{}}
		}
		rest.needs(client, clock)
	}
	var stack []*item
	// A struct on the stack cannot go on: park it and everything after it in
	// its client's queue, and stop reading those clients in this update.
	stackToRest := func() {
		for _, it := range stack {
			c := it.id.Client
			parked := []*item{it}
			if q := queueOf(c); q != nil {
				parked = append(parked, q.refs[q.i:]...)
				q.refs, q.i = nil, 0
			}
			rest.blocks[c] = mergeRefs(rest.blocks[c], parked)
		}
		stack = stack[:0]
	}
	head := cur.refs[cur.i]
	cur.i++
	for {
		if head.flags&flagSkip == 0 {
			c := head.id.Client
			local := store.state(c)
			switch {
			case local < head.id.Clock:
				// An earlier struct of the same client is missing.
				stack = append(stack, head)
				needs(c, head.id.Clock-1)
				stackToRest()
			case local-head.id.Clock >= uint64(head.length):
				// Already integrated: applying an update twice changes nothing.
			default:
				if dep, missing := tx.missingDependency(head); missing {
					stack = append(stack, head)
					q := queueOf(dep)
					if q == nil || q.i == len(q.refs) {
						needs(dep, store.state(dep))
						stackToRest()
					} else {
						head = q.refs[q.i]
						q.i++
						continue
					}
				} else {
					tx.resolve(head)
					tx.integrate(head, int(local-head.id.Clock))
				}
			}
		}
		switch {
		case len(stack) > 0:
			head = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
		case cur != nil && cur.i < len(cur.refs):
			head = cur.refs[cur.i]
			cur.i++
		default:
			if cur = nextQueue(); cur == nil {
				return rest
			}
			head = cur.refs[cur.i]
			cur.i++
		}
	}
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// missingDependency reports a client whose struct it needs but that the
// store does not have yet (Yjs Item.getMissing, first half).
func (tx *Txn) missingDependency(it *item) (uint64, bool) {
	if it.isGC() {
		return 0, false
	}
	store := &tx.doc.store
	own := it.id.Client
	if it.hasOrigin() && it.origin.Client != own && it.origin.Clock >= store.state(it.origin.Client) {
		return it.origin.Client, true
	}
	if it.hasRight() && it.rightOrigin.Client != own && it.rightOrigin.Clock >= store.state(it.rightOrigin.Client) {
		return it.rightOrigin.Client, true
	}
	if r := it.ref; r != nil && r.byID && r.id.Client != own && r.id.Clock >= store.state(r.id.Client) {
		return r.id.Client, true
	}
	return 0, false
}

// resolve turns the wire references of it into pointers (Yjs Item.getMissing,
// second half). A parent that is gone leaves it.parent nil: it becomes GC.
func (tx *Txn) resolve(it *item) {
	if it.isGC() {
		return
	}
	if it.hasOrigin() {
		it.left = tx.cleanEnd(it.origin)
		it.origin = it.left.lastID()
	}
	if it.hasRight() {
		it.right = tx.cleanStart(it.rightOrigin)
		it.rightOrigin = it.right.id
	}
	ref := it.ref
	it.ref = nil
	switch {
	case it.left != nil && it.left.isGC() || it.right != nil && it.right.isGC():
		it.parent = nil
	case ref == nil:
		if it.left != nil {
			it.parent, it.parentSub = it.left.parent, it.left.parentSub
			it.flags = it.flags&^flagHasParentSub | it.left.flags&flagHasParentSub
		} else if it.right != nil {
			it.parent, it.parentSub = it.right.parent, it.right.parentSub
			it.flags = it.flags&^flagHasParentSub | it.right.flags&flagHasParentSub
		}
	case ref.byID:
		it.parent = nil
		if p := tx.doc.store.find(ref.id); !p.isGC() {
			if ct, ok := p.content.(*contentType); ok {
				it.parent = ct.b
			}
		}
	default:
		it.parent = tx.doc.root(ref.root)
	}
}

// integrate links a resolved struct into the document (Yjs Item.integrate).
// offset > 0 means its first offset units are already known.
func (tx *Txn) integrate(it *item, offset int) {
	if offset > 0 {
		it.id.Clock += uint64(offset)
		it.length -= offset
		if !it.isGC() {
			it.left = tx.cleanEnd(ID{it.id.Client, it.id.Clock - 1})
			it.origin = it.left.lastID()
			it.flags |= flagHasOrigin
			it.content = it.content.splice(offset)
			if l := it.left; l.isGC() || l.parent != it.parent || l.hasSub() != it.hasSub() || l.parentSub != it.parentSub {
				// The known part of this struct lives elsewhere: the update
				// disagrees with what this client wrote before. Keep only its
				// clock range rather than link it into a foreign list.
				it.parent = nil
			}
		}
	}
	if it.isGC() {
		tx.addStruct(it)
		return
	}
	p := it.parent
	if p == nil {
		// Its parent is gone: only the clock range survives.
		tx.addStruct(&item{id: it.id, length: it.length, flags: flagGC | flagDeleted})
		return
	}
	if it.left == nil && (it.right == nil || it.right.left != nil) || it.left != nil && it.left.right != it.right {
		tx.resolveConflict(it)
	}
	if it.left != nil {
		it.right = it.left.right
		it.left.right = it
	} else {
		var r *item
		if it.hasSub() {
			r = p.entries[it.parentSub]
			for r != nil && r.left != nil {
				r = r.left
			}
		} else {
			r = p.start
			p.start = it
		}
		it.right = r
	}
	if it.right != nil {
		it.right.left = it
	} else if it.hasSub() {
		p.setEntry(it.parentSub, it)
		if it.left != nil {
			// it is now the key's value: the one it overwrites is deleted.
			tx.delete(it.left)
		}
	}
	if !it.hasSub() && it.countable() && !it.deleted() {
		p.length += it.length
	}
	tx.addStruct(it)
	p.changed()
	switch c := it.content.(type) {
	case *contentType:
		c.b.doc = tx.doc
		c.b.item = it
	case *contentDeleted:
		tx.ds.add(it.id.Client, it.id.Clock, uint64(it.length))
		it.flags |= flagDeleted
	case *contentFormat:
		p.hasFormatting = true
	}
	if p.item != nil && p.item.deleted() || it.hasSub() && it.right != nil {
		tx.delete(it)
	}
}

// resolveConflict finds it's place among items inserted concurrently between
// its left and right (the YATA rule as Yjs implements it).
func (tx *Txn) resolveConflict(it *item) {
	store := &tx.doc.store
	left := it.left
	var o *item
	switch {
	case left != nil:
		o = left.right
	case it.hasSub():
		o = it.parent.entries[it.parentSub]
		for o != nil && o.left != nil {
			o = o.left
		}
	default:
		o = it.parent.start
	}
	var before, conflicting itemSet
	for o != nil && o != it.right {
		before.add(o)
		conflicting.add(o)
		if sameOrigin(it, o) {
			if o.id.Client < it.id.Client {
				left = o
				conflicting.clear()
			} else if sameRightOrigin(it, o) {
				break
			}
		} else if o.hasOrigin() && before.has(store.find(o.origin)) {
			if !conflicting.has(store.find(o.origin)) {
				left = o
				conflicting.clear()
			}
		} else {
			break
		}
		o = o.right
	}
	it.left = left
}

func sameOrigin(a, b *item) bool {
	return a.hasOrigin() == b.hasOrigin() && (!a.hasOrigin() || a.origin == b.origin)
}

func sameRightOrigin(a, b *item) bool {
	return a.hasRight() == b.hasRight() && (!a.hasRight() || a.rightOrigin == b.rightOrigin)
}

// applyDeleteSet deletes the known part of ds and returns the part that
// refers to clocks not integrated yet.
func (tx *Txn) applyDeleteSet(ds []dsEntry) deleteSet {
	store := &tx.doc.store
	var unapplied deleteSet
	for _, r := range ds {
		c := r.client
		state := store.state(c)
		clock, end := r.clock, r.clock+r.length
		if clock >= state {
			unapplied.add(c, clock, r.length)
			continue
		}
		if state < end {
			unapplied.add(c, state, end-state)
		}
		cs := store.clients[c]
		i := cs.find(clock)
		if it := cs.at(i); !it.deleted() && it.id.Clock < clock {
			cs.insertAt(i+1, tx.split(it, int(clock-it.id.Clock)))
			i++
		}
		for i < cs.n() {
			it := cs.at(i)
			i++
			if it.id.Clock >= end {
				break
			}
			if !it.deleted() {
				if end < it.endClock() {
					cs.insertAt(i, tx.split(it, int(end-it.id.Clock)))
				}
				tx.delete(it)
			}
		}
	}
	return unapplied
}

// itemSet is a set of items that stays a slice while small: most conflicts
// involve a handful of items, and long scans must not turn quadratic.
type itemSet struct {
	small []*item
	big   map[*item]struct{}
}

func (s *itemSet) add(it *item) {
	if s.big != nil {
		s.big[it] = struct{}{}
		return
	}
	s.small = append(s.small, it)
	if len(s.small) > 16 {
		s.big = make(map[*item]struct{}, 64)
		for _, x := range s.small {
			s.big[x] = struct{}{}
		}
		s.small = s.small[:0]
	}
}

func (s *itemSet) has(it *item) bool {
	if s.big != nil {
		_, ok := s.big[it]
		return ok
	}
	return slices.Contains(s.small, it)
}

func (s *itemSet) clear() {
	s.small = s.small[:0]
	s.big = nil
}
