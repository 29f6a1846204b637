package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"testing"
	"time"
)

// TestLargePadSync fills a pad with a megabyte of text in thousands of
// items, with multi-byte characters and surrogate pairs, and checks that a
// new client gets exactly that text, and the same state vector, in bounded
// time.
func TestLargePadSync(t *testing.T) {
	t.Parallel()
	const (
		chunks, chunkLen, perTxn = 4096, 256, 256
		syncBound                = 10 * time.Second
	)
	srv := startServer(t)
	pad := srv.createPad(t)
	w := startDriver(t, "writer", 60*time.Second).open(t, "w", srv, pad.ID, openOpts{wait: true})
	var filled clientState
	w.d.send(t, "fill", w.args("chunks", chunks, "chunkLen", chunkLen, "perTxn", perTxn)).wait(t, 30*time.Second, &filled)
	if filled.TextUnits != chunks*chunkLen {
		t.Fatalf("writer has %d UTF-16 units, want %d", filled.TextUnits, chunks*chunkLen)
	}

	start := time.Now()
	var stored string
	eventually(t, 20*time.Second, "server stores the whole text", func() (bool, string) {
		stored = srv.padText(t, pad.ID)
		sum := sha256.Sum256([]byte(stored))
		return hex.EncodeToString(sum[:]) == filled.TextSHA256, "stored text differs from the writer's"
	})
	t.Logf("text of %d bytes (%d UTF-16 units) stored %v after the fill", len(stored), filled.TextUnits, time.Since(start).Round(time.Millisecond))
	if len(stored) < 1<<20 {
		t.Fatalf("stored text is %d bytes, want at least 1 MiB", len(stored))
	}

	var opened struct {
		SyncMs int `json:"syncMs"`
	}
	rd := startDriver(t, "reader", 60*time.Second)
	rd.send(t, "open", map[string]any{"client": "r", "url": srv.wsURL(), "room": pad.ID, "wait": true, "timeoutMs": 30000, "empty": true}).
		wait(t, 35*time.Second, &opened)
	r := client{d: rd, name: "r"}
	got := r.state(t)
	t.Logf("new client synced the pad in %d ms", opened.SyncMs)
	if got.TextSHA256 != filled.TextSHA256 || got.TextUnits != filled.TextUnits {
		t.Fatalf("new client's text: %d units sha256 %s, want %d units %s", got.TextUnits, got.TextSHA256, filled.TextUnits, filled.TextSHA256)
	}
	if want := w.state(t).SV; !maps.Equal(got.SV, want) || got.Pending {
		t.Fatalf("new client's state vector %v (pending %v), want %v", got.SV, got.Pending, want)
	}
	if d := time.Duration(opened.SyncMs) * time.Millisecond; d > syncBound {
		t.Errorf("sync took %v, over the %v bound", d, syncBound)
	}
	noCloses(t, []client{w, r}, []clientState{filled, got})
}
