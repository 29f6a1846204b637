package crdt

import (
	"fmt"
	"strings"
)

// CheckDoc verifies the document's internal invariants: every client's
// structs are contiguous from clock 0, list links agree in both directions,
// cached lengths match the visible content, and map entries are the ends of
// their chains.
func CheckDoc(d *Doc) error {
	for c, cs := range d.store.clients {
		var next uint64
		for i := 0; i < cs.n(); i++ {
			it := cs.at(i)
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

// DumpDoc describes the document's items, for debugging failed tests.
func DumpDoc(d *Doc) string {
	var sb strings.Builder
	for _, c := range sortedClientsDesc(d.store.clients) {
		cs := d.store.clients[c]
		for i := 0; i < cs.n(); i++ {
			it := cs.at(i)
			fmt.Fprintf(&sb, "%s\n", describeItem(it))
		}
	}
	for _, name := range d.rootNames {
		fmt.Fprintf(&sb, "root %q:", name)
		for n := d.roots[name].start; n != nil; n = n.right {
			fmt.Fprintf(&sb, " %d:%d", n.id.Client, n.id.Clock)
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

func describeItem(it *item) string {
	if it.isGC() {
		return fmt.Sprintf("%d:%d GC len %d", it.id.Client, it.id.Clock, it.length)
	}
	s := fmt.Sprintf("%d:%d len %d del=%v %T", it.id.Client, it.id.Clock, it.length, it.deleted(), it.content)
	if it.hasOrigin() {
		s += fmt.Sprintf(" origin %d:%d", it.origin.Client, it.origin.Clock)
	}
	if it.hasRight() {
		s += fmt.Sprintf(" right %d:%d", it.rightOrigin.Client, it.rightOrigin.Clock)
	}
	if cs, ok := it.content.(*contentString); ok {
		s += fmt.Sprintf(" %q", cs.s)
	}
	if it.left != nil {
		s += fmt.Sprintf(" L=%d:%d", it.left.id.Client, it.left.id.Clock)
	}
	if it.right != nil {
		s += fmt.Sprintf(" R=%d:%d", it.right.id.Client, it.right.id.Clock)
	}
	return s
}
