package testkit

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// A mutant is a wrong solution to a lab, of the kind a student writes: a
// copy of one of the lab's solution files with one mistake in it, in a file
// mutant_NAME.go (or mutant_NAME_GOOS.go beside solution_GOOS.go) built
// only with the tag mutant_NAME. The starter's build line excludes every
// mutant's tag, so `go test -tags mutant_NAME ./NN-name/lab` grades it.

// ProveMutants is the variable that makes LabFailsOnMutants run the
// grading test on every mutant. .ci/run sets it; without it, only the
// mutants' form is checked, which takes a second.
const ProveMutants = "IOMODELS_MUTANTS"

// minMutants is how many wrong solutions each lab's grader is proved on.
const minMutants = 5

// LabFailsOnMutants proves a lab's grading test honest on its mutants: for
// each, that it is a small change to its solution file, that the tag
// mutant_NAME builds it instead of the starter and the solution, and, with
// ProveMutants set, that the grading tests it names fail on it.
func LabFailsOnMutants(t *testing.T) {
	files, err := filepath.Glob("mutant_*.go")
	if err != nil {
		t.Fatal(err)
	}
	byTag := map[string][]string{}
	for _, file := range files {
		tag := mutantTag(file)
		byTag[tag] = append(byTag[tag], file)
	}
	if len(byTag) < minMutants {
		t.Errorf("the lab has %d mutants, want at least %d", len(byTag), minMutants)
	}
	tags := slices.Sorted(maps.Keys(byTag))
	built := listBuilds(tags)
	for _, tag := range tags {
		t.Run(strings.TrimPrefix(tag, "mutant_"), func(t *testing.T) { proveMutant(t, tag, byTag[tag], built) })
	}
}

// listing is what go list says a tag builds for a system: the files, or
// go list's error.
type listing struct {
	files []string
	err   error
}

// builds holds the listing of each tag and system.
type builds map[[2]string]listing

// listBuilds asks go list what each tag builds for this system and for
// Windows, a few at a time: each call takes a second.
func listBuilds(tags []string) builds {
	var mu sync.Mutex
	var wg sync.WaitGroup
	turns := make(chan struct{}, 4)
	built := builds{}
	for _, tag := range tags {
		for _, goos := range []string{runtime.GOOS, "windows"} {
			wg.Go(func() {
				turns <- struct{}{}
				defer func() { <-turns }()
				cmd := exec.Command("go", "list", "-tags="+tag, "-f", `{{join .GoFiles " "}}`, ".")
				cmd.Env = append(os.Environ(), "GOOS="+goos, "GOFLAGS=")
				out, err := cmd.CombinedOutput()
				if err != nil {
					err = fmt.Errorf("go list -tags %s for %s: %v\n%s", tag, goos, err, out)
				}
				mu.Lock()
				built[[2]string{tag, goos}] = listing{strings.Fields(string(out)), err}
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	return built
}

func proveMutant(t *testing.T, tag string, files []string, built builds) {
	var want []string
	windowsOnly := true
	for _, file := range files {
		checkMutantFile(t, tag, file)
		names, err := DeclaredFailures(file)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, names...)
		windowsOnly = windowsOnly && (fileGOOS(file) == "windows" || caughtUnderWineOnly(file))
	}
	slices.Sort(want)
	want = slices.Compact(want)
	for _, goos := range []string{runtime.GOOS, "windows"} {
		checkMutantBuild(t, tag, goos, files, built[[2]string{tag, goos}])
	}
	if t.Failed() {
		return
	}
	if os.Getenv(ProveMutants) == "" {
		t.Skipf("its form is right; set %s=1 to run the grading test on it (.ci/run does)", ProveMutants)
	}
	if windowsOnly && !WineRuns() && os.Getenv(RequireWine) == "" {
		t.Skip("a mistake only the Windows build shows: its grading runs under Wine, which is not installed")
	}
	run := RunGrading(".", tag, "^("+strings.Join(want, "|")+")$")
	if len(run.Expect(want)) == 0 && len(run.Skipped) > 0 {
		t.Skipf("the tests that catch it skip on this system: %s", strings.Join(run.Skipped, ", "))
	}
	for _, test := range run.Expect(want) {
		if !slices.Contains(run.Failed, test) {
			t.Errorf("%s passes on this mutant, which says it fails it: the grader does not catch this mistake\n%s",
				test, run.Output)
		}
	}
	for _, test := range run.Failed {
		t.Logf("%s fails: %s", test, run.Message[test])
	}
}

// caughtUnderWineOnly tells whether a mutant's file says that only the
// Windows build under Wine catches it ("It fails under Wine only"), as a
// mistake that only Windows' calls show does.
func caughtUnderWineOnly(file string) bool {
	src, _ := os.ReadFile(file)
	header, _, _ := strings.Cut(string(src), "\npackage ")
	return strings.Contains(strings.Join(strings.Fields(strings.ReplaceAll(header, "//", " ")), " "), "fails under Wine only")
}

// mutantTag returns the build tag of a mutant's file: mutant_NAME for
// mutant_NAME.go and mutant_NAME_GOOS.go.
func mutantTag(file string) string {
	name := strings.TrimSuffix(filepath.Base(file), ".go")
	if goos := fileGOOS(file); goos != "" {
		name = strings.TrimSuffix(name, "_"+goos)
	}
	return name
}
