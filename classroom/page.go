package main

import (
	"bytes"
	"fmt"
	"go/build/constraint"
	"strings"
)

// A page of the course marks what only a teacher reads, and what a
// student's copy says instead, with HTML comments, which GitHub does not
// show:
//
//	<!-- teacher -->
//	lines a student's copy leaves out
//	<!-- /teacher -->
//	| a table's row a student's copy leaves out | <!-- teacher -->
//	<!-- in a student's copy:
//	lines only a student's copy shows
//	-->
const (
	teacherStart = "<!-- teacher -->"
	teacherEnd   = "<!-- /teacher -->"
	studentStart = "<!-- in a student's copy:"
	studentEnd   = "-->"
)

// teacherWords are what a student's page may not mention: the files and
// commands a student's copy has not got.
var teacherWords = []string{
	"solution.go", "solution_", "-tags solution", "-tags=solution", "mutant_", "honest_test.go",
	"teaching.md", "./classroom", ".ci/run",
}

// handoutPage returns a page as a student's copy has it, and the lines of
// it that still mention what that copy leaves out.
func handoutPage(src []byte) ([]byte, []string) {
	var out bytes.Buffer
	var problems []string
	teacher, student := false, false
	for i, line := range strings.SplitAfter(string(src), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case !student && trimmed == teacherStart:
			teacher = true
		case !teacher && !student && strings.HasSuffix(trimmed, teacherStart):
			// a single line for teachers, such as a table's row
		case teacher:
			teacher = trimmed != teacherEnd
		case !student && trimmed == studentStart:
			student = true
		case student && trimmed == studentEnd:
			student = false
		default:
			for _, word := range teacherWords {
				if strings.Contains(line, word) {
					problems = append(problems, fmt.Sprintf("line %d mentions %s", i+1, word))
				}
			}
			out.WriteString(line)
		}
	}
	return out.Bytes(), problems
}

// studentBuildLine removes the solution and mutant tags from a starter's
// build line, which a student's copy has no use for: "!solution &&
// !mutant_x" goes, "linux && !solution" becomes "linux".
func studentBuildLine(src []byte) []byte {
	first, rest, _ := strings.Cut(string(src), "\n")
	expr, err := constraint.Parse(first)
	if err != nil {
		return src
	}
	kept := withoutTeacherTags(expr)
	if kept == nil {
		return []byte(strings.TrimPrefix(rest, "\n"))
	}
	return []byte("//go:build " + kept.String() + "\n" + rest)
}

// withoutTeacherTags drops the terms "!solution" and "!mutant_NAME" from a
// conjunction, returning nil when nothing is left. Any other expression
// stays as it is.
func withoutTeacherTags(expr constraint.Expr) constraint.Expr {
	switch e := expr.(type) {
	case *constraint.AndExpr:
		x, y := withoutTeacherTags(e.X), withoutTeacherTags(e.Y)
		switch {
		case x == nil:
			return y
		case y == nil:
			return x
		}
		return &constraint.AndExpr{X: x, Y: y}
	case *constraint.NotExpr:
		if tag, ok := e.X.(*constraint.TagExpr); ok &&
			(tag.Tag == "solution" || strings.HasPrefix(tag.Tag, "mutant_")) {
			return nil
		}
	}
	return expr
}
