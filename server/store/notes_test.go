package store

import "testing"

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Réunion du 12 mars":    "reunion-du-12-mars",
		"  Œuvres & Ça va ?!  ": "oeuvres-ca-va",
		"Élève---à   l'école":   "eleve-a-l-ecole",
		"":                      "note",
		"日本語":                   "note",
		"UPPER case":            "upper-case",
		"café-crème":            "cafe-creme",
	} {
		got := Slugify(in)
		if got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
		if err := CheckSlug(got); err != nil {
			t.Errorf("CheckSlug(Slugify(%q)): %v", in, err)
		}
	}
	long := Slugify("aaaaaaaaaa aaaaaaaaaa aaaaaaaaaa aaaaaaaaaa aaaaaaaaaa aaaaaaaaaa aaaaaaaaaa aaaaaaaaaa aaaaaaaaaa")
	if len(SlugCandidate(long, 999)) > MaxSlugBytes || CheckSlug(SlugCandidate(long, 999)) != nil {
		t.Errorf("long slug %q leaves no room for a suffix", long)
	}
}
