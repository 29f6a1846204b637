package crdt

import (
	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

// Struct and content refs: the low five bits of a struct's info byte.
const (
	refGC      = 0
	refDeleted = 1
	refJSON    = 2
	refBinary  = 3
	refString  = 4
	refEmbed   = 5
	refFormat  = 6
	refType    = 7
	refAny     = 8
	refDoc     = 9
	refSkip    = 10
)

// content is what an Item carries. Lengths live on the Item; content kinds
// that can be cut (Deleted, JSON, String, Any) implement splice and mergeWith,
// the others always have length 1.
type content interface {
	ref() byte
	countable() bool
	// splice keeps the first offset units in the receiver and returns the rest.
	splice(offset int) content
	// mergeWith appends right (same kind) to the receiver when the kind allows it.
	mergeWith(right content) bool
	// write encodes the payload (v1) from unit offset on.
	write(e *lib0.Encoder, offset int)
}

type contentDeleted struct{ n int }

func (c *contentDeleted) ref() byte       { return refDeleted }
func (c *contentDeleted) countable() bool { return false }
func (c *contentDeleted) splice(offset int) content {
	r := &contentDeleted{c.n - offset}
	c.n = offset
	return r
}
func (c *contentDeleted) mergeWith(right content) bool {
	c.n += right.(*contentDeleted).n
	return true
}
func (c *contentDeleted) write(e *lib0.Encoder, offset int) { e.WriteVarUint(uint64(c.n - offset)) }

// contentJSON is the legacy JSON content: each element is kept as the JSON
// text it arrived as (or the bare word undefined), so it re-encodes exactly.
type contentJSON struct{ vals []string }

func (c *contentJSON) ref() byte       { return refJSON }
func (c *contentJSON) countable() bool { return true }
func (c *contentJSON) splice(offset int) content {
	r := &contentJSON{c.vals[offset:len(c.vals):len(c.vals)]}
	c.vals = c.vals[:offset:offset]
	return r
}
func (c *contentJSON) mergeWith(right content) bool {
	c.vals = append(c.vals, right.(*contentJSON).vals...)
	return true
}
func (c *contentJSON) write(e *lib0.Encoder, offset int) {
	e.WriteVarUint(uint64(len(c.vals) - offset))
	for _, v := range c.vals[offset:] {
		e.WriteVarString(v)
	}
}

type contentBinary struct{ b []byte }

func (c *contentBinary) ref() byte                    { return refBinary }
func (c *contentBinary) countable() bool              { return true }
func (c *contentBinary) splice(int) content           { panic("crdt: binary content cannot be split") }
func (c *contentBinary) mergeWith(content) bool       { return false }
func (c *contentBinary) write(e *lib0.Encoder, _ int) { e.WriteVarBytes(c.b) }

// contentString holds UTF-8 text; units is its length in UTF-16 code units.
// The byte slice is owned exclusively by this content, so merging may append
// in place; splice caps the left part so the halves never share spare capacity.
type contentString struct {
	s     []byte
	units int
}

func newContentString(s string) *contentString {
	return &contentString{s: []byte(s), units: utf16LenString(s)}
}

func (c *contentString) ref() byte       { return refString }
func (c *contentString) countable() bool { return true }

func (c *contentString) splice(offset int) content {
	r := &contentString{}
	c.spliceInto(offset, r)
	return r
}

// spliceInto is splice writing the right part into r, so that callers can
// allocate it together with its item.
func (c *contentString) spliceInto(offset int, r *contentString) {
	var pos int
	var inPair bool
	if len(c.s) == c.units { // ASCII: units are bytes
		pos = offset
	} else {
		pos, inPair = byteOffset(c.s, offset)
	}
	r.units = c.units - offset
	if inPair {
		// A cut through a surrogate pair destroys the character, as in Yjs:
		// each half keeps one unit and becomes U+FFFD.
		r.s = append([]byte(replacementChar), c.s[pos+4:]...)
		left := append(c.s[:pos:pos], replacementChar...)
		c.s = left[:len(left):len(left)]
	} else {
		r.s = c.s[pos:]
		c.s = c.s[:pos:pos]
	}
	c.units = offset
}

// stringItem allocates an item and its text content together: text is most
// of what documents hold, and one allocation instead of two matters there.
type stringItem struct {
	item
	str contentString
}

func (c *contentString) mergeWith(right content) bool {
	r := right.(*contentString)
	c.s = append(c.s, r.s...)
	c.units += r.units
	return true
}

func (c *contentString) write(e *lib0.Encoder, offset int) {
	if offset == 0 {
		e.WriteVarBytes(c.s) // a varstring is a varuint byte length plus the bytes
		return
	}
	var pos int
	var inPair bool
	if len(c.s) == c.units {
		pos = offset
	} else {
		pos, inPair = byteOffset(c.s, offset)
	}
	if inPair {
		// The slice starts on a lone low surrogate, which TextEncoder writes as U+FFFD.
		rest := c.s[pos+4:]
		e.WriteVarUint(uint64(len(replacementChar) + len(rest)))
		e.WriteRaw([]byte(replacementChar))
		e.WriteRaw(rest)
		return
	}
	e.WriteVarBytes(c.s[pos:])
}

// contentEmbed keeps the embed's JSON text verbatim.
type contentEmbed struct{ raw string }

func (c *contentEmbed) ref() byte                    { return refEmbed }
func (c *contentEmbed) countable() bool              { return true }
func (c *contentEmbed) splice(int) content           { panic("crdt: embed content cannot be split") }
func (c *contentEmbed) mergeWith(content) bool       { return false }
func (c *contentEmbed) write(e *lib0.Encoder, _ int) { e.WriteVarString(c.raw) }

// contentFormat marks the start (or end, with value null) of a formatting
// attribute in a text. The value is kept as JSON text.
type contentFormat struct {
	key string
	raw string
}

func (c *contentFormat) ref() byte              { return refFormat }
func (c *contentFormat) countable() bool        { return false }
func (c *contentFormat) splice(int) content     { panic("crdt: format content cannot be split") }
func (c *contentFormat) mergeWith(content) bool { return false }
func (c *contentFormat) write(e *lib0.Encoder, _ int) {
	e.WriteVarString(c.key)
	e.WriteVarString(c.raw)
}

// Type refs of ContentType (yjs typeRefs).
const (
	typeArray       = 0
	typeMap         = 1
	typeText        = 2
	typeXMLElement  = 3
	typeXMLFragment = 4
	typeXMLHook     = 5
	typeXMLText     = 6
)

type contentType struct{ b *branch }

func (c *contentType) ref() byte              { return refType }
func (c *contentType) countable() bool        { return true }
func (c *contentType) splice(int) content     { panic("crdt: type content cannot be split") }
func (c *contentType) mergeWith(content) bool { return false }
func (c *contentType) write(e *lib0.Encoder, _ int) {
	e.WriteVarUint(uint64(c.b.typeRef))
	if c.b.typeRef == typeXMLElement || c.b.typeRef == typeXMLHook {
		e.WriteVarString(c.b.name)
	}
}

type contentAny struct{ vals []any }

func (c *contentAny) ref() byte       { return refAny }
func (c *contentAny) countable() bool { return true }
func (c *contentAny) splice(offset int) content {
	r := &contentAny{c.vals[offset:len(c.vals):len(c.vals)]}
	c.vals = c.vals[:offset:offset]
	return r
}
func (c *contentAny) mergeWith(right content) bool {
	c.vals = append(c.vals, right.(*contentAny).vals...)
	return true
}
func (c *contentAny) write(e *lib0.Encoder, offset int) {
	e.WriteVarUint(uint64(len(c.vals) - offset))
	for _, v := range c.vals[offset:] {
		e.WriteAny(v)
	}
}

// contentDoc is a sub-document reference. commonpad keeps and re-encodes
// sub-documents but never opens them.
type contentDoc struct {
	guid string
	opts any
}

func (c *contentDoc) ref() byte              { return refDoc }
func (c *contentDoc) countable() bool        { return true }
func (c *contentDoc) splice(int) content     { panic("crdt: doc content cannot be split") }
func (c *contentDoc) mergeWith(content) bool { return false }
func (c *contentDoc) write(e *lib0.Encoder, _ int) {
	e.WriteVarString(c.guid)
	e.WriteAny(c.opts)
}

// SubDoc describes a sub-document embedded in a pad. It is reported by reads
// but never loaded.
type SubDoc struct {
	GUID    string
	Options any
}
