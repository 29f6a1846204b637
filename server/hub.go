package server

import (
	"errors"
	"sync"
)

var (
	errShuttingDown = errors.New("server: shutting down")
	errRoomFull     = errors.New("server: too many connections to pad")
)

// hub is the registry of open rooms. Its mutex guards only the map and the
// reference counts and is never held during I/O.
type hub struct {
	srv *Server

	mu      sync.Mutex
	rooms   map[string]*room
	closing bool
}

// acquire returns the pad's room, starting it if needed, and counts one
// more reference to it. Every successful acquire is paired with release.
func (h *hub) acquire(pad string) (*room, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing {
		return nil, errShuttingDown
	}
	r := h.rooms[pad]
	if r == nil {
		r = newRoom(h.srv, pad)
		h.rooms[pad] = r
		go r.run()
	}
	if r.refs >= h.srv.cfg.MaxConnsPerPad {
		return nil, errRoomFull
	}
	r.refs++
	return r, nil
}

func (h *hub) release(r *room) {
	h.mu.Lock()
	r.refs--
	h.mu.Unlock()
}

// tryRemove unregisters r if nothing references it; the room then unloads.
// A room that failed is removed regardless, so the next connection loads
// the pad afresh.
func (h *hub) tryRemove(r *room, force bool) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r.refs > 0 && !force {
		return false
	}
	if h.rooms[r.pad] == r {
		delete(h.rooms, r.pad)
	}
	return true
}

// closeAll stops new rooms and returns the open ones.
func (h *hub) closeAll() []*room {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closing = true
	rooms := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	return rooms
}

func (h *hub) openRooms() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.rooms)
}
