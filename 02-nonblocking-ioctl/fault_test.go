package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"iomodels/testkit"
)

// The fault tests of CONVENTIONS: clients of Go's net package do to the
// server what careless or hostile clients would. The server must answer
// every line, or close the one client with a line saying why, keep serving
// the others, and close every socket it opened.

func TestFaults(t *testing.T) { testkit.RunCases(t, chapter.Native(), faults) }

// Wine, unlike Windows, may report a connection reset to recv as an
// orderly end of stream; the reset test accepts that under Wine only.
func TestFaultsWine(t *testing.T) { testkit.RunCases(t, chapter.Wine(t), faults) }

// faults are the fault tests, each a subtest run against one build.
var faults = []testkit.Case{
	{Name: "every byte value", Test: everyByteValue},
	{Name: "1 MiB", Test: oneMiB},
	{Name: "reset", Test: reset},
	{Name: "half-close", Test: halfClose},
	{Name: "slow reader", Test: slowReader},
	{Name: "200 at once", Test: twoHundredAtOnce},
}

// everyByteValue sends every byte value but the newline, NUL and CR
// included: the seed's strcpy_s and strlen would stop at the first NUL.
func everyByteValue(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
	line := bytes.ReplaceAll(testkit.Bytes(256), []byte("\n"), nil)
	got := exchange(t, server.Port, [][]byte{line, []byte("quit")})
	want := "Message received - " + string(line) + "\nquit\n"
	if got != want {
		t.Errorf("replies = %q, want %q", got, want)
	}
	expectExitWith(t, server, lastTraceLine(program), "client 1: closed (quit)")
}

// oneMiB sends 1 MiB of lines, read while it is written, in one
// connection.
func oneMiB(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-clients", "1", "-poll", "1ms", "-addr", "127.0.0.1:0")
	var lines [][]byte
	var want strings.Builder
	for i := range 1024 {
		line := bytes.Repeat([]byte{'a' + byte(i%26)}, 1023)
		lines = append(lines, line)
		fmt.Fprintf(&want, "Message received - %s\n", line)
	}
	got := exchange(t, server.Port, append(lines, []byte("quit")))
	if got != want.String()+"quit\n" {
		t.Errorf("replies: got %d bytes, want %d", len(got), want.Len()+5)
	}
	expectExitWith(t, server, lastTraceLine(program), "client 1: closed (quit)")
}
