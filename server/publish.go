package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/pad"
	"github.com/commonpad/commonpad/server/store"
)

// Limits on what a publish request may name; a note page shows them all.
const (
	maxNoteTitle  = 200
	maxAuthors    = 50
	maxAuthorName = 80
)

// publishRequest is the body of POST /api/pads/{id}/publish. Every field
// is optional.
//
// Visibility defaults to unlisted for a new note, so that nothing shows up
// in the public list and feed unless someone chose it; publishing again
// without it keeps the note's visibility.
//
// Authors are the names the client sends: the server does not yet
// attribute Yjs client ids to display names, so the editor passes the
// names it saw in the pad's awareness.
type publishRequest struct {
	Title      string   `json:"title"`
	Visibility string   `json:"visibility"`
	Finish     bool     `json:"finish"`
	Authors    []string `json:"authors"`
}

type noteURLs struct {
	Note     string `json:"note"`
	Version  string `json:"version"`
	Markdown string `json:"markdown"`
	Text     string `json:"text"`
}

type publishResponse struct {
	Slug    string   `json:"slug"`
	Version int      `json:"version"`
	URLs    noteURLs `json:"urls"`
}

// notes returns the store's notes, or nil if the back end has none.
func (s *Server) notes() store.Notes {
	n, _ := s.cfg.Store.(store.Notes)
	return n
}

func (s *Server) publish(w http.ResponseWriter, r *http.Request) {
	notes := s.notes()
	if notes == nil {
		apiError(w, http.StatusNotImplemented, "this server's store cannot keep notes")
		return
	}
	var req publishRequest
	if msg := readJSONBody(r, &req); msg != "" {
		apiError(w, http.StatusBadRequest, msg)
		return
	}
	vis := store.Visibility(req.Visibility)
	if vis != "" && !vis.Valid() {
		apiError(w, http.StatusBadRequest, `visibility must be "public" or "unlisted"`)
		return
	}
	authors, msg := cleanAuthors(req.Authors)
	if msg != "" {
		apiError(w, http.StatusBadRequest, msg)
		return
	}
	title := strings.TrimSpace(req.Title)
	if !utf8.ValidString(title) || utf8.RuneCountInString(title) > maxNoteTitle {
		apiError(w, http.StatusBadRequest, fmt.Sprintf("the title must be valid UTF-8 of at most %d characters", maxNoteTitle))
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	p, readOnly, err := s.lookupPad(ctx, r.PathValue("id"))
	if readOnly {
		apiError(w, http.StatusForbidden, "this is a read-only link: publishing needs the pad's edit link")
		return
	}
	if err != nil {
		s.storeError(w, err)
		return
	}
	doc, err := s.loadPadDoc(ctx, p.ID)
	if err != nil {
		s.log.Error().Err(err).Str("pad", p.ID).Msg("publish: load pad")
		apiError(w, http.StatusInternalServerError, "pad state unreadable")
		return
	}
	frag := doc.XmlFragment(pad.Fragment)
	if title == "" {
		title = defaultTitle(frag, p.Title, preferFrench(r))
	}
	v := store.NoteVersion{
		Title: title, HTML: pad.HTML(frag), Markdown: pad.Markdown(frag), Text: pad.Text(frag), Authors: authors,
	}

	note, err := notes.GetNoteByPad(ctx, p.ID)
	switch {
	case err == nil:
		note, err = notes.AddVersion(ctx, note.Slug, vis, v)
	case errors.Is(err, store.ErrNotFound):
		if vis == "" {
			vis = store.VisibilityUnlisted
		}
		note, err = notes.CreateNote(ctx, store.Slugify(title), p.ID, vis, v)
		if errors.Is(err, store.ErrExists) {
			// Another request published this pad first: this one is its
			// next version.
			if note, err = notes.GetNoteByPad(ctx, p.ID); err == nil {
				note, err = notes.AddVersion(ctx, note.Slug, vis, v)
			}
		}
	}
	if err != nil {
		s.storeError(w, err)
		return
	}
	if req.Finish {
		if err := s.finishPad(ctx, p.ID); err != nil {
			s.storeError(w, err)
			return
		}
	}
	base, _ := s.baseURL(r)
	writeJSON(w, http.StatusCreated, publishResponse{
		Slug: note.Slug, Version: note.Latest(), URLs: versionURLs(base, note.Slug, note.Latest()),
	})
}

func versionURLs(base, slug string, n int) noteURLs {
	v := fmt.Sprintf("%s/n/%s/v/%d", base, slug, n)
	return noteURLs{Note: base + "/n/" + slug, Version: v, Markdown: v + "/note.md", Text: v + "/note.txt"}
}

// finishPad marks the pad finished, then tells its room, so that members
// already connected lose write access too; later connections get it from
// the pad's status (see resolve). The room is started if it was not open:
// a connection that resolved the pad just before the status changed joins
// that room, and is refused there.
func (s *Server) finishPad(ctx context.Context, id string) error {
	_, err := s.cfg.Store.UpdatePad(ctx, id, func(p *store.Pad) error {
		p.Status = store.StatusFinished
		return nil
	})
	if err != nil {
		return err
	}
	rm, err := s.hub.acquire(id)
	if err != nil {
		// Shutting down: the status alone keeps the pad read-only from now.
		return nil
	}
	defer s.hub.release(rm)
	rm.post(roomMsg{kind: msgFinish})
	return nil
}

// loadPadDoc rebuilds the pad from the store, which holds everything any
// client has seen, as getPadText does.
func (s *Server) loadPadDoc(ctx context.Context, id string) (*crdt.Doc, error) {
	snap, err := s.cfg.Store.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	doc := crdt.NewDoc(crdt.Options{})
	for _, u := range append([][]byte{snap.State}, recordUpdates(snap.Records)...) {
		if u == nil {
			continue
		}
		if err := doc.ApplyUpdate(u); err != nil {
			return nil, fmt.Errorf("server: stored update does not apply: %w", err)
		}
	}
	return doc, nil
}

// defaultTitle is the text of the pad's first heading, else the pad's
// title, else a word for "untitled".
func defaultTitle(f *crdt.XmlFragment, padTitle string, french bool) string {
	for _, n := range f.Children() {
		e, ok := n.(*crdt.XmlElement)
		if !ok || e.NodeName() != "heading" {
			continue
		}
		var b strings.Builder
		writeNodes(&b, e.Children())
		if t := strings.Join(strings.Fields(b.String()), " "); t != "" {
			return truncateRunes(t, maxNoteTitle)
		}
	}
	if t := strings.TrimSpace(padTitle); t != "" {
		return truncateRunes(t, maxNoteTitle)
	}
	return chrome(french).Untitled
}

func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// cleanAuthors trims names, drops empty ones and duplicates, and keeps the
// order they were given in.
func cleanAuthors(in []string) ([]string, string) {
	if len(in) > maxAuthors {
		return nil, fmt.Sprintf("at most %d authors", maxAuthors)
	}
	var out []string
	for _, a := range in {
		a = strings.Join(strings.Fields(a), " ")
		if !utf8.ValidString(a) || utf8.RuneCountInString(a) > maxAuthorName {
			return nil, fmt.Sprintf("author names must be valid UTF-8 of at most %d characters", maxAuthorName)
		}
		if a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out, ""
}

// readJSONBody decodes an optional JSON body into v; it returns a message
// for the client when the body is unusable.
func readJSONBody(r *http.Request, v any) string {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxAPIBody+1))
	if err != nil || len(body) > maxAPIBody {
		return "request body too large or unreadable"
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return ""
	}
	if err := json.Unmarshal(body, v); err != nil {
		return "invalid JSON: " + err.Error()
	}
	return ""
}
