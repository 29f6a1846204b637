package e2e

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// eventually polls cond until it holds, failing t with cond's last
// explanation after within.
func eventually(t *testing.T, within time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, why := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true after %v: %s", what, within, why)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// waitConverged waits until every client is connected and synced and all
// have the same state vector and text with nothing pending, and returns
// their states.
func waitConverged(t *testing.T, within time.Duration, clients ...client) []clientState {
	t.Helper()
	var states []clientState
	eventually(t, within, "clients converge", func() (bool, string) {
		states = make([]clientState, len(clients))
		calls := make([]*call, len(clients))
		for i, c := range clients {
			calls[i] = c.d.send(t, "state", c.args())
		}
		for i, c := range calls {
			c.wait(t, defaultCallTimeout, &states[i])
		}
		return converged(clients, states)
	})
	return states
}

func converged(clients []client, states []clientState) (bool, string) {
	first := states[0]
	for i, st := range states {
		switch {
		case st.Status != "connected" || !st.Synced:
			return false, fmt.Sprintf("%v is %s (synced %v)", clients[i], st.Status, st.Synced)
		case st.Pending:
			return false, fmt.Sprintf("%v has pending structs", clients[i])
		case !maps.Equal(st.SV, first.SV):
			return false, fmt.Sprintf("%v state vector %v, %v has %v", clients[i], st.SV, clients[0], first.SV)
		case st.TextSHA256 != first.TextSHA256:
			return false, fmt.Sprintf("%v text differs from %v's with the same state vector", clients[i], clients[0])
		}
	}
	return true, ""
}

// tokenRE matches the tokens driver.mjs types: "(label-NNN)".
var tokenRE = regexp.MustCompile(`\([a-z0-9]+-[0-9]{3}\)`)

// tokensOf splits text into tokens, failing t if anything else is in it:
// a broken or interleaved token means characters were lost or misplaced.
func tokensOf(t *testing.T, text string) []string {
	t.Helper()
	toks := tokenRE.FindAllString(text, -1)
	if strings.Join(toks, "") != text {
		t.Fatalf("text is not made of whole tokens: %q", tail(text, 400))
	}
	return toks
}

// expectTokens checks that text holds exactly the tokens inserted and not
// deleted by the edits, each once.
func expectTokens(t *testing.T, text string, edits ...editResult) {
	t.Helper()
	want := map[string]bool{}
	for _, e := range edits {
		for _, tok := range e.Inserted {
			want[tok] = true
		}
	}
	for _, e := range edits {
		for _, tok := range e.Deleted {
			if !want[tok] {
				t.Fatalf("deleted token %s was never inserted", tok)
			}
			delete(want, tok)
		}
	}
	got := tokensOf(t, text)
	seen := map[string]bool{}
	var dup, extra []string
	for _, tok := range got {
		if seen[tok] {
			dup = append(dup, tok)
		}
		seen[tok] = true
		if !want[tok] {
			extra = append(extra, tok)
		}
	}
	var missing []string
	for tok := range want {
		if !seen[tok] {
			missing = append(missing, tok)
		}
	}
	slices.Sort(missing)
	if len(dup)+len(extra)+len(missing) > 0 {
		t.Fatalf("tokens: %d missing %v, %d unexpected %v, %d duplicated %v", len(missing), missing, len(extra), extra, len(dup), dup)
	}
}

// text returns a state's text, failing if the driver left it out.
func (st clientState) text(t *testing.T) string {
	t.Helper()
	if st.Text == nil {
		t.Fatalf("client %d: text not reported (%d units)", st.ClientID, st.TextUnits)
	}
	return *st.Text
}

// noCloses fails t if the server closed any client's connection.
func noCloses(t *testing.T, clients []client, states []clientState) {
	t.Helper()
	for i, st := range states {
		if len(st.Closes) > 0 {
			t.Errorf("%v was closed by the server: %+v", clients[i], st.Closes)
		}
	}
}

func (st clientState) awarenessUser(id uint64) (*user, bool) {
	for _, a := range st.Awareness {
		if a.ClientID == id {
			return a.User, true
		}
	}
	return nil, false
}
