package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
)

//go:embed dist
var dist embed.FS

//go:embed page.html
var pageSource string

var pageTemplate = template.Must(template.New("page").Parse(pageSource))

// Config configures Handler. The zero Config serves a working client.
type Config struct {
	// PublicURL is the scheme and host the share panel uses in the links it
	// shows ("https://pads.example"). Empty uses the origin the browser
	// loaded the page from.
	PublicURL string
	// FrameAncestors lists the origins ("https://site.example") allowed to
	// show the embed view in an iframe. Empty allows every origin; the
	// other pages can only be framed by the same origin. Entries that are
	// not an http(s) origin are ignored.
	FrameAncestors []string
}

// asset is one file of dist/, with its gzipped form when that is smaller.
type asset struct {
	body, gz    []byte
	contentType string
	hash        string
}

type handler struct {
	base     string
	assets   map[string]*asset
	embedCSP string
	pageCSP  string
	jsURL    string
	cssURL   string
}

// Handler returns the web client's handler; see the package documentation
// for its routes.
func Handler(cfg Config) http.Handler {
	h := &handler{
		base:   strings.TrimRight(cfg.PublicURL, "/"),
		assets: loadAssets(),
	}
	h.jsURL = h.assetURL("app.js")
	h.cssURL = h.assetURL("app.css")
	h.pageCSP = csp("'self'")
	h.embedCSP = csp(FrameAncestorsSource(cfg.FrameAncestors))

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.page("home"))
	mux.HandleFunc("GET /p/{id}", h.page("pad"))
	mux.HandleFunc("GET /p/{id}/embed", h.page("embed"))
	mux.HandleFunc("GET /p/{id}/postit", h.page("postit"))
	mux.HandleFunc("GET /r/{id}", h.page("readonly"))
	mux.HandleFunc("GET /assets/{name}", h.asset)
	return mux
}

func loadAssets() map[string]*asset {
	out := map[string]*asset{}
	entries, err := fs.ReadDir(dist, "dist")
	if err != nil {
		// dist is embedded at build time; an unreadable one is a broken build.
		panic("static: embedded dist unreadable: " + err.Error())
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := fs.ReadFile(dist, "dist/"+e.Name())
		if err != nil {
			panic("static: embedded " + e.Name() + " unreadable: " + err.Error())
		}
		sum := sha256.Sum256(body)
		a := &asset{body: body, contentType: contentType(e.Name()), hash: hex.EncodeToString(sum[:8])}
		if gz := gzipped(body); len(gz) < len(body) {
			a.gz = gz
		}
		out[e.Name()] = a
	}
	return out
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	default:
		return "application/octet-stream"
	}
}

func (h *handler) assetURL(name string) string {
	a, ok := h.assets[name]
	if !ok {
		return "/assets/" + name
	}
	return "/assets/" + name + "?v=" + a.hash
}

// padID is the form the server gives pad and read-only ids: a UUID in its
// canonical text form.
var padID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

type pageData struct {
	View, Pad, Base, JS, CSS string
}

func (h *handler) page(view string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if view != "home" && !padID.MatchString(id) {
			http.NotFound(w, r)
			return
		}
		var buf bytes.Buffer
		if err := pageTemplate.Execute(&buf, pageData{View: view, Pad: id, Base: h.base, JS: h.jsURL, CSS: h.cssURL}); err != nil {
			http.Error(w, "static: page: "+err.Error(), http.StatusInternalServerError)
			return
		}
		hdr := w.Header()
		hdr.Set("Content-Type", "text/html; charset=utf-8")
		hdr.Set("Cache-Control", "no-cache")
		hdr.Set("Referrer-Policy", "no-referrer")
		hdr.Set("X-Content-Type-Options", "nosniff")
		if view == "embed" {
			hdr.Set("Content-Security-Policy", h.embedCSP)
		} else {
			hdr.Set("Content-Security-Policy", h.pageCSP)
			hdr.Set("X-Frame-Options", "SAMEORIGIN")
		}
		_, _ = w.Write(buf.Bytes())
	}
}

func (h *handler) asset(w http.ResponseWriter, r *http.Request) {
	a, ok := h.assets[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", a.contentType)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Vary", "Accept-Encoding")
	if r.URL.Query().Get("v") == a.hash {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	body, etag := a.body, `"`+a.hash+`"`
	if a.gz != nil && acceptsGzip(r) {
		body, etag = a.gz, `"`+a.hash+`.gz"`
		hdr.Set("Content-Encoding", "gzip")
	}
	hdr.Set("ETag", etag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hdr.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			return strings.ReplaceAll(strings.TrimSpace(params), " ", "") != "q=0"
		}
	}
	return false
}

func etagMatch(header, etag string) bool {
	for _, part := range strings.Split(header, ",") {
		p := strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if p == etag || p == "*" {
			return true
		}
	}
	return false
}

// origin is what a frame-ancestors source may be here: an http(s) origin
// with an optional port, or a wildcard subdomain.
var origin = regexp.MustCompile(`^https?://(\*\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?$`)

// FrameAncestorsSource is the Content-Security-Policy frame-ancestors
// source list for origins, as the embed view uses it: the valid http(s)
// origins among them, or "*" when there are none. The server gives note
// pages the same, so that a group's site can embed both.
func FrameAncestorsSource(list []string) string {
	var ok []string
	for _, o := range list {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		if origin.MatchString(o) {
			ok = append(ok, o)
		}
	}
	if len(ok) == 0 {
		return "*"
	}
	return strings.Join(ok, " ")
}

// csp allows same-origin scripts, styles and sockets only. Inline style
// attributes stay allowed: ProseMirror's decorations set them for remote
// selections.
func csp(ancestors string) string {
	return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
		"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
		"form-action 'self'; frame-ancestors " + ancestors
}
