package crdt

import (
	"slices"

	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

// Attributes are formatting attributes of a text range, such as
// {"bold": true} or {"link": {"href": "https://…"}}. Values are JSON-like Go
// values; a nil value removes the attribute.
type Attributes map[string]any

// attr is one formatting attribute as the text algorithms see it. src is
// the Format content the value was read from: JavaScript compares attribute
// objects by identity, and two values read from the same item are the same
// object there.
type attr struct {
	key string
	val any
	src *contentFormat
}

// attrList is an ordered attribute map: keys keep their first position, as
// in a JavaScript Map, which decides the key order of deltas.
type attrList []attr

func (l attrList) get(key string) (any, *contentFormat, bool) {
	for _, a := range l {
		if a.key == key {
			return a.val, a.src, true
		}
	}
	return nil, nil, false
}

func (l *attrList) set(key string, val any, src *contentFormat) {
	for i := range *l {
		if (*l)[i].key == key {
			(*l)[i].val, (*l)[i].src = val, src
			return
		}
	}
	*l = append(*l, attr{key, val, src})
}

func (l *attrList) del(key string) {
	*l = slices.DeleteFunc(*l, func(a attr) bool { return a.key == key })
}

// apply updates the current attributes with a Format item: null ends it.
func (l *attrList) apply(f *contentFormat) {
	v := f.value()
	if v == nil {
		l.del(f.key)
	} else {
		l.set(f.key, v, f)
	}
}

func (l attrList) clone() attrList { return slices.Clone(l) }

// value parses the Format's JSON text. Format items are rare enough that
// parsing on use beats keeping a parsed copy in every one of them.
func (c *contentFormat) value() any {
	v, err := lib0.ParseJSON(c.raw)
	if err != nil {
		return nil
	}
	return v
}

// normalizeJSON turns a Go value into the value JavaScript would hold after
// JSON.parse(JSON.stringify(v)), and returns the JSON text too.
func normalizeJSON(v any) (any, string) {
	raw := string(lib0.AppendJSON(nil, v))
	if raw == "undefined" {
		return nil, "null"
	}
	nv, err := lib0.ParseJSON(raw)
	if err != nil {
		return nil, "null"
	}
	return nv, raw
}

// attrsFromMap orders user attributes by key, for determinism.
func attrsFromMap(m Attributes) attrList {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	l := make(attrList, 0, len(keys))
	for _, k := range keys {
		v, _ := normalizeJSON(m[k])
		l = append(l, attr{key: k, val: v})
	}
	return l
}

func isPrimitive(v any) bool {
	switch v.(type) {
	case lib0.Object, []any, map[string]any:
		return false
	}
	return true
}

// strictEqual is JavaScript's ===: primitives by value, objects by identity.
func strictEqual(a any, asrc *contentFormat, b any, bsrc *contentFormat) bool {
	if isPrimitive(a) && isPrimitive(b) {
		return lib0.Equal(a, b)
	}
	return asrc != nil && asrc == bsrc
}

// equalAttrs is Yjs equalAttrs: strictly equal, or two objects whose fields
// are strictly equal.
func equalAttrs(a any, asrc *contentFormat, b any, bsrc *contentFormat) bool {
	if strictEqual(a, asrc, b, bsrc) {
		return true
	}
	ao, ok1 := a.(lib0.Object)
	bo, ok2 := b.(lib0.Object)
	if !ok1 || !ok2 || len(ao) != len(bo) {
		return false
	}
	for _, f := range ao {
		bv, ok := bo.Get(f.Key)
		if !ok || !(isPrimitive(f.Value) && isPrimitive(bv) && lib0.Equal(f.Value, bv)) {
			return false
		}
	}
	return true
}
