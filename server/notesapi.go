package server

import (
	"context"
	"net/http"
	"time"

	"github.com/commonpad/commonpad/server/store"
)

type noteJSON struct {
	Slug        string        `json:"slug"`
	Title       string        `json:"title"`
	Authors     []string      `json:"authors"`
	Visibility  string        `json:"visibility"`
	PublishedAt time.Time     `json:"publishedAt"`
	UpdatedAt   time.Time     `json:"updatedAt"`
	Version     int           `json:"version"`
	Versions    []versionJSON `json:"versions,omitempty"`
	URLs        noteURLs      `json:"urls"`
}

type versionJSON struct {
	N           int       `json:"n"`
	Title       string    `json:"title"`
	PublishedAt time.Time `json:"publishedAt"`
	URL         string    `json:"url"`
}

type noteVersionJSON struct {
	Slug        string    `json:"slug"`
	N           int       `json:"n"`
	Latest      int       `json:"latest"`
	Title       string    `json:"title"`
	Authors     []string  `json:"authors"`
	PublishedAt time.Time `json:"publishedAt"`
	HTML        string    `json:"html"`
	Markdown    string    `json:"markdown"`
	Text        string    `json:"text"`
	URLs        noteURLs  `json:"urls"`
}

// The pad a note came from stays out of every answer: its id is the pad's
// edit link.
func noteToJSON(base string, n store.Note, withVersions bool) noteJSON {
	j := noteJSON{
		Slug: n.Slug, Title: n.Title, Authors: n.Authors, Visibility: string(n.Visibility),
		PublishedAt: n.PublishedAt, UpdatedAt: n.UpdatedAt, Version: n.Latest(),
		URLs: versionURLs(base, n.Slug, n.Latest()),
	}
	if j.Authors == nil {
		j.Authors = []string{}
	}
	if withVersions {
		for _, v := range n.Versions {
			j.Versions = append(j.Versions, versionJSON{
				N: v.N, Title: v.Title, PublishedAt: v.PublishedAt, URL: versionURLs(base, n.Slug, v.N).Version,
			})
		}
	}
	return j
}

func (s *Server) apiListNotes(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	list, next, err := s.publicPage(ctx, r)
	if err != nil {
		s.noteError(w, err)
		return
	}
	base, _ := s.baseURL(r)
	out := struct {
		Notes []noteJSON `json:"notes"`
		Next  string     `json:"next,omitempty"`
	}{Notes: []noteJSON{}, Next: next}
	for _, n := range list {
		out.Notes = append(out.Notes, noteToJSON(base, n, false))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiGetNote(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	notes := s.notes()
	if notes == nil {
		s.noteError(w, store.ErrNotFound)
		return
	}
	n, err := notes.GetNote(ctx, r.PathValue("slug"))
	if err != nil {
		s.noteError(w, err)
		return
	}
	base, _ := s.baseURL(r)
	writeJSON(w, http.StatusOK, noteToJSON(base, n, true))
}

func (s *Server) apiGetVersion(w http.ResponseWriter, r *http.Request) {
	n := versionParam(r)
	if n < 1 {
		s.noteError(w, store.ErrNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	note, v, err := s.loadVersion(ctx, r.PathValue("slug"), n)
	if err != nil {
		s.noteError(w, err)
		return
	}
	base, _ := s.baseURL(r)
	authors := v.Authors
	if authors == nil {
		authors = []string{}
	}
	writeJSON(w, http.StatusOK, noteVersionJSON{
		Slug: note.Slug, N: v.N, Latest: note.Latest(), Title: v.Title, Authors: authors,
		PublishedAt: v.PublishedAt, HTML: v.HTML, Markdown: v.Markdown, Text: v.Text,
		URLs: versionURLs(base, note.Slug, v.N),
	})
}
