package storetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commonpad/commonpad/server/store"
)

// AuthorsFactory opens a fresh, empty Authors for one test case, and
// returns a hook that reopens the same data (nil if not durable).
type AuthorsFactory func(t *testing.T) (a store.Authors, reopen func() store.Authors)

// RunAuthors runs the Authors conformance suite against the back end
// newAuthors opens.
func RunAuthors(t *testing.T, newAuthors AuthorsFactory) {
	t.Helper()
	runCases(t, newAuthors, []testCase[store.Authors]{
		{"PutGet", testAuthorsPutGet},
		{"Rename", testAuthorsRename},
		{"PerPad", testAuthorsPerPad},
		{"Invalid", testAuthorsInvalid},
		{"Concurrent", testAuthorsConcurrent},
		{"Reopen", testAuthorsReopen},
	})
}

func authorNames(as []store.Author) string {
	var b strings.Builder
	for i, a := range as {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d=%s", a.Client, a.Name)
	}
	return b.String()
}

func wantAuthors(t *testing.T, s store.Authors, pad, want string) []store.Author {
	t.Helper()
	got, err := s.PadAuthors(t.Context(), pad)
	noErr(t, "PadAuthors", err)
	if authorNames(got) != want {
		t.Errorf("authors of %s = [%s], want [%s]", pad, authorNames(got), want)
	}
	return got
}

func testAuthorsPutGet(t *testing.T, s store.Authors, _ func() store.Authors) {
	ctx := t.Context()
	wantAuthors(t, s, "pad-a", "")
	before := time.Now().Add(-time.Second)
	noErr(t, "PutAuthors", s.PutAuthors(ctx, "pad-a", map[uint64]string{42: "Zoé"}))
	time.Sleep(5 * time.Millisecond) // Since orders authors; make the clocks differ
	// Client ids use the whole 64-bit range; order is by Since, not id.
	noErr(t, "PutAuthors", s.PutAuthors(ctx, "pad-a", map[uint64]string{7: "Alice", 1<<63 + 5: "Bob"}))
	got := wantAuthors(t, s, "pad-a", "42=Zoé, 7=Alice, 9223372036854775813=Bob")
	for _, a := range got {
		if a.Since.Before(before) || a.Since.After(time.Now().Add(time.Second)) {
			t.Errorf("Since of %d = %v, want about now", a.Client, a.Since)
		}
	}
	if len(got) == 3 && (!got[0].Since.Before(got[1].Since) || got[2].Since.Before(got[1].Since)) {
		t.Errorf("Since out of order: %v", got)
	}
	// An empty put changes nothing.
	noErr(t, "PutAuthors empty", s.PutAuthors(ctx, "pad-a", nil))
	wantAuthors(t, s, "pad-a", "42=Zoé, 7=Alice, 9223372036854775813=Bob")
}

func testAuthorsRename(t *testing.T, s store.Authors, _ func() store.Authors) {
	ctx := t.Context()
	noErr(t, "PutAuthors", s.PutAuthors(ctx, "pad-r", map[uint64]string{1: "anon"}))
	time.Sleep(5 * time.Millisecond)
	noErr(t, "PutAuthors", s.PutAuthors(ctx, "pad-r", map[uint64]string{2: "Bob"}))
	first := wantAuthors(t, s, "pad-r", "1=anon, 2=Bob")
	time.Sleep(5 * time.Millisecond)
	noErr(t, "PutAuthors rename", s.PutAuthors(ctx, "pad-r", map[uint64]string{1: "Alice"}))
	// Renaming keeps the place of the first contribution.
	got := wantAuthors(t, s, "pad-r", "1=Alice, 2=Bob")
	if len(first) == 2 && len(got) == 2 && !got[0].Since.Equal(first[0].Since) {
		t.Errorf("rename moved Since from %v to %v", first[0].Since, got[0].Since)
	}
}

func testAuthorsPerPad(t *testing.T, s store.Authors, _ func() store.Authors) {
	ctx := t.Context()
	noErr(t, "PutAuthors", s.PutAuthors(ctx, "pad-1", map[uint64]string{1: "Alice"}))
	noErr(t, "PutAuthors", s.PutAuthors(ctx, "pad-12", map[uint64]string{1: "Bob"}))
	noErr(t, "PutAuthors", s.PutAuthors(ctx, "pad", map[uint64]string{1: "Chloé"}))
	wantAuthors(t, s, "pad-1", "1=Alice")
	wantAuthors(t, s, "pad-12", "1=Bob")
	wantAuthors(t, s, "pad", "1=Chloé")
	wantAuthors(t, s, "pad-2", "")
}

func testAuthorsInvalid(t *testing.T, s store.Authors, _ func() store.Authors) {
	ctx := t.Context()
	for _, c := range []struct {
		pad   string
		names map[uint64]string
	}{
		{"", map[uint64]string{1: "A"}},
		{"p", map[uint64]string{1: ""}},
		{"p", map[uint64]string{1: "\xff"}},
		{"p", map[uint64]string{1: "ok", 2: strings.Repeat("é", store.MaxAuthorName+1)}},
	} {
		wantErrIs(t, fmt.Sprintf("PutAuthors(%q, %v)", c.pad, c.names), s.PutAuthors(ctx, c.pad, c.names), store.ErrInvalid)
	}
	// A refused put stores nothing, not even its valid names.
	wantAuthors(t, s, "p", "")
	noErr(t, "longest name", s.PutAuthors(ctx, "p", map[uint64]string{3: strings.Repeat("é", store.MaxAuthorName)}))
}

// Instances record the writers of one pad at the same time; none is lost.
func testAuthorsConcurrent(t *testing.T, s store.Authors, _ func() store.Authors) {
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			for i := range 5 {
				id := uint64(w*10 + i)
				if err := s.PutAuthors(ctx, "pad-c", map[uint64]string{id: fmt.Sprintf("p%d", id), 1000: "shared"}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		noErr(t, "concurrent PutAuthors", err)
	}
	got, err := s.PadAuthors(ctx, "pad-c")
	noErr(t, "PadAuthors", err)
	if len(got) != 41 {
		t.Errorf("%d authors after 8×5 distinct puts and a shared one, want 41", len(got))
	}
}

func testAuthorsReopen(t *testing.T, s store.Authors, reopen func() store.Authors) {
	if reopen == nil {
		t.Skip("back end is not durable")
	}
	noErr(t, "PutAuthors", s.PutAuthors(t.Context(), "pad-d", map[uint64]string{5: "Alice"}))
	if c, ok := s.(interface{ Close() error }); ok {
		noErr(t, "Close", c.Close())
	}
	s2 := reopen()
	wantAuthors(t, s2, "pad-d", "5=Alice")
}
