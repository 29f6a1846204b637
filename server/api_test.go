package server

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/crdt/protocol"
)

func (e *testEnv) createPad(title string) padJSON {
	e.t.Helper()
	resp, err := http.Post(e.http.URL+"/api/pads", "application/json", strings.NewReader(`{"title":`+jsonString(title)+`}`))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		e.t.Fatalf("POST /api/pads: %s", resp.Status)
	}
	var p padJSON
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (e *testEnv) get(path string) (int, string) {
	e.t.Helper()
	resp, err := http.Get(e.http.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestCreateAndGetPad(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("Notes")
	if p.ID == "" || p.ReadOnlyID == "" || p.ID == p.ReadOnlyID || p.Title != "Notes" {
		t.Fatalf("created %+v", p)
	}
	if !strings.HasSuffix(p.URLs.WS, "/ws/"+p.ID) || !strings.HasPrefix(p.URLs.WS, "ws://") ||
		!strings.HasSuffix(p.URLs.ReadOnly, p.ReadOnlyID) {
		t.Fatalf("urls %+v", p.URLs)
	}
	code, body := e.get("/api/pads/" + p.ID)
	var got padJSON
	if code != http.StatusOK || json.Unmarshal([]byte(body), &got) != nil || got.ID != p.ID || got.Title != "Notes" {
		t.Fatalf("GET pad: %d %s", code, body)
	}
	if code, _ := e.get("/api/pads/" + newPadID()); code != http.StatusNotFound {
		t.Fatalf("unknown pad: %d", code)
	}
	if code, _ := e.get("/healthz"); code != http.StatusOK {
		t.Fatalf("healthz %d", code)
	}
	if code, _ := e.get("/readyz"); code != http.StatusOK {
		t.Fatalf("readyz %d", code)
	}
}

func TestReadyzFailsWhenStoreCloses(t *testing.T) {
	e := newEnv(t, nil)
	_ = e.st.Close()
	if code, _ := e.get("/readyz"); code != http.StatusServiceUnavailable {
		t.Fatalf("readyz with a closed store: %d", code)
	}
}

func TestPadText(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("")
	a := e.dial(p.ID, nil)
	a.synced()
	a.doc.Transact(func(tx *crdt.Txn) {
		frag := a.doc.XmlFragment("default")
		for i, line := range []string{"first line", "second line"} {
			el, err := frag.InsertElement(tx, i, "paragraph")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := el.InsertText(tx, 0, line); err != nil {
				t.Fatal(err)
			}
		}
	})
	a.echoed()
	for _, id := range []string{p.ID, p.ReadOnlyID} {
		code, body := e.get("/api/pads/" + id + "/text")
		if code != http.StatusOK || body != "first line\nsecond line" {
			t.Fatalf("text via %s: %d %q", id, code, body)
		}
	}
}

func TestReadOnlyCannotWrite(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("ro")
	w := e.dial(p.ID, nil)
	w.synced()
	w.insert(0, "original")
	w.echoed()

	ro := e.dial(p.ReadOnlyID, nil)
	ro.synced()
	if got := ro.doc.Text("t").String(); got != "original" {
		t.Fatalf("read-only client sees %q", got)
	}
	// A crafted client writes anyway, both as an update and as step 2.
	evil := crdt.NewDoc(crdt.Options{})
	evil.Transact(func(tx *crdt.Txn) { _ = evil.Text("t").Insert(tx, 0, "EVIL", nil) })
	upd := evil.EncodeStateAsUpdate(nil)
	ro.write(protocol.EncodeSyncUpdate(upd))
	ro.write(protocol.EncodeSyncStep2(upd))
	denials := func() int {
		n := 0
		for _, m := range ro.seen {
			if m.Type == protocol.MessageAuth && m.AuthType == protocol.AuthPermissionDenied {
				n++
			}
		}
		return n
	}
	ro.until("two permission-denied messages", func() bool { return denials() == 2 })

	// The read-only connection stays open and still receives edits.
	w.insert(8, "!")
	w.echoed()
	ro.waitText("original!")
	late := e.dial(p.ID, nil)
	late.synced()
	if got := late.doc.Text("t").String(); got != "original!" {
		t.Fatalf("pad is %q after read-only writes", got)
	}
}

func TestReadOnlyIDGivesMetadataWithoutTheEditLink(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("Réunion")
	if !strings.HasSuffix(p.URLs.ReadOnly, "/r/"+p.ReadOnlyID) {
		t.Fatalf("read-only link %q", p.URLs.ReadOnly)
	}
	code, body := e.get("/api/pads/" + p.ReadOnlyID)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	if strings.Contains(body, p.ID) {
		t.Fatalf("read-only metadata leaks the edit id: %s", body)
	}
	var got padJSON
	if err := json.Unmarshal([]byte(body), &got); err != nil || got.Title != "Réunion" || got.ReadOnlyID != p.ReadOnlyID {
		t.Fatalf("metadata %s", body)
	}
}

func TestPagesServeWhatTheAPIDoesNot(t *testing.T) {
	e := newEnv(t, func(c *Config) {
		c.Pages = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "page "+r.URL.Path) })
	})
	if code, body := e.get("/p/abc"); code != http.StatusOK || body != "page /p/abc" {
		t.Fatalf("GET /p/abc: %d %q", code, body)
	}
	if code, body := e.get("/healthz"); code != http.StatusOK || strings.HasPrefix(body, "page") {
		t.Fatalf("GET /healthz went to the pages: %d %q", code, body)
	}
}
