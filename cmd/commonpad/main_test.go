package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/commonpad/commonpad/server/store/boltstore"
	"github.com/google/uuid"
	"github.com/gorilla/websocket"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFlagsBeatEnvAndEnvBeatsDefaults(t *testing.T) {
	env := envOf(map[string]string{
		"COMMONPAD_ADDR":              "127.0.0.1:9000",
		"COMMONPAD_DATA":              "/from/env",
		"COMMONPAD_MAX_CONNS_PER_PAD": "7",
		"COMMONPAD_ALLOWED_ORIGINS":   "https://a.example, https://b.example",
		"COMMONPAD_COMPACT_BYTES":     "-1",
	})
	o, err := parseOptions([]string{"--data", "/from/flag"}, env, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.addr != "127.0.0.1:9000" || o.data != "/from/flag" || o.cfg.MaxConnsPerPad != 7 {
		t.Fatalf("got addr %q data %q conns %d", o.addr, o.data, o.cfg.MaxConnsPerPad)
	}
	if o.cfg.CompactBytes != -1 {
		t.Fatalf("compact bytes %d", o.cfg.CompactBytes)
	}
	if len(o.cfg.AllowedOrigins) != 2 || o.cfg.AllowedOrigins[1] != "https://b.example" {
		t.Fatalf("origins %q", o.cfg.AllowedOrigins)
	}
	d, err := parseOptions(nil, envOf(nil), &bytes.Buffer{})
	if err != nil || d.addr != ":8080" || d.data != "./data" {
		t.Fatalf("defaults: %+v %v", d, err)
	}
	if _, err := parseOptions(nil, envOf(map[string]string{"COMMONPAD_MAX_QUEUE_BYTES": "lots"}), &bytes.Buffer{}); err == nil {
		t.Fatal("invalid environment value accepted")
	}
}

func TestHelpListsSettingsWithDefaults(t *testing.T) {
	var out bytes.Buffer
	_, err := parseOptions([]string{"--help"}, envOf(nil), &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"--addr (COMMONPAD_ADDR)", `":8080"`, "--data (COMMONPAD_DATA)", `"./data"`, "COMMONPAD_MAX_MESSAGE_BYTES", "COMMONPAD_UPDATES_PER_SECOND"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
}

func TestShutdownClosesSocketsAndKeepsData(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--data", dir, "--log-level", "error"}, envOf(nil), &bytes.Buffer{}, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run: %v", err)
	}
	pad := uuid.NewString()
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws/"+pad, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	doc := crdt.NewDoc(crdt.Options{})
	doc.Transact(func(tx *crdt.Txn) { _ = doc.Text("t").Insert(tx, 0, "kept", nil) })
	if err := ws.WriteMessage(websocket.BinaryMessage, protocol.EncodeSyncUpdate(doc.EncodeStateAsUpdate(nil))); err != nil {
		t.Fatal(err)
	}
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for { // the echo means the update is stored
		_, b, err := ws.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		if m, _ := protocol.ReadMessage(b); m.Type == protocol.MessageSync && m.SyncType == protocol.SyncUpdate {
			break
		}
	}
	cancel()
	var ce *websocket.CloseError
	for {
		if _, _, err = ws.ReadMessage(); err != nil {
			break
		}
	}
	if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
		t.Fatalf("socket ended with %v, want close 1001", err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("shutdown did not finish")
	}
	st, err := boltstore.Open(dir+"/commonpad.db", boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	snap, err := st.Load(context.Background(), pad)
	if err != nil {
		t.Fatal(err)
	}
	if snap.State == nil || len(snap.Records) != 0 {
		t.Fatalf("after shutdown: state %d bytes, %d records; want a snapshot", len(snap.State), len(snap.Records))
	}
	re := crdt.NewDoc(crdt.Options{})
	if err := re.ApplyUpdate(snap.State); err != nil || re.Text("t").String() != "kept" {
		t.Fatalf("snapshot holds %q (%v)", re.Text("t").String(), err)
	}
}

func TestFrameAncestorsReachPadEmbedsAndNotePages(t *testing.T) {
	if _, err := parseOptions([]string{"--frame-ancestors", "https://ok.example,javascript:alert(1)"}, envOf(nil), &bytes.Buffer{}); err == nil {
		t.Error("a frame ancestor that is not an origin was accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	env := envOf(map[string]string{"COMMONPAD_FRAME_ANCESTORS": "https://groupe.example, https://*.asso.example:8443"})
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--data", t.TempDir(), "--log-level", "error"}, env, &bytes.Buffer{}, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run: %v", err)
	}
	base := "http://" + addr
	resp, err := http.Post(base+"/api/pads", "application/json", strings.NewReader(`{"title":"Atelier"}`))
	if err != nil {
		t.Fatal(err)
	}
	var pad struct{ ID string }
	_ = json.NewDecoder(resp.Body).Decode(&pad)
	resp.Body.Close()
	resp, err = http.Post(base+"/api/pads/"+pad.ID+"/publish", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	var note struct{ Slug string }
	_ = json.NewDecoder(resp.Body).Decode(&note)
	resp.Body.Close()
	want := "frame-ancestors https://groupe.example https://*.asso.example:8443"
	for _, path := range []string{"/p/" + pad.ID + "/embed", "/n/" + note.Slug} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if csp := resp.Header.Get("Content-Security-Policy"); resp.StatusCode != http.StatusOK || !strings.HasSuffix(csp, want) {
			t.Errorf("%s: %d, policy %q; want it to end with %q", path, resp.StatusCode, csp, want)
		}
	}
	cancel()
	<-done
}
