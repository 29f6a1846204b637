package crdt

// locate returns the visible item that holds unit index and the number of
// visible units before it, or nil and the list length when index is past
// the end. It starts from the branch's marker when there is one.
func (b *branch) locate(index int) (*item, int) {
	n, pos := b.start, 0
	if m := b.marker; m.p != nil {
		n, pos = m.p, m.index
		for pos > index {
			n = n.left
			if n.visible() {
				pos -= n.length
			}
		}
	}
	for ; n != nil; n = n.right {
		if n.visible() {
			if index < pos+n.length {
				b.marker = marker{n, pos}
				return n, pos
			}
			pos += n.length
		}
	}
	return nil, pos
}

// listLeft returns the item after which content inserted at index goes: the
// visible item ending exactly at index (split if needed), or nil at index 0.
func (tx *Txn) listLeft(b *branch, index int) *item {
	if index == 0 {
		return nil
	}
	n, pos := b.locate(index - 1)
	if end := index - pos; end < n.length {
		tx.cleanStart(ID{n.id.Client, n.id.Clock + uint64(end)})
	}
	return n
}

// listInsert inserts items made by mk, in order, at index of a list type
// (Yjs typeListInsertGenericsAfter): each one after the previous, all with
// the same right neighbour.
func (tx *Txn) listInsert(b *branch, index int, contents []content) *item {
	left := tx.listLeft(b, index)
	right := b.start
	if left != nil {
		right = left.right
	}
	for _, c := range contents {
		left = tx.insertLocal(b, left, right, nil, c, contentLength(c))
	}
	if left != nil {
		b.marker = marker{left, index + contentsLength(contents) - left.length}
	}
	return left
}

func contentLength(c content) int {
	switch c := c.(type) {
	case *contentAny:
		return len(c.vals)
	case *contentString:
		return c.units
	case *contentJSON:
		return len(c.vals)
	case *contentDeleted:
		return c.n
	}
	return 1
}

func contentsLength(cs []content) int {
	n := 0
	for _, c := range cs {
		n += contentLength(c)
	}
	return n
}

// listDelete deletes length visible units from index (Yjs typeListDelete).
func (tx *Txn) listDelete(b *branch, index, length int) {
	n, pos := b.locate(index)
	if n == nil {
		return
	}
	if off := index - pos; off > 0 {
		n = tx.cleanStart(ID{n.id.Client, n.id.Clock + uint64(off)})
	}
	for ; length > 0 && n != nil; n = n.right {
		if n.deleted() {
			continue
		}
		if length < n.length {
			tx.cleanStart(ID{n.id.Client, n.id.Clock + uint64(length)})
		}
		if n.countable() {
			length -= n.length
		}
		tx.delete(n)
	}
	if n != nil {
		b.marker = marker{n, index}
	}
}

// listGet returns the value at index of a list type.
func (b *branch) listGet(index int) (any, bool) {
	if index < 0 || index >= b.length {
		return nil, false
	}
	n, pos := b.locate(index)
	if n == nil {
		return nil, false
	}
	return contentValues(n.content)[index-pos], true
}

// listValues returns every visible value of a list type.
func (b *branch) listValues() []any {
	out := make([]any, 0, b.length)
	for n := b.start; n != nil; n = n.right {
		if n.visible() {
			out = append(out, contentValues(n.content)...)
		}
	}
	return out
}
