package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonpad/commonpad/server/store"
)

func (e *testEnv) postit(id, body string) (int, string) {
	e.t.Helper()
	resp, err := http.Post(e.http.URL+"/api/pads/"+id+"/postits", "application/json", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// errorOf is the message of a JSON error answer, or "" if it is not one.
func errorOf(body string) string {
	var v struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal([]byte(body), &v)
	return v.Error
}

func TestPostitReachesConnectedClientAndSurvivesRestart(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("Room")
	c := e.dial(p.ID, nil)
	c.synced()

	if code, body := e.postit(p.ID, `{"text":"  More coffee  ","name":"Ana"}`); code != http.StatusCreated {
		t.Fatalf("POST postit: %d %s", code, body)
	}
	want := "Post-its\nMore coffee — Ana"
	c.until("post-it over the socket", func() bool {
		return fragmentText(c.fromServer.XmlFragment("default")) == want
	})
	if code, body := e.postit(p.ID, `{"text":"Second"}`); code != http.StatusCreated {
		t.Fatalf("second POST: %d %s", code, body)
	}
	want += "\nSecond"
	c.until("second post-it", func() bool {
		return fragmentText(c.fromServer.XmlFragment("default")) == want
	})

	e.stop()
	e2 := startEnv(t, e.path, nil)
	if code, body := e2.get("/api/pads/" + p.ID + "/text"); code != http.StatusOK || body != want {
		t.Fatalf("after restart: %d %q, want %q", code, body, want)
	}
}

// A post-it to a pad nobody has open loads the room, and is stored before
// the answer.
func TestPostitLoadsClosedPad(t *testing.T) {
	e := newEnv(t, nil)
	p := e.createPad("")
	if code, body := e.postit(p.ID, `{"text":"hello"}`); code != http.StatusCreated {
		t.Fatalf("POST: %d %s", code, body)
	}
	snap, err := e.st.Load(context.Background(), p.ID)
	if err != nil || len(snap.Records) == 0 {
		t.Fatalf("store after 201: %d records, %v", len(snap.Records), err)
	}
	if code, body := e.get("/api/pads/" + p.ID + "/text"); code != http.StatusOK || body != "Post-its\nhello" {
		t.Fatalf("text: %d %q", code, body)
	}
}

func TestPostitRefusals(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PostitsPerMinute = -1 })
	p := e.createPad("")
	cases := []struct {
		name, id, body string
		code           int
	}{
		{"read-only id", p.ReadOnlyID, `{"text":"x"}`, http.StatusForbidden},
		{"unknown pad", newPadID(), `{"text":"x"}`, http.StatusNotFound},
		{"blank text", p.ID, `{"text":"   "}`, http.StatusBadRequest},
		{"text too long", p.ID, `{"text":"` + strings.Repeat("é", 1001) + `"}`, http.StatusBadRequest},
		{"name too long", p.ID, `{"text":"x","name":"` + strings.Repeat("n", 81) + `"}`, http.StatusBadRequest},
		{"not JSON", p.ID, `text=x`, http.StatusBadRequest},
	}
	for _, tc := range cases {
		code, body := e.postit(tc.id, tc.body)
		if code != tc.code || errorOf(body) == "" {
			t.Errorf("%s: %d %s, want %d with an error message", tc.name, code, body, tc.code)
		}
	}
	if code, body := e.postit(p.ID, `{"text":"`+strings.Repeat("é", 1000)+`","name":"`+strings.Repeat("n", 80)+`"}`); code != http.StatusCreated {
		t.Errorf("longest post-it: %d %s", code, body)
	}

	if _, err := e.st.UpdatePad(context.Background(), p.ID, func(p *store.Pad) error {
		p.Status = store.StatusFinished
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	code, body := e.postit(p.ID, `{"text":"late"}`)
	if code != http.StatusForbidden || !strings.Contains(errorOf(body), "finished") {
		t.Fatalf("finished pad: %d %s", code, body)
	}
	if _, text := e.get("/api/pads/" + p.ID + "/text"); strings.Contains(text, "late") {
		t.Fatalf("refused post-it stored: %q", text)
	}
}

func TestPostitRateLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PostitsPerMinute = 3 })
	p := e.createPad("")
	for i := range 3 {
		if code, body := e.postit(p.ID, `{"text":"ok"}`); code != http.StatusCreated {
			t.Fatalf("post-it %d: %d %s", i, code, body)
		}
	}
	code, body := e.postit(p.ID, `{"text":"one too many"}`)
	if code != http.StatusTooManyRequests || errorOf(body) == "" {
		t.Fatalf("over the limit: %d %s", code, body)
	}
}

func TestPostitLimiterRefills(t *testing.T) {
	l := newPostitLimiter(2)
	now := time.Now()
	if !l.allow("a", now) || !l.allow("a", now) || l.allow("a", now) {
		t.Fatal("burst of 2 not enforced")
	}
	if !l.allow("b", now) {
		t.Fatal("another address shares the bucket")
	}
	if !l.allow("a", now.Add(31*time.Second)) || l.allow("a", now.Add(31*time.Second)) {
		t.Fatal("one token should come back after 30 s")
	}
}
