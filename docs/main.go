// Command docs writes the pages of docs/ that are made from the code:
// diffs.md, the change in the server's core from each chapter to the next.
// Run it from anywhere in the repository:
//
//	go run ./docs
//
// Its tests check that those pages match the code, and that the pages
// written by hand quote the code truly (links, tests, seed lines, calls,
// error names, commands and flags).
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	root, err := repoRoot()
	if err == nil {
		err = writeDiffs(root)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "docs:", err)
		os.Exit(1)
	}
	fmt.Println("wrote docs/diffs.md")
}

// repoRoot is the directory of the workspace's go.work.
func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOWORK").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOWORK: %v", err)
	}
	work := strings.TrimSpace(string(out))
	if work == "" || work == "off" {
		return "", fmt.Errorf("not inside the course's workspace (no go.work)")
	}
	return filepath.Dir(work), nil
}
