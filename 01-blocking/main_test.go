package main

import (
	"path/filepath"
	"runtime"
	"testing"

	"iomodels/testkit"
)

// The chapter's program, built once for this system and once for Windows.
var chapter = &testkit.Chapter{Name: "01-blocking"}

func TestMain(m *testing.M) { chapter.Main(m) }

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
	testkit.RunTranscripts(t, chapter.Native(), dialCommands, subdirs...)
}

// TestTranscriptsWine runs the same shared transcripts, and testdata/windows,
// against the Windows build under Wine. Ctrl-C has a test of its own there:
// see TestInterrupt.
func TestTranscriptsWine(t *testing.T) {
	testkit.RunTranscripts(t, chapter.Wine(t), dialCommands, "windows")
}

// TestIPv6AddressToIPv4Server gives the server an IPv6 address. It is
// IPv4 only, as the seed's server is (getaddrinfo's hints say AF_INET),
// and must say so in one line, with the address once and the resolver's
// own error name: EAI_ADDRFAMILY from glibc (testdata/posix/errors.ct).
// Wine passes glibc's code on as it is, -9.
func TestIPv6AddressToIPv4Server(t *testing.T) {
	chapter.CheckIPv4Only(t, "server", "-addr", "[::1]:0")
}
