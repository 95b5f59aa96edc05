package testkit

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/google/go-cmdtest"
)

// registerFiles adds the command that makes test input:
//
//	mkbytes FILE N    write Bytes(N) to FILE
func registerFiles(ts *cmdtest.TestSuite) {
	ts.Commands["mkbytes"] = func(args []string, _ string) ([]byte, error) {
		if len(args) != 2 || strings.ContainsAny(args[0], `/\`) {
			return nil, errors.New("usage: mkbytes FILE N")
		}
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 0 {
			return nil, fmt.Errorf("mkbytes: bad size %q", args[1])
		}
		return nil, os.WriteFile(args[0], Bytes(n), 0o600)
	}
}

// Bytes returns n bytes in which each block of 256 holds every byte value
// once, NUL, CR and LF included, in an order that changes from block to
// block: a program that is not binary-safe, or that loses or repeats a
// block, changes them.
func Bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*167 + i>>8*13) // 167 is odd, so i*167 runs through all 256 values
	}
	return b
}
