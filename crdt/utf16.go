package crdt

import "unicode/utf8"

// Yjs measures strings in UTF-16 code units (JavaScript's string.length); Go
// keeps them as UTF-8. These helpers translate between the two without ever
// materialising UTF-16.

const replacementChar = "\uFFFD"

// utf16Len returns the number of UTF-16 code units of UTF-8 text s.
func utf16Len(s []byte) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < 0x80:
			i++
		case c < 0xE0:
			i += 2
		case c < 0xF0:
			i += 3
		default:
			i += 4
			n++ // outside the BMP: a surrogate pair
		}
		n++
	}
	return n
}

func utf16LenString(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n++
		}
		n++
	}
	return n
}

// byteOffset finds the byte position of UTF-16 unit offset units in s.
// If the offset falls between the two halves of a surrogate pair, it returns
// the start of that 4-byte character and inPair=true.
func byteOffset(s []byte, units int) (pos int, inPair bool) {
	n := 0
	for pos < len(s) && n < units {
		_, size := utf8.DecodeRune(s[pos:])
		if size == 4 {
			if n+1 == units {
				return pos, true
			}
			n++
		}
		n++
		pos += size
	}
	return pos, false
}

// validUTF8 is utf8.Valid with a fast path for ASCII, the common case.
func validUTF8(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return utf8.Valid(b)
		}
	}
	return true
}
