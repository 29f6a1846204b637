package pad

import (
	"fmt"
	"strings"

	"github.com/commonpad/commonpad/crdt"
)

// Markdown renders the fragment as CommonMark.
func Markdown(f *crdt.XmlFragment) string {
	var blocks []string
	for _, n := range f.Children() {
		if s := mdBlock(n); s != "" {
			blocks = append(blocks, s)
		}
	}
	if len(blocks) == 0 {
		return ""
	}
	return strings.Join(blocks, "\n\n") + "\n"
}

func mdBlock(n crdt.XmlNode) string {
	switch n := n.(type) {
	case *crdt.XmlText:
		return mdRuns(runs(n))
	case *crdt.XmlElement:
		switch n.NodeName() {
		case "paragraph":
			return mdInline(n.Children())
		case "heading":
			return strings.Repeat("#", intAttr(n, "level", 1, 1, 6)) + " " + strings.ReplaceAll(mdInline(n.Children()), "\n", " ")
		case "blockquote":
			return prefixLines(mdChildren(n.Children(), "\n\n"), "> ", "> ")
		case "bulletList":
			var items []string
			for _, c := range n.Children() {
				items = append(items, prefixLines(mdChildren(childrenOf(c), "\n\n"), "- ", "  "))
			}
			return strings.Join(items, "\n")
		case "orderedList":
			start := intAttr(n, "start", 1, 0, 999999999)
			var items []string
			for i, c := range n.Children() {
				marker := fmt.Sprintf("%d. ", start+i)
				items = append(items, prefixLines(mdChildren(childrenOf(c), "\n\n"), marker, strings.Repeat(" ", len(marker))))
			}
			return strings.Join(items, "\n")
		case "listItem":
			return mdChildren(n.Children(), "\n\n")
		case "codeBlock":
			code := inlineText(n.Children())
			fence := "```"
			for strings.Contains(code, fence) {
				fence += "`"
			}
			lang := stringAttr(n, "language")
			if !languageName.MatchString(lang) {
				lang = ""
			}
			return fence + lang + "\n" + code + "\n" + fence
		case "horizontalRule":
			return "---"
		default:
			return mdChildren(n.Children(), "\n\n")
		}
	}
	return ""
}

func childrenOf(n crdt.XmlNode) []crdt.XmlNode {
	if e, ok := n.(*crdt.XmlElement); ok {
		return e.Children()
	}
	return []crdt.XmlNode{n}
}

func mdChildren(nodes []crdt.XmlNode, sep string) string {
	var parts []string
	for _, c := range nodes {
		if s := mdBlock(c); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, sep)
}

// prefixLines puts first before the first line and rest before the others.
func prefixLines(s, first, rest string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		if l == "" && i > 0 {
			lines[i] = strings.TrimRight(p, " ")
			continue
		}
		lines[i] = p + l
	}
	return strings.Join(lines, "\n")
}

func mdInline(nodes []crdt.XmlNode) string {
	var sb strings.Builder
	for _, n := range nodes {
		switch n := n.(type) {
		case *crdt.XmlText:
			sb.WriteString(mdRuns(runs(n)))
		case *crdt.XmlElement:
			if n.NodeName() == "hardBreak" {
				sb.WriteString("\\\n")
			} else {
				sb.WriteString(mdInline(n.Children()))
			}
		}
	}
	return sb.String()
}

var mdDelims = map[mark]string{markBold: "**", markItalic: "_", markStrike: "~~"}

// mdEscaper escapes what CommonMark would read as markup in running text.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "#", `\#`, "~", `\~`, "|", `\|`,
)

func mdRuns(rs []run) string {
	var sb strings.Builder
	for _, r := range rs {
		text := r.text
		// Emphasis cannot start or end on a space: keep spaces outside.
		lead := len(text) - len(strings.TrimLeft(text, " "))
		trail := len(text) - len(strings.TrimRight(text, " "))
		if lead == len(text) {
			sb.WriteString(text)
			continue
		}
		core := text[lead : len(text)-trail]
		var body string
		if hasMark(r.marks, markCode) {
			tick := "`"
			for strings.Contains(core, tick) {
				tick += "`"
			}
			body = tick + core + tick
		} else {
			body = strings.ReplaceAll(mdEscaper.Replace(core), "\n", "\\\n")
		}
		for i := len(r.marks) - 1; i >= 0; i-- {
			if d, ok := mdDelims[r.marks[i]]; ok {
				body = d + body + d
			}
		}
		if hasMark(r.marks, markLink) {
			body = "[" + body + "](<" + strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20").Replace(r.href) + ">)"
		}
		sb.WriteString(text[:lead] + body + text[len(text)-trail:])
	}
	return sb.String()
}

func hasMark(ms []mark, m mark) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}
