package crdt

// Flags of an item.
const (
	flagKeep           = 1 << iota // kept from garbage collection (undo)
	flagCountable                  // contributes to its parent's length
	flagDeleted                    // a tombstone
	flagGC                         // a GC struct: no content, no parent, no list position
	flagSkip                       // a Skip struct: only ever seen in transit
	flagHasOrigin                  // origin is set
	flagHasRightOrigin             // rightOrigin is set
	flagHasParentSub               // parentSub is set (a map entry); "" is a valid key
)

// item is one struct of the document: an Item in Yjs terms, or a GC struct
// (flagGC), or a Skip struct in a decoded update (flagSkip).
//
// origin and rightOrigin are the neighbours at creation time and never change
// after integration (except that origin is normalised to the last ID of the
// item that contains it); left and right are the current neighbours in the
// parent's list, or in the key's chain for a map entry.
type item struct {
	id          ID
	length      int
	origin      ID
	rightOrigin ID
	left        *item
	right       *item
	parent      *branch
	parentSub   string
	content     content
	ref         *parentRef // only between decoding and integration
	flags       uint8
}

// parentRef is the parent as written on the wire: a root name or the ID of
// the item that holds the parent type.
type parentRef struct {
	root string
	id   ID
	byID bool
}

func (it *item) deleted() bool     { return it.flags&flagDeleted != 0 }
func (it *item) isGC() bool        { return it.flags&flagGC != 0 }
func (it *item) countable() bool   { return it.flags&flagCountable != 0 }
func (it *item) hasOrigin() bool   { return it.flags&flagHasOrigin != 0 }
func (it *item) hasRight() bool    { return it.flags&flagHasRightOrigin != 0 }
func (it *item) hasSub() bool      { return it.flags&flagHasParentSub != 0 }
func (it *item) keep() bool        { return it.flags&flagKeep != 0 }
func (it *item) visible() bool     { return it.flags&(flagDeleted|flagCountable) == flagCountable }
func (it *item) lastID() ID        { return ID{it.id.Client, it.id.Clock + uint64(it.length) - 1} }
func (it *item) endClock() uint64  { return it.id.Clock + uint64(it.length) }
func (it *item) setFlag(f uint8)   { it.flags |= f }
func (it *item) clearFlag(f uint8) { it.flags &^= f }

// newItem builds a local item between left and right (either may be nil).
func newItem(id ID, left, right *item, parent *branch, parentSub *string, c content, length int) *item {
	var it *item
	if cs, ok := c.(*contentString); ok {
		si := &stringItem{str: *cs}
		it = &si.item
		c = &si.str
	} else {
		it = &item{}
	}
	it.id, it.length, it.left, it.right, it.parent, it.content = id, length, left, right, parent, c
	if left != nil {
		it.origin = left.lastID()
		it.flags |= flagHasOrigin
	}
	if right != nil {
		it.rightOrigin = right.id
		it.flags |= flagHasRightOrigin
	}
	if parentSub != nil {
		it.parentSub = *parentSub
		it.flags |= flagHasParentSub
	}
	if c.countable() {
		it.flags |= flagCountable
	}
	return it
}

// split cuts it at offset diff (0 < diff < length) and returns the right part,
// linked after it. The caller inserts the right part into the struct store.
func (tx *Txn) split(left *item, diff int) *item {
	var right *item
	if cs, ok := left.content.(*contentString); ok {
		si := &stringItem{}
		cs.spliceInto(diff, &si.str)
		right = &si.item
		right.content = &si.str
	} else {
		right = &item{content: left.content.splice(diff)}
	}
	right.id = ID{left.id.Client, left.id.Clock + uint64(diff)}
	right.length = left.length - diff
	right.origin = ID{left.id.Client, left.id.Clock + uint64(diff) - 1}
	// rightOrigin of the left part stays as it was: rewriting it would break
	// peers that integrate the two halves separately.
	right.rightOrigin = left.rightOrigin
	right.left, right.right = left, left.right
	right.parent, right.parentSub = left.parent, left.parentSub
	right.flags = left.flags&(flagKeep|flagCountable|flagDeleted|flagHasRightOrigin|flagHasParentSub) | flagHasOrigin
	left.right = right
	if right.right != nil {
		right.right.left = right
	}
	tx.mergeStructs = append(tx.mergeStructs, right)
	if right.hasSub() && right.right == nil {
		right.parent.entries[right.parentSub] = right
	}
	left.length = diff
	return right
}

// mergeWith absorbs right into it if both are adjacent parts of one insertion
// that could have been a single item (Yjs Item.mergeWith).
func (it *item) mergeWith(right *item) bool {
	if it.isGC() {
		if !right.isGC() {
			return false
		}
		it.length += right.length
		return true
	}
	if right.isGC() || !right.hasOrigin() || right.origin != it.lastID() || it.right != right ||
		it.hasRight() != right.hasRight() || (it.hasRight() && it.rightOrigin != right.rightOrigin) ||
		it.id.Client != right.id.Client || it.endClock() != right.id.Clock ||
		it.deleted() != right.deleted() || it.content.ref() != right.content.ref() {
		return false
	}
	if !it.content.mergeWith(right.content) {
		return false
	}
	if m := &it.parent.marker; m.p == right {
		m.p = it
		if it.visible() {
			m.index -= it.length
		}
	}
	if right.keep() {
		it.flags |= flagKeep
	}
	it.right = right.right
	if it.right != nil {
		it.right.left = it
	}
	it.length += right.length
	return true
}

// delete marks it deleted within tx (Yjs Item.delete).
func (tx *Txn) delete(it *item) {
	if it.deleted() {
		return
	}
	p := it.parent
	if it.countable() && !it.hasSub() {
		p.length -= it.length
	}
	it.flags |= flagDeleted
	tx.ds.add(it.id.Client, it.id.Clock, uint64(it.length))
	p.changed()
	if ct, ok := it.content.(*contentType); ok {
		tx.deleteTypeChildren(ct.b)
	}
}

// deleteTypeChildren deletes everything inside a deleted type.
func (tx *Txn) deleteTypeChildren(b *branch) {
	for n := b.start; n != nil; n = n.right {
		if !n.deleted() {
			tx.delete(n)
		} else if n.id.Clock < tx.beforeState(n.id.Client) {
			// Deleted before this transaction: it will not be in tx.ds,
			// but collection may now make it mergeable.
			tx.mergeStructs = append(tx.mergeStructs, n)
		}
	}
	for _, key := range b.keys {
		n := b.entries[key]
		if !n.deleted() {
			tx.delete(n)
		} else if n.id.Clock < tx.beforeState(n.id.Client) {
			tx.mergeStructs = append(tx.mergeStructs, n)
		}
	}
}

// gc drops the content of a deleted item. With parentGCd the item itself is
// replaced by a GC struct, because nothing can refer to its position any more.
func (d *Doc) gcItem(it *item, parentGCd bool) {
	if ct, ok := it.content.(*contentType); ok {
		d.gcType(ct.b)
	}
	if parentGCd {
		d.store.replace(it, &item{id: it.id, length: it.length, flags: flagGC | flagDeleted})
	} else {
		it.content = &contentDeleted{it.length}
		it.flags &^= flagCountable
	}
}

func (d *Doc) gcType(b *branch) {
	for n := b.start; n != nil; n = n.right {
		d.gcItem(n, true)
	}
	b.start = nil
	for _, key := range b.keys {
		for n := b.entries[key]; n != nil; n = n.left {
			d.gcItem(n, true)
		}
	}
	b.entries = nil
	b.keys = nil
	b.marker = marker{}
}
