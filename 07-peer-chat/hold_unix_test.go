//go:build unix

package main

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmdtest"
	"golang.org/x/sys/unix"
)

// hold gives transcripts the command
//
//	hold FILE    make FILE a named pipe that nobody writes to but that stays open
//
// A program whose stdin is FILE waits in its read of the keyboard as it
// would at a terminal where nobody types: it never reads end-of-input. The
// pipes are closed when the test ends.
func hold(t *testing.T) cmdtest.CommandFunc {
	return func(args []string, _ string) ([]byte, error) {
		if len(args) != 1 || strings.ContainsAny(args[0], `/\`) {
			return nil, errors.New("usage: hold FILE")
		}
		if err := unix.Mkfifo(args[0], 0o600); err != nil {
			return nil, err
		}
		// Opened for reading and writing, a FIFO opens at once (fifo(7)),
		// and whoever opens it for reading later finds a writer there.
		f, err := os.OpenFile(args[0], os.O_RDWR, 0)
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { f.Close() })
		return nil, nil
	}
}
