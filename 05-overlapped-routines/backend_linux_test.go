//go:build linux

package main

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// Where io_uring_setup fails, as it does with EPERM under a seccomp profile
// that blocks it or with kernel.io_uring_disabled set, the server says so in
// one line and runs on the poll emulation; asked for io_uring by name, it
// fails instead.
func TestFallbackToPoll(t *testing.T) {
	setupRing = func(uint32, uint32, uint32) (*ring, error) { return nil, unix.EPERM }
	defer func() { setupRing = newRing }()

	var stderr strings.Builder
	eng, err := newEngine(&sockets{}, "", 4, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.close()
	if _, isPoll := eng.(*pollEngine); !isPoll {
		t.Errorf("engine is %T, want *pollEngine", eng)
	}
	want := "io_uring unavailable (operation not permitted (EPERM)): using the poll(2) emulation\n"
	if stderr.String() != want {
		t.Errorf("stderr = %q, want %q", stderr.String(), want)
	}

	_, err = newEngine(&sockets{}, "uring", 4, &stderr)
	if err == nil || err.Error() != "io_uring_setup: operation not permitted (EPERM)" {
		t.Errorf("-backend=uring without io_uring: error %v, want io_uring_setup's EPERM", err)
	}
}
