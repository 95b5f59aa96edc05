// isTerminal asks the console for the mode of stdin, which only a console
// has: a pipe or a file is not one.
package main

import (
	"io"
	"os"

	"golang.org/x/sys/windows"
)

// isTerminal wraps ioctl(2) with TCGETS on Linux, TIOCGETA on macOS and
// the BSDs (tcgetattr), and GetConsoleMode on Windows: each fails on a
// pipe or a file.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	var mode uint32
	return windows.GetConsoleMode(windows.Handle(f.Fd()), &mode) == nil
}
