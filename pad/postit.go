package pad

import (
	"strings"

	"github.com/commonpad/commonpad/crdt"
)

// PostitHeading is the heading under which post-its are collected.
const PostitHeading = "Post-its"

// AppendPostit adds a post-it as the last item of the list under the
// "Post-its" heading, creating the heading (at the end of the pad) and the
// list when they are missing. author may be empty.
func AppendPostit(tx *crdt.Txn, f *crdt.XmlFragment, text, author string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	list, err := postitList(tx, f)
	if err != nil {
		return err
	}
	item, err := list.InsertElement(tx, list.Len(), "listItem")
	if err != nil {
		return err
	}
	p, err := item.InsertElement(tx, 0, "paragraph")
	if err != nil {
		return err
	}
	t, err := p.InsertText(tx, 0, text)
	if err != nil {
		return err
	}
	if author = strings.TrimSpace(author); author != "" {
		if err := t.Insert(tx, t.Len(), " — ", nil); err != nil {
			return err
		}
		return t.Insert(tx, t.Len(), author, crdt.Attributes{"italic": map[string]any{}})
	}
	return nil
}

// postitList finds the list that follows the post-it heading, or makes it.
func postitList(tx *crdt.Txn, f *crdt.XmlFragment) (*crdt.XmlElement, error) {
	kids := f.Children()
	for i, n := range kids {
		h, ok := n.(*crdt.XmlElement)
		if !ok || h.NodeName() != "heading" || strings.TrimSpace(inlineText(h.Children())) != PostitHeading {
			continue
		}
		if i+1 < len(kids) {
			if l, ok := kids[i+1].(*crdt.XmlElement); ok && l.NodeName() == "bulletList" {
				return l, nil
			}
		}
		return f.InsertElement(tx, i+1, "bulletList")
	}
	h, err := f.InsertElement(tx, f.Len(), "heading")
	if err != nil {
		return nil, err
	}
	h.SetAttribute(tx, "level", 2)
	if _, err := h.InsertText(tx, 0, PostitHeading); err != nil {
		return nil, err
	}
	return f.InsertElement(tx, f.Len(), "bulletList")
}
