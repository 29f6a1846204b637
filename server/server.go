package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"
	"github.com/rs/zerolog"
)

// Server serves pads over WebSocket and HTTP. Create it with New.
type Server struct {
	cfg      Config
	log      zerolog.Logger
	hub      *hub
	mux      *http.ServeMux
	upgrader websocket.Upgrader
	origin   string // names this instance in store records
	metrics  *metrics

	postitLimits *postitLimiter

	conns sync.WaitGroup
}

// New returns a server for cfg; see Config for the defaults.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("server: Config.Store is required")
	}
	cfg = cfg.withDefaults()
	s := &Server{cfg: cfg, log: cfg.Log, origin: uuid.NewString(), metrics: newMetrics()}
	s.hub = &hub{srv: s, rooms: map[string]*room{}}
	s.postitLimits = newPostitLimiter(cfg.PostitsPerMinute)
	s.upgrader = websocket.Upgrader{
		ReadBufferSize:  4096,
		WriteBufferSize: 4096,
		CheckOrigin:     s.checkOrigin,
	}
	s.mux = http.NewServeMux()
	s.routes()
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *Server) routes() {
	s.mux.HandleFunc("GET /ws/{pad...}", s.serveWS)
	s.mux.HandleFunc("POST /api/pads", s.createPad)
	s.mux.HandleFunc("GET /api/pads/{id}", s.getPad)
	s.mux.HandleFunc("GET /api/pads/{id}/text", s.getPadText)
	s.mux.HandleFunc("POST /api/pads/{id}/postits", s.addPostit)
	s.mux.HandleFunc("POST /api/pads/{id}/publish", s.publish)
	s.mux.HandleFunc("GET /api/pads/{id}/publish", s.getPublishDraft)
	s.mux.HandleFunc("GET /api/pads/{id}/{file}", s.serveExport)
	s.mux.HandleFunc("GET /api/notes", s.apiListNotes)
	s.mux.HandleFunc("GET /api/notes/{slug}", s.apiGetNote)
	s.mux.HandleFunc("GET /api/notes/{slug}/v/{n}", s.apiGetVersion)
	s.mux.HandleFunc("GET /notes", s.serveNotesList)
	s.mux.HandleFunc("GET /notes.atom", s.serveFeed)
	s.mux.HandleFunc("GET /n/{slug}", s.serveNotePage)
	s.mux.HandleFunc("GET /n/{slug}/v/{n}", s.serveNotePage)
	s.mux.HandleFunc("GET /n/{slug}/v/{n}/{file}", s.serveNoteFile)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	s.mux.HandleFunc("GET /readyz", s.ready)
	s.mux.HandleFunc("GET /metrics", s.serveMetrics)
	if s.cfg.Pages != nil {
		s.mux.Handle("/", s.cfg.Pages)
	}
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.cfg.Store.ListPads(ctx, storeListOne); err != nil {
		http.Error(w, "store: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

func (s *Server) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if len(s.cfg.AllowedOrigins) == 0 {
		if origin == "" {
			return true
		}
		u, err := url.Parse(origin)
		return err == nil && strings.EqualFold(u.Host, r.Host)
	}
	for _, o := range s.cfg.AllowedOrigins {
		if o == "*" || strings.EqualFold(o, origin) {
			return true
		}
	}
	return false
}

// Shutdown stops taking connections, flushes and snapshots every open pad,
// closes its sockets with 1001, and waits for them until ctx ends. It does
// not close the store.
func (s *Server) Shutdown(ctx context.Context) error {
	rooms := s.hub.closeAll()
	for _, r := range rooms {
		select {
		case r.inbox <- roomMsg{kind: msgShutdown}:
		case <-r.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for _, r := range rooms {
		select {
		case <-r.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	done := make(chan struct{})
	go func() { s.conns.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// OpenPads returns the number of loaded rooms.
func (s *Server) OpenPads() int { return s.hub.openRooms() }
