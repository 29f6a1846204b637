package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/server/store"
	"github.com/google/uuid"
)

var storeListOne = store.ListOptions{Limit: 1}

// maxAPIBody caps JSON request bodies; a title needs far less.
const maxAPIBody = 64 << 10

type padURLs struct {
	Edit     string `json:"edit,omitempty"`
	ReadOnly string `json:"readOnly"`
	WS       string `json:"ws"`
}

type padJSON struct {
	ID         string    `json:"id,omitempty"`
	ReadOnlyID string    `json:"readOnlyId"`
	Title      string    `json:"title"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"createdAt"`
	UpdatedAt  time.Time `json:"updatedAt"`
	URLs       padURLs   `json:"urls"`
}

func (s *Server) baseURL(r *http.Request) (httpBase, wsBase string) {
	base := strings.TrimRight(s.cfg.PublicURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	ws := "ws" + strings.TrimPrefix(base, "http")
	return base, ws
}

func (s *Server) padJSON(r *http.Request, p store.Pad) padJSON {
	base, ws := s.baseURL(r)
	return padJSON{
		ID: p.ID, ReadOnlyID: p.ReadOnlyID, Title: p.Title, Status: string(p.Status),
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		URLs: padURLs{
			Edit:     base + "/p/" + p.ID,
			ReadOnly: base + "/r/" + p.ReadOnlyID,
			WS:       ws + "/ws/" + p.ID,
		},
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) storeError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		http.Error(w, "no such pad", http.StatusNotFound)
	case errors.Is(err, store.ErrInvalid):
		http.Error(w, err.Error(), http.StatusBadRequest)
	default:
		s.log.Error().Err(err).Msg("store")
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
	}
}

func (s *Server) createPad(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Title string `json:"title"`
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxAPIBody+1))
	if err != nil || len(body) > maxAPIBody {
		http.Error(w, "request body too large or unreadable", http.StatusBadRequest)
		return
	}
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, "invalid JSON: "+err.Error(), http.StatusBadRequest)
			return
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	p, err := s.cfg.Store.CreatePad(ctx, store.Pad{ID: uuid.NewString(), ReadOnlyID: uuid.NewString(), Title: req.Title})
	if err != nil {
		s.storeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, s.padJSON(r, p))
}

// lookupPad finds a pad by its id or by its read-only id.
func (s *Server) lookupPad(ctx context.Context, id string) (p store.Pad, readOnly bool, err error) {
	p, err = s.cfg.Store.GetPad(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		p, err = s.cfg.Store.GetPadByReadOnlyID(ctx, id)
		readOnly = err == nil
	}
	return p, readOnly, err
}

func (s *Server) getPad(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	p, readOnly, err := s.lookupPad(ctx, r.PathValue("id"))
	if err != nil {
		s.storeError(w, err)
		return
	}
	pj := s.padJSON(r, p)
	if readOnly {
		// Whoever holds the read-only link must not learn the edit link.
		pj.ID, pj.URLs.Edit = "", ""
		pj.URLs.WS = strings.Replace(pj.URLs.WS, "/ws/"+p.ID, "/ws/"+p.ReadOnlyID, 1)
	}
	writeJSON(w, http.StatusOK, pj)
}

// getPadText renders the pad from the store, which holds everything any
// client has seen, so it never has to wait for a room.
func (s *Server) getPadText(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	p, _, err := s.lookupPad(ctx, r.PathValue("id"))
	if err != nil {
		s.storeError(w, err)
		return
	}
	snap, err := s.cfg.Store.Load(ctx, p.ID)
	if err != nil {
		s.storeError(w, err)
		return
	}
	doc := crdt.NewDoc(crdt.Options{})
	for _, u := range append([][]byte{snap.State}, recordUpdates(snap.Records)...) {
		if u == nil {
			continue
		}
		if err := doc.ApplyUpdate(u); err != nil {
			s.log.Error().Err(err).Str("pad", p.ID).Msg("stored update does not apply")
			http.Error(w, "pad state unreadable", http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, fragmentText(doc.XmlFragment("default")))
}

func recordUpdates(recs []store.Record) [][]byte {
	out := make([][]byte, len(recs))
	for i, r := range recs {
		out[i] = r.Update
	}
	return out
}
