package testkit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// LabFailsOnStarter proves a lab's grading test honest: it runs the tests of
// the package in the current directory again, built without -tags solution,
// so against the starter code a student is given, and fails unless the
// starter builds and at least one grading test fails on it. A lab calls it
// from a test file built only with the solution tag, so the run it starts
// does not start another.
func LabFailsOnStarter(t *testing.T) {
	t.Helper()
	cmd := exec.Command("go", "test", "-tags=", "-count=1", "-json", "-timeout=3m", ".")
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	out, err := cmd.Output()
	if err == nil {
		t.Fatalf("the grading test passes on the starter code: it grades nothing\n%s", out)
	}
	var failed []string
	var output strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var ev struct{ Action, Test, Output string }
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			continue
		}
		output.WriteString(ev.Output)
		if ev.Action == "fail" && ev.Test != "" && !strings.Contains(ev.Test, "/") {
			failed = append(failed, ev.Test)
		}
	}
	if len(failed) == 0 {
		t.Fatalf("go test on the starter code failed without a failing test (does the starter build?): %v\n%s%s",
			err, output.String(), exitStderr(err))
	}
	t.Logf("on the starter code these tests fail, as they should: %s", strings.Join(failed, ", "))
}

func exitStderr(err error) string {
	if exit, ok := err.(*exec.ExitError); ok {
		return string(exit.Stderr)
	}
	return ""
}
