package crdt

import (
	"fmt"
	"slices"
	"strings"

	"github.com/commonpad/commonpad/crdt/internal/lib0"
)

// XmlNode is a child of an XML container: *XmlElement, *XmlText or *XmlHook.
type XmlNode interface{ xmlNode() }

func (*XmlElement) xmlNode() {}
func (*XmlText) xmlNode()    {}
func (*XmlHook) xmlNode()    {}

// xmlChildren is the list part shared by fragments and elements.
type xmlChildren struct{ b *branch }

// XmlFragment is a shared XML tree root (Y.XmlFragment), the type
// y-prosemirror and TipTap bind an editor to.
type XmlFragment struct{ xmlChildren }

// XmlElement is an element (Y.XmlElement): a node name, attributes, children.
type XmlElement struct{ xmlChildren }

// XmlText is a text node (Y.XmlText): a rich text whose formatting attributes
// are the marks of the editor.
type XmlText struct{ Text }

// XmlHook is a named map in an XML tree (Y.XmlHook).
type XmlHook struct{ b *branch }

// XmlFragment returns the root XML fragment called name.
func (d *Doc) XmlFragment(name string) *XmlFragment {
	return &XmlFragment{xmlChildren{d.typedRoot(name, typeXMLFragment)}}
}

// Len returns the number of children.
func (x xmlChildren) Len() int { return x.b.length }

// Children returns the child nodes in order.
func (x xmlChildren) Children() []XmlNode {
	var out []XmlNode
	for _, v := range x.b.listValues() {
		if n, ok := v.(XmlNode); ok {
			out = append(out, n)
		}
	}
	return out
}

// Child returns the child at index.
func (x xmlChildren) Child(index int) (XmlNode, bool) {
	v, ok := x.b.listGet(index)
	if !ok {
		return nil, false
	}
	n, ok := v.(XmlNode)
	return n, ok
}

// InsertElement inserts a new empty element called nodeName at index.
func (x xmlChildren) InsertElement(tx *Txn, index int, nodeName string) (*XmlElement, error) {
	b, err := tx.insertType(x.b, index, typeXMLElement, nodeName)
	if err != nil {
		return nil, err
	}
	return &XmlElement{xmlChildren{b}}, nil
}

// InsertText inserts a new text node at index, holding s (which may be empty).
func (x xmlChildren) InsertText(tx *Txn, index int, s string) (*XmlText, error) {
	b, err := tx.insertType(x.b, index, typeXMLText, "")
	if err != nil {
		return nil, err
	}
	t := &XmlText{Text{b}}
	if s != "" {
		if err := t.Insert(tx, 0, s, nil); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Delete removes length children from index.
func (x xmlChildren) Delete(tx *Txn, index, length int) error {
	if index < 0 || length < 0 || index+length > x.b.length {
		return ErrIndexOutOfRange
	}
	if length > 0 {
		tx.listDelete(x.b, index, length)
	}
	return nil
}

// String renders the children as Yjs toString does.
func (x xmlChildren) String() string {
	var sb strings.Builder
	for _, n := range x.Children() {
		sb.WriteString(xmlString(n))
	}
	return sb.String()
}

func xmlString(n XmlNode) string {
	switch n := n.(type) {
	case *XmlElement:
		return n.String()
	case *XmlText:
		return n.String()
	case *XmlHook:
		// A hook is a map, which JavaScript renders as an object.
		return "[object Object]"
	}
	return ""
}

// NodeName returns the element's name, e.g. "paragraph".
func (e *XmlElement) NodeName() string { return e.b.name }

// Attributes returns the element's attributes.
func (e *XmlElement) Attributes() map[string]any {
	out := make(map[string]any)
	for _, k := range e.b.keys {
		if v, ok := e.b.entry(k); ok {
			out[k] = v
		}
	}
	return out
}

// Attribute returns one attribute.
func (e *XmlElement) Attribute(key string) (any, bool) { return e.b.entry(key) }

// SetAttribute sets an attribute to a JSON-like value.
func (e *XmlElement) SetAttribute(tx *Txn, key string, value any) {
	tx.mapSet(e.b, key, valueContent(value))
}

// RemoveAttribute removes an attribute.
func (e *XmlElement) RemoveAttribute(tx *Txn, key string) {
	if it := e.b.entries[key]; it != nil {
		tx.delete(it)
	}
}

// String renders the element as Yjs does: lower-cased name, attributes
// sorted by name, then the children.
func (e *XmlElement) String() string {
	attrs := e.Attributes()
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	name := strings.ToLower(e.b.name)
	var sb strings.Builder
	sb.WriteString("<" + name)
	for _, k := range keys {
		fmt.Fprintf(&sb, " %s=\"%s\"", k, jsString(attrs[k]))
	}
	sb.WriteString(">")
	sb.WriteString(e.xmlChildren.String())
	sb.WriteString("</" + name + ">")
	return sb.String()
}

// String renders the text with its formatting as nested tags (Yjs
// YXmlText.toString): attribute names sorted, each tag carrying the fields of
// the attribute's value, sorted.
func (t *XmlText) String() string {
	var sb strings.Builder
	for _, d := range t.Delta() {
		names := make([]string, 0, len(d.Attributes))
		for k := range d.Attributes {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, name := range names {
			sb.WriteString("<" + name)
			for _, f := range sortedFields(d.Attributes[name]) {
				fmt.Fprintf(&sb, " %s=\"%s\"", f.Key, jsString(f.Value))
			}
			sb.WriteString(">")
		}
		if s, ok := d.Insert.(string); ok {
			sb.WriteString(s)
		} else {
			sb.WriteString(jsString(d.Insert))
		}
		for i := len(names) - 1; i >= 0; i-- {
			sb.WriteString("</" + names[i] + ">")
		}
	}
	return sb.String()
}

// sortedFields lists what JavaScript's for-in yields for a value, sorted:
// an object's keys, a string's indices, nothing for other primitives.
func sortedFields(v any) []lib0.Field {
	var fs []lib0.Field
	switch v := v.(type) {
	case lib0.Object:
		fs = append(fs, v...)
	case string:
		i := 0
		for _, r := range v {
			fs = append(fs, lib0.Field{Key: fmt.Sprint(i), Value: string(r)})
			i++
		}
	case []any:
		for i, x := range v {
			fs = append(fs, lib0.Field{Key: fmt.Sprint(i), Value: x})
		}
	}
	slices.SortStableFunc(fs, func(a, b lib0.Field) int { return strings.Compare(a.Key, b.Key) })
	return fs
}

// jsString converts a value to a string as JavaScript's template literals do.
func jsString(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return v
	case bool:
		if v {
			return "true"
		}
		return "false"
	case int64:
		return fmt.Sprint(v)
	case float64:
		return string(lib0.AppendJSNumber(nil, v))
	case lib0.Object, map[string]any:
		return "[object Object]"
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			if x != nil {
				parts[i] = jsString(x)
			}
		}
		return strings.Join(parts, ",")
	case []byte: // a Uint8Array
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = fmt.Sprint(x)
		}
		return strings.Join(parts, ",")
	case lib0.BigInt:
		return fmt.Sprint(int64(v))
	case lib0.UndefinedType:
		return "undefined"
	case XmlNode:
		return xmlString(v)
	}
	return fmt.Sprint(v)
}

// Name returns the hook's name.
func (h *XmlHook) Name() string { return h.b.name }
