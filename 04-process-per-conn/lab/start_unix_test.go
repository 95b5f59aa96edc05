//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChildStartTriedAgain checks the given code, not yours: a child whose
// program does not start at all is tried again, startTries times in all,
// each failure said on stderr, and then start returns the error.
func TestChildStartTriedAgain(t *testing.T) {
	r, w, err := os.Pipe() // any descriptor will do: start only hands it on
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	var stdout, stderr bytes.Buffer
	f := &family{stdout: &stdout, stderr: &stderr, exe: filepath.Join(t.TempDir(), "missing")}
	err = f.start(&sock{h: int(r.Fd())}, nil)
	if err == nil || !strings.Contains(err.Error(), "starting child 1: ") || !strings.HasSuffix(err.Error(), "(3 tries)") {
		t.Errorf("start of a program that does not exist returned %v; want \"starting child 1: ... (3 tries)\"", err)
	}
	if got := strings.Count(stderr.String(), "; trying again\n"); got != startTries-1 {
		t.Errorf("stderr says %d times that it tries again, want %d:\n%s", got, startTries-1, stderr.String())
	}
	if stdout.Len() > 0 {
		t.Errorf("stdout says %q; no child started", stdout.String())
	}
}
