package main

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmdtest"

	"iomodels/testkit"
)

// The chapter's program, built once for this system and once for Windows.
var chapter = &testkit.Chapter{Name: "03-thread-per-conn"}

func TestMain(m *testing.M) { chapter.Main(m) }

// TestTranscripts runs testdata/*.ct, the transcripts of this system's
// family (testdata/posix or testdata/windows), and testdata/interrupt,
// against the native build.
func TestTranscripts(t *testing.T) {
	family := "posix"
	if runtime.GOOS == "windows" {
		family = "windows"
	}
	testkit.RunTranscripts(t, chapter.Native(), commands, family, "interrupt")
}

// TestTranscriptsWine runs the same shared transcripts, and testdata/windows,
// against the Windows build under Wine. Ctrl-C has a test of its own there:
// see TestInterruptWithClients.
func TestTranscriptsWine(t *testing.T) {
	testkit.RunTranscripts(t, chapter.Wine(t), commands, "windows")
}

// TestIPv6AddressToIPv4Server gives the server an IPv6 address. It is
// IPv4 only, as the seed's server is (getaddrinfo's hints say AF_INET),
// and must say so in one line, with the address once and the resolver's
// own error name: EAI_ADDRFAMILY from glibc (testdata/posix/errors.ct).
// Wine passes glibc's code on as it is, -9.
func TestIPv6AddressToIPv4Server(t *testing.T) {
	chapter.CheckIPv4Only(t, "server", "-addr", "[::1]:0")
}

// commands returns this chapter's transcript commands, besides testkit's.
func commands() map[string]cmdtest.CommandFunc {
	return map[string]cmdtest.CommandFunc{"fecho-crlf": fechoCRLF}
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
