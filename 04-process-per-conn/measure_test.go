package main

import (
	"strings"
	"testing"
)

// TestMeasure runs a small measure, to keep the command that made the
// README's numbers working; the numbers themselves come from
// "go run . measure" (see the README).
func TestMeasure(t *testing.T) {
	out, status := chapter.Native().Run(t, "measure", "-runs", "1", "-conns", "5")
	if status != 0 || !strings.Contains(out, "\nmedian ") {
		t.Errorf("measure exited %d:\n%s", status, out)
	}
	t.Log("\n" + out)
}
