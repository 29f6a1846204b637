package lib0

import (
	"bytes"
	"math"
)

// Equal reports whether a and b are the same Any value. Numbers compare by
// value whatever their Go type, since JavaScript has one number type
// (int64(1) equals float64(1)); NaN equals NaN and -0 equals 0 (SameValueZero,
// the equality of JavaScript's Map and Array.prototype.includes). A BigInt
// equals only a BigInt. Objects compare as key sets, independent of order;
// Object and map[string]any compare with each other, as do []any and
// []string. []byte compares by content.
func Equal(a, b any) bool { return equal(a, b, 0) }

func equal(a, b any, depth int) bool {
	if depth > MaxDepth {
		return false
	}
	if fa, ok := toNumber(a); ok {
		fb, ok := toNumber(b)
		return ok && (fa == fb || (math.IsNaN(fa) && math.IsNaN(fb)))
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case UndefinedType:
		_, ok := b.(UndefinedType)
		return ok
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case BigInt:
		y, ok := b.(BigInt)
		return ok && x == y
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case []any, []string:
		la, lb := listLen(a), listLen(b)
		if la < 0 || la != lb {
			return false
		}
		for i := range la {
			if !equal(listAt(a, i), listAt(b, i), depth+1) {
				return false
			}
		}
		return true
	case Object, map[string]any:
		ma, _ := asMap(a)
		mb, ok := asMap(b)
		if !ok || len(ma) != len(mb) {
			return false
		}
		for k, va := range ma {
			vb, ok := mb[k]
			if !ok || !equal(va, vb, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// toNumber converts any Go number type to the JavaScript number it stands for.
func toNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case int:
		return float64(x), true
	case float32:
		return float64(x), true
	case int8:
		return float64(x), true
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint8:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	return 0, false
}

func listLen(v any) int {
	switch x := v.(type) {
	case []any:
		return len(x)
	case []string:
		return len(x)
	}
	return -1
}

func listAt(v any, i int) any {
	if x, ok := v.([]any); ok {
		return x[i]
	}
	return v.([]string)[i]
}

// asMap returns the keys and values of an Object or map (false for anything
// else); a key repeated in an Object takes its last value, as Get does.
func asMap(v any) (map[string]any, bool) {
	switch x := v.(type) {
	case Object:
		m := make(map[string]any, len(x))
		for _, f := range x {
			m[f.Key] = f.Value
		}
		return m, true
	case map[string]any:
		return x, true
	}
	return nil, false
}
