package pad

import (
	"strings"
	"testing"

	"github.com/commonpad/commonpad/crdt"
)

// sample builds, with crdt, the tree a TipTap editor writes for a small
// meeting note, including hostile content.
func sample(t *testing.T) *crdt.Doc {
	t.Helper()
	d := crdt.NewDoc(crdt.Options{ClientID: 1})
	f := d.XmlFragment(Fragment)
	d.Transact(func(tx *crdt.Txn) {
		must := func(err error) {
			if err != nil {
				t.Fatal(err)
			}
		}
		h, _ := f.InsertElement(tx, 0, "heading")
		h.SetAttribute(tx, "level", 2)
		_, _ = h.InsertText(tx, 0, "Réunion du 12 <mars>")
		p, _ := f.InsertElement(tx, 1, "paragraph")
		pt, _ := p.InsertText(tx, 0, "Présents : Ana, Bob et <script>alert(1)</script>")
		must(pt.Format(tx, 11, 3, crdt.Attributes{"bold": map[string]any{}}))
		must(pt.Format(tx, 16, 3, crdt.Attributes{"link": map[string]any{"href": "mailto:bob@example.org"}}))
		must(pt.Format(tx, 23, 8, crdt.Attributes{"link": map[string]any{"href": "javascript:alert(1)"}}))
		ol, _ := f.InsertElement(tx, 2, "orderedList")
		ol.SetAttribute(tx, "start", 3)
		li, _ := ol.InsertElement(tx, 0, "listItem")
		lp, _ := li.InsertElement(tx, 0, "paragraph")
		_, _ = lp.InsertText(tx, 0, "budget *2027*")
		q, _ := f.InsertElement(tx, 3, "blockquote")
		qp, _ := q.InsertElement(tx, 0, "paragraph")
		_, _ = qp.InsertText(tx, 0, "citation")
		x, _ := f.InsertElement(tx, 4, "script")
		_, _ = x.InsertText(tx, 0, "inner")
		c, _ := f.InsertElement(tx, 5, "codeBlock")
		c.SetAttribute(tx, "language", `go"><script>`)
		_, _ = c.InsertText(tx, 0, "a < b && ```")
	})
	return d
}

func TestHTMLEscapesAndMapsNodes(t *testing.T) {
	got := HTML(sample(t).XmlFragment(Fragment))
	want := "<h2>Réunion du 12 &lt;mars&gt;</h2>\n" +
		"<p>Présents : <strong>Ana</strong>, <a href=\"mailto:bob@example.org\">Bob</a> et &lt;script&gt;alert(1)&lt;/script&gt;</p>\n" +
		"<ol start=\"3\">\n<li><p>budget *2027*</p>\n</li>\n</ol>\n" +
		"<blockquote>\n<p>citation</p>\n</blockquote>\n" +
		"<p>inner</p>\n" +
		"<pre><code>a &lt; b &amp;&amp; ```</code></pre>\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if strings.Contains(got, "javascript") || strings.Contains(got, "<script") {
		t.Fatal("unsafe content passed through")
	}
}

func TestMarkdown(t *testing.T) {
	got := Markdown(sample(t).XmlFragment(Fragment))
	want := "## Réunion du 12 \\<mars\\>\n\n" +
		"Présents : **Ana**, [Bob](<mailto:bob@example.org>) et \\<script\\>alert(1)\\</script\\>\n\n" +
		"3. budget \\*2027\\*\n\n" +
		"> citation\n\n" +
		"inner\n\n" +
		"````\na < b && ```\n````\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestText(t *testing.T) {
	got := Text(sample(t).XmlFragment(Fragment))
	want := "Réunion du 12 <mars>\n\n" +
		"Présents : Ana, Bob et <script>alert(1)</script>\n\n" +
		"3. budget *2027*\n\n" +
		"citation\n\n" +
		"inner\n\n" +
		"a < b && ```\n"
	if got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

func TestAppendPostitCreatesHeadingOnceAndSyncs(t *testing.T) {
	d := sample(t)
	f := d.XmlFragment(Fragment)
	var updates [][]byte
	d.OnUpdate(func(ev crdt.UpdateEvent) { updates = append(updates, ev.Update) })
	for _, p := range []struct{ text, author string }{{"Plus de vélos", "Léa"}, {"  ", "x"}, {"Café !", ""}} {
		var err error
		d.Transact(func(tx *crdt.Txn) { err = AppendPostit(tx, f, p.text, p.author) })
		if err != nil {
			t.Fatal(err)
		}
	}
	md := Markdown(f)
	if strings.Count(md, "## Post-its") != 1 {
		t.Fatalf("heading not created exactly once:\n%s", md)
	}
	if !strings.HasSuffix(md, "## Post-its\n\n- Plus de vélos — _Léa_\n- Café !\n") {
		t.Fatalf("post-its not listed under the heading:\n%s", md)
	}
	if len(updates) != 2 {
		t.Fatalf("%d updates, want 2 (the blank post-it changes nothing)", len(updates))
	}
	// A replica that receives the updates sees the same.
	r := crdt.NewDoc(crdt.Options{ClientID: 2})
	if err := r.ApplyUpdate(d.EncodeStateAsUpdate(nil)); err != nil {
		t.Fatal(err)
	}
	if Markdown(r.XmlFragment(Fragment)) != md {
		t.Fatal("replica renders differently")
	}
}

func TestSafeHref(t *testing.T) {
	for href, ok := range map[string]bool{
		"https://example.org/a?b=c": true, "http://x.y": true, "mailto:a@b.c": true,
		"javascript:alert(1)": false, "JAVASCRIPT:alert(1)": false, "data:text/html,x": false,
		"/relative": false, "https://": false, "vbscript:x": false, " javascript:x": false,
	} {
		if _, got := safeHref(href); got != ok {
			t.Errorf("safeHref(%q) = %v, want %v", href, got, ok)
		}
	}
}
