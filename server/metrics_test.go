package server

import (
	"bufio"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/commonpad/commonpad/crdt/protocol"
)

// scrape reads /metrics and checks it is well-formed exposition text: every
// sample belongs to a family declared with HELP and TYPE, every value
// parses, and histogram buckets are cumulative up to _count.
func (e *testEnv) scrape() map[string]float64 {
	e.t.Helper()
	resp, err := http.Get(e.http.URL + "/metrics")
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		e.t.Fatalf("GET /metrics: %s, %q", resp.Status, resp.Header.Get("Content-Type"))
	}
	samples := map[string]float64{}
	types := map[string]string{}
	helped := map[string]bool{}
	buckets := map[string][]float64{} // in the order written
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "# HELP "); ok {
			helped[strings.Fields(rest)[0]] = true
			continue
		}
		if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			f := strings.Fields(rest)
			types[f[0]] = f[1]
			continue
		}
		key, val, ok := strings.Cut(line, " ")
		if !ok {
			e.t.Fatalf("malformed sample line %q", line)
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			e.t.Fatalf("sample %q: %v", line, err)
		}
		family, _, _ := strings.Cut(key, "{")
		base := family
		if types[family] == "" {
			for _, suf := range []string{"_bucket", "_sum", "_count"} {
				if b, ok := strings.CutSuffix(family, suf); ok && types[b] == "histogram" {
					base = b
				}
			}
		}
		if types[base] == "" || !helped[base] {
			e.t.Fatalf("sample %q has no TYPE and HELP", line)
		}
		if family == base+"_bucket" {
			buckets[base] = append(buckets[base], v)
		}
		if _, dup := samples[key]; dup {
			e.t.Fatalf("sample %q repeated", key)
		}
		samples[key] = v
	}
	for name, typ := range types {
		if typ != "histogram" {
			continue
		}
		last := buckets[name][len(buckets[name])-1]
		if !slices.IsSorted(buckets[name]) || last != samples[name+`_bucket{le="+Inf"}`] || last != samples[name+"_count"] {
			e.t.Fatalf("%s: buckets %v, count %v", name, buckets[name], samples[name+"_count"])
		}
	}
	return samples
}

// wantMetric waits until the sample key has the value want. It waits
// because a peer can see its close frame before the server counts why:
// the websocket library itself answers an oversized frame, for one.
func (e *testEnv) wantMetric(key string, want float64) {
	e.t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		got, ok := e.scrape()[key]
		if ok && got == want {
			return
		}
		if time.Now().After(deadline) {
			e.t.Errorf("%s = %v (present %v), want %v", key, got, ok, want)
			return
		}
		sleepBriefly()
	}
}

func TestMetricsMoveWithTraffic(t *testing.T) {
	e := newEnv(t, nil)
	before := e.scrape()
	if before["commonpad_connections"] != 0 || before["commonpad_open_pads"] != 0 {
		t.Fatalf("idle server reports %v connections and %v pads", before["commonpad_connections"], before["commonpad_open_pads"])
	}
	p := e.createPad("m")
	a, b := e.dial(p.ID, nil), e.dial(p.ID, nil)
	a.synced()
	b.synced()
	for i := range 5 {
		a.insert(i, "m")
	}
	a.echoed()
	b.waitText("mmmmm")
	ro := e.dial(p.ReadOnlyID, nil)
	ro.synced()
	ro.write(protocol.EncodeSyncUpdate(a.doc.EncodeStateAsUpdate(nil)))
	ro.until("permission denied", func() bool {
		for _, m := range ro.seen {
			if m.Type == protocol.MessageAuth {
				return true
			}
		}
		return false
	})
	bad := e.dial(p.ID, nil)
	bad.write([]byte{0x00, 0x02, 0x09}) // a sync update shorter than its length says
	if code := bad.closed(); code != closeInvalidData {
		t.Fatalf("bad client closed with %d", code)
	}

	m := e.scrape()
	if m["commonpad_open_pads"] != 1 {
		t.Errorf("open pads = %v, want 1", m["commonpad_open_pads"])
	}
	if got := m["commonpad_connections"]; got < 3 || got > 4 { // bad may not be gone yet
		t.Errorf("connections = %v, want 3", got)
	}
	moved := []string{
		`commonpad_messages_received_total{type="sync_update"}`,
		`commonpad_message_bytes_received_total{type="sync_update"}`,
		`commonpad_messages_received_total{type="sync_step1"}`,
		`commonpad_messages_sent_total{type="sync_update"}`,
		`commonpad_message_bytes_sent_total{type="sync_update"}`,
		`commonpad_messages_sent_total{type="sync_step2"}`,
		`commonpad_messages_sent_total{type="auth"}`,
		`commonpad_rejected_messages_total{reason="read_only"}`,
		`commonpad_rejected_messages_total{reason="malformed"}`,
		"commonpad_update_apply_seconds_count",
		"commonpad_update_batch_size_count",
		"commonpad_store_append_seconds_count",
		"commonpad_store_append_batch_size_count",
		"commonpad_update_apply_seconds_sum",
		"commonpad_store_append_seconds_sum",
	}
	for _, k := range moved {
		if m[k] <= before[k] {
			t.Errorf("%s stayed at %v", k, m[k])
		}
	}
	// Every update received and not refused went into exactly one batch.
	received := m[`commonpad_messages_received_total{type="sync_update"}`] + m[`commonpad_messages_received_total{type="sync_step2"}`]
	if got, want := m["commonpad_update_batch_size_sum"], received-m[`commonpad_rejected_messages_total{reason="read_only"}`]; got != want {
		t.Errorf("batch sizes sum to %v, want %v", got, want)
	}
	if m["commonpad_store_append_batch_size_sum"] < 1 {
		t.Errorf("no record appended")
	}
}
