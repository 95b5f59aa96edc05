package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"iomodels/testkit"
)

// reportCommand grades one lab in every student's copy of a class.
func reportCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	lab := fs.String("lab", "", "the chapter whose lab to grade, such as 01-blocking")
	limit := fs.Duration("limit", 5*time.Minute, "how long one student's grading may take")
	out := fs.String("out", "", "the report's name, without .md and .csv (default DIR/report)")
	class, err := parse(fs, args, stderr)
	if err != nil {
		return err
	}
	if *lab == "" || *limit <= 0 {
		return errUsage
	}
	if *out == "" {
		*out = filepath.Join(class, "report")
	}
	copies, err := studentCopies(class, *lab)
	if err != nil {
		return err
	}
	// One copy at a time: the grading tests measure CPU and time, and two
	// at once would disturb each other.
	var grades []grade
	for _, c := range copies {
		start := time.Now()
		g := gradeCopy(c, *lab, *limit)
		fmt.Fprintf(stderr, "%s: %d of %d checks passed (%v)\n",
			c.student, len(g.run.Passed), len(g.run.Tests), time.Since(start).Round(time.Second))
		grades = append(grades, g)
	}
	r := newReport(*lab, grades)
	if err := os.WriteFile(*out+".md", []byte(r.markdown()), 0o644); err != nil {
		return err
	}
	if err := r.writeCSV(*out + ".csv"); err != nil {
		return err
	}
	fmt.Fprint(stdout, r.markdown())
	fmt.Fprintf(stdout, "\nwrote %s.md and %s.csv\n", *out, *out)
	return nil
}

// studentCopy is one student's copy of the course.
type studentCopy struct{ student, dir string }

// studentCopies returns the copies in class, a folder of folders named
// after their students, each with the lab in it.
func studentCopies(class, lab string) ([]studentCopy, error) {
	entries, err := os.ReadDir(class)
	if err != nil {
		return nil, err
	}
	var copies []studentCopy
	for _, e := range entries {
		if e.IsDir() {
			copies = append(copies, studentCopy{e.Name(), filepath.Join(class, e.Name())})
		}
	}
	if len(copies) == 0 {
		return nil, fmt.Errorf("%s holds no student's folder", class)
	}
	return copies, nil
}

// grade is one student's result.
type grade struct {
	student string
	run     testkit.Grading
	problem string // why nothing could be graded, if so
}

// gradeCopy runs the lab's grading test in one student's copy, within
// limit: a copy whose tests or server hang is stopped, every program it
// started killed, and its unfinished checks count as failed.
func gradeCopy(c studentCopy, lab string, limit time.Duration) grade {
	dir := filepath.Join(c.dir, lab, "lab")
	if _, err := os.Stat(dir); err != nil {
		return grade{student: c.student, problem: fmt.Sprintf("no %s/lab in the copy", lab)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	g := grade{student: c.student, run: testkit.RunGradingWithin(ctx, dir, "", "")}
	switch {
	case len(g.run.Tests) > 0:
	case ctx.Err() != nil:
		g.problem = fmt.Sprintf("did not finish within %v: its tests never started (a program that hangs?)", limit)
	default:
		g.problem = "nothing ran: " + firstLine(g.run.Output, "the lab does not build")
	}
	return g
}

// report is a class's grades for one lab, one column per check.
type report struct {
	lab    string
	checks []string
	grades []grade
}

func newReport(lab string, grades []grade) report {
	r := report{lab: lab, grades: grades}
	for _, g := range grades {
		for _, test := range g.run.Tests {
			if !slices.Contains(r.checks, test) {
				r.checks = append(r.checks, test)
			}
		}
	}
	return r
}

// row returns a student's cells: a mark per check, the total and the
// first failure's message.
func (r report) row(g grade, pass, fail string) []string {
	cells := []string{g.student}
	passed := 0
	first := g.problem
	for _, check := range r.checks {
		switch {
		case slices.Contains(g.run.Passed, check):
			cells = append(cells, pass)
			passed++
		default:
			cells = append(cells, fail)
			if first == "" {
				first = check + ": " + firstLine(g.run.Message[check], "failed")
			}
		}
	}
	return append(cells, fmt.Sprintf("%d/%d", passed, len(r.checks)), first)
}

func (r report) header() []string {
	return append(append([]string{"student"}, r.checks...), "total", "first failure")
}

func (r report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s lab: grades\n\n", r.lab)
	line := func(cells []string) {
		for i := range cells {
			cells[i] = strings.ReplaceAll(cells[i], "|", `\|`)
		}
		fmt.Fprintf(&b, "| %s |\n", strings.Join(cells, " | "))
	}
	line(r.header())
	line(slices.Repeat([]string{"---"}, len(r.header())))
	for _, g := range r.grades {
		line(r.row(g, "pass", "FAIL"))
	}
	return b.String()
}

func (r report) writeCSV(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(r.header())
	for _, g := range r.grades {
		w.Write(r.row(g, "pass", "fail"))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// firstLine returns the first line of s that says something, not empty
// and not a "# package" heading of go's, or otherwise.
func firstLine(s, otherwise string) string {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			return line
		}
	}
	return otherwise
}
