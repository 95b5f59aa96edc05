package testkit

import (
	"slices"
	"strings"
	"testing"
)

func TestUnclosed(t *testing.T) {
	trace := `socket(AF_INET, SOCK_STREAM) = sock 1
accept(sock 1) = sock 2
child 1: socket(AF_INET, SOCK_STREAM) = sock 1
child 2: accept(sock 1) = sock 2
child 3: getsockopt(fd 3, SOL_SOCKET, SO_TYPE) = SOCK_STREAM (fd 3 is sock 1)
closesocket(sock 2) = 0
child 1: closesocket(sock 1) = SOCKET_ERROR WSAENOTSOCK
child 2 exited (signal: killed)
`
	got := strings.Join(Unclosed(trace), ", ")
	if want := "child 1 sock 1, child 3 sock 1, sock 1"; got != want {
		t.Errorf("Unclosed = %q, want %q", got, want)
	}
}

func TestCloseProblems(t *testing.T) {
	trace := `socket(AF_INET, SOCK_STREAM) = sock 1
accept(sock 1) = sock 2
close(sock 2) = 0
send(sock 2, 5) = -1 EBADF
child 1: socket(AF_INET, SOCK_STREAM) = sock 2
child 1: close(sock 2) = 0
close(sock 1) = 0
close(sock 1) = 0
clone(CLONE_VM|CLONE_VFORK)+execve(child 1, sock 2 as fd 3) = 0
`
	want := []string{
		`a call on a closed handle: "send(sock 2, 5) = -1 EBADF"`,
		`sock 2 used after it was closed: "send(sock 2, 5) = -1 EBADF"`,
		`sock 1 used after it was closed: "close(sock 1) = 0"`,
		`sock 2 used after it was closed: "clone(CLONE_VM|CLONE_VFORK)+execve(child 1, sock 2 as fd 3) = 0"`,
	}
	if got := CloseProblems(trace); !slices.Equal(got, want) {
		t.Errorf("CloseProblems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := CloseProblems("socket() = sock 1\nclose(sock 1) = 0\n"); len(got) != 0 {
		t.Errorf("a clean trace: %v", got)
	}
}
