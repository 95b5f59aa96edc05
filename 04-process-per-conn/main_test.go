package main

import (
	"runtime"
	"testing"

	"iomodels/testkit"
)

// The chapter's program, built once for this system and once for Windows.
var chapter = &testkit.Chapter{Name: "04-process-per-conn"}

func TestMain(m *testing.M) { chapter.Main(m) }

// TestTranscripts runs testdata/*.ct, the transcripts of this system's
// family (testdata/posix or testdata/windows), and testdata/interrupt,
// against the native build.
func TestTranscripts(t *testing.T) {
	family := "posix"
	if runtime.GOOS == "windows" {
		family = "windows"
	}
	testkit.RunTranscripts(t, chapter.Native(), nil, family, "interrupt")
}

// TestTranscriptsWine runs the same shared transcripts, and testdata/windows,
// against the Windows build under Wine. Ctrl-C has a test of its own there:
// see TestInterrupt.
func TestTranscriptsWine(t *testing.T) {
	testkit.RunTranscripts(t, chapter.Wine(t), nil, "windows")
}

// TestIPv6AddressToIPv4Server gives the server an IPv6 address: it is IPv4
// only, as the seed's server is, and says so in one line
// (testdata/posix/errors.ct; testkit's CheckIPv4Only says how).
func TestIPv6AddressToIPv4Server(t *testing.T) {
	chapter.CheckIPv4Only(t, "server", "-addr", "[::1]:0")
}
