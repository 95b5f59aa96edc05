package main

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
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
	log := filepath.Join(t.TempDir(), "strace.txt")
	cmd := exec.Command(straceBin, "-f", "-o", log, "-e", "trace=clone,clone3,fork,vfork,execve,waitid,wait4",
		nativeBinary, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
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
	conn, err := net.Dial("tcp", "127.0.0.1:"+port[1])
	if err != nil {
		t.Fatal(err)
	}
	conn.Write([]byte("x"))
	conn.(*net.TCPConn).CloseWrite()
	io.ReadAll(conn)
	conn.Close()
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
	text, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}

	// strace -f writes "PID call(...) = RESULT", or, when another process's
	// line comes between, "PID call(... <unfinished ...>" and later
	// "PID <... call resumed>...) = RESULT".
	call := regexp.MustCompile(`^(\d+) +(clone3?|v?fork)\((.*?)(?: <unfinished \.\.\.>|\) += (\d+).*)$`)
	resumed := regexp.MustCompile(`^(\d+) +<\.\.\. (clone3?|v?fork) resumed>.*\) += (\d+)`)
	execve := regexp.MustCompile(`^(\d+) +execve\("[^"]*", \[[^]]*"child", "-n", "1"`)
	// A waitid that reaps reports the child in si_pid and has no WNOWAIT;
	// wait4 returns the child's pid.
	waitid := regexp.MustCompile(`waitid.*si_pid=(\d+),.*WEXITED.*\) += 0$`)
	wait4 := regexp.MustCompile(`wait4.*\) += (\d+)$`)
	reaped := map[string]bool{}
	pending := map[string]string{} // pid: the arguments of its unfinished call
	vforked := map[string]bool{}   // pids made by clone(CLONE_VM|CLONE_VFORK)
	var forks []string
	childExec := ""
	for line := range strings.SplitSeq(string(text), "\n") {
		if m := call.FindStringSubmatch(line); m != nil {
			if m[2] != "clone" && m[2] != "clone3" {
				forks = append(forks, line)
			}
			if m[4] == "" {
				pending[m[1]] = m[3]
			} else if isVfork(m[3]) {
				vforked[m[4]] = true
			}
		}
		if m := resumed.FindStringSubmatch(line); m != nil {
			if isVfork(pending[m[1]]) {
				vforked[m[3]] = true
			}
			delete(pending, m[1])
		}
		if m := execve.FindStringSubmatch(line); m != nil {
			childExec = m[1]
		}
		if m := waitid.FindStringSubmatch(line); m != nil && !strings.Contains(line, "WNOWAIT") {
			reaped[m[1]] = true
		}
		if m := wait4.FindStringSubmatch(line); m != nil {
			reaped[m[1]] = true
		}
	}
	switch {
	case len(forks) > 0:
		t.Errorf("the server called fork or vfork:\n%s", strings.Join(forks, "\n"))
	case childExec == "":
		t.Errorf("strace saw no execve of \"child -n 1\":\n%s", text)
	case !vforked[childExec]:
		t.Errorf("process %s, which ran \"child -n 1\", was not made by clone(CLONE_VM|CLONE_VFORK):\n%s", childExec, text)
	case !reaped[childExec]:
		t.Errorf("process %s, which ran \"child -n 1\", was not reaped by waitid or wait4:\n%s", childExec, text)
	}
	want := "clone(CLONE_VM|CLONE_VFORK)+execve(child 1, sock 2 as fd 3) = 0\n"
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("the trace does not name the call strace saw, %q:\n%s", want, stderr.String())
	}
}

// isVfork tells whether the arguments of a clone call strace printed ask
// for CLONE_VM and CLONE_VFORK: the parent's memory shared, and the parent
// held until the child calls execve.
func isVfork(args string) bool {
	return strings.Contains(args, "CLONE_VM") && strings.Contains(args, "CLONE_VFORK")
}
