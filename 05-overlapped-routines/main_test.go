package main

import (
	"runtime"
	"testing"

	"iomodels/testkit"
)

// chapter is the chapter's program, built once for this system and once
// for Windows.
var chapter = &testkit.Chapter{Name: "05-overlapped-routines"}

func TestMain(m *testing.M) { chapter.Main(m) }

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
	p := chapter.Native()
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
			testkit.RunTranscripts(t, nativeProgram(backend), nil, dirs...)
		})
	}
}

// TestTranscriptsWine runs the same shared transcripts, and testdata/windows,
// against the Windows build under Wine. Ctrl-C has a test of its own there:
// see TestInterrupt.
func TestTranscriptsWine(t *testing.T) {
	testkit.RunTranscripts(t, chapter.Wine(t), nil, "windows")
}

// TestIPv6AddressToIPv4Server gives the server an IPv6 address: it is IPv4
// only, as the seed's is, and says so in one line (testdata/posix/errors.ct).
func TestIPv6AddressToIPv4Server(t *testing.T) {
	chapter.CheckIPv4Only(t, "server", "-addr", "[::1]:0")
}
