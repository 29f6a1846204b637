package server

import (
	"net/http"
	"time"

	"github.com/rs/zerolog"
)

// Defaults for the zero fields of Config.
const (
	DefaultMaxMessageBytes  = 8 << 20
	DefaultMaxQueueBytes    = 16 << 20
	DefaultMaxPadBytes      = 64 << 20
	DefaultMaxConnsPerPad   = 256
	DefaultUpdatesPerSecond = 200
	DefaultPingPeriod       = 30 * time.Second
	DefaultWriteWait        = 10 * time.Second
	DefaultUnloadGrace      = 30 * time.Second
	DefaultCoalesceWindow   = 5 * time.Millisecond
	DefaultMaxBatch         = 256
	DefaultStoreTimeout     = 10 * time.Second
	DefaultCompactBytes     = 1 << 20
	DefaultPostitsPerMinute = 10
	DefaultMaxNoteAuthors   = 200
)

// Config configures a Server. Every zero field means its documented default,
// so Config{Store: s} is a working server.
type Config struct {
	// Store keeps pad logs and metadata. Required.
	Store Store
	// Bus, if set, relays awareness to the other instances that share
	// Store, and makes every open room follow its pad's log for their
	// records. Leave it nil when this server is the store's only writer.
	Bus Bus
	// Log receives the server's logs. The zero Logger discards them.
	Log zerolog.Logger
	// PublicURL is the scheme and host used in the URLs the API returns
	// ("https://pads.example"). Empty derives it from each request.
	PublicURL string
	// Pages, if set, serves every request the server's own routes do not
	// match: the web client.
	Pages http.Handler
	// NoteFrameAncestors is the Content-Security-Policy frame-ancestors
	// source list of the note pages, which groups embed in their sites
	// ("https://a.example https://b.example"). Empty means "*": a note
	// page offers nothing to click that could be abused in a frame.
	NoteFrameAncestors string

	// MaxMessageBytes caps one incoming WebSocket message; a larger one
	// closes the connection with 1009. Default DefaultMaxMessageBytes.
	MaxMessageBytes int64
	// MaxQueueBytes caps the bytes waiting to be sent to one connection; a
	// connection that falls further behind is closed with 4008. Default
	// DefaultMaxQueueBytes.
	MaxQueueBytes int
	// MaxPadBytes caps a pad's stored size: its snapshot plus the updates
	// appended since, which over-counts what a new snapshot would take. An
	// update that would pass it closes its connection with 4413 and is not
	// applied. Default DefaultMaxPadBytes.
	MaxPadBytes int64
	// MaxConnsPerPad caps the connections to one pad; more are closed with
	// 1013. Default DefaultMaxConnsPerPad.
	MaxConnsPerPad int
	// AllowedOrigins lists the Origin header values accepted on WebSocket
	// upgrades. Empty accepts requests without Origin and same-origin
	// requests; "*" accepts every origin.
	AllowedOrigins []string
	// UpdatesPerSecond is the sustained rate of document updates one
	// connection may send, with a burst of the same size; exceeding it
	// closes the connection with 4029. Default DefaultUpdatesPerSecond;
	// negative disables the limit.
	UpdatesPerSecond float64
	// NoAutoCreate makes /ws/{id} refuse unknown pads (close 4404) instead
	// of creating them.
	NoAutoCreate bool
	// PostitsPerMinute is how many post-its one client address may send
	// through POST /api/pads/{id}/postits per minute, all at once at most;
	// more are answered 429. Default DefaultPostitsPerMinute; negative
	// disables the limit.
	PostitsPerMinute int
	// MaxNoteAuthors caps the names a published note lists, the first
	// writers by first contribution, so that a pad someone filled from
	// thousands of client ids still makes a readable page. Default
	// DefaultMaxNoteAuthors.
	MaxNoteAuthors int

	// PingPeriod is how often connections are pinged; a connection that
	// sends nothing, not even a pong, for two periods is closed. Default
	// DefaultPingPeriod.
	PingPeriod time.Duration
	// WriteWait bounds one socket write. Default DefaultWriteWait.
	WriteWait time.Duration
	// UnloadGrace is how long a room without connections stays loaded
	// before it writes a snapshot and unloads. Default DefaultUnloadGrace.
	UnloadGrace time.Duration
	// CoalesceWindow is the shortest time between two store appends (and
	// broadcasts) of a room: updates arriving closer together are stored
	// and sent as one, while one that follows a pause goes out at once.
	// Default DefaultCoalesceWindow; negative appends each burst as soon as
	// the room's inbox is empty.
	CoalesceWindow time.Duration
	// MaxBatch caps the updates in one append. Default DefaultMaxBatch.
	MaxBatch int
	// StoreTimeout bounds each store call; a failed append is retried with
	// backoff within it. Default DefaultStoreTimeout.
	StoreTimeout time.Duration
	// CompactBytes is how many bytes of records a loaded pad accumulates
	// before they are folded into a new snapshot; at least the snapshot's
	// own size accumulates first. Pads are also compacted when they
	// unload. Default DefaultCompactBytes; negative compacts only on
	// unload.
	CompactBytes int64
}

func (c Config) withDefaults() Config {
	if c.MaxMessageBytes <= 0 {
		c.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if c.MaxQueueBytes <= 0 {
		c.MaxQueueBytes = DefaultMaxQueueBytes
	}
	if c.MaxPadBytes <= 0 {
		c.MaxPadBytes = DefaultMaxPadBytes
	}
	if c.MaxConnsPerPad <= 0 {
		c.MaxConnsPerPad = DefaultMaxConnsPerPad
	}
	if c.UpdatesPerSecond == 0 {
		c.UpdatesPerSecond = DefaultUpdatesPerSecond
	}
	if c.PingPeriod <= 0 {
		c.PingPeriod = DefaultPingPeriod
	}
	if c.WriteWait <= 0 {
		c.WriteWait = DefaultWriteWait
	}
	if c.UnloadGrace <= 0 {
		c.UnloadGrace = DefaultUnloadGrace
	}
	if c.CoalesceWindow == 0 {
		c.CoalesceWindow = DefaultCoalesceWindow
	}
	if c.MaxBatch <= 0 {
		c.MaxBatch = DefaultMaxBatch
	}
	if c.StoreTimeout <= 0 {
		c.StoreTimeout = DefaultStoreTimeout
	}
	if c.CompactBytes == 0 {
		c.CompactBytes = DefaultCompactBytes
	}
	if c.PostitsPerMinute == 0 {
		c.PostitsPerMinute = DefaultPostitsPerMinute
	}
	if c.MaxNoteAuthors <= 0 {
		c.MaxNoteAuthors = DefaultMaxNoteAuthors
	}
	return c
}
