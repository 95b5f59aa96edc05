package testkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDeclaredFailures(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		src  string
		want []string // nil: an error
	}{
		{"// Grading tests that fail on this code: TestB, TestA.\n", []string{"TestA", "TestB"}},
		{"// x\n// Grading tests that fail on this code: TestA,\n// TestC, TestB.\nfunc f()\n", []string{"TestA", "TestB", "TestC"}},
		{"// Grading tests that fail on this code: TestA, every other.\n", nil},
		{"// no list here\n", nil},
	} {
		file := filepath.Join(dir, "starter.go")
		os.WriteFile(file, []byte(c.src), 0o644)
		got, err := DeclaredFailures(file)
		if (err != nil) != (c.want == nil) || !slices.Equal(got, c.want) {
			t.Errorf("DeclaredFailures of %q = %v, %v; want %v", c.src, got, err, c.want)
		}
	}
}

func TestLineChanges(t *testing.T) {
	a := strings.Split("package main\nfunc f() {\n\tg(n)\n}\n", "\n")
	b := strings.Split("package main\nfunc f() {\n\tg(1)\n\th()\n}\n", "\n")
	want := []string{"- \tg(n)", "+ \tg(1)", "+ \th()"}
	if got := lineChanges(a, b); !slices.Equal(got, want) {
		t.Errorf("lineChanges = %q, want %q", got, want)
	}
	if got := lineChanges(a, a); len(got) != 0 {
		t.Errorf("lineChanges of a file and itself = %q, want none", got)
	}
}

func TestMutantTag(t *testing.T) {
	for file, want := range map[string]string{
		"mutant_nopollout.go":       "mutant_nopollout",
		"mutant_growing_windows.go": "mutant_growing",
		"mutant_two_words_linux.go": "mutant_two_words",
	} {
		if got := mutantTag(file); got != want {
			t.Errorf("mutantTag(%q) = %q, want %q", file, got, want)
		}
	}
}

// goTestJSON is what go test -json printed for a lab with a passing test,
// a failing one whose subtest failed, and one that had not ended.
const goTestJSON = `{"Action":"run","Test":"TestA"}
{"Action":"pass","Test":"TestA"}
{"Action":"run","Test":"TestB"}
{"Action":"run","Test":"TestB/wine"}
{"Action":"output","Test":"TestB/wine","Output":"    lab_test.go:12: the second client got nothing back\n"}
{"Action":"output","Test":"TestB/wine","Output":"    lab_test.go:14: and more\n"}
{"Action":"fail","Test":"TestB/wine"}
{"Action":"fail","Test":"TestB"}
{"Action":"run","Test":"TestC"}
`

func TestParseGrading(t *testing.T) {
	g := parseGrading([]byte(goTestJSON))
	if !slices.Equal(g.Tests, []string{"TestA", "TestB", "TestC"}) || !slices.Equal(g.Passed, []string{"TestA"}) ||
		!slices.Equal(g.Failed, []string{"TestB"}) || g.Message["TestB"] != "the second client got nothing back" {
		t.Errorf("parseGrading: tests %v, passed %v, failed %v, message %q", g.Tests, g.Passed, g.Failed, g.Message["TestB"])
	}
}

func TestLastLines(t *testing.T) {
	for _, c := range []struct {
		out  string
		n    int
		want string
	}{
		{"a\nb\nc\n", 2, "...\nb\nc"},
		{"a\nb\n", 5, "a\nb"},
		{"", 5, "(nothing)"},
	} {
		if got := LastLines(c.out, c.n); got != c.want {
			t.Errorf("LastLines(%q, %d) = %q, want %q", c.out, c.n, got, c.want)
		}
	}
}

// TestFailureShowsServerOutput runs TestHelperFailingCheck in a test binary
// of its own: a test that fails while its server runs must show what the
// server printed.
func TestFailureShowsServerOutput(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperFailingCheck$", "-test.v")
	cmd.Env = append(os.Environ(), "TESTKIT_FAILING_CHECK=1")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "the last lines helper printed") ||
		!strings.Contains(string(out), "listening on 127.0.0.1:40123") {
		t.Errorf("a failing test with a server running printed (%v):\n%s", err, out)
	}
}

// TestHelperFailingCheck is not a test: TestFailureShowsServerOutput runs
// it, and it fails on purpose while a server runs.
func TestHelperFailingCheck(t *testing.T) {
	if os.Getenv("TESTKIT_FAILING_CHECK") == "" {
		t.Skip("a failing test for TestFailureShowsServerOutput")
	}
	p, _ := helper(t, false, 0, "TESTKIT_LISTEN=1")
	p.StartServer(t)
	t.Fatal("a check failed")
}
