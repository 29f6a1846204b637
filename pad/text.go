package pad

import (
	"fmt"
	"strings"

	"github.com/commonpad/commonpad/crdt"
)

// Text renders the fragment as plain text: one block per line, a blank line
// between top-level blocks, list items marked with "- " or their number.
func Text(f *crdt.XmlFragment) string {
	var blocks []string
	for _, n := range f.Children() {
		if s := textBlock(n, ""); s != "" {
			blocks = append(blocks, s)
		}
	}
	if len(blocks) == 0 {
		return ""
	}
	return strings.Join(blocks, "\n\n") + "\n"
}

func textBlock(n crdt.XmlNode, indent string) string {
	switch n := n.(type) {
	case *crdt.XmlText:
		return indent + textOf(n)
	case *crdt.XmlElement:
		switch n.NodeName() {
		case "paragraph", "heading", "codeBlock":
			return indent + strings.ReplaceAll(inlineText(n.Children()), "\n", "\n"+indent)
		case "horizontalRule":
			return indent + "---"
		case "bulletList", "orderedList":
			start := intAttr(n, "start", 1, 0, 999999999)
			var items []string
			for i, c := range n.Children() {
				marker := "- "
				if n.NodeName() == "orderedList" {
					marker = fmt.Sprintf("%d. ", start+i)
				}
				var parts []string
				for _, cc := range childrenOf(c) {
					if s := textBlock(cc, indent+strings.Repeat(" ", len(marker))); s != "" {
						parts = append(parts, s)
					}
				}
				item := strings.Join(parts, "\n")
				item = indent + marker + strings.TrimPrefix(item, indent+strings.Repeat(" ", len(marker)))
				items = append(items, item)
			}
			return strings.Join(items, "\n")
		default:
			var parts []string
			for _, c := range n.Children() {
				if s := textBlock(c, indent); s != "" {
					parts = append(parts, s)
				}
			}
			return strings.Join(parts, "\n")
		}
	}
	return ""
}
