package server

import (
	"net/http"
	"strconv"
	"strings"
)

// chromeStrings are the words of the note pages around the note itself,
// which stays in the language it was written in.
type chromeStrings struct {
	Lang          string
	Untitled      string
	PublicNotes   string
	NoNotes       string
	Authors       string
	Published     string
	Updated       string
	Version       string
	Versions      string
	Visibility    string
	Public        string
	Unlisted      string
	Feed          string
	Downloads     string
	PlainText     string
	OldVersion    string
	SeeLatest     string
	Older         string
	DateLayout    string
	LatestVersion string
}

var chromeEN = chromeStrings{
	Lang: "en", Untitled: "Untitled", PublicNotes: "Public notes", NoNotes: "No public notes yet.",
	Authors: "Authors", Published: "Published", Updated: "Updated", Version: "Version",
	Versions: "Versions", Visibility: "Visibility", Public: "public", Unlisted: "unlisted",
	Feed: "Atom feed", Downloads: "Download", PlainText: "Text", OldVersion: "This is an earlier version of the note.",
	SeeLatest: "See the latest version", Older: "Older notes", DateLayout: "January 2, 2006 15:04 MST",
	LatestVersion: "latest",
}

var chromeFR = chromeStrings{
	Lang: "fr", Untitled: "Sans titre", PublicNotes: "Notes publiques", NoNotes: "Aucune note publique pour l'instant.",
	Authors: "Auteurs", Published: "Publiée le", Updated: "Mise à jour le", Version: "Version",
	Versions: "Versions", Visibility: "Visibilité", Public: "publique", Unlisted: "non listée",
	Feed: "Flux Atom", Downloads: "Télécharger", PlainText: "Texte", OldVersion: "Ceci est une version antérieure de la note.",
	SeeLatest: "Voir la dernière version", Older: "Notes plus anciennes", DateLayout: "02/01/2006 15:04 MST",
	LatestVersion: "dernière",
}

func chrome(french bool) chromeStrings {
	if french {
		return chromeFR
	}
	return chromeEN
}

// preferFrench reads Accept-Language: French wins when it has the highest
// weight of the two languages the pages speak, ties going to the one
// listed first.
func preferFrench(r *http.Request) bool {
	best, bestQ := "", 0.0
	for part := range strings.SplitSeq(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		lang, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if lang != "fr" && lang != "en" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best == "fr"
}
