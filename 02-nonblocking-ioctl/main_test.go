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

const name = "02-nonblocking-ioctl"

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

// TestTranscripts runs testdata/*.ct, the transcripts of this system's
// family (testdata/posix or testdata/windows), and testdata/interrupt,
// against the native build.
func TestTranscripts(t *testing.T) {
	family := "posix"
	if runtime.GOOS == "windows" {
		family = "windows"
	}
	runTranscripts(t, testkit.NativeProgram(name, nativeBinary), family, "interrupt")
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
		suite.Commands["drive"] = drive
		suite.Commands["fecho-crlf"] = fechoCRLF
		suite.Run(t, *update)
	}
}

// fechoCRLF is the transcript command "fecho-crlf FILE TEXT": fecho, but
// each line ends in CR LF, as a Windows console or a telnet client ends it.
func fechoCRLF(args []string, _ string) ([]byte, error) {
	if len(args) < 2 || strings.ContainsAny(args[0], `/\`) {
		return nil, errors.New("usage: fecho-crlf FILE TEXT")
	}
	text := strings.ReplaceAll(strings.Join(args[1:], " "), `\n`, "\r\n")
	return nil, os.WriteFile(args[0], []byte(text+"\r\n"), 0o600)
}
