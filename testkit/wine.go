package testkit

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// RequireWine is the variable that makes a missing Wine a failure instead
// of a skip. CI sets it, so that the Windows transcripts always run there.
const RequireWine = "IOMODELS_REQUIRE_WINE"

// WineProgram returns the Windows build exe, run under Wine with a prefix
// that can run Go programs. Where Wine or the MinGW compiler is missing it
// skips the test, or fails it when RequireWine is set.
func WineProgram(t *testing.T, name, exe string) *Program {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("on Windows the native suite already runs the Windows build")
	}
	wine, err := exec.LookPath("wine")
	if err == nil {
		_, err = exec.LookPath("x86_64-w64-mingw32-gcc")
	}
	if err != nil {
		if os.Getenv(RequireWine) != "" {
			t.Fatalf("%s is set but %v: .ci/run installs wine64 and gcc-mingw-w64-x86-64", RequireWine, err)
		}
		t.Skipf("Windows transcripts not run: %v (install wine64 and gcc-mingw-w64-x86-64)", err)
	}
	wineOnce.Do(func() { wineEnv, wineErr = startWine(wine) })
	if wineErr != nil {
		t.Fatal(wineErr)
	}
	// Wine under load from several test binaries at once sometimes loses
	// a program at start ("wine client error: ... sendmsg: Socket operation
	// on non-socket", exit status 1), so the chapters take turns.
	unlock, err := takeTurn(wineEnv[0][len("WINEPREFIX="):] + ".turn")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(unlock)
	return &Program{Name: name, Argv: []string{wine, exe}, Env: wineEnv, wine: true}
}

// WineRuns tells whether tests here run the Windows build under Wine:
// not on Windows, and only where Wine and the MinGW compiler are installed.
func WineRuns() bool {
	if runtime.GOOS == "windows" {
		return false
	}
	_, err := exec.LookPath("wine")
	if err == nil {
		_, err = exec.LookPath("x86_64-w64-mingw32-gcc")
	}
	return err == nil
}

// maxWineFailures bounds how many runs wineFailed lets a test binary run
// again: more means something is wrong beyond Wine's rare failure.
const maxWineFailures = 3

var wineFailures atomic.Int32

// wineFailed tells whether a run under Wine ended the way Wine itself
// fails: exit status 1 and not a byte from the program. Now and then, while
// other test binaries are busy, Wine ends a Windows program before its
// main runs, saying only "wine client error:ID: sendmsg: Socket operation
// on non-socket" (which out no longer holds). Every program of the course
// says why it exits 1, so a silent exit 1 is not the program's doing; the
// run proves nothing and is made again, at most maxWineFailures times per
// test binary, each written to stderr. Native runs are never made again.
func (p *Program) wineFailed(args []string, out []byte, err error) bool {
	var exit *exec.ExitError
	if !p.wine || len(out) > 0 || !errors.As(err, &exit) || exit.ExitCode() != 1 {
		return false
	}
	n := wineFailures.Add(1)
	if n > maxWineFailures {
		return false
	}
	fmt.Fprintf(os.Stderr, "testkit: %s: Wine ended it with status 1 before it printed anything; running it again (%d of at most %d in this test binary)\n",
		strings.Join(append([]string{p.Name}, args...), " "), n, maxWineFailures)
	return true
}

// Wine is set up once per test binary.
var (
	wineOnce sync.Once
	wineEnv  []string
	wineErr  error
)

// startWine sets up the prefix, then runs a Windows program that waits on
// its stdin for as long as this test binary lives: its stdin closes when
// the binary exits. While any Windows program runs, Wine keeps its own
// services up, and each program starts in a tenth of a second instead of two.
func startWine(wine string) ([]string, error) {
	prefix, err := winePrefix()
	if err != nil {
		return nil, err
	}
	env := []string{"WINEPREFIX=" + prefix, "WINEDEBUG=-all"}
	cmd := exec.Command(wine, "cmd.exe", "/c", "set /p line=")
	cmd.Env = append(os.Environ(), env...)
	if _, err := cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting Wine: %v", err)
	}
	go cmd.Wait()
	return env, nil
}

// winePrefix sets up, once per machine, the prefix under the user's cache
// directory with wine/setup-prefix.sh, found beside this package.
func winePrefix() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	prefix := filepath.Join(cache, "iomodels", "wine-prefix")
	_, here, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(here), "..", "wine", "setup-prefix.sh")
	cmd := exec.Command("bash", script, prefix)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", &buildError{goos: "windows (wine prefix)", msg: string(out), err: err}
	}
	return prefix, nil
}

// turn is this test binary's hold on the machine-wide Wine lock: the first
// test that needs Wine takes it, and tests of the same binary that run
// meanwhile share it.
var turn struct {
	sync.Mutex
	holders int
	release func()
}

func takeTurn(path string) (func(), error) {
	turn.Lock()
	defer turn.Unlock()
	if turn.holders == 0 {
		release, err := lockFile(path)
		if err != nil {
			return nil, err
		}
		turn.release = release
	}
	turn.holders++
	return func() {
		turn.Lock()
		defer turn.Unlock()
		if turn.holders--; turn.holders == 0 {
			turn.release()
		}
	}, nil
}
