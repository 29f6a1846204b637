package yjsoracle

import (
	"encoding/json"
	"fmt"
)

// Root kinds understood by the oracle's content command.
const (
	KindText  = "text"  // Y.Text
	KindMap   = "map"   // Y.Map
	KindArray = "array" // Y.Array
	KindXML   = "xml"   // Y.XmlFragment
)

// Root names a root type and the kind to read it as; the wire format does not say.
type Root struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// Content holds the rendering of each requested root, keyed by root name:
//
//	text        {"string": toString(), "delta": toDelta()}
//	map, array  toJSON() in ext JSON
//	xml         {"string": toString(), "tree": [node...]}
//
// See Text, XML and Decode for typed access.
type Content map[string]json.RawMessage

// Text is a Y.Text rendering.
type Text struct {
	String string  `json:"string"`
	Delta  []Delta `json:"delta"`
}

// Delta is one Quill-style delta run. Insert is a string, or for an embed its JSON object
// (a map[string]any).
type Delta struct {
	Insert     any            `json:"insert"`
	Attributes map[string]any `json:"attributes,omitempty"`
}

// XML is a Y.XmlFragment rendering.
type XML struct {
	String string    `json:"string"`
	Tree   []XMLNode `json:"tree"`
}

// XMLNode is one child in an XML tree. Exactly one of Name (an XmlElement), Text (an XmlText)
// and Hook (an XmlHook) is set.
type XMLNode struct {
	Name     *string        `json:"name,omitempty"`
	Attrs    map[string]any `json:"attrs,omitempty"`
	Children []XMLNode      `json:"children,omitempty"`
	Text     *string        `json:"text,omitempty"` // XmlText.toString(): runs wrapped in tags named after their attributes
	Delta    []Delta        `json:"delta,omitempty"`
	Hook     *string        `json:"hook,omitempty"`
	Map      map[string]any `json:"map,omitempty"` // an XmlHook's entries
}

// Decode unmarshals the rendering of root name into v.
func (c Content) Decode(name string, v any) error {
	raw, ok := c[name]
	if !ok {
		return fmt.Errorf("yjsoracle: no content for root %q", name)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("yjsoracle: content of root %q: %w", name, err)
	}
	return nil
}

// Text returns the rendering of a text root.
func (c Content) Text(name string) (Text, error) {
	var t Text
	err := c.Decode(name, &t)
	return t, err
}

// XML returns the rendering of an xml root.
func (c Content) XML(name string) (XML, error) {
	var x XML
	err := c.Decode(name, &x)
	return x, err
}

// Map returns the toJSON of a map root.
func (c Content) Map(name string) (map[string]any, error) {
	var m map[string]any
	err := c.Decode(name, &m)
	return m, err
}

// Array returns the toJSON of an array root.
func (c Content) Array(name string) ([]any, error) {
	var a []any
	err := c.Decode(name, &a)
	return a, err
}
