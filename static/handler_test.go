package static

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

const padUUID = "3f4499ef-296c-442c-b7d8-9bfdf64b9ded"

func get(t *testing.T, h http.Handler, path string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPagesNameTheirView(t *testing.T) {
	h := Handler(Config{})
	for _, tc := range []struct{ path, view, pad string }{
		{"/", "home", ""},
		{"/p/" + padUUID, "pad", padUUID},
		{"/p/" + padUUID + "/embed", "embed", padUUID},
		{"/p/" + padUUID + "/postit", "postit", padUUID},
		{"/r/" + padUUID, "readonly", padUUID},
	} {
		res := get(t, h, tc.path, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", tc.path, res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", tc.path, ct)
		}
		page := body(t, res)
		if !strings.Contains(page, `data-view="`+tc.view+`"`) {
			t.Errorf("%s: page does not name view %q:\n%s", tc.path, tc.view, page)
		}
		if tc.pad != "" && !strings.Contains(page, `data-pad="`+tc.pad+`"`) {
			t.Errorf("%s: page does not carry the pad id", tc.path)
		}
		if got := res.Header.Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("%s: Referrer-Policy %q: a pad URL must not leak through links", tc.path, got)
		}
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", tc.path, csp)
		}
		wantAncestors := "frame-ancestors 'self'"
		if tc.view == "embed" {
			wantAncestors = "frame-ancestors *"
		}
		if !strings.HasSuffix(csp, wantAncestors) {
			t.Errorf("%s: CSP %q, want it to end with %q", tc.path, csp, wantAncestors)
		}
	}
}

func TestUnknownPathsAndBadIDsAre404(t *testing.T) {
	h := Handler(Config{})
	for _, p := range []string{
		"/nope", "/p/", "/p/not-a-uuid", "/p/" + padUUID + "/other", "/r/" + padUUID + "x",
		"/p/" + padUUID + "/postit/x", "/p/not-a-uuid/postit", "/assets/", "/assets/missing.js", "/assets/page.html", "/handler.go",
		"/r/%3Cscript%3E", "/index.html", "/dist/app.js",
	} {
		if res := get(t, h, p, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, res.StatusCode)
		}
	}
}

func TestPublicURLReachesThePage(t *testing.T) {
	h := Handler(Config{PublicURL: "https://pads.example/"})
	page := body(t, get(t, h, "/p/"+padUUID, nil))
	if !strings.Contains(page, `data-base="https://pads.example"`) {
		t.Fatalf("page lacks the public URL:\n%s", page)
	}
}

func TestFrameAncestorsConfigured(t *testing.T) {
	h := Handler(Config{FrameAncestors: []string{"https://site.example", "https://*.org.example:8443/", "javascript:alert(1)", "x; script-src *"}})
	csp := get(t, h, "/p/"+padUUID+"/embed", nil).Header.Get("Content-Security-Policy")
	if !strings.HasSuffix(csp, "frame-ancestors https://site.example https://*.org.example:8443") {
		t.Fatalf("CSP %q: want only the two valid origins", csp)
	}
	if strings.Count(csp, "script-src") != 1 {
		t.Fatalf("CSP %q: an entry injected a directive", csp)
	}
}

func TestAssetsAreVersionedAndCached(t *testing.T) {
	h := Handler(Config{})
	page := body(t, get(t, h, "/", nil))
	m := regexp.MustCompile(`src="(/assets/app\.js\?v=([0-9a-f]{16}))"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("page does not load a versioned app.js:\n%s", page)
	}
	want, err := dist.ReadFile("dist/app.js")
	if err != nil {
		t.Fatal(err)
	}

	res := get(t, h, m[1], nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Fatalf("app.js: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("versioned asset Cache-Control %q", cc)
	}
	if got := body(t, res); got != string(want) {
		t.Fatalf("app.js differs from dist/app.js (%d vs %d bytes)", len(got), len(want))
	}
	if cc := get(t, h, "/assets/app.js?v=stale", nil).Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("asset with a stale version: Cache-Control %q, want no-cache", cc)
	}

	gz := get(t, h, m[1], map[string]string{"Accept-Encoding": "br, gzip"})
	if gz.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip not used: %v", gz.Header)
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	unz, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unz, want) {
		t.Fatalf("gzipped app.js does not inflate to dist/app.js (err %v)", err)
	}
	if gz.Header.Get("ETag") == res.Header.Get("ETag") {
		t.Error("gzipped and plain bodies share an ETag")
	}
	if get(t, h, m[1], map[string]string{"Accept-Encoding": "gzip;q=0"}).Header.Get("Content-Encoding") != "" {
		t.Error("gzip sent although refused with q=0")
	}

	again := get(t, h, m[1], map[string]string{"If-None-Match": res.Header.Get("ETag")})
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: status %d, want 304", again.StatusCode)
	}
}

func TestEveryDistFileIsServed(t *testing.T) {
	h := Handler(Config{})
	entries, err := dist.ReadDir("dist")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
		if res := get(t, h, "/assets/"+e.Name(), nil); res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", e.Name(), res.StatusCode)
		}
	}
	for _, n := range []string{"app.js", "app.css", "licenses.txt"} {
		if !names[n] {
			t.Errorf("dist/%s missing", n)
		}
	}
}
