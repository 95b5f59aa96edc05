package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// place is one package of the course's code, and where a page says it is:
// its chapter's directory, or the chapter's lab/ for the lab's packages.
type place struct{ dir, label string }

// places are where the course's code lives, in reading order: each chapter's
// program (with the packages under it), then its lab.
func places() []place {
	var out []place
	chapters, _ := filepath.Glob(filepath.Join(root, "0*"))
	for _, chapter := range chapters {
		var program, labDirs []place
		filepath.WalkDir(chapter, func(path string, d os.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return err
			}
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			lab := filepath.Join(chapter, "lab")
			if path == lab || strings.HasPrefix(path, lab+string(filepath.Separator)) {
				labDirs = append(labDirs, place{path, lab})
			} else {
				program = append(program, place{path, chapter})
			}
			return nil
		})
		out = append(append(out, program...), labDirs...)
	}
	return out
}

// lineCommentRE matches a Go line comment (and, rarely, the end of a string
// holding "//", which does not matter for finding names).
var lineCommentRE = regexp.MustCompile(`(?m)//.*$`)

// code returns the non-test Go source of the package in dir, without its
// line comments: a comment that names a call does not make it.
func code(t *testing.T, dir string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var b strings.Builder
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			b.WriteString(lineCommentRE.ReplaceAllString(read(t, f), ""))
		}
	}
	return b.String()
}
