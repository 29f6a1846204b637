package lib0

import (
	"encoding/hex"
	"strings"
	"testing"
)

// unhex decodes hex with optional spaces and '|' separators, as the design
// digest prints byte sequences.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	s = strings.NewReplacer(" ", "", "|", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func encodeAny(v any) []byte {
	var e Encoder
	e.WriteAny(v)
	return e.Bytes()
}
