package lib0

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the JSON text JavaScript's JSON.stringify produces for
// v and returns the extended slice. It differs from encoding/json where Yjs
// peers would notice: no HTML or U+2028/U+2029 escaping, JavaScript number
// formatting (1, 1.5, 1e+21, 1e-7; NaN and ±Inf become null), Object key
// order kept, map[string]any keys in Object.keys order.
//
// Undefined (and any unsupported type) is written as the bare word undefined
// at the top level, which is how Yjs' ContentJSON stores it; inside an array
// it becomes null and inside an object the key is left out, as in
// JavaScript. []byte is written the way JSON.stringify writes a Uint8Array
// ({"0":1,"1":2}). JSON.stringify throws on a bigint; BigInt is written as
// its decimal digits instead, so the value survives as a number. Invalid
// UTF-8 in strings is written as U+FFFD, as TextEncoder would. Containers
// nested deeper than MaxDepth, which only Go code can build (cycles
// included), are written as null.
func AppendJSON(dst []byte, v any) []byte {
	if isUndefined(v) {
		return append(dst, "undefined"...)
	}
	return appendJSON(dst, v, 0)
}

// isUndefined reports whether JSON.stringify would skip v.
func isUndefined(v any) bool {
	switch v.(type) {
	case nil, bool, string, float64, int64, int, Object, []any, []byte, BigInt, map[string]any, []string,
		float32, int8, int16, int32, uint8, uint16, uint32, uint, uint64:
		return false
	}
	return true
}

func appendJSON(dst []byte, v any, depth int) []byte {
	if depth >= MaxDepth && isContainer(v) {
		// Only Go callers can build such values (ParseJSON and ReadAny stop
		// at MaxDepth); cutting them off also ends cycles.
		return append(dst, "null"...)
	}
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		return strconv.AppendBool(dst, x)
	case string:
		return appendJSONString(dst, x)
	case float64:
		return AppendJSNumber(dst, x)
	case int64:
		return appendJSInt(dst, x)
	case int:
		return appendJSInt(dst, int64(x))
	case Object:
		dst = append(dst, '{')
		first := true
		for _, f := range x {
			if isUndefined(f.Value) {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = append(appendJSONString(dst, f.Key), ':')
			dst = appendJSON(dst, f.Value, depth+1)
		}
		return append(dst, '}')
	case []any:
		dst = append(dst, '[')
		for i, el := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			if isUndefined(el) {
				dst = append(dst, "null"...)
				continue
			}
			dst = appendJSON(dst, el, depth+1)
		}
		return append(dst, ']')
	case []byte:
		dst = append(dst, '{')
		for i, b := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '"')
			dst = strconv.AppendInt(dst, int64(i), 10)
			dst = append(dst, '"', ':')
			dst = strconv.AppendUint(dst, uint64(b), 10)
		}
		return append(dst, '}')
	case BigInt:
		return strconv.AppendInt(dst, int64(x), 10)
	case map[string]any:
		dst = append(dst, '{')
		first := true
		for _, k := range sortedKeys(x) {
			if isUndefined(x[k]) {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = append(appendJSONString(dst, k), ':')
			dst = appendJSON(dst, x[k], depth+1)
		}
		return append(dst, '}')
	case []string:
		dst = append(dst, '[')
		for i, s := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, s)
		}
		return append(dst, ']')
	case float32:
		return AppendJSNumber(dst, float64(x))
	case int8:
		return appendJSInt(dst, int64(x))
	case int16:
		return appendJSInt(dst, int64(x))
	case int32:
		return appendJSInt(dst, int64(x))
	case uint8:
		return appendJSInt(dst, int64(x))
	case uint16:
		return appendJSInt(dst, int64(x))
	case uint32:
		return appendJSInt(dst, int64(x))
	case uint:
		return appendJSUint(dst, uint64(x))
	case uint64:
		return appendJSUint(dst, x)
	}
	return append(dst, "null"...)
}

func isContainer(v any) bool {
	switch v.(type) {
	case Object, []any, map[string]any, []string, []byte:
		return true
	}
	return false
}

func appendJSInt(dst []byte, n int64) []byte {
	if n >= -MaxSafeInteger && n <= MaxSafeInteger {
		return strconv.AppendInt(dst, n, 10)
	}
	return AppendJSNumber(dst, float64(n))
}

func appendJSUint(dst []byte, n uint64) []byte {
	if n <= MaxSafeInteger {
		return strconv.AppendUint(dst, n, 10)
	}
	return AppendJSNumber(dst, float64(n))
}

// AppendJSNumber appends f formatted as JSON.stringify formats a number:
// Number.prototype.toString for finite values, null otherwise.
func AppendJSNumber(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	if f == 0 {
		return append(dst, '0') // also for -0
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	// Shortest round-trip digits, as ECMAScript's Number::toString requires;
	// then place the decimal point by its rules.
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64)
	mant, exp := e, 0
	for i, c := range e {
		if c == 'e' {
			mant = e[:i]
			x, _ := strconv.Atoi(string(e[i+1:]))
			exp = x
			break
		}
	}
	var digits [24]byte
	k := 0
	for _, c := range mant {
		if c != '.' {
			digits[k] = c
			k++
		}
	}
	ds := digits[:k]
	n := exp + 1 // position of the decimal point relative to the digits
	switch {
	case k <= n && n <= 21:
		dst = append(dst, ds...)
		for range n - k {
			dst = append(dst, '0')
		}
	case 0 < n && n <= 21:
		dst = append(dst, ds[:n]...)
		dst = append(dst, '.')
		dst = append(dst, ds[n:]...)
	case -6 < n && n <= 0:
		dst = append(dst, '0', '.')
		for range -n {
			dst = append(dst, '0')
		}
		dst = append(dst, ds...)
	default:
		dst = append(dst, ds[0])
		if k > 1 {
			dst = append(dst, '.')
			dst = append(dst, ds[1:]...)
		}
		dst = append(dst, 'e')
		if n-1 >= 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, int64(n-1), 10)
	}
	return dst
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as JSON.stringify does: only '"', '\\' and
// control characters are escaped, with the short forms where they exist.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, "\uFFFD"...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
