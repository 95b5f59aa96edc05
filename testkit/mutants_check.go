package testkit

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// maxMutantChange bounds how many lines a mutant changes in its solution
// file, counting removed and added lines: a mutant is one mistake.
const maxMutantChange = 40

// checkMutantFile checks that a mutant's file is built by its tag alone
// and changes its solution file by a few lines, which it logs.
func checkMutantFile(t *testing.T, tag, file string) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(string(src), "\n"); first != "//go:build "+tag {
		t.Errorf("%s begins %q, want %q", file, first, "//go:build "+tag)
	}
	solution := solutionOf(file)
	original, err := os.ReadFile(solution)
	if err != nil {
		t.Fatalf("%s has no solution file to be a change of: %v", file, err)
	}
	changed := lineChanges(fromPackage(string(original)), fromPackage(string(src)))
	switch {
	case len(changed) == 0:
		t.Errorf("%s is %s unchanged", file, solution)
	case len(changed) > maxMutantChange:
		t.Errorf("%s changes %d lines of %s, want at most %d: a mutant is one mistake",
			file, len(changed), solution, maxMutantChange)
	default:
		t.Logf("%s, the change from %s:\n%s", file, solution, strings.Join(changed, "\n"))
	}
}

// checkMutantBuild checks that, for goos, the mutant's tag builds neither
// the starter nor the solution files its mutant files replace.
func checkMutantBuild(t *testing.T, tag, goos string, files []string, list listing) {
	t.Helper()
	if list.err != nil {
		t.Fatal(list.err)
	}
	for _, file := range list.files {
		if strings.HasPrefix(file, "starter") {
			t.Errorf("for %s, -tags %s builds %s: its build line must exclude the tag", goos, tag, file)
		}
	}
	for _, file := range files {
		if slices.Contains(list.files, file) && slices.Contains(list.files, solutionOf(file)) {
			t.Errorf("for %s, -tags %s builds both %s and %s", goos, tag, file, solutionOf(file))
		}
	}
}

// solutionOf returns the solution file a mutant's file is a change of:
// solution.go, or solution_GOOS.go for mutant_NAME_GOOS.go.
func solutionOf(file string) string {
	if goos := fileGOOS(file); goos != "" {
		return "solution_" + goos + ".go"
	}
	return "solution.go"
}

// fromPackage returns a Go file's lines from its package clause on.
func fromPackage(src string) []string {
	lines := strings.Split(src, "\n")
	for i, line := range lines {
		if strings.HasPrefix(line, "package ") {
			return lines[i:]
		}
	}
	return lines
}

// lineChanges returns the lines that differ between a and b, as "- line"
// for a line of a that b lacks and "+ line" for a line b adds, found from
// their longest common subsequence.
func lineChanges(a, b []string) []string {
	// common[i][j] is the length of the longest common subsequence of
	// a[i:] and b[j:].
	common := make([][]int, len(a)+1)
	for i := range common {
		common[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				common[i][j] = common[i+1][j+1] + 1
			} else {
				common[i][j] = max(common[i+1][j], common[i][j+1])
			}
		}
	}
	var changed []string
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || common[i+1][j] >= common[i][j+1]):
			changed = append(changed, fmt.Sprintf("- %s", a[i]))
			i++
		default:
			changed = append(changed, fmt.Sprintf("+ %s", b[j]))
			j++
		}
	}
	return changed
}
