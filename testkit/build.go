package testkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
)

// Build compiles the package in the current directory for goos (amd64 for
// Windows, the architecture Wine runs) into dir, and returns the binary's
// path. The native build is race-enabled when the tests are, and every
// build has the tests' own build tags: a lab's tests built with -tags
// solution grade the reference solution, with -tags mutant_NAME a mutant.
func Build(dir, name, goos string) (string, error) {
	out := filepath.Join(dir, name+"-"+goos)
	args := []string{"build", "-o", out}
	if tags := BuildTags(); tags != "" {
		args = append(args, "-tags="+tags)
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

// BuildTags returns the build tags this test binary was built with, as
// go test's -tags flag gave them.
func BuildTags() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-tags" {
				return s.Value
			}
		}
	}
	return ""
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
