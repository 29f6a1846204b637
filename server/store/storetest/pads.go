package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commonpad/commonpad/server/store"
)

// RunPads runs the Pads conformance suite against the back end newPads
// opens.
func RunPads(t *testing.T, newPads PadsFactory) {
	t.Helper()
	runCases(t, newPads, []testCase[store.Pads]{
		{"CreateGet", testCreateGet},
		{"CreateKeepsCreatedAt", testCreateKeepsCreatedAt},
		{"CreateExists", testCreateExists},
		{"CreateInvalid", testCreateInvalid},
		{"NotFound", testPadsNotFound},
		{"Update", testUpdate},
		{"UpdateReadOnlyID", testUpdateReadOnlyID},
		{"UpdateRefused", testUpdateRefused},
		{"UpdateConcurrent", testUpdateConcurrent},
		{"List", testList},
		{"Delete", testPadsDelete},
		{"Names", testPadsNames},
		{"Ownership", testPadsOwnership},
		{"CancelledContext", testPadsCancelled},
		{"Closed", testPadsClosed},
		{"Reopen", testPadsReopen},
	})
}

func newPad(id string) store.Pad {
	return store.Pad{
		ID:         id,
		ReadOnlyID: "ro-" + id,
		Title:      "Title of " + id,
		Status:     store.StatusOpen,
		Settings:   map[string]string{"lang": "en", "token": "required"},
	}
}

func mustCreate(t *testing.T, ps store.Pads, p store.Pad) store.Pad {
	t.Helper()
	got, err := ps.CreatePad(t.Context(), p)
	noErr(t, "Create "+p.ID, err)
	return got
}

func mustGet(t *testing.T, ps store.Pads, id string) store.Pad {
	t.Helper()
	got, err := ps.GetPad(t.Context(), id)
	noErr(t, "Get "+id, err)
	return got
}

func testCreateGet(t *testing.T, ps store.Pads, _ func() store.Pads) {
	before := time.Now()
	p := newPad("p1")
	p.Status = "" // defaults to open
	created := mustCreate(t, ps, p)
	after := time.Now()

	want := newPad("p1")
	checkPad(t, "Create result", created, want)
	if created.CreatedAt.Before(before.Add(-time.Second)) || created.CreatedAt.After(after.Add(time.Second)) {
		t.Errorf("CreatedAt %v not within [%v, %v]", created.CreatedAt, before, after)
	}
	if !created.UpdatedAt.Equal(created.CreatedAt) {
		t.Errorf("UpdatedAt %v, want CreatedAt %v", created.UpdatedAt, created.CreatedAt)
	}
	want.CreatedAt, want.UpdatedAt = created.CreatedAt, created.UpdatedAt
	checkPad(t, "Get", mustGet(t, ps, "p1"), want)
	byRO, err := ps.GetPadByReadOnlyID(t.Context(), "ro-p1")
	noErr(t, "GetByReadOnlyID", err)
	checkPad(t, "GetByReadOnlyID", byRO, want)

	empty := store.Pad{ID: "bare", ReadOnlyID: "bare-ro"}
	mustCreate(t, ps, empty)
	got := mustGet(t, ps, "bare")
	if got.Title != "" || got.Status != store.StatusOpen || len(got.Settings) != 0 {
		t.Errorf("bare pad read back as %+v", got)
	}
}

func testCreateKeepsCreatedAt(t *testing.T, ps store.Pads, _ func() store.Pads) {
	// Whole milliseconds in UTC, so any back end's time encoding keeps it.
	at := time.Date(2024, 3, 1, 9, 30, 0, 250_000_000, time.UTC)
	p := newPad("old")
	p.CreatedAt = at
	p.Status = store.StatusFinished
	mustCreate(t, ps, p)
	got := mustGet(t, ps, "old")
	if !got.CreatedAt.Equal(at) || !got.UpdatedAt.Equal(at) {
		t.Errorf("CreatedAt %v UpdatedAt %v, want both %v", got.CreatedAt, got.UpdatedAt, at)
	}
	if got.Status != store.StatusFinished {
		t.Errorf("Status = %q, want finished", got.Status)
	}
}

func testCreateExists(t *testing.T, ps store.Pads, _ func() store.Pads) {
	orig := mustCreate(t, ps, newPad("p1"))
	clash := []store.Pad{
		{ID: "p1", ReadOnlyID: "fresh-ro"},  // same ID
		{ID: "fresh", ReadOnlyID: "ro-p1"},  // same read-only ID
		{ID: "ro-p1", ReadOnlyID: "fresh2"}, // ID equals an existing read-only ID
		{ID: "fresh3", ReadOnlyID: "p1"},    // read-only ID equals an existing ID
	}
	for _, p := range clash {
		_, err := ps.CreatePad(t.Context(), p)
		wantErrIs(t, fmt.Sprintf("Create(%q, %q)", p.ID, p.ReadOnlyID), err, store.ErrExists)
	}
	checkPad(t, "original after clashes", mustGet(t, ps, "p1"), orig)
	for _, p := range clash {
		if _, err := ps.GetPadByReadOnlyID(t.Context(), p.ReadOnlyID); p.ReadOnlyID != "ro-p1" && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("refused Create left read-only ID %q behind (err %v)", p.ReadOnlyID, err)
		}
		if _, err := ps.GetPad(t.Context(), p.ID); p.ID != "p1" && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("refused Create left ID %q behind (err %v)", p.ID, err)
		}
	}
	if got, err := ps.ListPads(t.Context(), store.ListOptions{}); err != nil || len(got) != 1 {
		t.Errorf("List after clashes = %d pads, %v; want 1", len(got), err)
	}
}

func testCreateInvalid(t *testing.T, ps store.Pads, _ func() store.Pads) {
	bad := []store.Pad{
		{ID: "", ReadOnlyID: "ro"},
		{ID: "p", ReadOnlyID: ""},
		{ID: "p", ReadOnlyID: "p"},
		{ID: strings.Repeat("x", store.MaxIDBytes+1), ReadOnlyID: "ro"},
		{ID: "p", ReadOnlyID: "ro", Status: "archived"},
		{ID: "p\xff", ReadOnlyID: "ro"},
		{ID: "p", ReadOnlyID: "ro", Title: "bad \xc3"},
		{ID: "p", ReadOnlyID: "ro", Settings: map[string]string{"k": "\xff"}},
	}
	for _, p := range bad {
		_, err := ps.CreatePad(t.Context(), p)
		wantErrIs(t, fmt.Sprintf("Create(%.20q, %q, %q)", p.ID, p.ReadOnlyID, p.Status), err, store.ErrInvalid)
	}
	if got, err := ps.ListPads(t.Context(), store.ListOptions{}); err != nil || len(got) != 0 {
		t.Errorf("List after invalid creates = %d pads, %v; want none", len(got), err)
	}
}

func testPadsNotFound(t *testing.T, ps store.Pads, _ func() store.Pads) {
	mustCreate(t, ps, newPad("p1"))
	ctx := t.Context()
	_, err := ps.GetPad(ctx, "nope")
	wantErrIs(t, "Get(unknown)", err, store.ErrNotFound)
	_, err = ps.GetPad(ctx, "ro-p1") // a read-only ID is not an ID
	wantErrIs(t, "Get(read-only id)", err, store.ErrNotFound)
	_, err = ps.GetPadByReadOnlyID(ctx, "nope")
	wantErrIs(t, "GetByReadOnlyID(unknown)", err, store.ErrNotFound)
	_, err = ps.GetPadByReadOnlyID(ctx, "p1") // an ID is not a read-only ID
	wantErrIs(t, "GetByReadOnlyID(id)", err, store.ErrNotFound)
	_, err = ps.UpdatePad(ctx, "nope", func(*store.Pad) error { return nil })
	wantErrIs(t, "Update(unknown)", err, store.ErrNotFound)
	wantErrIs(t, "Delete(unknown)", ps.DeletePad(ctx, "nope"), store.ErrNotFound)
}

func testUpdate(t *testing.T, ps store.Pads, _ func() store.Pads) {
	orig := mustCreate(t, ps, newPad("p1"))
	time.Sleep(2 * time.Millisecond) // let UpdatedAt move even on a coarse clock
	got, err := ps.UpdatePad(t.Context(), "p1", func(p *store.Pad) error {
		p.Title = "Renamed"
		p.Status = store.StatusFinished
		delete(p.Settings, "token")
		p.Settings["theme"] = "dark"
		p.CreatedAt = time.Unix(0, 0) // ignored: the store keeps CreatedAt
		return nil
	})
	noErr(t, "Update", err)
	want := store.Pad{
		ID: "p1", ReadOnlyID: "ro-p1", Title: "Renamed", Status: store.StatusFinished,
		CreatedAt: orig.CreatedAt, Settings: map[string]string{"lang": "en", "theme": "dark"},
	}
	checkPad(t, "Update result", got, want)
	if !got.UpdatedAt.After(orig.UpdatedAt) {
		t.Errorf("UpdatedAt %v not after %v", got.UpdatedAt, orig.UpdatedAt)
	}
	want.UpdatedAt = got.UpdatedAt
	checkPad(t, "Get after Update", mustGet(t, ps, "p1"), want)

	// Clearing every setting is stored too.
	_, err = ps.UpdatePad(t.Context(), "p1", func(p *store.Pad) error { p.Settings = nil; return nil })
	noErr(t, "Update clearing settings", err)
	if s := mustGet(t, ps, "p1").Settings; len(s) != 0 {
		t.Errorf("Settings after clearing = %v", s)
	}
}

func testUpdateReadOnlyID(t *testing.T, ps store.Pads, _ func() store.Pads) {
	mustCreate(t, ps, newPad("p1"))
	mustCreate(t, ps, newPad("p2"))
	_, err := ps.UpdatePad(t.Context(), "p1", func(p *store.Pad) error { p.ReadOnlyID = "rotated"; return nil })
	noErr(t, "Update rotating read-only ID", err)
	if got, err := ps.GetPadByReadOnlyID(t.Context(), "rotated"); err != nil || got.ID != "p1" {
		t.Errorf("GetByReadOnlyID(rotated) = %q, %v; want p1", got.ID, err)
	}
	_, err = ps.GetPadByReadOnlyID(t.Context(), "ro-p1")
	wantErrIs(t, "old read-only ID after rotation", err, store.ErrNotFound)
	// The freed read-only ID can be used again.
	mustCreate(t, ps, store.Pad{ID: "p3", ReadOnlyID: "ro-p1"})

	for _, taken := range []string{"ro-p2", "p2", "p1"} {
		_, err = ps.UpdatePad(t.Context(), "p1", func(p *store.Pad) error { p.ReadOnlyID = taken; p.Title = "lost"; return nil })
		if taken == "p1" {
			wantErrIs(t, "Update setting read-only ID to own ID", err, store.ErrInvalid)
		} else {
			wantErrIs(t, "Update to taken read-only ID "+taken, err, store.ErrExists)
		}
	}
	got := mustGet(t, ps, "p1")
	if got.ReadOnlyID != "rotated" || got.Title == "lost" {
		t.Errorf("refused Update changed the pad: %+v", got)
	}
	if got, err := ps.GetPadByReadOnlyID(t.Context(), "ro-p2"); err != nil || got.ID != "p2" {
		t.Errorf("GetByReadOnlyID(ro-p2) = %q, %v; want p2", got.ID, err)
	}
}

func testUpdateRefused(t *testing.T, ps store.Pads, _ func() store.Pads) {
	orig := mustCreate(t, ps, newPad("p1"))
	boom := errors.New("boom")
	_, err := ps.UpdatePad(t.Context(), "p1", func(p *store.Pad) error { p.Title = "lost"; return boom })
	if err != boom {
		t.Errorf("Update = %v, want fn's error unchanged", err)
	}
	_, err = ps.UpdatePad(t.Context(), "p1", func(p *store.Pad) error { p.ID = "p2"; return nil })
	wantErrIs(t, "Update changing ID", err, store.ErrInvalid)
	_, err = ps.UpdatePad(t.Context(), "p1", func(p *store.Pad) error { p.Status = "archived"; return nil })
	wantErrIs(t, "Update to unknown status", err, store.ErrInvalid)
	_, err = ps.UpdatePad(t.Context(), "p1", func(p *store.Pad) error { p.ReadOnlyID = ""; return nil })
	wantErrIs(t, "Update clearing read-only ID", err, store.ErrInvalid)
	checkPad(t, "pad after refused updates", mustGet(t, ps, "p1"), orig)
	_, err = ps.GetPad(t.Context(), "p2")
	wantErrIs(t, "Get(p2)", err, store.ErrNotFound)
}

// testUpdateConcurrent increments a counter from many goroutines; a lost
// update shows up as a short count.
func testUpdateConcurrent(t *testing.T, ps store.Pads, _ func() store.Pads) {
	const goroutines, each = 8, 10
	mustCreate(t, ps, store.Pad{ID: "p", ReadOnlyID: "ro"})
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range each {
				_, err := ps.UpdatePad(t.Context(), "p", func(p *store.Pad) error {
					n, _ := strconv.Atoi(p.Settings["n"])
					if p.Settings == nil {
						p.Settings = map[string]string{}
					}
					p.Settings["n"] = strconv.Itoa(n + 1)
					return nil
				})
				if err != nil {
					t.Errorf("Update: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := mustGet(t, ps, "p").Settings["n"]; n != strconv.Itoa(goroutines*each) {
		t.Errorf("counter = %s, want %d", n, goroutines*each)
	}
}

func testList(t *testing.T, ps store.Pads, _ func() store.Pads) {
	got, err := ps.ListPads(t.Context(), store.ListOptions{})
	if err != nil || len(got) != 0 {
		t.Errorf("List of empty store = %d pads, %v", len(got), err)
	}
	ids := []string{"m", "b", "z", "a", "ab", "a b", "é"}
	for _, id := range ids {
		mustCreate(t, ps, newPad(id))
	}
	slices.Sort(ids) // byte-wise, as the contract says
	idsOf := func(ps []store.Pad) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = p.ID
		}
		return out
	}
	all, err := ps.ListPads(t.Context(), store.ListOptions{})
	noErr(t, "List", err)
	if !slices.Equal(idsOf(all), ids) {
		t.Errorf("List = %q, want %q", idsOf(all), ids)
	}
	for _, p := range all {
		checkPad(t, "listed pad", p, mustGet(t, ps, p.ID))
	}

	var paged []string
	after := ""
	for range len(ids) + 1 {
		page, err := ps.ListPads(t.Context(), store.ListOptions{After: after, Limit: 3})
		noErr(t, "List page", err)
		if len(page) > 3 {
			t.Fatalf("page of %d pads, limit 3", len(page))
		}
		if len(page) == 0 {
			break
		}
		paged = append(paged, idsOf(page)...)
		after = page[len(page)-1].ID
	}
	if !slices.Equal(paged, ids) {
		t.Errorf("paged List = %q, want %q", paged, ids)
	}
	page, err := ps.ListPads(t.Context(), store.ListOptions{After: "aa", Limit: 2})
	noErr(t, "List after a missing id", err)
	if want := []string{"ab", "b"}; !slices.Equal(idsOf(page), want) {
		t.Errorf("List(After: aa, Limit: 2) = %q, want %q", idsOf(page), want)
	}
}

func testPadsDelete(t *testing.T, ps store.Pads, _ func() store.Pads) {
	mustCreate(t, ps, newPad("p1"))
	mustCreate(t, ps, newPad("p2"))
	noErr(t, "Delete", ps.DeletePad(t.Context(), "p1"))
	_, err := ps.GetPad(t.Context(), "p1")
	wantErrIs(t, "Get after Delete", err, store.ErrNotFound)
	_, err = ps.GetPadByReadOnlyID(t.Context(), "ro-p1")
	wantErrIs(t, "GetByReadOnlyID after Delete", err, store.ErrNotFound)
	wantErrIs(t, "second Delete", ps.DeletePad(t.Context(), "p1"), store.ErrNotFound)
	if all, err := ps.ListPads(t.Context(), store.ListOptions{}); err != nil || len(all) != 1 || all[0].ID != "p2" {
		t.Errorf("List after Delete = %v, %v; want only p2", all, err)
	}
	// Both IDs are free again.
	again := mustCreate(t, ps, store.Pad{ID: "p1", ReadOnlyID: "ro-p1", Title: "second life"})
	checkPad(t, "recreated pad", mustGet(t, ps, "p1"), again)
}

func testPadsNames(t *testing.T, ps store.Pads, _ func() store.Pads) {
	for i, id := range padNames {
		mustCreate(t, ps, store.Pad{ID: id, ReadOnlyID: "ro:" + id, Title: strconv.Itoa(i)})
	}
	for i, id := range padNames {
		if got := mustGet(t, ps, id); got.Title != strconv.Itoa(i) || got.ReadOnlyID != "ro:"+id {
			t.Errorf("pad %q read back as %+v", id, got)
		}
		if got, err := ps.GetPadByReadOnlyID(t.Context(), "ro:"+id); err != nil || got.ID != id {
			t.Errorf("GetByReadOnlyID(ro:%q) = %q, %v", id, got.ID, err)
		}
	}
	all, err := ps.ListPads(t.Context(), store.ListOptions{})
	if err != nil || len(all) != len(padNames) {
		t.Errorf("List = %d pads, %v; want %d", len(all), err, len(padNames))
	}
}

func testPadsOwnership(t *testing.T, ps store.Pads, _ func() store.Pads) {
	p := newPad("p1")
	created := mustCreate(t, ps, p)
	p.Settings["lang"] = "changed by caller"
	created.Settings["lang"] = "changed via result"
	got := mustGet(t, ps, "p1")
	got.Settings["lang"] = "changed via Get"
	byRO, err := ps.GetPadByReadOnlyID(t.Context(), "ro-p1")
	noErr(t, "GetByReadOnlyID", err)
	byRO.Settings["lang"] = "changed via GetByReadOnlyID"
	list, err := ps.ListPads(t.Context(), store.ListOptions{})
	noErr(t, "List", err)
	list[0].Settings["lang"] = "changed via List"

	var kept map[string]string
	updated, err := ps.UpdatePad(t.Context(), "p1", func(p *store.Pad) error { kept = p.Settings; return nil })
	noErr(t, "Update", err)
	kept["lang"] = "changed via Update's fn"
	updated.Settings["lang"] = "changed via Update's result"

	if s := mustGet(t, ps, "p1").Settings["lang"]; s != "en" {
		t.Errorf("stored setting became %q; a map was shared with the caller", s)
	}
}

func testPadsCancelled(t *testing.T, ps store.Pads, _ func() store.Pads) {
	mustCreate(t, ps, newPad("p1"))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := ps.CreatePad(ctx, newPad("p2"))
	wantErrIs(t, "Create", err, context.Canceled)
	_, err = ps.GetPad(ctx, "p1")
	wantErrIs(t, "Get", err, context.Canceled)
	_, err = ps.GetPadByReadOnlyID(ctx, "ro-p1")
	wantErrIs(t, "GetByReadOnlyID", err, context.Canceled)
	_, err = ps.UpdatePad(ctx, "p1", func(p *store.Pad) error { p.Title = "lost"; return nil })
	wantErrIs(t, "Update", err, context.Canceled)
	wantErrIs(t, "Delete", ps.DeletePad(ctx, "p1"), context.Canceled)
	_, err = ps.ListPads(ctx, store.ListOptions{})
	wantErrIs(t, "List", err, context.Canceled)

	checkPad(t, "pad after cancelled calls", mustGet(t, ps, "p1"), newPad("p1"))
	_, err = ps.GetPad(t.Context(), "p2")
	wantErrIs(t, "pad created with a cancelled context", err, store.ErrNotFound)
}

func testPadsClosed(t *testing.T, ps store.Pads, _ func() store.Pads) {
	mustCreate(t, ps, newPad("p1"))
	noErr(t, "Close", ps.Close())
	noErr(t, "second Close", ps.Close())
	ctx := t.Context()
	_, err := ps.CreatePad(ctx, newPad("p2"))
	wantErrIs(t, "Create after Close", err, store.ErrClosed)
	_, err = ps.GetPad(ctx, "p1")
	wantErrIs(t, "Get after Close", err, store.ErrClosed)
	_, err = ps.GetPadByReadOnlyID(ctx, "ro-p1")
	wantErrIs(t, "GetByReadOnlyID after Close", err, store.ErrClosed)
	_, err = ps.UpdatePad(ctx, "p1", func(*store.Pad) error { return nil })
	wantErrIs(t, "Update after Close", err, store.ErrClosed)
	wantErrIs(t, "Delete after Close", ps.DeletePad(ctx, "p1"), store.ErrClosed)
	_, err = ps.ListPads(ctx, store.ListOptions{})
	wantErrIs(t, "List after Close", err, store.ErrClosed)
}

func testPadsReopen(t *testing.T, ps store.Pads, reopen func() store.Pads) {
	if reopen == nil {
		t.Skip("back end is not durable (no reopen hook)")
	}
	mustCreate(t, ps, newPad("p1"))
	mustCreate(t, ps, newPad("gone"))
	_, err := ps.UpdatePad(t.Context(), "p1", func(p *store.Pad) error {
		p.Title, p.ReadOnlyID = "after reopen", "ro-new"
		return nil
	})
	noErr(t, "Update", err)
	noErr(t, "Delete", ps.DeletePad(t.Context(), "gone"))
	want := mustGet(t, ps, "p1")
	noErr(t, "Close", ps.Close())

	ps = reopen()
	checkPad(t, "pad after reopen", mustGet(t, ps, "p1"), want)
	if got, err := ps.GetPadByReadOnlyID(t.Context(), "ro-new"); err != nil || got.ID != "p1" {
		t.Errorf("GetByReadOnlyID after reopen = %q, %v", got.ID, err)
	}
	_, err = ps.GetPad(t.Context(), "gone")
	wantErrIs(t, "deleted pad after reopen", err, store.ErrNotFound)
	_, err = ps.GetPadByReadOnlyID(t.Context(), "ro-p1")
	wantErrIs(t, "old read-only ID after reopen", err, store.ErrNotFound)
}
