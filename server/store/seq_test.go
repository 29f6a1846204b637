package store_test

import (
	"testing"

	"github.com/commonpad/commonpad/server/store"
)

func TestSeqCompare(t *testing.T) {
	tests := []struct {
		a, b store.Seq
		want int
	}{
		{store.Seq{}, store.Seq{}, 0},
		{store.Seq{Lo: 1}, store.Seq{Lo: 2}, -1},
		{store.Seq{Hi: 1}, store.Seq{Lo: 1 << 63}, 1},
		{store.Seq{Hi: 2, Lo: 0}, store.Seq{Hi: 1, Lo: 9}, 1},
		{store.Seq{Hi: 3, Lo: 4}, store.Seq{Hi: 3, Lo: 4}, 0},
	}
	for _, tc := range tests {
		if got := tc.a.Compare(tc.b); got != tc.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := tc.b.Compare(tc.a); got != -tc.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", tc.b, tc.a, got, -tc.want)
		}
		if got := tc.a.Less(tc.b); got != (tc.want < 0) {
			t.Errorf("%v.Less(%v) = %v", tc.a, tc.b, got)
		}
	}
	if s := (store.Seq{Hi: 1700000000000, Lo: 3}).String(); s != "1700000000000-3" {
		t.Errorf("String() = %q", s)
	}
	if !(store.Seq{}).IsZero() || (store.Seq{Lo: 1}).IsZero() {
		t.Error("IsZero wrong")
	}
}
