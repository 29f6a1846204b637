package pad

import (
	"net/url"
	"slices"
	"strings"

	"github.com/commonpad/commonpad/crdt"
)

// intAttr reads an integer attribute of an element, within [lo, hi].
func intAttr(e *crdt.XmlElement, key string, def, lo, hi int) int {
	v, ok := e.Attribute(key)
	if !ok {
		return def
	}
	var n int
	switch v := v.(type) {
	case int64:
		n = int(v)
	case float64:
		n = int(v)
	default:
		return def
	}
	return min(max(n, lo), hi)
}

func stringAttr(e *crdt.XmlElement, key string) string {
	v, _ := e.Attribute(key)
	s, _ := v.(string)
	return s
}

// safeHref returns href if it is an absolute http, https or mailto address.
func safeHref(href string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return "", false
		}
	case "mailto":
	default:
		return "", false
	}
	return u.String(), true
}

// mark is a formatting mark of a text run, in the order marks nest: the
// link outermost, so that a link's text keeps one anchor.
type mark int

const (
	markLink mark = iota
	markBold
	markItalic
	markStrike
	markUnderline
	markCode
)

var markNames = map[string]mark{
	"link": markLink, "bold": markBold, "italic": markItalic,
	"strike": markStrike, "underline": markUnderline, "code": markCode,
}

// run is a piece of text with its marks.
type run struct {
	text  string
	marks []mark
	href  string // for markLink, already checked
}

// runs reads an XmlText's delta; embeds and unknown marks are ignored, and a
// link with an unsafe address loses its link.
func runs(t *crdt.XmlText) []run {
	var out []run
	for _, d := range t.Delta() {
		s, ok := d.Insert.(string)
		if !ok || s == "" {
			continue
		}
		r := run{text: s}
		for name, v := range d.Attributes {
			m, known := markNames[name]
			if !known {
				continue
			}
			if m == markLink {
				href, ok := linkHref(v)
				if !ok {
					continue
				}
				r.href = href
			}
			r.marks = append(r.marks, m)
		}
		slices.Sort(r.marks)
		out = append(out, r)
	}
	return out
}

func linkHref(v any) (string, bool) {
	var raw string
	if o, ok := v.(crdt.Object); ok {
		h, _ := o.Get("href")
		raw, _ = h.(string)
	}
	if raw == "" {
		return "", false
	}
	return safeHref(raw)
}

// Text returns the plain text of an XmlText.
func textOf(t *crdt.XmlText) string {
	var sb strings.Builder
	for _, r := range runs(t) {
		sb.WriteString(r.text)
	}
	return sb.String()
}

// inlineText returns the plain text of a text block's children.
func inlineText(children []crdt.XmlNode) string {
	var sb strings.Builder
	for _, c := range children {
		switch c := c.(type) {
		case *crdt.XmlText:
			sb.WriteString(textOf(c))
		case *crdt.XmlElement:
			if c.NodeName() == "hardBreak" {
				sb.WriteString("\n")
			}
		}
	}
	return sb.String()
}
