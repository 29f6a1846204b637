package server

import (
	"bytes"
	"cmp"
	"context"
	"embed"
	"errors"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/commonpad/commonpad/server/store"
)

//go:embed templates/notes.html
var templateFS embed.FS

var noteTemplates = template.Must(template.New("").Funcs(template.FuncMap{
	"date": func(layout string, t time.Time) string { return t.UTC().Format(layout) },
	"iso":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
}).ParseFS(templateFS, "templates/notes.html"))

// notesPerPage bounds the public list, its JSON and its feed.
const notesPerPage = 50

type notePage struct {
	T        chromeStrings
	Title    string
	Note     store.Note
	Version  store.NoteVersion
	IsLatest bool
	Updated  bool
	// Body is the version's HTML, which pad.HTML built from the CRDT tree
	// with every text escaped: the one value the template does not escape.
	Body template.HTML
}

type listPage struct {
	T     chromeStrings
	Title string
	Notes []store.Note
	Next  string
}

func (s *Server) render(w http.ResponseWriter, name string, data any) {
	var buf bytes.Buffer
	if err := noteTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Error().Err(err).Str("template", name).Msg("render")
		http.Error(w, "page unavailable", http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("X-Content-Type-Options", "nosniff")
	// The pages are server-rendered and escaped; the policy makes sure
	// that, whatever a note holds, no script runs and nothing loads.
	hdr.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "+
		"base-uri 'none'; form-action 'none'; frame-ancestors "+cmp.Or(s.cfg.NoteFrameAncestors, "*"))
	_, _ = buf.WriteTo(w)
}

// noteError answers a failed note lookup; malformed slugs and version
// numbers are just notes that do not exist.
func (s *Server) noteError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrInvalid):
		http.Error(w, "no such note", http.StatusNotFound)
	default:
		s.log.Error().Err(err).Msg("notes store")
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
	}
}

// loadVersion reads the note and its version n; n == 0 means the latest.
func (s *Server) loadVersion(ctx context.Context, slug string, n int) (store.Note, store.NoteVersion, error) {
	notes := s.notes()
	if notes == nil {
		return store.Note{}, store.NoteVersion{}, store.ErrNotFound
	}
	note, err := notes.GetNote(ctx, slug)
	if err != nil {
		return store.Note{}, store.NoteVersion{}, err
	}
	if n == 0 {
		n = note.Latest()
	}
	v, err := notes.GetVersion(ctx, slug, n)
	return note, v, err
}

// versionParam reads {n}; 0 when the route has none, -1 when it is not a
// version number.
func versionParam(r *http.Request) int {
	raw := r.PathValue("n")
	if raw == "" {
		return 0
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return -1
	}
	return n
}

func (s *Server) serveNotePage(w http.ResponseWriter, r *http.Request) {
	n := versionParam(r)
	if n < 0 {
		http.Error(w, "no such note", http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	note, v, err := s.loadVersion(ctx, r.PathValue("slug"), n)
	if err != nil {
		s.noteError(w, err)
		return
	}
	s.render(w, "note", notePage{
		T: chrome(preferFrench(r)), Title: v.Title, Note: note, Version: v,
		IsLatest: v.N == note.Latest(), Updated: !v.PublishedAt.Equal(note.PublishedAt),
		Body: template.HTML(v.HTML),
	})
}

// serveNoteFile serves a version's Markdown or text, for download.
func (s *Server) serveNoteFile(w http.ResponseWriter, r *http.Request) {
	n, file := versionParam(r), r.PathValue("file")
	if n < 1 || file != "note.md" && file != "note.txt" {
		http.Error(w, "no such note", http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	note, v, err := s.loadVersion(ctx, r.PathValue("slug"), n)
	if err != nil {
		s.noteError(w, err)
		return
	}
	body, ctype, ext := v.Text, "text/plain; charset=utf-8", "txt"
	if file == "note.md" {
		body, ctype, ext = v.Markdown, "text/markdown; charset=utf-8", "md"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", "inline; filename=\""+note.Slug+"-v"+strconv.Itoa(n)+"."+ext+"\"")
	_, _ = io.WriteString(w, body)
}

// publicPage reads one page of public notes after the ?after= cursor.
func (s *Server) publicPage(ctx context.Context, r *http.Request) ([]store.Note, string, error) {
	notes := s.notes()
	if notes == nil {
		return nil, "", nil
	}
	after := r.URL.Query().Get("after")
	if after != "" && store.CheckSlug(after) != nil {
		return nil, "", store.ErrNotFound
	}
	// One more than shown tells whether an older page exists.
	list, err := notes.ListPublic(ctx, notesPerPage+1, after)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > notesPerPage {
		list = list[:notesPerPage]
		next = list[len(list)-1].Slug
	}
	return list, next, nil
}

func (s *Server) serveNotesList(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	list, next, err := s.publicPage(ctx, r)
	if err != nil {
		s.noteError(w, err)
		return
	}
	t := chrome(preferFrench(r))
	s.render(w, "list", listPage{T: t, Title: t.PublicNotes, Notes: list, Next: next})
}
