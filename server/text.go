package server

import (
	"strings"

	"github.com/commonpad/commonpad/crdt"
)

// fragmentText renders an editor's XML tree as plain text: the text of each
// node in order, block elements separated by newlines. Formatting marks and
// embeds are dropped.
func fragmentText(f *crdt.XmlFragment) string {
	var b strings.Builder
	writeNodes(&b, f.Children())
	return strings.TrimRight(b.String(), "\n")
}

func writeNodes(b *strings.Builder, nodes []crdt.XmlNode) {
	for _, n := range nodes {
		switch n := n.(type) {
		case *crdt.XmlText:
			for _, d := range n.Delta() {
				if s, ok := d.Insert.(string); ok {
					b.WriteString(s)
				}
			}
		case *crdt.XmlElement:
			writeNodes(b, n.Children())
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte('\n')
			}
		}
	}
}
