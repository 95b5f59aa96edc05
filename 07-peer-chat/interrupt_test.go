package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestInterrupt sends Ctrl-C to the server while it waits in accept. The
// interrupt flow connects to the listener (sock 2), which makes the blocked
// accept return; the serving flow closes what accept returned (sock 3) and
// its listener, and exits 0 (testdata/interrupt shows it without -trace).
// Under Wine the exit after Ctrl-C may be a SIGKILL once the output is
// complete (see 01-blocking), which is accepted there only.
func TestInterrupt(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, lines []string, wineKill bool) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		out, status := server.InterruptAndWait(t)
		for _, line := range append(lines, "interrupt: server stopped") {
			if !strings.Contains(out, line+"\n") {
				t.Errorf("missing the line %q; the server printed:\n%s", line, out)
			}
		}
		if status != 0 && !(wineKill && status == testkit.KilledBySignal) {
			t.Errorf("exit status %d, want 0", status)
		}
		if problems := closeProblems(out); len(problems) > 0 {
			t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
		}
	}
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("the Windows lines are checked under Wine")
		}
		run(t, testkit.NativeProgram("07-peer-chat", nativeBinary), []string{
			"socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = sock 2",
			"accept(sock 1) = sock 3 from 127.0.0.1",
			"close(sock 3) = 0", "close(sock 1) = 0", "close(sock 2) = 0"}, false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "07-peer-chat", windowsBinary), []string{
			"socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = sock 2",
			"accept(sock 1) = sock 3 from 127.0.0.1",
			"closesocket(sock 3) = 0", "closesocket(sock 1) = 0", "closesocket(sock 2) = 0",
			"WSACleanup() = 0"}, true)
	})
}

// TestInterruptChat sends Ctrl-C to a client in the middle of a chat,
// while one flow waits in recv and the other in a read of the keyboard:
// the socket's shutdown wakes the first, and the client exits 0 without
// waiting for the second.
func TestInterruptChat(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, wineKill bool) {
		server := startPeer(t, program, "server", "-addr", "127.0.0.1:0")
		port := server.waitFor(t, `^listening on 127\.0\.0\.1:(\d+)$`)[1]
		client := startPeer(t, program, "client", "-addr", "127.0.0.1:"+port)
		client.waitFor(t, `^connected to 127\.0\.0\.1:\d+$`)
		server.waitFor(t, `^peer connected from 127\.0\.0\.1$`)
		// SIGINT is Ctrl-C; Wine turns it into the CTRL_C_EVENT of Windows.
		if err := client.cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		if line := client.waitFor(t, `^interrupt: client stopped$|^peer left$`)[0]; line != "interrupt: client stopped" {
			t.Errorf("the client printed %q: the peer did not leave, the client was stopped", line)
		}
		if status := client.exit(t); status != 0 && !(wineKill && status == testkit.KilledBySignal) {
			t.Errorf("client exited %d, want 0:\n%s", status, client.all.String())
		}
		server.waitFor(t, `^peer left$`)
		if status := server.exit(t); status != 0 {
			t.Errorf("server exited %d, want 0:\n%s", status, server.all.String())
		}
	}
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("Go cannot send Ctrl-C to one process on Windows; the Windows build is checked under Wine")
		}
		run(t, testkit.NativeProgram("07-peer-chat", nativeBinary), false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "07-peer-chat", windowsBinary), true)
	})
}

// TestInterruptMidChat sends Ctrl-C to one side of a chat, the server or
// the client, once lines have gone both ways and both of its flows wait:
// one in a read of the keyboard, one in recv. The interrupted side must
// say so last ("interrupt: server stopped"), never "peer left", and exit
// 0; the other side says "peer left" and exits 0; and each side's trace
// closes each socket once, after its last use, with no call failing on a
// closed socket (EBADF, ENOTSOCK).
func TestInterruptMidChat(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, side string, wineKill bool) {
		server := startPeer(t, program, "server", "-trace", "-addr", "127.0.0.1:0")
		port := server.waitFor(t, `^listening on 127\.0\.0\.1:(\d+)$`)[1]
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
		status := stopped.exit(t)
		readRest(stopped)
		out := string(testkit.WithoutWineNoise([]byte(stopped.all.String())))
		if !strings.HasSuffix(out, "interrupt: "+side+" stopped\n") {
			t.Errorf("the %s's last line is not %q; it printed:\n%s", side, "interrupt: "+side+" stopped", out)
		}
		if strings.Contains(out, "peer left") {
			t.Errorf("the %s says its peer left; it was interrupted:\n%s", side, out)
		}
		if status != 0 && !(wineKill && status == testkit.KilledBySignal) {
			t.Errorf("the %s exited %d, want 0", side, status)
		}
		if problems := closeProblems(out); len(problems) > 0 {
			t.Errorf("the %s's trace: %s\n%s", side, strings.Join(problems, "\n"), out)
		}

		other.waitFor(t, `^peer left$`)
		other.keys.Close()
		if status := other.exit(t); status != 0 {
			t.Errorf("the other side exited %d, want 0", status)
		}
		readRest(other)
		out = string(testkit.WithoutWineNoise([]byte(other.all.String())))
		if problems := closeProblems(out); len(problems) > 0 {
			t.Errorf("the other side's trace: %s\n%s", strings.Join(problems, "\n"), out)
		}
	}
	for _, side := range []string{"server", "client"} {
		t.Run(side+"/native", func(t *testing.T) {
			if runtime.GOOS == "windows" {
				t.Skip("Go cannot send Ctrl-C to one process on Windows; the Windows build is checked under Wine")
			}
			run(t, testkit.NativeProgram("07-peer-chat", nativeBinary), side, false)
		})
		t.Run(side+"/wine", func(t *testing.T) {
			run(t, testkit.WineProgram(t, "07-peer-chat", windowsBinary), side, true)
		})
	}
}

var (
	callOnSock = regexp.MustCompile(`^\w+\((sock \d+)`)
	closeCall  = regexp.MustCompile(`^close(?:socket)?\((sock \d+)\)`)
	badHandle  = regexp.MustCompile(`\b(WSA)?E(BADF|NOTSOCK)\b`)
)

// closeProblems reads a trace and returns what is wrong in how it closes
// sockets: one never closed, one closed twice, a call on a closed socket,
// or a call failing because its socket was closed (EBADF, ENOTSOCK).
func closeProblems(trace string) []string {
	var problems []string
	closed := map[string]bool{}
	for _, line := range strings.Split(trace, "\n") {
		if badHandle.MatchString(line) {
			problems = append(problems, fmt.Sprintf("a call on a closed handle: %q", line))
		}
		m := callOnSock.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if closed[m[1]] {
			problems = append(problems, fmt.Sprintf("%s used after it was closed: %q", m[1], line))
		}
		if closeCall.MatchString(line) {
			closed[m[1]] = true
		}
	}
	for _, leaked := range unclosed(trace) {
		problems = append(problems, leaked+" was never closed")
	}
	return problems
}

// TestInterruptMidSend sends Ctrl-C to the server while its keyboard flow
// sends a long typed line to a peer that reads nothing, so that the send
// waits for room (or is about to). Ctrl-C's shutdown wakes both flows; the
// socket flow must wait for the send to return before it closes the
// socket: the trace shows no call after the close, and no EBADF.
func TestInterruptMidSend(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, wineKill bool) {
		server := startPeer(t, program, "server", "-trace", "-addr", "127.0.0.1:0")
		port := server.waitFor(t, `^listening on 127\.0\.0\.1:(\d+)$`)[1]
		dial(t, port) // a peer that never reads
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
		readRest(server)
		out := string(testkit.WithoutWineNoise([]byte(server.all.String())))
		if !strings.HasSuffix(out, "interrupt: server stopped\n") {
			t.Errorf("the last line is not %q; the server printed:\n%s", "interrupt: server stopped", testkit.LastLines(out, 20))
		}
		if status != 0 && !(wineKill && status == testkit.KilledBySignal) {
			t.Errorf("exit status %d, want 0", status)
		}
		if problems := closeProblems(out); len(problems) > 0 {
			t.Errorf("%s\nthe end of the trace:\n%s", strings.Join(problems, "\n"), testkit.LastLines(out, 20))
		}
	}
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("Go cannot send Ctrl-C to one process on Windows; the Windows build is checked under Wine")
		}
		run(t, testkit.NativeProgram("07-peer-chat", nativeBinary), false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "07-peer-chat", windowsBinary), true)
	})
}
