package testkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Build compiles the package in the current directory for goos (amd64 for
// Windows, the architecture Wine runs) into dir, and returns the binary's
// path. The native build is race-enabled when the tests are, and builds a
// lab's solution when the tests do (-tags solution).
func Build(dir, name, goos string) (string, error) {
	out := filepath.Join(dir, name+"-"+goos)
	args := []string{"build", "-o", out}
	if Solution {
		args = append(args, "-tags=solution")
	}
	env := append(os.Environ(), "GOOS="+goos)
	if goos == "windows" {
		out += ".exe"
		args[2] = out
		env = append(env, "GOARCH=amd64")
	}
	if goos == runtime.GOOS && raceEnabled {
		args = append(args, "-race")
	} else if goos != runtime.GOOS {
		env = append(env, "CGO_ENABLED=0")
	}
	cmd := exec.Command("go", append(args, ".")...)
	cmd.Env = env
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", &buildError{goos: goos, msg: strings.TrimSpace(string(msg)), err: err}
	}
	return out, nil
}

type buildError struct {
	goos, msg string
	err       error
}

func (e *buildError) Error() string {
	return "go build for " + e.goos + ": " + e.err.Error() + "\n" + e.msg
}

// NativeProgram runs a binary that Build made for this system. A binary
// built with -race waits a second before it exits, so that late reports
// can print (GORACE atexit_sleep_ms); its reports print before that anyway.
func NativeProgram(name, binary string) *Program {
	return &Program{Name: name, Argv: []string{binary}, Env: []string{"GORACE=atexit_sleep_ms=0 halt_on_error=1"}}
}
