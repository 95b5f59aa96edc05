package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// outputRE matches a code span that quotes a program's output: a failure
// line ending in an error's name, or a trace line of a failed call.
var outputRE = regexp.MustCompile(`\(((WSA)?E[A-Z0-9]+|WSA_[A-Z_]+|EAI_[A-Z]+|WSAHOST_NOT_FOUND)\)$| = (-1|SOCKET_ERROR) `)

// TestQuotedOutputs checks that every line of program output the docs
// pages quote is one the course's code, tests or transcripts really hold
// ("..." stands for a part left out; PORT and ${PORT} are the same port).
func TestQuotedOutputs(t *testing.T) {
	norm := strings.NewReplacer("${PORT}", "PORT").Replace
	all := norm(corpus(t))
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	quoted := 0
	for _, page := range docs {
		if filepath.Base(page) == "diffs.md" {
			continue
		}
		for _, m := range codeSpanRE.FindAllStringSubmatch(read(t, page), -1) {
			if !outputRE.MatchString(m[1]) {
				continue
			}
			quoted++
			for _, part := range strings.Split(norm(m[1]), "...") {
				if strings.TrimSpace(part) != "" && !strings.Contains(all, part) {
					t.Errorf("%s quotes %q; no code, test or transcript of the course holds %q", rel(page), m[1], part)
					break
				}
			}
		}
	}
	if quoted == 0 {
		t.Error("the pages quote no program output: is outputRE still right?")
	}
}
