package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-cmdtest"

	"iomodels/testkit"
)

var update = flag.Bool("update", false, "rewrite the transcripts in testdata with what the programs print")

const name = "05-overlapped-routines"

// The chapter's program, built once for this system and once for Windows.
var nativeBinary, windowsBinary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", name+"-test")
	if err == nil {
		nativeBinary, err = testkit.Build(dir, name, runtime.GOOS)
	}
	if err == nil {
		windowsBinary, err = testkit.Build(dir, name, "windows")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// nativeBackends are the backends the native suites run on, each with the
// directory of its own transcripts: Linux runs every suite twice.
func nativeBackends() []string {
	switch runtime.GOOS {
	case "linux":
		return []string{"uring", "poll"}
	case "windows":
		return []string{"windows"}
	}
	return []string{"poll"}
}

// nativeProgram runs the native build on one backend, which the variable
// OVERLAPPED_BACKEND chooses, so that the same transcripts serve both.
func nativeProgram(backend string) *testkit.Program {
	p := testkit.NativeProgram(name, nativeBinary)
	if backend != "windows" {
		p.Env = append(p.Env, backendVariable+"="+backend)
	}
	return p
}

// TestTranscripts runs testdata/*.ct, the transcripts of each backend
// (testdata/uring, testdata/poll or testdata/windows), and
// testdata/interrupt, against the native build.
func TestTranscripts(t *testing.T) {
	for _, backend := range nativeBackends() {
		t.Run(backend, func(t *testing.T) {
			if why := uringMissing(); backend == "uring" && why != "" {
				t.Skip(why)
			}
			dirs := []string{backend, "interrupt"}
			if backend != "windows" {
				dirs = append(dirs, "posix")
			}
			runTranscripts(t, nativeProgram(backend), dirs...)
		})
	}
}

// TestTranscriptsWine runs the same shared transcripts, and testdata/windows,
// against the Windows build under Wine. Ctrl-C has a test of its own there:
// see TestInterrupt.
func TestTranscriptsWine(t *testing.T) {
	runTranscripts(t, testkit.WineProgram(t, name, windowsBinary), "windows")
}

func runTranscripts(t *testing.T, program *testkit.Program, subdirs ...string) {
	for _, dir := range append([]string{""}, subdirs...) {
		dir = filepath.Join("testdata", dir)
		suite, err := cmdtest.Read(dir)
		if err != nil {
			t.Fatal(err)
		}
		program.Register(t, suite)
		suite.Run(t, *update)
	}
}
