package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// reportLab is the lab the report tests grade: the quickest.
const reportLab = "01-blocking"

// student writes a hand-out into class/name in which the student's
// starter.go is code, given as a file of the lab (its build line dropped,
// as a student's copy has none).
func student(t *testing.T, class, name, code string) {
	t.Helper()
	dir := filepath.Join(class, name)
	handout(t, dir)
	if code == "" {
		return
	}
	_, body, _ := strings.Cut(code, "\n")
	if err := os.WriteFile(filepath.Join(dir, reportLab, "lab", "starter.go"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func labFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repo, reportLab, "lab", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReport grades three students: one handed in the reference solution,
// one a mutant, one the starter as given. The report must pass the first
// on every check, and fail the others on exactly the checks their code
// names, with a failure message.
func TestReport(t *testing.T) {
	if os.Getenv(testkit.ProveMutants) == "" {
		t.Skipf("set %s=1 to grade three copies of the course (.ci/run does)", testkit.ProveMutants)
	}
	mutants, _ := filepath.Glob(filepath.Join(repo, reportLab, "lab", "mutant_*.go"))
	if len(mutants) == 0 {
		t.Fatalf("%s's lab has no mutant", reportLab)
	}
	mutant := filepath.Base(mutants[0])
	class := t.TempDir()
	student(t, class, "ada", labFile(t, "solution.go"))
	student(t, class, "brian", labFile(t, mutant))
	student(t, class, "carol", "")

	var stdout, stderr bytes.Buffer
	if status := run([]string{"report", "-lab", reportLab, class}, &stdout, &stderr); status != 0 {
		t.Fatalf("report exited %d:\n%s%s", status, stdout.String(), stderr.String())
	}
	rows := readReport(t, filepath.Join(class, "report.csv"))
	checks := rows[0][1 : len(rows[0])-2]
	mutantFails, _ := testkit.DeclaredFailures(filepath.Join(repo, reportLab, "lab", mutant))
	starterFails, _ := testkit.StarterFailures(filepath.Join(repo, reportLab, "lab"))
	for i, want := range [][]string{nil, mutantFails, starterFails} {
		row := rows[i+1]
		var failed []string
		for j, check := range checks {
			if row[j+1] == "fail" {
				failed = append(failed, check)
			}
		}
		slices.Sort(failed)
		total := fmt.Sprintf("%d/%d", len(checks)-len(want), len(checks))
		if !slices.Equal(failed, want) || row[len(row)-2] != total || (len(want) > 0) == (row[len(row)-1] == "") {
			t.Errorf("%s's row: %q; want failed %v, total %s, and a failure message when one failed", row[0], row, want, total)
		}
	}
	md, _ := os.ReadFile(filepath.Join(class, "report.md"))
	if !strings.Contains(string(md), "| ada |") || !bytes.Equal(md, stdout.Bytes()[:len(md)]) {
		t.Errorf("report.md is not the table the report printed:\n%s", md)
	}
}

// TestReportStopsAHungCopy grades a copy whose program never starts its
// tests: the report must stop it at the limit, fail it, and go on.
func TestReportStopsAHungCopy(t *testing.T) {
	class := t.TempDir()
	hang := strings.Replace(labFile(t, "starter.go"), "import \"io\"",
		"import (\n\t\"io\"\n\t\"time\"\n)\n\nfunc init() { time.Sleep(time.Hour) }", 1)
	student(t, class, "dana", hang)
	const limit = 20 * time.Second
	start := time.Now()
	var stdout, stderr bytes.Buffer
	status := run([]string{"report", "-lab", reportLab, "-limit", limit.String(), class}, &stdout, &stderr)
	took := time.Since(start)
	rows := readReport(t, filepath.Join(class, "report.csv"))
	if status != 0 || len(rows) != 2 || !strings.Contains(rows[1][len(rows[1])-1], "did not finish") {
		t.Fatalf("report of a hung copy: status %d, rows %q\n%s", status, rows, stderr.String())
	}
	if took > limit+15*time.Second {
		t.Errorf("the report took %v with a limit of %v", took.Round(time.Second), limit)
	}
	if left := processesIn(class); len(left) > 0 {
		t.Errorf("after the report, processes still run in the hung copy: %v", left)
	}
}

// processesIn returns the processes whose working directory is in dir,
// where /proc tells (Linux).
func processesIn(dir string) []string {
	links, _ := filepath.Glob("/proc/[0-9]*/cwd")
	var found []string
	for _, link := range links {
		if cwd, err := os.Readlink(link); err == nil && strings.HasPrefix(cwd, dir) {
			cmdline, _ := os.ReadFile(filepath.Join(filepath.Dir(link), "cmdline"))
			found = append(found, strings.ReplaceAll(string(cmdline), "\x00", " "))
		}
	}
	return found
}

func readReport(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("%s: %v, %d rows", name, err, len(rows))
	}
	return rows
}
