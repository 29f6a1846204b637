package crdt

import "fmt"

// CheckDoc verifies the document's internal invariants: every client's
// structs are contiguous from clock 0, list links agree in both directions,
// cached lengths match the visible content, and map entries are the ends of
// their chains.
func CheckDoc(d *Doc) error {
	for c, cs := range d.store.clients {
		var next uint64
		for i, it := range cs.structs {
			if it.id.Client != c || it.id.Clock != next || it.length <= 0 {
				return fmt.Errorf("client %d struct %d: id %d:%d length %d, want clock %d", c, i, it.id.Client, it.id.Clock, it.length, next)
			}
			next = it.endClock()
		}
	}
	seen := map[*branch]bool{}
	var walk func(b *branch) error
	walk = func(b *branch) error {
		if seen[b] {
			return nil
		}
		seen[b] = true
		length := 0
		var prev *item
		for n := b.start; n != nil; n = n.right {
			if n.left != prev {
				return fmt.Errorf("item %d:%d: left link broken", n.id.Client, n.id.Clock)
			}
			if n.parent != b {
				return fmt.Errorf("item %d:%d: wrong parent", n.id.Client, n.id.Clock)
			}
			if n.visible() {
				length += n.length
			}
			if ct, ok := n.content.(*contentType); ok {
				if err := walk(ct.b); err != nil {
					return err
				}
			}
			prev = n
		}
		if length != b.length {
			return fmt.Errorf("branch %q: length %d, items sum to %d", b.name, b.length, length)
		}
		for k, it := range b.entries {
			if it.right != nil {
				return fmt.Errorf("branch %q key %q: entry is not the end of its chain", b.name, k)
			}
			if ct, ok := it.content.(*contentType); ok {
				if err := walk(ct.b); err != nil {
					return err
				}
			}
		}
		if m := b.marker; m.p != nil {
			pos := 0
			for n := b.start; n != nil && n != m.p; n = n.right {
				if n.visible() {
					pos += n.length
				}
			}
			if pos != m.index {
				return fmt.Errorf("branch %q: marker says %d, item is at %d", b.name, m.index, pos)
			}
		}
		return nil
	}
	for _, name := range d.rootNames {
		if err := walk(d.roots[name]); err != nil {
			return err
		}
	}
	return nil
}
