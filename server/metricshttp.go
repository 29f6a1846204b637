package server

import (
	"bufio"
	"math"
	"net/http"
	"strconv"
	"sync/atomic"
)

// serveMetrics writes the Prometheus text exposition format (version
// 0.0.4) by hand: the format is a few lines per metric, and the official
// client library would be the server's largest dependency.
func (s *Server) serveMetrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	m := s.metrics
	p := promWriter{w: bw}

	p.header("commonpad_connections", "gauge", "WebSocket connections open now.")
	p.sample("commonpad_connections", "", "", strconv.FormatInt(m.connections.Load(), 10))
	p.header("commonpad_open_pads", "gauge", "Pads loaded in a room now.")
	p.sample("commonpad_open_pads", "", "", strconv.Itoa(s.hub.openRooms()))

	p.counters("commonpad_messages_received_total", "Protocol messages received, by type.", "type", kindNames[:], m.msgsIn[:])
	p.counters("commonpad_message_bytes_received_total", "Bytes of protocol messages received, by type.", "type", kindNames[:], m.bytesIn[:])
	p.counters("commonpad_messages_sent_total", "Protocol messages written to sockets, by type.", "type", kindNames[:], m.msgsOut[:])
	p.counters("commonpad_message_bytes_sent_total", "Bytes of protocol messages written to sockets, by type.", "type", kindNames[:], m.bytesOut[:])
	p.counters("commonpad_rejected_messages_total", "Messages refused, by reason; all but read_only close their connection.", "reason", rejectNames[:], m.rejected[:])
	p.counters("commonpad_refused_connections_total", "WebSockets closed right after the upgrade, by reason.", "reason", refuseNames[:], m.refused[:])
	p.header("commonpad_slow_consumer_disconnects_total", "counter", "Connections closed because they could not keep up (4008).")
	p.sample("commonpad_slow_consumer_disconnects_total", "", "", strconv.FormatUint(m.slowConsumers.Load(), 10))
	p.counters("commonpad_store_errors_total", "Failed store calls, by operation.", "op", storeOpNames[:], m.storeErrors[:])

	p.histogram("commonpad_update_apply_seconds", "Time to apply one coalescing window of updates to a pad.", m.applySeconds)
	p.histogram("commonpad_update_batch_size", "Updates merged into one stored and broadcast update.", m.windowUpdates)
	p.histogram("commonpad_store_append_seconds", "Time of one store append (one fsync).", m.appendSeconds)
	p.histogram("commonpad_store_append_batch_size", "Records written by one store append.", m.appendRecords)
}

type promWriter struct{ w *bufio.Writer }

func (p promWriter) header(name, typ, help string) {
	p.w.WriteString("# HELP " + name + " " + help + "\n# TYPE " + name + " " + typ + "\n")
}

// sample writes one line; label values here are fixed identifiers that
// need no escaping.
func (p promWriter) sample(name, label, value, v string) {
	p.w.WriteString(name)
	if label != "" {
		p.w.WriteString("{" + label + "=\"" + value + "\"}")
	}
	p.w.WriteByte(' ')
	p.w.WriteString(v)
	p.w.WriteByte('\n')
}

func (p promWriter) counters(name, help, label string, values []string, c []atomic.Uint64) {
	p.header(name, "counter", help)
	for i := range c {
		p.sample(name, label, values[i], strconv.FormatUint(c[i].Load(), 10))
	}
}

// histogram writes cumulative buckets; _count is their total, so a scrape
// is consistent even while observations race with it.
func (p promWriter) histogram(name, help string, h *histogram) {
	p.header(name, "histogram", help)
	var cum uint64
	for i := range h.counts {
		cum += h.counts[i].Load()
		le := "+Inf"
		if i < len(h.bounds) {
			le = formatFloat(h.bounds[i])
		}
		p.sample(name+"_bucket", "le", le, strconv.FormatUint(cum, 10))
	}
	p.sample(name+"_sum", "", "", formatFloat(math.Float64frombits(h.sumBits.Load())))
	p.sample(name+"_count", "", "", strconv.FormatUint(cum, 10))
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
