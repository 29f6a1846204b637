package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/commonpad/commonpad/server/store"
)

// NotesFactory opens a fresh, empty Notes for one test case, and returns a
// hook that reopens the same data (nil if the back end is not durable).
type NotesFactory func(t *testing.T) (n store.Notes, reopen func() store.Notes)

// RunNotes runs the Notes conformance suite against the back end newNotes
// opens.
func RunNotes(t *testing.T, newNotes NotesFactory) {
	t.Helper()
	runCases(t, newNotes, []testCase[store.Notes]{
		{"CreateGet", testNoteCreateGet},
		{"SlugCollision", testNoteSlugCollision},
		{"OneNotePerPad", testNoteOnePerPad},
		{"Versions", testNoteVersions},
		{"NotFound", testNoteNotFound},
		{"Invalid", testNoteInvalid},
		{"ListPublic", testNoteListPublic},
		{"ConcurrentSlugs", testNoteConcurrentSlugs},
		{"Ownership", testNoteOwnership},
		{"Reopen", testNoteReopen},
	})
}

func version(title string, authors ...string) store.NoteVersion {
	return store.NoteVersion{
		Title: title, HTML: "<p>" + title + "</p>", Markdown: "# " + title, Text: title, Authors: authors,
	}
}

func mustNote(t *testing.T, ns store.Notes, slug, pad string, vis store.Visibility, v store.NoteVersion) store.Note {
	t.Helper()
	n, err := ns.CreateNote(t.Context(), slug, pad, vis, v)
	noErr(t, "CreateNote "+slug, err)
	return n
}

func checkVersion(t *testing.T, what string, got, want store.NoteVersion) {
	t.Helper()
	if got.N != want.N || got.Title != want.Title || got.HTML != want.HTML || got.Markdown != want.Markdown ||
		got.Text != want.Text || !slices.Equal(got.Authors, want.Authors) {
		t.Errorf("%s = %+v, want %+v", what, got, want)
	}
	if got.PublishedAt.IsZero() {
		t.Errorf("%s: zero PublishedAt", what)
	}
}

func testNoteCreateGet(t *testing.T, ns store.Notes, _ func() store.Notes) {
	before := time.Now().Add(-time.Second)
	n := mustNote(t, ns, "reunion-du-12-mars", "pad1", store.VisibilityPublic, version("Réunion", "Ana", "Bo"))
	if n.Slug != "reunion-du-12-mars" || n.PadID != "pad1" || n.Title != "Réunion" ||
		!slices.Equal(n.Authors, []string{"Ana", "Bo"}) || n.Visibility != store.VisibilityPublic || n.Latest() != 1 {
		t.Errorf("CreateNote = %+v", n)
	}
	if n.PublishedAt.Before(before) || !n.UpdatedAt.Equal(n.PublishedAt) {
		t.Errorf("dates: published %v updated %v", n.PublishedAt, n.UpdatedAt)
	}
	for what, get := range map[string]func() (store.Note, error){
		"GetNote":      func() (store.Note, error) { return ns.GetNote(t.Context(), n.Slug) },
		"GetNoteByPad": func() (store.Note, error) { return ns.GetNoteByPad(t.Context(), "pad1") },
	} {
		got, err := get()
		noErr(t, what, err)
		if got.Slug != n.Slug || got.Title != n.Title || !got.PublishedAt.Equal(n.PublishedAt) || len(got.Versions) != 1 {
			t.Errorf("%s = %+v, want %+v", what, got, n)
		}
	}
	v, err := ns.GetVersion(t.Context(), n.Slug, 1)
	noErr(t, "GetVersion 1", err)
	want := version("Réunion", "Ana", "Bo")
	want.N = 1
	checkVersion(t, "version 1", v, want)
}

func testNoteSlugCollision(t *testing.T, ns store.Notes, _ func() store.Notes) {
	for i, want := range []string{"notes", "notes-2", "notes-3"} {
		n := mustNote(t, ns, "notes", fmt.Sprintf("pad%d", i), store.VisibilityUnlisted, version("Notes"))
		if n.Slug != want {
			t.Errorf("note %d: slug %q, want %q", i, n.Slug, want)
		}
	}
	// A slug that looks like a suffixed one is still its own.
	if n := mustNote(t, ns, "notes-4", "pad9", store.VisibilityUnlisted, version("x")); n.Slug != "notes-4" {
		t.Errorf("slug %q, want notes-4", n.Slug)
	}
	if n := mustNote(t, ns, "notes", "pad10", store.VisibilityUnlisted, version("x")); n.Slug != "notes-5" {
		t.Errorf("slug %q, want notes-5", n.Slug)
	}
}

func testNoteOnePerPad(t *testing.T, ns store.Notes, _ func() store.Notes) {
	mustNote(t, ns, "a", "pad1", store.VisibilityPublic, version("a"))
	_, err := ns.CreateNote(t.Context(), "b", "pad1", store.VisibilityPublic, version("b"))
	wantErrIs(t, "second CreateNote for a pad", err, store.ErrExists)
	_, err = ns.GetNote(t.Context(), "b")
	wantErrIs(t, "GetNote of refused note", err, store.ErrNotFound)
}

func testNoteVersions(t *testing.T, ns store.Notes, _ func() store.Notes) {
	n := mustNote(t, ns, "v", "pad1", store.VisibilityUnlisted, version("One", "Ana"))
	n2, err := ns.AddVersion(t.Context(), "v", "", version("Two", "Bo"))
	noErr(t, "AddVersion", err)
	if n2.Latest() != 2 || n2.Title != "Two" || !slices.Equal(n2.Authors, []string{"Bo"}) ||
		n2.Visibility != store.VisibilityUnlisted || !n2.PublishedAt.Equal(n.PublishedAt) || n2.UpdatedAt.Before(n.UpdatedAt) {
		t.Errorf("after AddVersion: %+v", n2)
	}
	n3, err := ns.AddVersion(t.Context(), "v", store.VisibilityPublic, version("Three"))
	noErr(t, "AddVersion 3", err)
	if n3.Latest() != 3 || n3.Visibility != store.VisibilityPublic {
		t.Errorf("after AddVersion 3: %+v", n3)
	}
	got, err := ns.GetNote(t.Context(), "v")
	noErr(t, "GetNote", err)
	var titles []string
	for i, vi := range got.Versions {
		if vi.N != i+1 {
			t.Errorf("version %d numbered %d", i+1, vi.N)
		}
		titles = append(titles, vi.Title)
	}
	if !slices.Equal(titles, []string{"One", "Two", "Three"}) {
		t.Errorf("version titles %q", titles)
	}
	for i, w := range []store.NoteVersion{version("One", "Ana"), version("Two", "Bo"), version("Three")} {
		w.N = i + 1
		v, err := ns.GetVersion(t.Context(), "v", i+1)
		noErr(t, "GetVersion", err)
		checkVersion(t, fmt.Sprintf("version %d", i+1), v, w)
	}
	for _, bad := range []int{0, -1, 4} {
		_, err := ns.GetVersion(t.Context(), "v", bad)
		wantErrIs(t, fmt.Sprintf("GetVersion %d", bad), err, store.ErrNotFound)
	}
}

func testNoteNotFound(t *testing.T, ns store.Notes, _ func() store.Notes) {
	ctx := t.Context()
	_, err := ns.GetNote(ctx, "nope")
	wantErrIs(t, "GetNote", err, store.ErrNotFound)
	_, err = ns.GetNoteByPad(ctx, "nope")
	wantErrIs(t, "GetNoteByPad", err, store.ErrNotFound)
	_, err = ns.GetVersion(ctx, "nope", 1)
	wantErrIs(t, "GetVersion", err, store.ErrNotFound)
	_, err = ns.AddVersion(ctx, "nope", "", version("x"))
	wantErrIs(t, "AddVersion", err, store.ErrNotFound)
	list, err := ns.ListPublic(ctx, 10, "")
	noErr(t, "ListPublic of an empty store", err)
	if len(list) != 0 {
		t.Errorf("ListPublic of an empty store = %d notes", len(list))
	}
}

func testNoteInvalid(t *testing.T, ns store.Notes, _ func() store.Notes) {
	ctx := t.Context()
	for _, slug := range []string{"", "Upper", "a b", "é", "a/b", string(make([]byte, store.MaxSlugBytes+1))} {
		_, err := ns.CreateNote(ctx, slug, "pad", store.VisibilityPublic, version("x"))
		wantErrIs(t, fmt.Sprintf("CreateNote slug %q", slug), err, store.ErrInvalid)
		_, err = ns.GetNote(ctx, slug)
		wantErrIs(t, fmt.Sprintf("GetNote slug %q", slug), err, store.ErrInvalid)
	}
	_, err := ns.CreateNote(ctx, "ok", "", store.VisibilityPublic, version("x"))
	wantErrIs(t, "CreateNote empty pad", err, store.ErrInvalid)
	_, err = ns.CreateNote(ctx, "ok", "pad", "secret", version("x"))
	wantErrIs(t, "CreateNote bad visibility", err, store.ErrInvalid)
	_, err = ns.CreateNote(ctx, "ok", "pad", store.VisibilityPublic, version("bad \xff"))
	wantErrIs(t, "CreateNote invalid UTF-8", err, store.ErrInvalid)
	mustNote(t, ns, "ok", "pad", store.VisibilityPublic, version("x"))
	_, err = ns.AddVersion(ctx, "ok", "secret", version("x"))
	wantErrIs(t, "AddVersion bad visibility", err, store.ErrInvalid)
	if n, err := ns.GetNote(ctx, "ok"); err != nil || n.Latest() != 1 {
		t.Errorf("refused AddVersion changed the note: %+v, %v", n, err)
	}
}

func slugsOf(ns []store.Note) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Slug)
	}
	return out
}

func testNoteListPublic(t *testing.T, ns store.Notes, _ func() store.Notes) {
	ctx := t.Context()
	for i, vis := range []store.Visibility{"public", "unlisted", "public", "public", "unlisted"} {
		mustNote(t, ns, fmt.Sprintf("n%d", i), fmt.Sprintf("pad%d", i), vis, version("x"))
		// Distinct publication times make the order the test's to check.
		time.Sleep(2 * time.Millisecond)
	}
	list, err := ns.ListPublic(ctx, 0, "")
	noErr(t, "ListPublic", err)
	if got := slugsOf(list); !slices.Equal(got, []string{"n3", "n2", "n0"}) {
		t.Errorf("ListPublic = %q, want newest public first", got)
	}
	page, err := ns.ListPublic(ctx, 1, "n3")
	noErr(t, "ListPublic after n3", err)
	if got := slugsOf(page); !slices.Equal(got, []string{"n2"}) {
		t.Errorf("ListPublic(1, n3) = %q, want [n2]", got)
	}
	// Becoming public lists a note at its first publication date; going
	// back to unlisted removes it.
	_, err = ns.AddVersion(ctx, "n1", store.VisibilityPublic, version("y"))
	noErr(t, "AddVersion public", err)
	_, err = ns.AddVersion(ctx, "n3", store.VisibilityUnlisted, version("y"))
	noErr(t, "AddVersion unlisted", err)
	list, err = ns.ListPublic(ctx, 0, "")
	noErr(t, "ListPublic", err)
	if got := slugsOf(list); !slices.Equal(got, []string{"n2", "n1", "n0"}) {
		t.Errorf("ListPublic after visibility changes = %q, want [n2 n1 n0]", got)
	}
}

func testNoteConcurrentSlugs(t *testing.T, ns store.Notes, _ func() store.Notes) {
	const n = 8
	slugs := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			note, err := ns.CreateNote(t.Context(), "same", fmt.Sprintf("pad%d", i), store.VisibilityPublic, version("same"))
			if err != nil {
				t.Errorf("CreateNote %d: %v", i, err)
				return
			}
			slugs[i] = note.Slug
		})
	}
	wg.Wait()
	slices.Sort(slugs)
	if len(slices.Compact(slices.Clone(slugs))) != n {
		t.Errorf("concurrent creations share slugs: %q", slugs)
	}
}

func testNoteOwnership(t *testing.T, ns store.Notes, _ func() store.Notes) {
	v := version("T", "Ana")
	n := mustNote(t, ns, "own", "pad1", store.VisibilityPublic, v)
	v.Authors[0] = "changed"
	n.Authors[0] = "changed"
	n.Versions[0].Title = "changed"
	got, err := ns.GetNote(t.Context(), "own")
	noErr(t, "GetNote", err)
	if got.Authors[0] != "Ana" || got.Versions[0].Title != "T" {
		t.Errorf("store shares slices with its caller: %+v", got)
	}
}

func testNoteReopen(t *testing.T, ns store.Notes, reopen func() store.Notes) {
	if reopen == nil {
		t.Skip("back end is not durable")
	}
	mustNote(t, ns, "kept", "pad1", store.VisibilityPublic, version("One"))
	_, err := ns.AddVersion(t.Context(), "kept", "", version("Two"))
	noErr(t, "AddVersion", err)
	if c, ok := ns.(interface{ Close() error }); ok {
		noErr(t, "Close", c.Close())
	}
	ns = reopen()
	v, err := ns.GetVersion(t.Context(), "kept", 1)
	noErr(t, "GetVersion after reopen", err)
	if v.Title != "One" {
		t.Errorf("version 1 after reopen: %+v", v)
	}
	list, err := ns.ListPublic(t.Context(), 0, "")
	noErr(t, "ListPublic after reopen", err)
	if got := slugsOf(list); !slices.Equal(got, []string{"kept"}) {
		t.Errorf("ListPublic after reopen = %q", got)
	}
}
