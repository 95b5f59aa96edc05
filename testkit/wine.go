package testkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
	prefix, err := winePrefix()
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"WINEPREFIX=" + prefix, "WINEDEBUG=-all"}
	keepWineUp(t, wine, env)
	return &Program{Name: name, Argv: []string{wine, exe}, Env: env}
}

// keepWineUp runs a Windows program that waits on its stdin until the test
// ends. While any Windows program runs, Wine keeps its own services up, and
// each program of the suite starts in a tenth of a second instead of two.
func keepWineUp(t *testing.T, wine string, env []string) {
	cmd := exec.Command(wine, "cmd.exe", "/c", "set /p line=")
	cmd.Env = append(os.Environ(), env...)
	stdin, err := cmd.StdinPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		t.Fatalf("starting Wine: %v", err)
	}
	t.Cleanup(func() {
		stdin.Close() // end of input: set /p returns and cmd.exe exits
		cmd.Wait()
	})
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
