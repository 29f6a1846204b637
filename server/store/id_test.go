package store_test

import (
	"strings"
	"testing"

	"github.com/commonpad/commonpad/server/store"
)

func TestCheckID(t *testing.T) {
	long := strings.Repeat("a", store.MaxIDBytes+1)
	for _, bad := range []string{"", long, "a\xffb"} {
		if err := store.CheckID(bad); err == nil {
			t.Errorf("CheckID(%d bytes) = nil, want error", len(bad))
		}
	}
	for _, ok := range []string{"a", "pad:{x}/y z", "ünï", long[1:]} {
		if err := store.CheckID(ok); err != nil {
			t.Errorf("CheckID(%q) = %v", ok, err)
		}
	}
}
