package lib0

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ParseJSON parses s as JavaScript's JSON.parse would and returns the value
// in the Go mapping of ReadAny: objects become Object with keys in the order
// JavaScript gives them (array-index keys ascending first, then the others
// in order of first appearance; a repeated key keeps the last value),
// numbers become int64 when integral with magnitude at most MaxSafeInteger
// and float64 otherwise (including -0, and ±Inf for literals beyond the
// float64 range, as in JavaScript). Escaped lone surrogates, which a
// JavaScript string can hold but UTF-8 cannot, become U+FFFD as TextEncoder
// would write them.
//
// The exact text "undefined" parses as Undefined, because Yjs' ContentJSON
// stores an undefined element as that word. Input that is not valid UTF-8
// fails with ErrInvalidUTF8, other malformed input with ErrInvalidJSON, and
// nesting deeper than MaxDepth with ErrTooDeep.
func ParseJSON(s string) (any, error) {
	if s == "undefined" {
		return Undefined, nil
	}
	if !utf8.ValidString(s) {
		return nil, ErrInvalidUTF8
	}
	p := jsonParser{s: s}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.s) {
		return nil, ErrInvalidJSON
	}
	return v, nil
}

type jsonParser struct {
	s   string
	pos int
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) literal(word string, v any) (any, error) {
	if !strings.HasPrefix(p.s[p.pos:], word) {
		return nil, ErrInvalidJSON
	}
	p.pos += len(word)
	return v, nil
}

func (p *jsonParser) value(depth int) (any, error) {
	p.skipSpace()
	if p.pos >= len(p.s) {
		return nil, ErrInvalidJSON
	}
	switch c := p.s[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		return p.str()
	case c == 't':
		return p.literal("true", true)
	case c == 'f':
		return p.literal("false", false)
	case c == 'n':
		return p.literal("null", nil)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return nil, ErrInvalidJSON
}

func (p *jsonParser) array(depth int) (any, error) {
	if depth > MaxDepth {
		return nil, ErrTooDeep
	}
	p.pos++ // '['
	arr := []any{}
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == ']' {
		p.pos++
		return arr, nil
	}
	for {
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		p.skipSpace()
		if p.pos >= len(p.s) {
			return nil, ErrInvalidJSON
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return arr, nil
		default:
			return nil, ErrInvalidJSON
		}
	}
}

func (p *jsonParser) object(depth int) (any, error) {
	if depth > MaxDepth {
		return nil, ErrTooDeep
	}
	p.pos++ // '{'
	b := objectBuilder{fields: Object{}}
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == '}' {
		p.pos++
		return b.fields, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.s) || p.s[p.pos] != '"' {
			return nil, ErrInvalidJSON
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.s) || p.s[p.pos] != ':' {
			return nil, ErrInvalidJSON
		}
		p.pos++
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		b.set(k, v)
		p.skipSpace()
		if p.pos >= len(p.s) {
			return nil, ErrInvalidJSON
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			orderLikeJS(b.fields)
			return b.fields, nil
		default:
			return nil, ErrInvalidJSON
		}
	}
}

// str parses a string starting at the opening quote.
func (p *jsonParser) str() (string, error) {
	p.pos++ // '"'
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '"' {
			s := p.s[start:p.pos]
			p.pos++
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", ErrInvalidJSON
		}
		p.pos++
	}
	buf := []byte(p.s[start:p.pos])
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c < 0x20:
			return "", ErrInvalidJSON
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.s) {
			return "", ErrInvalidJSON
		}
		esc := p.s[p.pos+1]
		p.pos += 2
		switch esc {
		case '"', '\\', '/':
			buf = append(buf, esc)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", ErrInvalidJSON
			}
			if utf16.IsSurrogate(r) && r < 0xdc00 && strings.HasPrefix(p.s[p.pos:], `\u`) {
				save := p.pos
				p.pos += 2
				if lo, ok := p.hex4(); ok && lo >= 0xdc00 && lo <= 0xdfff {
					r = utf16.DecodeRune(r, lo)
				} else {
					p.pos = save // the next escape stands on its own
				}
			}
			buf = utf8.AppendRune(buf, r) // a lone surrogate becomes U+FFFD
		default:
			return "", ErrInvalidJSON
		}
	}
	return "", ErrInvalidJSON
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.pos+4 > len(p.s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(p.s[p.pos : p.pos+4]) {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

func (p *jsonParser) number() (any, error) {
	start := p.pos
	if p.s[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	intStart := p.pos
	if n := digits(); n == 0 || (n > 1 && p.s[intStart] == '0') {
		return nil, ErrInvalidJSON
	}
	integral := true
	if p.pos < len(p.s) && p.s[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, ErrInvalidJSON
		}
		integral = false
	}
	if p.pos < len(p.s) && (p.s[p.pos] == 'e' || p.s[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.s) && (p.s[p.pos] == '+' || p.s[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, ErrInvalidJSON
		}
		integral = false
	}
	text := p.s[start:p.pos]
	if integral && len(text) <= 17 {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil && n >= -MaxSafeInteger && n <= MaxSafeInteger {
			if n == 0 && text[0] == '-' {
				return math.Copysign(0, -1), nil
			}
			return n, nil
		}
	}
	// The grammar was checked above, so the only possible error is ErrRange,
	// for which ParseFloat returns ±Inf or ±0 just as JavaScript rounds.
	f, _ := strconv.ParseFloat(text, 64)
	if f == math.Trunc(f) && math.Abs(f) <= MaxSafeInteger && !(f == 0 && math.Signbit(f)) {
		return int64(f), nil
	}
	return f, nil
}
