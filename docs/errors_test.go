package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// errorNameRE matches the names of error codes: EAGAIN, WSAEWOULDBLOCK,
// WSA_OPERATION_ABORTED.
var errorNameRE = regexp.MustCompile(`^(E[A-Z0-9]{3,}|WSAE[A-Z0-9]+|WSA_[A-Z_]+)$`)

// TestErrorNames checks every error name the docs pages write as code: the
// course shows it somewhere, and in errors.md each link of a row points to a
// file that shows one of the row's errors.
func TestErrorNames(t *testing.T) {
	all := corpus(t)
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	for _, page := range docs {
		if filepath.Base(page) == "diffs.md" {
			continue
		}
		for _, m := range codeSpanRE.FindAllStringSubmatch(read(t, page), -1) {
			name := m[1]
			if errorNameRE.MatchString(name) && !regexp.MustCompile(`\b`+name+`\b`).MatchString(all) {
				t.Errorf("%s: %s is in no chapter's code, transcript or seed", rel(page), name)
			}
		}
	}
	page := filepath.Join(root, "docs", "errors.md")
	rows := 0
	for _, row := range tableRows(read(t, page)) {
		var names []string
		for _, m := range codeSpanRE.FindAllStringSubmatch(row, -1) {
			if errorNameRE.MatchString(m[1]) {
				names = append(names, m[1])
			}
		}
		if len(names) == 0 {
			continue
		}
		rows++
		for _, m := range linkRE.FindAllStringSubmatch(row, -1) {
			path := target(page, m[2])
			if path == "" {
				continue
			}
			text, err := os.ReadFile(path)
			if err != nil {
				continue // TestLinks reports it
			}
			if !slices.ContainsFunc(names, func(n string) bool { return bytes.Contains(text, []byte(n)) }) {
				t.Errorf("errors.md: row of %s links to %s, which shows none of them", strings.Join(names, ", "), m[2])
			}
		}
	}
	if rows < 10 {
		t.Errorf("errors.md: %d rows name errors; the page promises at least the ten of its issue", rows)
	}
}
