package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// TestStartIsCloneVfork runs the server under strace(1) and checks what the
// lesson and the trace say about how a child starts and ends: Go's os/exec
// does not fork. On Linux it calls clone(2) with CLONE_VM|CLONE_VFORK, and
// the new process calls execve(2) at once (syscall/exec_linux.go,
// forkAndExecInChild1). The trace names that same call. The child is
// reaped by a wait (wait(2)): waitid with P_PIDFD where the kernel has
// pidfds, wait4 where it has not; no SIGCHLD handler does it.
func TestStartIsCloneVfork(t *testing.T) {
	straceBin, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed")
	}
	text, trace := straceOneClient(t, straceBin)
	starts := readStarts(text)
	switch {
	case len(starts.forks) > 0:
		t.Errorf("the server called fork or vfork:\n%s", strings.Join(starts.forks, "\n"))
	case starts.childExec == "":
		t.Errorf("strace saw no execve of \"child -n 1\":\n%s", text)
	case !starts.vforked[starts.childExec]:
		t.Errorf("process %s, which ran \"child -n 1\", was not made by clone(CLONE_VM|CLONE_VFORK):\n%s", starts.childExec, text)
	case !starts.reaped[starts.childExec]:
		t.Errorf("process %s, which ran \"child -n 1\", was not reaped by waitid or wait4:\n%s", starts.childExec, text)
	}
	want := "clone(CLONE_VM|CLONE_VFORK)+execve(child 1, sock 2 as fd 3) = 0\n"
	if !strings.Contains(trace, want) {
		t.Errorf("the trace does not name the call strace saw, %q:\n%s", want, trace)
	}
}

// straceOneClient runs "server -trace -clients 1" under strace -f, serves
// it one client, and returns what strace wrote and the server's trace.
func straceOneClient(t *testing.T, straceBin string) (text, trace string) {
	t.Helper()
	log := filepath.Join(t.TempDir(), "strace.txt")
	cmd := exec.Command(straceBin, "-f", "-o", log, "-e", "trace=clone,clone3,fork,vfork,execve,waitid,wait4",
		chapter.NativeBinary, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	lines := bufio.NewReader(stdout)
	first, err := lines.ReadString('\n')
	port := regexp.MustCompile(`^listening on 127\.0\.0\.1:(\d+)\n$`).FindStringSubmatch(first)
	if port == nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the server under strace printed %q, %v; stderr:\n%s", first, err, stderr.String())
	}
	go func() {
		io.Copy(io.Discard, lines)
		exited <- cmd.Wait()
	}()
	testkit.Echo(t, port[1], []byte("x"))
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("the server under strace: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-exited
		t.Fatal("the server under strace did not exit after its one client")
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	return string(data), stderr.String()
}

// starts is what strace -f saw of how the server made and reaped its
// processes.
type starts struct {
	forks     []string        // calls of fork or vfork
	vforked   map[string]bool // pids made by clone(CLONE_VM|CLONE_VFORK)
	reaped    map[string]bool // pids reaped by waitid or wait4
	childExec string          // the pid that ran "child -n 1"
}

// strace -f writes "PID call(...) = RESULT", or, when another process's
// line comes between, "PID call(... <unfinished ...>" and later "PID <...
// call resumed>...) = RESULT". A waitid that reaps reports the child in
// si_pid and has no WNOWAIT; wait4 returns the child's pid.
var (
	straceCall    = regexp.MustCompile(`^(\d+) +(clone3?|v?fork)\((.*?)(?: <unfinished \.\.\.>|\) += (\d+).*)$`)
	straceResumed = regexp.MustCompile(`^(\d+) +<\.\.\. (clone3?|v?fork) resumed>.*\) += (\d+)`)
	straceExecve  = regexp.MustCompile(`^(\d+) +execve\("[^"]*", \[[^]]*"child", "-n", "1"`)
	straceWaitid  = regexp.MustCompile(`waitid.*si_pid=(\d+),.*WEXITED.*\) += 0$`)
	straceWait4   = regexp.MustCompile(`wait4.*\) += (\d+)$`)
)

// readStarts reads what strace -f wrote.
func readStarts(text string) starts {
	s := starts{vforked: map[string]bool{}, reaped: map[string]bool{}}
	pending := map[string]string{} // pid: the arguments of its unfinished call
	for line := range strings.SplitSeq(text, "\n") {
		if m := straceCall.FindStringSubmatch(line); m != nil {
			if m[2] != "clone" && m[2] != "clone3" {
				s.forks = append(s.forks, line)
			}
			if m[4] == "" {
				pending[m[1]] = m[3]
			} else if isVfork(m[3]) {
				s.vforked[m[4]] = true
			}
		}
		if m := straceResumed.FindStringSubmatch(line); m != nil {
			if isVfork(pending[m[1]]) {
				s.vforked[m[3]] = true
			}
			delete(pending, m[1])
		}
		if m := straceExecve.FindStringSubmatch(line); m != nil {
			s.childExec = m[1]
		}
		if m := straceWaitid.FindStringSubmatch(line); m != nil && !strings.Contains(line, "WNOWAIT") {
			s.reaped[m[1]] = true
		}
		if m := straceWait4.FindStringSubmatch(line); m != nil {
			s.reaped[m[1]] = true
		}
	}
	return s
}

// isVfork tells whether the arguments of a clone call strace printed ask
// for CLONE_VM and CLONE_VFORK: the parent's memory shared, and the parent
// held until the child calls execve.
func isVfork(args string) bool {
	return strings.Contains(args, "CLONE_VM") && strings.Contains(args, "CLONE_VFORK")
}
