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
	dir, err := os.MkdirTemp("", "06-udp-test")
	if err == nil {
		nativeBinary, err = testkit.Build(dir, "06-udp", runtime.GOOS)
	}
	if err == nil {
		windowsBinary, err = testkit.Build(dir, "06-udp", "windows")
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
// family (testdata/posix or testdata/windows), and testdata/interrupt,
// against the native build.
func TestTranscripts(t *testing.T) {
	family := "posix"
	if runtime.GOOS == "windows" {
		family = "windows"
	}
	runTranscripts(t, testkit.NativeProgram("06-udp", nativeBinary), family, "interrupt")
}

// TestTranscriptsWine runs the same shared transcripts, testdata/windows
// and testdata/wine against the Windows build under Wine. testdata/wine
// holds the demo, whose last part Wine answers differently from Windows
// (see TestPortUnreachable). Ctrl-C has a test of its own there: see
// TestInterrupt.
func TestTranscriptsWine(t *testing.T) {
	runTranscripts(t, testkit.WineProgram(t, "06-udp", windowsBinary), "windows", "wine")
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
