//go:build !linux

package main

import (
	"errors"
	"testing"
)

// Elsewhere than Linux there is no /proc to read the server's threads from.

type threadCalls struct {
	accepting []int
	reading   map[int]int
}

func skipUnlessProcShowsCalls(t *testing.T) {
	t.Helper()
	t.Skip("the calls of the server's threads are read from /proc, which only Linux has")
}

func lookAtThreads(pid, port int) (threadCalls, error) {
	return threadCalls{}, errors.New("no /proc")
}
