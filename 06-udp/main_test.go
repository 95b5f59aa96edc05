package main

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmdtest"

	"iomodels/testkit"
)

// The chapter's program, built once for this system and once for Windows.
var chapter = &testkit.Chapter{Name: "06-udp"}

func TestMain(m *testing.M) { chapter.Main(m) }

// TestTranscripts runs testdata/*.ct, the transcripts of this system's
// family (testdata/posix or testdata/windows), and testdata/interrupt,
// against the native build.
func TestTranscripts(t *testing.T) {
	family := "posix"
	if runtime.GOOS == "windows" {
		family = "windows"
	}
	testkit.RunTranscripts(t, chapter.Native(), inputCommand(t), family, "interrupt")
}

// TestTranscriptsWine runs the same shared transcripts, testdata/windows
// and testdata/wine against the Windows build under Wine. testdata/wine
// holds the demo, whose last part Wine answers differently from Windows
// (see TestPortUnreachable). Ctrl-C has a test of its own there: see
// TestInterrupt.
func TestTranscriptsWine(t *testing.T) {
	testkit.RunTranscripts(t, chapter.Wine(t), inputCommand(t), "windows", "wine")
}

// TestIPv6AddressToIPv4Server: see testkit's CheckIPv4Only, and
// testdata/posix/errors.ct.
func TestIPv6AddressToIPv4Server(t *testing.T) {
	chapter.CheckIPv4Only(t, "server", "-addr", "[::1]:0")
}

// inputCommand gives transcripts the command
//
//	input FILE    copy testdata/input/FILE into the transcript's directory
//
// for input that cmdtest's fecho cannot write: several lines, empty ones.
func inputCommand(t *testing.T) func() map[string]cmdtest.CommandFunc {
	dir, err := filepath.Abs(filepath.Join("testdata", "input"))
	if err != nil {
		t.Fatal(err)
	}
	copyInput := func(args []string, _ string) ([]byte, error) {
		if len(args) != 1 || strings.ContainsAny(args[0], `/\`) {
			return nil, errors.New("usage: input FILE")
		}
		data, err := os.ReadFile(filepath.Join(dir, args[0]))
		if err != nil {
			return nil, err
		}
		return nil, os.WriteFile(args[0], data, 0o600)
	}
	return func() map[string]cmdtest.CommandFunc {
		return map[string]cmdtest.CommandFunc{"input": copyInput}
	}
}
