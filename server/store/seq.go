package store

import (
	"cmp"
	"strconv"
)

// Seq orders the records of one pad. Hi is compared before Lo. A Redis
// stream ID maps to (milliseconds, counter); boltstore uses (0, counter).
// The zero Seq sorts before every record, so following from it delivers the
// whole log.
type Seq struct{ Hi, Lo uint64 }

// Compare returns -1, 0 or +1 as s sorts before, equal to or after o.
func (s Seq) Compare(o Seq) int {
	if c := cmp.Compare(s.Hi, o.Hi); c != 0 {
		return c
	}
	return cmp.Compare(s.Lo, o.Lo)
}

// Less reports whether s sorts before o.
func (s Seq) Less(o Seq) bool { return s.Compare(o) < 0 }

// IsZero reports whether s is the zero Seq.
func (s Seq) IsZero() bool { return s == Seq{} }

// String formats s as "hi-lo", the shape of a Redis stream ID, for logs.
func (s Seq) String() string {
	return strconv.FormatUint(s.Hi, 10) + "-" + strconv.FormatUint(s.Lo, 10)
}
