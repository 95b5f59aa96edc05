package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestDiffsMatchCode fails when diffs.md is not what "go run ./docs" makes
// of the code as it is now.
func TestDiffsMatchCode(t *testing.T) {
	want, err := diffsPage(root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, "docs", "diffs.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/diffs.md does not match the code: run go run ./docs, read the change, and commit it")
	}
}
