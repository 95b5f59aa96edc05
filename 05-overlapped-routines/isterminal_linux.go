// isTerminal asks the terminal driver for the settings of stdin, which only
// a terminal has. The request is TCGETS on Linux, TIOCGETA on macOS and the
// BSDs (isterminal_bsd.go): x/sys/unix names both.
package main

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// isTerminal wraps ioctl(2) with TCGETS on Linux, TIOCGETA on macOS and
// the BSDs (tcgetattr), and GetConsoleMode on Windows: each fails on a
// pipe or a file.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}
