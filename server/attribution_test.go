package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/commonpad/commonpad/server/store/boltstore"
)

// announce sets the client's awareness state to a user with that name,
// under its document's client id, as y-websocket clients do.
func (c *client) announce(name string) {
	c.t.Helper()
	state, err := json.Marshal(map[string]any{"user": map[string]string{"name": name, "color": "#30bced"}})
	if err != nil {
		c.t.Fatal(err)
	}
	c.awClock++
	c.write(protocol.EncodeAwareness(protocol.EncodeAwarenessUpdate([]protocol.AwarenessEntry{
		{ClientID: c.doc.ClientID(), Clock: c.awClock, State: string(state)},
	})))
}

func (e *testEnv) draft(id string) publishDraft {
	e.t.Helper()
	code, body := e.get("/api/pads/" + id + "/publish")
	var d publishDraft
	if code != http.StatusOK || json.Unmarshal([]byte(body), &d) != nil {
		e.t.Fatalf("GET publish draft: %d %s", code, body)
	}
	return d
}

// waitAuthors polls the draft until it names exactly want: names
// announced after the last edit are recorded on their own, a little later.
func (e *testEnv) waitAuthors(id string, want ...string) {
	e.t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		got := e.draft(id).Authors
		if slices.Equal(got, want) {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("authors %q, want %q", got, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAuthorsAreThoseWhoWrote(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("Atelier")
	if d := e.draft(p.ID); len(d.Authors) != 0 || d.Title != "Atelier" || d.Status != "open" || d.Note != nil {
		t.Fatalf("draft of an empty pad: %+v", d)
	}

	bo := e.dial(p.ID, nil)
	bo.synced()
	bo.announce("Bo")
	bo.writeBlocks([2]string{"heading", "Compte rendu"})
	ana := e.dial(p.ID, nil)
	ana.synced()
	ana.announce("  Ana\tMaria ")
	ana.writeBlocks([2]string{"paragraph", "Ana writes"})
	bo.writeBlocks([2]string{"paragraph", "Bo again"})
	// Present but silent, or on the read-only link: not authors.
	reader := e.dial(p.ID, nil)
	reader.synced()
	reader.announce("Chloé")
	ro := e.dial(p.ReadOnlyID, nil)
	ro.synced()
	ro.announce("Eve")
	ro.sendBlocks([2]string{"paragraph", "refused"})

	e.waitAuthors(p.ID, "Bo", "Ana Maria")
	d := e.draft(p.ID)
	if d.Title != "Compte rendu" {
		t.Errorf("draft title %q", d.Title)
	}
	if code, _ := e.get("/api/pads/" + p.ReadOnlyID + "/publish"); code != http.StatusForbidden {
		t.Errorf("draft through the read-only link: %d, want 403", code)
	}

	r := e.publish(p.ID, `{"visibility":"public"}`)
	if code, page := e.get("/n/" + r.Slug); code != http.StatusOK || !strings.Contains(page, "Bo, Ana Maria") || strings.Contains(page, "Chloé") || strings.Contains(page, "Eve") {
		t.Errorf("note page: %d %s", code, page)
	}
	// Someone may be left off; nobody may be added.
	r = e.publish(p.ID, `{"authors":["Ana Maria"]}`)
	if _, body := e.get("/api/notes/" + r.Slug + "/v/2"); !strings.Contains(body, `"authors":["Ana Maria"]`) {
		t.Errorf("version 2: %s", body)
	}
	if code, body := e.post("/api/pads/"+p.ID+"/publish", `{"authors":["Ana Maria","Chloé"]}`); code != http.StatusBadRequest || !strings.Contains(body, "Chloé") {
		t.Errorf("crediting a reader: %d %s", code, body)
	}
	if d := e.draft(p.ID); d.Note == nil || d.Note.Version != 2 || d.Note.Slug != r.Slug || d.Note.Visibility != "public" || d.Note.Title != "Compte rendu" ||
		!strings.HasSuffix(d.Note.URLs.Note, "/n/"+r.Slug) {
		t.Errorf("draft after publishing: %+v", d)
	}
}

// A client that writes before it announces a name, a rename, and content
// written under another client id (an older session's offline edits) all
// end up under the right name, and the names survive a restart.
func TestAuthorsNamedLaterRenamedAndKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pads.db")
	e := startEnv(t, path, nil)
	p := e.createPad("x")

	shy := e.dial(p.ID, nil)
	shy.synced()
	shy.writeBlocks([2]string{"paragraph", "typed before naming myself"})
	// The old session of the same browser: its own client id, no
	// awareness; this connection delivers its edits.
	old := crdt.NewDoc(crdt.Options{})
	old.Transact(func(tx *crdt.Txn) {
		f := old.XmlFragment("default")
		el, _ := f.InsertElement(tx, 0, "paragraph")
		_, _ = el.InsertText(tx, 0, "written offline yesterday")
	})
	shy.write(protocol.EncodeSyncUpdate(old.EncodeStateAsUpdate(nil)))
	shy.until("offline edits stored", func() bool { return shy.fromServer.StateVector()[old.ClientID()] > 0 })
	if d := e.draft(p.ID); len(d.Authors) != 0 {
		t.Errorf("authors before anyone named themselves: %q", d.Authors)
	}
	shy.announce("Dana")
	e.waitAuthors(p.ID, "Dana")
	shy.announce("Dana K.")
	e.waitAuthors(p.ID, "Dana K.")

	other := e.dial(p.ID, nil)
	other.synced()
	other.announce("Zoé")
	other.writeBlocks([2]string{"paragraph", "Zoé"})
	e.waitAuthors(p.ID, "Dana K.", "Zoé")

	e.stop()
	e = startEnv(t, path, nil)
	e.waitAuthors(p.ID, "Dana K.", "Zoé")
}

// Two writers in one coalescing window, one of them delivering content of
// a client id that has no awareness state: each id goes to the connection
// that sent it.
func TestAuthorsInOneWindow(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.CoalesceWindow = time.Second })
	p := e.createPad("x")
	a := e.dial(p.ID, nil)
	a.synced()
	a.announce("Ana")
	b := e.dial(p.ID, nil)
	b.synced()
	b.announce("Bo")
	elsewhere := crdt.NewDoc(crdt.Options{})
	elsewhere.Transact(func(tx *crdt.Txn) {
		el, _ := elsewhere.XmlFragment("default").InsertElement(tx, 0, "paragraph")
		_, _ = el.InsertText(tx, 0, "from another id")
	})
	// The first edit after a pause goes out at once; the next two share a
	// window.
	a.writeBlocks([2]string{"paragraph", "warm-up"})
	a.sendBlocks([2]string{"paragraph", "Ana"})
	b.write(protocol.EncodeSyncUpdate(elsewhere.EncodeStateAsUpdate(nil)))
	a.echoed()
	b.until("stored", func() bool { return b.fromServer.StateVector()[elsewhere.ClientID()] > 0 })
	// Their order depends on how the window fell; who is credited does not.
	deadline := time.Now().Add(waitFor)
	for names := e.draft(p.ID).Authors; !slices.Equal(slices.Sorted(slices.Values(names)), []string{"Ana", "Bo"}); names = e.draft(p.ID).Authors {
		if time.Now().After(deadline) {
			t.Fatalf("authors %q, want Ana and Bo", names)
		}
		time.Sleep(10 * time.Millisecond)
	}
	got, err := e.st.PadAuthors(t.Context(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[uint64]string{}
	for _, au := range got {
		byID[au.Client] = au.Name
	}
	if byID[a.doc.ClientID()] != "Ana" || byID[elsewhere.ClientID()] != "Bo" || len(byID) != 2 {
		t.Errorf("recorded %v; Ana is %d, Bo delivered %d", byID, a.doc.ClientID(), elsewhere.ClientID())
	}
}

// Instances sharing a store each credit their own connections; the draft
// on either names everyone.
func TestAuthorsAcrossInstances(t *testing.T) {
	envs := sharedEnvs(t, 2, nil)
	p := envs[0].createPad("x")
	a := envs[0].dial(p.ID, nil)
	a.synced()
	a.announce("Ana")
	a.writeBlocks([2]string{"paragraph", "one"})
	b := envs[1].dial(p.ID, nil)
	b.synced()
	b.announce("Bo")
	b.writeBlocks([2]string{"paragraph", "two"})
	envs[1].waitAuthors(p.ID, "Ana", "Bo")
	envs[0].waitAuthors(p.ID, "Ana", "Bo")
}

// flakyAuthors is the real store, refusing the first names it is given.
type flakyAuthors struct {
	*boltstore.Store
	fails atomic.Int32
}

func (f *flakyAuthors) PutAuthors(ctx context.Context, pad string, names map[uint64]string) error {
	if f.fails.Add(-1) >= 0 {
		return errors.New("disk full")
	}
	return f.Store.PutAuthors(ctx, pad, names)
}

// Names the store refuses cost nothing but a retry: edits go on, and the
// names are recorded with a later write.
func TestAuthorsRetriedAfterStoreFailure(t *testing.T) {
	saved := authorsRetry
	authorsRetry = 50 * time.Millisecond
	t.Cleanup(func() { authorsRetry = saved })
	flaky := &flakyAuthors{}
	flaky.fails.Store(1)
	e := newEnv(t, func(c *Config) {
		flaky.Store = c.Store.(*boltstore.Store)
		c.Store = flaky
	})
	p := e.createPad("x")
	a := e.dial(p.ID, nil)
	a.synced()
	a.announce("Ana")
	a.writeBlocks([2]string{"paragraph", "one"})
	if d := e.draft(p.ID); len(d.Authors) != 0 {
		t.Fatalf("authors %q although the store refused them", d.Authors)
	}
	time.Sleep(2 * authorsRetry)
	a.writeBlocks([2]string{"paragraph", "two"})
	e.waitAuthors(p.ID, "Ana")
	if _, m := e.get("/metrics"); !strings.Contains(m, `commonpad_store_errors_total{op="authors"} 1`) {
		t.Errorf("metrics do not count the failure:\n%s", m)
	}
}

// People in the room who sign their post-its are credited like the
// people at a keyboard; each post-it is written under an id of its own.
func TestPostitSignersAreAuthors(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("x")
	a := e.dial(p.ID, nil)
	a.synced()
	a.announce("Ana")
	a.writeBlocks([2]string{"paragraph", "Ordre du jour"})
	for _, body := range []string{`{"text":"Plus de café","name":"Zoé"}`, `{"text":"anonyme"}`, `{"text":"Pause","name":"  Léo "}`, `{"text":"encore","name":"Zoé"}`} {
		if code, out := e.postit(p.ID, body); code != http.StatusCreated && code != http.StatusOK {
			t.Fatalf("post-it %s: %d %s", body, code, out)
		}
	}
	e.waitAuthors(p.ID, "Ana", "Zoé", "Léo")
	got, err := e.st.PadAuthors(t.Context(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[1].Client == got[3].Client {
		t.Errorf("recorded %+v: want Ana and three signed post-its under ids of their own", got)
	}
}

// Someone who reconnects writes under the same client id on a new
// connection; a rename announced there is followed.
func TestAuthorsRenameAfterReconnect(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("x")
	first := e.dial(p.ID, nil)
	first.synced()
	first.announce("Ana")
	first.writeBlocks([2]string{"paragraph", "one"})
	e.waitAuthors(p.ID, "Ana")
	first.ws.Close()

	again := e.dial(p.ID, nil)
	// The same browser tab: same document, same clocks.
	again.doc, again.fromServer, again.awClock = first.doc, first.fromServer, first.awClock
	again.doc.OnUpdate(func(ev crdt.UpdateEvent) {
		if ev.Local {
			again.write(protocol.EncodeSyncUpdate(ev.Update))
		}
	})
	again.synced()
	again.announce("Ana")
	again.writeBlocks([2]string{"paragraph", "two"})
	again.announce("Ana Lopez")
	e.waitAuthors(p.ID, "Ana Lopez")
}

// A note lists at most MaxNoteAuthors names: the first writers unless
// others are picked.
func TestNoteAuthorsAreCapped(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxNoteAuthors = 2 })
	p := e.createPad("x")
	for _, name := range []string{"Ana", "Bo", "Chloé"} {
		c := e.dial(p.ID, nil)
		c.synced()
		c.announce(name)
		c.writeBlocks([2]string{"paragraph", name})
		time.Sleep(5 * time.Millisecond) // first contributions in this order
	}
	e.waitAuthors(p.ID, "Ana", "Bo")
	r := e.publish(p.ID, "")
	if _, body := e.get("/api/notes/" + r.Slug); !strings.Contains(body, `"authors":["Ana","Bo"]`) {
		t.Errorf("note: %s", body)
	}
	// Anyone who wrote may be picked, within the cap.
	e.publish(p.ID, `{"authors":["Chloé","Ana"]}`)
	if _, body := e.get("/api/notes/" + r.Slug + "/v/2"); !strings.Contains(body, `"authors":["Chloé","Ana"]`) {
		t.Errorf("note with picked authors: %s", body)
	}
	if code, body := e.post("/api/pads/"+p.ID+"/publish", `{"authors":["Ana","Bo","Chloé"]}`); code != http.StatusBadRequest || !strings.Contains(body, "at most 2") {
		t.Errorf("three authors past a cap of two: %d %s", code, body)
	}
}
