package main

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestFileMapListsEveryFile: a chapter's README opens its code with a file
// map ("## The files": the model, the calls, the scaffolding), and a reader
// who follows it meets every Go file of the chapter, each in one row.
func TestFileMapListsEveryFile(t *testing.T) {
	link := regexp.MustCompile(`\]\(([\w.]+\.go)\)`)
	for _, ch := range chapters {
		rows := map[string]int{}
		for line := range strings.Lines(fileMap(t, root, ch)) {
			// A row is for the files linked in its first cell.
			first, _, ok := strings.Cut(strings.TrimPrefix(line, "| "), " |")
			if !strings.HasPrefix(line, "| ") || !ok {
				continue
			}
			for _, m := range link.FindAllStringSubmatch(first, -1) {
				rows[m[1]]++
			}
		}
		files, err := filepath.Glob(filepath.Join(root, ch, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			name := filepath.Base(f)
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			switch rows[name] {
			case 0:
				t.Errorf("%s/README.md: the file map has no row for %s", ch, name)
			case 1:
			default:
				t.Errorf("%s/README.md: the file map lists %s in %d rows", ch, name, rows[name])
			}
		}
		for name := range rows {
			if !slices.ContainsFunc(files, func(f string) bool { return filepath.Base(f) == name }) {
				t.Errorf("%s/README.md: the file map lists %s, which is not in the chapter", ch, name)
			}
		}
	}
}
