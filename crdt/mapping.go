package crdt

import (
	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

// Map is a shared map (Y.Map). Concurrent writes to one key resolve to the
// same winner everywhere: a write made after seeing another wins over it,
// and between concurrent writes the higher client id wins.
type Map struct{ b *branch }

// Map returns the root map called name.
func (d *Doc) Map(name string) *Map { return &Map{d.typedRoot(name, typeMap)} }

// Get returns the current value of key: a JSON-like value, []byte, a SubDoc,
// or a view of a nested type (*Text, *Map, *Array, ...).
func (m *Map) Get(key string) (any, bool) { return m.b.entry(key) }

func (b *branch) entry(key string) (any, bool) {
	it := b.entries[key]
	if it == nil || it.deleted() {
		return nil, false
	}
	vals := contentValues(it.content)
	if len(vals) == 0 {
		return nil, false
	}
	return vals[len(vals)-1], true
}

// Has reports whether key has a value.
func (m *Map) Has(key string) bool {
	it := m.b.entries[key]
	return it != nil && !it.deleted()
}

// Keys returns the keys that have a value, in the order they first appeared.
func (m *Map) Keys() []string { return m.b.liveKeys() }

func (b *branch) liveKeys() []string {
	var out []string
	for _, k := range b.keys {
		if !b.entries[k].deleted() {
			out = append(out, k)
		}
	}
	return out
}

// Len returns the number of keys that have a value.
func (m *Map) Len() int { return len(m.b.liveKeys()) }

// Set sets key to a JSON-like value (nil, bool, numbers, string, slices,
// maps, lib0 objects) or to binary data ([]byte).
func (m *Map) Set(tx *Txn, key string, value any) {
	tx.mapSet(m.b, key, valueContent(value))
}

// Delete removes key.
func (m *Map) Delete(tx *Txn, key string) {
	if it := m.b.entries[key]; it != nil {
		tx.delete(it)
	}
}

// SetMap sets key to a new nested map and returns it.
func (m *Map) SetMap(tx *Txn, key string) *Map {
	return &Map{tx.mapSetType(m.b, key, typeMap, "")}
}

// SetArray sets key to a new nested array and returns it.
func (m *Map) SetArray(tx *Txn, key string) *Array {
	return &Array{tx.mapSetType(m.b, key, typeArray, "")}
}

// SetText sets key to a new nested text and returns it.
func (m *Map) SetText(tx *Txn, key string) *Text {
	return &Text{tx.mapSetType(m.b, key, typeText, "")}
}

func (tx *Txn) mapSetType(b *branch, key string, ref int, name string) *branch {
	nb := &branch{typeRef: ref, name: name}
	tx.mapSet(b, key, &contentType{nb})
	return nb
}

func (tx *Txn) mapSet(b *branch, key string, c content) {
	left := b.entries[key]
	tx.insertLocal(b, left, nil, &key, c, 1)
}

// valueContent wraps a Go value the way Yjs wraps a JavaScript value: binary
// data as Binary content, everything else as Any.
func valueContent(v any) content {
	if b, ok := v.([]byte); ok {
		return &contentBinary{append([]byte(nil), b...)}
	}
	return &contentAny{[]any{normalizeAny(v)}}
}

// normalizeAny converts a Go value to the representation a decoded update
// would give it, so that local and remote values read back alike.
func normalizeAny(v any) any {
	e := lib0.NewEncoder(16)
	e.WriteAny(v)
	out, err := lib0.NewDecoder(e.Bytes()).ReadAny()
	if err != nil {
		return nil
	}
	return out
}

// ToJSON returns the map as JSON-like values, nested types included.
func (m *Map) ToJSON() map[string]any { return m.b.mapJSON() }

func (b *branch) mapJSON() map[string]any {
	out := make(map[string]any)
	for _, k := range b.keys {
		if v, ok := b.entry(k); ok {
			out[k] = toJSON(v)
		}
	}
	return out
}

// toJSON converts a value read from a type to plain JSON-like values.
func toJSON(v any) any {
	switch v := v.(type) {
	case *Text:
		return v.String()
	case *Map:
		return v.ToJSON()
	case *Array:
		return v.ToJSON()
	case *XmlFragment:
		return v.String()
	case *XmlElement:
		return v.String()
	case *XmlText:
		return v.String()
	case *XmlHook:
		return v.b.mapJSON()
	}
	return v
}

// view returns the typed view of a nested type.
func (b *branch) view() any {
	switch b.typeRef {
	case typeArray:
		return &Array{b}
	case typeMap:
		return &Map{b}
	case typeText:
		return &Text{b}
	case typeXMLElement:
		return &XmlElement{xmlChildren{b}}
	case typeXMLFragment:
		return &XmlFragment{xmlChildren{b}}
	case typeXMLHook:
		return &XmlHook{b}
	case typeXMLText:
		return &XmlText{Text{b}}
	}
	return nil
}
