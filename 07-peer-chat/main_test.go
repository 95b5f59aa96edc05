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
var chapter = &testkit.Chapter{Name: "07-peer-chat"}

func TestMain(m *testing.M) { chapter.Main(m) }

// TestTranscripts runs testdata/*.ct, the transcripts of this system's
// family (testdata/posix or testdata/windows), testdata/interrupt, and
// testdata/held, against the native build. testdata/held needs a named
// pipe as a program's stdin (see hold), which only POSIX systems give.
func TestTranscripts(t *testing.T) {
	dirs := []string{"posix", "interrupt", "held"}
	if runtime.GOOS == "windows" {
		dirs = []string{"windows", "interrupt"}
	}
	testkit.RunTranscripts(t, chapter.Native(), commands(t), dirs...)
}

// TestTranscriptsWine runs the shared transcripts, testdata/windows and
// testdata/held against the Windows build under Wine. Ctrl-C has a test of
// its own there: see TestInterrupt.
func TestTranscriptsWine(t *testing.T) {
	testkit.RunTranscripts(t, chapter.Wine(t), commands(t), "windows", "held")
}

// TestIPv6AddressToIPv4Server gives the server an IPv6 address: it is IPv4
// only, as the seed's server is, and says so in one line
// (testdata/posix/errors.ct; see testkit's CheckIPv4Only).
func TestIPv6AddressToIPv4Server(t *testing.T) {
	chapter.CheckIPv4Only(t, "server", "-addr", "[::1]:0")
}

// commands gives each suite this chapter's own commands: input (below)
// and hold (hold_unix_test.go).
func commands(t *testing.T) func() map[string]cmdtest.CommandFunc {
	inputs, err := filepath.Abs(filepath.Join("testdata", "input"))
	if err != nil {
		t.Fatal(err)
	}
	return func() map[string]cmdtest.CommandFunc {
		return map[string]cmdtest.CommandFunc{"input": copyInput(inputs), "hold": hold(t)}
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
