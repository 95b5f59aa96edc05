package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCIRunsTheReadmeCommand checks that .ci/run runs the test command the
// README gives, word for word.
func TestCIRunsTheReadmeCommand(t *testing.T) {
	command := readmeTestCommand(t)
	if _, err := os.Stat(filepath.Join(root, "classroom")); err != nil {
		t.Skip("a student's copy of the course (no classroom/): it has no CI to check")
	}
	ci := read(t, filepath.Join(root, ".ci", "run"))
	if !slices.Contains(strings.Split(ci, "\n"), command) {
		t.Errorf(".ci/run does not run the README's test command %q", command)
	}
}

// TestWorkflow checks the GitHub Actions workflow: actionlint (a Go tool of
// this module) finds nothing wrong in it, and it runs the README's test
// command word for word.
func TestWorkflow(t *testing.T) {
	workflows, _ := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	if len(workflows) == 0 {
		if _, err := os.Stat(filepath.Join(root, "classroom")); err != nil {
			t.Skip("a student's copy of the course (no classroom/): it has no workflow")
		}
		t.Fatal("no workflow in .github/workflows")
	}
	cmd := exec.Command("go", append([]string{"tool", "actionlint"}, workflows...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("actionlint: %v\n%s", err, out)
	}
	command := readmeTestCommand(t)
	for _, w := range workflows {
		if !strings.Contains(read(t, w), "run: "+command+"\n") {
			t.Errorf("%s does not run the README's test command %q", rel(w), command)
		}
	}
}

// readmeTestCommand returns the test command the README gives: its first
// line that starts with "go test ".
func readmeTestCommand(t *testing.T) string {
	t.Helper()
	for _, line := range strings.Split(read(t, filepath.Join(root, "README.md")), "\n") {
		if strings.HasPrefix(line, "go test ") {
			return line
		}
	}
	t.Fatal("README.md gives no line starting with \"go test \"")
	return ""
}
