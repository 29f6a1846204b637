package server

import (
	"bytes"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt/protocol"
)

func TestFailedLoadRefusesAndNeverWrites(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.UnloadGrace = 10 * time.Millisecond })
	pad := newPadID()
	garbage := []byte{0x07, 0xff, 0x00, 0x13}
	if _, err := e.st.Append(t.Context(), pad, "test", garbage); err != nil {
		t.Fatal(err)
	}
	c := e.dial(pad, nil)
	if code := c.closed(); code != closeInternal {
		t.Fatalf("closed with %d, want %d", code, closeInternal)
	}
	time.Sleep(30 * time.Millisecond) // longer than the grace: no snapshot may appear
	snap, err := e.st.Load(t.Context(), pad)
	if err != nil {
		t.Fatal(err)
	}
	if snap.State != nil || len(snap.Records) != 1 || !bytes.Equal(snap.Records[0].Update, garbage) {
		t.Fatalf("unreadable pad was written: state %d bytes, %d records", len(snap.State), len(snap.Records))
	}
	if n := e.srv.OpenPads(); n != 0 {
		t.Fatalf("failed room still registered: %d", n)
	}
}

func TestSilentPeerIsClosedAndItsAwarenessRemoved(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PingPeriod = 40 * time.Millisecond })
	pad := newPadID()
	// The dead peer never reads, so it never answers a ping.
	dead, err := e.tryDial(pad, nil, smallBufDialer, 0)
	if err != nil {
		t.Fatal(err)
	}
	dead.write(protocol.EncodeAwareness(protocol.EncodeAwarenessUpdate([]protocol.AwarenessEntry{
		{ClientID: 9, Clock: 1, State: `{"n":"dead"}`},
	})))
	live := e.dial(pad, nil)
	live.until("dead peer's state", func() bool { return lastAwareness(live, 9) == `{"n":"dead"}` })
	live.until("dead peer's removal", func() bool { return lastAwareness(live, 9) == "null" })
}
