package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/pad"
	"github.com/commonpad/commonpad/server/store"
)

// maxNoteTitle bounds a note's title, in runes.
const maxNoteTitle = 200

// publishRequest is the body of POST /api/pads/{id}/publish. Every field
// is optional.
//
// Visibility defaults to unlisted for a new note, so that nothing shows up
// in the public list and feed unless someone chose it; publishing again
// without it keeps the note's visibility.
//
// Authors, when present, picks among the names the server attributed to
// the pad's writers (see attribution.go): people may ask to be left off a
// note, but nobody can be credited for a pad they did not write in.
// Without it the note names every writer.
type publishRequest struct {
	Title      string   `json:"title"`
	Visibility string   `json:"visibility"`
	Finish     bool     `json:"finish"`
	Authors    []string `json:"authors"`
}

// publishDraft answers GET /api/pads/{id}/publish: what publishing now
// would use, for the editor to show before anyone confirms.
type publishDraft struct {
	Title   string     `json:"title"`
	Authors []string   `json:"authors"`
	Status  string     `json:"status"`
	Note    *draftNote `json:"note"`
}

// draftNote is the note already published from the pad; its title is the
// latest version's, which publishing again keeps unless told otherwise.
type draftNote struct {
	Slug       string   `json:"slug"`
	Title      string   `json:"title"`
	Version    int      `json:"version"`
	Visibility string   `json:"visibility"`
	URLs       noteURLs `json:"urls"`
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

// authors returns the store's record of who wrote in each pad, or nil if
// the back end keeps none.
func (s *Server) authors() store.Authors {
	a, _ := s.cfg.Store.(store.Authors)
	return a
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
	title := strings.TrimSpace(req.Title)
	if !utf8.ValidString(title) || utf8.RuneCountInString(title) > maxNoteTitle {
		apiError(w, http.StatusBadRequest, fmt.Sprintf("the title must be valid UTF-8 of at most %d characters", maxNoteTitle))
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	p, writers, doc, ok := s.publishSource(ctx, w, r)
	if !ok {
		return
	}
	authors := s.firstAuthors(writers)
	if req.Authors != nil {
		var msg string
		if authors, msg = pickAuthors(writers, req.Authors); msg != "" {
			apiError(w, http.StatusBadRequest, msg)
			return
		}
		if len(authors) > s.cfg.MaxNoteAuthors {
			apiError(w, http.StatusBadRequest, fmt.Sprintf("a note lists at most %d authors", s.cfg.MaxNoteAuthors))
			return
		}
	}
	frag := doc.XmlFragment(pad.Fragment)
	note, err := notes.GetNoteByPad(ctx, p.ID)
	if title == "" {
		title = draftTitle(frag, p.Title, note, err, preferFrench(r))
	}
	v := store.NoteVersion{
		Title: title, HTML: pad.HTML(frag), Markdown: pad.Markdown(frag), Text: pad.Text(frag), Authors: authors,
	}

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

// publishSource reads what publishing works from: the pad named by its
// edit id, the names of its writers and its current state. When it cannot,
// it has answered the request and reports false.
func (s *Server) publishSource(ctx context.Context, w http.ResponseWriter, r *http.Request) (store.Pad, []string, *crdt.Doc, bool) {
	p, readOnly, err := s.lookupPad(ctx, r.PathValue("id"))
	if readOnly {
		apiError(w, http.StatusForbidden, "this is a read-only link: publishing needs the pad's edit link")
		return store.Pad{}, nil, nil, false
	}
	if err != nil {
		s.storeError(w, err)
		return store.Pad{}, nil, nil, false
	}
	writers, err := s.padWriters(ctx, p.ID)
	if err != nil {
		s.storeError(w, err)
		return store.Pad{}, nil, nil, false
	}
	doc, err := s.loadPadDoc(ctx, p.ID)
	if err != nil {
		s.log.Error().Err(err).Str("pad", p.ID).Msg("publish: load pad")
		apiError(w, http.StatusInternalServerError, "pad state unreadable")
		return store.Pad{}, nil, nil, false
	}
	return p, writers, doc, true
}

func (s *Server) getPublishDraft(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	p, writers, doc, ok := s.publishSource(ctx, w, r)
	if !ok {
		return
	}
	d := publishDraft{Authors: s.firstAuthors(writers), Status: string(p.Status)}
	note, err := store.Note{}, store.ErrNotFound
	if notes := s.notes(); notes != nil {
		note, err = notes.GetNoteByPad(ctx, p.ID)
		switch {
		case err == nil:
			base, _ := s.baseURL(r)
			d.Note = &draftNote{
				Slug: note.Slug, Title: note.Title, Version: note.Latest(), Visibility: string(note.Visibility),
				URLs: versionURLs(base, note.Slug, note.Latest()),
			}
		case !errors.Is(err, store.ErrNotFound):
			s.storeError(w, err)
			return
		}
	}
	d.Title = draftTitle(doc.XmlFragment(pad.Fragment), p.Title, note, err, preferFrench(r))
	writeJSON(w, http.StatusOK, d)
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

// draftTitle is the title a publication gets when none is asked for: the
// note's current one when the pad was published before (someone may have
// edited it), else defaultTitle.
func draftTitle(f *crdt.XmlFragment, padTitle string, note store.Note, noteErr error, french bool) string {
	if noteErr == nil && note.Title != "" {
		return note.Title
	}
	return defaultTitle(f, padTitle, french)
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

// padWriters lists the names attributed to the pad's writers, in order of
// first contribution, each once.
func (s *Server) padWriters(ctx context.Context, id string) ([]string, error) {
	as := s.authors()
	if as == nil {
		return []string{}, nil
	}
	recorded, err := as.PadAuthors(ctx, id)
	if err != nil {
		return nil, err
	}
	names := []string{}
	seen := map[string]bool{}
	for _, a := range recorded {
		if !seen[a.Name] {
			seen[a.Name] = true
			names = append(names, a.Name)
		}
	}
	return names, nil
}

// firstAuthors is who a note names unless told otherwise: the first
// writers, at most Config.MaxNoteAuthors of them.
func (s *Server) firstAuthors(writers []string) []string {
	return writers[:min(len(writers), s.cfg.MaxNoteAuthors)]
}

// pickAuthors keeps the requested names, in the order given, each once;
// every one must be among the writers.
func pickAuthors(writers, requested []string) ([]string, string) {
	picked := make(map[string]bool, len(writers)) // writer -> already picked
	for _, w := range writers {
		picked[w] = false
	}
	out := []string{}
	for _, a := range requested {
		a = strings.Join(strings.Fields(a), " ")
		done, wrote := picked[a]
		if !wrote {
			return nil, fmt.Sprintf("%q did not write in this pad: a note names only its writers", truncateRunes(a, store.MaxAuthorName))
		}
		if !done {
			out = append(out, a)
			picked[a] = true
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
