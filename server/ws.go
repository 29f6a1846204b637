package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/commonpad/commonpad/server/store"
	"github.com/google/uuid"
	"github.com/gorilla/websocket"
)

// padFromPath takes the pad id from the raw request path, decoding it once:
// y-websocket percent-encodes the room name, and ids are canonical UUIDs.
func padFromPath(r *http.Request) (string, bool) {
	raw := strings.TrimPrefix(r.URL.EscapedPath(), "/ws/")
	dec, err := url.PathUnescape(raw)
	if err != nil {
		return "", false
	}
	u, err := uuid.Parse(dec)
	if err != nil || len(dec) != 36 {
		return "", false
	}
	return u.String(), true
}

// resolve maps a pad id or read-only id to the pad id and its access,
// creating the pad when it is unknown and allowed.
func (s *Server) resolve(ctx context.Context, id string) (pad string, readOnly bool, err error) {
	for range 2 {
		p, readOnly, err := s.lookupPad(ctx, id)
		if err == nil {
			// A finished pad takes no more edits, from any link.
			return p.ID, readOnly || p.Status == store.StatusFinished, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return "", false, err
		}
		if s.cfg.NoAutoCreate {
			return "", false, store.ErrNotFound
		}
		_, err = s.cfg.Store.CreatePad(ctx, store.Pad{ID: id, ReadOnlyID: uuid.NewString()})
		if err == nil {
			return id, false, nil
		}
		if !errors.Is(err, store.ErrExists) {
			return "", false, err
		}
		// Another request created it first; look again.
	}
	return "", false, errors.New("server: pad creation raced repeatedly")
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	id, ok := padFromPath(r)
	if !ok {
		http.Error(w, "pad id must be a UUID", http.StatusNotFound)
		return
	}
	if !s.checkOrigin(r) {
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	pad, readOnly, err := s.resolve(ctx, id)
	cancel()
	notFound := errors.Is(err, store.ErrNotFound)
	if err != nil && !notFound {
		s.log.Error().Err(err).Str("pad", id).Msg("resolve pad")
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	s.conns.Add(1)
	defer s.conns.Done()
	s.metrics.connections.Add(1)
	defer s.metrics.connections.Add(-1)
	c := &conn{
		ws:       ws,
		queue:    newSendQueue(s.cfg.MaxQueueBytes, &s.metrics.slowConsumers),
		readOnly: readOnly,
		log:      s.log.With().Str("pad", pad).Str("remote", r.RemoteAddr).Logger(),
		metrics:  s.metrics,
		done:     make(chan struct{}),
	}
	defer func() { <-c.done }()

	if notFound {
		s.metrics.refused[refuseNotFound].Add(1)
		go c.writePump(nil, s.cfg.PingPeriod, s.cfg.WriteWait)
		c.send(protocol.EncodePermissionDenied("no such pad"))
		c.queue.close(closeNotFound, "no such pad")
		return
	}
	rm, err := s.hub.acquire(pad)
	if err != nil {
		go c.writePump(nil, s.cfg.PingPeriod, s.cfg.WriteWait)
		if errors.Is(err, errRoomFull) {
			s.metrics.refused[refuseRoomFull].Add(1)
			c.queue.close(closeTryLater, "too many connections to pad")
		} else {
			s.metrics.refused[refuseShuttingDown].Add(1)
			c.queue.close(closeGoingAway, "server shutting down")
		}
		return
	}
	defer s.hub.release(rm)
	go c.writePump(rm, s.cfg.PingPeriod, s.cfg.WriteWait)
	if !rm.post(roomMsg{kind: msgJoin, c: c}) {
		s.metrics.refused[refuseUnavailable].Add(1)
		c.queue.close(closeInternal, "pad unavailable")
		return
	}
	s.readPump(c, rm)
	rm.post(roomMsg{kind: msgLeave, c: c})
	c.queue.close(closeNormal, "")
}

// readPump reads until the socket fails, passing each message to the room.
// A busy room blocks it, which slows down only this sender.
func (s *Server) readPump(c *conn, rm *room) {
	c.ws.SetReadLimit(s.cfg.MaxMessageBytes)
	alive := 2 * s.cfg.PingPeriod
	_ = c.ws.SetReadDeadline(time.Now().Add(alive))
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(alive))
	})
	bucket := newTokenBucket(s.cfg.UpdatesPerSecond, time.Now())
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				s.metrics.rejected[rejectTooBig].Add(1)
				c.log.Warn().Int64("limit", s.cfg.MaxMessageBytes).Msg("message too big")
				c.queue.close(closeTooBig, "message too big")
			}
			return
		}
		_ = c.ws.SetReadDeadline(time.Now().Add(alive))
		if typ != websocket.BinaryMessage {
			s.metrics.rejected[rejectTextFrame].Add(1)
			c.queue.close(closeUnsupported, "binary messages only")
			return
		}
		m, err := protocol.ReadMessage(data)
		if err != nil {
			s.metrics.rejected[rejectMalformed].Add(1)
			c.log.Warn().Err(err).Msg("malformed message")
			c.queue.close(closeInvalidData, "malformed message")
			return
		}
		s.metrics.received(kindOfMessage(m), len(data))
		if isWrite(m) && !c.readOnly && !bucket.allow(time.Now()) {
			s.metrics.rejected[rejectRateLimited].Add(1)
			c.log.Warn().Float64("limit", s.cfg.UpdatesPerSecond).Msg("update rate exceeded")
			c.queue.close(closeRateLimited, "too many updates")
			return
		}
		if !rm.post(roomMsg{kind: msgData, c: c, msg: m}) {
			c.queue.close(closeInternal, "pad unavailable")
			return
		}
	}
}
