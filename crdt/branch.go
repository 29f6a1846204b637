package crdt

// typeUnknown marks a root that has been seen on the wire but not yet read
// through a typed accessor: roots carry no type on the wire.
const typeUnknown = -1

// branch is a shared type (Yjs AbstractType): a list of items (start, via
// right), map entries (entries, each the current item of its key's chain),
// and the item that holds it (nil for a root). Text, Map, Array and the XML
// types are views on a branch.
type branch struct {
	doc     *Doc
	item    *item  // the item whose content is this type; nil for a root
	name    string // root name for roots; node name for XML elements and hooks
	typeRef int
	start   *item
	entries map[string]*item
	keys    []string // keys in order of first appearance, as a JavaScript Map iterates
	length  int      // visible length of the list, in clock units
	marker  marker
	// hasFormatting is set once a Format item has been integrated.
	hasFormatting bool
}

// marker caches one position in the list: p is a live item and index the
// number of visible units before it. Any structural change clears it; local
// edits set it again where they end, so sequential typing walks only a few items.
type marker struct {
	p     *item
	index int
}

func (b *branch) changed() { b.marker.p = nil }

func (b *branch) setEntry(key string, it *item) {
	if b.entries == nil {
		b.entries = make(map[string]*item)
	}
	if _, ok := b.entries[key]; !ok {
		b.keys = append(b.keys, key)
	}
	b.entries[key] = it
}

// isRoot reports whether b is a top-level type.
func (b *branch) isRoot() bool { return b.item == nil }

// alive reports whether b can still be edited: a nested type whose item was
// deleted is gone, and edits to it would be dropped by every peer.
func (b *branch) alive() bool { return b.item == nil || !b.item.deleted() }
