package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmdtest"

	"iomodels/testkit"
)

var update = flag.Bool("update", false, "rewrite the transcripts in testdata with what the programs print")

// The chapter's program, built once for this system and once for Windows.
var nativeBinary, windowsBinary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "07-peer-chat-test")
	if err == nil {
		nativeBinary, err = testkit.Build(dir, "07-peer-chat", runtime.GOOS)
	}
	if err == nil {
		windowsBinary, err = testkit.Build(dir, "07-peer-chat", "windows")
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
// family (testdata/posix or testdata/windows), testdata/interrupt, and
// testdata/held, against the native build. testdata/held needs a named
// pipe as a program's stdin (see hold), which only POSIX systems give.
func TestTranscripts(t *testing.T) {
	dirs := []string{"posix", "interrupt", "held"}
	if runtime.GOOS == "windows" {
		dirs = []string{"windows", "interrupt"}
	}
	runTranscripts(t, testkit.NativeProgram("07-peer-chat", nativeBinary), dirs...)
}

// TestTranscriptsWine runs the shared transcripts, testdata/windows and
// testdata/held against the Windows build under Wine. Ctrl-C has a test of
// its own there: see TestInterrupt.
func TestTranscriptsWine(t *testing.T) {
	runTranscripts(t, testkit.WineProgram(t, "07-peer-chat", windowsBinary), "windows", "held")
}

func runTranscripts(t *testing.T, program *testkit.Program, subdirs ...string) {
	inputs, err := filepath.Abs(filepath.Join("testdata", "input"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range append([]string{""}, subdirs...) {
		dir = filepath.Join("testdata", dir)
		suite, err := cmdtest.Read(dir)
		if err != nil {
			t.Fatal(err)
		}
		program.Register(t, suite)
		suite.Commands["input"] = copyInput(inputs)
		suite.Commands["hold"] = hold(t)
		suite.Run(t, *update)
	}
}

// copyInput gives transcripts the command
//
//	input FILE    copy testdata/input/FILE into the transcript's directory
//
// for input that cmdtest's fecho cannot write: several lines, empty ones.
func copyInput(dir string) cmdtest.CommandFunc {
	return func(args []string, _ string) ([]byte, error) {
		if len(args) != 1 || strings.ContainsAny(args[0], `/\`) {
			return nil, errors.New("usage: input FILE")
		}
		data, err := os.ReadFile(filepath.Join(dir, args[0]))
		if err != nil {
			return nil, err
		}
		return nil, os.WriteFile(args[0], data, 0o600)
	}
}
