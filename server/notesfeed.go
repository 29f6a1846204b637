package server

import (
	"context"
	"encoding/xml"
	"net/http"
	"time"
)

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title     string       `xml:"title"`
	ID        string       `xml:"id"`
	Link      atomLink     `xml:"link"`
	Published string       `xml:"published"`
	Updated   string       `xml:"updated"`
	Authors   []atomPerson `xml:"author"`
	Content   atomContent  `xml:"content"`
}

// atomContent carries the note's HTML as escaped text, as Atom's
// type="html" wants; encoding/xml does the escaping.
type atomContent struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// serveFeed serves the newest public notes as Atom, each with the content
// of its latest version.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	list, _, err := s.publicPage(ctx, r)
	if err != nil {
		s.noteError(w, err)
		return
	}
	base, _ := s.baseURL(r)
	t := chrome(preferFrench(r))
	feed := atomFeed{
		Title: t.PublicNotes, ID: base + "/notes", Author: atomPerson{Name: "commonpad"},
		Links: []atomLink{{Href: base + "/notes.atom", Rel: "self", Type: "application/atom+xml"}, {Href: base + "/notes", Type: "text/html"}},
	}
	notes := s.notes()
	// An empty feed has changed never, as far as a reader can tell.
	updated := time.Unix(0, 0)
	for _, n := range list {
		if n.UpdatedAt.After(updated) {
			updated = n.UpdatedAt
		}
		v, err := notes.GetVersion(ctx, n.Slug, n.Latest())
		if err != nil {
			s.noteError(w, err)
			return
		}
		e := atomEntry{
			Title: n.Title, ID: base + "/n/" + n.Slug, Link: atomLink{Href: base + "/n/" + n.Slug},
			Published: atomTime(n.PublishedAt), Updated: atomTime(n.UpdatedAt),
			Content: atomContent{Type: "html", Body: v.HTML},
		}
		for _, a := range n.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: a})
		}
		feed.Entries = append(feed.Entries, e)
	}
	feed.Updated = atomTime(updated)
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		s.log.Error().Err(err).Msg("atom feed")
		http.Error(w, "feed unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
}
