package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// root is the repository; the seeds are beside it, in ../shared/seeds.
var root = func() string {
	r, err := repoRoot()
	if err != nil {
		panic(err)
	}
	return r
}()

// shared is the folder beside the repository that holds the seeds. A copy
// of the course without it still reads, but the seed links go nowhere, so
// the checks of those links skip.
var shared = filepath.Join(root, "..", "shared")

func haveShared() bool {
	_, err := os.Stat(filepath.Join(shared, "seeds"))
	return err == nil
}

// pages are the Markdown files whose links and commands are checked: the
// docs pages and every README of the repository.
func pages(t *testing.T) []string {
	t.Helper()
	var out []string
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	readmes, _ := filepath.Glob(filepath.Join(root, "*", "README.md"))
	out = append(out, docs...)
	out = append(out, readmes...)
	out = append(out, filepath.Join(root, "README.md"))
	if len(docs) == 0 {
		t.Fatal("no pages in docs/")
	}
	return out
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func rel(path string) string {
	r, err := filepath.Rel(root, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(r)
}

var (
	linkRE     = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]+)\)`)
	testNameRE = regexp.MustCompile("^`?(Test[A-Za-z0-9_]+)(/[^`]*)?`?$")
	codeSpanRE = regexp.MustCompile("`([^`\n]+)`")
)

// target resolves a relative link of page, or returns "" for a link that
// leaves the repository's files (a web address, an anchor).
func target(page, link string) string {
	if strings.Contains(link, "://") || strings.HasPrefix(link, "#") || strings.HasPrefix(link, "mailto:") {
		return ""
	}
	link, _, _ = strings.Cut(link, "#")
	return filepath.Join(filepath.Dir(page), filepath.FromSlash(link))
}

// corpus is what the course shows: its code, tests and transcripts, and the
// seeds.
func corpus(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, pattern := range []string{"0*/*.go", "0*/*/*.go", "0*/testdata/*.ct", "0*/testdata/*/*.ct", "../shared/seeds/*.txt"} {
		files, _ := filepath.Glob(filepath.Join(root, pattern))
		for _, f := range files {
			b.WriteString(read(t, f))
		}
	}
	return b.String()
}

// tableRows returns the body rows of every Markdown table in page: not
// the header rows, nor the lines of dashes under them.
func tableRows(page string) []string {
	var rows []string
	lines := strings.Split(page, "\n")
	for i, line := range lines {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") || isRule(line) {
			continue
		}
		if i+1 < len(lines) && isRule(strings.TrimSpace(lines[i+1])) {
			continue // a header
		}
		rows = append(rows, line)
	}
	return rows
}

// isRule tells whether a table's line is the one under its header.
func isRule(line string) bool {
	return strings.HasPrefix(line, "|") && strings.Trim(line, "|-: ") == ""
}

// cells splits a table row into its cells ("|" inside a code span does not split).
func cells(row string) []string {
	var out []string
	var cell strings.Builder
	inCode := false
	for _, r := range strings.Trim(row, "|") {
		switch {
		case r == '`':
			inCode = !inCode
		case r == '|' && !inCode:
			out = append(out, cell.String())
			cell.Reset()
			continue
		}
		cell.WriteRune(r)
	}
	return append(out, cell.String())
}
