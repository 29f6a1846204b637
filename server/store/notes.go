package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Visibility says who finds a note. Both kinds are readable by whoever has
// the slug; only public notes are listed and syndicated.
type Visibility string

const (
	VisibilityPublic   Visibility = "public"
	VisibilityUnlisted Visibility = "unlisted"
)

// Valid reports whether v is one of the known visibilities.
func (v Visibility) Valid() bool { return v == VisibilityPublic || v == VisibilityUnlisted }

// MaxSlugBytes bounds a slug; titles are cut to fit, suffix included.
const MaxSlugBytes = 80

// Note is a published pad. Its content lives in its versions; the note
// repeats the latest version's title and authors so lists need no second
// read.
type Note struct {
	// Slug names the note in URLs; see Slugify. The store may add a
	// suffix to the slug asked for (see Notes.CreateNote).
	Slug       string
	PadID      string
	Title      string
	Authors    []string
	Visibility Visibility
	// PublishedAt is when version 1 was published and never changes;
	// UpdatedAt is when the latest version was.
	PublishedAt time.Time
	UpdatedAt   time.Time
	// Versions summarises every version, oldest (number 1) first.
	Versions []VersionInfo
}

// VersionInfo is what a version list shows of one version.
type VersionInfo struct {
	N           int
	Title       string
	PublishedAt time.Time
}

// NoteVersion is one publication of a note: the pad rendered at that time.
type NoteVersion struct {
	N           int
	Title       string
	HTML        string
	Markdown    string
	Text        string
	Authors     []string
	PublishedAt time.Time
}

// Latest returns the number of the note's newest version.
func (n Note) Latest() int { return len(n.Versions) }

// Clone returns a copy of n that shares no slice with it.
func (n Note) Clone() Note {
	n.Authors = slices.Clone(n.Authors)
	n.Versions = slices.Clone(n.Versions)
	return n
}

// Clone returns a copy of v that shares no slice with it.
func (v NoteVersion) Clone() NoteVersion {
	v.Authors = slices.Clone(v.Authors)
	return v
}

// Check reports whether v can be stored: valid UTF-8 everywhere, since it
// ends up in HTML, JSON and feeds. The error matches ErrInvalid.
func (v NoteVersion) Check() error {
	for _, s := range append([]string{v.Title, v.HTML, v.Markdown, v.Text}, v.Authors...) {
		if !utf8.ValidString(s) {
			return fmt.Errorf("%w: note version holds invalid UTF-8", ErrInvalid)
		}
	}
	return nil
}

// CheckNewNote checks the arguments of Notes.CreateNote. The error matches
// ErrInvalid.
func CheckNewNote(slug, padID string, vis Visibility, v NoteVersion) error {
	if err := CheckSlug(slug); err != nil {
		return err
	}
	if err := CheckID(padID); err != nil {
		return err
	}
	if !vis.Valid() {
		return fmt.Errorf("%w: visibility %q", ErrInvalid, vis)
	}
	return v.Check()
}

// NewNote returns the note CreateNote stores for slug, pad and the first
// version v published at now, and that version numbered 1.
func NewNote(slug, padID string, vis Visibility, v NoteVersion, now time.Time) (Note, NoteVersion) {
	now = now.Round(0).UTC()
	v = v.Clone()
	v.N, v.PublishedAt = 1, now
	return Note{
		Slug: slug, PadID: padID, Title: v.Title, Authors: slices.Clone(v.Authors), Visibility: vis,
		PublishedAt: now, UpdatedAt: now,
		Versions: []VersionInfo{{N: 1, Title: v.Title, PublishedAt: now}},
	}, v
}

// Next returns n with v appended as its next version published at now
// (never before the previous one), and v numbered. An empty vis keeps
// the note's visibility.
func (n Note) Next(vis Visibility, v NoteVersion, now time.Time) (Note, NoteVersion) {
	n = n.Clone()
	now = now.Round(0).UTC()
	if now.Before(n.UpdatedAt) {
		now = n.UpdatedAt
	}
	v = v.Clone()
	v.N, v.PublishedAt = len(n.Versions)+1, now
	n.Title, n.Authors, n.UpdatedAt = v.Title, slices.Clone(v.Authors), now
	if vis != "" {
		n.Visibility = vis
	}
	n.Versions = append(n.Versions, VersionInfo{N: v.N, Title: v.Title, PublishedAt: now})
	return n, v
}

// CheckSlug reports whether s is a slug Slugify could produce. The error
// matches ErrInvalid.
func CheckSlug(s string) error {
	if s == "" || len(s) > MaxSlugBytes {
		return fmt.Errorf("%w: slug of %d bytes", ErrInvalid, len(s))
	}
	for i := range len(s) {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("%w: slug %q", ErrInvalid, s)
		}
	}
	return nil
}

// folds maps the accented letters of French (and their neighbours in
// Latin-1) to ASCII, so a French title keeps its words in its URL.
var folds = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'á': "a", 'ã': "a", 'å': "a",
	'ç': "c", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'î': "i", 'ï': "i", 'í': "i", 'ì': "i", 'ñ': "n",
	'ô': "o", 'ö': "o", 'ó': "o", 'ò': "o", 'õ': "o", 'ø': "o",
	'ù': "u", 'û': "u", 'ü': "u", 'ú': "u", 'ÿ': "y", 'ý': "y",
	'œ': "oe", 'æ': "ae", 'ß': "ss",
}

// Slugify turns a title into a slug: lower-case ASCII letters, digits and
// single hyphens, accents folded ("Réunion du 12 mars" becomes
// "reunion-du-12-mars"). A title with nothing left gives "note".
func Slugify(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(title) {
		s := ""
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			s = string(r)
		default:
			s = folds[r]
		}
		if s == "" {
			hyphen = b.Len() > 0
			continue
		}
		if hyphen {
			b.WriteByte('-')
			hyphen = false
		}
		b.WriteString(s)
	}
	out := b.String()
	// Room for the longest suffix a store adds.
	if max := MaxSlugBytes - 8; len(out) > max {
		out = strings.TrimRight(out[:max], "-")
	}
	if out == "" {
		return "note"
	}
	return out
}

// SlugCandidate returns the i-th slug to try for base: base itself, then
// base-2, base-3 and so on.
func SlugCandidate(base string, i int) string {
	if i <= 1 {
		return base
	}
	return base + "-" + strconv.Itoa(i)
}

// Notes stores published notes. It is safe for concurrent use and copies
// slices in and out.
type Notes interface {
	// CreateNote publishes version 1 of a new note for padID. slug must
	// pass CheckSlug; if it is taken the store uses the first free one of
	// slug-2, slug-3, ... It fails with ErrExists if padID already has a
	// note (publish again with AddVersion), and with ErrInvalid for a bad
	// slug, pad ID, visibility or version. The version's N and
	// PublishedAt are set by the store. It returns the note as stored.
	CreateNote(ctx context.Context, slug, padID string, vis Visibility, v NoteVersion) (Note, error)

	// AddVersion appends the next version to the note, makes its title and
	// authors the note's, and sets the visibility unless vis is empty. It
	// returns the note as stored (its Latest is the new version's number),
	// or ErrNotFound.
	AddVersion(ctx context.Context, slug string, vis Visibility, v NoteVersion) (Note, error)

	// GetNote returns the note with the given slug, or ErrNotFound.
	GetNote(ctx context.Context, slug string) (Note, error)

	// GetNoteByPad returns the note published from padID, or ErrNotFound.
	GetNoteByPad(ctx context.Context, padID string) (Note, error)

	// GetVersion returns version n (from 1) of the note, or ErrNotFound.
	GetVersion(ctx context.Context, slug string, n int) (NoteVersion, error)

	// ListPublic returns public notes, newest PublishedAt first (ties by
	// slug), at most limit of them (zero or negative: no limit), starting
	// after the note whose slug is after (empty: from the newest).
	ListPublic(ctx context.Context, limit int, after string) ([]Note, error)
}
