package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// handoutCommand writes a student's copy of the course.
func handoutCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("handout", flag.ContinueOnError)
	repo := fs.String("repo", ".", "the course's repository")
	dir, err := parse(fs, args, stderr)
	if err != nil {
		return err
	}
	n, err := writeHandout(*repo, dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d files to %s: a student's copy, without solutions, mutants or history\n", n, dir)
	fmt.Fprintf(stdout, "a student grades a lab there with: go test ./NN-name/lab\n")
	return nil
}

// teacherOnly tells whether a file of the course stays out of a student's
// copy: the labs' reference solutions and mutants and the tests that use
// them, the course's CI, this tool, and the page for teachers.
func teacherOnly(name string) bool {
	base := path.Base(name)
	inLab := path.Base(path.Dir(name)) == "lab"
	switch {
	case inLab && (strings.HasPrefix(base, "solution") || strings.HasPrefix(base, "mutant_") || base == "honest_test.go"):
		return true
	case strings.HasPrefix(name, ".ci/"), strings.HasPrefix(name, ".github/"), strings.HasPrefix(name, "classroom/"):
		return true
	case name == "docs/teaching.md":
		return true
	}
	return false
}

// writeHandout copies the course in repo to dir, which must not exist or
// be empty, leaving out what teacherOnly names, and returns how many files
// it wrote. Pages lose their teacher's parts (see handoutPage), go.work
// its teacher's module, and the starters their build lines' solution and
// mutant tags.
func writeHandout(repo, dir string) (int, error) {
	if _, err := os.Stat(filepath.Join(repo, "go.work")); err != nil {
		return 0, fmt.Errorf("%s is not the course's repository (no go.work): %w", repo, err)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return 0, fmt.Errorf("%s is not empty: a hand-out is written to a new folder", dir)
	}
	files, err := courseFiles(repo)
	if err != nil {
		return 0, err
	}
	var problems []string
	n := 0
	for _, name := range files {
		if teacherOnly(name) {
			continue
		}
		src, err := os.ReadFile(filepath.Join(repo, filepath.FromSlash(name)))
		if err != nil {
			return n, err
		}
		switch {
		case strings.HasSuffix(name, ".md"):
			var found []string
			src, found = handoutPage(src)
			for _, p := range found {
				problems = append(problems, name+": "+p)
			}
		case name == "go.work":
			src = withoutModule(src, "./classroom")
		case path.Base(path.Dir(name)) == "lab" && strings.HasPrefix(path.Base(name), "starter"):
			src = studentBuildLine(src)
		}
		out := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return n, err
		}
		if err := os.WriteFile(out, src, 0o644); err != nil {
			return n, err
		}
		n++
	}
	if len(problems) > 0 {
		return n, fmt.Errorf("the hand-out in %s would point students to what it leaves out; "+
			"put these lines in a teacher's part (<!-- teacher --> ... <!-- /teacher -->):\n%s",
			dir, strings.Join(problems, "\n"))
	}
	return n, nil
}

// courseFiles lists the course's files, relative to repo and with slashes:
// git's list of the files it tracks or would track, or, outside a git
// checkout, every file but git's own.
func courseFiles(repo string) ([]string, error) {
	cmd := exec.Command("git", "ls-files", "--cached", "--others", "--exclude-standard")
	cmd.Dir = repo
	if out, err := cmd.Output(); err == nil {
		var files []string
		for _, name := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if _, err := os.Stat(filepath.Join(repo, name)); err == nil { // not deleted
				files = append(files, name)
			}
		}
		return files, nil
	}
	var files []string
	err := filepath.WalkDir(repo, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			name, _ := filepath.Rel(repo, p)
			files = append(files, filepath.ToSlash(name))
		}
		return nil
	})
	if err != nil {
		return nil, errors.New("listing the course's files: " + err.Error())
	}
	return files, nil
}

// withoutModule removes a module's line from go.work.
func withoutModule(work []byte, module string) []byte {
	var out bytes.Buffer
	for _, line := range strings.SplitAfter(string(work), "\n") {
		if strings.TrimSpace(line) != module {
			out.WriteString(line)
		}
	}
	return out.Bytes()
}
