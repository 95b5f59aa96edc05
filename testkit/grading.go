package testkit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Grading is what one run of a lab's grading test showed.
type Grading struct {
	Tests   []string          // the top-level tests that ran, in order
	Passed  []string          // those that passed, sorted
	Skipped []string          // those that skipped, sorted: not for this system
	Failed  []string          // those that failed, sorted
	Message map[string]string // a failed test's first failure message
	Output  string            // everything the tests printed
	Err     error             // go test's own error: nil when all passed
}

// gradingLimit bounds one run of a grading test, as its -timeout.
const gradingLimit = 5 * time.Minute

// RunGrading runs the tests of the lab package in dir with the build tags
// tags, only those matching run when it is not empty, as go test -json
// does, and reports each top-level test's result.
func RunGrading(dir, tags, run string) Grading {
	return RunGradingWithin(context.Background(), dir, tags, run)
}

// RunGradingWithin is RunGrading ended when ctx is: the run, the tests and
// every program they started are killed, and the tests that had not
// finished count as failed.
func RunGradingWithin(ctx context.Context, dir, tags, run string) Grading {
	args := []string{"test", "-tags=" + tags, "-count=1", "-json", "-timeout=" + gradingLimit.String()}
	if run != "" {
		args = append(args, "-run="+run)
	}
	cmd := exec.CommandContext(ctx, "go", append(args, ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	cmd.SysProcAttr = ownGroup()
	cmd.Cancel = func() error { return killGroup(cmd.Process) }
	cmd.WaitDelay = 10 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	g := parseGrading(out)
	g.Err = err
	if ctx.Err() != nil {
		g.Err = fmt.Errorf("stopped: %w", ctx.Err())
		for _, test := range g.Tests {
			if !slices.Contains(g.Passed, test) && !slices.Contains(g.Failed, test) && !slices.Contains(g.Skipped, test) {
				g.Failed = append(g.Failed, test)
				g.Message[test] = "did not finish within the time limit (a server or a test that hangs?)"
			}
		}
		slices.Sort(g.Failed)
		g.Failed = slices.Compact(g.Failed)
	}
	if len(g.Tests) == 0 && err != nil {
		g.Output += stderr.String()
	}
	return g
}

// goTestEvent is one line of go test -json.
type goTestEvent struct{ Action, Test, Output string }

// failureLine is where a test's own failure message starts.
var failureLine = regexp.MustCompile(`^\s+\w+\.go:\d+: `)

func parseGrading(out []byte) Grading {
	g := Grading{Message: map[string]string{}}
	var text strings.Builder
	ran := map[string]bool{}
	first := map[string]string{} // a top-level test's first message line, from it or a subtest
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var ev goTestEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			continue
		}
		text.WriteString(ev.Output)
		top, _, _ := strings.Cut(ev.Test, "/")
		switch {
		case top == "":
		case ev.Action == "run" && !ran[top]:
			ran[top] = true
			g.Tests = append(g.Tests, top)
		case ev.Action == "output" && first[top] == "" && failureLine.MatchString(ev.Output):
			first[top] = strings.TrimSpace(failureLine.ReplaceAllString(ev.Output, ""))
		case ev.Action == "fail" && ev.Test == top:
			g.Failed = append(g.Failed, top)
			g.Message[top] = first[top]
		case ev.Action == "pass" && ev.Test == top:
			g.Passed = append(g.Passed, top)
		case ev.Action == "skip" && ev.Test == top:
			g.Skipped = append(g.Skipped, top)
		}
	}
	slices.Sort(g.Passed)
	slices.Sort(g.Skipped)
	slices.Sort(g.Failed)
	g.Output = text.String()
	return g
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// Expect returns the tests of want that ran here: those that skipped, on a
// system a test is not for, cannot fail.
func (g Grading) Expect(want []string) []string {
	var ran []string
	for _, test := range want {
		if !slices.Contains(g.Skipped, test) {
			ran = append(ran, test)
		}
	}
	return ran
}
