package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// MaxAuthorName bounds the length of a recorded name, in runes; a note
// page lists every author.
const MaxAuthorName = 80

// Author is one writer of a pad as the server attributed it: a Yjs client
// id that added content to the pad, and the display name of the person
// behind it.
type Author struct {
	Client uint64
	Name   string
	// Since is when the client id was first recorded for the pad; it
	// orders the pad's authors by first contribution.
	Since time.Time
}

// CheckAuthorName reports whether name can be recorded: non-empty valid
// UTF-8 of at most MaxAuthorName runes. The error matches ErrInvalid.
func CheckAuthorName(name string) error {
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxAuthorName {
		return fmt.Errorf("%w: author name must be non-empty UTF-8 of at most %d characters", ErrInvalid, MaxAuthorName)
	}
	return nil
}

// Authors records who wrote in each pad, so that publishing can name them
// whichever instance they were connected to and however long ago. It is
// safe for concurrent use.
type Authors interface {
	// PutAuthors records the names behind client ids of padID, in one
	// durable write. A client id already recorded keeps its Since and
	// takes the new name (people rename themselves); a new one gets the
	// current time. It fails with ErrInvalid for a bad pad ID or name.
	PutAuthors(ctx context.Context, padID string, names map[uint64]string) error

	// PadAuthors returns the authors recorded for padID, by Since, then by
	// client id. A pad nobody wrote in, or an unknown pad, has none.
	PadAuthors(ctx context.Context, padID string) ([]Author, error)
}

// SortAuthors puts authors in the order PadAuthors returns them: by Since,
// then by client id.
func SortAuthors(as []Author) {
	slices.SortFunc(as, func(a, b Author) int {
		if c := a.Since.Compare(b.Since); c != 0 {
			return c
		}
		return cmp.Compare(a.Client, b.Client)
	})
}

// CheckAuthors validates the arguments of PutAuthors.
func CheckAuthors(padID string, names map[uint64]string) error {
	if err := CheckID(padID); err != nil {
		return err
	}
	for _, n := range names {
		if err := CheckAuthorName(n); err != nil {
			return err
		}
	}
	return nil
}
