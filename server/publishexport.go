package server

import (
	"context"
	"io"
	"net/http"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/pad"
)

type exportFormat struct {
	ctype  string
	ext    string
	render func(*crdt.XmlFragment) string
}

var exportFormats = map[string]exportFormat{
	"export.md":   {"text/markdown; charset=utf-8", "md", pad.Markdown},
	"export.html": {"text/html; charset=utf-8", "html", exportHTML},
	"export.txt":  {"text/plain; charset=utf-8", "txt", pad.Text},
}

// exportHTML wraps the fragment in a document, so the file opens on its
// own in a browser or a word processor.
func exportHTML(f *crdt.XmlFragment) string {
	return "<!doctype html>\n<html>\n<head><meta charset=\"utf-8\"></head>\n<body>\n" + pad.HTML(f) + "\n</body>\n</html>\n"
}

// serveExport renders a pad's current state for download. The read-only
// link may export too: it can read the pad anyway.
func (s *Server) serveExport(w http.ResponseWriter, r *http.Request) {
	f, ok := exportFormats[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.StoreTimeout)
	defer cancel()
	p, _, err := s.lookupPad(ctx, r.PathValue("id"))
	if err != nil {
		s.storeError(w, err)
		return
	}
	doc, err := s.loadPadDoc(ctx, p.ID)
	if err != nil {
		s.log.Error().Err(err).Str("pad", p.ID).Msg("export")
		http.Error(w, "pad state unreadable", http.StatusInternalServerError)
		return
	}
	// The pad's id is its edit link: the file is named after the
	// read-only id, which may travel with the file.
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="pad-`+p.ReadOnlyID+"."+f.ext+`"`)
	_, _ = io.WriteString(w, f.render(doc.XmlFragment(pad.Fragment)))
}
