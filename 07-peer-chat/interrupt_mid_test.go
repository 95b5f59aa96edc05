package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestInterruptMidChat sends Ctrl-C to one side of a chat, the server or
// the client, once lines have gone both ways and both of its flows wait:
// one in a read of the keyboard, one in recv. The interrupted side must
// say so last ("interrupt: server stopped"), never "peer left", and exit
// 0; the other side says "peer left" and exits 0; and each side's trace
// closes each socket once, after its last use, with no call failing on a
// closed socket (EBADF, ENOTSOCK).
func TestInterruptMidChat(t *testing.T) {
	for _, side := range []string{"server", "client"} {
		onBothBuilds(t, side+"/", func(t *testing.T, program *testkit.Program) {
			checkInterruptMidChat(t, program, side)
		})
	}
}

func checkInterruptMidChat(t *testing.T, program *testkit.Program, side string) {
	server, port := startServer(t, program, "-trace")
	client := startPeer(t, program, "client", "-trace", "-addr", "127.0.0.1:"+port)
	client.waitFor(t, `^connected to 127\.0\.0\.1:\d+$`)
	server.waitFor(t, `^peer connected from 127\.0\.0\.1$`)
	io.WriteString(client.keys, "hello\n")
	server.waitFor(t, `^peer: hello$`)
	io.WriteString(server.keys, "hi\n")
	client.waitFor(t, `^peer: hi$`)
	// Each side now waits, or is about to, in recv and in its read of
	// the keyboard.
	stopped, other := server, client
	if side == "client" {
		stopped, other = client, server
	}
	if err := stopped.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	last := "interrupt: " + side + " stopped"
	status := stopped.exit(t)
	out := stopped.output()
	if !strings.HasSuffix(out, last+"\n") {
		t.Errorf("the %s's last line is not %q; it printed:\n%s", side, last, out)
	}
	if strings.Contains(out, "peer left") {
		t.Errorf("the %s says its peer left; it was interrupted:\n%s", side, out)
	}
	if !program.ExitAccepted(t, status, 0, out, last) {
		t.Errorf("the %s exited %d, want 0", side, status)
	}
	if problems := testkit.CloseProblems(out); len(problems) > 0 {
		t.Errorf("the %s's trace: %s\n%s", side, strings.Join(problems, "\n"), out)
	}

	other.waitFor(t, `^peer left$`)
	other.keys.Close()
	if status := other.exit(t); status != 0 {
		t.Errorf("the other side exited %d, want 0", status)
	}
	out = other.output()
	if problems := testkit.CloseProblems(out); len(problems) > 0 {
		t.Errorf("the other side's trace: %s\n%s", strings.Join(problems, "\n"), out)
	}
}

// TestInterruptMidSend sends Ctrl-C to the server while its keyboard flow
// sends a long typed line to a peer that reads nothing, so that the send
// waits for room (or is about to). Ctrl-C's shutdown wakes both flows; the
// socket flow must wait for the send to return before it closes the
// socket: the trace shows no call after the close, and no EBADF.
func TestInterruptMidSend(t *testing.T) {
	onBothBuilds(t, "", checkInterruptMidSend)
}

func checkInterruptMidSend(t *testing.T, program *testkit.Program) {
	const last = "interrupt: server stopped"
	server, port := startServer(t, program, "-trace")
	testkit.Dial(t, port) // a peer that never reads
	server.waitFor(t, `^peer connected from 127\.0\.0\.1$`)
	go func() {
		line := bytes.Repeat([]byte("x"), 64<<20)
		server.keys.Write(append(line, '\n')) // fails once the server has exited
	}()
	for range 100 {
		server.waitFor(t, `^write\(sock 2, 4096 bytes\) = 4096$|^send\(sock 2, 4096 bytes\) = 4096$`)
	}
	if err := server.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	status := server.exit(t)
	out := server.output()
	if !strings.HasSuffix(out, last+"\n") {
		t.Errorf("the last line is not %q; the server printed:\n%s", last, testkit.LastLines(out, 20))
	}
	if !program.ExitAccepted(t, status, 0, out, last) {
		t.Errorf("exit status %d, want 0", status)
	}
	if problems := testkit.CloseProblems(out); len(problems) > 0 {
		t.Errorf("%s\nthe end of the trace:\n%s", strings.Join(problems, "\n"), testkit.LastLines(out, 20))
	}
}
