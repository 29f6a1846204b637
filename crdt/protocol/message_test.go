package protocol

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// Messages of the captured y-websocket transcript (design digest 9.2).
const (
	transcriptStep1Empty   = "00 00 01 00"
	transcriptStep2Empty   = "00 01 02 00 00"
	transcriptAwareness0   = "01 06 01 01 00 02 7b 7d"
	transcriptAwarenessA   = "01 19 01 01 01 15 7b 22 75 73 65 72 22 3a 7b 22 6e 61 6d 65 22 3a 22 41 22 7d 7d"
	transcriptUpdateHi     = "00 02 0c 01 01 01 00 04 01 01 74 02 68 69 00"
	transcriptStep1SV      = "00 00 03 01 01 02"
	transcriptStep2Hi      = "00 01 0c 01 01 01 00 04 01 01 74 02 68 69 00"
	transcriptAwareness2   = "01 06 01 02 00 02 7b 7d"
	transcriptAwarenessOff = "01 08 01 01 01 04 6e 75 6c 6c"
)

func TestTranscriptMessages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		hex     string
		encode  func(payload []byte) []byte
		typ     uint64
		sync    uint64
		payload string
	}{
		{"step1 empty sv", transcriptStep1Empty, EncodeSyncStep1, MessageSync, SyncStep1, "00"},
		{"step2 empty update", transcriptStep2Empty, EncodeSyncStep2, MessageSync, SyncStep2, "00 00"},
		{"step1 sv {1:2}", transcriptStep1SV, EncodeSyncStep1, MessageSync, SyncStep1, "01 01 02"},
		{"step2 whole doc", transcriptStep2Hi, EncodeSyncStep2, MessageSync, SyncStep2, "01 01 01 00 04 01 01 74 02 68 69 00"},
		{"update hi", transcriptUpdateHi, EncodeSyncUpdate, MessageSync, SyncUpdate, "01 01 01 00 04 01 01 74 02 68 69 00"},
		{"awareness clock 0", transcriptAwareness0, EncodeAwareness, MessageAwareness, 0, "01 01 00 02 7b 7d"},
		{"awareness off", transcriptAwarenessOff, EncodeAwareness, MessageAwareness, 0, "01 01 01 04 6e 75 6c 6c"},
	} {
		in := unhex(t, tc.hex)
		m, err := ReadMessage(in)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		want := unhex(t, tc.payload)
		if m.Type != tc.typ || m.SyncType != tc.sync || !bytes.Equal(m.Payload, want) {
			t.Errorf("%s: got %+v, want type %d sync %d payload % x", tc.name, m, tc.typ, tc.sync, want)
		}
		if got := tc.encode(want); !bytes.Equal(got, in) {
			t.Errorf("%s: encoded % x, want % x", tc.name, got, in)
		}
	}
}

func TestAuthAndQueryAwareness(t *testing.T) {
	t.Parallel()
	b := EncodePermissionDenied("no")
	if want := unhex(t, "02 00 02 6e 6f"); !bytes.Equal(b, want) {
		t.Fatalf("EncodePermissionDenied = % x, want % x", b, want)
	}
	m, err := ReadMessage(b)
	if err != nil || m.Type != MessageAuth || m.AuthType != AuthPermissionDenied || m.Reason != "no" {
		t.Errorf("ReadMessage(permission denied) = %+v, %v", m, err)
	}
	if m, err := ReadMessage(EncodePermissionDenied("a\xffb")); err != nil || m.Reason != "a\uFFFDb" {
		t.Errorf("invalid utf-8 reason: %+v, %v", m, err)
	}
	if m, err := ReadMessage(unhex(t, "02 05")); err != nil || m.AuthType != 5 || m.Reason != "" {
		t.Errorf("unknown auth type: %+v, %v", m, err)
	}
	q := EncodeQueryAwareness()
	if m, err := ReadMessage(q); !bytes.Equal(q, []byte{3}) || err != nil || m.Type != MessageQueryAwareness {
		t.Errorf("query awareness % x: %+v, %v", q, m, err)
	}
}

func TestReadMessageLenient(t *testing.T) {
	t.Parallel()
	// Trailing bytes are ignored, as y-websocket's reader ignores them.
	m, err := ReadMessage(unhex(t, transcriptStep1Empty+"ff ff"))
	if err != nil || !bytes.Equal(m.Payload, []byte{0}) {
		t.Errorf("trailing bytes: %+v, %v", m, err)
	}
	// Unknown top-level types are handed back for the caller to ignore.
	m, err = ReadMessage(unhex(t, "80 01 09 08"))
	if err != nil || m.Type != 128 || !bytes.Equal(m.Payload, []byte{9, 8}) {
		t.Errorf("unknown type: %+v, %v", m, err)
	}
}

func TestReadMessageErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		hex   string
		want  error
		cause error
	}{
		{"empty", "", ErrMalformed, lib0.ErrUnexpectedEOF},
		{"sync without type", "00", ErrMalformed, lib0.ErrUnexpectedEOF},
		{"unknown sync type", "00 03 00", ErrUnknownSyncType, nil},
		{"sync payload past end", "00 02 05 00", ErrMalformed, lib0.ErrUnexpectedEOF},
		{"awareness without payload", "01", ErrMalformed, lib0.ErrUnexpectedEOF},
		{"auth without type", "02", ErrMalformed, lib0.ErrUnexpectedEOF},
		{"reason bad utf-8", "02 00 01 ff", ErrMalformed, lib0.ErrInvalidUTF8},
		{"type overflow", "ff ff ff ff ff ff ff ff 7f", ErrMalformed, lib0.ErrIntOverflow},
	} {
		_, err := ReadMessage(unhex(t, tc.hex))
		if !errors.Is(err, tc.want) || (tc.cause != nil && !errors.Is(err, tc.cause)) {
			t.Errorf("%s: err = %v, want %v (%v)", tc.name, err, tc.want, tc.cause)
		}
	}
	if m, _ := ReadMessage(unhex(t, "00 07")); m.Type != MessageSync || m.SyncType != 7 {
		t.Errorf("unknown sync type not reported: %+v", m)
	}
}

func TestEncodersReturnFreshSlices(t *testing.T) {
	t.Parallel()
	a := EncodeSyncUpdate([]byte{1})
	b := EncodeSyncUpdate([]byte{2})
	a[len(a)-1] = 9
	if b[len(b)-1] != 2 {
		t.Fatal("encoders share a buffer")
	}
}
