package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/commonpad/commonpad/server"
	"github.com/commonpad/commonpad/static"
)

// options is everything the binary can be told, by flag or environment.
type options struct {
	addr            string
	data            string
	logLevel        string
	shutdownTimeout time.Duration
	cfg             server.Config
	origins         string
	frameAncestors  []string
	redisURL        string
	debugAddr       string
}

// envPrefix names the environment variable of each flag: --max-queue-bytes
// is COMMONPAD_MAX_QUEUE_BYTES.
const envPrefix = "COMMONPAD_"

func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseOptions reads flags from args and fills the rest from getenv; a flag
// given on the command line beats its variable.
func parseOptions(args []string, getenv func(string) string, out io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("commonpad", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.addr, "addr", ":8080", "listen address")
	fs.StringVar(&o.data, "data", "./data", "data directory (holds commonpad.db)")
	fs.StringVar(&o.redisURL, "redis", "", redisURLForms)
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.StringVar(&o.debugAddr, "debug-addr", "", "address of a separate listener serving Go's /debug/pprof/ profiles, e.g. 127.0.0.1:6060 (empty: none; never expose it publicly)")
	fs.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long shutdown may take before the process exits anyway")
	fs.StringVar(&o.cfg.PublicURL, "public-url", "", "scheme and host used in returned pad URLs (empty: from each request)")
	fs.Int64Var(&o.cfg.MaxMessageBytes, "max-message-bytes", server.DefaultMaxMessageBytes, "largest WebSocket message accepted (close 1009 above)")
	fs.Int64Var(&o.cfg.MaxPadBytes, "max-pad-bytes", server.DefaultMaxPadBytes, "stored size of one pad (snapshot plus updates since); updates past it close 4413")
	fs.IntVar(&o.cfg.MaxQueueBytes, "max-queue-bytes", server.DefaultMaxQueueBytes, "send backlog per connection before it is closed as a slow consumer (4008)")
	fs.IntVar(&o.cfg.MaxConnsPerPad, "max-conns-per-pad", server.DefaultMaxConnsPerPad, "connections per pad (close 1013 above)")
	fs.StringVar(&o.origins, "allowed-origins", "", "comma-separated Origins allowed to open WebSockets; empty: same origin and none; * : all")
	fs.Func("frame-ancestors", "comma-separated sites (https://site.example) that may embed pads and notes in an iframe; empty: any site", func(v string) error {
		o.frameAncestors = nil
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			if static.FrameAncestorsSource([]string{s}) == "*" {
				return fmt.Errorf("%q is not an http(s) origin such as https://site.example", s)
			}
			o.frameAncestors = append(o.frameAncestors, s)
		}
		return nil
	})
	fs.Float64Var(&o.cfg.UpdatesPerSecond, "updates-per-second", server.DefaultUpdatesPerSecond, "updates per second per connection (close 4029 above); negative: no limit")
	fs.IntVar(&o.cfg.PostitsPerMinute, "postits-per-minute", server.DefaultPostitsPerMinute, "post-its one client address may send per minute (429 above); negative: no limit")
	fs.IntVar(&o.cfg.MaxNoteAuthors, "max-note-authors", server.DefaultMaxNoteAuthors, "names a published note lists at most, first writers first")
	fs.BoolVar(&o.cfg.NoAutoCreate, "no-auto-create", false, "refuse WebSockets for unknown pads instead of creating them")
	fs.DurationVar(&o.cfg.PingPeriod, "ping-period", server.DefaultPingPeriod, "WebSocket ping interval; silent peers are closed after two")
	fs.DurationVar(&o.cfg.UnloadGrace, "unload-grace", server.DefaultUnloadGrace, "how long a pad without connections stays loaded")
	fs.DurationVar(&o.cfg.CoalesceWindow, "coalesce-window", server.DefaultCoalesceWindow, "shortest time between two stores and broadcasts of a pad; updates closer together are sent as one")
	fs.IntVar(&o.cfg.MaxBatch, "max-batch", server.DefaultMaxBatch, "updates merged into one stored record at most")
	fs.DurationVar(&o.cfg.WriteWait, "write-wait", server.DefaultWriteWait, "longest socket write before the peer is dropped as a slow consumer")
	fs.DurationVar(&o.cfg.StoreTimeout, "store-timeout", server.DefaultStoreTimeout, "bound on each store call, retries of a failed append included")
	fs.Int64Var(&o.cfg.CompactBytes, "compact-bytes", server.DefaultCompactBytes, "record bytes after which a loaded pad is snapshotted (and at least its snapshot's size); negative: only on unload")
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: commonpad [flags]\n\nEvery flag can also be set by its environment variable; the flag wins.\n\n")
		fs.VisitAll(func(f *flag.Flag) {
			fmt.Fprintf(out, "  --%s (%s)\n    \t%s (default %q)\n", f.Name, envName(f.Name), f.Usage, f.DefValue)
		})
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("commonpad: unexpected arguments %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		if v := getenv(envName(f.Name)); v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("commonpad: %s=%q: %w", envName(f.Name), v, e)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if o.redisURL == "" {
		o.redisURL = getenv("REDIS_URL")
	}
	for _, s := range strings.Split(o.origins, ",") {
		if s = strings.TrimSpace(s); s != "" {
			o.cfg.AllowedOrigins = append(o.cfg.AllowedOrigins, s)
		}
	}
	return o, nil
}

func (o *options) dbPath() string { return filepath.Join(o.data, "commonpad.db") }
