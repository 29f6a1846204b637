package protocol

import (
	"bytes"
	"slices"
	"testing"
)

func FuzzReadMessage(f *testing.F) {
	for _, m := range []string{transcriptStep1Empty, transcriptStep2Empty, transcriptAwareness0, transcriptAwarenessA,
		transcriptUpdateHi, transcriptStep1SV, transcriptStep2Hi, transcriptAwareness2, transcriptAwarenessOff,
		"02 00 02 6e 6f", "03", "00 03 00", "80 01 09", "02 00 01 ff"} {
		f.Add(unhex(f, m))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := ReadMessage(in)
		if err != nil {
			return
		}
		var again []byte
		switch m.Type {
		case MessageSync:
			again = [...]func([]byte) []byte{EncodeSyncStep1, EncodeSyncStep2, EncodeSyncUpdate}[m.SyncType](m.Payload)
		case MessageAwareness:
			again = EncodeAwareness(m.Payload)
		case MessageAuth:
			if m.AuthType != AuthPermissionDenied {
				return
			}
			again = EncodePermissionDenied(m.Reason)
		case MessageQueryAwareness:
			again = EncodeQueryAwareness()
		default:
			return
		}
		m2, err := ReadMessage(again)
		if err != nil {
			t.Fatalf("re-encoded message does not decode: %v\n% x", err, again)
		}
		if m2.Type != m.Type || m2.SyncType != m.SyncType || m2.AuthType != m.AuthType || m2.Reason != m.Reason || !bytes.Equal(m2.Payload, m.Payload) {
			t.Fatalf("round trip:\n%+v\n%+v", m, m2)
		}
	})
}

func FuzzAwarenessUpdate(f *testing.F) {
	for _, m := range []string{transcriptAwareness0, transcriptAwarenessA, transcriptAwarenessOff} {
		f.Add(unhex(f, m)[2:])
	}
	f.Add(update(AwarenessEntry{1, 3, "null"}, AwarenessEntry{1, 3, `{"a":[1,{"b":null}]}`}, AwarenessEntry{1, 3, "null"}))
	f.Add(update(AwarenessEntry{2, 1, "false"}, AwarenessEntry{2, 2, " 1e400 "}, AwarenessEntry{3, 9, `"\ud800"`}))
	f.Fuzz(func(t *testing.T, in []byte) {
		entries, err := DecodeAwarenessUpdate(in)
		var a Awareness
		ch, applyErr := a.ApplyAt(in, t0)
		if (err == nil) != (applyErr == nil) {
			t.Fatalf("DecodeAwarenessUpdate err %v, Apply err %v", err, applyErr)
		}
		if err != nil {
			return
		}
		again, err := DecodeAwarenessUpdate(EncodeAwarenessUpdate(entries))
		if err != nil || !slices.Equal(again, entries) {
			t.Fatalf("round trip: %v\n%v\n%v", err, entries, again)
		}
		if n := a.Len(); n != len(a.States()) || n != len(a.Clients()) {
			t.Fatalf("Len %d, States %d, Clients %d", n, len(a.States()), len(a.Clients()))
		}
		// What the server broadcasts must be acceptable to every peer.
		if !ch.Empty() {
			if _, err := DecodeAwarenessUpdate(a.Encode(ch.Clients())); err != nil {
				t.Fatalf("broadcast does not decode: %v", err)
			}
		}
		// Clocks never go back, so applying the same update again is a no-op.
		if ch2, err := a.ApplyAt(in, t0); err != nil || !ch2.Empty() {
			t.Fatalf("second apply: %+v, %v", ch2, err)
		}
	})
}
