package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestSeedQuotes checks seed-bugs.md: every entry names the seed's lines
// and quotes one that is really there, and says what pins its fix.
func TestSeedQuotes(t *testing.T) {
	if !haveShared() {
		t.Skip("the seeds are not beside this copy of the course (../shared/seeds): their quotes and links are not checked")
	}
	page := read(t, filepath.Join(root, "docs", "seed-bugs.md"))
	whereRE := regexp.MustCompile("^Where: seed (\\d{3}), lines? (\\d+)(?:[–-](\\d+))?: `([^`]+)`")
	entries := strings.Split(page, "\n### ")[1:]
	if len(entries) == 0 {
		t.Fatal("seed-bugs.md has no ### entries")
	}
	seeds := map[string][]string{}
	for _, e := range entries {
		title, _, _ := strings.Cut(e, "\n")
		var where []string
		for _, line := range strings.Split(e, "\n") {
			if m := whereRE.FindStringSubmatch(line); m != nil {
				where = m
			}
		}
		if where == nil {
			t.Errorf("entry %q: no line \"Where: seed NNN, lines A–B: `quote`\"", title)
			continue
		}
		if !strings.Contains(e, "\nPinned by: ") {
			t.Errorf("entry %q: no line \"Pinned by: ...\"", title)
		}
		lines, ok := seeds[where[1]]
		if !ok {
			files, _ := filepath.Glob(filepath.Join(shared, "seeds", where[1]+"_*.txt"))
			if len(files) != 1 {
				t.Fatalf("seed %s: %d files", where[1], len(files))
			}
			lines = strings.Split(read(t, files[0]), "\n")
			seeds[where[1]] = lines
		}
		from, _ := strconv.Atoi(where[2])
		to := from
		if where[3] != "" {
			to, _ = strconv.Atoi(where[3])
		}
		if from < 1 || to < from || to > len(lines) {
			t.Errorf("entry %q: lines %d–%d are not in seed %s (%d lines)", title, from, to, where[1], len(lines))
			continue
		}
		quote := squash(where[4])
		if !strings.Contains(squash(strings.Join(lines[from-1:to], "\n")), quote) {
			t.Errorf("entry %q: seed %s, lines %d–%d do not hold %q", title, where[1], from, to, where[4])
		}
	}
}

// squash folds every run of white space into one space.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }
