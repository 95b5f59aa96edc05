package main

import "testing"

func TestHandoutPage(t *testing.T) {
	for _, c := range []struct{ name, page, want, problem string }{
		{"a teacher's part goes",
			"a\n<!-- teacher -->\nb\n<!-- /teacher -->\nc\n", "a\nc\n", ""},
		{"a student's part shows",
			"a\n<!-- in a student's copy:\nb\n-->\nc\n", "a\nb\nc\n", ""},
		{"a teacher's row goes",
			"| x | y |\n| [t](teaching.md) | z | <!-- teacher -->\n| u | v |\n", "| x | y |\n| u | v |\n", ""},
		{"a mention outside a teacher's part is found",
			"see [it](lab/solution.go)\n", "see [it](lab/solution.go)\n", "line 1 mentions solution.go"},
		{"a teacher's marker inside a student's part is text",
			"<!-- in a student's copy:\n<!-- teacher -->\n-->\n", "<!-- teacher -->\n", ""},
	} {
		got, problems := handoutPage([]byte(c.page))
		problem := ""
		if len(problems) > 0 {
			problem = problems[0]
		}
		if string(got) != c.want || problem != c.problem {
			t.Errorf("%s: handoutPage(%q) = %q, %q; want %q, %q", c.name, c.page, got, problem, c.want, c.problem)
		}
	}
}

func TestStudentBuildLine(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"//go:build !solution && !mutant_a && !mutant_b\n\npackage main\n", "package main\n"},
		{"//go:build linux && !solution && !mutant_a\n\npackage main\n", "//go:build linux\n\npackage main\n"},
		{"//go:build !solution || linux\n\npackage main\n", "//go:build !solution || linux\n\npackage main\n"},
		{"package main\n", "package main\n"},
	} {
		if got := string(studentBuildLine([]byte(c.src))); got != c.want {
			t.Errorf("studentBuildLine(%q) = %q, want %q", c.src, got, c.want)
		}
	}
}
