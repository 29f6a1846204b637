package lib0

import (
	"slices"
	"strings"
)

// objectBuilder collects fields with JavaScript assignment semantics: a
// repeated key keeps its first position and takes the last value.
type objectBuilder struct {
	fields Object
	index  map[string]int // built only once the object is large enough to need it
}

const objectIndexThreshold = 16

func (b *objectBuilder) set(k string, v any) {
	if b.index != nil {
		if i, ok := b.index[k]; ok {
			b.fields[i].Value = v
			return
		}
		b.index[k] = len(b.fields)
		b.fields = append(b.fields, Field{k, v})
		return
	}
	for i := range b.fields {
		if b.fields[i].Key == k {
			b.fields[i].Value = v
			return
		}
	}
	b.fields = append(b.fields, Field{k, v})
	if len(b.fields) >= objectIndexThreshold {
		b.index = make(map[string]int, len(b.fields)*2)
		for i, f := range b.fields {
			b.index[f.Key] = i
		}
	}
}

// arrayIndex reports whether k is a canonical array index ("0" to
// "4294967294"); JavaScript lists such keys first, in numeric order.
func arrayIndex(k string) (uint32, bool) {
	if len(k) == 0 || len(k) > 10 || (len(k) > 1 && k[0] == '0') {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if n > 1<<32-2 {
		return 0, false
	}
	return uint32(n), true
}

// compareKeysJS orders array-index keys first, ascending by value; the rest
// keep their relative order (0 between two non-index keys).
func compareKeysJS(a, b string) int {
	ai, aok := arrayIndex(a)
	bi, bok := arrayIndex(b)
	switch {
	case aok && bok:
		return int(int64(ai) - int64(bi))
	case aok:
		return -1
	case bok:
		return 1
	}
	return 0
}

// orderLikeJS moves array-index keys to the front in ascending order and
// keeps the insertion order of the others, as Object.keys reports them.
func orderLikeJS(o Object) {
	slices.SortStableFunc(o, func(a, b Field) int { return compareKeysJS(a.Key, b.Key) })
}

// sortedKeys returns the keys of m in JavaScript order, sorting the
// non-index keys since a Go map has no insertion order to keep.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := compareKeysJS(a, b); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return keys
}
