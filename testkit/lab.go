package testkit

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// A lab's grading test is proved honest on code that must fail it: the
// starter a student is given, and the mutants, wrong solutions a student
// might write. Each of those files says which grading tests fail on it, in
// a comment line that reads
//
//	// Grading tests that fail on this code: TestA, TestB.
//
// (the list may run on over the next comment lines, up to its full stop),
// and the proofs below check that exactly those fail.

// LabFailsOnStarter proves a lab's grading test honest on the starter: it
// runs the tests of the package in the current directory again, built
// without -tags solution, so against the starter code a student is given,
// and fails unless the starter builds and the grading tests that fail on
// it are exactly those its starter files name (but those that skip on this
// system, not being for it). A lab calls it from a test
// file built only with the solution tag, so the run it starts does not
// start another.
func LabFailsOnStarter(t *testing.T) {
	t.Helper()
	want, err := StarterFailures(".")
	if err != nil {
		t.Fatal(err)
	}
	run := RunGrading(".", "", "")
	if run.Err == nil {
		t.Fatalf("the grading test passes on the starter code: it grades nothing\n%s", run.Output)
	}
	if len(run.Failed) == 0 {
		t.Fatalf("go test on the starter code failed without a failing test (does the starter build?): %v\n%s",
			run.Err, run.Output)
	}
	if !slices.Equal(run.Failed, run.Expect(want)) {
		t.Fatalf("on the starter code these grading tests fail: %s; the starter files say: %s (of which these skip here: %s)\n%s",
			strings.Join(run.Failed, ", "), strings.Join(want, ", "), strings.Join(run.Skipped, ", "), run.Output)
	}
	t.Logf("on the starter code these tests fail, as they should: %s", strings.Join(run.Failed, ", "))
}

// StarterFailures returns the grading tests that the lab in dir says fail
// on its starter code, sorted: those its starter files name, for the files
// this system builds, and for starter_windows.go when the tests run the
// Windows build under Wine.
func StarterFailures(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "starter*.go"))
	if err != nil || len(files) == 0 {
		return nil, errorf("no starter*.go in %s", dir)
	}
	var want []string
	for _, file := range files {
		goos := fileGOOS(file)
		if goos != "" && goos != runtime.GOOS && !(goos == "windows" && WineRuns()) {
			continue
		}
		names, err := DeclaredFailures(file)
		if err != nil {
			return nil, err
		}
		want = append(want, names...)
	}
	slices.Sort(want)
	return slices.Compact(want), nil
}

var declaredFailures = regexp.MustCompile(`// Grading tests that fail on this code:((?:[^.]|\n//)*)\.`)

// DeclaredFailures returns the grading tests that file says fail on it.
func DeclaredFailures(file string) ([]string, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	m := declaredFailures.FindSubmatch(src)
	if m == nil {
		return nil, errorf("%s: no line %q naming the grading tests that fail on it",
			file, "// Grading tests that fail on this code: TestA, TestB.")
	}
	names := strings.FieldsFunc(strings.ReplaceAll(string(m[1]), "//", " "), func(r rune) bool {
		return r == ',' || r == ' ' || r == '\n'
	})
	for _, name := range names {
		if !strings.HasPrefix(name, "Test") {
			return nil, errorf("%s: %q in its list of failing grading tests is not a test's name", file, name)
		}
	}
	slices.Sort(names)
	return names, nil
}

// fileGOOS returns the system a file's name restricts it to, or "".
func fileGOOS(file string) string {
	name := strings.TrimSuffix(filepath.Base(file), ".go")
	for _, goos := range []string{"linux", "windows", "darwin"} {
		if strings.HasSuffix(name, "_"+goos) {
			return goos
		}
	}
	return ""
}
