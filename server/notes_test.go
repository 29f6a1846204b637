package server

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestUnlistedNotesStayOutOfListsAndFeed(t *testing.T) {
	e := newEnv(t, nil)
	open := e.createPad("Ouvert à tous")
	ana := e.dial(open.ID, nil)
	ana.synced()
	ana.announce("Ana")
	ana.writeBlocks([2]string{"paragraph", "Bienvenue"})
	pub := e.publish(open.ID, `{"visibility":"public"}`)
	hidden := e.publish(e.createPad("Entre nous").ID, "")
	later := e.publish(e.createPad("Second public").ID, `{"visibility":"public"}`)

	code, page := e.get("/notes")
	if code != http.StatusOK || !strings.Contains(page, "/n/"+pub.Slug) || strings.Contains(page, hidden.Slug) {
		t.Errorf("/notes: %d %s", code, page)
	}
	if strings.Index(page, "/n/"+later.Slug) > strings.Index(page, "/n/"+pub.Slug) {
		t.Errorf("/notes is not newest first: %s", page)
	}
	if code, page := e.get("/n/" + hidden.Slug); code != http.StatusOK || !strings.Contains(page, "Entre nous") {
		t.Errorf("unlisted note by slug: %d %s", code, page)
	}

	code, body := e.get("/api/notes")
	var list struct {
		Notes []noteJSON `json:"notes"`
	}
	if code != http.StatusOK || json.Unmarshal([]byte(body), &list) != nil || len(list.Notes) != 2 ||
		list.Notes[0].Slug != later.Slug || list.Notes[1].Slug != pub.Slug {
		t.Errorf("/api/notes: %d %s", code, body)
	}

	resp, err := http.Get(e.http.URL + "/notes.atom")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Updated string   `xml:"updated"`
		Entries []struct {
			Title  string `xml:"title"`
			ID     string `xml:"id"`
			Author []struct {
				Name string `xml:"name"`
			} `xml:"author"`
			Content struct {
				Type string `xml:"type,attr"`
				Body string `xml:",chardata"`
			} `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.NewDecoder(resp.Body).Decode(&feed); err != nil {
		t.Fatalf("feed does not parse: %v", err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("feed content type %q", ct)
	}
	if len(feed.Entries) != 2 || feed.Entries[1].Title != "Ouvert à tous" || !strings.HasSuffix(feed.Entries[1].ID, "/n/"+pub.Slug) ||
		len(feed.Entries[1].Author) != 1 || feed.Entries[1].Author[0].Name != "Ana" || feed.Entries[1].Content.Type != "html" ||
		feed.Updated == "" {
		t.Errorf("feed %+v", feed)
	}
}

func TestNotePagesSpeakTheReadersLanguage(t *testing.T) {
	e := newEnv(t, nil)
	r := e.publish(e.createPad("Bilan").ID, `{"visibility":"public"}`)
	for lang, want := range map[string]string{
		"fr-CA,fr;q=0.9":          `lang="fr"`,
		"en-GB,en;q=0.9,fr;q=0.8": `lang="en"`,
		"de, fr;q=0.5":            `lang="fr"`,
		"":                        `lang="en"`,
	} {
		req, _ := http.NewRequest(http.MethodGet, e.http.URL+"/n/"+r.Slug, nil)
		req.Header.Set("Accept-Language", lang)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			words := map[string][]string{`lang="fr"`: {"Télécharger", ">Texte</a>", "Publiée le"}, `lang="en"`: {"Download", ">Text</a>"}}[want]
			for _, w := range words {
				if !strings.Contains(string(b), w) {
					t.Errorf("note page with Accept-Language %q lacks %q", lang, w)
				}
			}
		}
		for _, path := range []string{"/n/" + r.Slug, "/notes"} {
			req, _ := http.NewRequest(http.MethodGet, e.http.URL+path, nil)
			req.Header.Set("Accept-Language", lang)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(b), want) {
				t.Errorf("%s with Accept-Language %q: want %s in %s", path, lang, want, b)
			}
		}
	}
	if _, page := e.get("/n/" + r.Slug); !strings.Contains(page, "@media print") {
		t.Error("note page has no print style")
	}
}

// Whatever a note holds, its page runs no script and loads nothing; any
// site may embed it unless the configuration names the sites.
func TestNotePagesCarryAPolicy(t *testing.T) {
	for _, c := range []struct{ conf, want string }{{"", "frame-ancestors *"}, {"https://groupe.example", "frame-ancestors https://groupe.example"}} {
		e := newEnv(t, func(cfg *Config) { cfg.NoteFrameAncestors = c.conf })
		r := e.publish(e.createPad("Bilan").ID, `{"visibility":"public"}`)
		for _, path := range []string{"/n/" + r.Slug, "/n/" + r.Slug + "/v/1", "/notes"} {
			resp, err := http.Get(e.http.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			csp := resp.Header.Get("Content-Security-Policy")
			if !strings.HasPrefix(csp, "default-src 'none';") || strings.Contains(csp, "script-src") || !strings.HasSuffix(csp, c.want) ||
				resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: policy %q", path, csp)
			}
		}
	}
}
