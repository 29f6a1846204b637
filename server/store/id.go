package store

import (
	"fmt"
	"unicode/utf8"
)

// MaxIDBytes is the longest pad ID, or read-only ID, that stores accept.
// Real IDs are short random strings; the limit keeps a hostile URL from
// becoming a huge key and stays far below every back end's own key limit.
const MaxIDBytes = 1024

// CheckID reports whether id can name a pad: it must be non-empty, valid
// UTF-8 and at most MaxIDBytes long. Any character is allowed, so back ends
// must not give characters such as ':', '/' or '{' a meaning of their own.
// The error matches ErrInvalid.
func CheckID(id string) error {
	if id == "" {
		return fmt.Errorf("%w: empty pad id", ErrInvalid)
	}
	if len(id) > MaxIDBytes {
		return fmt.Errorf("%w: pad id of %d bytes exceeds %d", ErrInvalid, len(id), MaxIDBytes)
	}
	if !utf8.ValidString(id) {
		return fmt.Errorf("%w: pad id is not valid UTF-8", ErrInvalid)
	}
	return nil
}
