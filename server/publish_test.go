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

// writeBlocks appends top-level blocks to the pad's fragment, each a node
// name and its text, and waits until the server has stored them.
func (c *client) writeBlocks(blocks ...[2]string) {
	c.t.Helper()
	c.sendBlocks(blocks...)
	c.echoed()
}

// sendBlocks writes like writeBlocks without waiting for an echo, which a
// refused write never gets.
func (c *client) sendBlocks(blocks ...[2]string) {
	c.t.Helper()
	c.doc.Transact(func(tx *crdt.Txn) {
		f := c.doc.XmlFragment("default")
		for _, b := range blocks {
			e, err := f.InsertElement(tx, f.Len(), b[0])
			if err != nil {
				c.t.Fatalf("insert %s: %v", b[0], err)
			}
			if b[0] == "heading" {
				e.SetAttribute(tx, "level", 1)
			}
			if _, err := e.InsertText(tx, 0, b[1]); err != nil {
				c.t.Fatalf("insert text: %v", err)
			}
		}
	})
}

func (e *testEnv) post(path, body string) (int, string) {
	e.t.Helper()
	resp, err := http.Post(e.http.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (e *testEnv) publish(id, body string) publishResponse {
	e.t.Helper()
	code, out := e.post("/api/pads/"+id+"/publish", body)
	if code != http.StatusCreated {
		e.t.Fatalf("publish: %d %s", code, out)
	}
	var r publishResponse
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		e.t.Fatalf("publish answer %q: %v", out, err)
	}
	return r
}

func TestPublishTwiceKeepsBothVersions(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("Pad title")
	c := e.dial(p.ID, nil)
	c.synced()
	c.announce("Ana")
	c.writeBlocks([2]string{"heading", "Réunion du 12 mars"}, [2]string{"paragraph", "First draft"})
	bo := e.dial(p.ID, nil)
	bo.synced()
	bo.announce("Bo")
	bo.writeBlocks([2]string{"paragraph", "Bo was here"})

	r1 := e.publish(p.ID, `{"authors":["Ana"," Ana ","Bo"]}`)
	if r1.Slug != "reunion-du-12-mars" || r1.Version != 1 {
		t.Fatalf("first publish = %+v", r1)
	}
	if !strings.HasSuffix(r1.URLs.Version, "/n/reunion-du-12-mars/v/1") || !strings.HasSuffix(r1.URLs.Markdown, "/v/1/note.md") {
		t.Errorf("urls %+v", r1.URLs)
	}
	c.writeBlocks([2]string{"paragraph", "Second thoughts"})
	r2 := e.publish(p.ID, `{"title":"Compte rendu"}`)
	if r2.Slug != r1.Slug || r2.Version != 2 {
		t.Fatalf("second publish = %+v", r2)
	}

	code, v1 := e.get("/n/" + r1.Slug + "/v/1")
	if code != http.StatusOK || !strings.Contains(v1, "First draft") || strings.Contains(v1, "Second thoughts") ||
		!strings.Contains(v1, "Ana, Bo") {
		t.Errorf("version 1 page: %d %s", code, v1)
	}
	code, latest := e.get("/n/" + r1.Slug)
	if code != http.StatusOK || !strings.Contains(latest, "Second thoughts") || !strings.Contains(latest, "<h1>Compte rendu</h1>") {
		t.Errorf("latest page: %d %s", code, latest)
	}
	if !strings.Contains(latest, `href="/n/`+r1.Slug+`/v/1"`) || !strings.Contains(latest, `href="/n/`+r1.Slug+`/v/2"`) {
		t.Errorf("latest page does not list both versions: %s", latest)
	}

	code, body := e.get("/api/notes/" + r1.Slug + "/v/1")
	var jv noteVersionJSON
	if code != http.StatusOK || json.Unmarshal([]byte(body), &jv) != nil || jv.N != 1 || jv.Latest != 2 ||
		jv.Title != "Réunion du 12 mars" || !strings.Contains(jv.Markdown, "# Réunion du 12 mars") ||
		!strings.Contains(jv.Text, "First draft") || strings.Join(jv.Authors, ",") != "Ana,Bo" {
		t.Errorf("GET version 1: %d %s", code, body)
	}
	code, body = e.get("/api/notes/" + r1.Slug)
	var jn noteJSON
	if code != http.StatusOK || json.Unmarshal([]byte(body), &jn) != nil || jn.Version != 2 || len(jn.Versions) != 2 ||
		jn.Title != "Compte rendu" || jn.Visibility != "unlisted" || strings.Contains(body, p.ID) {
		t.Errorf("GET note: %d %s", code, body)
	}
	code, md := e.get("/n/" + r1.Slug + "/v/2/note.md")
	if code != http.StatusOK || !strings.Contains(md, "Second thoughts") {
		t.Errorf("note.md: %d %s", code, md)
	}
	for _, path := range []string{"/n/" + r1.Slug + "/v/3", "/n/" + r1.Slug + "/v/0", "/n/" + r1.Slug + "/v/x",
		"/n/nope", "/n/NOPE", "/api/notes/nope", "/api/notes/" + r1.Slug + "/v/9", "/n/" + r1.Slug + "/v/1/other"} {
		if code, _ := e.get(path); code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, code)
		}
	}
}

func TestPublishTitleDefaultsAndSlugCollisions(t *testing.T) {
	e := newEnv(t, nil)
	var slugs []string
	for range 3 {
		p := e.createPad("Weekly")
		slugs = append(slugs, e.publish(p.ID, "").Slug)
	}
	if strings.Join(slugs, " ") != "weekly weekly-2 weekly-3" {
		t.Errorf("slugs %q", slugs)
	}
	p := e.createPad("")
	req, _ := http.NewRequest(http.MethodPost, e.http.URL+"/api/pads/"+p.ID+"/publish", nil)
	req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code, body := e.get("/api/notes/sans-titre"); code != http.StatusOK || !strings.Contains(body, `"title":"Sans titre"`) {
		t.Errorf("untitled French note: %d %s", code, body)
	}
}

func TestPublishRefusals(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("x")
	for _, tc := range []struct {
		id, body string
		code     int
	}{
		{p.ReadOnlyID, "", http.StatusForbidden},
		{newPadID(), "", http.StatusNotFound},
		{p.ID, `{"visibility":"secret"}`, http.StatusBadRequest},
		{p.ID, `{"title":`, http.StatusBadRequest},
		{p.ID, `{"authors":["` + strings.Repeat("a", 81) + `"]}`, http.StatusBadRequest},
		{p.ID, `{"authors":[` + strings.Repeat(`"a",`, 50) + `"a"]}`, http.StatusBadRequest},
		{p.ID, `{"authors":["Nobody"]}`, http.StatusBadRequest},
	} {
		if code, body := e.post("/api/pads/"+tc.id+"/publish", tc.body); code != tc.code {
			t.Errorf("publish %s %s: %d %s, want %d", tc.id, tc.body, code, body, tc.code)
		}
	}
	if _, err := e.st.GetNoteByPad(t.Context(), p.ID); err == nil {
		t.Error("a refused publish created a note")
	}
}

func TestPublishEscapesPadContent(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("x")
	c := e.dial(p.ID, nil)
	c.synced()
	c.announce("<img src=x onerror=alert(2)>")
	c.writeBlocks([2]string{"heading", "<b>Title</b>"}, [2]string{"paragraph", "<script>alert(1)</script>"})
	r := e.publish(p.ID, `{"visibility":"public"}`)
	for _, path := range []string{"/n/" + r.Slug, "/notes"} {
		code, page := e.get(path)
		if code != http.StatusOK || strings.Contains(page, "<script>alert") || strings.Contains(page, "<img") ||
			strings.Contains(page, "<b>Title") {
			t.Errorf("%s lets markup through: %d %s", path, code, page)
		}
		if !strings.Contains(page, "&lt;b&gt;Title&lt;/b&gt;") {
			t.Errorf("%s lost the escaped title: %s", path, page)
		}
	}
	if _, page := e.get("/n/" + r.Slug); !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") ||
		!strings.Contains(page, "&lt;img src=x onerror=alert(2)&gt;") {
		t.Errorf("note page lost the escaped text or author: %s", page)
	}
}

func TestFinishMakesPadReadOnly(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("x")
	c := e.dial(p.ID, nil)
	c.synced()
	c.writeBlocks([2]string{"paragraph", "Before"})
	ro := e.dial(p.ReadOnlyID, nil)
	ro.synced()
	e.publish(p.ID, `{"finish":true}`)

	if code, body := e.get("/api/pads/" + p.ID); code != http.StatusOK || !strings.Contains(body, `"status":"finished"`) {
		t.Errorf("pad after finish: %d %s", code, body)
	}
	// The member connected before the finish hears of it at once, and is
	// refused from now on.
	c.until("news of the finish", func() bool { return deniedReasons(c) == reasonFinished })
	c.sendBlocks([2]string{"paragraph", "After"})
	c.until("permission denied", func() bool { return deniedCount(c) > 1 })
	if got := deniedReasons(c); got != reasonFinished+","+reasonFinished {
		t.Errorf("denials %q", got)
	}
	// So is a new connection through the edit link.
	c2 := e.dial(p.ID, nil)
	c2.synced()
	c2.sendBlocks([2]string{"paragraph", "Later"})
	c2.until("permission denied", func() bool { return deniedCount(c2) > 0 })

	if code, body := e.postit(p.ID, `{"text":"late"}`); code != http.StatusForbidden {
		t.Errorf("post-it on a finished pad: %d %s", code, body)
	}
	if code, body := e.get("/api/pads/" + p.ID + "/export.txt"); code != http.StatusOK || body != "Before\n" {
		t.Errorf("pad after refused writes: %d %q", code, body)
	}
	// Nobody tells a reader it may not write.
	ro.insert(0, "x")
	ro.until("refusal", func() bool { return deniedCount(ro) > 0 })
	if got := deniedReasons(ro); got != "read-only connection" {
		t.Errorf("read-only member's denials %q", got)
	}
}

func deniedReasons(c *client) string { return strings.Join(denials(c), ",") }

// denials lists the reasons of the permission-denied messages c received.
func denials(c *client) []string {
	var rs []string
	for _, m := range c.seen {
		if m.Type == protocol.MessageAuth {
			rs = append(rs, m.Reason)
		}
	}
	return rs
}

// Members on another instance hear of the finish over the bus and are
// refused too, though their connections were opened before it.
func TestFinishReachesOtherInstances(t *testing.T) {
	envs := sharedEnvs(t, 2, nil)
	p := envs[0].createPad("x")
	a := envs[0].dial(p.ID, nil)
	a.synced()
	b := envs[1].dial(p.ID, nil)
	b.synced()
	b.writeBlocks([2]string{"paragraph", "Before"})
	envs[0].publish(p.ID, `{"finish":true}`)
	b.until("news of the finish", func() bool { return deniedReasons(b) == reasonFinished })
	b.sendBlocks([2]string{"paragraph", "After"})
	b.until("permission denied", func() bool { return deniedCount(b) > 1 })
	a.until("b's paragraph", func() bool { return fragmentText(a.doc.XmlFragment("default")) == "Before" })
	if code, body := envs[1].get("/api/pads/" + p.ID + "/export.txt"); body != "Before\n" {
		t.Errorf("pad after the finish: %d %q", code, body)
	}
}

func deniedCount(c *client) int { return len(denials(c)) }

func TestExports(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("x")
	c := e.dial(p.ID, nil)
	c.synced()
	c.writeBlocks([2]string{"heading", "Title"}, [2]string{"paragraph", "a < b"})
	for file, want := range map[string][2]string{
		"export.md":   {"text/markdown; charset=utf-8", "# Title"},
		"export.html": {"text/html; charset=utf-8", "<p>a &lt; b</p>"},
		"export.txt":  {"text/plain; charset=utf-8", "Title\n\na < b\n"},
	} {
		for _, id := range []string{p.ID, p.ReadOnlyID} {
			resp, err := http.Get(e.http.URL + "/api/pads/" + id + "/" + file)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			cd := resp.Header.Get("Content-Disposition")
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != want[0] ||
				!strings.HasPrefix(cd, "attachment;") || strings.Contains(cd, p.ID) || !strings.Contains(string(b), want[1]) {
				t.Errorf("%s via %s: %d %q %q %q", file, id, resp.StatusCode, resp.Header.Get("Content-Type"), cd, b)
			}
		}
	}
	if code, _ := e.get("/api/pads/" + p.ID + "/export.pdf"); code != http.StatusNotFound {
		t.Errorf("unknown export: %d", code)
	}
}

// A title someone edited stays the note's title when it is published
// again without one, rather than going back to the pad's heading.
func TestRepublishingKeepsAnEditedTitle(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("x")
	c := e.dial(p.ID, nil)
	c.synced()
	c.writeBlocks([2]string{"heading", "Réunion"}, [2]string{"paragraph", "v1"})
	if d := e.draft(p.ID); d.Title != "Réunion" {
		t.Errorf("first draft title %q", d.Title)
	}
	r := e.publish(p.ID, `{"title":"Réunion du 12 mars, compte rendu"}`)
	c.writeBlocks([2]string{"paragraph", "v2"})
	if d := e.draft(p.ID); d.Title != "Réunion du 12 mars, compte rendu" {
		t.Errorf("draft title after an edited one %q", d.Title)
	}
	e.publish(p.ID, "")
	if _, body := e.get("/api/notes/" + r.Slug + "/v/2"); !strings.Contains(body, `"title":"Réunion du 12 mars, compte rendu"`) {
		t.Errorf("version 2: %s", body)
	}
}
