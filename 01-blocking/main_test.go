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

// The chapter's program, built once for this system and once for Windows.
var nativeBinary, windowsBinary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "01-blocking-test")
	if err == nil {
		nativeBinary, err = testkit.Build(dir, "01-blocking", runtime.GOOS)
	}
	if err == nil {
		windowsBinary, err = testkit.Build(dir, "01-blocking", "windows")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestTranscripts runs testdata/*.ct, the transcripts of this system's
// family (testdata/posix or testdata/windows), and testdata/interrupt (with
// testdata/interrupt/posix, whose lines name POSIX errors), against the
// native build.
func TestTranscripts(t *testing.T) {
	family := "posix"
	if runtime.GOOS == "windows" {
		family = "windows"
	}
	subdirs := []string{family, "interrupt"}
	if family == "posix" {
		subdirs = append(subdirs, filepath.Join("interrupt", "posix"))
	}
	runTranscripts(t, testkit.NativeProgram("01-blocking", nativeBinary), subdirs...)
}

// TestTranscriptsWine runs the same shared transcripts, and testdata/windows,
// against the Windows build under Wine. Ctrl-C has a test of its own there:
// see TestInterruptWine.
func TestTranscriptsWine(t *testing.T) {
	runTranscripts(t, testkit.WineProgram(t, "01-blocking", windowsBinary), "windows")
}

func runTranscripts(t *testing.T, program *testkit.Program, subdirs ...string) {
	for _, dir := range append([]string{""}, subdirs...) {
		dir = filepath.Join("testdata", dir)
		suite, err := cmdtest.Read(dir)
		if err != nil {
			t.Fatal(err)
		}
		program.Register(t, suite)
		d := &dialer{}
		suite.Commands["dial"] = d.dial
		suite.Commands["hangup"] = d.hangup
		suite.Run(t, *update)
	}
}
