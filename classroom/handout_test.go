package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"iomodels/testkit"
)

// repo is the course's repository, the folder above this module.
var repo = func() string {
	dir, err := filepath.Abs("..")
	if err != nil {
		panic(err)
	}
	return dir
}()

// handout writes a student's copy of the course into a new folder.
func handout(t *testing.T, dir string) {
	t.Helper()
	if _, err := writeHandout(repo, dir); err != nil {
		t.Fatal(err)
	}
}

// TestHandout writes a student's copy and checks it holds every file of
// the course but the teacher's, and passes its docs tests. With
// testkit.ProveMutants set it also vets it for every system and grades
// every lab there: the starter must fail exactly the tests it names.
func TestHandout(t *testing.T) {
	dir := t.TempDir()
	handout(t, dir)
	checkHandoutFiles(t, dir)
	goCommand(t, dir, nil, "test", "-count=1", "./docs")
	if os.Getenv(testkit.ProveMutants) == "" {
		t.Skipf("set %s=1 to vet the hand-out for every system and grade every lab there (.ci/run does)", testkit.ProveMutants)
	}
	for _, module := range modules(t, dir) {
		for _, goos := range []string{"linux", "windows", "darwin"} {
			goCommand(t, module, []string{"GOOS=" + goos}, "vet", "./...")
		}
	}
	labs, _ := filepath.Glob(filepath.Join(dir, "*", "lab"))
	for _, lab := range labs {
		t.Run(filepath.Base(filepath.Dir(lab)), func(t *testing.T) {
			want, err := testkit.StarterFailures(lab)
			if err != nil {
				t.Fatal(err)
			}
			run := testkit.RunGrading(lab, "", "")
			if !slices.Equal(run.Failed, run.Expect(want)) {
				t.Errorf("in the hand-out the grading tests that fail are %v, want %v (what the starter names)\n%s",
					run.Failed, want, run.Output)
			}
		})
	}
}

// checkHandoutFiles checks that the copy holds each file of the course
// but those teacherOnly names, and no git history, no teacher's build tags
// and no teacher's part of a page.
func checkHandoutFiles(t *testing.T, dir string) {
	t.Helper()
	files, err := courseFiles(repo)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if teacherOnly(name) != os.IsNotExist(err) {
			t.Errorf("%s: teacher's file %v, in the hand-out %v", name, teacherOnly(name), err == nil)
		}
	}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		name, _ := filepath.Rel(dir, path)
		src, _ := os.ReadFile(path)
		switch {
		case d.Name() == ".git":
			t.Errorf("the hand-out has git's history: %s", name)
		case strings.HasSuffix(name, ".md") && (strings.Contains(string(src), teacherStart) || strings.Contains(string(src), studentStart)):
			t.Errorf("%s still has a teacher's or student's marker", name)
		case filepath.Base(filepath.Dir(path)) == "lab" && strings.HasPrefix(d.Name(), "starter") &&
			strings.Contains(strings.SplitN(string(src), "\n", 2)[0], "solution"):
			t.Errorf("%s: a student's starter still names the solution tag: %q", name, strings.SplitN(string(src), "\n", 2)[0])
		}
		return nil
	})
}

// modules returns the folders of the modules of the go.work in dir.
func modules(t *testing.T, dir string) []string {
	t.Helper()
	return strings.Fields(goCommand(t, dir, nil, "list", "-f", "{{.Dir}}", "-m"))
}

// goCommand runs the go command in dir and returns its output; it fails
// the test if the command fails.
func goCommand(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOFLAGS="), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("in the hand-out, %s: go %s: %v\n%s", dir, strings.Join(args, " "), err, out)
	}
	return string(out)
}
