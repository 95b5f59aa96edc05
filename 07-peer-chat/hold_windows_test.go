package main

import (
	"errors"
	"testing"

	"github.com/google/go-cmdtest"
)

// hold is the POSIX helper of hold_unix_test.go; Windows has no named pipe
// that a program can open by a file name in its directory.
func hold(t *testing.T) cmdtest.CommandFunc {
	return func(args []string, _ string) ([]byte, error) {
		return nil, errors.New("hold needs a POSIX named pipe")
	}
}
