package pad

import (
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/commonpad/commonpad/crdt"
)

// HTML renders the fragment as an HTML fragment (no document wrapper).
func HTML(f *crdt.XmlFragment) string {
	var sb strings.Builder
	htmlBlocks(&sb, f.Children())
	return sb.String()
}

var languageName = regexp.MustCompile(`^[A-Za-z0-9_+#-]{1,32}$`)

func htmlBlocks(sb *strings.Builder, nodes []crdt.XmlNode) {
	for _, n := range nodes {
		switch n := n.(type) {
		case *crdt.XmlElement:
			htmlElement(sb, n)
		case *crdt.XmlText:
			// Text directly in a block container: keep it, as a paragraph.
			sb.WriteString("<p>")
			htmlRuns(sb, runs(n))
			sb.WriteString("</p>\n")
		}
	}
}

func htmlElement(sb *strings.Builder, e *crdt.XmlElement) {
	switch e.NodeName() {
	case "paragraph":
		sb.WriteString("<p>")
		htmlInline(sb, e.Children())
		sb.WriteString("</p>\n")
	case "heading":
		l := intAttr(e, "level", 1, 1, 6)
		fmt.Fprintf(sb, "<h%d>", l)
		htmlInline(sb, e.Children())
		fmt.Fprintf(sb, "</h%d>\n", l)
	case "blockquote":
		sb.WriteString("<blockquote>\n")
		htmlBlocks(sb, e.Children())
		sb.WriteString("</blockquote>\n")
	case "bulletList":
		sb.WriteString("<ul>\n")
		htmlBlocks(sb, e.Children())
		sb.WriteString("</ul>\n")
	case "orderedList":
		if start := intAttr(e, "start", 1, -1<<31, 1<<31-1); start != 1 {
			fmt.Fprintf(sb, "<ol start=\"%d\">\n", start)
		} else {
			sb.WriteString("<ol>\n")
		}
		htmlBlocks(sb, e.Children())
		sb.WriteString("</ol>\n")
	case "listItem":
		sb.WriteString("<li>")
		htmlBlocks(sb, e.Children())
		sb.WriteString("</li>\n")
	case "codeBlock":
		if lang := stringAttr(e, "language"); languageName.MatchString(lang) {
			fmt.Fprintf(sb, "<pre><code class=\"language-%s\">", lang)
		} else {
			sb.WriteString("<pre><code>")
		}
		sb.WriteString(html.EscapeString(inlineText(e.Children())))
		sb.WriteString("</code></pre>\n")
	case "horizontalRule":
		sb.WriteString("<hr>\n")
	case "hardBreak":
		sb.WriteString("<br>\n")
	default:
		// An unknown node: its content, never its name.
		htmlBlocks(sb, e.Children())
	}
}

func htmlInline(sb *strings.Builder, nodes []crdt.XmlNode) {
	for _, n := range nodes {
		switch n := n.(type) {
		case *crdt.XmlText:
			htmlRuns(sb, runs(n))
		case *crdt.XmlElement:
			if n.NodeName() == "hardBreak" {
				sb.WriteString("<br>")
			} else {
				htmlInline(sb, n.Children())
			}
		}
	}
}

var markTags = map[mark]string{markBold: "strong", markItalic: "em", markStrike: "s", markUnderline: "u", markCode: "code"}

func htmlRuns(sb *strings.Builder, rs []run) {
	for _, r := range rs {
		for _, m := range r.marks {
			if m == markLink {
				fmt.Fprintf(sb, "<a href=\"%s\">", html.EscapeString(r.href))
			} else {
				sb.WriteString("<" + markTags[m] + ">")
			}
		}
		sb.WriteString(strings.ReplaceAll(html.EscapeString(r.text), "\n", "<br>"))
		for i := len(r.marks) - 1; i >= 0; i-- {
			if r.marks[i] == markLink {
				sb.WriteString("</a>")
			} else {
				sb.WriteString("</" + markTags[r.marks[i]] + ">")
			}
		}
	}
}
