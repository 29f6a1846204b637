// Package pad knows the commonpad document model (static/MODEL.md): an
// XmlFragment named "default" holding TipTap StarterKit nodes and marks. It
// renders a pad to HTML, Markdown and plain text, and makes the edits the
// server writes itself, such as post-its from the room.
//
// Rendering builds the output from the CRDT tree only: every text is
// escaped, node names map to a fixed set of tags, links keep their address
// only for http, https and mailto, and nothing a client wrote passes through
// as markup.
package pad

// Fragment is the name of the shared type that holds a pad's text.
const Fragment = "default"
