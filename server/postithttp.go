package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/commonpad/commonpad/server/store"
)

// Limits of one post-it, counted in characters after trimming.
const (
	maxPostitText   = 1000
	maxPostitAuthor = 80
	maxPostitBody   = 16 << 10
)

type postitInput struct {
	Text string `json:"text"`
	Name string `json:"name"`
}

func apiError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

// addPostit serves POST /api/pads/{id}/postits. It answers 201 only once
// the post-it is in the store, so a phone that saw the confirmation can be
// sure the room will not lose it.
func (s *Server) addPostit(w http.ResponseWriter, r *http.Request) {
	in, msg := readPostit(r)
	if msg != "" {
		apiError(w, http.StatusBadRequest, msg)
		return
	}
	if !s.postitLimits.allow(clientIP(r), time.Now()) {
		apiError(w, http.StatusTooManyRequests, "too many post-its from this address; wait a minute and try again")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	id := r.PathValue("id")
	p, readOnly, err := s.lookupPad(ctx, id)
	if readOnly {
		apiError(w, http.StatusForbidden, "this is a read-only link: post-its need the pad's edit link")
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		apiError(w, http.StatusNotFound, "no such pad")
		return
	}
	if err != nil {
		s.log.Error().Err(err).Str("pad", id).Msg("post-it: get pad")
		apiError(w, http.StatusServiceUnavailable, "store unavailable")
		return
	}
	if p.Status == store.StatusFinished {
		apiError(w, http.StatusForbidden, "this pad is finished and takes no more post-its")
		return
	}
	code, msg := s.postToRoom(ctx, p.ID, in)
	if code != http.StatusCreated {
		apiError(w, code, msg)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"status": "added"})
}

// postToRoom runs the post-it in the pad's room, loading it if needed, and
// waits until the store has it.
func (s *Server) postToRoom(ctx context.Context, pad string, in postitInput) (int, string) {
	rm, err := s.hub.acquire(pad)
	if err != nil {
		return http.StatusServiceUnavailable, "pad unavailable, try again later"
	}
	defer s.hub.release(rm)
	req := &postitReq{text: in.Text, author: in.Name, done: make(chan error, 1)}
	if !rm.post(roomMsg{kind: msgPostit, pit: req}) {
		return http.StatusServiceUnavailable, "pad unavailable, try again later"
	}
	var result error
	select {
	case result = <-req.done:
	case <-rm.done:
		select {
		case result = <-req.done:
		default:
			result = errPostitNotStored
		}
	case <-ctx.Done():
		// The room may still store it; the sender cannot know, and says so.
		return http.StatusServiceUnavailable, "the pad did not confirm the post-it in time"
	}
	switch {
	case result == nil:
		return http.StatusCreated, ""
	case errors.Is(result, errPadFull):
		return http.StatusRequestEntityTooLarge, "the pad is full"
	default:
		s.log.Error().Err(result).Str("pad", pad).Msg("post-it")
		return http.StatusServiceUnavailable, "the post-it could not be stored"
	}
}

// readPostit decodes and checks the body; a non-empty message explains
// what is wrong with it.
func readPostit(r *http.Request) (postitInput, string) {
	var in postitInput
	body, err := io.ReadAll(io.LimitReader(r.Body, maxPostitBody+1))
	if err != nil || len(body) > maxPostitBody {
		return in, "request body too large or unreadable"
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return in, "invalid JSON"
	}
	in.Text, in.Name = strings.TrimSpace(in.Text), strings.TrimSpace(in.Name)
	switch n := utf8.RuneCountInString(in.Text); {
	case n == 0:
		return in, "text is required"
	case n > maxPostitText:
		return in, "text is longer than 1000 characters"
	}
	if utf8.RuneCountInString(in.Name) > maxPostitAuthor {
		return in, "name is longer than 80 characters"
	}
	if !utf8.ValidString(in.Text) || !utf8.ValidString(in.Name) {
		return in, "text and name must be UTF-8"
	}
	return in, ""
}

// clientIP is the address post-its are counted against. X-Forwarded-For
// is not trusted: any client can set it.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// postitLimiter holds one token bucket per client address.
type postitLimiter struct {
	perMinute float64
	mu        sync.Mutex
	buckets   map[string]*tokenBucket
}

func newPostitLimiter(perMinute int) *postitLimiter {
	return &postitLimiter{perMinute: float64(perMinute), buckets: map[string]*tokenBucket{}}
}

// allow takes a token from ip's bucket, which starts full: a room can send
// a burst of PostitsPerMinute at once, then one every 60/PostitsPerMinute
// seconds.
func (l *postitLimiter) allow(ip string, now time.Time) bool {
	if l.perMinute <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[ip]
	if b == nil {
		if len(l.buckets) >= maxPostitClients {
			l.prune(now)
		}
		b = &tokenBucket{rate: l.perMinute / 60, burst: l.perMinute, tokens: l.perMinute, last: now}
		l.buckets[ip] = b
	}
	return b.allow(now)
}

// maxPostitClients bounds the map between prunes.
const maxPostitClients = 4096

// prune forgets the buckets untouched for a minute: they have refilled,
// and a new one is the same.
func (l *postitLimiter) prune(now time.Time) {
	for ip, b := range l.buckets {
		if now.Sub(b.last) >= time.Minute {
			delete(l.buckets, ip)
		}
	}
}
