// Command commonpad runs the commonpad server: one binary and one bbolt
// file, or with --redis, one of several instances sharing pads through Redis.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/commonpad/commonpad/server"
	"github.com/commonpad/commonpad/server/store/boltstore"
	"github.com/commonpad/commonpad/static"
	"github.com/rs/zerolog"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stderr, nil)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func newLogger(w io.Writer, level string) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil {
		return zerolog.Logger{}, fmt.Errorf("commonpad: log level: %w", err)
	}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			w = zerolog.ConsoleWriter{Out: f, TimeFormat: time.TimeOnly}
		}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
}

// run serves until ctx ends, then shuts down within the shutdown timeout.
// ready, if not nil, receives the listening address.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready chan<- string) error {
	o, err := parseOptions(args, getenv, stderr)
	if err != nil {
		return err
	}
	log, err := newLogger(stderr, o.logLevel)
	if err != nil {
		return err
	}
	var (
		closeStore func() error
		where      string
	)
	if o.redisURL != "" {
		rb, err := openRedis(o.redisURL, log)
		if err != nil {
			return err
		}
		o.cfg.Store, o.cfg.Bus, closeStore, where = rb.store, rb.bus, rb.Close, "redis"
	} else {
		if err := os.MkdirAll(o.data, 0o755); err != nil {
			return fmt.Errorf("commonpad: data directory: %w", err)
		}
		st, err := boltstore.Open(o.dbPath(), boltstore.Options{})
		if err != nil {
			return fmt.Errorf("commonpad: open store: %w", err)
		}
		o.cfg.Store, closeStore, where = st, st.Close, o.dbPath()
	}
	closed := false
	defer func() {
		if !closed {
			_ = closeStore()
		}
	}()
	o.cfg.Log = log
	o.cfg.Pages = static.Handler(static.Config{PublicURL: o.cfg.PublicURL, FrameAncestors: o.frameAncestors})
	if len(o.frameAncestors) > 0 {
		o.cfg.NoteFrameAncestors = static.FrameAncestorsSource(o.frameAncestors)
	}
	srv, err := server.New(o.cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("commonpad: listen: %w", err)
	}
	if o.debugAddr != "" {
		_, stopDebug, err := serveDebug(o.debugAddr, log)
		if err != nil {
			return err
		}
		defer stopDebug()
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	log.Info().Str("addr", ln.Addr().String()).Str("store", where).Msg("commonpad listening")
	if ready != nil {
		ready <- ln.Addr().String()
	}

	select {
	case err := <-served:
		return fmt.Errorf("commonpad: serve: %w", err)
	case <-ctx.Done():
	}
	log.Info().Msg("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	// Stop accepting first; WebSockets are hijacked, so srv closes them.
	if err := hs.Shutdown(sctx); err != nil {
		log.Warn().Err(err).Msg("http shutdown")
	}
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn().Err(err).Msg("pads did not all close in time")
	}
	closed = true
	if err := closeStore(); err != nil {
		return fmt.Errorf("commonpad: close store: %w", err)
	}
	log.Info().Msg("stopped")
	return nil
}
