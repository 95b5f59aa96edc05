// isTerminal asks the console for the mode of stdin, which only a console
// has: a pipe or a file is not one.
package main

import (
	"io"
	"os"

	"golang.org/x/sys/windows"
)

// isTerminal wraps ioctl(2) with TCGETS (tcgetattr) on POSIX and
// GetConsoleMode on Windows: both fail on a pipe or a file.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	var mode uint32
	return windows.GetConsoleMode(windows.Handle(f.Fd()), &mode) == nil
}
