package crdt

import (
	"strings"

	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

// Text is a shared rich text (Y.Text). Positions and lengths are UTF-16 code
// units, as in every Yjs editor binding; an embed or a nested type counts 1.
// Formatting is a pair of Format items around a range: one that sets an
// attribute and one that restores the previous value.
type Text struct{ b *branch }

// Text returns the root text called name.
func (d *Doc) Text(name string) *Text { return &Text{d.typedRoot(name, typeText)} }

func (d *Doc) typedRoot(name string, ref int) *branch {
	b := d.root(name)
	if b.typeRef == typeUnknown {
		b.typeRef = ref
	}
	return b
}

// Len returns the length in UTF-16 code units.
func (t *Text) Len() int { return t.b.length }

// String returns the text without formatting and embeds.
func (t *Text) String() string {
	var sb strings.Builder
	for n := t.b.start; n != nil; n = n.right {
		if c, ok := n.content.(*contentString); ok && !n.deleted() {
			sb.Write(c.s)
		}
	}
	return sb.String()
}

// Delta is one run of a text's content (Quill's delta format). Insert is a
// string, an embed (its JSON value), or a nested shared type.
type Delta struct {
	Insert     any
	Attributes map[string]any // nil when the run has no attributes
}

// Delta returns the content as runs of equal formatting, exactly as Yjs
// toDelta does (a Format item always ends a run).
func (t *Text) Delta() []Delta {
	var out []Delta
	var cur attrList
	var sb strings.Builder
	attrs := func() map[string]any {
		if len(cur) == 0 {
			return nil
		}
		m := make(map[string]any, len(cur))
		for _, a := range cur {
			m[a.key] = a.val
		}
		return m
	}
	flush := func() {
		if sb.Len() > 0 {
			out = append(out, Delta{Insert: sb.String(), Attributes: attrs()})
			sb.Reset()
		}
	}
	for n := t.b.start; n != nil; n = n.right {
		if n.deleted() {
			continue
		}
		switch c := n.content.(type) {
		case *contentString:
			sb.Write(c.s)
		case *contentEmbed, *contentType:
			flush()
			out = append(out, Delta{Insert: contentValues(n.content)[0], Attributes: attrs()})
		case *contentFormat:
			flush()
			cur.apply(c)
		}
	}
	flush()
	return out
}

// textPos is a position between two items of a text, with the attributes
// in force there (Yjs ItemTextListPosition).
type textPos struct {
	left, right *item
	index       int
	attrs       attrList
}

func (p *textPos) forward() {
	r := p.right
	if f, ok := r.content.(*contentFormat); ok {
		if !r.deleted() {
			p.attrs.apply(f)
		}
	} else if !r.deleted() {
		p.index += r.length
	}
	p.left, p.right = r, r.right
}

// findPosition walks to index. In a text with formatting the walk starts at
// the beginning so that the attributes in force are known.
func (tx *Txn) findTextPosition(b *branch, index int) *textPos {
	if !b.hasFormatting {
		left := tx.listLeft(b, index)
		p := &textPos{left: left, index: index}
		if left != nil {
			p.right = left.right
		} else {
			p.right = b.start
		}
		return p
	}
	p := &textPos{right: b.start}
	count := index
	for p.right != nil && count > 0 {
		r := p.right
		if f, ok := r.content.(*contentFormat); ok {
			if !r.deleted() {
				p.attrs.apply(f)
			}
		} else if !r.deleted() {
			if count < r.length {
				tx.cleanStart(ID{r.id.Client, r.id.Clock + uint64(count)})
			}
			p.index += r.length
			count -= r.length
		}
		p.left, p.right = r, r.right
	}
	return p
}

// insertLocal creates and integrates a new local item between left and right.
func (tx *Txn) insertLocal(b *branch, left, right *item, sub *string, c content, length int) *item {
	d := tx.doc
	it := newItem(ID{d.clientID, d.store.state(d.clientID)}, left, right, b, sub, c, length)
	tx.integrate(it, 0)
	return it
}

func (tx *Txn) insertFormat(b *branch, p *textPos, key string, val any) {
	_, raw := normalizeJSON(val)
	p.right = tx.insertLocal(b, p.left, p.right, nil, &contentFormat{key: key, raw: raw}, 1)
	p.forward()
}

// Insert inserts s at index. With attrs nil the text takes the formatting in
// force at index; otherwise exactly attrs (attributes in force but absent
// from attrs are ended).
func (t *Text) Insert(tx *Txn, index int, s string, attrs Attributes) error {
	if index < 0 || index > t.b.length {
		return ErrIndexOutOfRange
	}
	if s == "" {
		return nil
	}
	c := newContentString(s)
	tx.insertText(t.b, index, c, c.units, attrs)
	return nil
}

// InsertEmbed inserts an embed (a JSON-like value such as an image) at index,
// formatted with exactly attrs.
func (t *Text) InsertEmbed(tx *Txn, index int, embed any, attrs Attributes) error {
	if index < 0 || index > t.b.length {
		return ErrIndexOutOfRange
	}
	if attrs == nil {
		// Unlike text, an embed takes no formatting unless given some (Yjs insertEmbed).
		attrs = Attributes{}
	}
	_, raw := normalizeJSON(embed)
	tx.insertText(t.b, index, &contentEmbed{raw}, 1, attrs)
	return nil
}

func (tx *Txn) insertText(b *branch, index int, c content, length int, attrs Attributes) {
	p := tx.findTextPosition(b, index)
	if len(attrs) == 0 && len(p.attrs) == 0 {
		// Nothing to start or end: the common case of plain typing. Like Yjs
		// (minimizeAttributeChanges), the new text goes after any deleted
		// items at the position.
		for p.right != nil && p.right.deleted() {
			p.left, p.right = p.right, p.right.right
		}
		it := tx.insertLocal(b, p.left, p.right, nil, c, length)
		b.marker = marker{it, index}
		return
	}
	var want attrList
	if attrs == nil {
		want = p.attrs.clone()
	} else {
		want = attrsFromMap(attrs)
		for _, a := range p.attrs {
			if _, _, ok := want.get(a.key); !ok {
				want = append(want, attr{key: a.key})
			}
		}
	}
	tx.minimizeAttributeChanges(p, want)
	negated := tx.insertAttributes(b, p, want)
	p.right = tx.insertLocal(b, p.left, p.right, nil, c, length)
	p.forward()
	tx.insertNegatedAttributes(b, p, negated)
}

// minimizeAttributeChanges skips deleted items and Format items that already
// set what is wanted.
func (tx *Txn) minimizeAttributeChanges(p *textPos, want attrList) {
	for p.right != nil {
		r := p.right
		if !r.deleted() {
			f, ok := r.content.(*contentFormat)
			if !ok {
				return
			}
			v, src, _ := want.get(f.key)
			if !equalAttrs(v, src, f.value(), f) {
				return
			}
		}
		p.forward()
	}
}

// insertAttributes starts every wanted attribute not already in force and
// returns the values to restore after the inserted range.
func (tx *Txn) insertAttributes(b *branch, p *textPos, want attrList) attrList {
	var negated attrList
	for _, a := range want {
		cur, csrc, _ := p.attrs.get(a.key)
		if !equalAttrs(cur, csrc, a.val, a.src) {
			negated.set(a.key, cur, csrc)
			tx.insertFormat(b, p, a.key, a.val)
		}
	}
	return negated
}

func (tx *Txn) insertNegatedAttributes(b *branch, p *textPos, negated attrList) {
	for p.right != nil {
		r := p.right
		if !r.deleted() {
			f, ok := r.content.(*contentFormat)
			if !ok {
				break
			}
			v, src, found := negated.get(f.key)
			if !found || !equalAttrs(v, src, f.value(), f) {
				break
			}
			negated.del(f.key)
		}
		p.forward()
	}
	for _, a := range negated {
		tx.insertFormat(b, p, a.key, a.val)
	}
}

// Format sets attrs on length units from index; a nil value removes an
// attribute.
func (t *Text) Format(tx *Txn, index, length int, attrs Attributes) error {
	if index < 0 || length < 0 || index+length > t.b.length {
		return ErrIndexOutOfRange
	}
	if length == 0 {
		return nil
	}
	b := t.b
	p := tx.findTextPosition(b, index)
	if p.right == nil {
		return nil
	}
	if !b.hasFormatting {
		// The fast position skipped nothing, so no attributes are in force.
		p.attrs = nil
	}
	want := attrsFromMap(attrs)
	tx.minimizeAttributeChanges(p, want)
	negated := tx.insertAttributes(b, p, want)
loop:
	for p.right != nil && (length > 0 || len(negated) > 0 && (p.right.deleted() || isFormat(p.right))) {
		r := p.right
		if !r.deleted() {
			if f, ok := r.content.(*contentFormat); ok {
				if v, src, found := want.get(f.key); found {
					if equalAttrs(v, src, f.value(), f) {
						negated.del(f.key)
					} else {
						if length == 0 {
							break loop
						}
						negated.set(f.key, f.value(), f)
					}
					tx.delete(r)
				} else {
					p.attrs.set(f.key, f.value(), f)
				}
			} else {
				if length < r.length {
					tx.cleanStart(ID{r.id.Client, r.id.Clock + uint64(length)})
				}
				length -= r.length
			}
		}
		p.forward()
	}
	if length > 0 {
		// Quill expects a text to end with a newline; Yjs pads with newlines
		// when a format reaches past the end.
		c := newContentString(strings.Repeat("\n", length))
		p.right = tx.insertLocal(b, p.left, p.right, nil, c, length)
		p.forward()
	}
	tx.insertNegatedAttributes(b, p, negated)
	return nil
}

func isFormat(it *item) bool {
	_, ok := it.content.(*contentFormat)
	return ok
}

// Delete removes length units from index. Format items in the range stay,
// but those made redundant by the deletion are removed.
func (t *Text) Delete(tx *Txn, index, length int) error {
	if index < 0 || length < 0 || index+length > t.b.length {
		return ErrIndexOutOfRange
	}
	if length == 0 {
		return nil
	}
	b := t.b
	p := tx.findTextPosition(b, index)
	if !b.hasFormatting {
		p.attrs = nil
	}
	startAttrs := p.attrs.clone()
	start := p.right
	for length > 0 && p.right != nil {
		r := p.right
		if !r.deleted() {
			switch r.content.(type) {
			case *contentString, *contentEmbed, *contentType:
				if length < r.length {
					tx.cleanStart(ID{r.id.Client, r.id.Clock + uint64(length)})
				}
				length -= r.length
				tx.delete(r)
			}
		}
		p.forward()
	}
	if b.hasFormatting && start != nil {
		tx.cleanupFormattingGap(start, p.right, startAttrs, &p.attrs)
	} else if p.right != nil {
		b.marker = marker{p.right, index}
	}
	return nil
}

// cleanupFormattingGap deletes Format items between start and the next
// visible content that no longer change anything (Yjs cleanupFormattingGap).
func (tx *Txn) cleanupFormattingGap(start, curr *item, startAttrs attrList, currAttrs *attrList) int {
	end := start
	endFormats := map[string]*contentFormat{}
	for end != nil && (!end.countable() || end.deleted()) {
		if f, ok := end.content.(*contentFormat); ok && !end.deleted() {
			endFormats[f.key] = f
		}
		end = end.right
	}
	cleanups := 0
	reachedCurr := false
	for start != end {
		if curr == start {
			reachedCurr = true
		}
		if f, ok := start.content.(*contentFormat); ok && !start.deleted() {
			val := f.value()
			sv, ssrc, _ := startAttrs.get(f.key)
			if endFormats[f.key] != f || strictEqual(sv, ssrc, val, f) {
				tx.delete(start)
				cleanups++
				cv, csrc, _ := currAttrs.get(f.key)
				if !reachedCurr && strictEqual(cv, csrc, val, f) && !strictEqual(sv, ssrc, val, f) {
					if sv == nil {
						currAttrs.del(f.key)
					} else {
						currAttrs.set(f.key, sv, ssrc)
					}
				}
			}
			if !reachedCurr && !start.deleted() {
				currAttrs.apply(f)
			}
		}
		start = start.right
	}
	return cleanups
}

// contentValues returns what an item holds as values (Yjs getContent):
// JSON-like values, []byte, embeds, or views of nested types.
func contentValues(c content) []any {
	switch c := c.(type) {
	case *contentAny:
		return c.vals
	case *contentJSON:
		out := make([]any, len(c.vals))
		for i, s := range c.vals {
			if s == "undefined" {
				out[i] = lib0.Undefined
				continue
			}
			out[i], _ = lib0.ParseJSON(s)
		}
		return out
	case *contentBinary:
		return []any{c.b}
	case *contentEmbed:
		v, _ := lib0.ParseJSON(c.raw)
		return []any{v}
	case *contentType:
		return []any{c.b.view()}
	case *contentDoc:
		return []any{SubDoc{GUID: c.guid, Options: c.opts}}
	case *contentString:
		// One value per UTF-16 unit, as JavaScript splits a string.
		return splitUnits(string(c.s))
	}
	return nil
}

func splitUnits(s string) []any {
	out := make([]any, 0, len(s))
	for _, r := range s {
		if r >= 0x10000 {
			out = append(out, replacementChar, replacementChar)
			continue
		}
		out = append(out, string(r))
	}
	return out
}
